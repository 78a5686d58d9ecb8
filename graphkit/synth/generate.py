"""Generate a synthetic marketplace: feeds, ground truth, benign register (and PostgreSQL).

>>> summary = generate("/tmp/market", scale="tiny", seed=7)  # doctest: +SKIP
>>> summary.rows["sellers"]  # doctest: +SKIP
50
"""

from __future__ import annotations

import multiprocessing
import os
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
from graphkit.synth.ids import Ids
from graphkit.synth.truth import DirtyRow, GroundTruth, write_truth
from graphkit.synth.world import SCALES, World

REGISTER_VERSION = "1"  # a string, as graphkit.benign expects
WORKERS = min(2, os.cpu_count() or 1)


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
    id_scheme: str = "prefixed",
) -> Summary:
    """Write ``out_dir/feeds/*`` (docs/feeds.md), ``out_dir/truth/ground_truth.json`` (and
    its generic ``rings.csv``, ``benign.csv``) and ``out_dir/truth/benign_register.yaml``; with
    ``to_postgres`` (a DSN) also the tables of schema ``marketplace``. ``id_scheme``:
    ``prefixed`` (``S000001``...) or ``opaque`` (ids that carry no kind, see
    :mod:`graphkit.synth.ids`). Same arguments give byte-identical files."""
    if scale not in SCALES:
        raise GraphkitError(f"unknown scale {scale!r}", hint=f"use one of {', '.join(SCALES)}")
    if not isinstance(seed, int) or seed < 0:
        raise GraphkitError(
            f"seed must be a non-negative integer, not {seed!r}", hint="e.g. --seed 7"
        )
    Ids(id_scheme, seed)  # fail early on an unknown scheme
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise GraphkitError(f"{out} is a file", hint="pass a directory for --out")
    started = time.perf_counter()
    if to_postgres:
        from graphkit.synth.postgres import PostgresSink

        PostgresSink(to_postgres).close()  # fail early on a bad DSN; create the schema
    world = World(SCALES[scale], seed, id_scheme)
    feeds = Feeds(world)
    totals = feeds.totals()
    shutil.rmtree(out / "feeds", ignore_errors=True)
    summary = Summary(out, scale, seed)
    bar = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.completed:>11,.0f} rows"),
        _Rate(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
    )
    # Feeds are independent (each has its own random stream): write them in parallel, the
    # biggest first, in processes forked after the world is planned.
    context = multiprocessing.get_context("fork")
    updates = context.SimpleQueue()
    order = sorted(FEEDS, key=lambda name: -totals[name])
    with bar, context.Pool(WORKERS, _start_worker, (feeds, out, to_postgres, updates)) as pool:
        tasks = {name: bar.add_task(name, total=totals[name]) for name in FEEDS}
        pending = pool.map_async(_write_feed, order)
        while not pending.ready() or not updates.empty():
            while not updates.empty():
                name, rows = updates.get()
                bar.update(tasks[name], completed=rows)
            pending.wait(0.1)
        written = dict(zip(order, pending.get(), strict=True))
    summary.rows = {name: written[name][0] for name in FEEDS}
    dirty_rows = [row for name in FEEDS for row in written[name][1]]
    truth = GroundTruth(scale, seed, summary.rows, world.rings, world.benign, dirty_rows)
    write_truth(truth, out)
    write_register(truth, out / "truth" / "benign_register.yaml")
    summary.rings, summary.lookalikes = len(world.rings), len(world.benign)
    summary.dirty_rows, summary.seconds = len(dirty_rows), time.perf_counter() - started
    return summary


_worker: dict = {}  # what the forked workers inherit from generate()


def _start_worker(feeds: Feeds, out: Path, to_postgres: str | None, updates) -> None:
    _worker.update(feeds=feeds, out=out, to_postgres=to_postgres, updates=updates)


def _write_feed(name: str) -> tuple[int, list[DirtyRow]]:
    """Write feed ``name`` (and its table, with ``to_postgres``); return its rows and dirty rows."""
    feeds, out = _worker["feeds"], _worker["out"]
    world = feeds.w
    feed = FEEDS[name]
    rng = feed_rng(world, name)
    writer = FeedWriter(feed, out / "feeds")
    sink = None
    if _worker["to_postgres"]:
        from graphkit.synth.postgres import PostgresSink

        sink = PostgresSink(_worker["to_postgres"])
        sink.begin(feed)
    rows, dirty_rows = 0, []
    for table, protected in feeds.chunks(name, rng):
        minimum = len(feed.dirty) if rows == 0 else 0
        table, dirty = make_dirty(feed, table, protected, rows, rng, unknown_id(world), minimum)
        dirty_rows += dirty
        writer.write(table)
        if sink:
            sink.write(feed, table)
        rows += table.num_rows
        _worker["updates"].put((name, rows))
    writer.close()
    if sink:
        sink.end(feed)
        sink.close()
    return rows, dirty_rows


def feed_rng(world: World, name: str) -> np.random.Generator:
    """Feed ``name``'s own random stream: the same rows whoever generates them."""
    return np.random.default_rng([world.seed, 10 + list(FEEDS).index(name)])


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
