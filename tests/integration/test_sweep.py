"""The ring sweep end to end on a hand-built marketplace: the seller ring is found, the
household sharing one device is not, and a lockstep-only reviewer group scores 1.0 (found
only when the threshold is lowered)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.analysis import ring_id
from graphkit.db import Database
from graphkit.evaluation import Truth, score
from graphkit.sweep import SweepSettings, dossier, read_report, sweep, write_report

RING = ["R1", "R2", "S1", "S2", "S3"]
REVIEW_GROUP = ["R3", "R4", "R5"]


@pytest.mark.integration
def test_sweep_finds_the_ring_and_spares_the_household(
    marketplace: Database, tmp_path: Path
) -> None:
    assert [ring.id for ring in sweep(marketplace)] == [ring_id(RING)]
    rings = sweep(marketplace, SweepSettings(min_ring_score=1.0))
    assert [ring.id for ring in rings] == [ring_id(RING), ring_id(REVIEW_GROUP)]
    ring, group = rings
    assert ring.sellers == ["S1", "S2", "S3"] and ring.reviewers == ["R1", "R2"]
    assert group.link_counts() == {"lockstep": 3} and group.breakdown["lockstep"] == 1.0
    assert ring.identifier_kinds == ["device", "email", "payment", "phone"]
    assert ring.status_mix == {"active": 2, "closed": 1} and ring.brands == ["B1"]
    assert ring.link_counts() == {"identity": 3, "self-review": 1, "solicited": 1}
    assert set(ring.breakdown) == {
        "rarity", "identifier_kinds", "linked_sellers", "brands", "lockstep", "solicitation",
        "self_review", "closed_ratio",
    }  # fmt: skip
    evidence = next(link for link in ring.links if link.kind == "identity").evidence
    assert {"kind", "identifier", "degree", "weight", "first_seen", "last_seen"} <= set(evidence[0])

    write_report(rings, tmp_path)
    assert read_report(tmp_path) == rings
    assert "S2" in (tmp_path / "rings.csv").read_text()
    assert ring.id in (tmp_path / "summary.md").read_text()

    truth = Truth(
        {"t1": {("seller", s) for s in ring.sellers} | {("reviewer", r) for r in ring.reviewers},
         "t2": {("reviewer", r) for r in REVIEW_GROUP}},
        {"t1": "identity", "t2": "review-farm"},
        benign={("seller", "S8"): "household", ("seller", "S9"): "household"},
    )  # fmt: skip
    report = score(rings, truth)
    assert (report.precision, report.recall, report.benign_flagged_rate) == (1.0, 1.0, 0.0)
    assert report.mixed_rings == [] and report.largest_ring == 5

    graph = dossier(marketplace, ring)
    keys = {n.properties.get("seller_id") for n in graph.nodes.values()}
    assert {"S1", "S2", "S3"} <= keys
