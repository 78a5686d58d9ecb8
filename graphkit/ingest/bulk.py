"""Backfill an empty database with ``neo4j-admin database import full`` (``load --bulk``).

The same sources, transform (validation, normalisation, hashing, quarantine) and mapping
semantics as the Bolt path, applied in Python: nodes are merged in dicts keyed by label and
key (last write wins, as ``SET`` does), aggregated relationships in dicts keyed by their end
pair (min/max/sum/distinct events, as the writer's Cypher does), and relationships keyed by an
event id (``REVIEWED``) are streamed straight to CSV. Memory is bounded by the number of
nodes and distinct aggregated pairs, not by rows. Then: stop the managed server, import,
start it, apply the schema and record a SyncRun and Watermark per feed.
"""

from __future__ import annotations

import csv
import logging
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from graphkit import schema
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.identity import Hasher
from graphkit.ingest import checkpoint
from graphkit.ingest.checkpoint import Run
from graphkit.ingest.mapping import IMPORT_TYPES, Mapping, load_mappings, load_order
from graphkit.ingest.quarantine import Quarantine
from graphkit.ingest.sources import chunks, open_source
from graphkit.ingest.sync import FeedResult, Options
from graphkit.ingest.transform import Bad, Transformer
from graphkit.server import ManagedServer

log = logging.getLogger("graphkit.ingest")
End = tuple[str, Any]  # (label, key value)


class BulkError(GraphkitError):
    """The bulk import cannot run here (database not empty, no managed server)."""


def _get(row: dict[str, Any], ref: str) -> Any:
    column, _, field = ref.partition(".")
    value = row.get(column)
    return value.get(field) if field and isinstance(value, dict) else value


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
        self.streams: dict[tuple[str, str, str], tuple[TextIO, Any, list[str]]] = {}

    def apply(self, m: Mapping, row: dict[str, Any], tag: int) -> list[str]:
        """Add one row; return the aliases of referenced nodes that do not exist."""
        ends: dict[str, End | None] = {}
        missing = []
        for alias, node in m.nodes.items():
            if node.switch:
                case = node.cases[row[node.switch]]  # type: ignore[index]
            else:
                (_, case), *_ = node.variants()
            (prop, ref), *_ = case.key.items()
            key = _get(row, ref)
            self.keys[case.label] = prop
            if key is None:
                ends[alias] = None
            elif node.mode == "match":
                ends[alias] = (case.label, key) if key in self.nodes[case.label] else None
                missing += [alias] if ends[alias] is None else []
        if missing:
            return missing
        for alias, node in m.nodes.items():
            key = _get(row, next(iter(node.key.values()))) if node.key else None
            if node.mode == "merge" and key is not None:
                label = node.label or ""
                props = self.nodes[label].setdefault(key, {})
                for p, ref in node.properties.items():
                    props[p] = _get(row, ref)
                    self.types[(label, p)] = m.ref_type(ref)
                props.update(lastupdated=tag, source=m.feed)
                ends[alias] = (label, key)
        for rel in m.relationships:
            a, b = ends[rel.from_], ends[rel.to]
            if a is not None and b is not None:
                self._relationship(m, rel, a, b, row, tag)
        return []

    def _relationship(self, m: Mapping, rel: Any, a: End, b: End, row: dict, tag: int) -> None:
        if rel.key:
            (kp, kref), *_ = rel.key.items()
            values = {kp: _get(row, kref)} | {
                p: _get(row, spec.value) for p, spec in rel.props().items()
            }
            self._stream(rel.type, a, b, {**values, "lastupdated": tag, "source": m.feed}, m, rel)
            return
        props = self.pairs.setdefault((rel.type, a, b), {})
        fresh = True
        if rel.events:
            ids = props.setdefault(rel.events.list, [])
            event = _get(row, rel.events.id)
            fresh = event not in ids
        for p, spec in rel.props().items():
            value, old = _get(row, spec.value), props.get(p)
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
        props.update(lastupdated=tag, source=m.feed)

    def _stream(self, rel_type: str, a: End, b: End, values: dict, m: Mapping, rel: Any) -> None:
        group = (rel_type, a[0], b[0])
        if group not in self.streams:
            (kp, kref), *_ = rel.key.items()
            types = {kp: m.ref_type(kref)} | {
                p: m.ref_type(s.value) for p, s in rel.props().items()
            }
            types |= {"lastupdated": "int", "source": "string"}
            f = (self.dir / f"rel-{'-'.join(group)}.csv").open("w", newline="")
            header = [f":START_ID({a[0]})", f":END_ID({b[0]})"]
            header += [f"{p}:{_import_type(t)}" for p, t in types.items()]
            self._header(f"rel-{'-'.join(group)}", header)
            self.streams[group] = (f, csv.writer(f), list(types))
        _, writer, columns = self.streams[group]
        writer.writerow([a[1], b[1], *(_cell(values.get(c)) for c in columns)])

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
            with (self.dir / f"node-{label}.csv").open("w", newline="") as f:
                out = csv.writer(f)
                for key, values in nodes.items():
                    out.writerow([key, *(_cell(values.get(p)) for p in props)])
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
            with (self.dir / f"{name}.csv").open("w", newline="") as f:
                out = csv.writer(f)
                for a, b, values in rows:
                    out.writerow([a, b, *(_cell(values.get(p)) for p in props)])
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


