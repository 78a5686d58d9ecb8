"""`graphkit.accounts.score` and `graphkit accounts score` against the live Neo4j, and the
YelpChi check: real filter labels, loaded with the stock loaders, graphkit vs 1/#reviews."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bench import yelpchi
from graphkit import accounts
from graphkit.analysis import Ring
from graphkit.cli import app
from graphkit.db import Database

pytestmark = pytest.mark.integration

# Ids of any form. 'x9' posts five 5-star reviews on one day to products the honest crowd
# rates 2; the honest reviewers post a 2 every two months. 'lurker' never reviewed;
# 'acme' and 'acme-2' share a device, 'acme-2' is closed; 'solo' shares nothing.
MARKET = """
CREATE (:Seller {seller_id: 'acme', status: 'active'})-[:USED_DEVICE]->(d:Device {hash: 'd1'}),
       (:Seller {seller_id: 'acme-2', status: 'closed'})-[:USED_DEVICE]->(d),
       (:Seller {seller_id: 'solo', status: 'active'}),
       (:Reviewer {reviewer_id: 'lurker'})
WITH 1 AS one
UNWIND range(0, 4) AS p
MERGE (product:Product {product_id: 'item' + p})
WITH product, p
MATCH (seller:Seller {seller_id: 'acme'})
MERGE (seller)-[:LISTS]->(product)
WITH product, p
UNWIND range(0, 19) AS h
MERGE (r:Reviewer {reviewer_id: toString(1000 + h)})
CREATE (r)-[:REVIEWED {review_id: 'h' + h + '-' + p, rating: 2,
                       ts: datetime('2023-01-01T10:00:00Z') + duration({days: 60 * p + h})}]
       ->(product)
WITH DISTINCT product, p
MERGE (x:Reviewer {reviewer_id: 'x9'})
CREATE (x)-[:REVIEWED {review_id: 'x-' + p, rating: 5,
                       ts: datetime('2023-06-01T10:00:00Z') + duration({minutes: p})}]->(product)
"""


@pytest.fixture
def market(db: Database) -> Database:
    db.write(MARKET)
    return db


def test_every_account_scored_kind_from_label(market: Database) -> None:
    scores = accounts.score(market).set_index("account_id")
    assert len(scores) == 3 + 1 + 20 + 1
    assert scores.loc[["acme", "acme-2", "solo"], "kind"].eq("seller").all()
    assert scores.loc[["lurker", "x9", "1000"], "kind"].eq("reviewer").all()
    assert scores["score"].between(0, 1).all()
    honest = scores.loc[[str(1000 + h) for h in range(20)], "score"]
    assert scores.loc["x9", "score"] > honest.max()
    assert "5 reviews within 1 day" in scores.loc["x9", "reasons"]
    assert "rating deviation 3.0" in scores.loc["x9", "reasons"]
    assert scores.loc["lurker", "score"] == 0.0
    assert scores.loc["acme", "score"] > scores.loc["solo", "score"] == 0.0
    assert "linked to 1 closed/suspended sellers" in scores.loc["acme", "reasons"]


def test_ring_membership_raises_score_with_reason(market: Database) -> None:
    ring = Ring(id="ring-7", sellers=["solo"], reviewers=["1003"], links=[],
                identifier_kinds=[], score=3.0)  # fmt: skip
    before = accounts.score(market).set_index("account_id")
    after = accounts.score(market, rings=[ring]).set_index("account_id")
    for member in ("solo", "1003"):
        assert after.loc[member, "score"] > before.loc[member, "score"]
        assert after.loc[member, "reasons"].startswith("member of ring ring-7 (score 3.0)")
        assert after.loc[member, "ring_id"] == "ring-7"
    assert after.loc["x9", "score"] == before.loc["x9", "score"]


@pytest.mark.parametrize("name", ["scores.csv", "scores.parquet"])
def test_cli_writes_one_row_per_account(market: Database, tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(app, ["accounts", "score", "--out", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    path = tmp_path / name
    frame = pd.read_parquet(path) if name.endswith(".parquet") else pd.read_csv(path)
    assert list(frame.columns[:4]) == ["account_id", "kind", "score", "reasons"]
    assert len(frame) == 25 and frame.iloc[0]["account_id"] == "x9"


def test_cli_rings_dir_without_report_says_what_to_do(tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(app, ["accounts", "score", "--out", str(out), "--rings", "nope"])
    assert result.exit_code != 0
    assert "ring sweep --out nope" in result.output and not out.exists()


@pytest.mark.slow
def test_yelpchi_beats_reviews_baseline(db: Database, tmp_path: Path) -> None:
    results = yelpchi.load(db, tmp_path)
    assert [r.quarantined for r in results] == [0] * len(yelpchi.FEEDS)
    scores, report = yelpchi.evaluate(db, tmp_path)
    assert (scores["kind"] == "reviewer").sum() == 38_063
    table = report.set_index(["users", "method"])
    for users in ("all", ">=2 reviews", "tuning half: all", "held-out half: all"):
        ours, baseline = table.loc[(users, "graphkit")], table.loc[(users, "1/#reviews")]
        assert ours["auc"] > baseline["auc"] and ours["ap"] > baseline["ap"], report
