"""Rows waiting for a referenced entity, kept in the graph and retried on every run.

A row whose ``match`` node does not exist yet (a review before its product, a login before
its account) is not an error: it is parked as ``(:PendingRow {id: "<feed>/<key>"})`` with
the write statement's row (only the columns the statement uses, identifiers already hashed:
no raw PII), the missing aliases, its locator and ``first_seen``. Every load or sync of the
feed retries its pending rows first: those whose references now exist are written and
unparked; those older than what the graph holds are dropped (superseded). A newer version
of a parked key replaces it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import neo4j

from graphkit.db import Database
from graphkit.ingest.mapping import Mapping
from graphkit.ingest.writer import Statement, version

if TYPE_CHECKING:
    from graphkit.erasure import Erased


def key(mapping: Mapping, row: dict[str, Any]) -> str:
    """The parked row's id: ``<feed>/<key values>``."""
    return "/".join([mapping.feed, *(str(row[k]) for k in mapping.key)])


def _order(value: Any) -> Any:
    """A watermark as sent (datetimes as ``[seconds, nanos]``) as one comparable number."""
    return value[0] * 1_000_000_000 + value[1] if isinstance(value, list) else value


def park(
    tx: neo4j.ManagedTransaction,
    mapping: Mapping,
    ids: list[str],
    prepared: list[dict[str, Any]],
    missing: list[list[str]],
    locators: list[str],
) -> None:
    """Keep rows that reference missing nodes (a newer version replaces an older one)."""
    rows = [
        {"id": i, "row": json.dumps({k: v for k, v in p.items() if k != "_i"}),
         "order": _order(p.get(version(mapping) or "")) or 0, "missing": m, "locator": where}
        for i, p, m, where in zip(ids, prepared, missing, locators, strict=True)
    ]  # fmt: skip
    tx.run(
        "UNWIND $rows AS row MERGE (p:PendingRow {id: row.id}) "
        "ON CREATE SET p.feed = $feed, p.first_seen = $now "
        "WITH p, row WHERE p.order IS NULL OR p.order <= row.order "
        "SET p.row = row.row, p.order = row.order, p.missing = row.missing, "
        "p.locator = row.locator, p.last_tried = $now",
        rows=rows, feed=mapping.feed, now=datetime.now(UTC),
    ).consume()  # fmt: skip


def _pages(db: Database, feed: str, size: int) -> Iterator[list[dict[str, Any]]]:
    rows = db.read(
        "MATCH (p:PendingRow {feed: $feed}) RETURN p.id AS id, p.row AS row ORDER BY p.order",
        {"feed": feed},
    )
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def retry(
    db: Database, statement: Statement, mapping: Mapping, tag: int, size: int, erased: Erased
) -> tuple[int, int]:
    """Write the feed's pending rows whose references exist now; ``(written, superseded,
    emptied)``: identifier values that would link an erased account are left out (``erased``)."""
    written = superseded = emptied = 0
    with db.session() as session:
        for page in _pages(db, mapping.feed, size):
            loaded, dropped, left_out = session.execute_write(
                _retry_page, statement, mapping, tag, page, erased
            )
            written, superseded = written + loaded, superseded + dropped
            emptied += left_out
    return written, superseded, emptied


def _retry_page(
    tx: neo4j.ManagedTransaction,
    statement: Statement,
    mapping: Mapping,
    tag: int,
    page: list,
    erased: Erased,
) -> tuple[int, int, int]:
    prepared = [{**json.loads(p["row"]), "_i": i} for i, p in enumerate(page)]
    emptied = erased.scrub(mapping, prepared)
    missing, stale = statement.write(tx, prepared, tag, mapping.feed)
    waiting = {i for i, _ in missing}
    done = [p["id"] for i, p in enumerate(page) if i not in waiting]
    tx.run("UNWIND $ids AS id MATCH (p:PendingRow {id: id}) DELETE p", ids=done).consume()
    return len(done) - len(stale), len(stale), emptied


def waiting(db: Database, feed: str) -> tuple[int, datetime | None]:
    """How many rows of ``feed`` wait, and since when the oldest has."""
    rows = db.read(
        "MATCH (p:PendingRow {feed: $feed}) RETURN count(p) AS n, min(p.first_seen) AS oldest",
        {"feed": feed},
    )
    oldest = rows[0]["oldest"]
    return rows[0]["n"], oldest.to_native() if oldest is not None else None
