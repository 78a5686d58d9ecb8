"""Write the feeds into PostgreSQL schema ``marketplace`` with COPY (psycopg 3).

Every table has the feed's columns; ``updated_at`` is ``timestamptz``, numbers are numeric
types, every other column (timestamps included, some are dirty) is ``text``.

>>> sink = PostgresSink("postgresql://postgres@127.0.0.1:5432/marketplace")  # doctest: +SKIP
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pa_csv

from graphkit.errors import GraphkitError
from graphkit.synth.feeds import Feed

SQL_TYPES = {pa.int64(): "bigint", pa.float64(): "double precision", pa.bool_(): "boolean"}


def _sql_type(name: str, dtype: pa.DataType) -> str:
    return "timestamptz" if name == "updated_at" else SQL_TYPES.get(dtype, "text")


class PostgresSink:
    """Recreate each feed's table, then stream its chunks in with ``COPY ... FROM STDIN``."""

    def __init__(self, dsn: str):
        import psycopg

        try:
            self.conn = psycopg.connect(dsn)
        except psycopg.Error as exc:
            raise GraphkitError(
                f"cannot connect to PostgreSQL: {str(exc).strip().splitlines()[0]}",
                hint="check the DSN, e.g. postgresql://user@host:5432/dbname",
            ) from None
        self.conn.execute("CREATE SCHEMA IF NOT EXISTS marketplace")
        self.conn.commit()  # before parallel sinks create their tables in it

    def begin(self, feed: Feed) -> None:
        columns = ", ".join(f"{name} {_sql_type(name, dtype)}" for name, dtype in feed.columns)
        self.conn.execute(f"DROP TABLE IF EXISTS marketplace.{feed.name}")
        self.conn.execute(f"CREATE TABLE marketplace.{feed.name} ({columns})")

    def write(self, feed: Feed, table: pa.Table) -> None:
        buffer = io.BytesIO()
        options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
        pa_csv.write_csv(table, buffer, options)
        with self.conn.cursor().copy(
            f"COPY marketplace.{feed.name} FROM STDIN (FORMAT csv)"
        ) as copy:
            copy.write(buffer.getvalue())

    def end(self, feed: Feed) -> None:
        self.conn.execute(f"CREATE INDEX ON marketplace.{feed.name} (updated_at)")
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()
