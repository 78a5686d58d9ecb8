"""Query-pack tests: each query runs over its fixture graph and must match its `.expected`.

Layout: ``tests/packs/<pack>/<query>.fixture.cypher`` (a CREATE script; an optional first
line ``// params: {name: value}`` gives the parameters) and ``<query>.expected`` (the
sorted JSON rows that ``graphkit query run ID --format json`` prints).

Accept new results after a deliberate change with ``GRAPHKIT_ACCEPT=1 pytest tests/packs``.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def accept() -> bool:
    """True when expected files should be (re)written instead of compared."""
    return os.environ.get("GRAPHKIT_ACCEPT", "") not in ("", "0")
