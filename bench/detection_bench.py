"""Ring-detection quality on synthetic test seeds, beside a simple baseline run on the same graph.

    python bench/detection_bench.py --seeds 100 101 102 [--scale small] [--work out/detect]
        [--register] [--old-rings DIR]

For each seed: generate the marketplace (``graphkit synth``), wipe the running managed Neo4j
and bulk-load it (no benign register unless ``--register``), then score against the
generator's truth:

- ``sweep``: ``graphkit ring sweep`` with its default settings (tuned on seeds 1-3 only);
- ``baseline``: connected components of seller identity links only (``graphkit ring
  clusters``, at least ``BASELINE_MIN_MEMBERS`` accounts): the approach before communities;
- ``old``: with ``--old-tree DIR``, the ``ring sweep`` of an older graphkit checkout (e.g.
  ``git worktree add /tmp/old 9cd7d25``, the last commit with connected components) run on
  the same graph, its ``rings.json`` scored by this evaluation.

Prints one table: per seed and method, precision and recall for sellers and for other
accounts, benign look-alikes flagged, rings holding two planted rings, the largest ring.
Uses the managed Neo4j of the environment (GRAPHKIT_HOME ...; start it first with
`graphkit neo4j start`): its data is wiped.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pandas as pd

from graphkit.db import Database
from graphkit.evaluation import Report, Truth, load_truth, score
from graphkit.sweep import SweepSettings, identity_clusters, read_report, sweep

GRAPHKIT = [sys.executable, "-m", "graphkit"]
BASELINE_MIN_MEMBERS = 3  # a pair sharing one identifier is as often a couple as a ring


def graphkit(*args: str) -> None:
    """Run a graphkit command; stop the bench with its own error message when it fails."""
    done = subprocess.run([*GRAPHKIT, *args], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"graphkit {' '.join(args)} failed (exit {done.returncode}):\n{done.stderr}")


def load(data: Path, scale: str, seed: int, register: bool) -> None:
    if not (data / "truth" / "ground_truth.json").is_file():
        graphkit("synth", "--scale", scale, "--seed", str(seed), "--out", str(data))
    graphkit("neo4j", "reset", "--yes")
    graphkit("load", "--feeds-dir", str(data / "feeds"), "--demo-key", "--bulk",
             "--quarantine-dir", str(data / "quarantine"),
             "--max-bad-ratio", "0.05")  # fmt: skip  # the generator plants ~1% dirty rows
    if register:
        graphkit("benign", "apply", str(data / "truth" / "benign_register.yaml"), "--demo-key")


def baseline(db: Database, truth: Truth, settings: SweepSettings) -> Report:
    """The baseline scored: identity components of at least ``BASELINE_MIN_MEMBERS``."""
    clusters = identity_clusters(db, settings)
    return score([c for c in clusters if len(c.members) >= BASELINE_MIN_MEMBERS], truth)


def row(seed: int, method: str, report: Report) -> dict[str, object]:
    sellers, others = report.row("sellers"), report.row("other accounts")
    return {
        "seed": seed,
        "method": method,
        "sellers P": sellers["precision"],
        "sellers R": sellers["recall"],
        "others P": others["precision"],
        "others R": others["recall"],
        "benign flagged": f"{report.benign_flagged} ({report.benign_flagged_rate:.1%})",
        "mixed rings": len(report.mixed_rings),
        "largest ring": report.largest_ring,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[100, 101, 102])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--work", type=Path, default=Path("out/detect"))
    parser.add_argument("--register", action="store_true", help="apply the benign register")
    parser.add_argument("--old-tree", type=Path, help="an older graphkit checkout to compare")
    parser.add_argument("--skip-load", action="store_true", help="the graph holds the one seed")
    args = parser.parse_args()
    rows, archetypes = [], []
    for seed in args.seeds:
        data = args.work / f"{args.scale}-{seed}"
        if not args.skip_load:
            load(data, args.scale, seed, args.register)
        truth = load_truth(data)
        settings = SweepSettings()
        with Database() as db:
            report = score(sweep(db, settings), truth)
            rows += [
                row(seed, "sweep", report),
                row(seed, "baseline", baseline(db, truth, settings)),
            ]
        if args.old_tree:  # run from the old checkout, so that it imports its own graphkit
            old = (data / "old-sweep").resolve()
            sweep_old = [*GRAPHKIT, "ring", "sweep", "--out", str(old)]
            subprocess.run(sweep_old, check=True, capture_output=True, cwd=args.old_tree)
            rows.append(row(seed, "old", score(read_report(old), truth)))
        archetypes.append(report.table().assign(seed=seed))
        print(report.headline(), file=sys.stderr, flush=True)
    print(pd.concat(archetypes).to_string(index=False))
    print()
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
