"""Pack-wide quality on the `small` synthetic marketplace (planted rings, camouflage, benign
look-alikes): ring-member recall >= 0.95, precision >= 0.90, <= 1% of look-alikes flagged.

The same figures, by hand: `graphkit synth --out DIR --scale small && graphkit load
--feeds-dir DIR/feeds --demo-key && graphkit benign apply DIR/truth/benign_register.yaml
--demo-key && graphkit eval --truth DIR`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.db import Database
from graphkit.evaluation import load_truth, score
from graphkit.sweep import sweep

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_ring_member_precision_recall_and_benign_rate(
    small_marketplace: Path, database: Database
) -> None:
    """The graph is loaded by the ``small_marketplace`` fixture (generate, load, register)."""
    report = score(sweep(database), load_truth(small_marketplace))
    print(report.table().to_string(index=False), report.headline(), sep="\n")
    assert report.recall >= 0.95
    assert report.precision >= 0.90
    assert report.benign_flagged_rate <= 0.01
    assert all(row["recall"] >= 0.95 for row in report.rows), report.rows
