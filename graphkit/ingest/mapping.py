"""Declarative feed mappings (``loaders/<feed>.yaml``), validated with pydantic on load.

A mapping says where a feed comes from, how each column is validated and normalised, and
which nodes and relationships (docs/graph-model.md) a row yields. Labels, types and property
names come only from here, never from row data, and must be plain identifiers.

>>> m = load_mapping(MAPPINGS_DIR / "reviews.yaml")
>>> m.feed, m.key, m.relationships[0].type
('reviews', ['review_id'], 'REVIEWED')
>>> load_mappings()["logins"].depends_on
['sellers', 'reviewers']
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphkit.errors import GraphkitError

MAPPINGS_DIR = Path(__file__).resolve().parent.parent.parent / "loaders"
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
#: A row field: a column, or ``column.field`` for what an identifier column yields.
Ref = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")]


class MappingError(GraphkitError):
    """A mapping file is missing, unreadable or invalid."""


class ColumnType(StrEnum):
    string = "string"
    int = "int"
    float = "float"
    bool = "bool"
    datetime = "datetime"
    email = "email"
    phone = "phone"
    address = "address"
    ip = "ip"
    card = "card"
    iban = "iban"


#: The fields an identifier column yields (``graphkit.identity.Hasher`` methods).
IDENTITY_FIELDS: dict[ColumnType, tuple[str, ...]] = {
    ColumnType.email: ("hash", "domain"),
    ColumnType.phone: ("hash", "country_code"),
    ColumnType.address: ("hash", "country", "postcode_prefix"),
    ColumnType.ip: ("ip", "version"),
    ColumnType.card: ("token", "kind", "last4", "bin"),
    ColumnType.iban: ("token", "kind", "country"),
}
#: Neo4j types per column type, for neo4j-admin import headers.
IMPORT_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean",
                "datetime": "datetime"}  # fmt: skip


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(Strict):
    """Validation and normalisation of one source column."""

    type: ColumnType = ColumnType.string
    required: bool = False
    min: float | None = None
    max: float | None = None
    enum: list[str] | None = None
    max_length: int = Field(1000, gt=0)
    pattern: str | None = None
    #: For phone (region) and address (country): the column holding the ISO country.
    context: Name | None = None


class Source(Strict):
    """``files``: a glob under the feeds dir; ``table`` or ``query``: PostgreSQL."""

    files: str | None = None
    table: Annotated[str, Field(pattern=r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$")] | None = None
    query: str | None = None

    @model_validator(mode="after")
    def _one_sql(self) -> Source:
        if self.table and self.query:
            raise ValueError("give either table or query, not both")
        if not (self.files or self.table or self.query):
            raise ValueError("give files and/or table/query")
        return self


class Case(Strict):
    label: Name
    key: dict[Name, Ref] = Field(min_length=1, max_length=1)


class Node(Strict):
    """A node a row yields. ``merge`` creates it; ``match`` requires it to exist already
    (rows pointing to a missing node wait as pending rows until it does).
    ``switch`` + ``cases`` pick the label from an enum column (e.g. ``account_type``)."""

    label: Name | None = None
    key: dict[Name, Ref] | None = Field(None, min_length=1, max_length=1)
    properties: dict[Name, Ref] = {}
    mode: Literal["merge", "match"] = "merge"
    switch: Name | None = None
    cases: dict[str, Case] | None = None

    @model_validator(mode="after")
    def _label_or_switch(self) -> Node:
        plain = self.label is not None and self.key is not None
        if plain == (self.switch is not None and bool(self.cases)):
            raise ValueError("give label + key, or switch + cases")
        if self.switch and (self.mode != "match" or self.properties):
            raise ValueError("switch nodes must be mode: match without properties")
        return self

    @cached_property
    def variants(self) -> list[tuple[str | None, Case]]:
        """``(switch value, case)`` pairs; one ``(None, case)`` for a plain node."""
        if self.cases:
            return list(self.cases.items())
        return [(None, Case(label=self.label, key=self.key))]  # type: ignore[arg-type]


class Prop(Strict):
    value: Ref
    agg: Literal["set", "min", "max", "sum"] = "set"


class Events(Strict):
    """Count distinct source events: ``list`` keeps their ids, ``count`` = size(list)."""

    id: Ref
    list: Name
    count: Name


class Relationship(Strict):
    type: Name
    from_: Name = Field(alias="from")
    to: Name
    #: MERGE on this relationship property (one relationship per event, e.g. review_id).
    key: dict[Name, Ref] | None = Field(None, min_length=1, max_length=1)
    properties: dict[Name, Ref | Prop] = {}
    events: Events | None = None
    #: The row carries all such relationships of this node: older ones are retired.
    snapshot_of: Name | None = None

    @cached_property
    def props(self) -> dict[str, Prop]:
        return {
            name: p if isinstance(p, Prop) else Prop(value=p) for name, p in self.properties.items()
        }


class Mapping(Strict):
    feed: Name
    description: str = ""
    #: ``snapshot``: each row is the full current state of its entity (stale relationships
    #: are retired); ``append``: rows are events that only add.
    mode: Literal["snapshot", "append"]
    depends_on: list[Name] = []
    source: Source
    key: list[Name] = Field(min_length=1)
    watermark: Name
    columns: dict[Name, Column] = Field(min_length=1)
    require_one_of: list[list[Name]] = []
    unknown_columns: Literal["warn", "quarantine"] = "warn"
    nodes: dict[Name, Node] = {}
    relationships: list[Relationship] = []

    @model_validator(mode="after")
    def _references(self) -> Mapping:
        names = set(self.columns)
        for column in [*self.key, self.watermark, *sum(self.require_one_of, [])]:
            if column not in names:
                raise ValueError(f"column {column!r} is not declared under columns")
        for name, col in self.columns.items():
            if col.context and col.context not in names:
                raise ValueError(f"columns.{name}.context: unknown column {col.context!r}")
        for alias, node in self.nodes.items():
            for _, case in node.variants:
                self._check_ref(*case.key.values(), where=f"nodes.{alias}.key")
            self._check_ref(*node.properties.values(), where=f"nodes.{alias}.properties")
            if node.switch and node.switch not in names:
                raise ValueError(f"nodes.{alias}.switch: unknown column {node.switch!r}")
        for rel in self.relationships:
            where = f"relationships[{rel.type}]"
            for end in (rel.from_, rel.to, *filter(None, [rel.snapshot_of])):
                if end not in self.nodes:
                    raise ValueError(f"{where}: unknown node {end!r}")
            self._check_ref(*(rel.key or {}).values(), where=f"{where}.key")
            self._check_ref(*(p.value for p in rel.props.values()), where=where)
            if rel.events:
                self._check_ref(rel.events.id, where=f"{where}.events")
            if any(p.agg == "sum" for p in rel.props.values()) and not rel.events:
                raise ValueError(f"{where}: agg sum needs events (to count each event once)")
        return self

    def _check_ref(self, *refs: str, where: str) -> None:
        for ref in refs:
            column, _, field = ref.partition(".")
            if column not in self.columns:
                raise ValueError(f"{where}: {ref!r} names no declared column")
            fields = IDENTITY_FIELDS.get(self.columns[column].type)
            if bool(field) != bool(fields) or (field and field not in fields):  # type: ignore[operator]
                allowed = f"one of {column}.{{{','.join(fields)}}}" if fields else column
                raise ValueError(f"{where}: {ref!r} is not valid here; use {allowed}")

    def ref_type(self, ref: str) -> str:
        """The neo4j-admin import type of a row field."""
        column, _, field = ref.partition(".")
        kind = self.columns[column].type
        if field:
            return "int" if field == "version" else "string"
        return kind.value if kind.value in IMPORT_TYPES else "string"


def load_mapping(path: Path) -> Mapping:
    """Read and validate one mapping; errors name the file and the field."""
    try:
        data: Any = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(f"mapping {path} must be a YAML mapping (key: value)")
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg']}" for e in exc.errors()
        )
        raise MappingError(
            f"invalid mapping {path}: {problems}", hint="see docs/loaders.md for the format"
        ) from None
    if mapping.feed != path.stem:
        raise MappingError(f"mapping {path}: feed {mapping.feed!r} must match the file name")
    return mapping


def load_mappings(directory: Path = MAPPINGS_DIR) -> dict[str, Mapping]:
    """All ``*.yaml`` mappings in ``directory``, by feed name."""
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise MappingError(f"no mappings (*.yaml) in {directory}")
    mappings = {m.feed: m for m in map(load_mapping, paths)}
    for m in mappings.values():
        for dep in m.depends_on:
            if dep not in mappings:
                raise MappingError(f"mapping {m.feed}: depends_on names unknown feed {dep!r}")
    return mappings


def load_order(mappings: dict[str, Mapping], feeds: list[str] | None = None) -> list[list[str]]:
    """Feeds grouped in dependency levels; feeds within a level are independent.

    >>> ms = load_mappings()
    >>> load_order(ms, ["reviews", "products"])
    [['products'], ['reviews']]
    """
    wanted = set(feeds or mappings)
    unknown = wanted - set(mappings)
    if unknown:
        raise MappingError(
            f"unknown feed(s): {', '.join(sorted(unknown))}",
            hint=f"known feeds: {', '.join(sorted(mappings))}",
        )
    levels: list[list[str]] = []
    done: set[str] = set()
    while wanted - done:
        ready = sorted(
            f for f in wanted - done if all(d in done or d not in wanted
                                           for d in mappings[f].depends_on)
        )  # fmt: skip
        if not ready:
            raise MappingError(f"depends_on has a cycle among {sorted(wanted - done)}")
        levels.append(ready)
        done.update(ready)
    return levels
