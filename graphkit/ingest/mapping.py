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

import graphlib
import logging
import re
import string
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphkit.errors import GraphkitError

log = logging.getLogger("graphkit.ingest")
MAPPINGS_DIR = Path(__file__).resolve().parent.parent.parent / "loaders"
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
#: A row field: a column, or ``column.field`` for what an identifier column yields.
Ref = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")]
#: Where a value is in a record: a field name, dotted into nested objects / Parquet structs.
FieldPath = Annotated[str, Field(pattern=r"^[^.]+(\.[^.]+)*$")]
#: ``watermark: _file_mtime``: the source file's modification time, not a column.
FILE_MTIME = "_file_mtime"
DATETIME_FORMATS = ("iso", "date", "epoch_s", "epoch_ms", "epoch_us")
SAMPLE_TIME = datetime(2024, 12, 31, 23, 59, 58)


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
    country = "country"


#: The fields an identifier column yields (``graphkit.identity.Hasher`` methods).
IDENTITY_FIELDS: dict[ColumnType, tuple[str, ...]] = {
    ColumnType.email: ("hash", "domain"),
    ColumnType.phone: ("hash", "country_code"),
    ColumnType.address: ("hash", "country", "postcode_prefix"),
    ColumnType.ip: ("ip", "version"),
    ColumnType.card: ("token", "kind", "last4", "bin"),
    ColumnType.iban: ("token", "kind", "country"),
}
TEXT_TYPES = (ColumnType.string, ColumnType.country)
PLAIN_TYPES = (ColumnType.int, ColumnType.float, ColumnType.bool, ColumnType.datetime)
#: Neo4j types per column type, for neo4j-admin import headers.
IMPORT_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean",
                "datetime": "datetime"}  # fmt: skip


def transformed(text: str, steps: list[str]) -> str:
    """``text`` after a column's ``transform`` steps.

    >>> transformed("  Big   SHOP ", ["trim", "lower"])
    'big shop'
    """
    for step in steps:
        text = {"trim": lambda t: " ".join(t.split()), "lower": str.lower,
                "upper": str.upper}[step](text)  # fmt: skip
    return text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        """Name the keys one may write instead of an unknown one."""
        if isinstance(data, dict):
            known = sorted(f.alias or name for name, f in cls.model_fields.items())
            for key in data:
                if key not in known:
                    raise ValueError(f"{key!r} is not a key here; write one of {', '.join(known)}")
        return data


