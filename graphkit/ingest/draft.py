"""Draft a starting mapping from a data file: columns (nested JSON flattened to dotted paths)
and sniffed types, with TODO comments where a human must decide.

Types are sniffed by running candidate column rules through the loaders' own
:class:`~graphkit.ingest.transform.Transformer`, most specific first (int, datetime as
epoch seconds/milliseconds/microseconds, float, bool, ISO datetime, date, strftime patterns,
email, ip, country, card, iban, phone, string); a candidate is taken when every sampled value
passes, else when 90% do (identifier types then get ``on_invalid: drop_value``). So the
draft's rules accept (most of) the sample by construction; ``graphkit mapping check`` then
shows what they refuse.

>>> import json, tempfile
>>> d = Path(tempfile.mkdtemp()); f = d / "people.jsonl"
>>> _ = f.write_text("\\n".join(json.dumps({"id": f"u{i}", "seen_ms": 1704067200000 + i,
...     "profile": {"country": "UK"}}) for i in range(30)))
>>> print(draft(f))  # doctest: +ELLIPSIS
# Draft mapping for people.jsonl (30 rows sampled) by `graphkit mapping draft`.
...
  id: {type: string, required: true, max_length: 32}  # unique in the sample
  seen_ms: {type: datetime, format: epoch_ms, required: true}  # 2024-01-01T00:00:00Z ...
  profile_country: {path: profile.country, type: country, required: true}  # values: UK
...
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.identity import Hasher
from graphkit.ingest.mapping import IDENTITY_FIELDS, Column, ColumnType, Mapping, Source
from graphkit.ingest.sources import CsvSource, JsonlSource, ParquetSource, Problem, file_format
from graphkit.ingest.transform import Bad, Transformer

#: strftime patterns tried for text datetimes that are not ISO 8601 (day-first first).
PATTERNS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y %H:%M:%S",
            "%m/%d/%Y %H:%M", "%m/%d/%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y", "%Y/%m/%d %H:%M:%S",
            "%Y/%m/%d", "%d-%m-%Y", "%d %b %Y", "%b %d, %Y")  # fmt: skip
#: Plausible epoch times (2001-09-09 .. 2096-10-02) per unit: value ranges.
EPOCHS = {"epoch_s": (1e9, 4e9), "epoch_ms": (1e12, 4e12), "epoch_us": (1e15, 4e15)}
#: The share of sampled values a rule must accept when not all do (dirty data).
SHARE = 0.9
PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{7,24}$")
ENUM_MAX = 10
HASHER = Hasher("graphkit-mapping-draft")  # values are only tested, never kept


@dataclass
class Sniffed:
    """What the sample says about one column."""

    path: str
    name: str
    records: list[dict[str, Any]] = field(default_factory=list)  # those with a value here
    values: list[Any] = field(default_factory=list)  # the non-empty values
    rows: int = 0  # records sampled
    column: Column = field(default_factory=Column)
    note: str = ""


def flatten(record: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``{"a": {"b": 1}, "c": 2}`` -> ``("a.b", 1), ("c", 2)`` (lists stay values).

    >>> list(flatten({"profile": {"contact": {"email": "x"}}, "id": 1}))
    [('profile.contact.email', 'x'), ('id', 1)]
    """
    for key, value in record.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from flatten(value, f"{path}.")
        else:
            yield path, value


def column_name(path: str) -> str:
    """A mapping column name for a field path (a plain identifier).

    >>> column_name("profile.contact.E-mail"), column_name("2nd")
    ('profile_contact_e_mail', '_2nd')
    """
    name = re.sub(r"\W+", "_", path.replace(".", "_")).strip("_").lower() or "column"
    return (f"_{name}" if name[0].isdigit() else name)[:64]


def sample(path: Path, rows: int) -> list[dict[str, Any]]:
    """The first ``rows`` parseable records of a CSV, JSON lines or Parquet file (gz too)."""
    kind = file_format(path)
    readers = {"csv": CsvSource, "jsonl": JsonlSource, "parquet": ParquetSource}
    if kind not in readers:
        raise GraphkitError(
            f"cannot tell the format of {path.name}",
            hint="name it .csv, .jsonl or .parquet (optionally .gz)",
        )
    if not path.is_file():
        raise GraphkitError(f"no file {path}", hint="pass a data file, e.g. feeds/sellers.csv")
    records = (r for _, r in readers[kind]([path]).records() if not isinstance(r, Problem))
    return list(islice(records, rows))


