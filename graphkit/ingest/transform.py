"""Validate and normalise raw records into graph-ready rows, or quarantine them.

Rules, per column of the mapping: ``required``, ``type`` (string, int, float, bool, datetime,
or an identifier kind hashed by :mod:`graphkit.identity`), ``min``/``max``, ``enum``,
``max_length`` and ``pattern``. Every string is also refused when it holds NUL bytes or
invalid UTF-8. Strings that look like Cypher are ordinary data: they reach Neo4j only as
parameters, so they load verbatim. Unknown columns are ignored with one warning per run
(``unknown_columns: quarantine`` in a mapping quarantines such rows instead). A key seen twice
in one run with identical values is skipped; with different values the newest watermark wins
whatever the read order (an older version is skipped, a newer one written over it; both are
counted as ``superseded``), and two versions with one watermark but different values are
quarantined (nothing says which is current). A tombstone (the mapping's ``deleted`` marker)
needs only its key, watermark and marker: its other columns are left empty, unchecked.

Columnar batches (Parquet) are checked per column with pyarrow compute; only rows that a
vectorised check cannot vouch for (a rule broken, surrounding spaces, non-ASCII text, a
datetime not in the plain ``YYYY-MM-DDTHH:MM:SSZ`` form) take the row-by-row path, so the
result and every quarantine reason are the same. Identifier columns (hashed) are row-by-row.

>>> from graphkit.ingest.mapping import load_mapping, MAPPINGS_DIR
>>> from graphkit.identity import Hasher
>>> t = Transformer(load_mapping(MAPPINGS_DIR / "brands.yaml"), Hasher("k"))
>>> row = t.row("x:2", {"brand_id": "B1", "name": "Acme", "updated_at": "2024-01-02T03:04Z"})
>>> row["name"], row["registered_at"], row["updated_at"].isoformat()
('Acme', None, '2024-01-02T03:04:00+00:00')
>>> t.row("x:3", {"brand_id": "B2", "updated_at": "yesterday"}).reason
'missing required value'
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from graphkit.identity import Hasher, InvalidIdentifier, normalise_country
from graphkit.ingest.mapping import FILE_MTIME, Column, ColumnType, Mapping, transformed
from graphkit.ingest.sources import Columns, Problem, Record

if TYPE_CHECKING:
    from graphkit.erasure import Erased

log = logging.getLogger("graphkit.ingest")
TRUE = {"true", "t", "1", "yes", "y"}
FALSE = {"false", "f", "0", "no", "n"}
TYPED = (int, float, Decimal, datetime)
#: Text the row path would keep as is: printable ASCII, no surrounding spaces, not empty.
PLAIN = r"^[!-~]([ -~]*[!-~])?$"
PLAIN_UTC = r"^[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+00:00)$"
SECONDS = "%Y-%m-%dT%H:%M:%S"
UTC_US = pa.timestamp("us", tz="+00:00")  # converts to datetimes with tzinfo=UTC
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass
class Bad:
    """A quarantined record: where it was, which field, why, and the raw record."""

    locator: str
    field: str | None
    reason: str
    raw: Any


@dataclass
class Batch:
    """Transformed rows of one batch and what it cost in source records."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)  # per good row
    partitions: list[str] | None = None  # per good row: its source partition (set by readers)
    raws: list[Any] = field(default_factory=list)  # per good row, for late quarantine
    bad: list[Bad] = field(default_factory=list)
    read: int = 0
    skipped: int = 0  # includes the superseded versions left out
    superseded: int = 0
    #: keys whose earlier version (already emitted) a newer row of this batch replaces
    replaced: list[tuple] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)  # values emptied per column
    erased: int = 0  # identifier values emptied: they would link an erased account again
    position: str | None = None  # where a PostgreSQL read resumes after this batch

    def add(self, locator: str, record: Any, result: dict[str, Any] | Bad | None) -> None:
        """Count one source record and file its transform result."""
        self.read += 1
        if result is None:
            self.skipped += 1
        elif isinstance(result, Bad):
            self.bad.append(result)
        else:
            self.rows.append(result)
            self.locators.append(locator)
            self.raws.append(record)

    def keep_newest(self, key: list[str]) -> None:
        """Of rows sharing a key (a version and the newer one that replaced it), keep the
        last: only a newer version is ever emitted after an older one."""
        last = {tuple(_plain(row[k]) for k in key): i for i, row in enumerate(self.rows)}
        if len(last) == len(self.rows):
            return
        kept = sorted(last.values())
        self.skipped += len(self.rows) - len(kept)
        self.rows = [self.rows[i] for i in kept]
        self.locators = [self.locators[i] for i in kept]
        self.raws = [self.raws[i] for i in kept]


