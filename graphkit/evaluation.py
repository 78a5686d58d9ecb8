"""Score a sweep against a truth file: precision and recall per account kind and archetype.

The truth is either a generic CSV, ``account_id,ring_id[,archetype]`` (with an optional benign
CSV ``account_id,kind``), or a ``graphkit synth --out`` directory. An account's kind (seller or
reviewer) comes from its label in the graph (or from the generator's truth), never from its id.

>>> truth = Truth({"t1": {("seller", "a"), ("seller", "b"), ("reviewer", "c")}},
...               {"t1": "identity"}, benign={("seller", "z"): "household"})
>>> ring = Ring("ring-x", ["a", "z"], ["c"], [], [])
>>> report = score([ring], truth)
>>> [(r["group"], r["precision"], r["recall"]) for r in report.rows[:2]]
[('sellers', 0.5, 0.5), ('other accounts', 1.0, 1.0)]
>>> report.benign_flagged, report.largest_ring
(1, 3)
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphkit.analysis import Account, Ring
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.graphmodel import ACCOUNTS, REVIEWER, SELLER
from graphkit.packs import catalog, run
from graphkit.packs.output import records

#: How reports name each account kind's group.
GROUPS = {SELLER: "sellers", REVIEWER: "other accounts"}


@dataclass(frozen=True)
class Truth:
    """Planted rings (truth ring id -> accounts as ``(kind, id)``), each ring's archetype
    (``""`` when the truth gives none), benign accounts with their kind (household, prep
    centre...), and truth ids that name no account in the graph."""

    rings: Mapping[str, set[Account]]
    archetypes: Mapping[str, str]
    benign: Mapping[Account, str] = field(default_factory=dict)
    unresolved: frozenset[str] = frozenset()

    @property
    def all_members(self) -> set[Account]:
        return set().union(*self.rings.values()) if self.rings else set()

    def ring_of(self) -> dict[Account, str]:
        return {account: ring for ring, members in self.rings.items() for account in members}


# ------------------------------------------------------------------------------ loading


def load_truth(path: Path, benign: Path | None = None, db: Database | None = None) -> Truth:
    """A truth from a synth output directory or a generic CSV (kinds looked up in ``db``).

    A directory is read as ``graphkit synth`` wrote it (``truth/ground_truth.json``), or as a
    directory holding ``rings.csv`` (and ``benign.csv``), directly or under ``truth/``.
    """
    if path.is_dir():
        if (path / "truth" / "ground_truth.json").is_file():
            return _synth_truth(path)
        for folder in (path / "truth", path):
            if (folder / "rings.csv").is_file():
                default_benign = folder / "benign.csv"
                benign = benign or (default_benign if default_benign.is_file() else None)
                return load_truth(folder / "rings.csv", benign, db)
        raise GraphkitError(
            f"{path}: no truth found (neither truth/ground_truth.json nor rings.csv)",
            hint="pass a `graphkit synth --out` directory or a CSV account_id,ring_id[,archetype]",
        )
    rows = _read_csv(path, required=("account_id", "ring_id"), optional=("archetype", "kind"))
    benign_rows = _read_csv(benign, required=("account_id", "kind")) if benign else []
    ids = {row["account_id"] for row in rows + benign_rows}
    kinds = _kinds_in_graph(db, ids) if db is not None else {}
    rings: dict[str, set[Account]] = {}
    archetypes: dict[str, str] = {}
    unresolved = set()
    for row in rows:
        accounts = _accounts(row, row.get("kind"), kinds, path)
        if not accounts:
            unresolved.add(row["account_id"])
        rings.setdefault(row["ring_id"], set()).update(accounts)
        archetypes.setdefault(row["ring_id"], row.get("archetype") or "")
    benign_accounts = {}
    for row in benign_rows:
        accounts = _accounts(row, None, kinds, path)
        if not accounts:
            unresolved.add(row["account_id"])
        benign_accounts.update(dict.fromkeys(accounts, row["kind"]))
    return Truth(rings, archetypes, benign_accounts, frozenset(unresolved))


def _synth_truth(out_dir: Path) -> Truth:
    from graphkit.synth import read_truth

    raw = read_truth(out_dir)
    rings = {
        ring.ring_id: {(SELLER, s) for s in ring.sellers} | {(REVIEWER, r) for r in ring.reviewers}
        for ring in raw.rings
    }
    planted = set().union(*rings.values()) if rings else set()
    benign = {
        account: look.reason
        for look in raw.benign
        for account in {(SELLER, s) for s in look.sellers} | {(REVIEWER, r) for r in look.reviewers}
        if account not in planted
    }
    return Truth(rings, {ring.ring_id: ring.archetype for ring in raw.rings}, benign)


def _read_csv(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """The CSV's rows (stripped, with their ``line`` number), each checked for the required
    fields."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in required if name not in header]
            if missing:
                raise GraphkitError(
                    f"{path}: missing column {', '.join(repr(m) for m in missing)} "
                    f"(header: {', '.join(header) or 'empty'})",
                    hint=f"the truth CSV needs the columns {', '.join(required + optional)}",
                )
            rows = []
            for line, raw in enumerate(reader, start=2):
                row = {
                    (k or "").strip(): (v or "").strip()
                    for k, v in raw.items()
                    if k is not None and not isinstance(v, list)
                }
                for name in required:
                    if not row.get(name):
                        raise GraphkitError(
                            f"{path}, row {line}: empty field '{name}'",
                            hint="every row needs " + " and ".join(required),
                        )
                rows.append({**row, "line": str(line)})
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GraphkitError(f"cannot read truth file {path}: {exc}") from None


