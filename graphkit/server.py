"""The managed local Neo4j: provision from Maven Central, start, stop, status, logs, reset.

Neo4j Community, APOC core and the open-source Graph Data Science library are resolved once
by Maven into a shared cache
(``$GRAPHKIT_CACHE``, default ``~/.cache/graphkit``); each instance keeps its own conf,
data, logs and password under ``<home>/instance``. The server listens on loopback only,
with auth on and a generated password in a file only the user can read (it never appears
on a command line).

>>> server = ManagedServer(load_settings(env={}))                 # doctest: +SKIP
>>> server.start()                                               # doctest: +SKIP
'bolt://127.0.0.1:7687'
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from graphkit.config import Settings, load_settings
from graphkit.errors import ServerError

SERVER_MAIN = "org.neo4j.server.startup.Neo4jCommand"
ADMIN_MAIN = "org.neo4j.server.startup.Neo4jAdminCommand"
BOLT_WAIT_S = 180

POM_TEMPLATE = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>graphkit.provision</groupId><artifactId>{artifact}</artifactId><version>1</version>
  <dependencies>{dependencies}</dependencies>
</project>
"""
DEPENDENCY = (
    "<dependency><groupId>{}</groupId><artifactId>{}</artifactId><version>{}</version></dependency>"
)


def cache_dir() -> Path:
    """Where provisioned Neo4j distributions live (shared by every instance)."""
    return Path(os.environ.get("GRAPHKIT_CACHE", Path.home() / ".cache" / "graphkit")).expanduser()


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    bolt_uri: str
    version: str | None
    apoc_version: str | None
    gds_version: str | None
    data_dir: Path

    def lines(self) -> list[str]:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return [
            f"state:    {state}",
            f"version:  Neo4j {self.version or '-'} Community",
            f"apoc:     {self.apoc_version or '-'}",
            f"gds:      {self.gds_version or '-'}",
            f"bolt:     {self.bolt_uri}",
            f"data:     {self.data_dir}",
        ]


