"""Benchmark `graphkit synth` at one scale: wall time, peak RSS and rows, as a markdown table.

python bench/synth_bench.py                 # seed scale (target: <= 3 min, <= 2 GB)
python bench/synth_bench.py --scale small
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time

CHILD = """
import json, sys
from graphkit.synth import generate
summary = generate(sys.argv[1], scale=sys.argv[2], seed=int(sys.argv[3]))
print(json.dumps(summary.rows))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="seed")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as out:
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", CHILD, out, args.scale, str(args.seed)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    rows = json.loads(child.stdout)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    print("| scale | seed | rows | wall time (s) | CPU time (s) | peak RSS (MB) | rows/s |")
    print("|---|---|---|---|---|---|---|")
    total = sum(rows.values())
    cells = (args.scale, args.seed, f"{total:,}", f"{seconds:.1f}", f"{cpu:.1f}", f"{peak_mb:,.0f}")
    print(f"| {' | '.join(map(str, cells))} | {total / seconds:,.0f} |")
    print()
    print("| feed | rows |\n|---|---|")
    for name, count in rows.items():
        print(f"| {name} | {count:,} |")


if __name__ == "__main__":
    main()