class Invalid(ValueError):
    """A value that breaks a column rule."""


def _text(value: Any, col: Column) -> str | None:
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise Invalid("invalid UTF-8 encoding") from None
        if "\x00" in value:
            raise Invalid("NUL byte in value")
        if len(value) > col.max_length:
            raise Invalid(f"oversized value: {len(value)} > max_length {col.max_length}")
        value = value.strip()
        return value or None
    return None if value is None else str(value)


#: ISO 8601 extended form: ``-`` in dates and ``:`` in times, so that a number such as
#: ``1767042541236`` (epoch milliseconds) is never read as the basic form ``1767-04-25...``.
ISO = re.compile(
    r"\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d([.,]\d+)?)?(Z|[+-]\d\d(:?\d\d)?)?)?", re.ASCII
)
DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
EPOCH_UNITS = {"epoch_s": 1_000_000, "epoch_ms": 1_000, "epoch_us": 1}  # microseconds per unit


def _datetime(value: Any, fmt: str = "iso") -> datetime:
    """A value in the declared ``format`` as an aware UTC datetime; anything else is Invalid.

    >>> _datetime("2024-01-02T03:04:05+02:00").isoformat()
    '2024-01-02T01:04:05+00:00'
    >>> _datetime(1767042541236, "epoch_ms").isoformat()
    '2025-12-29T21:09:01.236000+00:00'
    >>> _datetime("1767042541236")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graphkit.ingest.transform.Invalid: bad datetime: a number, not ISO 8601 (epoch times ...
    """
    if not isinstance(value, datetime):
        value = _parse_datetime(value, fmt)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_datetime(value: Any, fmt: str) -> datetime:
    text = value if isinstance(value, str) else None
    try:
        if fmt in EPOCH_UNITS:
            if isinstance(value, bool) or not (
                isinstance(value, int | float | Decimal) or (text and NUMBER.fullmatch(text))
            ):
                raise Invalid(f"bad datetime (want a number, format {fmt})")
            micros = int(Decimal(str(value)) * EPOCH_UNITS[fmt])
            return EPOCH + timedelta(microseconds=micros)
        if text is None:
            raise Invalid(f"bad datetime (want text in format {fmt})")
        if fmt == "iso" and ISO.fullmatch(text):
            return datetime.fromisoformat(text)
        if fmt == "date" and DATE.fullmatch(text):
            return datetime.fromisoformat(text)
        if fmt not in ("iso", "date"):
            return datetime.strptime(text, fmt)
    except (ValueError, ArithmeticError, OverflowError):
        pass
    if fmt == "iso" and text and NUMBER.fullmatch(text):
        raise Invalid("bad datetime: a number, not ISO 8601 (epoch times need format: "
                      "epoch_s, epoch_ms or epoch_us)")  # fmt: skip
    want = {"iso": "ISO 8601, e.g. 2024-01-31T12:00:00Z", "date": "a date, YYYY-MM-DD"}
    raise Invalid(f"bad datetime (want {want.get(fmt, f'format {fmt}')})")


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise Invalid("bad integer")
    try:
        number = float(value) if isinstance(value, str) and "." in value else value
        if isinstance(number, float | Decimal) and number != int(number):
            raise ValueError
        return int(number)
    except (TypeError, ValueError, OverflowError):
        raise Invalid("bad integer") from None


def _float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Invalid("bad number") from None
    if not math.isfinite(number) or isinstance(value, bool):
        raise Invalid("bad number")
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    raise Invalid("bad boolean")


