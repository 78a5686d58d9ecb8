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
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from graphkit import browser, viz


@dataclass
class VizTimes:
    nodes: int
    edges: int
    html_mb: float
    python_s: float
    stable_s: float
    wall_s: float
    steps: int


def measure(nodes: int = 2000, runs: int = 3) -> VizTimes:
    """Median times over ``runs`` for a ``nodes``-node ring (see the module docstring)."""
    ring = viz.example_ring(nodes)
    python_s, page = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        net = viz.render(ring, max_nodes=nodes)
        page = viz.to_html(net, title=f"{nodes}-node ring")
        python_s.append(time.perf_counter() - start)
    path = Path(tempfile.mkdtemp(prefix="viz-bench-")) / "ring.html"
    path.write_text(page, encoding="utf-8")

    stable_ms, wall_s = [], []
    with browser.chromium() as chromium:
        for _ in range(runs):
            start = time.perf_counter()
            tab = browser.open_guarded(chromium, path.as_uri())
            stable_ms.append(browser.wait_stable(tab.page, timeout_s=600))
            wall_s.append(time.perf_counter() - start)
            drawn = tab.page.evaluate("window.graphkitNetwork.body.data.nodes.length")
            assert drawn == len(net.nodes) and not tab.blocked and not tab.errors
            tab.page.context.close()
    steps = net.options["physics"]["stabilization"]["iterations"]
    return VizTimes(len(net.nodes), len(net.edges), len(page.encode()) / 1e6,
                    median(python_s), median(stable_ms) / 1e3, median(wall_s), steps)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    t = measure(args.nodes, args.runs)
    rows = [
        ("nodes / relationships drawn", f"{t.nodes:,} / {t.edges:,}"),
        ("HTML size", f"{t.html_mb:.2f} MB"),
        ("render + to_html in Python", f"{t.python_s:.2f} s"),
        ("physics steps (vis stabilization.iterations)", str(t.steps)),
        ("Chromium: script start to physics stabilised", f"{t.stable_s:.2f} s"),
        ("Chromium: open file to stabilised (wall)", f"{t.wall_s:.2f} s"),
        ("CPUs, load average (1 min) at the end", f"{os.cpu_count()}, {os.getloadavg()[0]:.1f}"),
    ]
    print(f"\n| {args.nodes}-node ring, median of {args.runs} runs | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
