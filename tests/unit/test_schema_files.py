"""The schema files cover every node key of the graph model."""

import re

from graphkit import schema
from graphkit.graphmodel import NODE_KEYS


def test_one_uniqueness_constraint_per_node_key() -> None:
    pattern = re.compile(r"FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE")
    found = [pattern.search(s).groups() for s in schema.statements() if "CONSTRAINT" in s]
    assert {label: key for label, key in found if label in NODE_KEYS} == NODE_KEYS
    assert len(found) == len(set(found))


def test_every_statement_is_idempotent() -> None:
    assert all("IF NOT EXISTS" in s for s in schema.statements())
