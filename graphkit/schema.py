"""Constraints and indexes, applied idempotently from ``cypher/schema/*.cypher``.

>>> [s.split(" IF")[0] for s in statements()][:1]
['CREATE CONSTRAINT seller_key']
"""

from __future__ import annotations

from pathlib import Path
from typing import LiteralString, cast

import pandas as pd

from graphkit.db import Database

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "cypher" / "schema"
FILES = ("constraints.cypher", "indexes.cypher")


def statements(schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """The schema statements, in file order, comments stripped."""
    found: list[str] = []
    for name in FILES:
        lines = [
            line
            for line in (schema_dir / name).read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("//")
        ]
        found += [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
    return found


def apply(db: Database) -> int:
    """Create every constraint and index that is missing, then wait for indexes to be online.

    Returns how many statements ran (all are ``IF NOT EXISTS``, so re-running is harmless).
    """
    schema = statements()
    for statement in schema:
        db.run_autocommit(cast(LiteralString, statement))
    db.run_autocommit("CALL db.awaitIndexes(300)")
    return len(schema)


def show(db: Database) -> pd.DataFrame:
    """Constraints and indexes that exist now, one row each."""
    constraints = db.read_df(
        "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties "
        "RETURN 'constraint' AS kind, name, type, labelsOrTypes AS on, properties"
    )
    indexes = db.read_df(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, owningConstraint "
        "WHERE owningConstraint IS NULL AND type <> 'LOOKUP' "
        "RETURN 'index' AS kind, name, type, labelsOrTypes AS on, properties, state"
    )
    return pd.concat([constraints, indexes], ignore_index=True)
