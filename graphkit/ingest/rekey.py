"""Rotate the hash key (``graphkit rekey``): every stored keyed hash moves to the new key.

The graph keeps keyed hashes (``HMAC(key, normalised value)``: the keys of nodes whose
mapping column is an email, phone, address, card or IBAN; bad rows' digests; the hashes in
parked rows and in the benign register), never the values, so they cannot be recomputed from
the graph. Rekey re-reads every feed's source and transforms each chunk with both keys: the
same records give the same rows in the same order, so each old hash pairs with its new one.
The identifier nodes are renamed in place: every relationship, first/last seen and history
stays as it is. Two phases, under every feed's lease (no load runs meanwhile):

1. **prepare** (reads every source; the old key stays valid): each identifier node and bad
   row digest found gets ``rekey_next`` (its new value) and ``rekey_to`` (the new key's
   fingerprint); parked rows and the register get their rewritten form beside the current.
   Interrupted, nothing changed: run it again (or go on with the old key).
2. **switch** (graph only, batched): ``(:HashKey).switching_to`` is set first, and from then
   on every load refuses both keys; every marked value takes its new form; last, the
   fingerprint becomes the new key's. Interrupted, ``graphkit rekey`` with the same keys
   finishes the switch (it does not read the sources again).

Identifiers that no source holds any more keep their old hash (``unmatched``): their links
stay, but a row bringing the same value later would make a new node.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString, cast

import neo4j

from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.identity import Hasher
from graphkit.ingest import lease
from graphkit.ingest.checkpoint import KeyMismatch
from graphkit.ingest.mapping import ColumnType, Mapping, load_mappings
from graphkit.ingest.quarantine import remembered
from graphkit.ingest.sources import chunks, open_source
from graphkit.ingest.sync import Options, Progress, select_feeds
from graphkit.ingest.transform import Transformer, field_value
from graphkit.ingest.writer import q

#: Column types whose values are stored as keyed hashes (IPs and device ids are not hashed).
HASHED = {ColumnType.email, ColumnType.phone, ColumnType.address, ColumnType.card,
          ColumnType.iban}  # fmt: skip
Key = tuple[str, str]  # (label, key property)


@dataclass
class Rekeyed:
    """What a rotation changed: identifier nodes and bad-row digests moved to the new key,
    identifiers no source holds (kept with the old hash), parked rows rewritten and benign
    register entries left with an old hash (apply the register again)."""

    identifiers: int = 0
    unmatched: int = 0
    digests: int = 0
    pending: int = 0
    benign_unmatched: int = 0


def hashed_keys(mapping: Mapping) -> list[tuple[str, str, str]]:
    """``(label, key property, row field)`` of the mapping's nodes keyed by a keyed hash.

    >>> from graphkit.ingest.mapping import load_mapping, MAPPINGS_DIR
    >>> hashed_keys(load_mapping(MAPPINGS_DIR / "reviewers.yaml"))
    [('Email', 'hash', 'email.hash'), ('Phone', 'hash', 'phone.hash')]
    """
    keys = []
    for node in mapping.nodes.values():
        for _, case in node.variants:
            ((prop, ref),) = case.key.items()
            if mapping.columns[ref.partition(".")[0]].type in HASHED:
                keys.append((case.label, prop, ref))
    return list(dict.fromkeys(keys))


def _state(db: Database) -> dict[str, Any]:
    rows = db.read(
        "MATCH (k:HashKey {name: 'current'}) "
        "RETURN k.fingerprint AS fingerprint, k.switching_to AS switching_to"
    )
    return rows[0] if rows else {"fingerprint": None, "switching_to": None}


def rekey(
    db: Database,
    options: Options,
    old: Hasher,
    new: Hasher,
    *,
    progress: Progress | None = None,
    echo: Callable[[str], Any] = print,
) -> Rekeyed:
    """Move every stored keyed hash from ``old`` to ``new`` (see the module docstring)."""
    if old.fingerprint == new.fingerprint:
        raise GraphkitError("the new hash key is the old one", hint="set a different new key")
    state = _state(db)
    if state["fingerprint"] == new.fingerprint and not state["switching_to"]:
        raise GraphkitError(
            f"the graph is already hashed with the new key (fingerprint {new.fingerprint})",
            hint="set GRAPHKIT_HASH_KEY to the new key",
        )
    if state["fingerprint"] != old.fingerprint:
        raise KeyMismatch(
            f"the graph's identifiers were not hashed with the old key given (graph: "
            f"{state['fingerprint']}, old key: {old.fingerprint})",
            hint="set GRAPHKIT_HASH_KEY (or --demo-key) to the key the graph was loaded with",
        )
    if state["switching_to"] not in (None, new.fingerprint):
        raise KeyMismatch(
            f"a rotation to another key (fingerprint {state['switching_to']}) is half done",
            hint="run `graphkit rekey` with that rotation's new key to finish it first",
        )
    mappings = load_mappings(options.mappings_dir)
    keys = sorted({(label, prop) for m in mappings.values() for label, prop, _ in hashed_keys(m)})
    with lease.held_all(db, list(mappings), options.wait) as holder:
        done = Rekeyed()
        if state["switching_to"] is None:
            echo(f"rekey: reading every source with both keys ({old.fingerprint} -> "
                 f"{new.fingerprint}); the old key stays valid until the switch")  # fmt: skip
            done = _prepare(db, options, mappings, old, new, keys, holder, progress)
            done.unmatched = sum(
                _count(db, f"MATCH (n:{q(label)}) WHERE n.rekey_to IS NULL RETURN count(n) AS n")
                for label in dict.fromkeys(label for label, _ in keys)
            )
        else:
            echo("rekey: finishing the interrupted switch")
        moved = _switch(db, keys, old, new, options.batch_size)
        done.identifiers = sum(moved[label] for label in dict.fromkeys(label for label, _ in keys))
        done.digests = moved["QuarantinedRow"]
        return done


def _count(db: Database, cypher: str) -> int:
    return db.read(cast(LiteralString, cypher))[0]["n"]


def _prepare(
    db: Database,
    options: Options,
    mappings: dict[str, Mapping],
    old: Hasher,
    new: Hasher,
    keys: list[Key],
    holder: str,
    progress: Progress | None,
) -> Rekeyed:
    """Phase 1: mark every identifier and digest found in the sources with its new value."""
    fp, done = new.fingerprint, Rekeyed()
    for label, _ in keys:  # marks left by an abandoned rotation to another key
        db.write(
            cast(LiteralString, f"MATCH (n:{q(label)}) WHERE n.rekey_to <> $fp "
                                "REMOVE n.rekey_next, n.rekey_to"),
            {"fp": fp},
        )  # fmt: skip
    wanted = _wanted(db, mappings)
    found: dict[str, str] = {}
    feeds, _ = select_feeds(mappings, options, None)
    for feed in feeds:
        m = mappings[feed]
        source = open_source(m, origin=options.origin, feeds_dir=options.feeds_dir,
                             dsn=options.dsn, batch_size=options.batch_size)  # fmt: skip
        hashed = hashed_keys(m)
        before = Transformer(m, old, mtimes=source.mtimes)
        after = Transformer(m, new, mtimes=source.mtimes) if hashed else None
        for chunk in chunks(source, 0, options.batch_size):
            a = before.batch(chunk)
            pairs: dict[Key, dict[str, str]] = defaultdict(dict)
            if after is not None:
                b = after.batch(chunk)
                for row_a, row_b in zip(a.rows, b.rows, strict=True):
                    for label, prop, ref in hashed:
                        if (value := field_value(row_a, ref)) is not None:
                            pairs[(label, prop)][value] = field_value(row_b, ref)
            digests = {remembered(old, bad)["digest"]: remembered(new, bad)["digest"]
                       for bad in a.bad}  # fmt: skip
            with db.session() as session:
                session.execute_write(_mark, pairs, digests, fp, holder)
            found |= {o: n for p in pairs.values() for o, n in p.items() if o in wanted}
            if progress:
                progress(feed, a.read, source.total)
    done.pending = _rewrite_pending(db, mappings, found, fp)
    done.benign_unmatched = _rewrite_register(db, found, fp)
    return done


def _mark(
    tx: neo4j.ManagedTransaction,
    pairs: dict[Key, dict[str, str]],
    digests: dict[str, str],
    fp: str,
    holder: str,
) -> None:
    """Mark one chunk's identifiers and digests with their new values; renew the leases."""
    for (label, prop), mapped in pairs.items():
        # Label and property come from the validated mappings, never from data.
        cypher = (f"UNWIND $pairs AS p MATCH (n:{q(label)} {{{q(prop)}: p.old}}) "
                  "SET n.rekey_next = p.new, n.rekey_to = $fp")  # fmt: skip
        rows = [{"old": o, "new": n} for o, n in mapped.items()]
        tx.run(cast(LiteralString, cypher), pairs=rows, fp=fp).consume()
    tx.run(
        "UNWIND $pairs AS p MATCH (q:QuarantinedRow {digest: p.old}) "
        "SET q.rekey_next = p.new, q.rekey_to = $fp",
        pairs=[{"old": o, "new": n} for o, n in digests.items()], fp=fp,
    ).consume()  # fmt: skip
    lease.renew_all(tx, holder)


