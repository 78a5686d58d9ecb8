"""get -> transform -> load -> cleanup, per feed, in dependency order.

``load`` reads every row of a feed; ``sync`` reads only rows newer than the feed's stored
watermark. While Neo4j writes one batch, a reader thread already reads and transforms the next.

>>> from graphkit.db import Database                                    # doctest: +SKIP
>>> results = run(Database(), Options(feeds_dir=Path("out/feeds")), Hasher("key"))  # doctest: +SKIP
>>> [(r.feed, r.status) for r in results][:1]                          # doctest: +SKIP
[('brands', 'ok')]
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import neo4j

from graphkit import benign, erasure, schema
from graphkit.db import Database, _translated_errors
from graphkit.errors import ConnectionFailed
from graphkit.identity import Hasher
from graphkit.ingest import checkpoint, lease, pending
from graphkit.ingest.checkpoint import Run
from graphkit.ingest.mapping import MAPPINGS_DIR, Mapping, load_mappings, load_order
from graphkit.ingest.quarantine import DEFAULT_DIR, Quarantine, remember, remembered
from graphkit.ingest.sources import (
    PostgresSource,
    Source,
    SourceError,
    chunks,
    open_source,
    source_files,
)
from graphkit.ingest.transform import Bad, Batch, Transformer
from graphkit.ingest.writer import compile_statement

log = logging.getLogger("graphkit.ingest")
#: progress(feed, rows just done, total rows or None)
Progress = Callable[[str, int, int | None], None]


@dataclass
class Options:
    """Where to read from and how to load. The same mappings serve every environment."""

    origin: str = "files"  # files | postgres
    feeds_dir: Path | None = None
    dsn: str | None = None
    mappings_dir: Path = MAPPINGS_DIR
    quarantine_dir: Path = DEFAULT_DIR
    batch_size: int = 10_000
    max_bad_ratio: float = 0.01
    dry_run: bool = False
    jobs: int = 1
    wait: float = 0.0  # seconds to wait for another loader's lease on a feed


@dataclass
class FeedResult:
    feed: str
    run_id: str
    status: str  # ok | over_budget | dry_run
    read: int = 0
    written: int = 0
    quarantined: int = 0
    skipped: int = 0  # includes superseded
    superseded: int = 0
    known_bad: int = 0  # bad rows quarantined by an earlier run, read again
    seconds: float = 0.0
    resumed: bool = False
    reasons: dict[str, int] = field(default_factory=dict)
    quarantine_file: Path | None = None
    dropped: dict[str, int] = field(default_factory=dict)  # values emptied (drop_value), per column
    erased: int = 0  # identifier values left out: they would link an erased account again
    pending: int = 0  # rows waiting for a referenced entity, after the run
    pending_since: datetime | None = None  # when the oldest of them arrived

    @property
    def bad_ratio(self) -> float:
        """New bad rows per row read and not skipped (known bad rows count on neither side)."""
        return self.quarantined / max(self.read - self.skipped - self.known_bad, 1)


def _fingerprint(options: Options, mapping: Mapping) -> str:
    if options.origin == "postgres":
        return f"postgres:{mapping.source.table or mapping.source.query}"
    assert options.feeds_dir is not None and mapping.source.files
    files = sorted(options.feeds_dir.glob(mapping.source.files))
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def _batches(source: Source, transformer: Transformer, run: Run, size: int) -> Iterator[Batch]:
    position = run.position
    for chunk in chunks(source, run.offset, size):
        batch = transformer.batch(chunk)
        batch.partitions = [source.partition(where) for where in batch.locators]
        if isinstance(source, PostgresSource):
            batch.position = position = source.position(chunk, position)  # type: ignore[arg-type]
        yield batch


def _prefetch(items: Iterator[Batch], depth: int = 2) -> Iterator[Batch]:
    """Produce ``items`` in a thread, ``depth`` ahead of the consumer. When the consumer stops
    early (an error, a crash test), the reader stops too and closes ``items``, so a source's
    connection and transaction end with the run rather than with the process."""
    box: queue.Queue[Any] = queue.Queue(depth)
    done = object()
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    threading.Thread(target=produce, daemon=True, name="graphkit-reader").start()
    try:
        while (item := box.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def write_batch(
    session: neo4j.Session,
    statement: Any,
    mapping: Mapping,
    run: Run,
    batch: Batch,
    hasher: Hasher,
) -> list[Bad]:
    """Write a batch, its checkpoint, its rows waiting for a reference (parked) and its bad
    rows' digests in one managed transaction; return the bad rows not quarantined before."""

    def work(tx: neo4j.ManagedTransaction) -> tuple[list[Bad], Run]:
        prepared = statement.rows(batch.rows, batch.partitions)
        missing, stale = statement.write(tx, prepared, run.tag, mapping.feed)
        refused = {i for i, _ in missing} | set(stale)
        written = [i for i in range(len(prepared)) if i not in refused]
        pending.settle(tx, mapping, [pending.key(mapping, batch.rows[i]) for i in written],
                       [prepared[i] for i in written])  # fmt: skip
        if missing:
            waiting = [i for i, _ in missing]
            pending.park(tx, mapping, [pending.key(mapping, batch.rows[i]) for i in waiting],
                         [prepared[i] for i in waiting], [aliases for _, aliases in missing],
                         [batch.locators[i] for i in waiting])  # fmt: skip
        bad = batch.bad
        fresh = remember(tx, mapping.feed, run.run_id, [remembered(hasher, b) for b in bad])
        new = [b for i, b in enumerate(bad) if i in fresh]
        if run.holder:
            lease.renew(tx, mapping.feed, run.holder)
        after = _advanced(run, batch, mapping, parked=len(missing), stale=len(stale))
        after.rows_known_bad += after.rows_quarantined - run.rows_quarantined - len(new)
        after.rows_quarantined = run.rows_quarantined + len(new)
        checkpoint.save(tx, after)
        return new, after

    new, after = session.execute_write(work)
    vars(run).update(vars(after))
    return new


