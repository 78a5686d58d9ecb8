"""One parameterised ``UNWIND $rows AS row MERGE ...`` statement per mapping.

Labels, relationship types and property names come from the validated mapping (plain
identifiers, backquoted anyway); row data and enum values only ever travel as parameters.
Nodes in ``match`` mode are looked up first; rows whose referenced node does not exist write
nothing and come back as ``(row index, missing aliases)`` for the quarantine: a cheap read
(index seeks) finds them first, in the same transaction, and the write statement gets the
other rows. It has no per-row ``CALL`` around the writes (in 5.26 that plan grew
quadratically with the batch: 1k rows 2 s, 5k rows 140 s; set-based, 5k rows 0.9 s).

Only the columns the statement uses are sent. Datetimes travel as ``[epoch seconds,
nanoseconds]`` and are rebuilt in Cypher: the driver packs Python datetimes ~50x slower.

Aggregates are idempotent: ``min``/``max`` keep the extreme, ``sum`` and ``events.count``
only count an event id not yet in ``events.list``. A relationship with a ``key`` (an event
id such as ``review_id``) is one per key: a row that names other ends (a corrected review)
moves it.

Newest wins across runs too: the node or relationship a row is the state of (its key is the
feed's key, see :func:`entity`) and a snapshot feed's relationships keep the row's watermark
in ``watermark``. The cheap read also finds rows older than their entity's stored watermark
(a late backfill, a resumed run): they write nothing and count as superseded.

History (snapshot feeds, :data:`graphkit.graphmodel.VALID_FROM`): a snapshot row retires its
anchor's relationships of the feed that an older row wrote by setting ``valid_to`` (the
row's watermark), never by deleting them; a relationship written again is current again.

>>> from graphkit.ingest.mapping import load_mapping, MAPPINGS_DIR
>>> cypher = compile_statement(load_mapping(MAPPINGS_DIR / "reviews.yaml")).cypher
>>> for line in cypher.splitlines():
...     print(line[:72].rstrip())
UNWIND $rows AS row
WITH row {.*, `ts`: CASE WHEN row.`ts` IS NULL THEN null ELSE datetime({
MATCH (`reviewer`:`Reviewer` {`reviewer_id`: row.`reviewer_id`})
MATCH (`product`:`Product` {`product_id`: row.`product_id`})
CALL (row, `reviewer`, `product`) { MATCH (a)-[moved:`REVIEWED` {`review
MERGE (`reviewer`)-[r0:`REVIEWED` {`review_id`: row.`review_id`}]->(`pro
SET r0.`rating` = row.`rating`, r0.`ts` = row.`ts`, r0.`verified` = row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import neo4j

from graphkit.graphmodel import DELETED_AT, PARTITION, VALID_FROM, VALID_TO
from graphkit.ingest.mapping import ColumnType, Deleted, Mapping, Node, Relationship
from graphkit.ingest.transform import EPOCH


def q(name: str) -> str:
    """Backquote a (validated) identifier."""
    return f"`{name}`"


def ref(r: str) -> str:
    """``email.hash`` -> ``row.`email`.`hash```."""
    return "row." + ".".join(q(part) for part in r.split("."))


def root_column(r: str) -> str:
    return r.partition(".")[0]


@dataclass
class Statement:
    """The compiled Cypher, its constant parameters and the aliases it may report missing."""

    cypher: str
    check: str  # finds rows with unknown ``match`` nodes or an entity stored newer ("": none)
    params: dict[str, Any] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the row fields the statement reads
    temporal: set[str] = field(default_factory=set)  # those that hold datetimes
    touch: str = ""  # marks a stale row's entity and its feed relationships as seen
    partitioned: bool = False  # records each row's source partition (snapshot feeds)
    deleted: Deleted | None = None  # the mapping's tombstone marker
    tombstone: str = ""  # writes tombstone rows

    def rows(
        self, rows: list[dict[str, Any]], partitions: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """The ``$rows`` parameter: used columns only, datetimes as ``[seconds, nanos]``,
        ``_i`` = the row's index in ``rows``, ``_partition`` its source partition."""
        out = []
        for i, row in enumerate(rows):
            values = {c: row[c] for c in self.columns}
            for c in self.temporal:
                if (value := values[c]) is not None:
                    delta = value - EPOCH
                    values[c] = [delta.days * 86_400 + delta.seconds, delta.microseconds * 1000]
            values["_i"] = i
            if self.partitioned:
                values["_partition"] = partitions[i] if partitions else None
            out.append(values)
        return out

    def dead(self, row: dict[str, Any]) -> bool:
        """Whether a row is a tombstone (its deletion marker holds a deletion value)."""
        return self.deleted is not None and row[self.deleted.column] in self.deleted.values

    def run(
        self, tx: neo4j.ManagedTransaction, rows: list[dict], tag: int, feed: str
    ) -> tuple[list[tuple[int, list[str]]], list[int]]:
        """Write ``rows``; return ``([(row index, [missing aliases])], [stale row indexes])``:
        unknown references, and rows older than what the graph holds (superseded)."""
        return self.write(tx, self.rows(rows), tag, feed)

    def write(
        self, tx: neo4j.ManagedTransaction, prepared: list[dict], tag: int, feed: str
    ) -> tuple[list[tuple[int, list[str]]], list[int]]:
        """:meth:`run` for rows already in the ``$rows`` form (:meth:`rows`)."""
        params = {**self.params, "rows": prepared, "tag": tag, "feed": feed}
        missing, stale = [], []
        if self.check:
            for record in tx.run(self.check, params):  # type: ignore[arg-type]
                if record["stale"]:
                    stale.append(record["i"])
                    continue
                gone = zip(self.checked, record["missing"], strict=True)
                missing.append((record["i"], [a for a, g in gone if g]))
        dead = {r["_i"] for r in params["rows"] if self.dead(r)}
        missing = [(i, aliases) for i, aliases in missing if i not in dead]  # waits for nothing
        seen = [*stale, *(i for i, _ in missing)]  # rows that exist in the source, unwritten
        if seen and self.touch:  # seen in this run: a full load's cleanup keeps their entity
            rows_of = {r["_i"]: r for r in params["rows"]}
            tx.run(self.touch, {**params, "rows": [rows_of[i] for i in seen]}).consume()  # type: ignore[arg-type]
        refused = {i for i, _ in missing} | set(stale)
        rows = [r for r in params["rows"] if r["_i"] not in refused]
        tx.run(self.cypher, {**params, "rows": [r for r in rows if r["_i"] not in dead]}).consume()  # type: ignore[arg-type]
        if dead:
            tombstones = [r for r in rows if r["_i"] in dead]
            tx.run(self.tombstone, {**params, "rows": tombstones}).consume()  # type: ignore[arg-type]
        return missing, stale