def _import_type(kind: str) -> str:
    return kind if kind.endswith("[]") else IMPORT_TYPES.get(kind, "string")


def bulk_load(
    options: Options,
    hasher: Hasher,
    *,
    feeds: list[str] | None = None,
    echo: Callable[[str], Any] = print,
) -> list[FeedResult]:
    """Import the feeds into the managed server's empty database; return per-feed results."""
    settings = load_settings()
    if not settings.managed:
        raise BulkError(
            "--bulk needs graphkit's managed Neo4j (neo4j-admin runs next to its data)",
            hint="unset NEO4J_URI, or load over Bolt without --bulk",
        )
    server = ManagedServer(settings)
    with Database(settings) as db:
        if db.read("MATCH (n) RETURN count(n) > 0 AS used")[0]["used"]:
            raise BulkError(
                "--bulk only fills an empty database",
                hint="use `graphkit load` (Bolt) or `graphkit neo4j reset` first",
            )
    mappings = load_mappings(options.mappings_dir)
    tag = time.time_ns() // 1_000_000
    work = Path(settings.home).expanduser() / "import" / str(tag)
    work.mkdir(parents=True)
    graph = Graph(work)
    results, runs = [], []
    for feed in [f for level in load_order(mappings, feeds) for f in level]:
        m, started = mappings[feed], time.monotonic()
        run = Run(f"{feed}-{tag}", feed, tag, "bulk", "")
        source = open_source(m, origin=options.origin, feeds_dir=options.feeds_dir,
                             dsn=options.dsn, batch_size=options.batch_size)  # fmt: skip
        transformer, quarantine = (
            Transformer(m, hasher),
            Quarantine(options.quarantine_dir, feed, run.run_id),
        )
        for chunk in chunks(source, 0, options.batch_size):
            batch = transformer.batch(chunk)
            refused = []
            for row, where, raw in zip(batch.rows, batch.locators, batch.raws, strict=True):
                missing = graph.apply(m, row, tag)
                if missing:
                    reason = f"unknown reference: {', '.join(missing)}"
                    refused.append(Bad(where, missing[0], reason, raw))
                elif (wm := row[m.watermark]) and (not run.max_watermark or wm > run.max_watermark):
                    run.max_watermark = wm
            quarantine.write(batch.bad + refused)
            run.rows_read += batch.read
            run.rows_skipped += batch.skipped
            run.rows_written += len(batch.rows) - len(refused)
            run.rows_quarantined += len(batch.bad) + len(refused)
        result = FeedResult(
            feed, run.run_id, "ok", run.rows_read, run.rows_written, run.rows_quarantined,
            run.rows_skipped, time.monotonic() - started, reasons=dict(quarantine.reasons),
            quarantine_file=quarantine.path if quarantine.reasons else None,
        )  # fmt: skip
        if result.bad_ratio > options.max_bad_ratio:
            result.status = "over_budget"
        results.append(result)
        runs.append(run)
    args = graph.write()
    echo(f"Importing {len(args)} files with neo4j-admin into {settings.database} ...")
    server.stop(echo=echo)
    try:
        # The database name goes first: --nodes/--relationships take a variable file list.
        server.admin("database", "import", "full", settings.database,
                     "--overwrite-destination=true", "--multiline-fields=true",
                     f"--report-file={server.logs_dir / 'import.report'}", *args)  # fmt: skip
    finally:
        server.start(echo=echo)
    with Database(settings) as db:
        schema.apply(db)
        for run, result in zip(runs, results, strict=True):
            db.write(
                "CREATE (:SyncRun {run_id: $id, feed: $feed, update_tag: $tag, mode: 'bulk', "
                "started_at: $now, status: 'running', rows_read: $read, rows_written: $written, "
                "rows_quarantined: $bad, rows_skipped: $skipped})",
                {"id": run.run_id, "feed": run.feed, "tag": tag, "now": datetime.now(UTC),
                 "read": run.rows_read, "written": run.rows_written,
                 "bad": run.rows_quarantined, "skipped": run.rows_skipped},
            )  # fmt: skip
            checkpoint.finish(db, run, result.status)
    shutil.rmtree(work, ignore_errors=True)
    return results
