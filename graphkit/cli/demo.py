"""`graphkit demo`: the main job end to end, with progress; idempotent."""

from __future__ import annotations

from pathlib import Path

import typer

from graphkit import demo as demo_mod
from graphkit.cli.app import app, feed_progress, friendly_errors, out
from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.server import ManagedServer

STEPS = 5


def _step(number: int, text: str) -> None:
    out.print(f"\n[bold cyan]{number}/{STEPS}[/] [bold]{text}[/]")


@app.command()
@friendly_errors
def demo(
    scale: str = typer.Option("small", help="tiny | small | seed | large (see `graphkit synth`)."),
    seed: int = typer.Option(7, help="Generator seed: same seed, same marketplace."),
    out_dir: Path = typer.Option(Path("out/demo"), "--out", help="Where data and report go."),
    top: int = typer.Option(10, min=0, help="How many top rings get an HTML case file."),
) -> None:
    """Start Neo4j, generate a marketplace with planted rings, load it, sweep, write the report.

    Running it again changes nothing: the same rings come out. Examples:

        graphkit demo
        graphkit demo --scale seed --out out/seed
    """
    settings = demo_mod.sized(load_settings(), scale)
    _step(1, "Neo4j")
    if settings.managed:
        server = ManagedServer(settings)
        running = server.as_started()
        if server.is_running() and demo_mod.sized(running, scale) != running:
            out.print(f"restarting Neo4j with a {settings.heap} heap for the {scale} scale")
            server.stop(echo=out.print)
        server.start(echo=out.print)
    else:
        out.print(f"using {settings.uri}")
    marketplace = out_dir / f"marketplace-{scale}-{seed}"
    with Database(settings) as db:
        db.verify()
        _step(2, f"synthetic marketplace ({scale}, seed {seed}) -> {marketplace}")
        _step(3, "load through the loaders (incremental: only rows past each watermark)")
        with feed_progress() as progress:
            results = demo_mod.ensure_marketplace(
                db, marketplace, scale=scale, seed=seed, echo=out.print, progress=progress
            )
        loaded = sum(r.written for r in results)
        quarantined = sum(r.quarantined for r in results)
        out.print(f"{loaded:,} rows written, {quarantined:,} quarantined "
                  f"(see {marketplace / 'quarantine'})")  # fmt: skip
        _step(4, "ring sweep over the query packs")
        report = demo_mod.write_report(db, out_dir, top=top, truth_dir=marketplace)
    _step(5, f"report -> {report.out_dir}")
    out.print(f"{len(report.rings)} rings, {len(report.cases)} case files")
    if report.quality:
        out.print(report.quality.headline())
    out.print(
        "\n[bold]Next:[/]\n"
        f"  open {report.index}\n"
        "  .venv/bin/jupyter lab notebooks/            # guided investigations\n"
        "  graphkit query run identity.overlap-score   # seller pairs by shared identifiers\n"
        "  graphkit query run enforcement.repeat-offenders\n"
        "  graphkit query run reviews.lockstep          # reviewers moving in lockstep",
        highlight=False,
    )