def entity(mapping: Mapping) -> tuple[str, int | str] | None:
    """What a row is the state of: ``("node", alias)`` or ``("rel", index)``, the merged node
    or keyed relationship whose key is the feed's key; None when there is none (event feeds
    that only aggregate).

    >>> from graphkit.ingest.mapping import load_mapping, MAPPINGS_DIR
    >>> [entity(load_mapping(MAPPINGS_DIR / f"{feed}.yaml")) for feed in ("sellers", "reviews")]
    [('node', 'seller'), ('rel', 0)]
    """
    if len(mapping.key) != 1 or version(mapping) is None:
        return None
    for alias, node in mapping.nodes.items():
        if node.mode == "merge" and node.key and list(node.key.values()) == mapping.key:
            return "node", alias
    for i, rel in enumerate(mapping.relationships):
        if rel.key and list(rel.key.values()) == mapping.key:
            return "rel", i
    return None


def _optional(mapping: Mapping, r: str) -> bool:
    return not mapping.columns[root_column(r)].required


def _key(node: Node) -> str:
    (_, case), *_ = node.variants
    return next(iter(case.key.values()))


def _set_node(
    alias: str, properties: dict[str, str], version: str | None = None, snapshot: bool = False
) -> str:
    items = [f"{q(alias)}.{q(p)} = {ref(r)}" for p, r in properties.items()]
    if version:  # the entity of the row keeps the row's watermark (newest wins)
        items.append(f"{q(alias)}.watermark = {ref(version)}")
    if snapshot:  # a snapshot feed's entity: written again, it is no longer deleted
        items += [f"{q(alias)}.{DELETED_AT} = null", _partition(alias)]
    items += [f"{q(alias)}.lastupdated = $tag", f"{q(alias)}.source = $feed"]
    return "SET " + ", ".join(items)


