"""`graphkit accounts score --out FILE`: a score in [0, 1] and reasons for every account."""

from __future__ import annotations

from pathlib import Path

import typer

from graphkit import accounts
from graphkit.cli.app import console, friendly_errors, group, out
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.sweep import read_report

accounts_app = group(
    "accounts",
    "Per-account scores from behaviour (and ring evidence).\n\n"
    "Example: `graphkit accounts score --out scores.csv`",
)


@accounts_app.command("score")
@friendly_errors
def score(
    out_file: Path = typer.Option(
        ..., "--out", "-o", help="CSV, or Parquet when the name ends in .parquet."
    ),
    rings_dir: Path = typer.Option(
        None,
        "--rings",
        help="A `graphkit ring sweep --out` directory: its rings raise their members' scores.",
    ),
    top: int = typer.Option(10, "--top", min=0, help="Print the N highest-scoring accounts."),
) -> None:
    """Score every seller and reviewer (unsupervised, 0-1) and write one row per account with
    its top reasons and component features.

    Example: `graphkit accounts score --out scores.parquet --rings out/sweep`
    """
    if rings_dir is not None and not (rings_dir / "rings.json").is_file():
        raise GraphkitError(
            f"{rings_dir}: no rings.json there",
            hint=f"run `graphkit ring sweep --out {rings_dir}` first, or leave out --rings",
        )
    rings = read_report(rings_dir) if rings_dir is not None else None
    console.print("scoring accounts (behaviour queries over every review) ...")
    with Database() as db:
        frame = accounts.score(db, rings=rings)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    if out_file.suffix == ".parquet":
        frame.to_parquet(out_file, index=False)
    else:
        frame.to_csv(out_file, index=False)
    counts = frame["kind"].value_counts().to_dict()
    out.print(f"wrote {out_file}: {len(frame):,} accounts {counts}")
    columns = ["account_id", "kind", "score", "reasons"]
    shown = frame.head(top)[columns].to_string(index=False) if top and len(frame) else ""
    out.print(shown, highlight=False, markup=False, soft_wrap=True)
