"""Run a canned query: validate its parameters, check its cost, fetch at most ``max_rows``.

Queries run in READ transactions (Neo4j refuses writes there) with the header's
``timeout_s`` as the transaction timeout, and with parameters only: the Cypher text is
exactly the file's. Before running, ``EXPLAIN`` asks the planner for its row estimates;
a plan whose largest operator estimate exceeds ``max_estimated_rows`` is refused unless
``force=True``.

>>> frame = run("identity.shared-identifier", identifier="device")   # doctest: +SKIP
>>> frame.attrs["truncated"]                                          # doctest: +SKIP
False
"""

from __future__ import annotations

import logging
import weakref
from typing import Any, LiteralString, cast

import neo4j
import neo4j.time
import pandas as pd

from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.packs import catalog, params
from graphkit.packs.result import Subgraph

log = logging.getLogger(__name__)


class CostRefused(GraphkitError):
    """The planner expects the query to touch too many rows."""


def estimated_rows(plan: dict[str, Any]) -> float:
    """The largest ``EstimatedRows`` of any operator in an EXPLAIN plan tree.

    >>> estimated_rows({"args": {"EstimatedRows": 3.0},
    ...                 "children": [{"args": {"EstimatedRows": 9e6}, "children": []}]})
    9000000.0
    """
    own = float(plan.get("args", {}).get("EstimatedRows", 0.0))
    return max([own, *(estimated_rows(child) for child in plan.get("children", []))])


def _native(value: Any) -> Any:
    """Neo4j temporal values as Python ones (lists too), so pandas and JSON understand them."""
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date | neo4j.time.Time):
        return value.to_native()
    if isinstance(value, list):
        return [_native(item) for item in value]
    if isinstance(value, dict):
        return {key: _native(item) for key, item in value.items()}
    return value


#: Planner estimates per database and query id. Neo4j plans parameters as unknowns, so an
#: estimate does not depend on parameter values; one EXPLAIN per query per connection will do.
_estimates: weakref.WeakKeyDictionary[Database, dict[str, float]] = weakref.WeakKeyDictionary()


def check_cost(db: Database, query: catalog.Query, values: dict, limit: int) -> float:
    """EXPLAIN the query; raise CostRefused when the plan estimates more than ``limit`` rows."""
    cypher = cast(LiteralString, "EXPLAIN " + query.cypher)

    def explain(tx: neo4j.ManagedTransaction) -> dict[str, Any]:
        plan = tx.run(cypher, values).consume().plan
        assert plan is not None
        return plan

    known = _estimates.setdefault(db, {})
    if query.id not in known:
        plan = db.read_with(explain, notifications_min_severity="OFF")
        known[query.id] = estimated_rows(plan)
    estimate = known[query.id]
    if estimate > limit:
        raise CostRefused(
            f"{query.id}: the planner estimates {estimate:,.0f} rows, over the limit of {limit:,}",
            hint="narrow the parameters (e.g. lower max_identifier_degree) or pass --force",
        )
    return estimate


Fetched = tuple[list[str], list[neo4j.Record], bool]


def _fetch(db: Database, query: catalog.Query, values: dict, cap: int, timeout_s: float) -> Fetched:
    """Run in a READ transaction of at most ``timeout_s``: the column names, up to ``cap``
    records, and whether more existed (then the rest is never fetched)."""
    cypher = cast(LiteralString, query.cypher)

    def work(tx: neo4j.ManagedTransaction) -> Fetched:
        result = tx.run(cypher, values)
        records: list[neo4j.Record] = []
        for record in result:
            if len(records) == cap:
                return list(result.keys()), records, True
            records.append(record)
        return list(result.keys()), records, False

    return db.read_with(work, timeout=timeout_s, notifications_min_severity="OFF")


def run(
    query_id: str | catalog.Query,
    db: Database | None = None,
    *,
    force: bool = False,
    max_estimated_rows: int | None = None,
    max_rows: int | None = None,
    timeout_s: float | None = None,
    **given: Any,
) -> pd.DataFrame | Subgraph:
    """Run the canned query ``query_id`` (an id, or a parsed Query) with ``given`` parameters.

    Returns a DataFrame (``output: table``) or a :class:`Subgraph` (``output: subgraph``);
    either way ``.attrs["truncated"]`` says whether the row cap cut the result short and
    ``.attrs["max_rows"]`` what the cap was: ``max_rows``, else the query header's.
    ``timeout_s`` replaces the header's transaction timeout (batch jobs over the whole graph).
    """
    query = query_id if isinstance(query_id, catalog.Query) else catalog.get(query_id)
    values = params.validate(query.id, query.meta.params, given)
    if db is None:
        with Database() as own:
            return run(query, own, force=force, max_estimated_rows=max_estimated_rows,
                       max_rows=max_rows, timeout_s=timeout_s, **values)  # fmt: skip
    if not force:
        check_cost(db, query, values, max_estimated_rows or query.meta.max_estimated_rows)
    cap = max_rows or query.meta.max_rows
    columns, records, truncated = _fetch(db, query, values, cap, timeout_s or query.meta.timeout_s)
    if truncated:
        log.warning("%s: truncated at max_rows=%d (raise it with --max-rows)", query.id, cap)
    result: pd.DataFrame | Subgraph
    if query.meta.output == "subgraph":
        result = Subgraph.from_values(value for record in records for value in record.values())
    else:
        rows = [{key: _native(value) for key, value in record.items()} for record in records]
        result = pd.DataFrame(rows, columns=columns)
    result.attrs.update(query_id=query.id, params=values, truncated=truncated, max_rows=cap)
    return result
