"""Backfill an empty database with ``neo4j-admin database import full`` (``load --bulk``).

The same sources, transform (validation, normalisation, hashing, quarantine) and mapping
semantics as the Bolt path, applied in Python: nodes are merged in dicts keyed by label and
key (last write wins, as ``SET`` does), aggregated relationships in dicts keyed by their end
pair (min/max/sum/distinct events, as the writer's Cypher does), and relationships keyed by an
event id (``REVIEWED``) are streamed straight to CSV. With ``jobs`` > 1 the feeds are
transformed ahead in worker processes. Memory is bounded by the number of
nodes and distinct aggregated pairs, not by rows. Then: stop the managed server, import,
start it, apply the schema and record a SyncRun and Watermark per feed.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import multiprocessing
import os
import pickle
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString, TextIO, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from graphkit import erasure, schema
from graphkit.config import Settings, load_settings
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.graphmodel import DELETED_AT, PARTITION, VALID_FROM, VALID_TO
from graphkit.identity import Hasher
from graphkit.ingest import checkpoint, lease, pending
from graphkit.ingest.checkpoint import Run
from graphkit.ingest.mapping import IMPORT_TYPES, Mapping, load_mappings, load_order
from graphkit.ingest.quarantine import Quarantine, remember, remembered
from graphkit.ingest.sources import Columns, Source, chunks, open_source
from graphkit.ingest.sync import FeedResult, Options, Progress, select_feeds
from graphkit.ingest.transform import Bad, Batch, Transformer, field_value
from graphkit.ingest.writer import compile_statement, entity, q, version
from graphkit.server import ManagedServer

log = logging.getLogger("graphkit.ingest")
End = tuple[str, Any]  # (label, key value)


class BulkError(GraphkitError):
    """The bulk import cannot run here (database not empty, no managed server)."""


def _when(m: Mapping, row: dict[str, Any], tag: int) -> datetime:
    """When a row's change holds, as the writer's: its watermark, else the run's start."""
    newest = version(m)
    return row[newest] if newest else datetime.fromtimestamp(tag / 1000, UTC)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


