"""The sections of `python -m bench`, in data-flow order; each returns its table rows.

generator -> load (graphkit Bolt vs naive MERGE vs py2neo.bulk) -> sync (1% new reviews)
-> sweep (full sweep, dossier latency) -> quality (seed and small) -> bulk (neo4j-admin)
-> viz (2,000-node ring).
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import quantiles

import pyarrow as pa
import pyarrow.parquet as pq

from bench import viz_bench
from bench.common import (
    Row,
    bench_env,
    bench_server,
    fresh_database,
    naive_merge,
    run_measured,
    timer,
)
from graphkit import ingest, packs, schema
from graphkit.benign import apply_register, load_register
from graphkit.db import Database
from graphkit.demo import ensure_marketplace
from graphkit.evaluation import evaluate
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest.bulk import bulk_load
from graphkit.sweep import sweep

BASE_FEEDS = ["brands", "sellers", "reviewers", "products"]
LATER_FEEDS = ["logins", "payments", "messages", "refunds"]
PEER_ROWS = 20_000  # the per-row peers are slow: they load a capped slice, said in the table
DOSSIERS = 1_000
HASHER = Hasher(DEMO_KEY)

NOTES = """Notes:
- The naive loop (one auto-commit `MERGE` per row with the official driver) and py2neo's
  `bulk.merge_relationships` load a capped slice of the reviews feed (first rows, as many as
  the table says); their rows/s extrapolate linearly at best, so the ratio flatters them.