def _wanted(db: Database, mappings: dict[str, Mapping]) -> set[str]:
    """The old hashes that parked rows and the benign register hold."""
    wanted = set()
    for row in db.read("MATCH (p:PendingRow) RETURN p.feed AS feed, p.row AS row"):
        if row["feed"] in mappings:
            parked = json.loads(row["row"])
            wanted |= {field_value(parked, ref) for *_, ref in hashed_keys(mappings[row["feed"]])}
    for row in db.read("MATCH (r:BenignRegister) RETURN r.entries AS entries"):
        wanted |= {e["key"] for e in json.loads(row["entries"])}
    return wanted - {None}


def _rewrite_pending(
    db: Database, mappings: dict[str, Mapping], found: dict[str, str], fp: str
) -> int:
    """Put each parked row's rewritten form beside it (``rekey_row``); return how many."""
    rewritten = []
    for row in db.read("MATCH (p:PendingRow) RETURN p.id AS id, p.feed AS feed, p.row AS row"):
        if row["feed"] not in mappings:
            continue
        parked = json.loads(row["row"])
        for *_, ref in hashed_keys(mappings[row["feed"]]):
            column, _, part = ref.partition(".")
            if (value := field_value(parked, ref)) in found:
                parked[column][part] = found[value]
        rewritten.append({"id": row["id"], "row": json.dumps(parked)})
    db.write(
        "UNWIND $rows AS r MATCH (p:PendingRow {id: r.id}) SET p.rekey_row = r.row, "
        "p.rekey_to = $fp",
        {"rows": rewritten, "fp": fp},
    )
    return len(rewritten)