_VECTOR_TYPES = (ColumnType.string, ColumnType.int, ColumnType.float, ColumnType.bool,
                 ColumnType.datetime)  # fmt: skip


def lookup(record: dict[str, Any], path: str) -> Any:
    """The value at ``path`` in a record: a field, or dotted into nested objects.

    >>> lookup({"profile": {"contact": {"email": "a@b.c"}}}, "profile.contact.email")
    'a@b.c'
    >>> lookup({"a.b": 1}, "a.b"), lookup({"a": "x"}, "a.b")
    (1, None)
    """
    if path in record:
        return record[path]
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _template(col: Column, out: dict[str, Any]) -> str | None:
    """The column's template filled with converted values; None when a part is empty."""
    values = {p: out.get(p) for p in col.template_parts}
    if any(v is None for v in values.values()):
        return None
    return col.template.format_map(  # type: ignore[union-attr]
        {p: v.isoformat() if isinstance(v, datetime) else v for p, v in values.items()}
    )


def _converter(name: str, col: Column, hasher: Hasher) -> Callable[[Any, dict], Any]:
    """One function per column: (raw record, converted values so far) -> normalised value."""
    pattern = re.compile(col.pattern) if col.pattern else None
    keep_typed = col.type in (ColumnType.int, ColumnType.float, ColumnType.bool,
                              ColumnType.datetime) and not (col.transform or col.map)  # fmt: skip
    enum = set(col.enum) if col.enum else None
    path = col.path or name
    simple: dict[ColumnType, Callable[[Any], Any]] = {
        ColumnType.int: _int, ColumnType.float: _float, ColumnType.bool: _bool,
        ColumnType.datetime: functools.partial(_datetime, fmt=col.format),
        ColumnType.string: lambda v: v, ColumnType.country: normalise_country,
        ColumnType.email: hasher.email, ColumnType.ip: hasher.ip,
        ColumnType.card: hasher.card, ColumnType.iban: hasher.iban,
    }  # fmt: skip

    def convert(record: dict, out: dict[str, Any]) -> Any:
        raw_value = _template(col, out) if col.template is not None else lookup(record, path)
        if isinstance(raw_value, dict | list):
            raise Invalid("a nested object or list, not a value: point path at a field inside")
        typed = raw_value if keep_typed and isinstance(raw_value, TYPED) else None
        if typed is None and raw_value is not None and not isinstance(raw_value, str):
            raw_value = str(raw_value)
        text = None if typed is not None else _text(raw_value, col)
        if typed is None and text is None and col.default is not None:
            text = str(col.default)
        if typed is None and text is None:
            if col.required:
                raise Invalid("missing required value")
            return None
        if text is not None:
            text = transformed(text, col.transform)
            if col.map is not None:
                if text not in col.map:
                    raise Invalid(f"value not in map: {text[:40]!r}")
                text = col.map[text]
            if pattern and not pattern.match(text):
                raise Invalid(f"does not match pattern {col.pattern}")
            if enum and text not in enum:
                raise Invalid(f"not one of {sorted(enum)}")
        value_in = typed if typed is not None else text
        try:
            if col.type in (ColumnType.phone, ColumnType.address):
                context = str(out.get(col.context) or "").upper() or None  # type: ignore[arg-type]
                method = hasher.phone if col.type == ColumnType.phone else hasher.address
                value = method(str(value_in), context)
            else:
                value = simple[col.type](value_in)
        except InvalidIdentifier as exc:
            raise Invalid(str(exc)) from None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if col.min is not None and value < col.min:
                raise Invalid(f"{value} is below the minimum {col.min:g}")
            if col.max is not None and value > col.max:
                raise Invalid(f"{value} is above the maximum {col.max:g}")
        return value

    convert.__name__ = f"convert_{name}"
    return convert


def _vectorisable(col: Column) -> bool:
    """Whether the columnar checks below implement every rule of ``col``."""
    plain = not (col.transform or col.map or col.template is not None or col.default is not None)
    return col.type in _VECTOR_TYPES and plain and col.format == "iso"


