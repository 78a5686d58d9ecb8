"""`graphkit synth --to-postgres` writes the feeds into schema `marketplace` (live PostgreSQL)."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from graphkit.errors import GraphkitError
from graphkit.synth import generate
from graphkit.synth.feeds import FEEDS

pytestmark = pytest.mark.postgres


def test_tables_match_the_feeds(pg_dsn, tmp_path):
    summary = generate(tmp_path, scale="small", seed=3, to_postgres=pg_dsn)
    with psycopg.connect(pg_dsn) as conn:
        for name, feed in FEEDS.items():
            table = sql.Identifier("marketplace", name)
            count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()[0]
            assert count == summary.rows[name], name
            columns = conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'marketplace' AND table_name = %s ORDER BY ordinal_position",
                (name,),
            ).fetchall()
            assert [c for c, _ in columns] == [c for c, _ in feed.columns]
            assert dict(columns)["updated_at"] == "timestamp with time zone"
        closed = conn.execute(
            "SELECT count(*) FROM marketplace.sellers "
            "WHERE status = 'closed' AND closed_at IS NOT NULL"
        ).fetchone()[0]
        ratings = conn.execute(
            "SELECT min(rating), max(rating) FROM marketplace.reviews"
        ).fetchone()
    assert closed > 0
    assert ratings[0] < 1 or ratings[1] > 5  # dirty rows travel too, for the loaders to quarantine


def test_unreachable_postgres_is_a_clear_error(tmp_path):
    with pytest.raises(GraphkitError, match="PostgreSQL") as info:
        generate(tmp_path, scale="tiny", to_postgres="postgresql://nobody@127.0.0.1:1/none")
    assert "DSN" in info.value.hint