def _passes(s: Sniffed, column: Column, share: float = 1.0, context: Sniffed | None = None) -> bool:
    """Whether ``column`` accepts (``share`` of) the sampled values, by the loaders' rules;
    ``context``: the country column a phone column reads its region from."""
    columns = {"value": column.model_copy(update={"path": s.path})}
    if context:
        columns["value"] = columns["value"].model_copy(update={"context": "country"})
        columns["country"] = context.column.model_copy(update={"path": context.path})
    # built without validation: a one-column mapping that yields no node, only to convert
    mapping = Mapping.model_construct(feed="draft", mode="append", source=Source(files="draft"),
                                      key=["value"], columns=columns)  # fmt: skip
    transformer = Transformer(mapping, HASHER)
    roots = {c.path.split(".")[0] for c in columns.values() if c.path}
    failed = 0
    for i, record in enumerate(s.records):
        result = transformer.row(str(i), {k: v for k, v in record.items() if k in roots})
        transformer.seen.clear()  # each value is tested on its own, repeats too
        if isinstance(result, Bad) and result.field == "value":
            failed += 1
            if failed > (1 - share) * len(s.records):
                return False
    return True


def _numbers(values: list[Any]) -> list[float]:
    """The values that are numbers (or number text)."""
    numbers = []
    for value in values:
        if isinstance(value, bool):
            continue
        try:
            numbers.append(float(value))
        except (TypeError, ValueError):
            continue
    return numbers


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _candidates(s: Sniffed, country: Sniffed | None) -> Iterator[tuple[Column, str]]:
    """Rules to try, most specific first, each with a note for the draft."""
    numbers = _numbers(s.values)
    if len(numbers) >= SHARE * len(s.values):
        low, high = min(numbers), max(numbers)
        for fmt, (start, end) in EPOCHS.items():
            if start <= low and high < end:
                first = datetime.fromtimestamp(low / (end / 4e9), UTC)
                yield Column(type=ColumnType.datetime, format=fmt), f"{_when(first)} ..."
        yield Column(type=ColumnType.int), f"{low:.0f} .. {high:.0f}"
        yield Column(type=ColumnType.float), f"{low:g} .. {high:g}"
    yield Column(type=ColumnType.bool), ""
    yield Column(type=ColumnType.datetime), ""
    yield Column(type=ColumnType.datetime, format="date"), ""
    for pattern in PATTERNS:
        yield Column(type=ColumnType.datetime, format=pattern), ""
    yield Column(type=ColumnType.email), ""
    yield Column(type=ColumnType.ip), ""
    yield Column(type=ColumnType.card), ""
    yield Column(type=ColumnType.iban), ""
    phone_like = sum(bool(PHONE_LIKE.match(str(v).strip())) for v in s.values)
    if phone_like >= SHARE * len(s.values):
        yield Column(type=ColumnType.phone, context=country.name if country else None), ""


def sniff(s: Sniffed, country: Sniffed | None) -> None:
    """Set ``s.column`` (and a note) to the most specific rule the sample passes: all of it,
    else ``SHARE`` of it (identifiers then drop bad values; other rules quarantine rows)."""
    if not s.values:
        s.note = "TODO: always empty in the sample; set its type"
        return
    for candidate, note in _candidates(s, country):
        context = country if candidate.type == ColumnType.phone else None
        if _passes(s, candidate, context=context):
            s.column, s.note = candidate, note
            return
        if _passes(s, candidate, SHARE, context):
            if candidate.type in IDENTITY_FIELDS:
                s.column = candidate.model_copy(update={"on_invalid": "drop_value"})
                s.note = "some values do not parse (dropped): see `graphkit mapping check`"
            else:
                s.column = candidate
                s.note = "some values do not parse (rows quarantined): see `graphkit mapping check`"
            return
    texts = [str(v) for v in s.values]
    s.column = Column(max_length=max(32, 2 * max(map(len, texts))))
    distinct = sorted(set(texts))
    if len(distinct) <= ENUM_MAX < len(texts):
        s.note = f"values: {', '.join(distinct)} (TODO: enum? a switch for node labels?)"