def _partition(v: str) -> str:
    """Record the row's source partition (a replayed row has none: the old one stays)."""
    return f"{q(v)}.{PARTITION} = coalesce(row._partition, {q(v)}.{PARTITION})"


def _when(mapping: Mapping) -> str:
    """When a row's change holds: its watermark, else the run's start (``$tag``, ms)."""
    newest = version(mapping)
    return ref(newest) if newest else "datetime({epochMillis: $tag})"


def _match_node(alias: str, node: Node, params: dict[str, Any], optional: bool) -> str:
    """Look up an existing node (``switch``: one UNION branch per label; ``cases`` without
    ``switch``: the first case whose node exists)."""
    if not node.switch and not node.cases:
        (_, case), *_ = node.variants
        (prop, r), *_ = case.key.items()
        match = "OPTIONAL MATCH" if optional else "MATCH"
        return f"{match} ({q(alias)}:{q(case.label)} {{{q(prop)}: {ref(r)}}})"
    if not node.switch:  # one row whatever exists; the check statement reports none found
        found = [f"{alias}_{i}" for i in range(len(node.variants))]
        lookups = " ".join(
            f"OPTIONAL MATCH ({q(v)}:{q(case.label)} {{{q(p)}: {ref(r)}}})"
            for v, (_, case) in zip(found, node.variants, strict=True)
            for p, r in case.key.items()
        )
        first = f"coalesce({', '.join(map(q, found))})"
        return f"CALL (row) {{ {lookups} RETURN {first} AS {q(alias)} }}"
    branches = []
    for i, (value, case) in enumerate(node.variants):
        params[f"{alias}_{i}"] = value
        (prop, r), *_ = case.key.items()
        branches.append(
            f"WITH row WHERE row.{q(node.switch)} = ${alias}_{i} "
            f"MATCH ({q(alias)}:{q(case.label)} {{{q(prop)}: {ref(r)}}}) RETURN {q(alias)}"
        )
    call = "OPTIONAL CALL" if optional else "CALL"
    return f"{call} (row) {{ " + " UNION ".join(branches) + " }"


def _merge_node(mapping: Mapping, alias: str, node: Node, params: dict[str, Any]) -> str:
    """MERGE the node (``switch``: one UNION branch per case, each with its label)."""
    branches = []
    for i, (value, case) in enumerate(node.variants):
        (prop, r), *_ = case.key.items()
        merge = f"MERGE ({q(alias)}:{q(case.label)} {{{q(prop)}: {ref(r)}}}) "
        is_entity = entity(mapping) == ("node", alias)
        newest = version(mapping) if is_entity else None
        merge += _set_node(alias, case.properties, newest, is_entity and _history(mapping))
        if not node.switch and not _optional(mapping, r):
            return merge + "\nWITH *"
        conditions = [f"{ref(r)} IS NOT NULL"] if _optional(mapping, r) else []
        if node.switch:
            params[f"{alias}_{i}"] = value
            conditions.append(f"row.{q(node.switch)} = ${alias}_{i}")
        branches.append(f"WITH row WHERE {' AND '.join(conditions)} {merge} RETURN {q(alias)}")
    call = "OPTIONAL CALL" if _node_optional(mapping, alias) else "CALL"
    return f"{call} (row) {{ " + " UNION ".join(branches) + " }"


