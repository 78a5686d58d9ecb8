"""Soak: incremental syncs of a changing source with the loader and Neo4j killed (SIGKILL) at
random points; the final graph must equal a clean load of the final source.

    python -m bench --only soak --scale small      # the bench database, a table in RESULTS.md
    python -m bench.soak_bench --scale tiny        # the same, printed only

A :class:`ChangingSource` releases a generated marketplace (``graphkit synth``) over
``steps``: each step appends rows (in shuffled key and watermark order, so a review often
arrives before its product: a late reference), writes newer versions of released rows
(a seller closed, a rating or a review's product corrected), copies rows (duplicates) and
now and then rewrites a file in another row order. :class:`Soak` runs ``graphkit sync`` as a
child process after each step; in the chosen syncs it SIGKILLs the loader or Neo4j once a
feed's SyncRun checkpoint shows the run mid-way, then runs the sync again (it resumes). At
the end it loads the final source into an emptied database and compares counts, the content
checksum and the rows left waiting for a reference. It knows the feeds only through their
mappings (key, watermark) and the column names of docs/feeds.md.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from bench.common import Row, bench_env, bench_server, fresh_database, table
from graphkit import ingest
from graphkit.db import Database
from graphkit.graphmodel import DELETED_AT, VALID_TO
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest.mapping import MAPPINGS_DIR, Mapping, load_mappings
from graphkit.ingest.writer import entity
from graphkit.server import ManagedServer

HASHER = Hasher(DEMO_KEY)
EPOCH = datetime(2030, 1, 1, tzinfo=UTC)  # step k's rows carry watermarks in hour k after it
FIRST_SHARE = 0.3  # of every feed's rows released by the first step


# --- the changing source ---------------------------------------------------------------------
def read_rows(path: Path) -> list[dict[str, Any]]:
    """A feed file's rows as dicts (CSV values as strings)."""
    if path.suffix == ".csv":
        with path.open(newline="") as f:
            return list(csv.DictReader(f))
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return pq.read_table(path).to_pylist()


def write_rows(path: Path, rows: list[dict[str, Any]], columns: list[str], schema: Any) -> None:
    """Write ``rows`` to ``path`` in its format (Parquet keeps the original ``schema``)."""
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".csv":
        with tmp.open("w", newline="") as f:
            writer = csv.DictWriter(f, columns)
            writer.writeheader()
            writer.writerows(rows)
    elif path.suffix == ".jsonl":
        tmp.write_text("".join(json.dumps(r, default=str) + "\n" for r in rows))
    else:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
    tmp.replace(path)  # a reader never sees half a file


def to_postgres(f: FeedFile, dsn: str) -> None:
    """Replace the feed's table (``source.table``: text columns, the watermark a timestamptz)
    with the file's rows, in one transaction."""
    import psycopg
    from psycopg import sql

    schema, _, name = (f.mapping.source.table or "").rpartition(".")
    table = sql.Identifier(schema or "public", name)
    wm = f.mapping.watermark
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL("timestamptz" if c == wm else "text"))
        for c in f.columns
    )
    with psycopg.connect(dsn) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
        names = sql.SQL(", ").join(map(sql.Identifier, f.columns))
        with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(table, names)) as cp:
            for row in f.rows:
                cp.write_row([_text(row.get(c)) for c in f.columns])


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).lower() if isinstance(value, bool) else str(value)


def _stamp(like: Any, when: datetime) -> Any:
    """``when`` in the type of the value it replaces (a datetime, or an ISO 8601 string)."""
    return when if isinstance(like, datetime) else when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _changed(row: dict[str, Any], rng: random.Random) -> dict:
    """A newer version of an entity's row: the seller closed, a review re-rated, the price
    or the name changed."""
    new = dict(row)
    if row.get("status") == "active":
        new.update(status="closed", closed_at=row.get("updated_at"), reason="closed in soak")
    elif "rating" in row:
        new["rating"] = rng.choice([r for r in range(1, 6) if r != row["rating"]])
    elif "price" in row and isinstance(row["price"], int | float):
        new["price"] = round(row["price"] + 1.5, 2)
    else:
        name = next((c for c in ("display_name", "name", "title") if c in row), None)
        if name is None:
            return new
        new[name] = f"{row[name] or ''} (renamed)"
    return new


