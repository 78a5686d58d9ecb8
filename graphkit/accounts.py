"""A suspiciousness score in [0, 1] for every seller and reviewer account, with its reasons.

Behaviour features come from the canned queries ``accounts.reviewer-behaviour`` and
``accounts.seller-behaviour`` (READ, parameters only). Each feature becomes an empirical-CDF
suspiciousness in [0, 1], oriented by its published prior (few reviews, a short span, many
reviews a day, extreme ratings, deviation from the product consensus, early reviewing are
suspicious: Rayana & Akoglu, KDD 2015), and the kind's features combine as SpEagle's priors
do: ``1 - sqrt(mean((1 - s)^2))``. No weight is fitted to labels. Ring evidence, when given,
raises a member's score (noisy-OR). The kind comes from the node's label.

>>> combine(pd.DataFrame({"a": [1.0, 0.0], "b": [1.0, 0.0]})).tolist()
[1.0, 0.0]
>>> round(ring_evidence(3.0), 2)
0.75
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphkit.analysis import Ring
from graphkit.db import Database
from graphkit.packs import run

#: Days within which a reviewer's whole activity counts as a burst (SpEagle's BST, tau = 28).
BURST_DAYS = 28
#: Suspiciousness from which a feature is named as a reason, and a reviewer counts as
#: flagged evidence on the sellers whose products it reviewed.
REASON_AT = 0.9
#: At most this many reasons per account.
MAX_REASONS = 4


@dataclass(frozen=True)
class Prior:
    """A feature in the combination: which end is suspicious, how to say it, and whether 0
    means "no evidence" (then it scores 0, however common it is)."""

    high_is_suspicious: bool
    describe: Callable[[pd.Series], str]
    zero_is_no_evidence: bool = False


def _days(n: float) -> str:
    return "1 day" if n <= 1 else f"{n:.0f} days"


def _several(row: pd.Series, text: str) -> str:
    """``text`` for reviewers with two or more reviews; one review says nothing about a span."""
    return text if row.n_reviews >= 2 else ""


REVIEWER_PRIORS: dict[str, Prior] = {
    "n_reviews": Prior(False, lambda r: f"only {r.n_reviews:.0f} review(s)"),
    "span_days": Prior(
        False, lambda r: _several(r, f"all reviews within {_days(r.span_days + 1)}")
    ),
    "burstiness": Prior(True, lambda r: ""),  # the span's reason says it
    "max_per_day": Prior(True, lambda r: f"{r.max_per_day:.0f} reviews within 1 day"),
    "extreme_ratio": Prior(True, lambda r: f"{r.extreme_ratio:.0%} of ratings 1 or 5 stars"),
    "mean_deviation": Prior(
        True,
        lambda r: f"mean rating deviation {r.mean_deviation:.1f} from product consensus",
    ),
    "early_time": Prior(
        True,
        lambda r: f"reviewed early in a product's life (early-time {r.early_time:.2f})",
    ),
}

SELLER_PRIORS: dict[str, Prior] = {
    "shared_rarity": Prior(
        True, lambda r: f"shares rare identifiers (FRAUDAR weight {r.shared_rarity:.2f})", True
    ),
    "n_linked_sellers": Prior(True, lambda r: f"linked to {r.n_linked_sellers:.0f} sellers", True),
    "n_linked_closed": Prior(
        True, lambda r: f"linked to {r.n_linked_closed:.0f} closed/suspended sellers", True
    ),
    "status_closed": Prior(True, lambda r: f"status {r.status}", True),
    "flagged_reviewer_share": Prior(
        True,
        lambda r: f"{r.n_flagged_reviewers:.0f} of {r.n_reviewers:.0f} reviewers look paid",
        True,
    ),
}


def _oriented(values: pd.Series, high_is_suspicious: bool) -> pd.Series:
    return values if high_is_suspicious else -values


def suspiciousness(values: pd.Series, high_is_suspicious: bool) -> pd.Series:
    """Empirical CDF in the suspicious direction: the share of accounts at most as suspicious
    (SpEagle's prior). Missing values (no evidence) count as the least suspicious and get 0.

    >>> suspiciousness(pd.Series([1, 1, 3, None]), high_is_suspicious=False).tolist()
    [1.0, 1.0, 0.5, 0.0]
    """
    ranks = _oriented(values, high_is_suspicious).rank(method="max", na_option="top")
    return (ranks / len(values)).where(values.notna(), 0.0)


def outranked(values: pd.Series, high_is_suspicious: bool) -> pd.Series:
    """The share of accounts strictly less suspicious: what a reason needs, so that a value
    most accounts share (one review) is never named as unusual.

    >>> outranked(pd.Series([1, 1, 3, None]), high_is_suspicious=False).tolist()
    [0.5, 0.5, 0.25, 0.0]
    """
    below = _oriented(values, high_is_suspicious).rank(method="min", na_option="top") - 1
    return (below / len(values)).where(values.notna(), 0.0)


def combine(s: pd.DataFrame) -> pd.Series:
    """SpEagle's prior: ``1 - sqrt(mean((1 - s)^2))`` over the features (columns)."""
    return 1.0 - np.sqrt(((1.0 - s) ** 2).mean(axis=1))


def ring_evidence(ring_score: float) -> float:
    """A ring's score (unbounded, summed evidence) mapped into [0, 1): ``x / (1 + x)``."""
    return ring_score / (1.0 + ring_score)


def _reasons(features: pd.DataFrame, priors: dict[str, Prior]) -> pd.Series:
    """The features on which the account outranks at least REASON_AT of the accounts (any
    evidence at all, for features where 0 means none), most unusual first, as one text."""
    beyond = pd.DataFrame(
        {
            f: outranked(_evidence(features[f], p), p.high_is_suspicious).clip(
                lower=REASON_AT * (p.zero_is_no_evidence & features[f].gt(0))
            )
            for f, p in priors.items()
        }
    )

    def explain(i: int) -> str:
        row = features.iloc[i]
        strongest = beyond.iloc[i].sort_values(ascending=False, kind="stable")
        named = [priors[f].describe(row) for f, v in strongest.items() if v >= REASON_AT]
        return "; ".join(list(filter(None, named))[:MAX_REASONS])

    return pd.Series([explain(i) for i in range(len(features))], index=features.index, dtype=object)


def _evidence(values: pd.Series, prior: Prior) -> pd.Series:
    return values.mask(values == 0) if prior.zero_is_no_evidence else values


def _scored(features: pd.DataFrame, priors: dict[str, Prior]) -> pd.DataFrame:
    s = pd.DataFrame(
        {
            f: suspiciousness(_evidence(features[f], p), p.high_is_suspicious)
            for f, p in priors.items()
        }
    )
    return features.assign(score=combine(s), reasons=_reasons(features, priors))


def reviewer_features(db: Database, **params: object) -> pd.DataFrame:
    """``accounts.reviewer-behaviour`` plus the span and SpEagle's burstiness (BST)."""
    frame = run("accounts.reviewer-behaviour", db, **params)
    assert isinstance(frame, pd.DataFrame)
    span = (frame["last_day"] - frame["first_day"]).astype(float)
    return frame.assign(
        span_days=span, burstiness=(1.0 - span / BURST_DAYS).clip(lower=0.0)
    ).rename(columns={"reviewer_id": "account_id"})


def seller_features(db: Database, flagged_reviewers: list[str], **params: object) -> pd.DataFrame:
    """``accounts.seller-behaviour`` plus the share of its reviewers flagged by behaviour."""
    frame = run("accounts.seller-behaviour", db, **params)
    flagged = run("accounts.seller-reviewers", db, reviewer_ids=flagged_reviewers)
    assert isinstance(frame, pd.DataFrame) and isinstance(flagged, pd.DataFrame)
    frame = frame.merge(flagged, on="seller_id", how="left").fillna({"n_flagged_reviewers": 0})
    share = frame["n_flagged_reviewers"] / frame["n_reviewers"].where(frame["n_reviewers"] > 0)
    return frame.assign(
        status_closed=frame["status"].isin(["closed", "suspended"]).astype(float),
        flagged_reviewer_share=share.fillna(0.0),
    ).rename(columns={"seller_id": "account_id"})


def _with_rings(scores: pd.DataFrame, rings: Iterable[Ring]) -> pd.DataFrame:
    """Raise ring members' scores by noisy-OR with their strongest ring's evidence."""
    best: dict[tuple[str, str], Ring] = {}
    for ring in rings:
        for account in ring.accounts:  # (kind, id): a seller and a reviewer may share an id
            if account not in best or ring.score > best[account].score:
                best[account] = ring
    if not best:
        return scores
    keys = zip(scores["kind"], scores["account_id"], strict=True)
    ring_of = pd.Series([best.get(key) for key in keys], index=scores.index, dtype=object)
    evidence = ring_of.map(lambda r: ring_evidence(r.score), na_action="ignore").fillna(0.0)
    said = ring_of.map(lambda r: f"member of ring {r.id} (score {r.score:.1f})", na_action="ignore")
    reasons = [
        "; ".join(filter(None, [ring_reason, own])) if isinstance(ring_reason, str) else own
        for ring_reason, own in zip(said, scores["reasons"], strict=True)
    ]
    return scores.assign(
        ring_id=ring_of.map(lambda r: r.id, na_action="ignore"),
        score=1.0 - (1.0 - scores["score"]) * (1.0 - evidence),
        reasons=reasons,
    )


def score(
    db: Database,
    rings: Iterable[Ring] | None = None,
    *,
    min_product_reviews: int = 3,
    early_window_days: int = 210,
    max_identifier_degree: int = 50,
) -> pd.DataFrame:
    """One row per Seller and Reviewer node: ``account_id``, ``kind``, ``score``, ``reasons``
    and the component features (NaN where they do not apply to the kind).

    Reviewers with no reviews and sellers with no evidence score 0.

    >>> with Database() as db:                                      # doctest: +SKIP
    ...     score(db).nlargest(3, "score")[["account_id", "kind", "score", "reasons"]]
    """
    accounts = run("accounts.list", db)
    assert isinstance(accounts, pd.DataFrame)
    reviewers = _scored(
        reviewer_features(
            db, min_product_reviews=min_product_reviews, early_window_days=early_window_days
        ),
        REVIEWER_PRIORS,
    )
    flagged = reviewers.loc[reviewers["score"] >= reviewers["score"].quantile(REASON_AT)]
    sellers = _scored(
        seller_features(
            db, flagged["account_id"].tolist(), max_identifier_degree=max_identifier_degree
        ),
        SELLER_PRIORS,
    )
    by_kind = pd.concat(
        [reviewers.assign(kind="reviewer"), sellers.assign(kind="seller")], ignore_index=True
    )
    scores = accounts.merge(by_kind, on=["account_id", "kind"], how="left")
    scores = scores.fillna({"score": 0.0, "reasons": ""})
    if rings is not None:
        scores = _with_rings(scores, rings)
    first = ["account_id", "kind", "score", "reasons"]
    ordered = scores[first + [c for c in scores.columns if c not in first]]
    return ordered.sort_values(["score", "account_id"], ascending=[False, True], ignore_index=True)


def auc_report(scores: pd.Series, labels: pd.Series, n_reviews: pd.Series) -> pd.DataFrame:
    """ROC AUC and average precision of ``scores`` and of the 1/#reviews baseline, over all
    accounts in ``labels`` (index: account id, 1 = positive) and over those with >= 2 reviews.

    >>> labels = pd.Series([1, 0, 0], index=["a", "b", "c"])
    >>> auc_report(pd.Series({"a": .9, "b": .2, "c": .1}), labels,
    ...            pd.Series({"a": 1, "b": 2, "c": 2}))["auc"].tolist()
    [1.0, 1.0, nan, nan]
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    n = n_reviews.reindex(labels.index).fillna(0)
    ranked = {
        "graphkit": scores.reindex(labels.index).fillna(0.0),
        "1/#reviews": 1.0 / n.clip(lower=1),
    }
    rows = []
    for users, subset in (("all", n >= 0), (">=2 reviews", n >= 2)):
        y = labels[subset]
        for method, s in ranked.items():
            two_classes = y.nunique() == 2
            rows.append(
                {
                    "users": users,
                    "method": method,
                    "n": int(subset.sum()),
                    "positives": int(y.sum()),
                    "auc": roc_auc_score(y, s[subset]) if two_classes else float("nan"),
                    "ap": average_precision_score(y, s[subset]) if two_classes else float("nan"),
                }
            )
    return pd.DataFrame(rows)
