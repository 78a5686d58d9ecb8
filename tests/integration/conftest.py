"""Fixtures shared by the integration tests (the live-server fixtures are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import LiteralString, cast

import pytest

from graphkit.db import Database

SWEEP_FIXTURE = Path(__file__).with_name("sweep_fixture.cypher")


@pytest.fixture
def marketplace(db: Database) -> Database:
    """An empty graph with the hand-made sweep fixture (sweep_fixture.cypher) written into it."""
    lines = SWEEP_FIXTURE.read_text().splitlines()
    body = "\n".join(line for line in lines if not line.startswith("//"))
    for statement in filter(str.strip, body.split(";")):
        db.write(cast(LiteralString, statement))
    return db
