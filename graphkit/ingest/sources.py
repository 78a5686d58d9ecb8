"""Streaming readers: CSV, JSON lines, Parquet files (each optionally gzipped) and PostgreSQL.

A file's format comes from its extension (``.csv``, ``.jsonl``/``.ndjson``/``.json`` for JSON
lines, ``.parquet``, each optionally followed by ``.gz``) or from the mapping's
``source.format``.

Every reader yields ``(locator, record)`` pairs, one per source record, in a stable order:
``locator`` is ``file:line`` (files) or the key (PostgreSQL); ``record`` is a dict of raw
values, or a :class:`Problem` when the record cannot even be parsed (bad encoding, broken
JSON, a truncated CSV line). Nothing reads a whole file into memory. :func:`chunks` cuts them
into batches; Parquet batches stay columnar (:class:`Columns`) for the vectorised transform.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp()); _ = (d / "a.csv").write_text("id,x\\n1,a\\n2\\n")
>>> [(loc, rec) for loc, rec in CsvSource([d / "a.csv"]).records()]  # doctest: +ELLIPSIS
[('a.csv:2', {'id': '1', 'x': 'a'}), ('a.csv:3', Problem(reason='truncated or malformed ...
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql

from graphkit.errors import GraphkitError
from graphkit.ingest.mapping import Mapping

log = logging.getLogger("graphkit.ingest")
csv.field_size_limit(16 * 1024 * 1024)
Record = tuple[str, "dict[str, Any] | Problem"]


class SourceError(GraphkitError):
    """A feed's source cannot be opened (missing files, unreachable PostgreSQL)."""


@dataclass(frozen=True)
class Problem:
    """A record that could not be parsed; ``raw`` is the text as read (for quarantine)."""

    reason: str
    raw: str


@dataclass(frozen=True)
class Columns:
    """Consecutive records of one file, columnar; record ``i`` is at ``file:first + i``."""

    file: str
    first: int
    data: pa.RecordBatch

    def locator(self, i: int) -> str:
        return f"{self.file}:{self.first + i}"

    def records(self) -> list[Record]:
        return [(self.locator(i), r) for i, r in enumerate(self.data.to_pylist())]


class Source(Protocol):
    #: Records in the source (for progress and ETA), when cheap to know.
    total: int | None
    #: Modification time per file name (files only), for ``watermark: _file_mtime``.
    mtimes: dict[str, datetime]

    def records(self, skip: int = 0) -> Iterator[Record]:
        """Yield records in a stable order, leaving out the first ``skip``."""
        ...

    @property
    def partitions(self) -> list[str]:
        """The partitions the source reads (file names; the PostgreSQL table or query)."""
        ...

    def partition(self, locator: str) -> str:
        """The partition a record came from, by its locator."""
        ...


class FilePartitions:
    """Files are a feed's partitions: a record's is the file part of ``file:line``.

    >>> source = FilePartitions(); source.paths = [Path("out/sellers-1.csv")]
    >>> source.partitions, source.partition("sellers-1.csv:12")
    (['sellers-1.csv'], 'sellers-1.csv')
    """

    paths: list[Path]

    @property
    def partitions(self) -> list[str]:
        return [p.name for p in self.paths]

    def partition(self, locator: str) -> str:
        return locator.rpartition(":")[0]