def _kinds_in_graph(db: Database, ids: Iterable[str]) -> dict[str, set[str]]:
    """Each id's account kinds, from the labels of the accounts that hold it."""
    found: dict[str, set[str]] = {}
    for row in records(run("dossier.accounts", db, force=True, account_ids=sorted(ids))):
        found.setdefault(row["account_id"], set()).add(row["kind"])
    return found


def _accounts(
    row: Mapping[str, str], stated: str | None, kinds: Mapping[str, set[str]], path: Path
) -> set[Account]:
    """A truth row's accounts: of the kind its ``kind`` column states, else of the kinds the
    graph holds under that id (none when the id names no account)."""
    account_id = row["account_id"]
    if stated:
        if stated not in ACCOUNTS:
            raise GraphkitError(
                f"{path}, row {row['line']}: field 'kind': unknown account kind '{stated}'",
                hint=f"kind is one of {', '.join(ACCOUNTS)} (or leave the column out)",
            )
        return {(stated, account_id)}
    return {(kind, account_id) for kind in kinds.get(account_id, ())}


# ------------------------------------------------------------------------------ scoring


@dataclass(frozen=True)
class Report:
    """Precision/recall rows (per kind, then per archetype and kind), benign accounts
    flagged, reported rings holding members of two or more truth rings, the largest ring."""

    rows: list[dict[str, Any]]
    precision: float
    recall: float
    benign_flagged: int
    benign_total: int
    benign_by_kind: dict[str, int]
    mixed_rings: list[str]
    largest_ring: int
    n_flagged: int
    unresolved: int = 0

    @property
    def benign_flagged_rate(self) -> float:
        return self.benign_flagged / self.benign_total if self.benign_total else 0.0

    def row(self, group: str, archetype: str = "") -> dict[str, Any]:
        return next(r for r in self.rows if r["group"] == group and r["archetype"] == archetype)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    def headline(self) -> str:
        sellers, others = self.row(GROUPS[SELLER]), self.row(GROUPS[REVIEWER])
        lines = [
            f"sellers: precision {sellers['precision']:.3f}, recall {sellers['recall']:.3f}; "
            f"other accounts: precision {others['precision']:.3f}, "
            f"recall {others['recall']:.3f}",
            f"overall: ring-member precision {self.precision:.3f}, recall {self.recall:.3f}, "
            f"{self.n_flagged} accounts flagged",
            f"benign accounts flagged: {self.benign_flagged} of {self.benign_total} "
            f"({self.benign_flagged_rate:.2%})"
            + (f" {dict(sorted(self.benign_by_kind.items()))}" if self.benign_by_kind else ""),
            f"reported rings holding two or more truth rings: {len(self.mixed_rings)}; "
            f"largest ring: {self.largest_ring} accounts",
        ]
        if self.unresolved:
            lines.append(f"truth accounts not in the graph: {self.unresolved}")
        return "\n".join(lines)


