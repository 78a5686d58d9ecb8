"""Erasure: remove an account's PII-derived links, record it, and keep them out afterwards.

:func:`erase` deletes every relationship from the account to an identifier node (the kinds
of :data:`~graphkit.graphmodel.IDENTIFIERS`, current and history links alike: erasure is
deletion, not retirement), deletes the identifier nodes no other account uses any more, and
records ``(:Erasure {erasure_id, account_kind, account_key, erased_at, by, reason, links,
identifiers})`` (counts, no PII), one write transaction per account. The account node and
its events stay.

Loads, syncs, replays and bulk imports read the erasure records (:meth:`Erased.read`) and
empty the identifier values of every row that would link an erased account to an identifier
again (its sources may still hold them), pending rows included; the summary counts them per
feed (``erased``).

>>> parse_accounts(["seller:A-17", "reviewer:x:y"])
[('seller', 'A-17'), ('reviewer', 'x:y')]
>>> parse_accounts(["A-17"], kind="reviewer")
[('reviewer', 'A-17')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, LiteralString, cast

import neo4j

from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.graphmodel import ACCOUNTS, IDENTIFIERS
from graphkit.ingest import lease
from graphkit.ingest.mapping import Mapping, load_mappings
from graphkit.ingest.transform import field_value

IDENTIFIER_RELS = [i.rel_type for i in IDENTIFIERS.values()]
IDENTIFIER_LABELS = {i.label for i in IDENTIFIERS.values()}
ACCOUNT_LABELS = {a.label: a for a in ACCOUNTS.values()}
#: An erasure record's properties and their types (``load --bulk`` imports them again).
RECORD = {"erasure_id": "string", "account_kind": "string", "account_key": "string",
          "erased_at": "datetime", "by": "string", "reason": "string", "links": "int",
          "identifiers": "int"}  # fmt: skip


class ErasureError(GraphkitError):
    """Accounts that cannot be erased as given."""


def parse_accounts(specs: list[str], kind: str | None = None) -> list[tuple[str, str]]:
    """``(kind, key)`` per account: ``seller:ID`` / ``reviewer:ID``, or bare ids with ``kind``.
    Only the first ``:`` separates: the id is whatever the source uses."""
    kinds = ", ".join(ACCOUNTS)
    if kind is not None:
        if kind not in ACCOUNTS:
            raise ErasureError(f"unknown account kind {kind!r}", hint=f"use one of {kinds}")
        return [(kind, spec) for spec in specs]
    accounts = []
    for spec in specs:
        prefix, sep, key = spec.partition(":")
        if not sep or prefix not in ACCOUNTS or not key:
            raise ErasureError(
                f"cannot tell the account kind of {spec!r}",
                hint=f"write KIND:ID with KIND one of {kinds} (e.g. seller:{spec}), or pass "
                "--kind for bare ids",
            )
        accounts.append((prefix, key))
    return accounts


def _statement(kind: str, dry_run: bool) -> LiteralString:
    """The account's identifier links and the identifiers only it uses; deleted unless
    ``dry_run``. The label and key come from the graph model, never from input."""
    account = ACCOUNTS[kind]
    head = (
        f"MATCH (a:`{account.label}` {{`{account.key}`: $key}}) "
        "OPTIONAL MATCH (a)-[r]->(i) WHERE type(r) IN $types "
        "WITH a, collect(r) AS links, collect(DISTINCT i) AS ids "
        "WITH a, links, [i IN ids WHERE NOT EXISTS { (i)<-[o]-(other) "
        "  WHERE type(o) IN $types AND NOT o IN links }] AS only "
    )
    if dry_run:
        return cast(LiteralString, head + "RETURN size(links) AS links, size(only) AS identifiers")
    return cast(
        LiteralString,
        head + "FOREACH (r IN links | DELETE r) FOREACH (i IN only | DETACH DELETE i) "
        "CREATE (e:Erasure {erasure_id: randomUUID(), account_kind: $kind, account_key: $key, "
        "erased_at: $now, by: $by, reason: $reason, links: size(links), identifiers: size(only)}) "
        "RETURN e.links AS links, e.identifiers AS identifiers",
    )


@dataclass
class Erasure:
    kind: str
    key: str
    links: int
    identifiers: int


def erase(
    db: Database,
    accounts: list[tuple[str, str]],
    *,
    by: str,
    reason: str,
    dry_run: bool = False,
    wait: float = 0.0,
) -> list[Erasure]:
    """Erase ``accounts`` (``(kind, key)``); with ``dry_run`` only count what would go.
    Every account must exist (a typo must not pass as done): none is erased otherwise.
    Holds every feed's lease (waiting up to ``wait`` seconds), so no load that read the
    erasure records before this one writes after it."""
    if dry_run:
        return _erase(db, accounts, by, reason, dry_run)
    with lease.held_all(db, list(load_mappings()), wait):
        return _erase(db, accounts, by, reason, dry_run)


def _erase(
    db: Database, accounts: list[tuple[str, str]], by: str, reason: str, dry_run: bool
) -> list[Erasure]:
    done = []
    with db.session() as session:
        _exists(session, accounts)
        work = session.execute_read if dry_run else session.execute_write
        for kind, key in accounts:
            params = {"key": key, "kind": kind, "types": IDENTIFIER_RELS, "by": by,
                      "reason": reason, "now": datetime.now(UTC)}  # fmt: skip
            rows = work(lambda tx, k=kind, p=params: tx.run(_statement(k, dry_run), p).data())
            done.append(Erasure(kind, key, rows[0]["links"], rows[0]["identifiers"]))
    return done


def _exists(session: neo4j.Session, accounts: list[tuple[str, str]]) -> None:
    def found(tx: neo4j.ManagedTransaction, kind: str, key: str) -> bool:
        account = ACCOUNTS[kind]
        cypher = f"MATCH (a:`{account.label}` {{`{account.key}`: $key}}) RETURN count(a) > 0 AS n"
        return tx.run(cast(LiteralString, cypher), key=key).single()["n"]  # type: ignore[index]

    missing = [f"{kind}:{key}" for kind, key in accounts
               if not session.execute_read(found, kind, key)]  # fmt: skip
    if missing:
        raise ErasureError(
            f"not in the graph: {', '.join(missing)}; nothing was erased",
            hint="check the ids (and --kind), or leave those accounts out",
        )


def records(db: Database) -> list[dict[str, Any]]:
    """Every erasure record's properties (:data:`RECORD`), as Python values."""
    rows = db.read("MATCH (e:Erasure) RETURN properties(e) AS e")
    return [{k: getattr(v, "to_native", lambda v=v: v)() for k, v in r["e"].items()} for r in rows]