class Graph:
    """Nodes and relationships accumulated for the import, with the writer's semantics."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.nodes: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self.keys: dict[str, str] = {}
        self.types: dict[tuple[str, str], str] = {}  # (label or rel type, prop) -> import type
        self.pairs: dict[tuple[str, End, End], dict[str, Any]] = {}
        #: a snapshot node's current pairs per (relationship type, node): older ones retire
        self.snapshots: dict[tuple[str, End], set[tuple[str, End, End]]] = {}
        self.streams: dict[tuple[str, str, str], tuple[TextIO, Any, list[str]]] = {}

    def apply(
        self, m: Mapping, row: dict[str, Any], tag: int, part: str | None = None
    ) -> list[str]:
        """Add one row (from source partition ``part``); return the aliases of referenced
        nodes that do not exist."""
        if m.deleted is not None and row[m.deleted.column] in m.deleted.values:
            self._tombstone(m, row, tag, part)
            return []
        ends: dict[str, End | None] = {}
        missing = []
        cases = {alias: node.cases_for(row) for alias, node in m.nodes.items()}  # never empty:
        for alias, node in m.nodes.items():  # the transform refused rows with no case
            ends[alias], keyed = None, False
            for case in cases[alias]:  # match: the first case whose node exists
                (prop, ref), *_ = case.key.items()
                key = field_value(row, ref)
                self.keys[case.label] = prop
                keyed = keyed or key is not None
                if node.mode == "match" and key is not None and key in self.nodes[case.label]:
                    ends[alias] = (case.label, key)
                    break
            if node.mode == "match" and keyed and ends[alias] is None:
                missing.append(alias)
        if missing:
            return missing
        for alias, node in m.nodes.items():
            (case,) = cases[alias] if node.mode == "merge" else [None]  # type: ignore[list-item]
            key = field_value(row, next(iter(case.key.values()))) if case else None
            if case and key is not None:
                label = case.label
                props = self.nodes[label].setdefault(key, {})
                refs = dict(case.properties)
                if entity(m) == ("node", alias):
                    refs["watermark"] = m.watermark  # type: ignore[assignment]
                    if m.mode == "snapshot":  # written again: no longer deleted
                        props.pop(DELETED_AT, None)
                        self._partition(label, props, part)
                for p, ref in refs.items():
                    props[p] = field_value(row, ref)
                    self.types[(label, p)] = m.ref_type(ref)
                props.update(lastupdated=tag, source=m.feed)
                ends[alias] = (label, key)
        current: dict[tuple[str, End], set] = defaultdict(set)
        given: set[tuple[str, End]] = set()  # groups whose row names another end
        for i, rel in enumerate(m.relationships):
            a, b = ends[rel.from_], ends[rel.to]
            anchor = ends[rel.snapshot_of] if rel.snapshot_of else None
            pairs = current.setdefault((rel.type, anchor), set()) if anchor else set()
            if anchor and (b if rel.snapshot_of == rel.from_ else a) is not None:
                given.add((rel.type, anchor))
            if a is not None and b is not None:
                self._relationship(m, i, rel, a, b, row, tag, part)
                pairs.add((rel.type, a, b))
        keep = {r.type for r in m.relationships if r.on_null == "keep"}
        for group, pairs in current.items():  # as the writer's retire
            if group[0] in keep and group not in given:
                continue  # on_null: keep, and the row names no other end: the links stay
            self._retire(m, group, pairs, _when(m, row, tag))
        return []

    def _retire(self, m: Mapping, group: tuple[str, End], pairs: set, when: Any) -> None:
        """Older rows' pairs of a snapshot group are retired (``valid_to``), not dropped."""
        for old in self.snapshots.get(group, set()) - pairs:
            self.pairs[old].setdefault(VALID_TO, when)
            self.types[(old[0], VALID_TO)] = "datetime"
        self.snapshots[group] = pairs

    def _tombstone(self, m: Mapping, row: dict, tag: int, part: str | None) -> None:
        """As the writer's tombstone statement: mark the entity, retire its links."""
        _, alias = entity(m)  # type: ignore[misc]
        node = m.nodes[str(alias)]
        ((_, ref),) = node.key.items()  # type: ignore[union-attr]
        props = self.nodes[node.label].get(field_value(row, ref))  # type: ignore[index]
        if props is None:  # an entity the graph does not hold: nothing to delete
            return
        when = _when(m, row, tag)
        props.update({DELETED_AT: when, "watermark": when, "lastupdated": tag, "source": m.feed})
        self.types[(node.label, DELETED_AT)] = "datetime"  # type: ignore[index]
        self._partition(node.label, props, part)  # type: ignore[arg-type]
        end = (node.label, field_value(row, ref))
        for rel_type in {r.type for r in m.relationships if r.snapshot_of == alias}:
            self._retire(m, (rel_type, end), set(), when)  # type: ignore[arg-type]

    def _partition(self, name: str, props: dict[str, Any], part: str | None) -> None:
        if part is not None:  # a replayed row has none: the old one stays
            props[PARTITION] = part
            self.types[(name, PARTITION)] = "string"

    def _relationship(
        self, m: Mapping, i: int, rel: Any, a: End, b: End, row: dict, tag: int, part: str | None
    ) -> None:
        if rel.key:
            (kp, kref), *_ = rel.key.items()
            values = {kp: field_value(row, kref)} | {
                p: field_value(row, spec.value) for p, spec in rel.props.items()
            }
            if entity(m) == ("rel", i):
                values["watermark"] = row[m.watermark]
            self._stream(rel.type, a, b, {**values, "lastupdated": tag, "source": m.feed}, m, rel)
            return
        props = self.pairs.setdefault((rel.type, a, b), {})
        fresh = True
        if rel.events:
            ids = props.setdefault(rel.events.list, [])
            event = field_value(row, rel.events.id)
            fresh = event not in ids
        for p, spec in rel.props.items():
            value, old = field_value(row, spec.value), props.get(p)
            self.types[(rel.type, p)] = "float" if spec.agg == "sum" else m.ref_type(spec.value)
            if spec.agg == "set":
                props[p] = value
            elif spec.agg == "sum":
                props[p] = (old or 0) + ((value or 0) if fresh else 0)
            elif value is not None and (old is None or (value < old) == (spec.agg == "min")):
                props[p] = value
        if rel.events:
            if fresh:
                ids.append(event)
            props[rel.events.count] = len(ids)
            self.types[(rel.type, rel.events.list)] = "string[]"
            self.types[(rel.type, rel.events.count)] = "int"
        if rel.snapshot_of and version(m):
            props["watermark"] = row[m.watermark]  # type: ignore[index]
            self.types[(rel.type, "watermark")] = m.ref_type(m.watermark)
        if m.mode == "snapshot":  # history: first written, or current again
            props.setdefault(VALID_FROM, _when(m, row, tag))
            props.pop(VALID_TO, None)
            self.types[(rel.type, VALID_FROM)] = "datetime"
            self._partition(rel.type, props, part)
        props.update(lastupdated=tag, source=m.feed)

    def _stream(self, rel_type: str, a: End, b: End, values: dict, m: Mapping, rel: Any) -> None:
        _, writer, columns = self._open(m, rel, a[0], b[0])
        writer.writerow([a[1], b[1], *(_cell(values.get(c)) for c in columns)])

    def _open(self, m: Mapping, rel: Any, start: str, end: str) -> tuple[TextIO, Any, list[str]]:
        """The CSV stream of a keyed relationship between two labels (its header written)."""
        group = (rel.type, start, end)
        if group not in self.streams:
            (kp, kref), *_ = rel.key.items()
            types = {kp: m.ref_type(kref)} | {p: m.ref_type(s.value) for p, s in rel.props.items()}
            if entity(m) == ("rel", m.relationships.index(rel)):
                types["watermark"] = m.ref_type(m.watermark)
            types |= {"lastupdated": "int", "source": "string"}
            f = (self.dir / f"rel-{'-'.join(group)}.csv").open("w", newline="")
            header = [f":START_ID({start})", f":END_ID({end})"]
            header += [f"{p}:{_import_type(t)}" for p, t in types.items()]
            self._header(f"rel-{'-'.join(group)}", header)
            self.streams[group] = (f, csv.writer(f), list(types))
        return self.streams[group]

    def apply_columns(self, m: Mapping, table: pa.RecordBatch, tag: int) -> list[tuple[int, list]]:
        """Add vouched rows still in Arrow form, for a feed that only streams keyed
        relationships between existing nodes (:func:`streams_only`). Returns ``(row index,
        missing aliases)`` for rows that reference unknown nodes; they write nothing."""
        refs, known = {}, []
        for alias, node in m.nodes.items():
            ((prop, ref),) = node.key.items()  # type: ignore[union-attr]
            self.keys[node.label] = prop  # type: ignore[index]
            refs[alias] = (node.label, ref)
            nodes = self.nodes[node.label]  # type: ignore[index]
            known.append((alias, pa.array([k in nodes for k in table.column(ref).to_pylist()])))
        found = functools.reduce(pc.and_, [mask for _, mask in known])
        missing = [
            (i, [alias for alias, mask in known if not mask[i].as_py()])
            for i in pc.indices_nonzero(pc.invert(found)).to_pylist()
        ]
        good = table.filter(found)
        for rel in m.relationships:
            (start, start_ref), (end, end_ref) = refs[rel.from_], refs[rel.to]
            f, _, columns = self._open(m, rel, start, end)
            values = {p: good.column(ref) for p, ref in rel.key.items()}
            values |= {p: good.column(spec.value) for p, spec in rel.props.items()}
            if entity(m) == ("rel", m.relationships.index(rel)):
                values["watermark"] = good.column(m.watermark)
            values |= {
                "lastupdated": pa.repeat(pa.scalar(tag), good.num_rows),
                "source": pa.repeat(pa.scalar(m.feed), good.num_rows),
            }
            cells = [good.column(start_ref), good.column(end_ref)]
            cells += [_text_cells(values[c]) for c in columns]
            out = io.BytesIO()
            pacsv.write_csv(pa.table(cells, names=[str(i) for i in range(len(cells))]), out,
                            pacsv.WriteOptions(include_header=False))  # fmt: skip
            f.write(out.getvalue().decode())
        return missing

    def add_nodes(self, label: str, key: str, nodes: list[dict], types: dict[str, str]) -> None:
        """Import ``nodes`` (property dicts, ``key`` unique) as they are, e.g. records to keep."""
        self.keys[label] = key
        for props in nodes:
            self.nodes[label][props[key]] = {p: v for p, v in props.items() if p != key}
        self.types |= {(label, p): kind for p, kind in types.items()}

    def _header(self, name: str, header: list[str]) -> None:
        with (self.dir / f"{name}.header.csv").open("w", newline="") as f:
            csv.writer(f).writerow(header)

    def write(self) -> list[str]:
        """Write the remaining CSVs; return the neo4j-admin ``--nodes``/``--relationships``."""
        args = []
        for label, nodes in self.nodes.items():
            if not nodes:
                continue
            props = sorted({p for values in nodes.values() for p in values})
            header = [f"{self.keys[label]}:ID({label})"] + [
                f"{p}:{_import_type(self._type(label, p))}" for p in props
            ]
            self._header(f"node-{label}", header)
            columns = [list(nodes)] + [[values.get(p) for values in nodes.values()] for p in props]
            _write_csv(self.dir / f"node-{label}.csv", columns)
            args.append(f"--nodes={label}={self._files(f'node-{label}')}")
        groups: dict[tuple[str, str, str], list] = defaultdict(list)
        for (rel_type, a, b), props in self.pairs.items():
            groups[(rel_type, a[0], b[0])].append((a[1], b[1], props))
        for (rel_type, la, lb), rows in groups.items():
            name = f"rel-{rel_type}-{la}-{lb}"
            props = sorted({p for *_, values in rows for p in values})
            header = [f":START_ID({la})", f":END_ID({lb})"]
            header += [f"{p}:{_import_type(self._type(rel_type, p))}" for p in props]
            self._header(name, header)
            columns = [[a for a, _, _ in rows], [b for _, b, _ in rows]]
            columns += [[values.get(p) for *_, values in rows] for p in props]
            _write_csv(self.dir / f"{name}.csv", columns)
            args.append(f"--relationships={rel_type}={self._files(name)}")
        for (rel_type, la, lb), (f, _, _) in self.streams.items():
            f.close()
            name = f"rel-{rel_type}-{la}-{lb}"
            args.append(f"--relationships={rel_type}={self._files(name)}")
        return args

    def _type(self, owner: str, prop: str) -> str:
        return {"lastupdated": "int", "source": "string"}.get(prop) or self.types[(owner, prop)]

    def _files(self, name: str) -> str:
        return f"{self.dir / name}.header.csv,{self.dir / name}.csv"


