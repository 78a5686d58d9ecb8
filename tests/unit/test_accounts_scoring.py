"""The score's arithmetic without a database: ECDF suspiciousness, SpEagle's combination,
the ring noisy-OR and the AUC report (doctests run here too)."""

from __future__ import annotations

import doctest

import pandas as pd

from graphkit import accounts


def test_doctests() -> None:
    assert doctest.testmod(accounts).failed == 0


def test_orientation_follows_the_prior() -> None:
    reviews = pd.Series([1, 1, 1, 8])
    few_is_suspicious = accounts.suspiciousness(reviews, high_is_suspicious=False)
    assert few_is_suspicious.tolist() == [1.0, 1.0, 1.0, 0.25]
    assert accounts.outranked(reviews, high_is_suspicious=True).tolist() == [0, 0, 0, 0.75]


def test_combination_rewards_agreeing_features_and_stays_in_unit_interval() -> None:
    s = pd.DataFrame({"a": [1.0, 1.0, 0.5], "b": [1.0, 0.0, 0.5]})
    combined = accounts.combine(s)
    assert combined.between(0, 1).all()
    assert combined[0] > combined[2] > combined[1]


def test_auc_report_baseline_ranks_fewer_reviews_higher() -> None:
    labels = pd.Series([1, 1, 0, 0], index=list("abcd"))
    counts = pd.Series({"a": 1, "b": 2, "c": 3, "d": 4})
    report = accounts.auc_report(pd.Series(0.5, index=list("abcd")), labels, counts)
    row = report.set_index(["users", "method"]).loc[("all", "1/#reviews")]
    assert row["auc"] == 1.0 and row["n"] == 4 and row["positives"] == 2
    assert report.set_index(["users", "method"]).loc[("all", "graphkit"), "auc"] == 0.5