def sniff_all(records: list[dict[str, Any]]) -> list[Sniffed]:
    """Every field path in ``records`` (first-seen order), sniffed; countries first, so that
    phone and address columns can name one as their ``context``."""
    columns: dict[str, Sniffed] = {}
    for record in records:
        for path, value in flatten(record):
            s = columns.setdefault(path, Sniffed(path, column_name(path)))
            if value is not None and value != "" and value != []:
                s.values.append(value)
                s.records.append(record)
    for s in columns.values():
        s.rows = len(records)
    country = None
    for s in columns.values():
        if s.values and not _numbers(s.values) and _passes(s, Column(type=ColumnType.country)):
            s.column, country = Column(type=ColumnType.country), country or s
            s.note = f"values: {', '.join(sorted(set(map(str, s.values)))[:6])}"
    for s in columns.values():
        if s.column.type != ColumnType.country:
            sniff(s, country)
    for s in columns.values():
        if len(s.values) == s.rows and s.column.on_invalid != "drop_value":
            s.column = s.column.model_copy(update={"required": True})
    return list(columns.values())


def _key(columns: list[Sniffed]) -> Sniffed | None:
    """A column unique in the sample and (nearly) always present: an ``id``-named one first."""
    unique = [s for s in columns if len(s.values) >= SHARE * s.rows and
              len(set(map(str, s.values))) == len(s.values) and
              s.column.type in (ColumnType.string, ColumnType.int)]  # fmt: skip
    named = [s for s in unique if re.search(r"(^|_)(id|key|ref|uuid|session)$", s.name)]
    return (named or unique or [None])[0]


def _rule(s: Sniffed) -> str:
    c = s.column
    parts = [] if s.path == s.name else [f"path: {s.path}"]
    parts.append(f"type: {c.type.value}")
    if c.type == ColumnType.datetime and c.format != "iso":
        parts.append(f"format: {json.dumps(c.format) if '%' in c.format else c.format}")
    if c.context:
        parts.append(f"context: {c.context}")
    if c.required:
        parts.append("required: true")
    if c.on_invalid == "drop_value":
        parts.append("on_invalid: drop_value")
    if c.type == ColumnType.string:
        parts.append(f"max_length: {c.max_length}")
    return "{" + ", ".join(parts) + "}"


def draft(path: Path, rows: int = 1000) -> str:
    """A starting mapping (YAML text with TODO comments) for the data file ``path``."""
    records = sample(path, rows)
    if not records:
        raise GraphkitError(f"{path.name} has no readable records", hint="check the file")
    columns = sniff_all(records)
    key = _key(columns)
    if key:  # required; an id of digits is still an id, not a number
        key.note = "unique in the sample"
        if key.column.type == ColumnType.int:
            key.column, key.note = Column(max_length=64), f"{key.note}; digits only, kept as text"
        key.column = key.column.model_copy(update={"required": True})
    times = sorted((s.name for s in columns if s.column.type == ColumnType.datetime),
                   key=lambda name: not re.search("updated|modified|changed", name))  # fmt: skip
    feed = column_name(path.name.split(".")[0])
    identifiers = [s for s in columns if s.column.type in IDENTITY_FIELDS]
    lines = [
        f"# Draft mapping for {path.name} ({len(records)} rows sampled) by `graphkit mapping "
        "draft`.",
        "# TODO: check each type; decide mode, key, watermark, nodes and relationships "
        "(docs/loaders.md),",
        f"# then run `graphkit mapping check DIR --feeds-dir {path.parent}`.",
        f"feed: {feed}",
        "description: TODO what one row is",
        "mode: snapshot  # TODO: snapshot (a row is an entity's full state) | append (events)",
        "source:",
        f"  files: {path.name}",
        f"key: [{key.name if key else 'TODO'}]  # TODO: the column(s) identifying a row",
        f"# watermark: {times[0] if times else '_file_mtime'}  # TODO: a datetime column bumped "
        "on every change, _file_mtime, or none (whole source each run)",
        "columns:",
    ]
    for s in columns:
        note = f"  # {s.note}" if s.note else ""
        lines.append(f"  {s.name}: {_rule(s)}{note}")
    lines.append("nodes: {}  # TODO: at least one node a row yields (docs/graph-model.md), e.g.")
    entity = key.name if key else "TODO"
    lines.append(f"#  entity: {{label: TODO, key: {{TODO_id: {entity}}}, properties: {{}}}}")
    for s in identifiers:
        fields = IDENTITY_FIELDS[s.column.type]
        yields = ", ".join(f"{s.name}.{f}" for f in fields)
        key = f"{{{fields[0]}: {s.name}.{fields[0]}}}"
        lines.append(f"#  {s.name}: {{label: TODO, key: {key}}}  # {s.name} yields {yields}")
    lines.append("relationships: []  # TODO: e.g. - {type: HAS_EMAIL, from: entity, to: email}")
    return "\n".join(lines) + "\n"
