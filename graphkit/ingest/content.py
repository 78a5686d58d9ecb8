"""Content checksum and counts of the graph, for equivalence tests (Bolt vs bulk vs sync).

The checksum covers every node (labels, properties) and relationship (type, the keys of
both ends, properties) except bookkeeping: ``lastupdated``, ``source``, ``watermark`` (the
version of the row that wrote it: mappings of one source may order versions differently),
``partition`` (which file wrote it: a source split differently holds the same content) and
the nodes of :data:`SKIP_LABELS` (sync runs, watermarks, pending and quarantined rows, the
benign register). By default history counts too (retired links, deleted entities, their
``valid_from``/``valid_to``/``deleted_at``): two loads of one source history agree on it.
``current_only=True`` compares the current state alone, as a clean load of the final source
has no history: retired relationships, deleted nodes (and every relationship touching one)
and the history properties are left out. Element ids, list order and time zones do not
count: datetimes are compared in UTC, lists sorted, floats rounded to 6 places. Rows are
hashed one by one and combined with a sum, so memory stays flat and order does not matter.

>>> _canonical({"b": [3, 1], "a": 0.1 + 0.2, "lastupdated": 5})
'{"a": 0.3, "b": [1, 3]}'
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from graphkit.db import Database
from graphkit.graphmodel import DELETED_AT, PARTITION, VALID_FROM, VALID_TO

#: watermark: the row version (newest wins); partition: the source file that wrote it
BOOKKEEPING = {"lastupdated", "source", "watermark", PARTITION}
HISTORY = {VALID_FROM, VALID_TO, DELETED_AT}
SKIP_LABELS = [
    "SyncRun",
    "Watermark",
    "QuarantinedRow",
    "PendingRow",
    "BenignRegister",
    "Lease",
    "HashKey",
]


def _value(value: Any) -> Any:
    if hasattr(value, "to_native"):
        value = value.to_native()
    if hasattr(value, "astimezone") and getattr(value, "tzinfo", None) is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return sorted((_value(v) for v in value), key=repr)
    return value


def _canonical(props: dict[str, Any], current_only: bool = False) -> str:
    skip = BOOKKEEPING | HISTORY if current_only else BOOKKEEPING
    clean = {k: _value(v) for k, v in props.items() if k not in skip}
    return json.dumps(clean, sort_keys=True, default=str)


def _keys(db: Database) -> dict[str, str]:
    rows = db.read(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties[0] AS key"
    )
    return {r["label"]: r["key"] for r in rows}


#: Cypher conditions of the current state (``$current``: only it counts).
LIVE_NODE = f"(NOT $current OR n.{DELETED_AT} IS NULL)"
LIVE_REL = (
    f"(NOT $current OR (r.{VALID_TO} IS NULL AND a.{DELETED_AT} IS NULL "
    f"AND b.{DELETED_AT} IS NULL))"
)


def checksum(db: Database, *, current_only: bool = False) -> str:
    """A hex digest of the graph's content (see the module docstring)."""
    total = 0
    keys = _keys(db)
    with db.session(read_only=True) as session:
        nodes = session.run(
            "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skip) AND " + LIVE_NODE + " "
            "RETURN labels(n) AS labels, properties(n) AS props",
            skip=SKIP_LABELS,
            current=current_only,
        )
        for rec in nodes:
            props = _canonical(rec["props"], current_only)
            total += _digest(["node", sorted(rec["labels"]), props])
        rels = session.run(
            "MATCH (a)-[r]->(b) WHERE " + LIVE_REL + " "
            "WITH a, r, b, head(labels(a)) AS al, head(labels(b)) AS bl "
            "RETURN type(r) AS type, al, a[$keys[al]] AS ak, bl, b[$keys[bl]] AS bk, "
            "properties(r) AS props",
            keys=keys,
            current=current_only,
        )
        for rec in rels:
            total += _digest(["rel", rec["type"], rec["al"], rec["ak"], rec["bl"], rec["bk"],
                              _canonical(rec["props"], current_only)])  # fmt: skip
    return f"{total % (1 << 256):064x}"


def _digest(parts: list[Any]) -> int:
    return int.from_bytes(hashlib.sha256(json.dumps(parts, default=str).encode()).digest())


def counts(db: Database, *, current_only: bool = False) -> dict[str, int]:
    """Nodes per label and relationships per type (bookkeeping labels left out; with
    ``current_only``, history too: see the module docstring)."""
    rows = db.read(
        "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skip) AND " + LIVE_NODE + " "
        "UNWIND labels(n) AS label RETURN label AS name, count(*) AS n "
        "UNION ALL MATCH (a)-[r]->(b) WHERE " + LIVE_REL + " RETURN type(r) AS name, count(*) AS n",
        {"skip": SKIP_LABELS, "current": current_only},
    )
    return {r["name"]: r["n"] for r in rows}
