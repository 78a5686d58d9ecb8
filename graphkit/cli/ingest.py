"""`graphkit load` (full load, or `--bulk` backfill) and `graphkit sync` (incremental)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from graphkit.cli.app import (
    app,
    console,
    dsn_without_password,
    feed_progress,
    friendly_errors,
    out,
)
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.identity import Hasher
from graphkit.ingest import FeedResult, Options, run
from graphkit.ingest.mapping import MAPPINGS_DIR


class Origin(StrEnum):
    files = "files"
    postgres = "postgres"


FEEDS = typer.Argument(None, help="Feeds to load (default: all), e.g. `sellers reviews`.")
ORIGIN = typer.Option(Origin.files, "--from", help="Read feed files or PostgreSQL tables.")
FEEDS_DIR = typer.Option(
    None, "--feeds-dir", envvar="GRAPHKIT_FEEDS_DIR", help="Directory of the feed files."
)
DSN = typer.Option(
    None,
    "--dsn",
    envvar="GRAPHKIT_PG_DSN",
    help="PostgreSQL DSN (never logged); with a password, set GRAPHKIT_PG_DSN instead.",
    callback=dsn_without_password,
    show_default=False,
)
MAPPINGS = typer.Option(
    MAPPINGS_DIR, "--mappings",
    help="Directory of `FEED.yaml` mappings (default: graphkit's own `loaders/`).",
)  # fmt: skip
QUARANTINE = typer.Option(
    Path("quarantine"), "--quarantine-dir", envvar="GRAPHKIT_QUARANTINE_DIR",
    help="Where bad rows go: `DIR/FEED/RUN.jsonl`.",
)  # fmt: skip
BATCH = typer.Option(10_000, "--batch-size", min=1, help="Rows per write transaction.")
BAD_RATIO = typer.Option(
    0.01, "--max-bad-ratio", min=0.0, max=1.0, help="Error budget: exit 1 beyond this share."
)
DRY_RUN = typer.Option(False, "--dry-run", help="Validate and quarantine; write nothing to Neo4j.")
DEMO_KEY = typer.Option(False, "--demo-key", help="Hash with the public demo key (demo data only).")
WAIT = typer.Option(
    0.0, "--wait", min=0.0,
    help="Seconds to wait when another loader holds a feed's lease (default: stop at once).",
)  # fmt: skip
JOBS = typer.Option(
    1, "--jobs", min=1,
    help="Load up to N independent feeds in parallel (--bulk: transform in N processes).",
)  # fmt: skip


def _options(**kwargs: object) -> Options:
    return Options(**{k: v for k, v in kwargs.items() if v is not None})  # type: ignore[arg-type]


def _pending(result: FeedResult) -> str:
    """``3 (2h 5m)``: rows waiting for a referenced entity, and the oldest one's age."""
    if not result.pending or result.pending_since is None:
        return "0"
    minutes = int((datetime.now(UTC) - result.pending_since).total_seconds() // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    age = f"{days}d {hours}h" if days else f"{hours}h {mins}m" if hours else f"{mins}m"
    return f"{result.pending:,} ({age})"


def _summary(results: list[FeedResult], max_bad_ratio: float) -> int:
    table = Table("feed", "status", "read", "written", "superseded", "quarantined", "known bad",
                  "bad %", "pending (oldest)", "rows/s", "top reason (field: reason)",
                  "values dropped", "erased")  # fmt: skip
    for r in results:
        top = max(r.reasons, key=r.reasons.__getitem__) if r.reasons else ""
        rate = f"{r.written / r.seconds:,.0f}" if r.seconds else "-"
        style = "red" if r.status == "over_budget" else "dim" if r.status == "skipped" else None
        dropped = ", ".join(f"{column} {n:,}" for column, n in sorted(r.dropped.items()))
        table.add_row(r.feed, r.status, f"{r.read:,}", f"{r.written:,}", f"{r.superseded:,}",
                      f"{r.quarantined:,}", f"{r.known_bad:,}", f"{100 * r.bad_ratio:.2f}",
                      _pending(r), rate, top, dropped, f"{r.erased:,}", style=style)  # fmt: skip
    out.print(table)
    for r in results:
        if r.quarantine_file:
            out.print(f"quarantined {r.feed}: {r.quarantine_file}", highlight=False)
    if skipped := [r.feed for r in results if r.status == "skipped"]:
        out.print(f"skipped (no source found): {', '.join(skipped)}", highlight=False)
    over = [r.feed for r in results if r.status == "over_budget"]
    if over:
        console.print(
            f"[bold red]error budget exceeded[/] (> {100 * max_bad_ratio:g}% new bad rows): "
            f"{', '.join(over)}; fix the source or the mapping, then `graphkit sync` again"
        )
        return 1
    return 0


def _execute(feeds: list[str] | None, options: Options, demo_key: bool, incremental: bool) -> None:
    hasher = Hasher.from_settings(load_settings(), demo=demo_key)
    needs_db = not options.dry_run or incremental
    db = Database() if needs_db else None
    try:
        if db:
            db.verify()
        with feed_progress() as progress:
            results = run(db, options, hasher, feeds=feeds, incremental=incremental,
                          progress=progress)  # fmt: skip
    finally:
        if db:
            db.close()
    raise typer.Exit(_summary(results, options.max_bad_ratio))


@app.command()
@friendly_errors
def load(
    feeds: list[str] | None = FEEDS,
    origin: Origin = ORIGIN,
    feeds_dir: Path | None = FEEDS_DIR,
    dsn: str | None = DSN,
    mappings: Path = MAPPINGS,
    quarantine_dir: Path = QUARANTINE,
    batch_size: int = BATCH,
    max_bad_ratio: float = BAD_RATIO,
    dry_run: bool = DRY_RUN,
    demo_key: bool = DEMO_KEY,
    jobs: int = JOBS,
    wait: float = WAIT,
    bulk: bool = typer.Option(
        False, "--bulk", help="Empty database only: backfill with neo4j-admin import."
    ),
) -> None:
    """Load every row of the feeds (in dependency order), quarantining bad rows.

    Examples: `graphkit load --feeds-dir out/feeds --demo-key`,
    `graphkit load reviews --from postgres --dsn postgresql://...`,
    `graphkit load --bulk --feeds-dir out/feeds` (empty database, fastest)
    """
    options = _options(origin=origin.value, feeds_dir=feeds_dir, dsn=dsn, mappings_dir=mappings,
                       quarantine_dir=quarantine_dir, batch_size=batch_size,
                       max_bad_ratio=max_bad_ratio, dry_run=dry_run, jobs=jobs,
                       wait=wait)  # fmt: skip
    if bulk:
        from graphkit.ingest.bulk import bulk_load

        hasher = Hasher.from_settings(load_settings(), demo=demo_key)
        with feed_progress() as progress:
            results = bulk_load(options, hasher, feeds=feeds, echo=out.print, progress=progress)
        raise typer.Exit(_summary(results, options.max_bad_ratio))
    _execute(feeds, options, demo_key, incremental=False)


@app.command()
@friendly_errors
def sync(
    feeds: list[str] | None = FEEDS,
    origin: Origin = ORIGIN,
    feeds_dir: Path | None = FEEDS_DIR,
    dsn: str | None = DSN,
    mappings: Path = MAPPINGS,
    quarantine_dir: Path = QUARANTINE,
    batch_size: int = BATCH,
    max_bad_ratio: float = BAD_RATIO,
    dry_run: bool = DRY_RUN,
    demo_key: bool = DEMO_KEY,
    jobs: int = JOBS,
    wait: float = WAIT,
) -> None:
    """Load only rows newer than each feed's stored watermark; record a SyncRun per feed.

    Examples: `graphkit sync --from postgres --dsn $DSN`, `graphkit --log-json sync reviews`
    """
    options = _options(origin=origin.value, feeds_dir=feeds_dir, dsn=dsn, mappings_dir=mappings,
                       quarantine_dir=quarantine_dir, batch_size=batch_size,
                       max_bad_ratio=max_bad_ratio, dry_run=dry_run, jobs=jobs,
                       wait=wait)  # fmt: skip
    _execute(feeds, options, demo_key, incremental=True)
