"""Every canned query: header schema, EXPLAIN against live Neo4j, fixture graph vs `.expected`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, LiteralString, cast

import pytest
import yaml

from graphkit.db import Database
from graphkit.graphmodel import CURRENT, HISTORY_RELS, IDENTIFIERS
from graphkit.packs import catalog, run
from graphkit.packs.output import render
from graphkit.packs.runner import check_cost

PACK_TESTS = Path(__file__).resolve().parent
PARAMS_PREFIX = "// params:"
IDENTIFIER_RELS = [i.rel_type for i in IDENTIFIERS.values()]
KIND_MAP = re.compile(r"\{(USED_DEVICE: '\w+'(?:,\s*\w+: '\w+')*)\}")
QUERY_IDS = sorted(catalog.load())


def load_fixture(db: Database, path: Path) -> dict[str, Any]:
    """Run a fixture script (statements separated by ';') and return its declared params."""
    lines = path.read_text().splitlines()
    params = {}
    if lines and lines[0].startswith(PARAMS_PREFIX):
        params = yaml.safe_load(lines[0].removeprefix(PARAMS_PREFIX)) or {}
    body = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
    for statement in (s.strip() for s in body.split(";")):
        if statement:
            db.write(cast(LiteralString, statement))
    return params


def test_catalog_headers_are_valid_and_ids_unique() -> None:
    queries = catalog.load()
    assert len(queries) >= 10
    assert all(q.meta.description.strip() and q.meta.title for q in queries.values())


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_every_query_respects_benign_and_degree_cap(query_id: str) -> None:
    query = catalog.get(query_id)
    if any(rel in query.cypher for rel in IDENTIFIER_RELS) or query.meta.output == "subgraph":
        assert "max_identifier_degree" in query.meta.params
        assert re.search(r"NOT coalesce\(\w+\.benign, false\)", query.cypher)


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_identifier_patterns_agree_with_the_graph_model(query_id: str) -> None:
    """Cypher keeps its literal patterns; they must name the model's six identifier types,
    and a relationship-type-to-kind map must be the model's."""
    cypher = catalog.get(query_id).cypher
    for pattern in re.findall(r"\[\w*:((?:USED_DEVICE|PAID_WITH|\w+)(?:\|\w+)+)[ \]]", cypher):
        if any(rel in pattern for rel in IDENTIFIER_RELS):
            assert sorted(pattern.split("|")) == sorted(IDENTIFIER_RELS), pattern
    for body in KIND_MAP.findall(cypher):
        pairs = dict(item.replace("'", "").split(": ") for item in re.split(r",\s*", body))
        assert pairs == {i.rel_type: i.kind for i in IDENTIFIERS.values()}


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_queries_read_current_links_unless_their_header_says_history(query_id: str) -> None:
    """Every pattern over a type that keeps history (graphmodel.HISTORY_RELS) reads current
    links (``WHERE x.valid_to IS NULL``), and identifier degrees count current links, unless
    the header says ``history: true`` (and the description says how)."""
    query = catalog.get(query_id)
    if query.meta.history:
        assert "History:" in query.meta.description
        return
    for var, types, _ in re.findall(r"\[(\w*):([A-Z_|]+)([^\]]*)\]", query.cypher):
        if set(types.split("|")) & set(HISTORY_RELS):
            assert var and f"WHERE {var}.{CURRENT}" in query.cypher, (var, types)
    assert "<--()" not in query.cypher and "--()" not in query.cypher


@pytest.mark.integration
@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_explain(db: Database, query_id: str) -> None:
    query = catalog.get(query_id)
    defaults = {name: spec.default for name, spec in query.meta.params.items()}
    assert check_cost(db, query, defaults, limit=10**12) >= 0


def _paths(query_id: str) -> tuple[Path, Path]:
    pack, name = query_id.split(".", 1)
    return PACK_TESTS / pack / f"{name}.fixture.cypher", PACK_TESTS / pack / f"{name}.expected"


@pytest.mark.integration
@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_query_on_fixture(db: Database, query_id: str, accept: bool) -> None:
    fixture, expected = _paths(query_id)
    assert fixture.exists(), f"missing fixture graph {fixture}"
    params = load_fixture(db, fixture)
    actual = render(run(query_id, db, **params), "json") + "\n"
    if accept or not expected.exists():
        expected.write_text(actual)
        if not accept:
            pytest.fail(f"wrote {expected}: review it, then re-run")
    assert actual == expected.read_text()
