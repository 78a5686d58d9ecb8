"""Score a sweep against the synthetic ground truth (``graphkit.synth.read_truth``).

Ring-member precision and recall per planted archetype, overall, and the share of benign
look-alike accounts (households, prep centres, carrier NAT...) that the sweep flagged.

>>> truth = Truth({"device-ring": {"S1", "S2", "S3"}}, benign={"S8", "S9"})
>>> ring = Ring("ring-x", ["S1", "S2", "S9"], [], [], [])
>>> report = score([ring], truth)
>>> report.precision, round(report.recall, 3), report.benign_flagged_rate
(0.667, 0.667, 0.5)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.analysis import Ring
from graphkit.db import Database
from graphkit.packs import catalog, run


@dataclass(frozen=True)
class Truth:
    """Planted ring members by archetype, and the benign look-alike accounts."""

    members: Mapping[str, set[str]]
    benign: set[str]

    @property
    def all_members(self) -> set[str]:
        return set().union(*self.members.values()) if self.members else set()


def load_truth(truth_dir: Path) -> Truth:
    """Read ``graphkit synth``'s ground truth into a :class:`Truth`."""
    from graphkit.synth import read_truth

    raw = read_truth(truth_dir)
    members: dict[str, set[str]] = {}
    for ring in raw.rings:
        members.setdefault(ring.archetype, set()).update(ring.sellers, ring.reviewers)
    benign = {a for look in raw.benign for a in (*look.sellers, *look.reviewers)}
    return Truth(members, benign - set().union(*members.values()))


@dataclass(frozen=True)
class Report:
    rows: list[dict[str, Any]]
    precision: float
    recall: float
    benign_flagged_rate: float
    n_flagged: int

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    def headline(self) -> str:
        return (
            f"overall: ring-member precision {self.precision:.3f}, recall {self.recall:.3f}, "
            f"benign look-alikes flagged {self.benign_flagged_rate:.2%} "
            f"({self.n_flagged} accounts flagged)"
        )


def _ratio(num: int, den: int) -> float:
    return round(num / den, 3) if den else 1.0


def score(rings: list[Ring], truth: Truth) -> Report:
    """Compare flagged ring members with the planted ones."""
    flagged = {m for ring in rings for m in ring.members}
    planted = truth.all_members
    rows = []
    for archetype, members in sorted(truth.members.items()):
        found = members & flagged
        # precision per archetype: flagged rings that overlap this archetype the most
        mine = [
            ring
            for ring in rings
            if max(truth.members, key=lambda a: len(truth.members[a] & set(ring.members)))
            == archetype
            and set(ring.members) & members
        ]
        in_mine = {m for ring in mine for m in ring.members}
        rows.append(
            {
                "archetype": archetype,
                "planted": len(members),
                "found": len(found),
                "recall": _ratio(len(found), len(members)),
                "rings": len(mine),
                "precision": _ratio(len(in_mine & planted), len(in_mine)),
            }
        )
    return Report(
        rows=rows,
        precision=_ratio(len(flagged & planted), len(flagged)),
        recall=_ratio(len(flagged & planted), len(planted)),
        benign_flagged_rate=len(flagged & truth.benign) / len(truth.benign)
        if truth.benign
        else 0.0,
        n_flagged=len(flagged),
    )


ACCOUNT_ID = re.compile(r"^(S\d{6}|R\d{7})$")  # seller and reviewer ids (docs/feeds.md)


def accounts_in(frame: pd.DataFrame) -> set[str]:
    """Every seller or reviewer id in a query result, in plain or list cells.

    >>> sorted(accounts_in(pd.DataFrame({"a": ["S000001"], "b": [["R0000002", "P0000003"]]})))
    ['R0000002', 'S000001']
    """
    found: set[str] = set()
    for value in frame.to_numpy().ravel():
        items = value if isinstance(value, list) else [value]
        found.update(v for v in items if isinstance(v, str) and ACCOUNT_ID.match(v))
    return found


def query_precision(db: Database, truth: Truth) -> pd.DataFrame:
    """Each table query run with its defaults: accounts it names, and the share of them that
    are planted ring members (the ``precision`` header field is filled in from this)."""
    rows = []
    for query in catalog.catalog().values():
        if query.meta.output != "table" or query.pack == "dossier":
            continue
        named = accounts_in(run(query, db))
        hits = len(named & truth.all_members)
        rows.append(
            {
                "query": query.id,
                "accounts": len(named),
                "precision": round(hits / len(named), 3) if named else None,
                "benign_flagged": len(named & truth.benign),
                "header": query.meta.precision,
            }
        )
    return pd.DataFrame(rows)


def evaluate(rings: list[Ring], truth_dir: Path) -> Report:
    """:func:`score` against the ground truth in ``truth_dir``."""
    return score(rings, load_truth(truth_dir))