def _relationship(mapping: Mapping, n: int, rel: Relationship) -> str:
    v = f"r{n}"
    key, lines = "", []
    if rel.key:  # keyed by the event id alone: a corrected event moves its relationship
        (prop, r), *_ = rel.key.items()
        key = f" {{{q(prop)}: {ref(r)}}}"
        ends = f"{q(rel.from_)}, {q(rel.to)}"
        lines.append(
            f"CALL (row, {ends}) {{ MATCH (a)-[moved:{q(rel.type)}{key}]->(b) "
            f"WHERE a <> {q(rel.from_)} OR b <> {q(rel.to)} DELETE moved }}"
        )
    lines.append(f"MERGE ({q(rel.from_)})-[{v}:{q(rel.type)}{key}]->({q(rel.to)})")
    if rel.events:
        lines.append(
            f"WITH *, NOT coalesce({ref(rel.events.id)} IN {v}.{q(rel.events.list)}, false)"
            f" AS fresh{n}"
        )
    sets = []
    for prop, spec in rel.props.items():
        target, value = f"{v}.{q(prop)}", ref(spec.value)
        sets.append(
            {
                "set": f"{target} = {value}",
                "min": f"{target} = CASE WHEN {value} IS NULL OR {target} <= {value} "
                f"THEN {target} ELSE {value} END",
                "max": f"{target} = CASE WHEN {value} IS NULL OR {target} >= {value} "
                f"THEN {target} ELSE {value} END",
                "sum": f"{target} = coalesce({target}, 0) + "
                f"CASE WHEN fresh{n} THEN coalesce({value}, 0) ELSE 0 END",
            }[spec.agg]
        )
    if (newest := version(mapping)) and (entity(mapping) == ("rel", n) or rel.snapshot_of):
        sets.append(f"{v}.watermark = {ref(newest)}")
    if _history(mapping):  # first written, or written again: current (again)
        sets += [f"{v}.{VALID_FROM} = coalesce({v}.{VALID_FROM}, {_when(mapping)})",
                 f"{v}.{VALID_TO} = null", _partition(v)]  # fmt: skip
    sets += [f"{v}.lastupdated = $tag", f"{v}.source = $feed"]
    lines.append("SET " + ", ".join(sets))
    if rel.events:
        ids = f"{v}.{q(rel.events.list)}"
        lines.append(
            f"SET {ids} = CASE WHEN fresh{n} THEN coalesce({ids}, []) + {ref(rel.events.id)} "
            f"ELSE {ids} END"
        )
        lines.append(f"SET {v}.{q(rel.events.count)} = size({ids})")
    ends = [e for e in (rel.from_, rel.to) if _node_optional(mapping, e)]
    if not ends:
        return "\n".join([*lines, "WITH *"])
    guard = " AND ".join(f"{q(e)} IS NOT NULL" for e in ends)
    scope = ", ".join(q(x) for x in ["row", *dict.fromkeys([rel.from_, rel.to])])
    body = " ".join(lines)
    return f"CALL ({scope}) {{ WITH * WHERE {guard} {body} }}"


def _node_optional(mapping: Mapping, alias: str) -> bool:
    """Whether a row may leave the node out (its key empty): relationships then skip it."""
    node = mapping.nodes[alias]
    return (node.mode == "merge" or node.optional) and _optional(mapping, _key(node))


def _history(mapping: Mapping) -> bool:
    """Snapshot feeds keep history: what they retire keeps ``valid_from``/``valid_to``."""
    return mapping.mode == "snapshot"