- py2neo speaks Bolt 4.4 at most; Neo4j 5.26 still accepts it. Its rows carry `ts` as an ISO
  string (its packer predates the driver's timezone-aware DateTime handling).
- Bulk = graphkit's `load --bulk`: the same transform in Python, CSVs, `neo4j-admin database
  import full`, restart. Bolt (all feeds) is the same data over Bolt, measured in this run.
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


def _review_slice(ctx: Context, count: int) -> list[dict]:
    """The first ``count`` clean review rows of the feed (``ts`` stays an ISO string)."""
    rows = []
    head = pq.read_table(ctx.data / "feeds" / "reviews.parquet").slice(0, count * 2)
    for row in head.to_pylist():
        try:
            datetime.fromisoformat(row["ts"])
        except (TypeError, ValueError):
            continue  # a planted dirty row: the loader quarantines it
        if row["review_id"] and 1 <= (row["rating"] or 0) <= 5:
            rows.append(row)
    return rows[:count]


def _py2neo(db: Database, rows: list[dict]) -> float | str:
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


def _drop_reviews(db: Database) -> None:
    db.run_autocommit("MATCH ()-[r:REVIEWED]->() CALL (r) { DELETE r } IN TRANSACTIONS")


def load(ctx: Context) -> list[Row]:
    """Reviews over Bolt: graphkit vs the per-row peers, on an empty database."""
    db = fresh_database()
    schema.apply(db)
    with timer() as base:
        base_rows = sum(r.written for r in ingest.run(db, ctx.options(), HASHER, feeds=BASE_FEEDS))
    slice_rows = _review_slice(ctx, PEER_ROWS)
    with timer() as naive:
        naive_merge(db, slice_rows)
    naive_rate = len(slice_rows) / naive[0]
    _drop_reviews(db)
    py2neo_rate = _py2neo(db, slice_rows)
    _drop_reviews(db)
    with timer() as reviews:
        written = ingest.run(db, ctx.options(), HASHER, feeds=["reviews"])[0].written
    rate = written / reviews[0]
    with timer() as later:
        later_rows = sum(r.written for r in ingest.run(db, ctx.options(), HASHER,
                                                        feeds=LATER_FEEDS))  # fmt: skip
    apply_register(db, load_register(ctx.data / "truth" / "benign_register.yaml"), HASHER)
    total_rows, total_s = base_rows + written + later_rows, base[0] + reviews[0] + later[0]
    ctx.facts["bolt_all_rate"] = total_rows / total_s
    peer_note = f"peers: first {len(slice_rows):,} rows"
    rows = [
        Row("load", f"reviews feed over Bolt ({written:,} rows)", rate, "rows/s",
            "naive per-row MERGE", naive_rate, note=peer_note),
    ]  # fmt: skip
    if isinstance(py2neo_rate, float):
        rows.append(Row("load", "reviews feed over Bolt", rate, "rows/s", "py2neo.bulk",
                        py2neo_rate, note=peer_note))  # fmt: skip
    else:
        rows.append(Row("load", "py2neo.bulk peer", py2neo_rate))
    rows.append(Row("load", f"all 9 feeds over Bolt ({total_rows:,} rows, {total_s:.0f} s)",
                    ctx.facts["bolt_all_rate"], "rows/s"))  # fmt: skip
    db.close()
    return rows


def _with_new_reviews(ctx: Context, share: float) -> tuple[Path, int]:
    """A copy of the feeds whose reviews.parquet has ``share`` more, newer rows."""
    feeds = ctx.data / "feeds"
    copy = ctx.work / "feeds-plus-new"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    for path in feeds.iterdir():
        if path.name != "reviews.parquet":
            (copy / path.name).symlink_to(path)
    old = pq.ParquetFile(feeds / "reviews.parquet")
    count = int(old.metadata.num_rows * share)
    sample = old.read_row_group(0).slice(0, count)
    later = datetime.now(UTC) + timedelta(days=1)
    stamp = pa.array([later.strftime("%Y-%m-%dT%H:%M:%SZ")] * count)
    new = pa.table({
        "review_id": pa.array([f"RV9{i:010d}" for i in range(count)]),
        "reviewer_id": sample["reviewer_id"], "product_id": sample["product_id"],
        "rating": sample["rating"], "ts": stamp, "verified_purchase": sample["verified_purchase"],
        "updated_at": stamp,
    }).cast(old.schema_arrow)  # fmt: skip
    with pq.ParquetWriter(copy / "reviews.parquet", old.schema_arrow) as writer:
        for group in range(old.num_row_groups):
            writer.write_table(old.read_row_group(group))
        writer.write_table(new)
    return copy, count


def sync(ctx: Context) -> list[Row]:
    """Incremental sync after 1% new reviews were appended to the feed."""
    feeds, added = _with_new_reviews(ctx, 0.01)
    with Database(bench_server().settings) as db, timer() as took:
        result = ingest.run(db, ctx.options(feeds), HASHER, feeds=["reviews"], incremental=True)
    written = result[0].written
    return [Row("sync", f"incremental sync, {added:,} new reviews (1%): {written:,} written",
                took[0], "s", higher_is_better=False)]  # fmt: skip


def sweep_section(ctx: Context) -> list[Row]:
    """The full ring sweep, then dossier latency for random sellers."""
    with Database(bench_server().settings) as db:
        with timer() as took:
            rings = sweep(db)
        ctx.facts["rings"] = len(rings)
        sellers = [r["id"] for r in db.read("MATCH (s:Seller) RETURN s.seller_id AS id")]
        picked = random.Random(ctx.seed).sample(sellers, min(DOSSIERS, len(sellers)))
        latencies = []
        for seller in picked:
            started = time.perf_counter()
            packs.run("dossier.seller", db, seller_id=seller)
            latencies.append((time.perf_counter() - started) * 1000)
        cuts = quantiles(latencies, n=100)
        quality = evaluate(rings, ctx.data)
    return [
        Row("sweep", f"full ring sweep ({len(rings):,} rings)", took[0], "s",
            higher_is_better=False),
        Row("sweep", f"seller dossier p50 ({len(picked):,} random sellers)", cuts[49], "ms",
            higher_is_better=False),
        Row("sweep", "seller dossier p95", cuts[94], "ms", higher_is_better=False),
        *_quality_rows(quality, ctx.scale),
    ]  # fmt: skip


def _quality_rows(report, scale: str) -> list[Row]:
    return [
        Row("quality", f"{scale}: ring-member precision", report.precision),
        Row("quality", f"{scale}: ring-member recall", report.recall),
        Row("quality", f"{scale}: benign look-alike accounts flagged",
            f"{report.benign_flagged_rate:.2%}"),
    ]  # fmt: skip


def bulk(ctx: Context) -> list[Row]:
    """The bulk path into an empty database, against the Bolt rate measured in `load`."""
    fresh_database().close()
    with timer() as took:
        results = bulk_load(ctx.options(), HASHER, echo=lambda *_: None)
    written = sum(r.written for r in results)
    return [Row("load", f"all 9 feeds, bulk path ({written:,} rows, {took[0]:.0f} s)",
                written / took[0], "rows/s", "graphkit Bolt, same feeds",
                ctx.facts.get("bolt_all_rate"))]  # fmt: skip


def quality_small(ctx: Context) -> list[Row]:
    """Detection quality on the `small` marketplace (what CI asserts)."""
    with fresh_database() as db:
        ensure_marketplace(db, ctx.work / "small-7", scale="small", seed=7, echo=lambda *_: None)
        return _quality_rows(evaluate(sweep(db), ctx.work / "small-7"), "small")


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
    "load": load,
    "sync": sync,
    "sweep": sweep_section,
    "bulk": bulk,
    "small": quality_small,
    "viz": viz,
}
