"""Replay quarantined rows through the current mappings (after a mapping or source fix).

``replay`` reads the feed's quarantine files (``<dir>/<feed>/*.jsonl``), forgets their
digests (``QuarantinedRow``), and runs their raw rows through the transform and the write
statement as one ``replay`` SyncRun: rows that pass now are written (newest wins still
holds), rows that still fail go to a new quarantine file with their current reason, and the
old files are removed. Rows that now wait for a reference become pending rows. Identifier
values of erased accounts are left out (:mod:`graphkit.erasure`), as in every load.

>>> from graphkit.db import Database                                          # doctest: +SKIP
>>> replay(Database(), Options(mappings_dir=Path("fixed")), Hasher("key"))    # doctest: +SKIP
[FeedResult(feed='sellers', ..., written=1, quarantined=0, ...)]
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from graphkit import erasure
from graphkit.db import Database
from graphkit.identity import Hasher
from graphkit.ingest import checkpoint
from graphkit.ingest.mapping import load_mappings, load_order
from graphkit.ingest.quarantine import Quarantine, remembered
from graphkit.ingest.sources import Problem, Record
from graphkit.ingest.sync import FeedResult, Options, write_batch
from graphkit.ingest.transform import Bad, Transformer
from graphkit.ingest.writer import compile_statement


def _entries(files: list[Path]) -> list[dict[str, Any]]:
    return [json.loads(line) for path in files for line in path.read_text().splitlines() if line]


def _record(entry: dict[str, Any]) -> Record:
    raw = entry["raw"]
    return entry["locator"], raw if isinstance(raw, dict) else Problem(entry["reason"], raw)


def replay(
    db: Database, options: Options, hasher: Hasher, *, feeds: list[str] | None = None
) -> list[FeedResult]:
    """Replay the quarantined rows of ``feeds`` (default: all), in dependency order."""
    mappings = load_mappings(options.mappings_dir)
    checkpoint.check_key(db, hasher)
    erased = erasure.Erased.read(db)
    results = []
    for feed in [f for level in load_order(mappings, feeds) for f in level]:
        files = sorted((options.quarantine_dir / feed).glob("*.jsonl"))
        entries = _entries(files)
        if not entries:
            continue
        started, mapping = time.monotonic(), mappings[feed]
        old = [remembered(hasher, Bad(e["locator"], e["field"], e["reason"], e["raw"]))
               for e in entries]  # fmt: skip
        db.write(
            "UNWIND $digests AS d MATCH (q:QuarantinedRow {digest: d}) DELETE q",
            {"digests": [o["digest"] for o in old]},
        )
        run = checkpoint.begin(db, feed, "replay", f"replay:{time.time_ns()}", None)
        quarantine = Quarantine(options.quarantine_dir, feed, run.run_id)
        transformer = Transformer(mapping, hasher, erased=erased)
        statement, records, emptied = compile_statement(mapping), [_record(e) for e in entries], 0
        with db.session() as session:
            for start in range(0, len(records), options.batch_size):
                batch = transformer.batch(records[start : start + options.batch_size])
                quarantine.write(write_batch(session, statement, mapping, run, batch, hasher))
                emptied += batch.erased
        for path in files:
            if path != quarantine.path:
                path.unlink()
        checkpoint.finish(db, run, "ok")
        results.append(FeedResult(
            feed, run.run_id, "ok", run.rows_read, run.rows_written, run.rows_quarantined,
            run.rows_skipped, run.rows_superseded, run.rows_known_bad,
            time.monotonic() - started, reasons=dict(quarantine.reasons),
            quarantine_file=quarantine.path if quarantine.reasons else None, erased=emptied,
        ))  # fmt: skip
    return results


def listing(db: Database) -> list[dict[str, Any]]:
    """Quarantined rows per feed and reason, and rows waiting for a reference, with ages."""
    return db.read(
        "MATCH (q:QuarantinedRow) RETURN q.feed AS feed, 'quarantined' AS state, "
        "q.reason AS reason, count(*) AS rows, min(q.first_seen) AS since "
        "UNION ALL MATCH (p:PendingRow) UNWIND p.missing AS missing "
        "RETURN p.feed AS feed, 'pending' AS state, 'waiting for ' + missing AS reason, "
        "count(DISTINCT p) AS rows, min(p.first_seen) AS since"
    )