def _open(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when its name ends in ``.gz``."""
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _count_lines(paths: list[Path]) -> int:
    """Lines in the files (reading each whole once: a corrupt gzip file fails here, early)."""
    lines = 0
    for path in paths:
        try:
            with _open(path) as f:
                while chunk := f.read(1 << 20):
                    lines += chunk.count(b"\n")
        except (OSError, EOFError) as exc:
            hint = "check the file (a name ending in .gz means gzip data)"
            raise SourceError(f"cannot read {path.name}: {exc}", hint=hint) from None
    return lines


def _mtimes(paths: list[Path]) -> dict[str, datetime]:
    return {p.name: datetime.fromtimestamp(p.stat().st_mtime, UTC) for p in paths}


class CsvSource(FilePartitions):
    """UTF-8 CSV with a header line. Bad bytes survive as surrogates (caught in transform)."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.mtimes = _mtimes(paths)
        self.total = max(_count_lines(paths) - len(paths), 0)

    def records(self, skip: int = 0) -> Iterator[Record]:
        seen = 0
        for path in self.paths:
            with io.TextIOWrapper(
                _open(path), encoding="utf-8", errors="surrogateescape", newline=""
            ) as f:
                reader = csv.reader(f)
                header = next(reader, None)
                if header is None:
                    log.warning("%s is empty", path.name, extra={"feed": path.stem})
                    continue
                header = [h.strip() for h in header]
                while True:
                    try:
                        row = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:
                        row = [f"<unparseable: {exc}>"]
                    seen += 1
                    if seen <= skip or not row:
                        continue
                    where = f"{path.name}:{reader.line_num}"
                    if len(row) == len(header):
                        yield where, dict(zip(header, row, strict=True))
                    else:
                        reason = f"truncated or malformed row: {len(row)} of {len(header)} fields"
                        yield where, Problem(reason, ",".join(row))


class JsonlSource(FilePartitions):
    """One JSON object per line; blank lines are ignored."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.mtimes = _mtimes(paths)
        self.total = _count_lines(paths)
        for path in paths:
            with _open(path) as f:
                if f.read(4096).lstrip()[:1] == b"[":
                    raise SourceError(
                        f"{path.name} holds a JSON array, not JSON lines (one object per line)",
                        hint=f"convert it: jq -c '.[]' {path.name} > {path.stem}.jsonl",
                    )

    def records(self, skip: int = 0) -> Iterator[Record]:
        seen = 0
        for path in self.paths:
            with _open(path) as f:
                for number, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    seen += 1
                    if seen <= skip:
                        continue
                    yield f"{path.name}:{number}", _parse_json_line(line)


def _parse_json_line(line: bytes) -> dict[str, Any] | Problem:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return Problem("invalid UTF-8 encoding", line.decode("utf-8", "replace"))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(f"invalid JSON (truncated line?): {exc.msg}", text)
    if not isinstance(value, dict):
        return Problem("a JSON line must hold an object", text)
    return value


class ParquetSource(FilePartitions):
    """Parquet read in record batches (row groups are never loaded whole)."""

    def __init__(self, paths: list[Path], batch_size: int = 10_000):
        self.paths = paths
        self.mtimes = _mtimes(paths)
        self.batch_size = batch_size
        self.total = sum(_parquet(p).metadata.num_rows for p in paths)

    def records(self, skip: int = 0) -> Iterator[Record]:
        for columns in self.columns(skip):
            yield from columns.records()

    def columns(self, skip: int = 0) -> Iterator[Columns]:
        seen = 0
        for path in self.paths:
            for batch in _parquet(path).iter_batches(batch_size=self.batch_size):
                start, seen = seen, seen + batch.num_rows
                if seen <= skip:
                    continue
                first = max(skip - start, 0)
                yield Columns(path.name, start + first + 1, batch.slice(first))


def _parquet(path: Path) -> pq.ParquetFile:
    """A Parquet file (a gzipped one is read through a seekable decompressing stream)."""
    try:
        return pq.ParquetFile(_open(path) if path.suffix.lower() == ".gz" else path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise SourceError(f"{path.name} is not a readable Parquet file: {exc}") from None


class PostgresSource:
    """A table or query read through a server-side (named) cursor, ordered by watermark, key.

    Only rows with ``watermark > since`` are read when ``since`` is given. A mapping without
    a watermark column (none, or ``_file_mtime``) reads the whole table each run and pages on
    the key alone. ``after`` (a :meth:`position`) resumes after the last record loaded, by
    value, never by row count: rows inserted or deleted meanwhile shift nothing.
    """

    mtimes: dict[str, datetime] = {}

    def __init__(
        self,
        mapping: Mapping,
        dsn: str,
        since: datetime | None,
        batch_size: int,
        after: str | None = None,
    ):
        self.mapping, self.dsn, self.batch_size, self.after = mapping, dsn, batch_size, after
        self.column = mapping.watermark if mapping.watermark in mapping.columns else None
        self.since = since if self.column else None
        self.order = [*filter(None, [self.column]), *mapping.key]
        self.total = self._count()

    def _select(
        self, what: sql.Composable, after: str | None = None
    ) -> tuple[sql.Composable, list[Any]]:
        m = self.mapping
        if m.source.table:
            origin: sql.Composable = sql.Identifier(*m.source.table.split("."))
        else:
            origin = sql.SQL("({}) AS src").format(sql.SQL(m.source.query))  # type: ignore[arg-type]
        conditions: list[sql.Composable] = []
        params: list[Any] = []
        if self.since is not None:
            conditions.append(sql.SQL("{} > %s").format(sql.Identifier(self.column)))
            params.append(self.since)
        if after is not None:
            # Rows with a null in the order (bad rows) compare as NULL: read again, not lost.
            columns = sql.SQL(", ").join(map(sql.Identifier, self.order))
            marks = sql.SQL(", ").join(sql.Placeholder() * len(self.order))
            conditions.append(sql.SQL("(({}) <= ({})) IS NOT TRUE").format(columns, marks))
            params += json.loads(after)
        query = sql.SQL("SELECT {} FROM {}").format(what, origin)
        if conditions:
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions)
        return query, params

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.dsn)
        except psycopg.Error as exc:
            # The DSN may hold a password: name only the failure.
            raise SourceError(
                f"cannot connect to PostgreSQL ({type(exc).__name__})",
                hint="check --dsn / GRAPHKIT_PG_DSN and that the server is reachable",
            ) from None

    def _count(self) -> int:
        query, params = self._select(sql.SQL("count(*)"))
        with self._connect() as conn:
            try:
                return conn.execute(query, params).fetchone()[0]  # type: ignore[index]
            except psycopg.Error as exc:
                raise SourceError(
                    f"feed {self.mapping.feed}: PostgreSQL rejected the source query: "
                    f"{str(exc).splitlines()[0]}",
                    hint="check source.table / source.query in the mapping",
                ) from None

    def records(self, skip: int = 0) -> Iterator[Record]:
        """The rows after ``after`` in order (``skip`` is not counted off: see the class)."""
        m = self.mapping
        query, params = self._select(sql.SQL("*"), self.after)
        order = sql.SQL(", ").join(map(sql.Identifier, self.order))
        query = query + sql.SQL(" ORDER BY {}").format(order)
        with self._connect() as conn, conn.cursor(name=f"graphkit_{m.feed}") as cursor:
            cursor.itersize = self.batch_size
            cursor.execute(query, params)
            names = [d.name for d in cursor.description or []]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                yield "/".join(str(row.get(k)) for k in m.key), row

    @property
    def partitions(self) -> list[str]:
        """One partition: the table (or ``query``)."""
        return [self.mapping.source.table or "query"]

    def partition(self, locator: str) -> str:
        return self.partitions[0]

    def position(self, records: list[Record], current: str | None) -> str | None:
        """Where to resume after ``records``: the last one's (watermark, key) values as JSON
        text (PostgreSQL casts them back to the columns' types), or ``current`` when none has
        all of them (a null sorts last and compares as unknown).

        >>> source = object.__new__(PostgresSource); source.order = ["updated_at", "id"]
        >>> row = {"updated_at": datetime(2024, 1, 2, tzinfo=UTC), "id": 7}
        >>> source.position([("7", row)], None)
        '["2024-01-02 00:00:00+00:00", 7]'
        """
        for _, row in reversed(records):
            values = [row[c] for c in self.order]
            if None not in values:
                return json.dumps(values, default=str)
        return current


def chunks(source: Source, skip: int, size: int) -> Iterator[list[Record] | Columns]:
    """The source's records after ``skip`` in batches of up to ``size``."""
    if isinstance(source, ParquetSource):
        yield from source.columns(skip)
        return
    records = source.records(skip)
    while chunk := list(islice(records, size)):
        yield chunk


def open_source(
    mapping: Mapping,
    *,
    origin: str,
    feeds_dir: Path | None = None,
    dsn: str | None = None,
    since: datetime | None = None,
    batch_size: int = 10_000,
    after: str | None = None,
) -> Source:
    """The reader for ``mapping`` from ``origin`` (``files`` or ``postgres``); ``after``:
    where a PostgreSQL read resumes (:meth:`PostgresSource.position`)."""
    if origin == "postgres":
        if not (mapping.source.table or mapping.source.query):
            raise SourceError(f"feed {mapping.feed} has no source.table or source.query")
        if not dsn:
            raise SourceError("no PostgreSQL DSN given", hint="pass --dsn or set GRAPHKIT_PG_DSN")
        return PostgresSource(mapping, dsn, since, batch_size, after)
    if not mapping.source.files:
        raise SourceError(f"feed {mapping.feed} has no source.files")
    if feeds_dir is None or not feeds_dir.is_dir():
        raise SourceError(
            f"feeds directory {feeds_dir} does not exist",
            hint="pass --feeds-dir or set GRAPHKIT_FEEDS_DIR",
        )
    paths = source_files(mapping, feeds_dir)
    if not paths:
        raise SourceError(
            f"feed {mapping.feed}: no files match {mapping.source.files} in {feeds_dir}",
            hint="generate feeds with `graphkit synth`, or fix --feeds-dir",
        )
    formats = {mapping.source.format or file_format(p) for p in paths}
    if len(formats) != 1 or None in formats:
        raise SourceError(
            f"feed {mapping.feed}: cannot tell one format for {', '.join(p.name for p in paths)}",
            hint="name files .csv, .jsonl or .parquet (optionally .gz), or set source.format",
        )
    kind = formats.pop()
    if kind == "parquet":
        return ParquetSource(paths, batch_size)
    return CsvSource(paths) if kind == "csv" else JsonlSource(paths)


def source_files(mapping: Mapping, feeds_dir: Path) -> list[Path]:
    """The feed's files under ``feeds_dir`` (``source.files`` is a glob), sorted."""
    return sorted(p for p in feeds_dir.glob(mapping.source.files or "") if p.is_file())


def file_format(path: Path) -> str | None:
    """``csv``, ``jsonl`` or ``parquet`` from a file name, or None.

    >>> file_format(Path("accounts.jsonl.gz")), file_format(Path("a.CSV")), file_format(Path("x"))
    ('jsonl', 'csv', None)
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes.pop()
    return FORMATS.get(suffixes[-1] if suffixes else "")


FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
           ".parquet": "parquet"}  # fmt: skip
