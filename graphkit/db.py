"""Driver lifecycle, READ vs WRITE transactions, retries and readable errors.

>>> with Database() as db:                                    # doctest: +SKIP
...     db.read("MATCH (s:Seller) RETURN count(s) AS n")[0]["n"]
1000
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar, cast

import neo4j
import pandas as pd
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from graphkit.config import Settings, load_settings
from graphkit.errors import ConnectionFailed, GraphkitError

Params = Mapping[str, Any]
T = TypeVar("T")


class QueryFailed(GraphkitError):
    """Neo4j rejected or aborted a query (constraint, timeout, syntax, access mode)."""


def resolve_connection(settings: Settings) -> tuple[str, str, str]:
    """Return ``(uri, user, password)``, falling back to the managed local server."""
    if not settings.managed:
        if settings.password is None:
            raise ConnectionFailed(
                f"NEO4J_URI is set to {settings.uri} but no password is configured",
                hint="set NEO4J_PASSWORD or [neo4j] password in the config file",
            )
        return cast(str, settings.uri), settings.user, settings.password.get_secret_value()
    from graphkit.server import ManagedServer

    server = ManagedServer(settings)
    return server.bolt_uri, "neo4j", server.password()


@contextmanager
def _translated_errors(uri: str, user: str) -> Iterator[None]:
    try:
        yield
    except neo4j_errors.AuthError:
        raise ConnectionFailed(
            f"Neo4j at {uri} refused the credentials for user '{user}'",
            hint="check NEO4J_USER / NEO4J_PASSWORD (or the config file)",
        ) from None
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
        raise ConnectionFailed(
            f"cannot reach Neo4j at {uri} ({type(exc).__name__})",
            hint="start it with `graphkit neo4j start`, or fix NEO4J_URI",
        ) from None
    except neo4j_errors.ConstraintError as exc:
        raise QueryFailed(
            f"constraint violated: {exc.message}",
            hint="the key already exists; MERGE on the key instead of CREATE",
        ) from None
    except neo4j_errors.ClientError as exc:
        code, message = exc.code or "", exc.message or ""
        hint = None
        if "TransactionTimedOut" in code:
            hint = "narrow the query's parameters or raise its timeout_s"
        elif "Forbidden" in code or "access mode" in message:
            hint = "this query writes; canned queries run read-only"
        raise QueryFailed(f"{code}: {message}", hint=hint) from None


def _unit_of_work(
    cypher: LiteralString, params: Params | None, timeout: float | None
) -> Callable[[neo4j.ManagedTransaction], list[dict[str, Any]]]:
    @neo4j.unit_of_work(timeout=timeout)
    @_not_retried_out_of_memory
    def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
        return tx.run(cypher, params or {}).data()

    return work


def _not_retried_out_of_memory(
    work: Callable[[neo4j.ManagedTransaction], T],
) -> Callable[[neo4j.ManagedTransaction], T]:
    """The driver retries a transaction out of memory (a transient error), but the same
    query runs out again: fail at once, saying what to change."""

    @functools.wraps(work)
    def guarded(tx: neo4j.ManagedTransaction) -> T:
        try:
            return work(tx)
        except neo4j_errors.TransientError as exc:
            if "OutOfMemory" not in (exc.code or ""):
                raise
            raise QueryFailed(
                f"{exc.code}: {exc.message}",
                hint="give Neo4j a bigger heap (e.g. GRAPHKIT_HEAP=8g, then `graphkit neo4j "
                "stop` and `start`) or narrow the query's parameters",
            ) from None

    return guarded


class Database:
    """One driver per process; sessions per unit of work.

    ``read`` runs in a READ transaction (Neo4j refuses writes there), ``write`` in a
    managed WRITE transaction that the driver retries on transient errors.
    """

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self.uri, self.user, password = resolve_connection(self.settings)
        self.database = self.settings.database
        try:
            self._driver = GraphDatabase.driver(
                self.uri,
                auth=(self.user, password),
                user_agent="graphkit",
                max_connection_pool_size=16,
                connection_acquisition_timeout=30,
                notifications_min_severity="OFF",  # planner hints are noise in logs here
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise ConnectionFailed(
                f"invalid NEO4J_URI {self.uri!r}: {exc}",
                hint="use bolt://host:7687 or neo4j://host:7687",
            ) from None

    @property
    def driver(self) -> neo4j.Driver:
        return self._driver

    def verify(self) -> None:
        """Fail fast with a readable error when Neo4j is unreachable or refuses us."""
        with _translated_errors(self.uri, self.user):
            self._driver.verify_connectivity()
            self._driver.verify_authentication()

    def session(self, *, read_only: bool = False, **config: Any) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode, **config)

    def read(
        self, cypher: LiteralString, params: Params | None = None, *, timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """Run ``cypher`` in a READ transaction and return the rows as dicts."""
        work = _unit_of_work(cypher, params, timeout)
        with _translated_errors(self.uri, self.user), self.session(read_only=True) as session:
            return session.execute_read(work)

    def read_with(
        self,
        work: Callable[[neo4j.ManagedTransaction], T],
        *,
        timeout: float | None = None,
        **session_config: Any,
    ) -> T:
        """Run ``work(tx)`` in a READ transaction, e.g. to stream or stop fetching early."""
        session = self.session(read_only=True, **session_config)
        with _translated_errors(self.uri, self.user), session:
            guarded = _not_retried_out_of_memory(work)
            return session.execute_read(neo4j.unit_of_work(timeout=timeout)(guarded))

    def read_df(
        self, cypher: LiteralString, params: Params | None = None, *, timeout: float | None = None
    ) -> pd.DataFrame:
        """Like :meth:`read`, as a pandas DataFrame."""
        return pd.DataFrame(self.read(cypher, params, timeout=timeout))

    def write(
        self, cypher: LiteralString, params: Params | None = None, *, timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """Run ``cypher`` in a managed WRITE transaction (retried on transient errors)."""
        work = _unit_of_work(cypher, params, timeout)
        with _translated_errors(self.uri, self.user), self.session() as session:
            return session.execute_write(work)

    def run_autocommit(self, cypher: LiteralString, params: Params | None = None) -> None:
        """Run schema commands and ``CALL {} IN TRANSACTIONS``, which need auto-commit."""
        with _translated_errors(self.uri, self.user), self.session() as session:
            session.run(cypher, params or {}).consume()

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