class Column(Strict):
    """Validation and normalisation of one source column, in this order: read at ``path``
    (or built from ``template``), ``default`` if empty, ``transform``, ``map``, ``pattern``,
    ``enum``, ``type``, ``min``/``max``. A broken rule quarantines the row, or with
    ``on_invalid: drop_value`` empties the value (counted per field)."""

    type: ColumnType = ColumnType.string
    required: bool = False
    min: float | None = None
    max: float | None = None
    enum: list[str] | None = None
    max_length: int = Field(1000, gt=0)
    pattern: str | None = None
    #: For phone (region) and address (country): the column holding the country.
    context: Name | None = None
    path: FieldPath | None = None
    format: str = "iso"
    transform: list[Literal["trim", "lower", "upper"]] = []
    map: dict[str, str] | None = None
    default: str | int | float | bool | None = None
    template: str | None = None
    on_invalid: Literal["quarantine_row", "drop_value"] = "quarantine_row"

    @model_validator(mode="after")
    def _consistent(self) -> Column:
        if self.format not in DATETIME_FORMATS and "%" not in self.format:
            raise ValueError(
                f"format: {self.format!r} is not a format; write one of "
                f"{', '.join(DATETIME_FORMATS[:-1])} or {DATETIME_FORMATS[-1]} "
                "or a strftime pattern such as '%d/%m/%Y %H:%M'"
            )
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern: {self.pattern!r} is not a regular expression "
                                 f"({exc}); write e.g. '^[A-Z]{{2}}$'") from None  # fmt: skip
        if "%" in self.format:
            try:
                datetime.strptime(SAMPLE_TIME.strftime(self.format), self.format)
            except ValueError as exc:
                raise ValueError(f"format: {self.format!r} is not a strftime pattern ({exc}); "
                                 "write e.g. '%d/%m/%Y %H:%M'") from None  # fmt: skip
        if "format" in self.model_fields_set and self.type != ColumnType.datetime:
            raise ValueError("format: only datetime columns take a format; write type: datetime")
        if self.required and self.on_invalid == "drop_value":
            raise ValueError(
                "on_invalid: a required column cannot drop its value; write "
                "on_invalid: quarantine_row or required: false"
            )
        if self.default is not None:
            self._check_default(transformed(str(self.default), self.transform))
        if self.template is not None and self.path is not None:
            raise ValueError("template: a templated column reads no path; remove path")
        self.template_parts  # noqa: B018  (validates the template)
        return self

    def _check_default(self, text: str) -> None:
        """The default goes through ``map`` and ``enum`` like any value: it must pass."""
        if self.map is not None and text not in self.map:
            raise ValueError(f"default: {text!r} is not in map; write one of its keys: "
                             f"{', '.join(self.map)}")  # fmt: skip
        value = self.map[text] if self.map is not None else text
        if self.enum and value not in self.enum:
            raise ValueError(f"default: {value!r} is not in enum; write one of "
                             f"{', '.join(self.enum)}")  # fmt: skip

    @cached_property
    def template_parts(self) -> list[str]:
        """The columns a ``template`` names: ``"{line1}, {city}"`` -> ``['line1', 'city']``."""
        if self.template is None:
            return []
        try:
            fields = list(string.Formatter().parse(self.template))
        except ValueError as exc:
            hint = "write column names in braces: '{a} {b}'"
            raise ValueError(f"template: {exc}; {hint}") from None
        parts = [name for _, name, spec, conv in fields if name is not None]
        for _, name, spec, conv in fields:
            if name is not None and (not name.isidentifier() or spec or conv):
                raise ValueError(
                    f"template: {{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                    " is not a column; write plain column names in braces: '{a} {b}'"
                )
        if not parts:
            raise ValueError("template: names no column; write e.g. '{line1}, {city}'")
        return parts

    @property
    def reads(self) -> str | None:
        """Where the column reads its raw value (None: built from a template)."""
        return None if self.template is not None else self.path


class Source(Strict):
    """``files``: a glob under the feeds dir; ``table`` or ``query``: PostgreSQL."""

    files: str | None = None
    #: The files' format when their extension does not say (``.csv``, ``.jsonl``, ``.json``,
    #: ``.parquet``, each optionally ``.gz``).
    format: Literal["csv", "jsonl", "parquet"] | None = None
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
    properties: dict[Name, Ref] = {}


class Node(Strict):
    """A node a row yields. ``merge`` creates it; ``match`` requires it to exist already
    (rows pointing to a missing node wait as pending rows until it does; rows with an
    empty key are quarantined unless ``optional: true``, which leaves the node and its
    relationships out). ``switch`` + ``cases`` pick the label (and key, properties) from a
    column's value, e.g. ``account_type``; a value with no case quarantines the row.
    ``cases`` without ``switch`` (match only): the first case whose node exists, for rows
    that name an account but not its kind."""

    label: Name | None = None
    key: dict[Name, Ref] | None = Field(None, min_length=1, max_length=1)
    properties: dict[Name, Ref] = {}
    mode: Literal["merge", "match"] = "merge"
    switch: Name | None = None
    cases: dict[str, Case] | None = None
    optional: bool = False

    @model_validator(mode="after")
    def _label_or_switch(self) -> Node:
        plain = self.label is not None and self.key is not None
        if plain == bool(self.cases) or (self.switch and not self.cases):
            raise ValueError("give label + key, or cases (with switch: <column>)")
        if self.cases and not self.switch and self.mode != "match":
            raise ValueError(
                "cases without switch: only in mode: match (the first case whose node exists); "
                "write switch: <column> to pick cases by value"
            )
        if self.mode == "match" and any(case.properties for _, case in self.variants):
            raise ValueError("a mode: match node sets no properties; remove them or use merge")
        if self.optional and self.mode != "match":
            raise ValueError("optional: only for mode: match (merge nodes with an empty key "
                             "are always left out)")  # fmt: skip
        return self

    @cached_property
    def variants(self) -> list[tuple[str | None, Case]]:
        """``(switch value, case)`` pairs, each case with the node's common properties too;
        one ``(None, case)`` for a plain node."""
        if self.cases:
            return [
                (value, case.model_copy(update={"properties": self.properties | case.properties}))
                for value, case in self.cases.items()
            ]
        return [(None, Case(label=self.label, key=self.key, properties=self.properties))]  # type: ignore[arg-type]

    def cases_for(self, row: dict[str, Any]) -> list[Case]:
        """The cases a row may take: the one its switch value picks (none when no case
        does), else every case (a plain node has one)."""
        if self.switch:
            return [case for value, case in self.variants if value == row.get(self.switch)]
        return [case for _, case in self.variants]


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
    #: The row carries all such relationships of this node: older ones are retired (they
    #: keep ``valid_from``/``valid_to``, see docs/loaders.md).
    snapshot_of: Name | None = None
    #: What an empty value for the other end means in a snapshot row: ``retire`` (the
    #: entity has none now: the current link retires) or ``keep`` (the export left the
    #: column out: the current link stays).
    on_null: Literal["retire", "keep"] = "retire"

    @cached_property
    def props(self) -> dict[str, Prop]:
        return {
            name: p if isinstance(p, Prop) else Prop(value=p) for name, p in self.properties.items()
        }