def _rewrite_register(db: Database, found: dict[str, str], fp: str) -> int:
    """Put the benign register's rewritten entries beside it; return how many hashed entries
    no source holds (they stay as they are: apply the register again with the new key)."""
    rows = db.read("MATCH (r:BenignRegister {name: 'current'}) RETURN r.entries AS entries")
    if not rows:
        return 0
    entries = json.loads(rows[0]["entries"])
    hashed = {"address", "payment", "email", "phone"}
    unmatched = sum(1 for e in entries if e["kind"] in hashed and e["key"] not in found)
    entries = [{**e, "key": found.get(e["key"], e["key"])} for e in entries]
    db.write(
        "MATCH (r:BenignRegister {name: 'current'}) SET r.rekey_entries = $entries, "
        "r.rekey_to = $fp",
        {"entries": json.dumps(entries), "fp": fp},
    )
    return unmatched


def _switch(db: Database, keys: list[Key], old: Hasher, new: Hasher, size: int) -> Counter[str]:
    """Phase 2: every marked value takes its new form, in batches; then the fingerprint.
    Returns how many values moved per label."""
    fp = new.fingerprint
    db.write(
        "MATCH (k:HashKey {name: 'current'}) SET k.switching_to = $fp, k.switching_since = $now",
        {"fp": fp, "now": datetime.now(UTC)},
    )
    moved: Counter[str] = Counter()
    moves = [(label, prop, "rekey_next") for label, prop in keys]
    moves += [("QuarantinedRow", "digest", "rekey_next"), ("PendingRow", "row", "rekey_row"),
              ("BenignRegister", "entries", "rekey_entries")]  # fmt: skip
    for label, prop, staged in moves:
        # Labels and properties come from the validated mappings and this module.
        cypher = cast(
            LiteralString,
            f"MATCH (n:{q(label)}) WHERE n.rekey_to = $fp WITH n LIMIT $size "
            f"SET n.{q(prop)} = n.{q(staged)} REMOVE n.{q(staged)}, n.rekey_to "
            "RETURN count(n) AS n",
        )
        while n := db.write(cypher, {"fp": fp, "size": size})[0]["n"]:
            moved[label] += n
    db.write(
        "MATCH (k:HashKey {name: 'current'}) SET k.fingerprint = $fp, k.since = $now, "
        "k.previous = $old REMOVE k.switching_to, k.switching_since",
        {"fp": fp, "old": old.fingerprint, "now": datetime.now(UTC)},
    )
    return moved
