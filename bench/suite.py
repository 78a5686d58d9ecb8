"""The sections of `python -m bench`, in data-flow order; each returns its table rows.

generator -> bulk (the whole marketplace via `load --bulk`, vs a bare neo4j-admin import)
-> sweep (full sweep, dossier latency, quality) -> load (reviews over Bolt into that graph,
vs naive MERGE and py2neo.bulk) -> sync (1% new reviews) -> small (quality on `small`)
-> viz (2,000-node ring) -> yelpchi (real filter labels: per-user AUC/AP vs 1/#reviews, SpEagle)
-> soak (20 syncs of a changing market, SIGKILLs of loader and Neo4j; at most `small`; it wipes
the bench database, so it runs last).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import quantiles

import pyarrow as pa
import pyarrow.parquet as pq

from bench import detection_bench, soak_bench, viz_bench, yelpchi
from bench.common import (
    Row,
    bench_env,
    bench_server,
    fresh_database,
    naive_merge,
    run_measured,
    timer,
)
from graphkit import ingest, packs
from graphkit.db import Database, QueryFailed
from graphkit.demo import ensure_marketplace
from graphkit.evaluation import load_truth, score
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest.bulk import bulk_load
from graphkit.packs import catalog
from graphkit.sweep import SweepSettings, sweep

#: Reviews the Bolt loader writes into the loaded marketplace, per scale.
BOLT_ROWS = {"tiny": 20_000, "small": 100_000, "seed": 500_000, "large": 500_000}
PEER_ROWS = 20_000  # the per-row peers are slow: they load a capped slice, said in the table
DOSSIERS = 1_000
HASHER = Hasher(DEMO_KEY)

NOTES = """Notes:
- Bulk = graphkit's `load --bulk --jobs <cores>` of every feed into an empty database: the same
  transform in Python (feeds transformed ahead in worker processes), CSVs, `neo4j-admin
  database import full`, restart. The bare import reads the same
  CSVs (made beforehand, not timed) into a scratch database: the limit on this machine.
- Bolt: the reviews loader writes new reviews (the feed's first rows under new ids, dirty rows
  included and quarantined) into the marketplace the bulk section loaded, so every MERGE
  meets a full-size graph. The whole feed over Bolt would not fit the suite's 30 minutes.
- The naive loop (one auto-commit `MERGE` per row with the official driver) and py2neo's
  `bulk.merge_relationships` write a capped slice of clean rows (the table says how many);
  their rows/s extrapolate linearly at best, so the ratio flatters them.