def _column(data: pa.RecordBatch, path: str) -> pa.Array:
    """The values at ``path``: a column, or a field of (nested) struct columns; nulls if none."""
    if path in data.schema.names:
        return data.column(path)
    root, *fields = path.split(".")
    if root not in data.schema.names:
        return pa.nulls(data.num_rows)
    values = data.column(root)
    for field_name in fields:
        if not pa.types.is_struct(values.type) or values.type.get_field_index(field_name) < 0:
            return pa.nulls(data.num_rows)
        values = pc.struct_field(values, field_name)
    return values


def _vector(col: Column, values: pa.Array) -> tuple[pa.Array, pa.Array] | None:
    """``(ok, converted)`` for one column: ``ok`` marks rows whose value the row path would
    accept and convert to ``converted``; None when the column's arrow type is not handled."""
    kind, t, raw = col.type, values.type, values
    if pa.types.is_null(t):  # the column is absent
        ok = pa.nulls(len(values), pa.bool_())
    elif kind in (ColumnType.string, ColumnType.datetime) and pa.types.is_string(t):
        ok = pc.match_substring_regex(values, PLAIN)
        ok = pc.and_(ok, pc.less_equal(pc.utf8_length(values), col.max_length))
        if col.pattern:
            ok = pc.and_(ok, pc.match_substring_regex(values, f"^(?:{col.pattern})"))
        if col.enum:
            ok = pc.and_(ok, pc.is_in(values, value_set=pa.array(col.enum)))
        if kind == ColumnType.datetime:  # strptime rolls 02-30 over: check the round trip
            local = pc.utf8_slice_codeunits(values, 0, 19)
            parsed = pc.strptime(local, format=SECONDS, unit="s", error_is_null=True)
            ok = pc.and_(ok, pc.match_substring_regex(values, PLAIN_UTC))
            again = pc.replace_substring(parsed.cast(pa.string()), " ", "T")  # not strftime: 7x
            ok = pc.and_(ok, pc.equal(again, local))
            values = parsed.cast(UTC_US)
    elif kind == ColumnType.datetime and pa.types.is_timestamp(t):
        ok, values = pc.is_valid(values), values.cast(UTC_US)
    elif kind == ColumnType.bool and pa.types.is_boolean(t):
        ok = pc.is_valid(values)
    elif (
        kind == ColumnType.int
        and pa.types.is_integer(t)
        or (kind == ColumnType.float and (pa.types.is_integer(t) or pa.types.is_floating(t)))
    ):
        values = values.cast(pa.float64()) if kind == ColumnType.float else values
        ok = pc.is_finite(values) if kind == ColumnType.float else pc.is_valid(values)
        if col.min is not None:
            ok = pc.and_(ok, pc.greater_equal(values, col.min))
        if col.max is not None:
            ok = pc.and_(ok, pc.less_equal(values, col.max))
    else:
        return None
    ok = pc.if_else(pc.is_valid(raw), pc.fill_null(ok, False), not col.required)
    return ok, values


