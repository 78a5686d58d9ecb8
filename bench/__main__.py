"""The benchmark suite: `python -m bench --scale seed` prints a markdown table.

It runs against its own managed Neo4j (``~/.cache/graphkit-bench``, Bolt port 7688; beside
``$GRAPHKIT_HOME`` on the next port when that is set; see ``bench/common.py``), never
the user's, and writes the table with the machine's description to ``bench/RESULTS.md``
(``--no-record`` to skip). Sections run in data-flow order and share one generated
marketplace; ``--only load,sweep`` picks sections (later ones need earlier ones' data).

    python -m bench --scale small          # a quick check of the whole suite
    python -m bench --scale seed           # the crackdown's scale (~30 min on 2 cores)
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import suite
from bench.common import machine, table
from graphkit.logs import configure

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="seed", choices=["tiny", "small", "seed", "large"])
    parser.add_argument(
        "--seed", type=int, default=100, help="a test seed: thresholds are tuned on 1-3"
    )
    parser.add_argument("--work", type=Path, default=Path("out/bench"), help="data directory")
    parser.add_argument("--only", default=",".join(suite.SECTIONS), help="comma-separated")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    configure()  # graphkit's progress (the sweep's stages, loads) on stderr
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(suite.SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {list(suite.SECTIONS)}")

    ctx = suite.Context(scale=args.scale, seed=args.seed, work=args.work.resolve())
    described = machine()
    started = time.perf_counter()
    rows, took = [], {}
    for name in sections:
        print(f"\n== {name} ==", flush=True)
        section_started = time.perf_counter()
        section_rows = suite.SECTIONS[name](ctx)
        took[name] = (time.perf_counter() - section_started) / 60
        rows += section_rows
        print(table(section_rows), f"\n({name}: {took[name]:.1f} min)", flush=True)
    minutes = (time.perf_counter() - started) / 60
    sections_line = ", ".join(f"{name} {m:.1f}" for name, m in took.items())
    result = table(rows)
    print(
        f"\n# graphkit benchmarks ({args.scale} scale)\n\n{result}\n\nsuite time {minutes:.1f} min"
    )
    if not args.no_record:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        RESULTS.write_text(
            f"# Benchmark results\n\nMeasured {stamp} with `python -m bench --scale {args.scale} "
            f"--only {','.join(sections)}` in {minutes:.1f} min on: {described}.\n\n"
            f"Minutes per section: {sections_line}.\n\n{result}\n\n"
            f"{suite.NOTES}\n"
        )
        print(f"recorded in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
