"""Reviews feed rows/s: graphkit Bolt loader vs graphkit bulk import vs a naive per-row MERGE.

All three run in the same process against the managed Neo4j (GRAPHKIT_HOME/BOLT_PORT), on
the same synthetic feeds, and a markdown table is printed. The database is wiped between
methods. ``--scale`` multiplies the number of reviews (1.0 = 100k).

    python bench/load_bench.py --scale 0.05
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import feedgen  # noqa: E402

from graphkit import schema  # noqa: E402
from graphkit.db import Database  # noqa: E402
from graphkit.identity import DEMO_KEY, Hasher  # noqa: E402
from graphkit.ingest import Options, counts, run  # noqa: E402
from graphkit.ingest.bulk import bulk_load  # noqa: E402

BASE = ["brands", "sellers", "reviewers", "products"]


def wipe(db: Database) -> None:
    db.run_autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def naive(db: Database, rows: list[dict]) -> None:
    """One auto-commit MERGE per review with the official driver (what people write first)."""
    with db.driver.session(database=db.database) as session:
        for r in rows:
            session.run(
                "MATCH (a:Reviewer {reviewer_id: $reviewer_id}) "
                "MATCH (b:Product {product_id: $product_id}) "
                "MERGE (a)-[x:REVIEWED {review_id: $review_id}]->(b) "
                "SET x.rating = $rating, x.ts = $ts, x.verified = $verified_purchase",
                r,
            ).consume()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--naive-max", type=int, default=5_000, help="cap for the naive loop")
    args = parser.parse_args()
    n = max(int(100_000 * args.scale), 100)
    data = feedgen.rows(n_sellers=200, n_reviewers=2_000, n_products=5_000, n_reviews=n)
    hasher = Hasher(DEMO_KEY)
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        feeds = feedgen.write(data, Path(tmp) / "feeds")
        options = Options(feeds_dir=feeds, quarantine_dir=Path(tmp) / "q",
                          batch_size=args.batch_size)  # fmt: skip
        with Database() as db:
            schema.apply(db)
            wipe(db)
            run(db, options, hasher, feeds=BASE)
            start = time.perf_counter()
            result = run(db, options, hasher, feeds=["reviews"])[0]
            table.append(("graphkit Bolt", result.written, time.perf_counter() - start))
            wipe(db)
            run(db, options, hasher, feeds=BASE)
            rows = data["reviews"][: args.naive_max]
            start = time.perf_counter()
            naive(db, rows)
            table.append(("naive per-row MERGE", len(rows), time.perf_counter() - start))
            wipe(db)
        start = time.perf_counter()
        results = bulk_load(options, hasher, feeds=[*BASE, "reviews"], echo=lambda *_: None)
        elapsed = time.perf_counter() - start
        with Database() as db:
            written = counts(db).get("REVIEWED", 0)
        total = sum(r.written for r in results)
        table.append(("graphkit bulk (all 5 feeds, incl. stop/import/start)", total, elapsed))
        del written
    print(f"\nreviews: {n:,} rows, batch size {args.batch_size:,}\n")
    print("| method | rows | seconds | rows/s |\n|---|---:|---:|---:|")
    for name, count, seconds in table:
        print(f"| {name} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} |")


if __name__ == "__main__":
    main()
