"""`graphkit demo`: the main job end to end, with progress, idempotent."""

from __future__ import annotations

from graphkit import schema
from graphkit.cli.app import app, friendly_errors, out
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.server import ManagedServer


@app.command()
@friendly_errors
def demo() -> None:
    """Provision and start Neo4j, apply the schema and show where it runs.

    Example: `graphkit demo`
    """
    settings = load_settings()
    if settings.managed:
        ManagedServer(settings).start(echo=out.print)
    with Database(settings) as db:
        db.verify()
        schema.apply(db)
    out.print("[bold]1/1[/] schema applied")
    for line in ManagedServer(settings).status().lines():
        out.print(line, highlight=False)