def _retire(mapping: Mapping, rel: Relationship, tombstone: bool = False) -> str:
    """Retire (``valid_to``) the current relationships of the type that an older row of the
    snapshot node wrote. ``on_null: keep``: not when the row has no value for the other end
    (the export left the column out), unless the row is a tombstone."""
    anchor = rel.snapshot_of or ""
    pattern = f"-[old:{q(rel.type)}]->()" if anchor == rel.from_ else f"<-[old:{q(rel.type)}]-()"
    newest = version(mapping)  # without a watermark column: older = written by an earlier run
    older = f"NOT coalesce(old.watermark >= {ref(newest)}, false)" if newest else (
        "old.lastupdated < $tag"
    )  # fmt: skip
    guard = ""
    if rel.on_null == "keep" and not tombstone:
        group = [r for r in mapping.relationships if (r.type, r.snapshot_of) == (rel.type, anchor)]
        ends = [mapping.nodes[r.to if r.from_ == anchor else r.from_] for r in group]
        given = [
            f"{ref(k)} IS NOT NULL" for n in ends for _, c in n.variants for k in c.key.values()
        ]
        guard = f"WITH * WHERE {' OR '.join(dict.fromkeys(given))} "
    return (
        f"CALL (row, {q(anchor)}) {{ {guard}MATCH ({q(anchor)}){pattern} WHERE old.source = $feed "
        f"AND old.{VALID_TO} IS NULL AND {older} SET old.{VALID_TO} = {_when(mapping)} }}"
    )


def _retired(mapping: Mapping, tombstone: bool = False) -> list[str]:
    """One retirement per (type, snapshot node) group; a tombstone's: of its entity only."""
    groups = {(r.type, r.snapshot_of): r for r in mapping.relationships if r.snapshot_of}
    if tombstone:
        alias = entity(mapping)
        groups = {g: r for g, r in groups.items() if ("node", r.snapshot_of) == alias}
    return [_retire(mapping, r, tombstone) for r in groups.values()]


def _used_columns(mapping: Mapping) -> list[str]:
    refs: list[str] = []
    for node in mapping.nodes.values():
        refs += [
            r for _, case in node.variants for r in [*case.key.values(), *case.properties.values()]
        ]
        refs += [*filter(None, [node.switch])]
    for rel in mapping.relationships:
        refs += [*(rel.key or {}).values(), *(p.value for p in rel.props.values())]
        refs += [rel.events.id] if rel.events else []
    marks = [version(mapping), mapping.deleted.column if mapping.deleted else None]
    return list(dict.fromkeys([*map(root_column, refs), *filter(None, marks)]))


def _temporal(mapping: Mapping, column: str) -> str:
    """Rebuild a datetime column sent as ``[seconds, nanos]`` (null stays null: a tombstone
    row carries only its key, version and marker, even where the column is required)."""
    value = f"datetime({{epochSeconds: {ref(column)}[0], nanosecond: {ref(column)}[1]}})"
    return f"{q(column)}: CASE WHEN {ref(column)} IS NULL THEN null ELSE {value} END"


