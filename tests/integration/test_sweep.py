"""The ring sweep end to end on a hand-built marketplace: the seller ring is found with its
self-reviewing, paid and lockstep reviewers, a review-only pool is reported as a ring of its
own, and the household sharing one device is not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphkit.analysis import ring_id
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.evaluation import Truth, score
from graphkit.packs import run
from graphkit.sweep import SweepSettings, dossier, read_report, sweep, write_report

RING = ["R1", "R2", "R3", "R4", "R5", "S1", "S2", "S3"]
REVIEW_GROUP = ["R6", "R7", "R8"]


@pytest.mark.integration
def test_sweep_finds_the_ring_and_spares_the_household(
    marketplace: Database, tmp_path: Path
) -> None:
    rings = sweep(marketplace)
    assert [ring.id for ring in rings] == [ring_id(RING), ring_id(REVIEW_GROUP)]
    assert sweep(marketplace, SweepSettings(min_surprise=10.0))[0].reviewers == ["R1", "R2"]
    ring, group = rings
    assert ring.sellers == ["S1", "S2", "S3"] and ring.reviewers == RING[:5]
    assert group.link_counts() == {"lockstep": 3} and group.breakdown["lockstep"] == 1.0
    lockstep = next(link for link in group.links).evidence[0]
    assert lockstep["n_products"] == 3 and lockstep["expected"] < 0.2 and lockstep["surprise"] >= 3
    assert ring.identifier_kinds == ["device", "email", "payment", "phone"]
    assert ring.status_mix == {"active": 2, "closed": 1} and ring.brands == ["B1"]
    assert ring.link_counts() == {
        "identity": 4, "lockstep": 3, "lockstep-seller": 12, "self-review": 1, "solicited": 1,
    }  # fmt: skip
    paid = next(link for link in ring.links if link.kind == "solicited")
    assert paid.evidence[0]["refund_after_review"] and paid.evidence[0]["refund_share"] == 1.0
    assert set(ring.breakdown) == {
        "rarity", "identifier_kinds", "linked_sellers", "brands", "lockstep", "solicitation",
        "self_review", "bursts", "closed_ratio",
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
    assert report.mixed_rings == [] and report.largest_ring == 8

    graph = dossier(marketplace, ring)
    keys = {n.properties.get("seller_id") for n in graph.nodes.values()}
    assert {"S1", "S2", "S3"} <= keys


@pytest.mark.integration
def test_the_sweep_stops_rather_than_drop_evidence(marketplace: Database) -> None:
    """An evidence query over its row cap is an error naming the query and the option, not a
    silently truncated sweep (a canned query's cap is for investigators)."""
    with pytest.raises(GraphkitError, match="would drop evidence") as raised:
        sweep(marketplace, SweepSettings(max_evidence_rows=1))
    assert "--max-evidence-rows" in (raised.value.hint or "")


@pytest.mark.integration
def test_lockstep_in_passes_finds_every_pair_once(marketplace: Database) -> None:
    """A graph whose pairs outgrow the transaction memory is searched in passes: together
    they return exactly the one-pass rows, and the sweep finds the same rings."""
    key = ["reviewer_a", "reviewer_b"]
    whole = run("reviews.lockstep", marketplace, min_products=2).sort_values(key)
    passes = [
        run("reviews.lockstep", marketplace, min_products=2, parts=3, part=k) for k in range(3)
    ]
    joined = pd.concat(passes).sort_values(key)
    assert len(whole) >= 3 and sum(len(p) > 0 for p in passes) >= 2
    assert joined.to_dict("records") == whole.to_dict("records")
    reviews = marketplace.read("MATCH ()-[:REVIEWED]->() RETURN count(*) AS n")[0]["n"]
    in_passes = SweepSettings(lockstep_reviews_per_pass=max(1, reviews // 4))
    assert [r.id for r in sweep(marketplace, in_passes)] == [r.id for r in sweep(marketplace)]
