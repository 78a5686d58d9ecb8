"""`graphkit quarantine list | replay`: what the loaders set aside, and loading it after a fix."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from graphkit.cli.app import friendly_errors, group, out
from graphkit.cli.ingest import BATCH, DEMO_KEY, FEEDS, MAPPINGS, QUARANTINE, _summary
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.identity import Hasher
from graphkit.ingest.replay import listing, replay
from graphkit.ingest.sync import Options

quarantine_app = group(
    "quarantine",
    "Rows the loaders set aside: bad rows (quarantined) and rows waiting for a referenced "
    "entity (pending).\n\nExamples: `graphkit quarantine list`, "
    "`graphkit quarantine replay sellers --demo-key` (after fixing the mapping or source)",
)


@quarantine_app.command("list")
@friendly_errors
def list_rows() -> None:
    """Quarantined and pending rows per feed and reason, with the oldest one's date."""
    with Database(load_settings()) as db:
        rows = listing(db)
    table = Table("feed", "state", "reason", "rows", "oldest")
    for r in sorted(rows, key=lambda r: (r["feed"], r["state"], -r["rows"])):
        since = r["since"].to_native().strftime("%Y-%m-%d %H:%M") if r["since"] else ""
        table.add_row(r["feed"], r["state"], r["reason"], f"{r['rows']:,}", since)
    out.print(table)


@quarantine_app.command("replay")
@friendly_errors
def replay_rows(
    feeds: list[str] | None = FEEDS,
    mappings: Path = MAPPINGS,
    quarantine_dir: Path = QUARANTINE,
    batch_size: int = BATCH,
    demo_key: bool = DEMO_KEY,
) -> None:
    """Run the quarantined rows through the current mappings: load those that pass now."""
    settings = load_settings()
    options = Options(mappings_dir=mappings, quarantine_dir=quarantine_dir,
                      batch_size=batch_size, max_bad_ratio=1.0)  # fmt: skip
    with Database(settings) as db:
        results = replay(db, options, Hasher.from_settings(settings, demo=demo_key), feeds=feeds)
    if not results:
        out.print(f"nothing to replay in {quarantine_dir}")
    raise typer.Exit(_summary(results, options.max_bad_ratio))
