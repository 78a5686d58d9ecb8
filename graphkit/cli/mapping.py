"""`graphkit mapping check` and `graphkit mapping draft`: write and test feed mappings."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from graphkit.cli.app import console, friendly_errors, group, out
from graphkit.ingest.check import FeedReport, check
from graphkit.ingest.draft import draft
from graphkit.ingest.mapping import load_mappings

mapping_app = group(
    "mapping",
    "Write and test loader mappings (docs/loaders.md) before loading anything.\n\n"
    "Examples: `graphkit mapping draft exports/accounts.jsonl.gz --out my-loaders/accounts.yaml`,"
    " `graphkit mapping check my-loaders --feeds-dir exports`",
)


def _print(report: FeedReport) -> None:
    if report.skipped:
        out.print(f"[yellow]{report.feed}[/]: skipped ({report.skipped})", highlight=False)
        return
    out.print(
        f"[bold]{report.feed}[/] ({report.files}): {report.sampled:,} rows sampled, "
        f"{report.would_load:,} would load, {report.n_quarantined:,} would be quarantined",
        highlight=False,
    )
    table = Table("column", "path", "type", "parsed", "empty", "bad", "examples of bad values")
    for c in report.columns:
        bad = f"{c.bad:,}" + (" (dropped)" if c.dropped and c.bad else "")
        style = "red" if c.bad and not c.dropped else "yellow" if c.bad else None
        table.add_row(c.name, c.path, c.type, f"{c.parsed:,}", f"{c.empty:,}", bad,
                      "\n".join(c.examples), style=style)  # fmt: skip
    out.print(table)
    for q in report.quarantined:
        field = f" {q.field}" if q.field else ""
        value = f" = {q.value}" if q.value else ""
        out.print(f"  would quarantine {q.locator}:{field}{value}: {q.reason}",
                  highlight=False, markup=False)  # fmt: skip
    if report.dropped:
        counts = ", ".join(f"{name} {n:,}" for name, n in sorted(report.dropped.items()))
        out.print(f"  values dropped (on_invalid: drop_value), rows kept: {counts}",
                  highlight=False)  # fmt: skip


@mapping_app.command("check")
@friendly_errors
def mapping_check(
    mappings_dir: Path = typer.Argument(..., help="Directory of <feed>.yaml mappings."),
    feeds_dir: Path = typer.Option(
        ..., "--feeds-dir", envvar="GRAPHKIT_FEEDS_DIR", help="Directory of the feed files."
    ),
    sample: int = typer.Option(1000, "--sample", min=1, help="Rows read per feed."),
    max_bad_ratio: float = typer.Option(
        0.01,
        "--max-bad-ratio",
        min=0.0,
        max=1.0,
        help="Exit 1 when a feed's sampled rows would be quarantined beyond this share.",
    ),  # fmt: skip
) -> None:
    """Validate the mappings and run a sample of each feed's files through them: per column
    how many values parse, examples of those that don't (personal data masked), and the first
    rows that would be quarantined. Writes nothing; needs no database (so references to other
    feeds' nodes are not checked).

    Example: `graphkit mapping check examples/partner/loaders --feeds-dir data/partner/partner`
    """
    reports = check(load_mappings(mappings_dir), feeds_dir, sample)
    for report in reports:
        _print(report)
    over = [r.feed for r in reports if r.bad_ratio > max_bad_ratio]
    if all(r.skipped for r in reports):
        console.print(f"[bold red]no feed has files in {feeds_dir}[/]", highlight=False)
        raise typer.Exit(1)
    if over:
        console.print(
            f"[bold red]over the error budget[/] (> {100 * max_bad_ratio:g}% of sampled rows "
            f"quarantined): {', '.join(over)}",
            highlight=False,
        )
        raise typer.Exit(1)


@mapping_app.command("draft")
@friendly_errors
def mapping_draft(
    file: Path = typer.Argument(..., help="A CSV, JSON lines or Parquet file (optionally .gz)."),
    out_file: Path = typer.Option(
        None, "--out", "-o", help="Write the YAML here (default: stdout)."
    ),
    sample: int = typer.Option(1000, "--sample", min=1, help="Rows read to sniff types."),
) -> None:
    """Write a starting mapping from a file's columns (nested JSON as dotted paths) and sniffed
    types (int, float, bool, datetime with its format, email, phone, ip, country, card, iban),
    with TODO comments where you decide (key, watermark, nodes, relationships).

    Example: `graphkit mapping draft exports/accounts.jsonl.gz --out loaders/accounts.yaml`
    """
    text = draft(file, sample)
    if out_file:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text)
        console.print(f"wrote {out_file}: edit the TODOs, then run `graphkit mapping check`")
    else:
        typer.echo(text, nl=False)