def _advanced(run: Run, batch: Batch, mapping: Mapping, parked: int = 0, stale: int = 0) -> Run:
    """The run's counters after ``batch`` (a new object: a retried transaction must not
    count twice). ``parked``: rows waiting for a reference; ``stale``: rows older than
    the graph's version (superseded)."""
    marks = [r[mapping.watermark] for r in batch.rows] if mapping.watermark else []
    return replace(
        run,
        offset=run.offset + batch.read,
        position=batch.position,
        rows_read=run.rows_read + batch.read,
        rows_skipped=run.rows_skipped + batch.skipped + stale,
        rows_superseded=run.rows_superseded + batch.superseded + stale,
        rows_written=run.rows_written + len(batch.rows) - parked - stale,
        rows_quarantined=run.rows_quarantined + len(batch.bad),
        max_watermark=max(filter(None, [run.max_watermark, *marks]), default=None),
    )


def run_feed(
    db: Database | None,
    mapping: Mapping,
    hasher: Hasher,
    options: Options,
    *,
    incremental: bool,
    progress: Progress | None = None,
) -> FeedResult:
    """Load one feed (all rows, or only rows past its watermark) and return its result.
    Holds the feed's lease (:mod:`lease`) while it writes."""
    uri, user = (db.uri, db.user) if db else ("-", "-")
    with (
        lease.held(None if options.dry_run else db, mapping.feed, options.wait) as holder,
        _translated_errors(uri, user),  # Neo4j gone mid-run: a message, not a traceback
    ):
        started = time.monotonic()
        if options.dry_run or db is None:
            since = checkpoint.watermark(db, mapping.feed) if (incremental and db) else None
            run = Run(f"{mapping.feed}-dry-run", mapping.feed, 0, "dry_run", "", since)
        else:
            since = checkpoint.watermark(db, mapping.feed) if incremental else None
            fingerprint = _fingerprint(options, mapping)
            run = checkpoint.begin(db, mapping.feed, "sync" if incremental else "load",
                                   fingerprint, since)  # fmt: skip
            run.holder = holder
        source = open_source(
            mapping,
            origin=options.origin,
            feeds_dir=options.feeds_dir,
            dsn=options.dsn,
            since=run.since,
            batch_size=options.batch_size,
            after=run.position,
        )
        erased = erasure.Erased.read(db)
        transformer = Transformer(mapping, hasher, since=run.since, mtimes=source.mtimes,
                                  erased=erased)  # fmt: skip
        quarantine = Quarantine(options.quarantine_dir, mapping.feed, run.run_id)
        statement = compile_statement(mapping)
        emptied = 0  # identifier values of erased accounts left out
        if session_db := (db if not options.dry_run else None):
            retried = pending.retry(session_db, statement, mapping, run.tag, options.batch_size,
                                    erased)  # fmt: skip
            written, superseded, emptied = retried
            run.rows_written, run.rows_superseded = (run.rows_written + written,
                                                     run.rows_superseded + superseded)  # fmt: skip
        if progress:
            progress(mapping.feed, run.offset, source.total)
        batches = _prefetch(_batches(source, transformer, run, options.batch_size))
        dropped: Counter[str] = Counter()
        if run.resumed:
            log.info("feed %s: resuming run %s at record %d", mapping.feed, run.run_id, run.offset,
                     extra={"feed": mapping.feed, "run_id": run.run_id})  # fmt: skip
        session = db.session() if db and not options.dry_run else None
        try:
            for batch in batches:
                if session:
                    new = write_batch(session, statement, mapping, run, batch, hasher)
                else:
                    vars(run).update(vars(_advanced(run, batch, mapping)))
                    new = batch.bad
                quarantine.write(new)
                dropped.update(batch.dropped)
                emptied += batch.erased
                if progress:
                    progress(mapping.feed, batch.read, source.total)
        finally:
            if session:
                session.close()
        result = FeedResult(
            mapping.feed, run.run_id, "ok", run.rows_read, run.rows_written, run.rows_quarantined,
            run.rows_skipped, run.rows_superseded, run.rows_known_bad, time.monotonic() - started,
            run.resumed, dict(quarantine.reasons),
            quarantine.path if quarantine.reasons else None, dict(dropped), erased=emptied,
        )  # fmt: skip
        if result.bad_ratio > options.max_bad_ratio:
            result.status = "over_budget"
        if session_db:
            result.pending, result.pending_since = pending.waiting(session_db, mapping.feed)
        if options.dry_run or db is None:
            result.status = "dry_run" if result.status == "ok" else result.status
            return result
        if not incremental and mapping.mode == "snapshot" and result.status == "ok":
            retired = checkpoint.cleanup(db, mapping, run, source.partitions)
            if retired:
                log.info("feed %s: retired %d stale relationships (kept as history)",
                         mapping.feed, retired)  # fmt: skip
        checkpoint.finish(db, run, result.status)
        rate = result.written / max(result.seconds, 1e-9)
        log.info(
            "feed %s: %d read, %d written, %d quarantined, %d values dropped, "
            "%d values of erased accounts left out (%.0f rows/s)",
            mapping.feed, result.read, result.written, result.quarantined,
            sum(result.dropped.values()), result.erased, rate,
            extra={"feed": mapping.feed, "run_id": run.run_id, "rows": result.written,
                   "rate": round(rate), "status": result.status, "dropped": result.dropped,
                   "erased": result.erased},
        )  # fmt: skip
        return result