class Deleted(Strict):
    """A deletion marker: rows whose ``column`` holds one of ``values`` are tombstones
    (``deleted: {column: op, values: [delete, D]}``; a bool column: ``values: [true]``)."""

    column: Name
    values: list[str | bool] = [True]


class Mapping(Strict):
    feed: Name
    description: str = ""
    #: ``snapshot``: each row is the full current state of its entity (stale relationships
    #: are retired); ``append``: rows are events that only add.
    mode: Literal["snapshot", "append"]
    depends_on: list[Name] = []
    source: Source
    key: list[Name] = Field(min_length=1)
    #: A datetime column, ``_file_mtime``, or none (each run reads the whole source).
    watermark: Name | None = None
    columns: dict[Name, Column] = Field(min_length=1)
    require_one_of: list[list[Name]] = []
    unknown_columns: Literal["warn", "quarantine"] = "warn"
    nodes: dict[Name, Node] = {}
    relationships: list[Relationship] = []
    #: Tombstones (snapshot feeds): a marked row retires its entity's links and marks it.
    deleted: Deleted | None = None

    @model_validator(mode="after")
    def _references(self) -> Mapping:
        if not self.nodes:
            raise ValueError(
                "nodes: a mapping yields at least one node; write e.g. "
                "nodes: {seller: {label: Seller, key: {seller_id: seller_id}}}"
            )
        names = set(self.columns)
        marks = [self.watermark] if self.watermark not in (None, FILE_MTIME) else []
        for column in [*self.key, *marks, *sum(self.require_one_of, [])]:
            if column not in names:
                raise ValueError(f"column {column!r} is not declared under columns")
        for name, col in self.columns.items():
            if col.context and col.context not in names:
                raise ValueError(f"columns.{name}.context: unknown column {col.context!r}")
            if col.context and self.columns[col.context].type not in TEXT_TYPES:
                raise ValueError(f"columns.{name}.context: {col.context!r} must be a country "
                                 "or string column")  # fmt: skip
            for part in col.template_parts:
                if part not in names or self.columns[part].type not in TEXT_TYPES + PLAIN_TYPES:
                    raise ValueError(
                        f"columns.{name}.template: {{{part}}} must name a declared column of "
                        "type string, country, int, float, bool or datetime"
                    )
        self.conversion_order  # noqa: B018  (no cycles among templates and contexts)
        for alias, node in self.nodes.items():
            for _, case in node.variants:
                self._check_ref(*case.key.values(), where=f"nodes.{alias}.key")
                self._check_ref(*case.properties.values(), where=f"nodes.{alias}.properties")
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
            if rel.on_null == "keep" and not rel.snapshot_of:
                raise ValueError(f"{where}.on_null: only snapshot_of relationships retire; "
                                 "remove on_null or add snapshot_of")  # fmt: skip
        groups: dict[tuple[str, str], set[str]] = {}
        for rel in self.relationships:
            if rel.snapshot_of:
                groups.setdefault((rel.type, rel.snapshot_of), set()).add(rel.on_null)
        if any(len(choices) > 1 for choices in groups.values()):
            raise ValueError("relationships: snapshot_of relationships of one type and node "
                             "retire together; give them the same on_null")  # fmt: skip
        self._check_deleted()
        return self

    def _check_deleted(self) -> None:
        if self.deleted is None:
            return
        if self.mode != "snapshot":
            raise ValueError("deleted: tombstones are for snapshot feeds; write mode: snapshot")
        if self.deleted.column not in self.columns:
            raise ValueError(f"deleted.column: {self.deleted.column!r} is not declared under "
                             "columns")  # fmt: skip
        if self.watermark not in self.columns:
            raise ValueError("deleted: a tombstone is ordered against the row's other "
                             "versions; give a watermark column")  # fmt: skip
        keyed = [n for n in self.nodes.values()
                 if n.mode == "merge" and n.key and list(n.key.values()) == self.key]  # fmt: skip
        if len(self.key) != 1 or not keyed:
            raise ValueError("deleted: needs a merged node keyed by the feed's key (the entity "
                             "a tombstone deletes)")  # fmt: skip

    @cached_property
    def conversion_order(self) -> list[str]:
        """Columns in the order they are converted: a ``context`` or ``template`` part first.

        >>> load_mapping(MAPPINGS_DIR / "sellers.yaml").conversion_order[:2]
        ['seller_id', 'legal_name']
        """
        graph = {
            name: [*col.template_parts, *filter(None, [col.context])]
            for name, col in self.columns.items()
        }
        try:
            return list(graphlib.TopologicalSorter(graph).static_order())
        except graphlib.CycleError as exc:
            raise ValueError(f"columns: {' -> '.join(exc.args[1])} refer to each other") from None

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
        problems = "; ".join(map(_problem, exc.errors()))
        raise MappingError(
            f"invalid mapping {path}: {problems}", hint="see docs/loaders.md for the format"
        ) from None
    if mapping.feed != path.stem:
        raise MappingError(f"mapping {path}: feed {mapping.feed!r} must match the file name")
    return mapping


