"""One loader per feed at a time: a lease in Neo4j, ``(:Lease {feed, holder, expires_at})``.

A load or sync takes the feed's lease before it reads, renews it in every batch's
transaction (a batch whose lease was lost, e.g. taken over after it expired, is not
committed) and releases it at the end. A second loader of the same feed waits up to
``wait`` seconds for it, or stops with a message naming the holder. A killed loader's lease
expires by itself after :data:`TTL`; on the same host it is taken over at once, as soon as
its process no longer exists.

>>> holder_id().count(":")
2
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import neo4j

from graphkit.db import Database
from graphkit.errors import GraphkitError

TTL = timedelta(minutes=5)


class LeaseHeld(GraphkitError):
    """Another loader holds the feed's lease."""


def holder_id() -> str:
    """``host:pid:random``: who holds a lease, readable in the message to the other loader."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(db: Database, feed: str, holder: str, wait: float = 0.0) -> None:
    """Take the feed's lease, waiting up to ``wait`` seconds for its holder to release it."""
    deadline = time.monotonic() + wait
    while True:
        taken = db.write(
            "MERGE (l:Lease {feed: $feed}) WITH l "
            "WHERE l.holder IS NULL OR l.holder IN [$holder, $dead] OR l.expires_at < datetime() "
            "SET l.holder = $holder, l.expires_at = datetime() + $ttl RETURN true AS ok",
            {"feed": feed, "holder": holder, "ttl": TTL, "dead": _dead_holder(db, feed)},
        )
        if taken:
            return
        if time.monotonic() >= deadline:
            held = db.read(
                "MATCH (l:Lease {feed: $feed}) RETURN l.holder AS holder, l.expires_at AS until",
                {"feed": feed},
            )
            who, until = (held[0]["holder"], held[0]["until"]) if held else ("?", None)
            raise LeaseHeld(
                f"feed {feed} is being loaded by {who} (lease until {until})",
                hint="let that run finish, or pass --wait SECONDS to wait for it; "
                "a killed loader's lease expires by itself",
            )
        time.sleep(min(2.0, max(deadline - time.monotonic(), 0.0)))


def _dead_holder(db: Database, feed: str) -> str | None:
    """The feed's holder when it is a process of this host that no longer exists."""
    rows = db.read("MATCH (l:Lease {feed: $feed}) RETURN l.holder AS holder", {"feed": feed})
    holder = rows[0]["holder"] if rows else None
    host, _, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return holder
    except PermissionError:  # alive, another user's
        return None
    return None


def renew(tx: neo4j.ManagedTransaction, feed: str, holder: str) -> None:
    """Extend the lease inside a batch's transaction; fail the batch if it is not ours."""
    held = tx.run(
        "MATCH (l:Lease {feed: $feed, holder: $holder}) "
        "SET l.expires_at = datetime() + $ttl RETURN count(l) AS n",
        feed=feed, holder=holder, ttl=TTL,
    ).single()  # fmt: skip
    if not held or not held["n"]:
        raise LeaseHeld(
            f"feed {feed}: this loader lost its lease (it expired and another loader took it)",
            hint="run the sync again; nothing of the refused batch was written",
        )


@contextmanager
def held(db: Database | None, feed: str, wait: float = 0.0) -> Iterator[str]:
    """Hold the feed's lease for the block; yields the holder ("" and no lease without a
    database, e.g. a dry run)."""
    if db is None:
        yield ""
        return
    holder = holder_id()
    acquire(db, feed, holder, wait)
    try:
        yield holder
    finally:
        release(db, feed, holder)


def renew_all(tx: neo4j.ManagedTransaction, holder: str) -> None:
    """Extend every lease ``holder`` holds (:func:`held_all`), inside a write transaction."""
    tx.run(
        "MATCH (l:Lease {holder: $holder}) SET l.expires_at = datetime() + $ttl",
        holder=holder, ttl=TTL,
    ).consume()  # fmt: skip


@contextmanager
def held_all(db: Database, feeds: list[str], wait: float = 0.0) -> Iterator[str]:
    """Hold every feed's lease for the block (no loader writes meanwhile); yields the holder.
    Feeds whose lease is held now are added: a loader of a feed of other mappings too."""
    holder, taken = holder_id(), []
    busy = [row["feed"] for row in db.read("MATCH (l:Lease) RETURN l.feed AS feed")]
    try:
        for feed in dict.fromkeys([*feeds, *busy]):
            acquire(db, feed, holder, wait)
            taken.append(feed)
        yield holder
    finally:
        for feed in taken:
            release(db, feed, holder)


def release(db: Database, feed: str, holder: str) -> None:
    db.write("MATCH (l:Lease {feed: $feed, holder: $holder}) DELETE l",
             {"feed": feed, "holder": holder})  # fmt: skip
