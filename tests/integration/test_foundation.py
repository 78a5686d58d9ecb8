"""The managed Neo4j, the schema and the error messages, against the live server."""

import socket
import subprocess
from pathlib import Path

import pytest

from graphkit import schema
from graphkit.config import load_settings
from graphkit.db import Database, QueryFailed
from graphkit.errors import ConnectionFailed
from graphkit.server import ManagedServer

pytestmark = pytest.mark.integration


def _count_servers(server: ManagedServer) -> int:
    """How many Neo4j JVMs run with this instance's home directory."""
    mine = f"--home-dir={server.instance}".encode()
    count = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue  # the process ended while we looked
        count += b"org.neo4j.server.CommunityEntryPoint" in args and mine in args
    return count


def test_status_reports_version_bolt_and_apoc(neo4j_server: ManagedServer, database) -> None:
    status = neo4j_server.status()
    assert status.running
    assert status.version and status.version.startswith("5.26.")
    assert status.apoc_version and status.apoc_version.startswith("5.26")
    assert status.bolt_uri == neo4j_server.bolt_uri


def test_start_twice_leaves_one_server(neo4j_server: ManagedServer) -> None:
    before = neo4j_server.status().pid
    assert neo4j_server.start(echo=lambda *_: None) == neo4j_server.bolt_uri
    assert neo4j_server.status().pid == before
    assert _count_servers(neo4j_server) == 1


def test_password_file_is_private(neo4j_server: ManagedServer) -> None:
    assert neo4j_server.password_file.stat().st_mode & 0o077 == 0


def test_listens_on_loopback_only(neo4j_server: ManagedServer) -> None:
    port = neo4j_server.settings.bolt_port
    ss = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    listeners = [
        line.split()[3] for line in ss.splitlines() if line.split()[3].endswith(f":{port}")
    ]
    assert listeners and all(
        addr.startswith(("127.0.0.1", "[::ffff:127.0.0.1]")) for addr in listeners
    )


def test_schema_apply_twice_is_idempotent(database: Database) -> None:
    schema.apply(database)
    first = schema.show(database)
    schema.apply(database)
    second = schema.show(database)
    assert first["name"].tolist() == second["name"].tolist()
    constraints = first[first["kind"] == "constraint"]
    keyed = {
        (on[0], props[0])
        for on, props in zip(constraints["on"], constraints["properties"], strict=True)
    }
    assert ("Seller", "seller_id") in keyed and ("PaymentInstrument", "token") in keyed
    assert len(constraints) == len(keyed)


def test_constraint_violation_is_a_clear_error(db: Database) -> None:
    db.write("CREATE (:Seller {seller_id: 'S1'})")
    with pytest.raises(QueryFailed, match="constraint violated") as info:
        db.write("CREATE (:Seller {seller_id: $id})", {"id": "S1"})
    assert "MERGE" in (info.value.hint or "")


def test_read_transactions_refuse_writes(db: Database) -> None:
    with pytest.raises(QueryFailed):
        db.read("CREATE (:Seller {seller_id: 'S9'})")
    assert db.read("MATCH (s:Seller) RETURN count(s) AS n")[0]["n"] == 0


def test_wrong_password_names_user_not_password(neo4j_server: ManagedServer) -> None:
    env = {"NEO4J_URI": neo4j_server.bolt_uri, "NEO4J_PASSWORD": "definitely-wrong-pw"}
    with Database(load_settings(env=env)) as db, pytest.raises(ConnectionFailed) as info:
        db.verify()
    assert "refused the credentials" in str(info.value)
    assert "definitely-wrong-pw" not in str(info.value)


def test_unreachable_server_says_how_to_start_it() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "x"}
    with Database(load_settings(env=env)) as db, pytest.raises(ConnectionFailed) as info:
        db.verify()
    assert "graphkit neo4j start" in (info.value.hint or "")


def test_malformed_uri_is_a_clear_error() -> None:
    with pytest.raises(ConnectionFailed, match="invalid NEO4J_URI"):
        Database(load_settings(env={"NEO4J_URI": "http//nope", "NEO4J_PASSWORD": "x"}))
