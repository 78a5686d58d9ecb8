"""YelpChi (real reviews with Yelp's filter labels) through the stock loaders.

``convert`` turns ``metadata.gz`` (``user product rating label date`` per line) into the feed
files that ``loaders/reviewers.yaml``, ``products.yaml`` and ``reviews.yaml`` read, plus the
``sellers`` and ``brands`` feeds ``products`` needs, and a labels file kept out of the feeds
directory (labels never reach the graph). Ids are the file's own (users and businesses are
numbers; a review's id is its line number).

The labels file also gives each user's half of a deterministic split of the businesses
(CRC-32 of the business id, even or odd) by the business of the user's first review: choices
are made on the tuning half (0) and checked on the held-out half (1).

Invented values, because the stock mappings require them: every reviewer
and seller has country ``US``; each business is its own seller (the business id, status
``active``) with its own brand (the same id); a product's ``listed_at`` is its first review
day; ``updated_at`` is the row's last review day; review times are midnight UTC of the day.

    python -m bench.yelpchi ../shared/data/yelpchi/metadata.gz out/yelpchi

The file is looked for in ``shared/`` beside the repository (as CI lays it out), or where
``GRAPHKIT_YELPCHI`` points.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import Row, fresh_database
from graphkit import accounts, ingest
from graphkit.db import Database
from graphkit.identity import DEMO_KEY, Hasher

REPO = Path(__file__).resolve().parents[1]
DATA = Path(
    os.environ.get("GRAPHKIT_YELPCHI", REPO.parent / "shared" / "data" / "yelpchi" / "metadata.gz")
)
COLUMNS = ["user_id", "product_id", "rating", "label", "date"]
#: The stock feeds the converter writes, in load order.
FEEDS = ["brands", "sellers", "reviewers", "products", "reviews"]
#: The split halves' names, by ``business_half``.
HALVES = {0: "tuning half", 1: "held-out half"}


def read_metadata(path: Path = DATA) -> pd.DataFrame:
    """The reviews, one row each; a line that does not parse names its line number."""
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"YelpChi not found at {path}: put the repository beside shared/ (as CI lays it "
            "out) or set GRAPHKIT_YELPCHI to the metadata.gz file"
        )
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
    reviews = reviews.assign(reviewer_id=reviews["user_id"], review_id=reviews.index.astype(str))
    users = reviews.groupby("reviewer_id")["ts"].max()
    pd.DataFrame(
        {"reviewer_id": users.index, "country": "US", "updated_at": users.dt.strftime("%Y-%m-%d")}
    ).to_csv(feeds / "reviewers.csv", index=False)
    days = reviews.groupby("product_id")["ts"].agg(["min", "max"])
    business = days.index
    pd.DataFrame(
        {
            "seller_id": business,
            "country": "US",
            "status": "active",
            "updated_at": days["max"].dt.strftime("%Y-%m-%d"),
        }
    ).to_csv(feeds / "sellers.csv", index=False)
    pd.DataFrame(
        {"brand_id": business, "name": "business " + business, "updated_at": "2012-10-08"}
    ).to_csv(feeds / "brands.csv", index=False)
    pd.DataFrame(
        {
            "product_id": business,
            "seller_id": business,
            "brand_id": business,
            "listed_at": days["min"].dt.strftime("%Y-%m-%d"),
            "updated_at": days["max"].dt.strftime("%Y-%m-%d"),
        }
    ).to_json(feeds / "products.jsonl", orient="records", lines=True)
    reviews[["review_id", "reviewer_id", "product_id", "rating", "ts"]].assign(
        updated_at=reviews["ts"]
    ).to_parquet(feeds / "reviews.parquet", index=False)
    users = reviews.groupby("reviewer_id")
    first = reviews.sort_values("ts", kind="stable").groupby("reviewer_id")["product_id"].first()
    pd.DataFrame(
        {
            "positive": users["label"].apply(lambda s: int((s == -1).any())),
            "business_half": first.map(business_half),
        }
    ).to_csv(out_dir / "labels.csv")
    return feeds


def business_half(business_id: str) -> int:
    """The business's half of the split: CRC-32 of its id, even (0) or odd (1).

    >>> business_half("116"), business_half("0")
    (0, 1)
    """
    return zlib.crc32(business_id.encode()) % 2


def read_labels(out_dir: Path, column: str = "positive") -> pd.Series:
    """Per reviewer id: 1 when Yelp filtered any of their reviews (or ``business_half``)."""
    labels = pd.read_csv(out_dir / "labels.csv", dtype={"reviewer_id": str})
    return labels.set_index("reviewer_id")[column]


def review_counts(db: Database) -> pd.Series:
    """Reviews per reviewer in the graph (for the 1/#reviews baseline)."""
    frame = db.read_df(
        "MATCH (r:Reviewer) RETURN r.reviewer_id AS id, COUNT { (r)-[:REVIEWED]->() } AS n"
    )
    return frame.set_index("id")["n"]


def load(db: Database, out_dir: Path, metadata: Path = DATA) -> list[ingest.FeedResult]:
    """Convert ``metadata`` into ``out_dir`` and load it with the stock loaders (which apply
    the schema first)."""
    feeds = convert(metadata, out_dir)
    options = ingest.Options(feeds_dir=feeds, quarantine_dir=out_dir / "quarantine")
    return ingest.run(db, options, Hasher(DEMO_KEY), feeds=FEEDS)


def evaluate(db: Database, out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``accounts.score`` over the loaded graph, and its AUC/AP report against the labels
    (beside 1/#reviews, computed here from the graph's review counts), over all users and
    over each half of the split (``users`` like ``"held-out half: all"``)."""
    scores = accounts.score(db)
    reviewers = scores[scores["kind"] == "reviewer"].set_index("account_id")
    labels, halves, counts = (
        read_labels(out_dir),
        read_labels(out_dir, "business_half"),
        review_counts(db),
    )
    reports = [accounts.auc_report(reviewers["score"], labels, counts)]
    for half, name in HALVES.items():
        report = accounts.auc_report(reviewers["score"], labels[halves == half], counts)
        reports.append(report.assign(users=name + ": " + report["users"]))
    return scores, pd.concat(reports, ignore_index=True)


def speagle(labels: pd.Series) -> tuple[pd.Series, float] | str:
    """SpEagle (UGFraud, with the behavioural priors it ships for YelpChi): per-user belief of
    being a spammer, keyed like ``labels``, and its run time; or why it could not run."""
    try:
        from UGFraud.Demo import demo_pre
        from UGFraud.Detector import SpEagle as speagle_module
    except ImportError as exc:
        return f"UGFraud not installed ({exc.name}): pip install -e '.[bench]'"
    started = time.perf_counter()
    data_path = Path(demo_pre.__file__).resolve().parent.parent / "Yelp_Data"
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        with contextlib.redirect_stdout(io.StringIO()):
            demo_pre.data_to_network_graph(f"{data_path}/")
        graph = speagle_module.load_graph("Yelp_graph_data.json")
    numerical_eps, eps = 1e-5, 0.1  # UGFraud's eval_SpEagle.py settings
    user_review = np.log(np.array([[1 - numerical_eps, numerical_eps],
                                   [numerical_eps, 1 - numerical_eps]]))  # fmt: skip
    review_product = np.log(np.array([[1 - eps, eps], [eps, 1 - eps]]))
    potentials = {"u_r": user_review, "r_u": user_review, "r_p": review_product,
                  "p_r": review_product}  # fmt: skip
    model = speagle_module.SpEagle(graph, potentials, message=None, max_iters=4)
    model.schedule(schedule_type="bfs")
    model.run_bp(start_iter=0, max_iters=2, tol=1e-3)
    beliefs, _, _ = model.classify()
    by_user = pd.Series({str(user): belief for user, belief in beliefs.items()})
    return by_user.reindex(labels.index), time.perf_counter() - started


def section(work: Path) -> list[Row]:
    """`python -m bench --only yelpchi`: load YelpChi into a fresh bench database with the
    stock loaders, score every account, and report per-user AUC/AP beside 1/#reviews and
    SpEagle, all computed in this run."""
    out_dir = work / "yelpchi"
    with fresh_database() as db:
        load(db, out_dir)
        started = time.perf_counter()
        _, report = evaluate(db, out_dir)
        seconds = time.perf_counter() - started
    labels = read_labels(out_dir)
    peer = speagle(labels)
    if not isinstance(peer, str):
        beliefs, peer_seconds = peer
        counts = pd.read_parquet(out_dir / "feeds" / "reviews.parquet")["reviewer_id"]
        theirs = accounts.auc_report(beliefs, labels, counts.value_counts())
        report = pd.concat(
            [report, theirs[theirs["method"] == "graphkit"].assign(method="SpEagle")]
        )
    table = report.set_index(["users", "method"])
    rows = []
    halves = [f"{name}: all" for name in HALVES.values()]
    for users in ["all", ">=2 reviews", *halves]:
        for metric in ("auc", "ap"):
            ours = table.loc[(users, "graphkit"), metric]
            what = f"{users.removesuffix(': all')} users: {metric.upper()}"
            rows.append(Row("yelpchi", what, ours,
                            peer="1/#reviews", peer_value=table.loc[(users, "1/#reviews"), metric],
                            note=f"{table.loc[(users, 'graphkit'), 'n']:,} users"))  # fmt: skip
            if users in halves:
                continue
            if isinstance(peer, str):
                rows.append(Row("yelpchi", what, ours, peer=f"SpEagle: {peer}"))  # fmt: skip
            else:
                rows.append(Row("yelpchi", what, ours, peer="SpEagle (UGFraud)",
                                peer_value=table.loc[(users, "SpEagle"), metric]))  # fmt: skip
    rows.append(Row("yelpchi", "accounts score time", seconds, "s", higher_is_better=False,
                    peer="SpEagle (UGFraud)" if not isinstance(peer, str) else "",
                    peer_value=None if isinstance(peer, str) else peer_seconds))  # fmt: skip
    return rows


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