- py2neo speaks Bolt 4.4 at most; Neo4j 5.26 still accepts it. Its rows carry `ts` as an ISO
  string (its packer predates the driver's timezone-aware DateTime handling).
"""


@dataclass
class Context:
    scale: str
    seed: int
    work: Path
    facts: dict[str, float] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.work / f"{self.scale}-{self.seed}"

    def options(self, feeds_dir: Path | None = None) -> ingest.Options:
        return ingest.Options(feeds_dir=feeds_dir or self.data / "feeds",
                              quarantine_dir=self.work / "quarantine")  # fmt: skip


def generator(ctx: Context) -> list[Row]:
    """Generate the marketplace in a child process: wall time and peak memory."""
    shutil.rmtree(ctx.data, ignore_errors=True)
    command = [sys.executable, "-m", "graphkit", "synth", "--scale", ctx.scale,
               "--seed", str(ctx.seed), "--out", str(ctx.data)]  # fmt: skip
    wall, peak_mb = run_measured(command, env=bench_env())
    rows = pq.ParquetFile(ctx.data / "feeds" / "reviews.parquet").metadata.num_rows
    return [
        Row("generator", f"{ctx.scale} scale ({rows:,} reviews + other feeds)", wall, "s",
            higher_is_better=False),
        Row("generator", "peak memory", peak_mb, "MB", higher_is_better=False),
    ]  # fmt: skip


def _review_rows(ctx: Context, count: int, prefix: str) -> pa.Table:
    """``count`` reviews for the marketplace's existing reviewers and products, under new ids
    (``prefix`` + 10 digits, longer than the feed's): its first rows, dirty rows included."""
    table = pq.ParquetFile(ctx.data / "feeds" / "reviews.parquet").read_row_group(0)
    while table.num_rows < count:  # small scales: repeat the rows under fresh ids
        table = pa.concat_tables([table, table])
    table = table.slice(0, count)
    ids = pa.array([f"{prefix}{i:010d}" for i in range(count)])
    return table.set_column(table.schema.get_field_index("review_id"), "review_id", ids)


def _feed_with(ctx: Context, name: str, reviews: pa.Table) -> Path:
    """A feeds directory like the marketplace's, whose reviews.parquet is ``reviews``."""
    feeds = ctx.work / name
    shutil.rmtree(feeds, ignore_errors=True)
    feeds.mkdir(parents=True)
    for path in (ctx.data / "feeds").iterdir():
        if path.name != "reviews.parquet":
            (feeds / path.name).symlink_to(path)
    pq.write_table(reviews, feeds / "reviews.parquet")
    return feeds


def _peer_rows(ctx: Context, prefix: str) -> list[dict]:
    """``PEER_ROWS`` new reviews the per-row peers can take as they are (the loader
    quarantines the dirty ones; the peers have no such step)."""
    good = []
    for row in _review_rows(ctx, PEER_ROWS * 2, prefix).to_pylist():
        try:
            datetime.fromisoformat(row["ts"])
        except (TypeError, ValueError):
            continue
        if row["review_id"] and 1 <= (row["rating"] or 0) <= 5:
            good.append(row)
    return good[:PEER_ROWS]


def _py2neo(rows: list[dict]) -> float | str:
    """py2neo.bulk.merge_relationships in batches of 10k; rows/s, or why it could not run."""
    try:
        from py2neo import Graph
        from py2neo.bulk import merge_relationships
    except ImportError:
        return "not installed (pip install -e '.[bench]')"
    server = bench_server()
    try:
        graph = Graph(server.bolt_uri, auth=("neo4j", server.password()))
        data = [(r["reviewer_id"], {"review_id": r["review_id"], "rating": r["rating"],
                 "ts": r["ts"], "verified": r["verified_purchase"]}, r["product_id"])
                for r in rows]  # fmt: skip
        started = time.perf_counter()
        for offset in range(0, len(data), 10_000):
            merge_relationships(graph.auto(), data[offset : offset + 10_000],
                                ("REVIEWED", "review_id"), ("Reviewer", "reviewer_id"),
                                ("Product", "product_id"))  # fmt: skip
        return len(rows) / (time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - the table says why the peer could not run
        return f"failed: {type(exc).__name__}: {str(exc)[:80]}"


def bulk(ctx: Context) -> list[Row]:
    """The whole marketplace through ``load --bulk`` into an empty database, then the same
    CSVs through a bare ``neo4j-admin database import`` (the limit). Later sections use this
    graph."""
    fresh_database().close()
    files = ctx.work / "import"
    shutil.rmtree(files, ignore_errors=True)
    with timer() as took:
        results = bulk_load(replace(ctx.options(), jobs=os.cpu_count() or 1), HASHER,
                            echo=lambda *_: None, keep_files=files)  # fmt: skip
    rows_in = sum(r.read for r in results)
    ctx.facts["bulk_rate"] = rows_in / took[0]
    server = bench_server()
    args = (files / "import.args").read_text().split()
    with timer() as raw:
        server.admin("database", "import", "full", "rawimport", "--overwrite-destination=true",
                     "--multiline-fields=true", *args)  # fmt: skip
    for kind in ("databases", "transactions"):
        shutil.rmtree(server.data_dir / kind / "rawimport", ignore_errors=True)
    shutil.rmtree(files)
    return [
        Row("load", f"bulk path, all 9 feeds ({rows_in:,} rows in {took[0]:.0f} s, incl. "
            "transform, stop, import, start)", ctx.facts["bulk_rate"], "rows/s",
            "bare neo4j-admin import, same CSVs (the limit)", rows_in / raw[0]),
    ]  # fmt: skip


def load(ctx: Context) -> list[Row]:
    """Reviews over Bolt into the loaded marketplace: graphkit's loader, then the per-row
    peers, each writing its own new review ids."""
    feeds = _feed_with(ctx, "feeds-bolt", _review_rows(ctx, BOLT_ROWS[ctx.scale], "RV8"))
    with Database(bench_server().settings) as db:
        with timer() as took:
            written = ingest.run(db, ctx.options(feeds), HASHER, feeds=["reviews"])[0].written
        if not written:
            raise RuntimeError(f"the Bolt loader wrote no reviews: see {ctx.work / 'quarantine'}")
        rate = written / took[0]
        slice_rows = _peer_rows(ctx, "RV7")
        with timer() as naive:
            naive_merge(db, slice_rows)
    py2neo_rate = _py2neo(_peer_rows(ctx, "RV6"))
    what = f"reviews over Bolt into the loaded graph ({written:,} rows)"
    peer_note = f"peers: {len(slice_rows):,} rows"
    rows = [Row("load", what, rate, "rows/s", "naive per-row MERGE",
                len(slice_rows) / naive[0], note=peer_note)]  # fmt: skip
    if isinstance(py2neo_rate, float):
        rows.append(Row("load", what, rate, "rows/s", "py2neo.bulk", py2neo_rate,
                        note=peer_note))  # fmt: skip
    else:
        rows.append(Row("load", "py2neo.bulk peer", py2neo_rate))
    if "bulk_rate" in ctx.facts:
        rows.append(Row("load", "bulk path (all feeds, from the bulk section)",
                        ctx.facts["bulk_rate"], "rows/s", "graphkit Bolt, reviews",
                        rate))  # fmt: skip
    return rows


def sync(ctx: Context) -> list[Row]:
    """Incremental sync after 1% new, later reviews were appended to the feed."""
    old = pq.read_table(ctx.data / "feeds" / "reviews.parquet")
    added = _review_rows(ctx, old.num_rows // 100, "RV5")
    later = datetime.now(UTC) + timedelta(days=1)
    stamp = pa.array([later.strftime("%Y-%m-%dT%H:%M:%SZ")] * added.num_rows)
    for column in ("ts", "updated_at"):
        added = added.set_column(added.schema.get_field_index(column), column, stamp)
    feeds = _feed_with(ctx, "feeds-plus-new", pa.concat_tables([old, added.cast(old.schema)]))
    with Database(bench_server().settings) as db, timer() as took:
        result = ingest.run(db, ctx.options(feeds), HASHER, feeds=["reviews"], incremental=True)
    return [Row("sync", f"incremental sync of {result[0].read:,} rows, "
                f"{added.num_rows:,} new (1%): {result[0].written:,} written",
                took[0], "s", higher_is_better=False)]  # fmt: skip


def sweep_section(ctx: Context) -> list[Row]:
    """The full ring sweep and its quality, then dossier latency for random sellers (a
    dossier over its timeout is counted, not fatal: the sweep's figures still print)."""
    with Database(bench_server().settings) as db:
        with timer() as took:
            rings = sweep(db)
        ctx.facts["rings"] = len(rings)
        quality = _quality_rows(db, rings, ctx.data, f"{ctx.scale} scale, seed {ctx.seed}")
        sellers = [r["id"] for r in db.read("MATCH (s:Seller) RETURN s.seller_id AS id")]
        picked = random.Random(ctx.seed).sample(sellers, min(DOSSIERS, len(sellers)))
        latencies, timed_out = [], 0
        for seller in picked:
            started = time.perf_counter()
            try:
                packs.run("dossier.seller", db, seller_id=seller)
            except QueryFailed as exc:
                if "TransactionTimedOut" not in str(exc):
                    raise
                timed_out += 1
            latencies.append((time.perf_counter() - started) * 1000)
        cuts = quantiles(latencies, n=100)
    timeout_s = catalog.get("dossier.seller").meta.timeout_s
    return [
        Row("sweep", f"full ring sweep ({len(rings):,} rings)", took[0], "s",
            higher_is_better=False),
        Row("sweep", f"seller dossier p50 ({len(picked):,} random sellers)", cuts[49], "ms",
            higher_is_better=False),
        Row("sweep", "seller dossier p95", cuts[94], "ms", higher_is_better=False),
        Row("sweep", f"seller dossiers over their {timeout_s} s timeout", timed_out, "",
            higher_is_better=False),
        *quality,
    ]  # fmt: skip


def _quality_rows(db: Database, rings: list, data: Path, label: str) -> list[Row]:
    """Detection quality (no benign register applied) beside the baseline scored on the same
    graph: identity components (``bench/detection_bench.py`` also prints it per archetype)."""
    truth = load_truth(data)
    ours = score(rings, truth)
    base = detection_bench.baseline(db, truth, SweepSettings())
    peer = f"identity components of >= {detection_bench.BASELINE_MIN_MEMBERS} (baseline)"
    rows = [
        Row("quality", f"{label}: {group} {measure}", ours.row(group)[measure], "", peer,
            base.row(group)[measure])
        for group in ("sellers", "other accounts")
        for measure in ("precision", "recall")
    ]  # fmt: skip
    return [
        *rows,
        Row("quality", f"{label}: benign look-alike accounts flagged",
            f"{ours.benign_flagged_rate:.2%}", "", peer, f"{base.benign_flagged_rate:.2%}"),
        Row("quality", f"{label}: reported rings holding two planted rings",
            str(len(ours.mixed_rings)), "", peer, str(len(base.mixed_rings))),
    ]  # fmt: skip


def quality_small(ctx: Context) -> list[Row]:
    """Detection quality on the `small` marketplace of the same seed (what CI asserts)."""
    data = ctx.work / f"small-{ctx.seed}"
    with fresh_database() as db:
        ensure_marketplace(db, data, scale="small", seed=ctx.seed, echo=lambda *_: None,
                           register=False)  # fmt: skip
        return _quality_rows(db, sweep(db), data, f"small scale, seed {ctx.seed}")


def viz(ctx: Context) -> list[Row]:
    """A 2,000-node ring: HTML in Python, then physics until stable in headless Chromium."""
    t = viz_bench.measure(2000, runs=3)
    return [
        Row("viz", f"render {t.nodes:,}-node ring to HTML in Python", t.python_s, "s",
            higher_is_better=False),
        Row("viz", "headless Chromium: until physics stabilised", t.stable_s, "s",
            higher_is_better=False),
    ]  # fmt: skip


SECTIONS: dict[str, Callable[[Context], list[Row]]] = {
    "generator": generator,
    "bulk": bulk,
    "sweep": sweep_section,
    "load": load,
    "sync": sync,
    "small": quality_small,
    "viz": viz,
    "yelpchi": lambda ctx: yelpchi.section(ctx.work),
    "soak": lambda ctx: soak_bench.section(ctx.scale, ctx.seed, ctx.work),
}
