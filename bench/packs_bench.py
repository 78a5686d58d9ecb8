"""Query-pack latency on whatever graph is loaded: dossier p50/p95 per hops, and the sweep.

    python bench/packs_bench.py [--sellers 300]

Prints one table. Load a marketplace first (`graphkit synth` + `graphkit load`).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from graphkit.db import Database
from graphkit.packs import run
from graphkit.sweep import sweep


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sellers", type=int, default=300, help="dossiers per hops setting")
    args = parser.parse_args()
    rows = []
    with Database() as db:
        n_sellers = db.read("MATCH (s:Seller) RETURN count(s) AS n")[0]["n"]
        ids = [
            r["id"]
            for r in db.read(
                "MATCH (s:Seller) RETURN s.seller_id AS id ORDER BY rand() LIMIT $n",
                {"n": args.sellers},
            )
        ]
        for hops in (1, 2, 3):
            times, sizes = [], []
            for seller in ids:
                start = time.perf_counter()
                sizes.append(len(run("dossier.seller", db, seller_id=seller, hops=hops)))
                times.append((time.perf_counter() - start) * 1000)
            rows.append(
                {
                    "what": f"dossier.seller hops={hops}",
                    "n": len(ids),
                    "p50_ms": round(percentile(times, 0.5), 1),
                    "p95_ms": round(percentile(times, 0.95), 1),
                    "max_nodes": max(sizes),
                }
            )
        start = time.perf_counter()
        rings = sweep(db)
        seconds = time.perf_counter() - start
        rows.append(
            {"what": f"sweep ({len(rings)} rings)", "n": 1, "p50_ms": round(seconds * 1000)}
        )
    print(f"sellers in graph: {n_sellers:,}")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