def compile_statement(mapping: Mapping) -> Statement:
    """Build the one write statement for ``mapping``."""
    params: dict[str, Any] = {}
    checked = [a for a, n in mapping.nodes.items() if n.mode == "match"]
    merged = [a for a, n in mapping.nodes.items() if n.mode == "merge"]
    columns = _used_columns(mapping)
    temporal = {c for c in columns if mapping.columns[c].type == ColumnType.datetime}
    lines = ["UNWIND $rows AS row"]
    if temporal:
        rebuilt = ", ".join(_temporal(mapping, c) for c in columns if c in temporal)
        lines.append(f"WITH row {{.*, {rebuilt}}} AS row")
    check = [*lines]
    for a in checked:  # a null key leaves the node out; the row is still written
        optional = _optional(mapping, _key(mapping.nodes[a]))
        lines.append(_match_node(a, mapping.nodes[a], params, optional))
    write = [_merge_node(mapping, a, mapping.nodes[a], params) for a in merged]
    write += [_relationship(mapping, i, rel) for i, rel in enumerate(mapping.relationships)]
    if mapping.mode == "snapshot":
        write += _retired(mapping)
    write[-1] = write[-1].removesuffix("\nWITH *")  # a query or unit subquery cannot end so
    if write[-1].endswith(" }") and " RETURN " in write[-1]:  # nor with a returning CALL
        write.append("FINISH")
    stored = _stored(mapping)
    head = lines[: len(check)]  # a tombstone looks up no referenced node (it names none)
    extra = {"partitioned": _history(mapping), "deleted": mapping.deleted,
             "tombstone": _tombstone(mapping, head)}  # fmt: skip
    if not checked and not stored:
        return Statement("\n".join(lines + write), "", params, [], columns, temporal, **extra)
    check += [_match_node(a, mapping.nodes[a], params, optional=True) for a in checked]
    missing = ", ".join(
        f"{q(a)} IS NULL AND {ref(_key(mapping.nodes[a]))} IS NOT NULL" for a in checked
    )
    stale = "false"
    if stored:
        check.append(f"OPTIONAL MATCH {stored}")
        stale = f"coalesce(stored.watermark > {ref(version(mapping) or '')}, false)"
    check.append(f"WITH row, [{missing}] AS missing, {stale} AS stale")
    check.append("WHERE stale OR true IN missing RETURN row._i AS i, missing, stale")
    touch = ""
    if stored.startswith("(stored"):
        touch = (
            f"UNWIND $rows AS row MATCH {stored} SET stored.lastupdated = $tag "
            "WITH stored MATCH (stored)-[r]-() WHERE r.source = $feed SET r.lastupdated = $tag"
        )
    cypher = "\n".join(lines + write)
    return Statement(cypher, "\n".join(check), params, checked, columns, temporal, touch, **extra)


def _tombstone(mapping: Mapping, lines: list[str]) -> str:
    """The statement for tombstone rows (``deleted``): mark the entity deleted (a row of an
    entity the graph does not hold writes nothing) and retire its links."""
    if mapping.deleted is None:
        return ""
    alias = str(entity(mapping)[1])  # type: ignore[index]  (validated: a node entity)
    node = mapping.nodes[alias]
    ((prop, r),) = node.key.items()  # type: ignore[union-attr]
    when = _when(mapping)
    lines += [
        f"MATCH ({q(alias)}:{q(node.label or '')} {{{q(prop)}: {ref(r)}}})",
        f"SET {q(alias)}.{DELETED_AT} = {when}, {q(alias)}.watermark = {when}, "
        f"{q(alias)}.lastupdated = $tag, {q(alias)}.source = $feed, {_partition(alias)}",
    ]
    if retired := _retired(mapping, tombstone=True):
        lines += ["WITH *", *retired]
    return "\n".join(lines)


def version(mapping: Mapping) -> str | None:
    """The column that orders a row's versions (newest wins): the watermark, when it is a
    column (not ``_file_mtime``, not absent)."""
    return mapping.watermark if mapping.watermark in mapping.columns else None


def _stored(mapping: Mapping) -> str:
    """The pattern that finds a row's stored entity as ``stored`` ("" without an entity or
    without a :func:`version` column)."""
    if version(mapping) is None:
        return ""
    match entity(mapping):
        case ("node", alias):
            node = mapping.nodes[str(alias)]
            (prop, r), *_ = node.key.items()  # type: ignore[union-attr]
            return f"(stored:{q(node.label or '')} {{{q(prop)}: {ref(r)}}})"
        case ("rel", index):
            rel = mapping.relationships[int(index)]
            (prop, r), *_ = rel.key.items()  # type: ignore[union-attr]
            return f"()-[stored:{q(rel.type)} {{{q(prop)}: {ref(r)}}}]->()"
    return ""
