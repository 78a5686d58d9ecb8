"""`graphkit neo4j ...` and `graphkit schema ...`."""

from __future__ import annotations

import typer
from rich.table import Table

from graphkit import schema as schema_mod
from graphkit.cli.app import friendly_errors, group, out
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.errors import ServerError
from graphkit.server import ManagedServer

neo4j_app = group(
    "neo4j",
    "Run graphkit's own local Neo4j 5.26 Community + APOC + GDS (loopback only, auth on).\n\n"
    "Examples: `graphkit neo4j start`, `graphkit neo4j status`, `graphkit neo4j reset --yes`",
)
schema_app = group(
    "schema",
    "Constraints and indexes from cypher/schema/.\n\nExamples: `graphkit schema apply`",
)


def _server() -> ManagedServer:
    settings = load_settings()
    if not settings.managed:
        raise ServerError(
            f"NEO4J_URI is set ({settings.uri}); `graphkit neo4j` manages only the local server",
            hint="unset NEO4J_URI to use the managed server",
        )
    return ManagedServer(settings)


@neo4j_app.command()
@friendly_errors
def start() -> None:
    """Provision (first time: download from Maven Central) and start; returns once Bolt answers.

    Running it again while the server is up does nothing and prints the URI.
    """
    uri = _server().start(echo=out.print)
    out.print(uri)


@neo4j_app.command()
@friendly_errors
def stop() -> None:
    """Stop the server and wait until the Bolt port is free."""
    _server().stop(echo=out.print)


@neo4j_app.command()
@friendly_errors
def status() -> None:
    """Say whether the server runs, its version, APOC and GDS versions, Bolt URI, data directory."""
    state = _server().status()
    for line in state.lines():
        out.print(line, highlight=False)
    raise typer.Exit(0 if state.running else 3)


@neo4j_app.command()
@friendly_errors
def logs(lines: int = typer.Option(40, "--lines", "-n", help="How many lines to show.")) -> None:
    """Show the end of the server's neo4j.log."""
    text = _server().log_text().splitlines()
    out.print("\n".join(text[-lines:]) or "(no log yet)", highlight=False, markup=False)


@neo4j_app.command()
@friendly_errors
def reset(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask.")) -> None:
    """Wipe all data (and the generated password), then start empty if it was running."""
    server = _server()
    if not yes:
        typer.confirm(f"Delete every node in {server.data_dir}?", abort=True)
    server.reset(echo=out.print)


@schema_app.command("apply")
@friendly_errors
def schema_apply() -> None:
    """Create missing constraints and indexes (idempotent) and wait until they are online."""
    with Database() as db:
        db.verify()
        count = schema_mod.apply(db)
    out.print(f"schema: {count} statements applied (IF NOT EXISTS)")


@schema_app.command("show")
@friendly_errors
def schema_show() -> None:
    """List the constraints and indexes that exist now."""
    with Database() as db:
        frame = schema_mod.show(db)
    table = Table("kind", "name", "type", "on", "properties")
    for row in frame.itertuples():
        table.add_row(row.kind, row.name, row.type, ", ".join(row.on), ", ".join(row.properties))
    out.print(table)
