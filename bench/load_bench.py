"""Reviews feed rows/s: graphkit Bolt loader vs graphkit bulk import vs a naive per-row MERGE.

All three run in the same process against the managed Neo4j (GRAPHKIT_HOME/BOLT_PORT), on
the same feeds, and a markdown table is printed with wall rows/s, the CPU seconds of this
Python process and the ratio to the naive loop. The database is wiped between methods.
``--scale`` multiplies the number of reviews (1.0 = 100k; timestamps as ISO strings, like
``graphkit synth``); ``--feeds-dir`` uses existing feeds (e.g. ``graphkit synth`` output)
instead. The naive loop only runs the first ``--naive-max`` reviews (it is that slow).

    python bench/load_bench.py --scale 1
    python bench/load_bench.py --feeds-dir /tmp/seed/feeds --skip-bulk
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import feedgen  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from bench.common import naive_merge  # noqa: E402
from graphkit import schema  # noqa: E402
from graphkit.db import Database  # noqa: E402
from graphkit.identity import DEMO_KEY, Hasher  # noqa: E402
from graphkit.ingest import Options, run  # noqa: E402
from graphkit.ingest.bulk import bulk_load  # noqa: E402

BASE = ["brands", "sellers", "reviewers", "products"]


def wipe(db: Database) -> None:
    db.run_autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def timed(table: list, name: str, work) -> None:
    """Run ``work()`` (returns rows done) and add ``(name, rows, wall s, cpu s)`` to table."""
    wall, cpu = time.perf_counter(), time.process_time()
    rows = work()
    table.append((name, rows, time.perf_counter() - wall, time.process_time() - cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--feeds-dir", type=Path, help="existing feeds instead of generated")
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--naive-max", type=int, default=20_000, help="cap for the naive loop")
    parser.add_argument("--skip-bulk", action="store_true", help="Bolt and naive only")
    args = parser.parse_args()
    hasher = Hasher(DEMO_KEY)
    table: list = []
    with tempfile.TemporaryDirectory() as tmp:
        feeds = args.feeds_dir or generated(args.scale, Path(tmp) / "feeds")
        options = Options(feeds_dir=feeds, quarantine_dir=Path(tmp) / "q",
                          batch_size=args.batch_size)  # fmt: skip
        reviews = pq.ParquetFile(feeds / "reviews.parquet")
        with Database() as db:
            schema.apply(db)
            wipe(db)
            run(db, options, hasher, feeds=BASE)
            timed(table, "graphkit Bolt (reviews feed)",
                  lambda: run(db, options, hasher, feeds=["reviews"])[0].read)  # fmt: skip
            wipe(db)
            run(db, options, hasher, feeds=BASE)
            rows = next(reviews.iter_batches(args.naive_max)).to_pylist()
            timed(table, f"naive per-row MERGE (first {len(rows):,} reviews only)",
                  lambda: naive_merge(db, rows) or len(rows))  # fmt: skip
            wipe(db)
        if not args.skip_bulk:
            timed(table, "graphkit bulk (5 feeds, incl. stop/import/start)",
                  lambda: sum(r.read for r in bulk_load(options, hasher, feeds=[*BASE, "reviews"],
                                                        echo=lambda *_: None)))  # fmt: skip
    naive_rate = next(n / s for name, n, s, _ in table if name.startswith("naive"))
    print(f"\nreviews: {reviews.metadata.num_rows:,} rows, batch size {args.batch_size:,}\n")
    print("| method | rows | seconds | rows/s | x naive | Python CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, seconds, cpu in table:
        print(f"| {name} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} | "
              f"{count / seconds / naive_rate:,.1f} | {cpu:.1f} |")  # fmt: skip


def generated(scale: float, out: Path) -> Path:
    n = max(int(100_000 * scale), 100)
    data = feedgen.rows(n_sellers=200, n_reviewers=2_000, n_products=5_000, n_reviews=n)
    for row in data["reviews"]:  # ISO strings, as graphkit synth writes them
        row["ts"], row["updated_at"] = feedgen.iso(row["ts"]), feedgen.iso(row["updated_at"])
    return feedgen.write(data, out)


if __name__ == "__main__":
    main()
