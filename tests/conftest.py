"""Shared fixtures: a live managed Neo4j (started once per session) and a live PostgreSQL.

Integration tests never skip: if Neo4j or PostgreSQL cannot start, the fixture fails loudly.
Each test that takes ``db`` gets an empty graph with the schema applied.
Set ``GRAPHKIT_HOME`` and ``GRAPHKIT_BOLT_PORT`` to run several test sessions side by side.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit import demo_data, schema
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.server import ManagedServer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def neo4j_server() -> ManagedServer:
    settings = load_settings()
    server = ManagedServer(settings)
    if settings.managed:
        server.start(echo=lambda *_: None)
    return server


@pytest.fixture(scope="session")
def database(neo4j_server: ManagedServer) -> Iterator[Database]:
    with Database(neo4j_server.settings) as db:
        db.verify()
        schema.apply(db)
        yield db


def wipe(db: Database) -> None:
    """Delete every node and relationship (schema stays)."""
    db.run_autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


@pytest.fixture
def db(database: Database) -> Database:
    """The live database, emptied before the test."""
    wipe(database)
    return database


@pytest.fixture
def small_marketplace(database: Database) -> Path:
    """The graph holds the ``small`` synthetic marketplace (seed 7); returns its data directory.

    Loaded once and reused: tests that take this fixture run last (see
    ``pytest_collection_modifyitems``), so no ``db`` wipe comes between them.
    """
    out_dir = demo_data.default_dir(database)
    if not demo_data.is_loaded(database, out_dir):
        wipe(database)
        demo_data.ensure_small_marketplace(database, out_dir, echo=lambda *_: None)
    return out_dir


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the tests that share the loaded small marketplace to the end (stable order)."""
    items.sort(key=lambda item: "small_marketplace" in getattr(item, "fixturenames", ()))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        pytest.fail("PostgreSQL server binaries not found: apt-get install postgresql")
    return candidates[0].parent


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback; yields a DSN to database ``marketplace``."""
    bin_dir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="graphkit-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = root / "data"

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, text=True)

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    run(
        str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "pg.log"), "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )  # fmt: skip
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
            "marketplace")  # fmt: skip
        yield f"postgresql://postgres@127.0.0.1:{port}/marketplace"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(root, ignore_errors=True)
