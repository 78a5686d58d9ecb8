"""Ring-detection quality on the `small` marketplace of test seed 100, which no threshold was
tuned on (tuning used seeds 1-3), loaded WITHOUT the benign register; and the whole path
(sweep, report, eval) on a market whose ids carry no kind (``id_scheme="opaque"``).

The same figures, by hand: `graphkit synth --out DIR --scale small --seed 100 &&
graphkit load --feeds-dir DIR/feeds --demo-key && graphkit eval --truth DIR`; on seeds
100-102 beside the baseline: `python bench/detection_bench.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit import ingest
from graphkit.cli import app
from graphkit.db import Database
from graphkit.evaluation import load_truth, score
from graphkit.identity import Hasher
from graphkit.sweep import SweepSettings, read_report, sweep, write_report
from graphkit.synth import generate

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TEST_SEED = 100


def load_market(db: Database, out: Path, id_scheme: str) -> Path:
    """Generate the small market of the test seed and load it into the emptied graph (no
    benign register)."""
    generate(out, scale="small", seed=TEST_SEED, id_scheme=id_scheme)
    options = ingest.Options(feeds_dir=out / "feeds", quarantine_dir=out / "quarantine")
    ingest.run(db, options, Hasher.from_settings(db.settings, demo=True))
    return out


def test_quality_on_an_unseen_seed_without_the_register(
    db: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = load_market(db, tmp_path_factory.mktemp("seed100"), "prefixed")
    report = score(sweep(db), load_truth(out))
    print(report.table().to_string(index=False), report.headline(), sep="\n")
    # Targets of issue 12 met on this test seed: sellers precision >= 0.90 (0.94), other
    # accounts (paid reviewers) precision >= 0.80 (0.98) and recall >= 0.80 (0.83), benign
    # look-alikes flagged <= 1% (0.9%), no reported ring holding two planted rings, rings
    # within the size bound, rings chained by identifiers found whole. Not met (reported, not
    # asserted): sellers recall >= 0.95 (0.90: bare review pools of 2-6 reviewers, seller
    # pairs sharing one device or card, brand fronts 0/3): see bench/detection_bench.py.
    assert report.row("sellers")["precision"] >= 0.90
    assert report.row("other accounts")["precision"] >= 0.80
    assert report.row("other accounts")["recall"] >= 0.80
    assert report.benign_flagged_rate <= 0.01
    assert report.mixed_rings == []
    assert report.largest_ring <= SweepSettings().max_ring_size
    for archetype in ("identity",):
        assert report.row("sellers", archetype)["recall"] >= 0.95, archetype


def test_sweep_report_and_eval_on_opaque_ids(
    db: Database, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Nothing assumes an id's form: kinds come from labels, truth from the generic CSV."""
    out = load_market(db, tmp_path_factory.mktemp("opaque100"), "opaque")
    rings = sweep(db)
    write_report(rings, tmp_path)
    assert read_report(tmp_path) == rings
    saved = json.loads((tmp_path / "rings.json").read_text())
    assert sum(len(ring["sellers"]) for ring in saved) > 0
    assert not any(s[0] in "SR" and s[1:].isdigit() for ring in rings for s in ring.sellers)

    result = CliRunner().invoke(app, ["eval", "--truth", str(out / "truth" / "rings.csv"),
                                      "--benign", str(out / "truth" / "benign.csv")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "sellers: precision" in result.output and "benign accounts flagged" in result.output
    report = score(rings, load_truth(out / "truth" / "rings.csv", out / "truth" / "benign.csv",
                                     db))  # fmt: skip
    assert report.row("sellers")["precision"] >= 0.90 and report.row("sellers")["found"] > 0
    assert report.unresolved == 0