Vouched = tuple[pa.RecordBatch, list[int], Any]  # Arrow rows, their record numbers, the chunk
Known = list[dict[str, Any]]  # the bad rows' digests (:func:`remembered`), no raw value
Transformed = Iterator[tuple[Batch, Vouched, Known]]


def _transformed(
    options: Options, hasher: Hasher, m: Mapping, run_id: str, erased: erasure.Erased
) -> Transformed:
    """Every chunk of the feed, transformed. Python rows go in the batch; a streaming feed's
    columnar chunk keeps most rows as Arrow (see :func:`streams_only`). Bad rows go to the
    run's quarantine file here, as they are found: the batch keeps their locator, field and
    reason only (their raw records may hold PII), and their digests come alongside.
    Identifier values of ``erased`` accounts are left out (the batch counts them)."""
    source = _source(options, m)
    transformer = Transformer(m, hasher, mtimes=source.mtimes, erased=erased)
    fast = streams_only(m) and not erased.links(m)
    quarantine = Quarantine(options.quarantine_dir, m.feed, run_id)
    for chunk in chunks(source, 0, options.batch_size):
        if fast and isinstance(chunk, Columns):
            batch, table, numbers = transformer.columnar(chunk)
            if batch.replaced:  # as the Bolt path: of two versions in one batch, the newer
                table, numbers = _newest(m, batch, table, numbers)
            arrow: Vouched = (table, numbers, chunk)
        else:
            batch, arrow = transformer.batch(chunk), (pa.RecordBatch.from_pylist([]), [], chunk)
        batch.partitions = [source.partition(where) for where in batch.locators]
        quarantine.write(batch.bad)
        known = [remembered(hasher, b) for b in batch.bad]
        batch.bad = [Bad(b.locator, b.field, b.reason, None) for b in batch.bad]
        yield batch, arrow, known


