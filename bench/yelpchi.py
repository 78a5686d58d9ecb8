"""YelpChi (real reviews with Yelp's filter labels) through the stock loaders.

``convert`` turns ``metadata.gz`` (``user product rating label date`` per line) into the feed
files that ``loaders/reviewers.yaml``, ``products.yaml`` and ``reviews.yaml`` read, plus the
``sellers`` and ``brands`` feeds ``products`` needs today, and a labels file kept out of the
feeds directory (labels never reach the graph). Ids get the stock loaders' prefixes (R, P, RV,
S, B); the labels file uses the same reviewer ids.

Invented values, because today's mappings require them (see MAPPING_SPEC.md): every reviewer
and seller has country ``US``; each business is its own seller (``S<product>``, status
``active``) with its own brand (``B<product>``); a product's ``listed_at`` is its first review
day; ``updated_at`` is the row's last review day; review times are midnight UTC of the day.

    python -m bench.yelpchi /work/shared/data/yelpchi/metadata.gz out/yelpchi
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from graphkit import accounts, ingest
from graphkit.db import Database
from graphkit.identity import DEMO_KEY, Hasher

DATA = Path("/work/shared/data/yelpchi/metadata.gz")
COLUMNS = ["user_id", "product_id", "rating", "label", "date"]
#: The stock feeds the converter writes, in load order.
FEEDS = ["brands", "sellers", "reviewers", "products", "reviews"]


def read_metadata(path: Path = DATA) -> pd.DataFrame:
    """The reviews, one row each; a line that does not parse names its line number."""
    frame = pd.read_csv(path, sep=r"\s+", header=None, names=COLUMNS, dtype=str)
    bad = frame[frame.isna().any(axis=1)]
    if len(bad):
        raise ValueError(f"{path}: line {bad.index[0] + 1}: expected 5 fields ({COLUMNS})")
    return frame.assign(
        rating=frame["rating"].astype(float).astype(int),
        label=frame["label"].astype(int),
        ts=pd.to_datetime(frame["date"], format="%Y-%m-%d", utc=True),
    )


def convert(metadata: Path, out_dir: Path) -> Path:
    """Write ``out_dir/feeds/*`` and ``out_dir/labels.csv``; returns the feeds directory."""
    reviews = read_metadata(metadata)
    feeds = out_dir / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    reviews = reviews.assign(
        reviewer_id="R" + reviews["user_id"],
        product="P" + reviews["product_id"],
        review_id="RV" + reviews.index.astype(str),
    )
    users = reviews.groupby("reviewer_id")["ts"].max()
    pd.DataFrame(
        {"reviewer_id": users.index, "country": "US", "updated_at": users.dt.strftime("%Y-%m-%d")}
    ).to_csv(feeds / "reviewers.csv", index=False)
    days = reviews.groupby("product")["ts"].agg(["min", "max"])
    business = days.index.str.removeprefix("P")
    pd.DataFrame(
        {
            "seller_id": "S" + business,
            "country": "US",
            "status": "active",
            "updated_at": days["max"].dt.strftime("%Y-%m-%d"),
        }
    ).to_csv(feeds / "sellers.csv", index=False)
    pd.DataFrame(
        {"brand_id": "B" + business, "name": "business " + business, "updated_at": "2012-10-08"}
    ).to_csv(feeds / "brands.csv", index=False)
    pd.DataFrame(
        {
            "product_id": days.index,
            "seller_id": "S" + business,
            "brand_id": "B" + business,
            "listed_at": days["min"].dt.strftime("%Y-%m-%d"),
            "updated_at": days["max"].dt.strftime("%Y-%m-%d"),
        }
    ).to_json(feeds / "products.jsonl", orient="records", lines=True)
    reviews[["review_id", "reviewer_id", "rating", "ts"]].assign(
        product_id=reviews["product"], updated_at=reviews["ts"]
    ).to_parquet(feeds / "reviews.parquet", index=False)
    labels = reviews.groupby("reviewer_id")["label"].apply(lambda s: int((s == -1).any()))
    labels.rename("positive").to_csv(out_dir / "labels.csv")
    return feeds


def read_labels(out_dir: Path) -> pd.Series:
    """Per reviewer id: 1 when Yelp filtered any of their reviews."""
    return pd.read_csv(out_dir / "labels.csv", index_col="reviewer_id")["positive"]


def review_counts(db: Database) -> pd.Series:
    """Reviews per reviewer in the graph (for the 1/#reviews baseline)."""
    frame = db.read_df(
        "MATCH (r:Reviewer) RETURN r.reviewer_id AS id, COUNT { (r)-[:REVIEWED]->() } AS n"
    )
    return frame.set_index("id")["n"]


def load(db: Database, out_dir: Path, metadata: Path = DATA) -> list[ingest.FeedResult]:
    """Convert ``metadata`` into ``out_dir`` and load it with the stock loaders."""
    feeds = convert(metadata, out_dir)
    options = ingest.Options(feeds_dir=feeds, quarantine_dir=out_dir / "quarantine")
    return ingest.run(db, options, Hasher(DEMO_KEY), feeds=FEEDS)


def evaluate(db: Database, out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``accounts.score`` over the loaded graph, and its AUC/AP report against the labels
    (beside 1/#reviews, computed here from the graph's review counts)."""
    scores = accounts.score(db)
    reviewers = scores[scores["kind"] == "reviewer"].set_index("account_id")
    report = accounts.auc_report(reviewers["score"], read_labels(out_dir), review_counts(db))
    return scores, report


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