@dataclass
class FeedFile:
    path: Path
    mapping: Mapping
    columns: list[str]
    schema: Any
    unreleased: list[dict[str, Any]]
    rows: list[dict[str, Any]] = field(default_factory=list)  # the file as it stands
    fresh: int = 0  # rows of the last step with a new watermark

    @property
    def updatable(self) -> bool:
        """Rows are states of an entity (newest wins), not events that only aggregate."""
        return entity(self.mapping) is not None


@dataclass
class Changes:
    appended: int = 0
    updated: int = 0
    deleted: int = 0  # tombstones (the mapping's ``deleted`` marker)
    duplicated: int = 0
    reordered: int = 0


class ChangingSource:
    """A marketplace's feed files released into ``out`` over ``steps`` (see the module)."""

    def __init__(self, market: Path, out: Path, steps: int, seed: int,
                 mappings_dir: Path = MAPPINGS_DIR, dsn: str | None = None):  # fmt: skip
        """``dsn``: mirror every step's files into the mappings' PostgreSQL tables too."""
        self.out, self.steps, self.step, self.dsn = out, steps, 0, dsn
        self.rng = random.Random(seed)
        out.mkdir(parents=True, exist_ok=True)
        self.files: list[FeedFile] = []
        mappings = load_mappings(mappings_dir).values()
        for path in sorted(market.iterdir()):
            mapping = next(m for m in mappings if fnmatch.fnmatch(path.name, m.source.files or ""))
            rows = read_rows(path)
            self.rng.shuffle(rows)
            schema = pq.read_schema(path) if path.suffix == ".parquet" else None
            self.files.append(FeedFile(out / path.name, mapping, list(rows[0]), schema, rows))
        self.first = {f.path.name: len(f.unreleased) for f in self.files}
        values = {f.path.name: {str(v) for r in f.unreleased for v in r.values()}
                  for f in self.files}  # fmt: skip
        #: per file, the values its rows share with other files (references to its keys)
        self.referenced = {name: set().union(*(v for other, v in values.items() if other != name))
                           for name in values}  # fmt: skip

    def advance(self) -> Changes:
        """Write the next step's files; return what changed."""
        changes, k = Changes(), self.step
        window = EPOCH + timedelta(hours=k)
        for f in self.files:
            wm = f.mapping.watermark or ""
            total = self.first[f.path.name]
            due = total if k == self.steps - 1 else (
                round(total * FIRST_SHARE) if k == 0 else
                round(total * (FIRST_SHARE + (1 - FIRST_SHARE) * k / (self.steps - 1)))
            )  # fmt: skip
            new = f.unreleased[: due - (total - len(f.unreleased))]
            del f.unreleased[: len(new)]
            old = list(f.rows)
            updates, tombstones = [], []
            if f.updatable and old and k > 0:
                updates = [_changed(r, self.rng) for r in self.rng.sample(old, len(old) // 50 + 1)]
            if (marker := f.mapping.deleted) and old and k > 0 and not _aggregated(f.mapping):
                alone = [r for r in old if not self._referenced(f, r)]
                picked = self.rng.sample(alone, min(len(alone), len(old) // 100 + 1))
                tombstones = [{**r, marker.column: marker.values[0]} for r in picked]
                f.columns += [marker.column] if marker.column not in f.columns else []
            updates += tombstones
            copies = self.rng.sample(old, min(len(old), 2)) + self.rng.sample(new, min(len(new), 2))
            fresh = new + updates
            for row in fresh:
                row[wm] = _stamp(row.get(wm), window + timedelta(seconds=self.rng.randrange(3600)))
            self.rng.shuffle(fresh)
            for row in updates:  # half in place (a snapshot export), half appended (a change log)
                if self.rng.random() < 0.5:
                    at = next(i for i, r in enumerate(f.rows) if _same_key(f, r, row))
                    f.rows[at] = row
                    fresh.remove(row)
            f.fresh = len(new) + len(updates)
            f.rows += fresh + [dict(r) for r in copies]
            if k > 0 and self.rng.random() < 0.15:
                self.rng.shuffle(f.rows)
                changes.reordered += 1
            write_rows(f.path, f.rows, f.columns, f.schema)
            if self.dsn:
                to_postgres(f, self.dsn)
            changes.appended += len(new)
            changes.updated += len(updates) - len(tombstones)
            changes.deleted += len(tombstones)
            changes.duplicated += len(copies)
        self.step += 1
        return changes

    def _referenced(self, f: FeedFile, row: dict[str, Any]) -> bool:
        """Whether another feed's row names this row's entity. Only entities nothing refers
        to are deleted: dependents of a deleted one have no single clean answer (a clean
        load parks them for ever, a sync keeps them on the deleted node)."""
        return any(str(row[k]) in self.referenced[f.path.name] for k in f.mapping.key)


def _aggregated(mapping: Mapping) -> bool:
    """Whether the feed's rows are counted into aggregates (e.g. a seller's SELLS
    ``n_products``): a deletion does not undo them (a finding of this soak), so such feeds get
    no tombstones here."""
    return any(rel.events for rel in mapping.relationships)


def _same_key(f: FeedFile, a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in f.mapping.key)


# --- syncs with kills ------------------------------------------------------------------------
def wait_until(condition: Callable[[], Any], what: str, timeout: float = 300.0) -> Any:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f}s")
        time.sleep(0.05)
    return result


@dataclass
class Sync:
    step: int
    kill: str  # "" | loader | neo4j
    killed: bool  # the kill happened (the run was mid-way)
    interrupted: bool  # a run was left unfinished (the next sync must resume it)
    pending: int  # rows waiting for a reference after the sync
    exit_code: int
    seconds: float
    output: str


@dataclass
class Result:
    steps: int
    syncs: list[Sync]
    rows_read: int
    synced: tuple[str, dict[str, int]]
    clean: tuple[str, dict[str, int]]
    pending_synced: set[str]
    pending_clean: set[str]
    changes: Changes
    #: current links whose first_seen the sync puts later than the clean load (must be none:
    #: a sync that saw older versions knows an earlier first_seen, never a later one)
    first_seen_later: int

    def kills(self, kind: str) -> int:
        return sum(s.killed and s.kill == kind for s in self.syncs)

    @property
    def equal(self) -> bool:
        return (self.synced == self.clean and self.pending_synced == self.pending_clean
                and not self.first_seen_later)  # fmt: skip

    def rows(self, scale: str) -> list[Row]:
        took = [s.seconds for s in self.syncs if not s.kill]
        c = self.changes
        counts_ok = "yes" if self.synced[1] == self.clean[1] else "NO"
        checksum_ok = "yes" if self.synced[0] == self.clean[0] else "NO"
        return [
            Row("soak", f"{scale}: steps / syncs", f"{self.steps} / {len(self.syncs)}"),
            Row("soak", "kills (loader / Neo4j, SIGKILL mid-run)",
                f"{self.kills('loader')} / {self.kills('neo4j')}"),
            Row("soak", "rows appended / updated / deleted / duplicated; files reordered",
                f"{c.appended:,} / {c.updated:,} / {c.deleted:,} / {c.duplicated:,}; "
                f"{c.reordered}"),
            Row("soak", "rows read by all syncs", self.rows_read, "rows"),
            Row("soak", "time per sync without kill (median)", median(took), "s",
                higher_is_better=False),
            Row("soak", "time per sync without kill (max)", max(took), "s",
                higher_is_better=False),
            Row("soak", "final graph = clean load: counts", counts_ok),
            Row("soak", "final graph = clean load: content checksum (current state)",
                checksum_ok),
            Row("soak", "links the sync saw first later than the clean load",
                self.first_seen_later),
            Row("soak", "pending rows left (sync / clean load)",
                f"{len(self.pending_synced):,} / {len(self.pending_clean):,}"),
        ]  # fmt: skip


class Soak:
    """Syncs of ``source`` into ``db`` (Neo4j managed by ``server``) with kills (module doc)."""

    def __init__(
        self,
        db: Database,
        server: ManagedServer,
        source: ChangingSource,
        work: Path,
        batch_size: int = 20,
        seed: int = 7,
        env: dict[str, str] | None = None,
    ):
        self.db, self.server, self.source, self.work = db, server, source, work
        self.rng = random.Random(seed)
        self.env = dict(env or os.environ)
        origin = ["--from", "postgres"] if source.dsn else ["--feeds-dir", str(source.out)]
        if source.dsn:
            self.env["GRAPHKIT_PG_DSN"] = source.dsn  # never on a command line
        self.command = [
            sys.executable, "-m", "graphkit", "sync", *origin,
            "--quarantine-dir", str(work / "quarantine"), "--demo-key",
            "--batch-size", str(batch_size), "--max-bad-ratio", "1",
        ]  # fmt: skip

    def mid_run(self, started: datetime, feed: str, offset: int) -> str | None:
        """The feed of a run of this sync whose checkpoint passed ``offset`` in ``feed`` (or,
        once ``feed`` is done, in any feed); None while there is none."""
        rows = self.db.read(
            "MATCH (r:SyncRun {status: 'running'}) WHERE r.started_at >= $started "
            "AND r.offset > 0 OPTIONAL MATCH (done:SyncRun {feed: $feed}) "
            "WHERE done.started_at >= $started AND done.status <> 'running' "
            "WITH r, done WHERE (r.feed = $feed AND r.offset >= $offset) OR done IS NOT NULL "
            "RETURN r.feed AS feed LIMIT 1",
            {"started": started, "feed": feed, "offset": offset},
        )
        return rows[0]["feed"] if rows else None

    def sync(self, kill: str = "") -> Sync:
        """One ``graphkit sync``; ``kill``: SIGKILL the loader or Neo4j once it is mid-run."""
        started_at, started = datetime.now(UTC), time.monotonic()
        log = self.work / f"sync-{len(list(self.work.glob('sync-*.log'))):03d}.log"
        with log.open("w") as out:
            child = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT,
                                     env=self.env)  # fmt: skip
            killed = False
            if kill:  # a random record of a feed with new rows (PostgreSQL reads only those)
                f = self.rng.choice([f for f in self.source.files if f.fresh] or self.source.files)
                records = f.fresh if self.source.dsn else len(f.rows)
                target = f.mapping.feed, self.rng.randint(1, max(records - 1, 1))
                wait_until(lambda: child.poll() is not None or self.mid_run(started_at, *target),
                           f"a {target[0]} run past record {target[1]}")  # fmt: skip
                killed = child.poll() is None
            if killed and kill == "loader":
                child.send_signal(signal.SIGKILL)
            elif killed and kill == "neo4j":
                pid = self.server.status().pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                wait_until(lambda: not self.server.is_running(), "Neo4j to die")
                self.server.start(echo=lambda *_: None)  # the loader retries meanwhile, or stops
            child.wait()
        unfinished = self.db.read(
            "MATCH (r:SyncRun {status: 'running'}) WHERE r.started_at >= $started "
            "RETURN count(r) AS n", {"started": started_at},
        )[0]["n"]  # fmt: skip
        return Sync(self.source.step - 1, kill, killed, unfinished > 0, len(_pending(self.db)),
                    child.returncode, time.monotonic() - started, log.read_text())  # fmt: skip

    def run(self, loader_kills: int, neo4j_kills: int, spare_syncs: int = 5) -> Result:
        """A sync after every step; the planned kills at random steps. A killed sync is run
        again at once (it resumes); a kill whose sync ended before it was mid-way is owed to
        the next sync (after the last step: up to ``spare_syncs`` syncs more)."""
        plan = ["loader"] * loader_kills + ["neo4j"] * neo4j_kills
        plan += [""] * (self.source.steps - len(plan))
        self.rng.shuffle(plan)
        syncs: list[Sync] = []
        changes = Changes()
        owed: list[str] = []
        for kill in [*plan, *[""] * spare_syncs]:
            if self.source.step < self.source.steps:
                for name, n in vars(self.source.advance()).items():
                    setattr(changes, name, getattr(changes, name) + n)
            elif not owed:
                break
            owed += [kill] if kill else []
            syncs.append(sync := self.sync(owed[0] if owed else ""))
            if sync.killed:
                owed.pop(0)
                syncs.append(again := self.sync())
                check_resumed(sync, again)
            else:
                check_clean(sync)
        if owed:
            raise AssertionError(f"kills not done (no sync was caught mid-way): {owed}")
        return self.compare(syncs, changes)

    def compare(self, syncs: list[Sync], changes: Changes) -> Result:
        """The synced graph against a clean load of the final source into an emptied one."""
        db = self.db
        read = db.read("MATCH (r:SyncRun) RETURN sum(r.rows_read) AS n")[0]["n"]
        synced = _state(db)
        pending_synced, seen = _pending(db), _first_seen(db)
        db.run_autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        options = ingest.Options(origin="postgres" if self.source.dsn else "files",
                                 feeds_dir=self.source.out, dsn=self.source.dsn,
                                 max_bad_ratio=1.0,
                                 quarantine_dir=self.work / "clean-quarantine")  # fmt: skip
        ingest.run(db, options, HASHER)
        clean, clean_seen = _state(db), _first_seen(db)
        later = sum(seen.get(link, first) > first for link, first in clean_seen.items())
        return Result(self.source.steps, syncs, read, synced, clean, pending_synced,
                      _pending(db), changes, later)  # fmt: skip


def _state(db: Database) -> tuple[str, dict[str, int]]:
    """Checksum and counts of the current state: a clean load of the final source has no
    history, and knows of a link only the first_seen of the newest row version."""
    checksum = ingest.checksum(db, current_only=True, leave_out={"first_seen"})
    return checksum, ingest.counts(db, current_only=True)


def _first_seen(db: Database) -> dict[tuple[str, Any, Any], Any]:
    """``(type, from key, to key) -> first_seen`` of every current link that has one."""
    keys = {r["label"]: r["key"] for r in db.read(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties WHERE type = 'UNIQUENESS' "
        "RETURN labelsOrTypes[0] AS label, properties[0] AS key")}  # fmt: skip
    rows = db.read(
        f"MATCH (a)-[r]->(b) WHERE r.first_seen IS NOT NULL AND r.{VALID_TO} IS NULL "
        f"AND a.{DELETED_AT} IS NULL AND b.{DELETED_AT} IS NULL "
        "RETURN type(r) AS type, a[$keys[head(labels(a))]] AS a, "
        "b[$keys[head(labels(b))]] AS b, r.first_seen AS first",
        {"keys": keys},
    )
    return {(r["type"], r["a"], r["b"]): r["first"] for r in rows}


def _pending(db: Database) -> set[str]:
    return {r["id"] for r in db.read("MATCH (p:PendingRow) RETURN p.id AS id")}


def check_clean(sync: Sync) -> None:
    """A sync that was not killed exits 0 (bad rows are within the budget of 100%)."""
    if sync.exit_code != 0:
        raise AssertionError(f"sync after step {sync.step} exited {sync.exit_code}:\n"
                             f"{sync.output[-3000:]}")  # fmt: skip


def check_resumed(killed: Sync, again: Sync) -> None:
    """A killed loader's run, or one that Neo4j's death stopped (it says so, clearly), is
    resumed by the next sync."""
    check_clean(again)
    if killed.kill == "neo4j" and killed.exit_code == 0:
        return  # the loader's driver retried until Neo4j was back: nothing to resume
    if killed.kill == "neo4j" and ("Traceback" in killed.output or "resumes" not in killed.output
                                   or killed.exit_code != 2):  # fmt: skip
        raise AssertionError(f"unclear failure when Neo4j died:\n{killed.output[-3000:]}")
    if killed.interrupted and "resuming run" not in again.output:
        raise AssertionError(f"the sync after a kill did not resume:\n{again.output[-3000:]}")


# --- the bench section -----------------------------------------------------------------------
def soak(market: Path, work: Path, db: Database, server: ManagedServer, *, steps: int = 20,
         loader_kills: int = 3, neo4j_kills: int = 2, seed: int = 7, batch_size: int = 20,
         env: dict[str, str] | None = None, dsn: str | None = None) -> Result:  # fmt: skip
    """Release ``market`` (a feeds directory) over ``steps`` into ``work`` (and with ``dsn``
    PostgreSQL, which the syncs then read) and soak it."""
    source = ChangingSource(market, work / "feeds", steps, seed, dsn=dsn)
    return Soak(db, server, source, work, batch_size, seed, env).run(loader_kills, neo4j_kills)


def section(scale: str, seed: int, work: Path) -> list[Row]:
    """``python -m bench --only soak``: at ``tiny`` or ``small`` (larger scales soak
    ``small``), on the bench's own Neo4j, which it wipes."""
    scale = scale if scale in ("tiny", "small") else "small"
    market = work / f"soak-market-{scale}-{seed}"
    if not (market / "feeds").is_dir():
        subprocess.run([sys.executable, "-m", "graphkit", "synth", "--scale", scale, "--seed",
                        str(seed), "--out", str(market)], check=True, env=bench_env())  # fmt: skip
    soaked = work / f"soak-{scale}-{seed}"
    shutil.rmtree(soaked, ignore_errors=True)
    soaked.mkdir(parents=True)
    with fresh_database() as db:
        result = soak(market / "feeds", soaked, db, bench_server(), seed=seed,
                      batch_size=200 if scale == "small" else 20, env=bench_env())  # fmt: skip
    return result.rows(scale)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("out/bench"))
    args = parser.parse_args()
    print(table(section(args.scale, args.seed, args.work.resolve())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