class Transformer:
    """Turns raw records of one feed into rows; remembers keys to catch conflicting duplicates.

    ``since``: records whose watermark is not newer are skipped (incremental sync).
    ``mtimes``: the source files' modification times by file name, for ``_file_mtime``.
    ``dedupe_limit`` bounds memory: beyond it the key memory starts afresh.
    ``erased``: the erased accounts, whose identifier values every batch empties
    (:class:`graphkit.erasure.Erased`).
    """

    def __init__(
        self,
        mapping: Mapping,
        hasher: Hasher,
        *,
        since: datetime | None = None,
        mtimes: dict[str, datetime] | None = None,
        dedupe_limit: int = 2_000_000,
        erased: Erased | None = None,
    ):
        self.mapping = mapping
        self.erased = erased
        self.since = since
        self.mtimes = mtimes or {}
        self.dedupe_limit = dedupe_limit
        reads = [c.reads or n for n, c in mapping.columns.items() if c.template is None]
        self.names = {*reads, *(r.split(".")[0] for r in reads)}  # fields and their roots
        self.converters = [
            (name, _converter(name, mapping.columns[name], hasher))
            for name in mapping.conversion_order
        ]
        self.watermark = dict(self.converters).get(mapping.watermark or "")
        #: what a tombstone row (``deleted``) needs: its key, version and marker
        marker = [mapping.deleted.column] if mapping.deleted else []
        self.tombstone_columns = {*mapping.key, *filter(None, [mapping.watermark]), *marker}
        self.vectorisable = all(map(_vectorisable, mapping.columns.values()))
        self.seen: dict[tuple, tuple[Any, int]] = {}  # key -> (watermark, fingerprint)
        self.dropped: Counter[str] = Counter()
        self.unknown_columns: set[str] = set()
        self.duplicates = 0
        self.superseded = 0
        self.replaced: list[tuple] = []

    def row(self, locator: str, record: dict[str, Any] | Problem) -> dict[str, Any] | Bad | None:
        """A good row, a :class:`Bad` record, or None when the record is skipped."""
        if isinstance(record, Problem):
            return Bad(locator, None, record.reason, record.raw)
        if self._loaded(record):
            return None
        m = self.mapping
        unknown = record.keys() - self.names
        if unknown:
            if m.unknown_columns == "quarantine":
                return Bad(locator, sorted(unknown)[0], "unknown column", record)
            if not unknown <= self.unknown_columns:
                self.unknown_columns |= unknown
                log.warning("feed %s: ignoring unknown column(s) %s", m.feed, sorted(unknown))
        out: dict[str, Any] = {}
        dropped = []
        tombstone = self._tombstone(record)
        for name, convert in self.converters:
            if tombstone and name not in self.tombstone_columns:  # a deletion: key and version
                out[name] = None
                continue
            try:
                out[name] = convert(record, out)
            except (Invalid, ValueError, TypeError, ArithmeticError) as exc:
                reason = str(exc) if isinstance(exc, Invalid) else (
                    f"unreadable value ({type(exc).__name__})"  # a value no rule foresaw
                )  # fmt: skip
                if m.columns[name].on_invalid == "quarantine_row":
                    return Bad(locator, name, reason, record)
                out[name] = None
                dropped.append(name)
        out = {name: out[name] for name in m.columns}  # declared order, as the columnar path
        if m.watermark == FILE_MTIME:
            out[FILE_MTIME] = self.mtimes.get(locator.rpartition(":")[0])
        if self.since is not None and m.watermark is not None:
            mark = out[m.watermark]
            if mark is not None and mark <= self.since:
                return None
        if not tombstone and (problem := self._refuse(out)):
            return Bad(locator, *problem, record)
        result = self._dedupe(locator, record, out)
        if isinstance(result, dict):
            self.dropped.update(dropped)
        return result

    def _tombstone(self, record: dict[str, Any]) -> bool:
        """Whether the record is a deletion (``deleted`` marker; an unreadable marker is not)."""
        marker = self.mapping.deleted
        if marker is None:
            return False
        try:
            return dict(self.converters)[marker.column](record, {}) in marker.values
        except (ValueError, TypeError, ArithmeticError):
            return False

    def _refuse(self, out: dict[str, Any]) -> tuple[str, str] | None:
        """``(field, reason)`` when the row cannot yield its nodes: a required group empty,
        a switch value with no case, an empty key of a (non-optional) ``match`` node."""
        m = self.mapping
        for group in m.require_one_of:
            if all(out[c] is None for c in group):
                return group[0], f"one of {', '.join(group)} is required"
        for alias, node in m.nodes.items():
            cases = node.cases_for(out)
            if not cases:
                expected = ", ".join(v for v, _ in node.variants)  # type: ignore[misc]
                kind = out[node.switch]  # type: ignore[index]
                return node.switch, f"unknown kind {kind!r} for nodes.{alias}; expected {expected}"  # type: ignore[return-value]
            refs = [next(iter(case.key.values())) for case in cases]
            if (
                node.mode == "match"
                and not node.optional
                and all(field_value(out, r) is None for r in refs)
            ):
                return refs[0].partition(".")[0], f"empty key for match node nodes.{alias}"
        return None

    def _loaded(self, record: dict[str, Any]) -> bool:
        """True when the record's watermark is valid and not past ``since``: loaded before,
        even if another of its values is bad (a re-sync does not re-read its bad rows)."""
        if self.since is None or self.watermark is None:
            return False
        try:
            mark = self.watermark(record, {})
        except (ValueError, TypeError, ArithmeticError):  # Invalid included: read on
            return False
        return mark is not None and mark <= self.since

    def _dedupe(self, locator: str, record: Any, out: dict[str, Any]) -> dict | Bad | None:
        key = tuple(_plain(out[k]) for k in self.mapping.key)
        mark = _plain(out[self.mapping.watermark]) if self.mapping.watermark else None
        first = self._first(key, mark, _fingerprint(out[n] for n in self.mapping.columns))
        if first is None:
            return None
        return out if first else self._conflict(locator, record)

    def _first(self, key: tuple, watermark: Any, fingerprint: int) -> bool | None:
        """Newest wins. True: write the row (a new key, or newer than the version seen);
        None: skip it (an identical repeat, or older than the version seen); False: a
        conflict (another version with the same watermark)."""
        previous = self.seen.get(key)
        if previous is None:
            if len(self.seen) >= self.dedupe_limit:
                self.seen.clear()
            self.seen[key] = (watermark, fingerprint)
            return True
        self.duplicates += 1
        seen_mark, seen_print = previous
        if seen_print == fingerprint:
            return None
        if watermark is None or seen_mark is None or watermark == seen_mark:
            return False
        self.superseded += 1
        if watermark < seen_mark:
            return None
        self.seen[key] = (watermark, fingerprint)
        self.replaced.append(key)
        return True

    def _conflict(self, locator: str, record: Any) -> Bad:
        return Bad(locator, self.mapping.key[0], "duplicate key with conflicting values", record)

    def batch(self, records: Iterable[Record] | Columns) -> Batch:
        """Transform ``records``; the batch also counts the versions they superseded."""
        before = self.superseded, len(self.replaced)
        batch = self._counted(self._batch(records), before)
        if batch.replaced:
            batch.keep_newest(self.mapping.key)
        if self.erased:
            batch.erased = self.erased.scrub(self.mapping, batch.rows)
        return batch

    def _counted(self, batch: Batch, before: tuple[int, int]) -> Batch:
        batch.superseded = self.superseded - before[0]
        batch.replaced = self.replaced[before[1] :]
        return batch

    def _batch(self, records: Iterable[Record] | Columns) -> Batch:
        before = self.dropped.copy()
        if isinstance(records, Columns):
            batch, table, numbers = self.columnar(records)
            raws = records.data.take(numbers).to_pylist() if numbers else []
            for number, row, raw in zip(numbers, table.to_pylist(), raws, strict=True):
                batch.rows.append(row)
                batch.locators.append(records.locator(number))
                batch.raws.append(raw)
        else:
            batch = Batch()
            for locator, record in records:
                batch.add(locator, record, self.row(locator, record))
        batch.dropped = self.dropped - before
        return batch

    def _vectorised(self, columns: Columns) -> tuple[pa.RecordBatch, pa.Array] | None:
        """``(converted, ok)``: every column converted (and ``_file_mtime`` when that is the
        watermark), and which rows the checks vouch for; None when the row path is needed."""
        m, data = self.mapping, columns.data
        if not self.vectorisable or not set(data.schema.names) <= self.names:
            return None
        checks = {}
        for name, col in m.columns.items():
            check = _vector(col, _column(data, col.path or name))
            if check is None:
                return None
            checks[name] = check
        ok = functools.reduce(pc.and_, [ok for ok, _ in checks.values()])
        for group in m.require_one_of:
            ok = pc.and_(ok, pc.or_(*[pc.is_valid(checks[c][1]) for c in group]))
        for node in m.nodes.values():  # the row path says why a row is refused (_refuse)
            if node.switch:
                cases = pa.array([value for value, _ in node.variants])
                ok = pc.and_(ok, pc.is_in(checks[node.switch][1], value_set=cases))
            elif node.mode == "match" and not node.optional:  # plain columns: no field part
                keys = [
                    pc.is_valid(checks[next(iter(c.key.values()))][1]) for _, c in node.variants
                ]
                ok = pc.and_(ok, functools.reduce(pc.or_, keys))
        converted = [values for _, values in checks.values()]
        names = list(checks)
        if m.watermark == FILE_MTIME:
            mtime = pa.scalar(self.mtimes.get(columns.file), UTC_US)
            converted, names = [*converted, pa.repeat(mtime, data.num_rows)], [*names, FILE_MTIME]
        return pa.RecordBatch.from_arrays(converted, names=names), ok

    def columnar(self, columns: Columns) -> tuple[Batch, pa.RecordBatch, list[int]]:
        """A columnar batch: ``(batch, table, numbers)``. ``table`` holds the good rows the
        vectorised checks vouch for, still as Arrow, and ``numbers`` their record numbers in
        ``columns``; ``batch`` counts every record and holds the bad ones and the good rows
        that took the row path (see the module docstring)."""
        before = self.superseded, len(self.replaced)
        batch, table, numbers = self._columnar(columns)
        return self._counted(batch, before), table, numbers

    def _columnar(self, columns: Columns) -> tuple[Batch, pa.RecordBatch, list[int]]:
        data, m, batch = columns.data, self.mapping, Batch()
        checked = self._vectorised(columns)
        if checked is None:
            batch = Batch()
            for locator, record in columns.records():
                batch.add(locator, record, self.row(locator, record))
            return batch, pa.RecordBatch.from_pylist([]), []
        converted, ok = checked
        if self.since is not None and m.watermark is not None:  # counted, never materialised
            old = pc.less_equal(converted.column(m.watermark), pa.scalar(self.since, UTC_US))
            kept = pc.indices_nonzero(pc.invert(pc.fill_null(old, False)))
            batch.read = batch.skipped = data.num_rows - len(kept)
            data, converted, ok = data.take(kept), converted.take(kept), ok.take(kept)
            numbers = kept.to_pylist()
        else:
            numbers = list(range(data.num_rows))
        plain = [c.cast(pa.int64()) if pa.types.is_timestamp(c.type) else c
                 for c in converted.columns[: len(m.columns)]]  # fmt: skip
        key_at = [converted.schema.get_field_index(k) for k in m.key]
        mark_at = converted.schema.get_field_index(m.watermark) if m.watermark else -1
        vouched = []
        rows = zip(*(c.to_pylist() for c in plain), strict=True)
        for j, (fine, values) in enumerate(zip(ok.to_pylist(), rows, strict=True)):
            where = columns.locator(numbers[j])
            if not fine:
                record = data.slice(j, 1).to_pylist()[0]
                batch.add(where, record, self.row(where, record))
                continue
            mark = values[mark_at] if mark_at >= 0 else None
            first = self._first(tuple(values[k] for k in key_at), mark, hash(values))
            if first:
                vouched.append(j)
                batch.read += 1
            elif first is None:
                batch.read, batch.skipped = batch.read + 1, batch.skipped + 1
            else:
                batch.add(where, None, self._conflict(where, data.slice(j, 1).to_pylist()[0]))
        return batch, converted.take(pa.array(vouched, pa.int64())), [numbers[j] for j in vouched]


def field_value(row: dict[str, Any], ref: str) -> Any:
    """A row field: ``column`` or ``column.field`` of an identifier column.

    >>> field_value({"email": {"hash": "ab"}}, "email.hash"), field_value({"id": 1}, "id")
    ('ab', 1)
    """
    column, _, part = ref.partition(".")
    value = row.get(column)
    return value.get(part) if part and isinstance(value, dict) else value


def _fingerprint(values: Iterable[Any]) -> int:
    """What "the same record" means for duplicate keys: equal normalised values. Datetimes
    count as epoch microseconds, as the vectorised path has them (it hashes its row tuples
    directly), so both paths agree."""
    return hash(tuple(_plain(v) for v in values))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value - EPOCH) // MICROSECOND
    return tuple(value.items()) if isinstance(value, dict) else value
