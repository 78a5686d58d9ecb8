"""Generate a synthetic marketplace: feeds, ground truth, benign register (and PostgreSQL).

>>> summary = generate("/tmp/market", scale="tiny", seed=7)  # doctest: +SKIP
>>> summary.rows["sellers"]  # doctest: +SKIP
50
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from graphkit.errors import GraphkitError
from graphkit.synth.feeds import FEEDS, Feeds, FeedWriter, make_dirty, unknown_id
from graphkit.synth.truth import GroundTruth, write_truth
from graphkit.synth.world import SCALES, World

REGISTER_VERSION = "1"  # a string, as graphkit.benign expects


@dataclass
class Summary:
    """What :func:`generate` wrote: rows per feed, ring and look-alike counts, seconds taken."""

    out_dir: Path
    scale: str
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    rings: int = 0
    lookalikes: int = 0
    dirty_rows: int = 0
    seconds: float = 0.0


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} rows/s", style="progress.data.speed")


def generate(
    out_dir: str | Path,
    scale: str = "small",
    seed: int = 7,
    to_postgres: str | None = None,
    progress: bool = False,
) -> Summary:
    """Write ``out_dir/feeds/*`` (docs/feeds.md), ``out_dir/truth/ground_truth.json`` and
    ``out_dir/truth/benign_register.yaml``; with ``to_postgres`` (a DSN) also the tables of
    schema ``marketplace``. Same ``seed`` and ``scale`` give byte-identical files."""
    if scale not in SCALES:
        raise GraphkitError(f"unknown scale {scale!r}", hint=f"use one of {', '.join(SCALES)}")
    if not isinstance(seed, int) or seed < 0:
        raise GraphkitError(
            f"seed must be a non-negative integer, not {seed!r}", hint="e.g. --seed 7"
        )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise GraphkitError(f"{out} is a file", hint="pass a directory for --out")
    started = time.perf_counter()
    sink = None
    if to_postgres:
        from graphkit.synth.postgres import PostgresSink

        sink = PostgresSink(to_postgres)
    world = World(SCALES[scale], seed)
    feeds = Feeds(world)
    totals = feeds.totals()
    shutil.rmtree(out / "feeds", ignore_errors=True)
    summary = Summary(out, scale, seed)
    dirty_rows = []
    bar = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.completed:>11,.0f} rows"),
        _Rate(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
    )
    with bar:
        for index, feed in enumerate(FEEDS.values()):
            task = bar.add_task(feed.name, total=totals[feed.name])
            rng = np.random.default_rng([seed, 10 + index])
            writer = FeedWriter(feed, out / "feeds")
            if sink:
                sink.begin(feed)
            rows = 0
            for table, protected in feeds.chunks(feed.name, rng):
                minimum = len(feed.dirty) if rows == 0 else 0
                table, dirty = make_dirty(
                    feed, table, protected, rows, rng, unknown_id(world), minimum
                )
                dirty_rows += dirty
                writer.write(table)
                if sink:
                    sink.write(feed, table)
                rows += table.num_rows
                bar.update(task, completed=rows)
            writer.close()
            if sink:
                sink.end(feed)
            summary.rows[feed.name] = rows
    if sink:
        sink.close()
    truth = GroundTruth(scale, seed, summary.rows, world.rings, world.benign, dirty_rows)
    write_truth(truth, out)
    write_register(truth, out / "truth" / "benign_register.yaml")
    summary.rings, summary.lookalikes = len(world.rings), len(world.benign)
    summary.dirty_rows, summary.seconds = len(dirty_rows), time.perf_counter() - started
    return summary


def write_register(truth: GroundTruth, path: Path) -> None:
    """The benign identifiers an analyst team registers (not households or honest overlaps)."""
    entries = [
        {"kind": ident.kind, "value": ident.value, "reason": item.reason}
        for item in truth.benign
        if item.registered
        for ident in item.identifiers
    ]
    text = yaml.safe_dump(
        {"version": REGISTER_VERSION, "entries": entries}, sort_keys=False, width=200
    )
    path.write_text(text)
