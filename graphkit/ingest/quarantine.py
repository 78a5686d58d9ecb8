"""Bad rows go to ``<quarantine dir>/<feed>/<run_id>.jsonl``, one JSON object per row.

Each line holds ``feed``, ``run_id``, ``locator`` (``file:line`` or the primary key),
``field``, ``reason`` and ``raw`` (the record as read). The raw record may hold PII, so the
files are readable by their owner only; logs carry counts and reasons, never raw values.

Each bad row is also remembered in the graph as ``(:QuarantinedRow {digest})``: a keyed
hash of its content (no raw value), with feed, field, reason, locator and ``first_seen``.
A row read again (a bad watermark is read on every sync; a full reload) is then *known*: it
is counted apart and not written again, so the error budget counts only new bad rows.

>>> import tempfile, json
>>> q = Quarantine(Path(tempfile.mkdtemp()), "reviews", "reviews-1")
>>> q.write([Bad("reviews.csv:3", "rating", "9 is above the maximum 5", {"rating": "9"})])
>>> json.loads(q.path.read_text())["reason"]
'9 is above the maximum 5'
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j

from graphkit.identity import Hasher
from graphkit.ingest.transform import Bad

DEFAULT_DIR = Path("quarantine")


class Quarantine:
    """Appends bad rows of one feed's run; counts reasons (``field: reason``) for the summary."""

    def __init__(self, base: Path, feed: str, run_id: str):
        self.path = base / feed / f"{run_id}.jsonl"
        self.feed, self.run_id = feed, run_id
        self.reasons: Counter[str] = Counter()

    def write(self, bad: list[Bad]) -> None:
        if not bad:
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            for b in bad:
                entry = {"feed": self.feed, "run_id": self.run_id, "locator": b.locator,
                         "field": b.field, "reason": b.reason, "raw": b.raw}  # fmt: skip
                f.write(json.dumps(entry, default=str) + "\n")
        self.count(bad)

    def count(self, bad: list[Bad]) -> None:
        """Count bad rows' reasons for the summary (:meth:`write` does it as it writes)."""
        for b in bad:
            kind = _reason_kind(b.reason)
            self.reasons[f"{b.field}: {kind}" if b.field else kind] += 1


def remembered(hasher: Hasher, bad: Bad) -> dict[str, Any]:
    """What the graph keeps of a bad row: a keyed hash of its content and reason (the same
    row read again gives the same digest), field, reason and locator; no raw value."""
    digest = hasher.hash("quarantined-row", json.dumps([bad.raw, bad.reason], default=str))
    return {"digest": digest, "field": bad.field, "reason": bad.reason, "locator": bad.locator}


def remember(
    tx: neo4j.ManagedTransaction, feed: str, run_id: str, entries: list[dict[str, Any]]
) -> set[int]:
    """Record bad rows (:func:`remembered`) in the graph; return the indexes of the new ones."""
    if not entries:
        return set()
    rows = [{**entry, "i": i} for i, entry in enumerate(entries)]
    result = tx.run(
        "UNWIND $rows AS row MERGE (q:QuarantinedRow {digest: row.digest}) "
        "ON CREATE SET q.feed = $feed, q.field = row.field, q.reason = row.reason, "
        "q.locator = row.locator, q.run_id = $run, q.first_seen = $now, q.new = true "
        "WITH row, q, coalesce(q.new, false) AS new REMOVE q.new "
        "RETURN row.i AS i, new",
        rows=rows, feed=feed, run=run_id, now=datetime.now(UTC),
    )  # fmt: skip
    return {r["i"] for r in result if r["new"]}


def _reason_kind(reason: str) -> str:
    """Group reasons for the summary: ``9 is above the maximum 5`` -> ``above the maximum``."""
    for kind in ("above the maximum", "below the minimum", "oversized value", "truncated",
                 "unknown kind", "bad datetime"):  # fmt: skip
        if kind in reason:
            return kind
    return reason.split(":")[0]