def _problem(error: Any) -> str:
    """One pydantic error as ``where: what to write``."""
    loc = [str(part) for part in error["loc"]]
    message = error["msg"].removeprefix("Value error, ")
    if loc[-1:] == ["[key]"]:
        loc = loc[:-1]
        if loc[:1] == ["columns"] and "." in loc[-1]:
            name = loc[-1].rsplit(".", 1)[-1]
            message = (f"column names are plain identifiers; to read a nested field write "
                       f"{name}: {{path: {loc[-1]}}}")  # fmt: skip
        else:
            message = f"{loc[-1]!r} is not a plain identifier (letters, digits, _)"
    if error["type"] == "value_error" and (where := re.match(r"([\w.\[\]]+): (.*)", message)):
        loc, message = [*loc, where[1]], where[2]  # a model rule naming its own key
    loc = [p for p in loc if not p.startswith(("function-", "constrained-str"))]
    return f"{'.'.join(loc) or '(top level)'}: {message}"


def load_mappings(directory: Path = MAPPINGS_DIR) -> dict[str, Mapping]:
    """All ``*.yaml`` mappings in ``directory``, by feed name.

    ``depends_on`` orders the feeds of one directory; a feed it names that is not in the
    directory is left out of the order (loaded before, or by another directory's mappings).
    """
    if not directory.is_dir():
        raise MappingError(
            f"mappings directory {directory} does not exist",
            hint="pass --mappings DIR (a directory of <feed>.yaml files)",
        )
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise MappingError(f"no mappings (*.yaml) in {directory}")
    mappings = {m.feed: m for m in map(load_mapping, paths)}
    for m in mappings.values():
        if outside := [dep for dep in m.depends_on if dep not in mappings]:
            log.debug("feed %s: depends_on %s not in %s (not ordered)", m.feed, outside, directory)
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
