"""Sync runs, checkpoints and watermarks, kept in Neo4j next to the data they describe.

A run is a ``(:SyncRun {run_id})`` node. Each batch's checkpoint (``offset`` = source records
consumed, for PostgreSQL ``position`` = the last record's watermark and key, counters, highest
watermark) is written **in the same transaction as the batch**,
so a crash can never apply a batch without its checkpoint or the other way round. A run left
``running`` is resumed by the next load of that feed with the same source: same update tag,
same lower watermark, records before ``offset`` (PostgreSQL: up to ``position``) skipped.

``(:Watermark {feed})`` holds the highest watermark loaded; ``graphkit sync`` reads only newer
rows. Cleanup (Cartography style) retires relationships and entities of a snapshot feed that
a full load did not touch (``lastupdated < update tag``) among those that came from the
partitions it read: they keep their history (``valid_to``, ``deleted_at``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString, cast

import neo4j

from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.graphmodel import DELETED_AT, PARTITION, VALID_TO
from graphkit.identity import Hasher
from graphkit.ingest.mapping import Mapping
from graphkit.ingest.writer import entity


class KeyMismatch(GraphkitError):
    """The run's hash key is not the one the graph was loaded with."""


@dataclass
class Run:
    run_id: str
    feed: str
    tag: int
    mode: str  # load | sync
    fingerprint: str
    since: datetime | None = None
    offset: int = 0
    position: str | None = None  # PostgreSQL: JSON (watermark, key) of the last record loaded
    rows_read: int = 0
    rows_written: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    rows_superseded: int = 0
    rows_known_bad: int = 0
    max_watermark: datetime | None = None
    resumed: bool = False
    holder: str = ""  # the feed lease's holder, renewed with every batch ("" = no lease)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def watermark(db: Database, feed: str) -> datetime | None:
    rows = db.read("MATCH (w:Watermark {feed: $feed}) RETURN w.value AS v", {"feed": feed})
    return _native(rows[0]["v"]) if rows else None


def check_key(db: Database, hasher: Hasher) -> None:
    """Record the hash key's fingerprint in the graph on first use; refuse another key (its
    hashes would never meet the stored ones: every link would silently break)."""
    rows = db.write(
        "MERGE (k:HashKey {name: 'current'}) ON CREATE SET k.fingerprint = $fp, k.since = $now "
        "RETURN k.fingerprint AS fp, k.switching_to AS switching_to",
        {"fp": hasher.fingerprint, "now": datetime.now(UTC)},
    )
    if rows[0]["switching_to"]:
        raise KeyMismatch(
            f"a hash key rotation ({rows[0]['fp']} -> {rows[0]['switching_to']}) is half "
            "done: no load can run until it finishes",
            hint="run `graphkit rekey` again with the same old and new keys to finish it",
        )
    if rows[0]["fp"] != hasher.fingerprint:
        raise KeyMismatch(
            f"the graph's identifiers were hashed with another hash key (fingerprint "
            f"{rows[0]['fp']}; this run's key: {hasher.fingerprint})",
            hint="use the key the graph was loaded with (--demo-key for demo data, or "
            "GRAPHKIT_HASH_KEY); to rotate the key deliberately, run `graphkit rekey` "
            "(docs/loaders.md, Rotating the hash key)",
        )