@dataclass
class Erased:
    """The erased accounts, by label: what a load must not link to identifiers again."""

    keys: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, db: Database | None) -> Erased:
        return cls.of(records(db)) if db else cls()

    @classmethod
    def of(cls, erasures: list[dict[str, Any]]) -> Erased:
        keys: dict[str, set[str]] = {}
        for e in erasures:
            if e["account_kind"] in ACCOUNTS:
                keys.setdefault(ACCOUNTS[e["account_kind"]].label, set()).add(e["account_key"])
        return cls(keys)

    def links(self, mapping: Mapping) -> list[tuple[str, str]]:
        """``(account alias, identifier column)`` per relationship of ``mapping`` between an
        account node and an identifier node (none when no account is erased)."""
        if not self.keys:
            return []
        labels = {a: {case.label for _, case in n.variants} for a, n in mapping.nodes.items()}
        pairs = []
        for rel in mapping.relationships:
            for account, other in ((rel.from_, rel.to), (rel.to, rel.from_)):
                if labels[account] <= set(ACCOUNT_LABELS) and labels[other] <= IDENTIFIER_LABELS:
                    (_, case), *_ = mapping.nodes[other].variants
                    column = next(iter(case.key.values())).partition(".")[0]
                    pairs.append((account, column))
        return pairs

    def scrub(self, mapping: Mapping, rows: list[dict[str, Any]]) -> int:
        """Empty the identifier values that would link an erased account; return how many."""
        emptied = 0
        for alias, column in self.links(mapping):
            node = mapping.nodes[alias]
            for row in rows:
                if row.get(column) is None:
                    continue
                for case in node.cases_for(row):
                    (ref,) = case.key.values()
                    if field_value(row, ref) in self.keys.get(case.label, ()):
                        row[column] = None
                        emptied += 1
                        break
        return emptied
