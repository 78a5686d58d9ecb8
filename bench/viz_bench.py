"""How long a 2,000-node ring takes to render: HTML in Python, then physics in Chromium.

Builds a made-up ring (``graphkit.viz.example_ring``: sellers sharing identifiers, brands and
reviewers), renders it uncapped to one offline HTML file, then opens that file in headless
Chromium with the network cut off and reads ``window.graphkitStableMs`` (from the page's
script start to physics stabilised and frozen). Prints a markdown table of medians.

    python bench/viz_bench.py                 # 2,000 nodes, 3 runs
    python bench/viz_bench.py --nodes 500 --runs 5
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from statistics import median

from graphkit import browser, viz


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    ring = viz.example_ring(args.nodes)
    python_s, page = [], ""
    for _ in range(args.runs):
        start = time.perf_counter()
        net = viz.render(ring, max_nodes=args.nodes)
        page = viz.to_html(net, title=f"{args.nodes}-node ring")
        python_s.append(time.perf_counter() - start)
    path = Path(tempfile.mkdtemp(prefix="viz-bench-")) / "ring.html"
    path.write_text(page, encoding="utf-8")

    stable_ms, wall_s = [], []
    with browser.chromium() as chromium:
        for _ in range(args.runs):
            start = time.perf_counter()
            tab = browser.open_guarded(chromium, path.as_uri())
            stable_ms.append(browser.wait_stable(tab.page, timeout_s=600))
            wall_s.append(time.perf_counter() - start)
            drawn = tab.page.evaluate("window.graphkitNetwork.body.data.nodes.length")
            assert drawn == len(net.nodes) and not tab.blocked and not tab.errors
            tab.page.context.close()

    steps = net.options["physics"]["stabilization"]["iterations"]
    rows = [
        ("nodes / relationships drawn", f"{len(net.nodes):,} / {len(net.edges):,}"),
        ("HTML size", f"{len(page.encode()) / 1e6:.2f} MB"),
        ("render + to_html in Python", f"{median(python_s):.2f} s"),
        ("physics steps (vis stabilization.iterations)", str(steps)),
        ("Chromium: script start to physics stabilised", f"{median(stable_ms) / 1e3:.2f} s"),
        ("Chromium: open file to stabilised (wall)", f"{median(wall_s):.2f} s"),
        ("CPUs, load average (1 min) at the end", f"{os.cpu_count()}, {os.getloadavg()[0]:.1f}"),
    ]
    print(f"\n| {args.nodes}-node ring, median of {args.runs} runs | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