def begin(db: Database, feed: str, mode: str, fingerprint: str, since: datetime | None) -> Run:
    """Resume the feed's interrupted run over the same source, or start a new one."""
    rows = db.read(
        "MATCH (r:SyncRun {feed: $feed, status: 'running'}) "
        "RETURN r ORDER BY r.started_at DESC LIMIT 1",
        {"feed": feed},
    )
    if rows:
        old = {k: _native(v) for k, v in rows[0]["r"].items()}
        if old.get("mode") == mode and old.get("fingerprint") == fingerprint:
            fields = {k: old[k] for k in Run.__dataclass_fields__ if k in old}
            return Run(**fields, tag=old["update_tag"], resumed=True)
        db.write(
            "MATCH (r:SyncRun {run_id: $id}) SET r.status = 'abandoned', r.ended_at = $now",
            {"id": old["run_id"], "now": datetime.now(UTC)},
        )
    tag = time.time_ns() // 1_000_000
    run = Run(f"{feed}-{tag}", feed, tag, mode, fingerprint, since)
    db.write(
        "CREATE (r:SyncRun {run_id: $id, feed: $feed, update_tag: $tag, mode: $mode, "
        "fingerprint: $fp, since: $since, started_at: $now, status: 'running', offset: 0, "
        "rows_read: 0, rows_written: 0, rows_quarantined: 0, rows_skipped: 0, "
        "rows_superseded: 0, rows_known_bad: 0})",
        {"id": run.run_id, "feed": feed, "tag": tag, "mode": mode, "fp": fingerprint,
         "since": since, "now": datetime.now(UTC)},
    )  # fmt: skip
    return run


def save(tx: neo4j.ManagedTransaction, run: Run) -> None:
    """Write the run's checkpoint inside the batch's own transaction."""
    tx.run(
        "MATCH (r:SyncRun {run_id: $id}) SET r.offset = $offset, r.position = $position, "
        "r.rows_read = $read, r.rows_written = $written, r.rows_quarantined = $bad, "
        "r.rows_skipped = $skipped, r.rows_superseded = $superseded, "
        "r.rows_known_bad = $known, r.max_watermark = $wm",
        id=run.run_id, offset=run.offset, position=run.position, read=run.rows_read,
        written=run.rows_written, bad=run.rows_quarantined, skipped=run.rows_skipped,
        superseded=run.rows_superseded,
        known=run.rows_known_bad, wm=run.max_watermark,
    ).consume()  # fmt: skip


def finish(db: Database, run: Run, status: str) -> None:
    """Close the run and move the feed's watermark forward (never back)."""
    db.write(
        "MATCH (r:SyncRun {run_id: $id}) SET r.status = $status, r.ended_at = $now "
        "WITH r WHERE $wm IS NOT NULL "
        "MERGE (w:Watermark {feed: $feed}) "
        "SET w.value = CASE WHEN w.value >= $wm THEN w.value ELSE $wm END, w.update_tag = $tag",
        {"id": run.run_id, "status": status, "now": datetime.now(UTC), "wm": run.max_watermark,
         "feed": run.feed, "tag": run.tag},
    )  # fmt: skip


def cleanup(db: Database, mapping: Mapping, run: Run, partitions: list[str]) -> int:
    """Retire what this full load did not touch among what came from the ``partitions`` it
    read (files, a table; what other partitions wrote stays): the feed's current
    relationships get ``valid_to``, its entities ``deleted_at`` (the run's start); nothing is
    deleted. Return how many relationships retired."""
    params = {"feed": mapping.feed, "tag": run.tag, "parts": partitions}
    seen = f"n.source = $feed AND n.{PARTITION} IN $parts AND n.lastupdated < $tag"
    retired = 0
    for rel_type in dict.fromkeys(r.type for r in mapping.relationships):
        # Labels and types come from the validated mapping (plain identifiers), never data.
        cypher = (
            f"MATCH ()-[n:`{rel_type}`]->() WHERE {seen} AND n.{VALID_TO} IS NULL "
            f"SET n.{VALID_TO} = datetime({{epochMillis: $tag}}) RETURN count(*) AS n"
        )
        retired += db.write(cast(LiteralString, cypher), params)[0]["n"]
    if (found := entity(mapping)) and found[0] == "node":
        label = mapping.nodes[str(found[1])].label
        cypher = (
            f"MATCH (n:`{label}`) WHERE {seen} AND n.{DELETED_AT} IS NULL "
            f"SET n.{DELETED_AT} = datetime({{epochMillis: $tag}})"
        )
        db.write(cast(LiteralString, cypher), params)
    return retired
