"""`graphkit benign apply REGISTER`."""

from __future__ import annotations

from pathlib import Path

import typer

from graphkit.benign import apply_register, load_register
from graphkit.cli.app import friendly_errors, group, out
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.identity import Hasher

benign_app = group(
    "benign",
    "The versioned register of benign shared identifiers (prep centres, carrier NAT, "
    "payment aggregators).\n\nExample: `graphkit benign apply register/benign.yaml`",
)


@benign_app.command("apply")
@friendly_errors
def apply(
    register: Path = typer.Argument(..., exists=True, dir_okay=False, help="Register YAML."),
    demo_key: bool = typer.Option(False, "--demo-key", help="Hash with the public demo key."),
) -> None:
    """Mark the register's identifiers `benign = true`; unmark entries older versions had."""
    settings = load_settings()
    parsed = load_register(register)
    with Database(settings) as db:
        marked = apply_register(db, parsed, Hasher.from_settings(settings, demo=demo_key))
    out.print(f"benign register {parsed.version}: {marked} identifiers marked")
