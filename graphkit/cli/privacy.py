"""`graphkit erase` (an account's PII-derived links) and `graphkit rekey` (hash key rotation)."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.table import Table

from graphkit.cli.app import app, feed_progress, friendly_errors, out
from graphkit.cli.ingest import BATCH, DSN, FEEDS_DIR, MAPPINGS, ORIGIN, WAIT, Origin
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.erasure import erase as erase_accounts
from graphkit.erasure import parse_accounts
from graphkit.errors import ConfigError
from graphkit.identity import Hasher
from graphkit.ingest import Options
from graphkit.ingest.rekey import rekey as rekey_graph


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
    wait: float = WAIT,
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
                              dry_run=dry_run, wait=wait)  # fmt: skip
    title = "would erase (dry run: nothing changed)" if dry_run else "erased"
    table = Table("account", "identifier links", "identifiers deleted", title=title)
    for e in done:
        table.add_row(f"{e.kind}:{e.key}", f"{e.links:,}", f"{e.identifiers:,}")
    out.print(table)


@app.command()
@friendly_errors
def rekey(
    origin: Origin = ORIGIN,
    feeds_dir: Path | None = FEEDS_DIR,
    dsn: str | None = DSN,
    mappings: Path = MAPPINGS,
    batch_size: int = BATCH,
    demo_key: bool = typer.Option(
        False, "--demo-key", help="The graph's current key is the public demo key."
    ),
    wait: float = WAIT,
) -> None:
    """Rotate the hash key: move every stored hash from the current key (GRAPHKIT_HASH_KEY)
    to the new one (GRAPHKIT_NEW_HASH_KEY), re-reading every feed's source with both keys.

    Identifier nodes are renamed in place, so links and history stay. Loads wait (leases);
    if interrupted, run it again. Then set GRAPHKIT_HASH_KEY to the new key: the old one is
    refused from then on. See docs/loaders.md, "Rotating the hash key".

    Example: `GRAPHKIT_NEW_HASH_KEY=... graphkit rekey --feeds-dir data/feeds`
    """
    settings = load_settings()
    if settings.new_hash_key is None:
        raise ConfigError(
            "no new hash key configured",
            hint="set GRAPHKIT_NEW_HASH_KEY (or [graphkit] new_hash_key) to the new key; "
            "never on the command line",
        )
    old = Hasher.from_settings(settings, demo=demo_key)
    new = Hasher(settings.new_hash_key.get_secret_value())
    options = Options(origin=origin.value, feeds_dir=feeds_dir, dsn=dsn, mappings_dir=mappings,
                      batch_size=batch_size, wait=wait)  # fmt: skip
    with Database(settings) as db, feed_progress() as progress:
        done = rekey_graph(db, options, old, new, progress=progress, echo=out.print)
    out.print(
        f"rekey done: {done.identifiers:,} identifiers and {done.digests:,} bad-row digests "
        f"moved to key {new.fingerprint}; {done.pending:,} waiting rows rewritten"
    )
    if done.unmatched:
        out.print(
            f"{done.unmatched:,} identifiers are in no source any more: they keep their "
            "old hash (their links stay)"
        )
    if done.benign_unmatched:
        out.print(
            f"{done.benign_unmatched:,} benign register entries match no source value: "
            "apply the register again (`graphkit benign apply`) with the new key"
        )
    out.print("next: set GRAPHKIT_HASH_KEY to the new key and unset GRAPHKIT_NEW_HASH_KEY")
