"""Check mappings against a sample of their files, writing nothing (no database needed).

For each feed: per column how many sampled values parse, are empty, or break a rule (with a
few examples), and the first rows that would be quarantined, with their reasons. Values go
through the loaders' own :class:`~graphkit.ingest.transform.Transformer`, so the check says
exactly what ``graphkit load`` would do, except for references to nodes of other feeds
(``mode: match``), which only the database can tell.

Raw personal data is never shown: values of identifier columns (email, phone, address, ip,
card, iban), templated and free-text columns are shown masked (:func:`mask`); only typed
values (numbers, datetimes, booleans, countries) and constrained text (enum, map, pattern)
are shown as read, cut to 40 characters.

>>> mask("jane.doe+1@example.com")
'<aaaa.aaa+9@aaaaaaa.aaa: 22 chars>'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from graphkit.identity import Hasher
from graphkit.ingest.mapping import IDENTITY_FIELDS, Column, ColumnType, Mapping
from graphkit.ingest.sources import Problem, SourceError, open_source
from graphkit.ingest.transform import Bad, Invalid, Transformer, lookup

HASHER = Hasher("graphkit-mapping-check")  # hashes are computed to validate, never shown
EXAMPLES = 3
SHOWN = (ColumnType.int, ColumnType.float, ColumnType.bool, ColumnType.datetime,
         ColumnType.country)  # fmt: skip


def mask(value: Any) -> str:
    """A value's shape without its content: letters as ``a``, digits as ``9``, its length.

    >>> mask("+44 7700 900123"), mask("x" * 50)[:20]
    ('<+99 9999 999999: 15 chars>', '<aaaaaaaaaaaaaaaaaaa')
    """
    text = str(value)
    shape = "".join("9" if c.isdigit() else "a" if c.isalpha() else c for c in text)
    if len(shape) > 32:
        shape = f"{shape[:24]}...{shape[-4:]}"
    return f"<{shape}: {len(text)} chars>"


def shows_raw(column: Column) -> bool:
    """Whether a column's raw values may be printed (see the module docstring)."""
    if column.type in IDENTITY_FIELDS or column.template is not None:
        return False
    return column.type in SHOWN or bool(column.enum or column.map or column.pattern)


def shown(column: Column, value: Any) -> str:
    if value is None:
        return "(empty)"
    return repr(value)[:40] if shows_raw(column) else mask(value)


@dataclass
class ColumnReport:
    name: str
    path: str
    type: str
    parsed: int = 0
    empty: int = 0
    bad: int = 0
    dropped: bool = False  # on_invalid: drop_value
    reasons: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # "value: reason", masked if PII


@dataclass
class Quarantined:
    locator: str
    field: str | None
    reason: str
    value: str  # masked unless safe to show


@dataclass
class FeedReport:
    feed: str
    files: str
    sampled: int = 0
    would_load: int = 0
    skipped: str = ""  # why the feed was not checked (no files)
    columns: list[ColumnReport] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)  # the first few
    n_quarantined: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    @property
    def bad_ratio(self) -> float:
        return self.n_quarantined / self.sampled if self.sampled else 0.0


def check_feed(mapping: Mapping, feeds_dir: Path, sample: int = 1000, first: int = 5) -> FeedReport:
    """Run the first ``sample`` records of ``mapping``'s files through its rules."""
    report = FeedReport(mapping.feed, mapping.source.files or "")
    try:
        source = open_source(mapping, origin="files", feeds_dir=feeds_dir)
    except SourceError as exc:
        report.skipped = exc.message
        return report
    transformer = Transformer(mapping, HASHER, mtimes=source.mtimes)
    columns = {name: ColumnReport(name, _where(name, col), col.type.value,
                                  dropped=col.on_invalid == "drop_value")
               for name, col in mapping.columns.items()}  # fmt: skip
    for locator, record in islice(source.records(), sample):
        report.sampled += 1
        if not isinstance(record, Problem):
            _columns(transformer, mapping, record, columns)
        result = transformer.row(locator, record)
        if isinstance(result, Bad):
            report.n_quarantined += 1
            if len(report.quarantined) < first:
                report.quarantined.append(_quarantined(mapping, result))
        elif result is not None:
            report.would_load += 1
    report.columns = list(columns.values())
    report.dropped = transformer.dropped
    return report


def _where(name: str, column: Column) -> str:
    return f"template {column.template}" if column.template is not None else column.path or name


def _columns(t: Transformer, m: Mapping, record: dict, reports: dict[str, ColumnReport]) -> None:
    """Convert every column of one record, each on its own (a bad column does not hide the
    next), counting parsed, empty and bad values."""
    out: dict[str, Any] = {}
    for name, convert in t.converters:
        column, report = m.columns[name], reports[name]
        raw = lookup(record, column.path or name)
        try:
            out[name] = convert(record, out)
        except (Invalid, ValueError, TypeError, ArithmeticError) as exc:
            out[name] = None
            reason = str(exc) if isinstance(exc, Invalid) else f"unreadable ({type(exc).__name__})"
            report.bad += 1
            report.reasons[reason] += 1
            if len(report.examples) < EXAMPLES:
                value = "(templated)" if column.template is not None else shown(column, raw)
                report.examples.append(f"{value}: {reason}")
            continue
        if out[name] is None:
            report.empty += 1
        else:
            report.parsed += 1


def _quarantined(mapping: Mapping, bad: Bad) -> Quarantined:
    column = mapping.columns.get(bad.field or "")
    raw = bad.raw
    if column is None or not isinstance(raw, dict):
        value = mask(raw) if isinstance(raw, str) else ""
    elif column.template is not None:
        value = "(templated)"
    else:
        value = shown(column, lookup(raw, column.path or bad.field or ""))
    return Quarantined(bad.locator, bad.field, bad.reason, value)


def check(mappings: dict[str, Mapping], feeds_dir: Path, sample: int = 1000) -> list[FeedReport]:
    """:func:`check_feed` for every mapping, in name order."""
    return [check_feed(mappings[feed], feeds_dir, sample) for feed in sorted(mappings)]