def _newest(
    m: Mapping, batch: Batch, table: pa.RecordBatch, numbers: list[int]
) -> tuple[pa.RecordBatch, list[int]]:
    """Keep the last row of each key in ``table`` (a newer version follows an older one)."""
    keys = zip(*(table.column(k).to_pylist() for k in m.key), strict=True)
    last = {k: i for i, k in enumerate(keys)}
    kept = sorted(last.values())
    batch.skipped += table.num_rows - len(kept)
    return table.take(pa.array(kept, pa.int64())), [numbers[i] for i in kept]


def _source(options: Options, m: Mapping) -> Source:
    return open_source(m, origin=options.origin, feeds_dir=options.feeds_dir,
                       dsn=options.dsn, batch_size=options.batch_size)  # fmt: skip


def _spool(
    options: Options, hasher: Hasher, feed: str, path: Path, run_id: str, erased: erasure.Erased
) -> Path:
    """In a worker process: transform the whole feed into ``path`` (0600), one pickle per
    chunk. Only transformed rows (identifiers hashed) travel: the raw records are dropped,
    bad rows' too (the worker writes them to the quarantine, the one place raw rows go)."""
    m = load_mappings(options.mappings_dir)[feed]
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        transformed = _transformed(options, hasher, m, run_id, erased)
        for batch, (table, numbers, chunk), known in transformed:
            batch.raws = []
            if isinstance(chunk, Columns):  # its locators only, not its raw values
                chunk = Columns(chunk.file, chunk.first, chunk.data.slice(0, 0))
            else:
                chunk = None
            spooled = (batch, (table, numbers, chunk), known)
            pickle.dump(spooled, out, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _unspool(path: Path) -> Transformed:
    with path.open("rb") as spool:
        while spool.peek(1):
            yield pickle.load(spool)
    path.unlink()


@contextmanager
def _transforms(
    options: Options,
    hasher: Hasher,
    mappings: dict[str, Mapping],
    order: list[str],
    work: Path,
    tag: int,
    erased: erasure.Erased,
) -> Iterator[Callable[[str], Transformed]]:
    """``transformed(feed)``: the feed's transformed chunks, its bad rows quarantined under
    run ``<feed>-<tag>`` (:func:`_transformed`). With ``options.jobs`` > 1 every
    feed is transformed ahead in worker processes (spooled to ``work``), in load order, while
    this process adds the finished ones to the graph: the transform is most of the CPU.
    Workers are spawned, not forked: this process holds driver threads and sockets."""
    if options.jobs <= 1:
        yield lambda feed: _transformed(options, hasher, mappings[feed], f"{feed}-{tag}", erased)
        return
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(options.jobs, mp_context=spawn) as pool:
        spools = {
            feed: pool.submit(
                _spool, options, hasher, feed, work / f"{feed}.spool", f"{feed}-{tag}", erased
            )
            for feed in order
        }
        try:
            yield lambda feed: _unspool(spools[feed].result())
        finally:
            for future in spools.values():
                future.cancel()


Waiting = tuple[str, list[str], dict[str, Any]]  # locator, missing aliases, transformed row


def _apply(graph: Graph, m: Mapping, batch: Batch, arrow: Vouched, tag: int) -> list[Waiting]:
    """Add the batch to the graph; return the rows waiting for unknown references."""
    waiting = []
    for row, where, part in zip(batch.rows, batch.locators, batch.partitions or [], strict=True):
        if missing := graph.apply(m, row, tag, part):
            waiting.append((where, missing, row))
    table, numbers, chunk = arrow
    if table.num_rows:
        for i, missing in graph.apply_columns(m, table, tag):
            row = table.slice(i, 1).to_pylist()[0]
            waiting.append((chunk.locator(numbers[i]), missing, row))
    return waiting


def _park(db: Database, m: Mapping, waiting: list[Waiting]) -> None:
    """Keep the rows waiting for a reference as the Bolt path does (:mod:`pending`)."""
    prepared = compile_statement(m).rows([row for _, _, row in waiting])
    ids = [pending.key(m, row) for _, _, row in waiting]
    with db.session() as session:
        session.execute_write(pending.park, m, ids, prepared, [w[1] for w in waiting],
                              [w[0] for w in waiting])  # fmt: skip


def _watermarks(m: Mapping, batch: Batch, arrow: Vouched) -> list:
    if m.watermark is None:
        return []
    marks = [row[m.watermark] for row in batch.rows]
    if arrow[0].num_rows:
        marks.append(pc.max(arrow[0].column(m.watermark)).as_py())
    return marks


def _write_csv(path: Path, columns: list[list[Any]]) -> None:
    """Columns of Python values as a header-less import CSV, written by Arrow (4x csv.writer)."""
    cells = [_text_cells(pa.array(values)) for values in columns]
    table = pa.table(cells, names=[str(i) for i in range(len(cells))])
    pacsv.write_csv(table, path, pacsv.WriteOptions(include_header=False))


def _text_cells(values: pa.Array) -> pa.Array:
    """Arrow values as the CSV cells :func:`_cell` writes (datetimes in UTC, ISO 8601; lists
    joined with ``;``, the import's array delimiter)."""
    if pa.types.is_list(values.type):
        return pc.binary_join(values.cast(pa.list_(pa.string())), ";")
    if pa.types.is_timestamp(values.type):  # UTC: the naive cast is 4x faster than strftime
        text = values.cast(pa.timestamp(values.type.unit)).cast(pa.string())
        return pc.binary_join_element_wise(pc.replace_substring(text, " ", "T"), "Z", "")
    return values


@contextmanager
def _leases(settings: Settings, feeds: list[str], wait: float) -> Iterator[Callable[..., None]]:
    """Hold every feed's lease (:mod:`lease`) while the import is prepared, so no sync writes
    meanwhile; yield ``refuse_unless_empty(message, hint)``: the database may hold leases and
    erasure records (:mod:`graphkit.erasure`), nothing else. The import replaces the
    database, leases included (the caller writes the erasure records back); on a failure
    the leases are released."""
    holder, taken = lease.holder_id(), []

    def refuse_unless_empty(message: str, hint: str) -> None:
        with Database(settings) as db:
            data = "MATCH (n) WHERE NOT (n:Lease OR n:Erasure) RETURN count(n) > 0 AS used"
            if db.read(data)[0]["used"]:
                raise BulkError(message, hint=hint)

    try:
        with Database(settings) as db:
            for feed in feeds:
                lease.acquire(db, feed, holder, wait)
                taken.append(feed)
        yield refuse_unless_empty
    except BaseException:
        with Database(settings) as db:
            for feed in taken:
                lease.release(db, feed, holder)
        raise


def _drop_replaced(db: Database, m: Mapping, keys: list[tuple]) -> None:
    """Streamed event relationships are written as read: where a newer version of an event
    came later, delete all but the newest (as the writer moves them)."""
    match entity(m):
        case ("rel", index):
            rel = m.relationships[int(index)]
            ((prop, _),) = rel.key.items()  # type: ignore[union-attr]
            # Type and property come from the validated mapping (plain identifiers).
            cypher = (
                f"UNWIND $keys AS k MATCH ()-[r:{q(rel.type)} {{{q(prop)}: k}}]->() "
                "WITH k, r ORDER BY r.watermark DESC WITH k, collect(r) AS rs "
                "UNWIND rs[1..] AS old DELETE old"
            )
            db.write(cast(LiteralString, cypher), {"keys": [k for (k,) in keys]})


def streams_only(m: Mapping) -> bool:
    """True when every row of ``m`` only streams keyed relationships between existing nodes
    (like ``reviews``): such rows can be written from Arrow columns, without Python rows."""
    return all(
        n.mode == "match" and not n.switch and m.columns[next(iter(n.key.values()))].required
        for n in m.nodes.values()
    ) and all(r.key and not r.events and all(p.agg == "set" for p in r.props.values())
              for r in m.relationships)  # fmt: skip


def _import_type(kind: str) -> str:
    return kind if kind.endswith("[]") else IMPORT_TYPES.get(kind, "string")


def bulk_load(
    options: Options,
    hasher: Hasher,
    *,
    feeds: list[str] | None = None,
    echo: Callable[[str], Any] = print,
    progress: Progress | None = None,
    keep_files: Path | None = None,
) -> list[FeedResult]:
    """Import the feeds into the managed server's empty database; return per-feed results.

    ``progress(feed, rows, total)`` follows each feed's rows into the import files.
    ``keep_files``: write the import CSVs there and keep them, with the ``neo4j-admin``
    file arguments in ``import.args`` (one per line), to repeat or inspect the import.
    """
    settings = load_settings()
    if not settings.managed:
        raise BulkError(
            "--bulk needs graphkit's managed Neo4j (neo4j-admin runs next to its data)",
            hint="unset NEO4J_URI, or load over Bolt without --bulk",
        )
    server = ManagedServer(ManagedServer(settings).as_started())  # restarted as it runs now
    mappings = load_mappings(options.mappings_dir)
    tag = time.time_ns() // 1_000_000
    work = keep_files or Path(settings.home).expanduser() / "import" / str(tag)
    work.mkdir(mode=0o700, parents=True, exist_ok=keep_files is not None)
    try:
        with _leases(settings, list(mappings), options.wait) as refuse_unless_empty:
            refuse_unless_empty(
                "--bulk only fills an empty database",
                "use `graphkit load` (Bolt) or `graphkit neo4j reset` first",
            )
            graph = Graph(work)
            with Database(settings) as db:  # imported again with the data, in one step
                kept = erasure.records(db)
            graph.add_nodes("Erasure", "erasure_id", kept, erasure.RECORD)
            erased = erasure.Erased.of(kept)
            results, runs = [], []
            replaced: dict[str, list[tuple]] = defaultdict(list)  # feed -> keys with older versions
            known: dict[str, list[dict]] = defaultdict(list)  # feed -> its bad rows' digests
            parked: dict[str, list[Waiting]] = defaultdict(list)  # feed -> rows waiting for a ref
            feeds, missing = select_feeds(mappings, options, feeds)
            order = [f for level in load_order(mappings, feeds) for f in level]
            with _transforms(options, hasher, mappings, order, work, tag, erased) as transformed:
                for feed in order:
                    m, started = mappings[feed], time.monotonic()
                    run = Run(f"{feed}-{tag}", feed, tag, "bulk", "")
                    quarantine = Quarantine(options.quarantine_dir, feed, run.run_id)
                    total = _source(options, m).total if progress else None
                    dropped: Counter[str] = Counter()
                    emptied = 0
                    for batch, arrow, digests in transformed(feed):
                        waiting = _apply(graph, m, batch, arrow, tag)
                        parked[feed] += waiting
                        if marks := [w for w in _watermarks(m, batch, arrow) if w is not None]:
                            run.max_watermark = max(filter(None, [run.max_watermark, *marks]))
                        quarantine.count(batch.bad)  # written as transformed
                        dropped.update(batch.dropped)
                        emptied += batch.erased
                        known[feed] += digests
                        run.rows_read += batch.read
                        run.rows_skipped += batch.skipped
                        run.rows_superseded += batch.superseded
                        replaced[feed] += batch.replaced
                        run.rows_written += len(batch.rows) + len(arrow[1]) - len(waiting)
                        run.rows_quarantined += len(batch.bad)
                        if progress:
                            progress(feed, batch.read, total)
                    result = FeedResult(
                        feed, run.run_id, "ok", run.rows_read, run.rows_written,
                        run.rows_quarantined, run.rows_skipped, run.rows_superseded,
                        seconds=time.monotonic() - started,
                        reasons=dict(quarantine.reasons),
                        quarantine_file=quarantine.path if quarantine.reasons else None,
                        dropped=dict(dropped), erased=emptied,
                    )  # fmt: skip
                    if result.bad_ratio > options.max_bad_ratio:
                        result.status = "over_budget"
                    results.append(result)
                    runs.append(run)
            args = graph.write()
            (work / "import.args").write_text("".join(f"{a}\n" for a in args))
            refuse_unless_empty(
                "something wrote to the database while the import files were prepared: "
                "importing would overwrite it",
                "load over Bolt (`graphkit load`), or reset the database and run --bulk again",
            )
            echo(f"Importing {len(args)} files with neo4j-admin into {settings.database} ...")
            server.stop(echo=echo)
            try:
                # The database name goes first: --nodes/--relationships take a variable file list.
                report = f"--report-file={server.logs_dir / 'import.report'}"
                server.admin("database", "import", "full", settings.database,
                             "--overwrite-destination=true", "--multiline-fields=true",
                             report, *args)  # fmt: skip
            finally:
                server.start(echo=echo)
        with Database(settings) as db:
            schema.apply(db)
            checkpoint.check_key(db, hasher)
            for feed, keys in replaced.items():
                _drop_replaced(db, mappings[feed], keys)
            with db.session() as session:
                for run in runs:
                    session.execute_write(remember, run.feed, run.run_id, known[run.feed])
            for feed, waiting in parked.items():
                if waiting:
                    _park(db, mappings[feed], waiting)
            for result in results:
                result.pending, result.pending_since = pending.waiting(db, result.feed)
            for run, result in zip(runs, results, strict=True):
                db.write(
                    "CREATE (:SyncRun {run_id: $id, feed: $feed, update_tag: $tag, "
                    "mode: 'bulk', started_at: $now, status: 'running', rows_read: $read, "
                    "rows_written: $written, rows_quarantined: $bad, rows_skipped: $skipped})",
                    {"id": run.run_id, "feed": run.feed, "tag": tag, "now": datetime.now(UTC),
                     "read": run.rows_read, "written": run.rows_written,
                     "bad": run.rows_quarantined, "skipped": run.rows_skipped},
                )  # fmt: skip
                checkpoint.finish(db, run, result.status)
    finally:  # the spools and import files hold hashes only; never left behind either
        if keep_files is None:
            shutil.rmtree(work, ignore_errors=True)
    return [FeedResult(feed, "", "skipped") for feed in missing] + results