def _ratio(num: int, den: int) -> float:
    return round(num / den, 3) if den else 1.0


def _row(group: str, archetype: str, planted: set[Account], flagged: set[Account],
         judged: set[Account], truth: set[Account]) -> dict[str, Any]:  # fmt: skip
    """Recall of ``planted`` in ``flagged``; precision of ``judged`` against ``truth``."""
    return {
        "group": group,
        "archetype": archetype,
        "planted": len(planted),
        "found": len(planted & flagged),
        "recall": _ratio(len(planted & flagged), len(planted)),
        "flagged": len(judged),
        "precision": _ratio(len(judged & truth), len(judged)),
    }


def score(rings: list[Ring], truth: Truth) -> Report:
    """Compare the rings' accounts with the truth's, per kind and per archetype."""
    members = {ring.id: ring.accounts for ring in rings}
    flagged = set().union(*members.values()) if members else set()
    planted = truth.all_members
    ring_of = truth.ring_of()
    # each reported ring is credited to the archetype of the truth ring it overlaps most
    credited: dict[str, set[Account]] = {}
    mixed = []
    for ring_key, accounts in members.items():
        hits = Counter(ring_of[a] for a in accounts if a in ring_of)
        if len(hits) > 1:
            mixed.append(ring_key)
        if hits:
            archetype = truth.archetypes[hits.most_common(1)[0][0]]
            credited.setdefault(archetype, set()).update(accounts)
    rows = []
    for kind, group in GROUPS.items():
        of_kind = {a for a in flagged | planted if a[0] == kind}
        rows.append(_row(group, "", planted & of_kind, flagged, flagged & of_kind, planted))
    archetypes = sorted({a for a in truth.archetypes.values() if a})
    for archetype in archetypes:
        in_archetype = set().union(
            *(truth.rings[r] for r, a in truth.archetypes.items() if a == archetype)
        )
        for kind, group in GROUPS.items():
            mine = {a for a in credited.get(archetype, set()) if a[0] == kind}
            of_kind = {a for a in in_archetype if a[0] == kind}
            if of_kind or mine:
                rows.append(_row(group, archetype, of_kind, flagged, mine, planted))
    benign_hit = [truth.benign[a] for a in flagged if a in truth.benign]
    return Report(
        rows=rows,
        precision=_ratio(len(flagged & planted), len(flagged)),
        recall=_ratio(len(flagged & planted), len(planted)),
        benign_flagged=len(benign_hit),
        benign_total=len(truth.benign),
        benign_by_kind=dict(Counter(benign_hit)),
        mixed_rings=sorted(mixed),
        largest_ring=max((len(a) for a in members.values()), default=0),
        n_flagged=len(flagged),
        unresolved=len(truth.unresolved),
    )


def evaluate(rings: list[Ring], truth_path: Path, db: Database | None = None) -> Report:
    """:func:`score` against the truth at ``truth_path`` (see :func:`load_truth`)."""
    return score(rings, load_truth(truth_path, db=db))


# ------------------------------------------------------------------------------ per query


def accounts_in(db: Database, frame: pd.DataFrame) -> set[Account]:
    """Every account a query result names, in plain or list cells: the text values that are
    the key of a seller or reviewer in the graph (looked up by label, whatever the id form)."""
    texts: set[str] = set()
    for value in frame.to_numpy().ravel():
        items = value if isinstance(value, list) else [value]
        texts.update(v for v in items if isinstance(v, str))
    return {(k, i) for i, kinds in _kinds_in_graph(db, texts).items() for k in kinds}


def query_precision(db: Database, truth: Truth) -> pd.DataFrame:
    """Each table query run with its defaults: accounts it names, and the share of them that
    are planted ring members (the ``precision`` header field is filled in from this)."""
    rows = []
    for query in catalog.catalog().values():
        if query.meta.output != "table" or query.pack == "dossier":
            continue
        named = accounts_in(db, run(query, db))
        hits = len(named & truth.all_members)
        rows.append(
            {
                "query": query.id,
                "accounts": len(named),
                "precision": round(hits / len(named), 3) if named else None,
                "benign_flagged": len(named & set(truth.benign)),
                "header": query.meta.precision,
            }
        )
    return pd.DataFrame(rows)
