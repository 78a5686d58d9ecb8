"""A second, throwaway managed instance: start twice, status, stop twice, port freed."""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graphkit.config import GDS_VERSION, load_settings
from graphkit.server import ManagedServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphkit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "graphkit", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_cli_lifecycle_is_idempotent_and_truthful(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(GRAPHKIT_HOME=str(tmp_path), GRAPHKIT_BOLT_PORT=str(port), GRAPHKIT_HEAP="512m",
               GRAPHKIT_PAGECACHE="256m")  # fmt: skip
    try:
        first = _graphkit(env, "neo4j", "start")
        assert first.returncode == 0, first.stderr
        assert f"bolt://127.0.0.1:{port}" in first.stdout
        second = _graphkit(env, "neo4j", "start")
        assert "already running" in second.stdout

        status = _graphkit(env, "neo4j", "status")
        assert status.returncode == 0
        assert "running" in status.stdout and "Neo4j 5.26." in status.stdout
        assert "apoc:     5.26" in status.stdout
        assert f"gds:      {GDS_VERSION}" in status.stdout
        assert str(tmp_path / "instance" / "data") in status.stdout
        password = (tmp_path / "instance" / "password").read_text().strip()
        assert password not in first.stdout + first.stderr + status.stdout

        stopped = _graphkit(env, "neo4j", "stop")
        assert stopped.returncode == 0
        assert _port_free(port)
        after = _graphkit(env, "neo4j", "status")
        assert after.returncode == 3 and "stopped" in after.stdout
        assert "not running" in _graphkit(env, "neo4j", "stop").stdout
    finally:
        _graphkit(env, "neo4j", "stop")


def _command_lines() -> dict[int, str]:
    """Every readable process's command line, by pid."""
    lines = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            lines[int(cmdline.parent.name)] = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # the process ended while we looked
    return lines


def test_the_password_is_on_no_command_line(tmp_path: Path) -> None:
    """Every process seen while a fresh instance starts (neo4j-admin's launcher and the JVM it
    spawns, the server) is read from /proc; none carries the password."""
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            seen.update(_command_lines().values())

    env = {"GRAPHKIT_HOME": str(tmp_path), "GRAPHKIT_BOLT_PORT": str(_free_port()),
           "GRAPHKIT_HEAP": "512m", "GRAPHKIT_PAGECACHE": "256m"}  # fmt: skip
    server = ManagedServer(load_settings(env=env))
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        server.start(echo=lambda *_: None)
        running = _command_lines()
        password, pid = server.password(), server.status().pid
    finally:
        done.set()
        watcher.join()
        server.stop(echo=lambda *_: None)
    assert pid is not None and "org.neo4j" in running[pid]  # the server's own command line
    assert any("AdminTool dbms set-initial-password" in line for line in seen)  # and the admin's
    assert not any(password in line for line in seen | set(running.values()))  # (not shown)


def test_neo4j_commands_refuse_an_external_uri(tmp_path: Path) -> None:
    env = dict(os.environ, NEO4J_URI="bolt://db.example:7687", GRAPHKIT_HOME=str(tmp_path))
    done = _graphkit(env, "neo4j", "start")
    assert done.returncode == 2
    assert "unset NEO4J_URI" in done.stderr