def select_feeds(
    mappings: dict[str, Mapping], options: Options, feeds: list[str] | None
) -> tuple[list[str], list[str]]:
    """``(feeds to load, feeds skipped)``. Named feeds are all loaded (a missing source is an
    error then); by default every mapped feed whose source exists: for files, whose
    ``source.files`` matches a file in the feeds directory; for PostgreSQL, with a table or
    query."""
    if feeds:
        return feeds, []
    if options.origin == "postgres":
        has = {f for f, m in mappings.items() if m.source.table or m.source.query}
    else:
        if options.feeds_dir is None or not options.feeds_dir.is_dir():
            raise SourceError(f"feeds directory {options.feeds_dir} does not exist",
                              hint="pass --feeds-dir or set GRAPHKIT_FEEDS_DIR")  # fmt: skip
        has = {f for f, m in mappings.items()
               if m.source.files and source_files(m, options.feeds_dir)}  # fmt: skip
    if not has:
        where = options.feeds_dir if options.origin == "files" else "PostgreSQL"
        raise SourceError(
            f"no feed of {options.mappings_dir} has a source in {where}",
            hint="check --feeds-dir and the mappings' source.files (globs), or pass --mappings",
        )
    return sorted(has), sorted(set(mappings) - has)


@contextmanager
def _resumable(stage: str) -> Iterator[None]:
    """Neo4j died (or went out of reach) during ``stage``: say where, and how to go on."""
    try:
        yield
    except ConnectionFailed as exc:
        raise ConnectionFailed(
            f"{stage} stopped: {exc.message}",
            hint=f"{exc.hint}; then run the same command again: each feed resumes from its last "
            "checkpoint (committed with its batch: nothing is lost or doubled)",
        ) from None


def run(
    db: Database | None,
    options: Options,
    hasher: Hasher,
    *,
    feeds: list[str] | None = None,
    incremental: bool = False,
    progress: Progress | None = None,
) -> list[FeedResult]:
    """Load ``feeds`` (default: every feed whose source exists) in dependency order;
    independent feeds may run in parallel (``options.jobs``). Feeds left out for want of a
    source come back with status ``skipped``. The schema (cypher/schema/, idempotent) is
    applied first."""
    mappings = load_mappings(options.mappings_dir)
    if db is not None and not options.dry_run:
        with _resumable("loading"):
            schema.apply(db)  # without the key constraints every MERGE scans its label
            checkpoint.check_key(db, hasher)
    feeds, missing = select_feeds(mappings, options, feeds)
    results = [FeedResult(feed, "", "skipped") for feed in missing]
    for level in load_order(mappings, feeds):

        def one(feed: str) -> FeedResult:
            with _resumable(f"feed {feed}"):
                return run_feed(db, mappings[feed], hasher, options, incremental=incremental,
                                progress=progress)  # fmt: skip

        if options.jobs > 1 and len(level) > 1:
            with ThreadPoolExecutor(min(options.jobs, len(level))) as pool:
                results += list(pool.map(one, level))
        else:
            results += [one(feed) for feed in level]
    if db is not None and not options.dry_run:
        with _resumable("marking benign identifiers, after every feed had loaded,"):
            benign.reapply(db)  # identifiers created by this run are marked too
    return results
