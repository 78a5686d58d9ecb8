"""`graphkit synth`: generate a synthetic marketplace with planted rings."""

from __future__ import annotations

from pathlib import Path

import typer

from graphkit.cli.app import app, dsn_without_password, friendly_errors, out
from graphkit.errors import GraphkitError


@app.command()
@friendly_errors
def synth(
    scale: str = typer.Option("small", "--scale", help="tiny | small | seed | large"),
    seed: int = typer.Option(7, "--seed", min=0, help="Same seed, byte-identical output."),
    out_dir: Path = typer.Option(..., "--out", help="Directory for feeds/ and truth/."),
    to_postgres: str = typer.Option(
        None,
        "--to-postgres",
        envvar="GRAPHKIT_SYNTH_DSN",
        callback=dsn_without_password,
        help="Also write schema `marketplace` to this PostgreSQL DSN (with a password: set "
        "GRAPHKIT_SYNTH_DSN instead).",
    ),
    fmt: str = typer.Option(
        "graphkit",
        "--format",
        help="graphkit (feeds, truth) | partner (a partner export in `--out`/partner and the "
        "same data as graphkit feeds in `--out`/feeds; see examples/partner/README.md)",
    ),
    id_scheme: str = typer.Option(
        "prefixed", "--id-scheme", help="prefixed (S000001, R0000001...) | opaque (no kind in ids)"
    ),
) -> None:
    """Write feeds (docs/feeds.md), ground truth and a benign register to `--out`.

    Examples: `graphkit synth --scale small --seed 7 --out data/market`,
    `graphkit synth --format partner --scale tiny --out data/partner`
    """
    if fmt == "partner":
        from graphkit.synth.partner import write_partner

        if to_postgres:
            raise GraphkitError("--format partner writes files only", hint="drop --to-postgres")

        rows = write_partner(out_dir, scale=scale, seed=seed)
        listed = ", ".join(f"{name} {count:,}" for name, count in rows.items())
        out.print(f"partner export: {listed} -> {out_dir / 'partner'}")
        out.print(f"the same data as graphkit feeds -> {out_dir / 'feeds'}")
        return
    if fmt != "graphkit":
        raise GraphkitError(f"unknown format {fmt!r}", hint="use graphkit or partner")
    from graphkit.synth import generate

    summary = generate(
        out_dir, scale=scale, seed=seed, to_postgres=to_postgres, progress=True, id_scheme=id_scheme
    )
    rows = ", ".join(f"{name} {count:,}" for name, count in summary.rows.items())
    out.print(f"synth: {sum(summary.rows.values()):,} rows in {summary.seconds:.1f}s ({rows})")
    out.print(
        f"truth: {summary.rings} rings, {summary.lookalikes} look-alikes, "
        f"{summary.dirty_rows} dirty rows -> {out_dir / 'truth'}"
    )