class ManagedServer:
    """One local Neo4j instance under ``settings.home``."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        s = self.settings
        tag = f"neo4j-{s.neo4j_version}-apoc-{s.apoc_version}-gds-{s.gds_version}"
        self.dist = cache_dir() / tag
        self.instance = Path(self.settings.home).expanduser() / "instance"
        self.conf_dir = self.instance / "conf"
        self.data_dir = self.instance / "data"
        self.logs_dir = self.instance / "logs"
        self.password_file = self.instance / "password"

    # --- connection details -------------------------------------------------------------
    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.settings.bolt_port}"

    def password(self) -> str:
        """The generated password (raises if the server was never started here)."""
        if not self.password_file.is_file():
            raise ServerError(
                f"no managed Neo4j has been set up in {self.instance}",
                hint="run `graphkit neo4j start`, or set NEO4J_URI/NEO4J_PASSWORD",
            )
        return self.password_file.read_text().strip()

    # --- provisioning -------------------------------------------------------------------
    @property
    def provisioned(self) -> bool:
        return (self.dist / ".complete").is_file()

    def provision(self, echo=print) -> None:
        """Resolve Neo4j, APOC and GDS from Maven Central into the cache, once.

        GDS needs ``opengds-extension`` beside ``proc`` (without it the server refuses to
        start). Plugin dependencies the server already ships are left out.
        """
        if self.provisioned:
            return
        java = _require_tool("java", "Java 17+ (e.g. `apt-get install openjdk-17-jre-headless`)")
        _check_java_version(java)
        mvn = _require_tool("mvn", "Maven (e.g. `apt-get install maven`)")
        s = self.settings
        version, apoc, gds = s.neo4j_version, s.apoc_version, s.gds_version
        echo(f"Provisioning Neo4j {version} Community + APOC {apoc} + GDS {gds} from Maven Central")
        staging = Path(tempfile.mkdtemp(prefix="graphkit-dist-", dir=_ensure(self.dist.parent)))
        server = [("org.neo4j", "neo4j", version)]
        plugins = [("org.neo4j.procedure", a, apoc) for a in ("apoc-core", "apoc-common")] + [
            ("org.neo4j.gds", a, gds) for a in ("opengds-extension", "proc")
        ]
        _maven_copy(mvn, "neo4j-server", server, staging / "lib")
        _maven_copy(mvn, "plugins", plugins, staging / "plugins")
        shipped = server_shipped(
            [p.name for p in (staging / "lib").glob("*.jar")],
            [p.name for p in (staging / "plugins").glob("*.jar")],
        )
        for name in shipped:
            (staging / "plugins" / name).unlink()  # two copies on one classpath would clash
        kept = len(list((staging / "plugins").glob("*.jar")))
        echo(f"Plugins: {kept} jars; left out {len(shipped)} the server already ships: "
             + ", ".join(shipped))  # fmt: skip
        (staging / ".complete").write_text(f"neo4j {version}\napoc {apoc}\ngds {gds}\n")
        shutil.rmtree(self.dist, ignore_errors=True)
        staging.rename(self.dist)
        echo(f"Cached in {self.dist}")

    # --- lifecycle ----------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(NEO4J_HOME=str(self.instance), NEO4J_CONF=str(self.conf_dir))
        env.pop("JAVA_OPTS", None)
        return env

    def _java(self, main: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = ["java", "-cp", f"{self.dist / 'lib'}/*", main, *args]
        done = subprocess.run(command, env=self._env(), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise ServerError(
                f"`{main.rsplit('.', 1)[-1]} {' '.join(args[:2])}` failed "
                f"(exit {done.returncode}): {_tail(done.stdout + done.stderr)}",
                hint=f"see `graphkit neo4j logs` ({self.logs_dir})",
            )
        return done

    def write_config(self) -> None:
        for sub in ("conf", "data", "logs", "run", "import"):
            _ensure(self.instance / sub)
        s = self.settings
        config = {
            "server.directories.lib": self.dist / "lib",
            "server.directories.plugins": self.dist / "plugins",
            "server.directories.data": self.data_dir,
            "server.directories.logs": self.logs_dir,
            "server.directories.run": self.instance / "run",
            "server.directories.import": self.instance / "import",
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{s.bolt_port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.heap.initial_size": s.heap,
            "server.memory.heap.max_size": s.heap,
            "server.memory.pagecache.size": s.pagecache,
            "db.transaction.timeout": "0s",
            "dbms.security.procedures.unrestricted": "apoc.*,gds.*",
            "dbms.security.procedures.allowlist": "apoc.*,gds.*",
            "server.jvm.additional": "-XX:+UseG1GC",
            "dbms.usage_report.enabled": "false",
        }
        text = "".join(f"{key}={value}\n" for key, value in config.items())
        (self.conf_dir / "neo4j.conf").write_text(
            "# Written by graphkit on every start; edit settings via graphkit config instead.\n"
            + text
        )

    def as_started(self) -> Settings:
        """These settings with the heap and page cache the server was last started with, so
        that a restart keeps them.

        >>> ManagedServer(Settings(home=Path("/nonexistent"))).as_started().heap
        '2g'
        """
        try:
            lines = (self.conf_dir / "neo4j.conf").read_text().splitlines()
        except OSError:
            return self.settings
        conf = dict(line.split("=", 1) for line in lines if "=" in line)
        return self.settings.model_copy(
            update={"heap": conf.get("server.memory.heap.max_size", self.settings.heap),
                    "pagecache": conf.get("server.memory.pagecache.size", self.settings.pagecache)}
        )  # fmt: skip

    def _pid(self) -> int | None:
        pid_file = self.instance / "run" / "neo4j.pid"
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def is_running(self) -> bool:
        return self._pid() is not None

    def start(self, echo=print) -> str:
        """Start (provisioning first if needed); return once Bolt answers. Idempotent."""
        if self.is_running():
            self._wait_for_bolt()
            echo(f"Neo4j already running at {self.bolt_uri}")
            return self.bolt_uri
        if _port_in_use(self.settings.bolt_port):
            raise ServerError(
                f"port {self.settings.bolt_port} is taken by another process",
                hint="stop that process or set GRAPHKIT_BOLT_PORT to a free port",
            )
        self.provision(echo)
        self.write_config()
        if not (self.data_dir / "databases" / "system").exists():
            if not self.password_file.is_file():
                self.password_file.touch(mode=0o600)
                self.password_file.write_text(new_password() + "\n")
            # "@file": neo4j-admin (picocli) reads its arguments from the 0600 file, so the
            # password is on no command line.
            self._java(ADMIN_MAIN, "dbms", "set-initial-password", f"@{self.password_file}")
        self.password_file.chmod(0o600)
        echo(f"Starting Neo4j {self.settings.neo4j_version} ...")
        self._java(SERVER_MAIN, "start")
        self._wait_for_bolt()
        echo(f"Neo4j is up: {self.bolt_uri} (user neo4j, password in {self.password_file})")
        return self.bolt_uri

    def _wait_for_bolt(self) -> None:
        deadline = time.monotonic() + BOLT_WAIT_S
        while time.monotonic() < deadline:
            if not self.is_running():
                raise ServerError(
                    f"Neo4j exited during startup: {_tail(self.log_text(), 12)}",
                    hint=f"read {self.logs_dir / 'neo4j.log'}",
                )
            if self._query_components() is not None:
                return
            time.sleep(0.5)
        raise ServerError(
            f"Neo4j did not answer on {self.bolt_uri} within {BOLT_WAIT_S}s",
            hint="see `graphkit neo4j logs`",
        )

    def _query_components(self) -> tuple[str, str | None, str | None] | None:
        """(Neo4j, APOC, GDS) versions from the running server; None while it does not answer."""
        from neo4j import GraphDatabase
        from neo4j import exceptions as neo4j_errors

        def plugin_version(driver, plugin: str) -> str | None:
            try:
                records, _, _ = driver.execute_query(f"RETURN {plugin}.version() AS v")
            except neo4j_errors.ClientError:
                return None
            return records[0]["v"]

        try:
            with GraphDatabase.driver(
                self.bolt_uri, auth=("neo4j", self.password()), connection_timeout=3
            ) as driver:
                records, _, _ = driver.execute_query(
                    "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                    database_="system",
                )
                plugins = plugin_version(driver, "apoc"), plugin_version(driver, "gds")
                return records[0]["v"], *plugins
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError, ServerError):
            return None

    def stop(self, echo=print) -> None:
        """Stop the server and wait until the Bolt port is free. Idempotent."""
        if not self.is_running():
            echo("Neo4j is not running")
            return
        self._java(SERVER_MAIN, "stop")
        deadline = time.monotonic() + 60
        while _port_in_use(self.settings.bolt_port) and time.monotonic() < deadline:
            time.sleep(0.2)
        echo("Neo4j stopped")

    def status(self) -> Status:
        running = self.is_running()
        components = self._query_components() if running else None
        version, apoc, gds = components if components else (self._dist_version(), None, None)
        return Status(running, self._pid(), self.bolt_uri, version, apoc, gds, self.data_dir)

    def _dist_version(self) -> str | None:
        return self.settings.neo4j_version if self.provisioned else None

    def reset(self, echo=print) -> None:
        """Stop, wipe data (and the password it guarded) and start again empty."""
        was_running = self.is_running()
        self.stop(echo)
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.password_file.unlink(missing_ok=True)
        echo(f"Wiped {self.data_dir}")
        if was_running:
            self.start(echo)

    def log_text(self) -> str:
        log = self.logs_dir / "neo4j.log"
        return log.read_text(errors="replace") if log.is_file() else ""

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``neo4j-admin`` with this instance's config (e.g. ``database import full``)."""
        return self._java(ADMIN_MAIN, *args)


