"""`graphkit erase` (an account's PII-derived links) and `graphkit rekey` (hash key rotation)."""

from __future__ import annotations

import getpass

import typer
from rich.table import Table

from graphkit.cli.app import app, friendly_errors, out
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.erasure import erase as erase_accounts
from graphkit.erasure import parse_accounts


@app.command()
@friendly_errors
def erase(
    accounts: list[str] = typer.Argument(
        ..., help="Accounts as `seller:ID` / `reviewer:ID`, or bare ids with --kind."
    ),
    kind: str | None = typer.Option(None, "--kind", help="The kind of bare ids: seller, reviewer."),
    reason: str = typer.Option(
        ..., "--reason", help="Why (e.g. a request reference); kept in the erasure record."
    ),
    by: str = typer.Option(
        None, "--by", help="Who erases (kept in the record; default: the OS user)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would go; change nothing."),
) -> None:
    """Remove accounts' links to identifiers (email, phone, address, device, IP, payment),
    delete the identifiers no other account uses, and record an `Erasure` per account (no
    PII). Later loads and syncs leave those accounts' identifier values out.

    Examples: `graphkit erase seller:A-1093 --reason "GDPR request 2291"`,
    `graphkit erase 88213 88214 --kind reviewer --reason "ticket 17" --dry-run`
    """
    parsed = parse_accounts(accounts, kind)
    with Database(load_settings()) as db:
        done = erase_accounts(db, parsed, by=by or getpass.getuser(), reason=reason,
                              dry_run=dry_run)  # fmt: skip
    title = "would erase (dry run: nothing changed)" if dry_run else "erased"
    table = Table("account", "identifier links", "identifiers deleted", title=title)
    for e in done:
        table.add_row(f"{e.kind}:{e.key}", f"{e.links:,}", f"{e.identifiers:,}")
    out.print(table)
