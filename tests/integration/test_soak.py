"""Issue 14, the soak: syncs of a changing source survive SIGKILLs of the loader and of Neo4j,
losing and doubling nothing (live Neo4j; `graphkit sync` runs as a child process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import feedgen
import pytest

from bench.common import table
from bench.soak_bench import soak, wait_until
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.synth import generate

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_neo4j_killed_mid_sync_fails_clearly_and_the_rerun_equals_a_clean_load(
    db, neo4j_server, tmp_path
):
    src = feedgen.write(feedgen.rows(n_reviews=1_500, n_events=600), tmp_path / "feeds")
    sync = [sys.executable, "-m", "graphkit", "sync", "--feeds-dir", str(src),
            "--quarantine-dir", str(tmp_path / "q"), "--demo-key"]  # fmt: skip
    loader = subprocess.Popen([*sync, "--batch-size", "20"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)  # fmt: skip
    # well inside the largest feed (1,500 reviews in batches of 20): a small feed's run may be
    # at its last checkpoint already, and then nothing is left to resume
    mid_way = (
        "MATCH (r:SyncRun {status: 'running', feed: 'reviews'}) "
        "WHERE 0 < r.offset < 1000 RETURN r.feed AS feed"
    )
    wait_until(lambda: loader.poll() is not None or db.read(mid_way), "a checkpoint")
    assert loader.poll() is None, "the sync ended before a checkpoint was seen"
    os.kill(neo4j_server.status().pid, signal.SIGKILL)
    wait_until(lambda: not neo4j_server.is_running(), "Neo4j to die")
    output, _ = loader.communicate(timeout=300)  # the driver retries for 30 s, then gives up
    try:
        assert loader.returncode == 2, output
        assert "Traceback" not in output
        assert "error: feed " in output and "cannot reach Neo4j" in output
        assert "graphkit neo4j start" in output and "resumes" in output
    finally:
        neo4j_server.start(echo=lambda *_: None)
    again = subprocess.run(sync, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "resuming run" in again.stdout + again.stderr
    synced = checksum(db), counts(db)
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    run(db, Options(feeds_dir=src, quarantine_dir=tmp_path / "clean-q"), Hasher(DEMO_KEY))
    assert (checksum(db), counts(db)) == synced


def test_twenty_syncs_of_a_changing_source_with_kills_equal_a_clean_load(
    db, neo4j_server, tmp_path
):
    market = tmp_path / "market"
    generate(market, scale="tiny", seed=11)
    result = soak(market / "feeds", tmp_path / "soak", db, neo4j_server, steps=20,
                  loader_kills=3, neo4j_kills=2, seed=11, batch_size=50)  # fmt: skip
    print(table(result.rows("tiny")))
    assert (result.kills("loader"), result.kills("neo4j")) == (3, 2)
    changes = result.changes
    assert changes.updated and changes.deleted and changes.duplicated and changes.reordered
    peak = max(s.pending for s in result.syncs)
    assert peak > len(result.pending_clean)  # late references waited, then loaded
    assert result.synced[1] == result.clean[1]  # counts
    assert result.synced[0] == result.clean[0]  # content checksum (current state)
    assert result.pending_synced == result.pending_clean
    assert result.first_seen_later == 0


@pytest.mark.postgres
def test_syncs_of_a_changing_postgresql_source_with_kills_equal_a_clean_load(
    db, neo4j_server, pg_dsn, tmp_path
):
    import psycopg

    market = tmp_path / "market"
    generate(market, scale="tiny", seed=12)
    try:
        result = soak(market / "feeds", tmp_path / "soak", db, neo4j_server, steps=10,
                      loader_kills=2, neo4j_kills=1, seed=12, batch_size=10,
                      dsn=pg_dsn)  # fmt: skip
    finally:  # later tests create their own marketplace tables
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS marketplace CASCADE")
    print(table(result.rows("tiny, PostgreSQL")))
    assert (result.kills("loader"), result.kills("neo4j")) == (2, 1)
    assert max(s.pending for s in result.syncs) > len(result.pending_clean)
    assert result.synced == result.clean  # counts and content checksum (current state)
    assert result.pending_synced == result.pending_clean
    assert result.first_seen_later == 0