# --- helpers -------------------------------------------------------------------------------
def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_password() -> str:
    """A random password that ``neo4j-admin`` cannot mistake for an option (no leading ``-``).

    >>> all(not new_password().startswith("-") for _ in range(1000))
    True
    """
    return "gk" + secrets.token_urlsafe(24)


def _tail(text: str, lines: int = 6) -> str:
    return " | ".join(line for line in text.strip().splitlines()[-lines:] if line.strip())


def _coordinate(jar: str) -> str:
    """The ``groupId.artifactId`` of a jar that Maven copied with its group prepended.

    >>> _coordinate("org.neo4j.gds.neo4j-values-2.13.9.jar")
    'org.neo4j.gds.neo4j-values'
    """
    return re.sub(r"-\d[\w.\-]*\.jar$", "", jar)


def server_shipped(server_jars: list[str], plugin_jars: list[str]) -> list[str]:
    """The plugin jars whose groupId:artifactId the server already ships (in any version).

    Matching on the group too keeps plugin jars that only share an artifact name with one of
    the server's (GDS's ``org.neo4j.gds:neo4j-values`` is not ``org.neo4j:neo4j-values``).

    >>> server_shipped(["org.neo4j.neo4j-values-5.26.19.jar"],
    ...                ["org.neo4j.gds.neo4j-values-2.13.9.jar", "org.neo4j.neo4j-values-5.1.jar"])
    ['org.neo4j.neo4j-values-5.1.jar']
    """
    shipped = {_coordinate(name) for name in server_jars}
    return sorted(name for name in plugin_jars if _coordinate(name) in shipped)


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _require_tool(name: str, what: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ServerError(f"`{name}` was not found on PATH", hint=f"install {what}")
    return path


def _check_java_version(java: str) -> None:
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    if match is None or int(match.group(1)) < 17:
        raise ServerError(
            f"Neo4j 5.26 needs Java 17 or later; found: {_tail(out, 1) or 'unknown'}",
            hint="install openjdk-17-jre-headless and put it first on PATH",
        )


def _maven_copy(mvn: str, artifact: str, coords: list[tuple[str, str, str]], out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="graphkit-pom-") as tmp:
        pom = Path(tmp) / "pom.xml"
        deps = "".join(DEPENDENCY.format(*c) for c in coords)
        pom.write_text(POM_TEMPLATE.format(artifact=artifact, dependencies=deps))
        command = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
                   f"-DoutputDirectory={out}", "-DincludeScope=runtime",
                   "-Dmdep.prependGroupId=true"]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        missing = ", ".join(":".join(c) for c in coords)
        raise ServerError(
            f"Maven could not resolve {missing}: {_tail(done.stdout + done.stderr, 4)}",
            hint="check that Maven Central is reachable (proxy settings in ~/.m2/settings.xml) "
            "and that GRAPHKIT_NEO4J_VERSION / GRAPHKIT_APOC_VERSION / GRAPHKIT_GDS_VERSION "
            "name published versions",
        )
