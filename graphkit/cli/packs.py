"""`graphkit query ...`, `graphkit ring ...` and `graphkit eval`."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any, cast, get_type_hints

import typer
from rich.table import Table

from graphkit import sweep as sweep_mod
from graphkit.cli.app import app, friendly_errors, group, out
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.packs import catalog, run
from graphkit.packs.output import Format, render
from graphkit.packs.params import parse_pairs

query_app = group(
    "query",
    "Canned, parameterised Cypher queries from cypher/packs/ (read-only).\n\n"
    "Examples: `graphkit query list`, `graphkit query show identity.overlap-score`, "
    "`graphkit query run identity.shared-identifier --param identifier=payment --format csv`",
)
ring_app = group(
    "ring",
    "Rings of linked accounts: sweep the whole graph, then open one ring.\n\n"
    "Examples: `graphkit ring sweep --out out/sweep`, `graphkit ring clusters`, "
    "`graphkit ring show ring-0123456789 --sweep out/sweep --html ring.html`",
)


@query_app.command("list")
@friendly_errors
def query_list(
    pack: str = typer.Option(None, "--pack", help="Only this pack, e.g. identity."),
) -> None:
    """List the queries: id, severity, precision, output and title."""
    table = Table()
    table.add_column("id", no_wrap=True)
    for column in ("severity", "precision", "output", "title"):
        table.add_column(column)
    for query in catalog.catalog().values():
        if pack is None or query.pack == pack:
            m = query.meta
            table.add_row(m.id, m.severity, m.precision, m.output, m.title)
    out.print(table)


@query_app.command("show")
@friendly_errors
def query_show(query_id: str = typer.Argument(..., help="e.g. identity.overlap-score")) -> None:
    """Show a query's description, parameters (type, default, range) and Cypher."""
    query = catalog.get(query_id)
    m = query.meta
    out.print(f"[bold]{m.id}[/]: {m.title}\n")
    out.print(m.description.strip(), highlight=False)
    out.print(
        f"\nseverity {m.severity} | precision {m.precision} | output {m.output} | "
        f"timeout {m.timeout_s:g}s | max_rows {m.max_rows} | tags {', '.join(m.tags)}"
    )
    table = Table("param", "type", "default", "allowed", "description")
    for name, spec in m.params.items():
        allowed = (
            ", ".join(map(str, spec.choices))
            if spec.choices
            else f"[{'' if spec.min is None else f'{spec.min:g}'}, "
            f"{'' if spec.max is None else f'{spec.max:g}'}]"
            if spec.type in ("int", "float")
            else ""
        )
        table.add_row(name, spec.type, repr(spec.default), allowed, spec.description)
    out.print(table)
    out.print(query.cypher, highlight=False, markup=False)


@query_app.command("run")
@friendly_errors
def query_run(
    query_id: str = typer.Argument(..., help="e.g. identity.shared-identifier"),
    param: list[str] = typer.Option([], "--param", "-p", help="NAME=VALUE (repeatable)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    max_rows: int = typer.Option(
        None, "--max-rows", min=1, help="Row cap for this run (default: the query's max_rows)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Run even if the planner expects it to be costly."
    ),
) -> None:
    """Run a query (READ transaction, parameters only) and print the result.

    csv and json write only data to stdout (a CSV header even for no rows); warnings such as
    "truncated at max_rows" go to stderr (logged).

    Examples: `graphkit query run identity.overlap-score -p min_shared=2 -f csv > pairs.csv`,
    `graphkit query run dossier.seller -p seller_id=S000123 -f json --max-rows 50000`
    """
    if fmt not in ("table", "csv", "json"):
        raise GraphkitError(f"unknown format '{fmt}'", hint="use table, csv or json")
    result = run(query_id, force=force, max_rows=max_rows, **parse_pairs(param))
    text = render(result, cast(Format, fmt))
    if fmt == "table":
        out.print(text, highlight=False, markup=False, soft_wrap=True)
    else:  # pure data: no rich wrapping or markup
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def with_sweep_settings(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command one ``--option`` per :class:`SweepSettings` field (help from the field's
    metadata); the command receives them as ``settings``."""
    hints = get_type_hints(sweep_mod.SweepSettings)
    options = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(
                f.default, "--" + f.name.replace("_", "-"), help=f.metadata.get("help")
            ),
            annotation=hints[f.name],
        )
        for f in fields(sweep_mod.SweepSettings)
    ]
    signature = inspect.signature(command)
    kept = [p for p in signature.parameters.values() if p.name != "settings"]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        values = {f.name: kwargs.pop(f.name) for f in fields(sweep_mod.SweepSettings)}
        command(settings=sweep_mod.SweepSettings(**values), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + options)  # type: ignore[attr-defined]
    return wrapper


@ring_app.command("sweep")
@friendly_errors
@with_sweep_settings
def ring_sweep(
    out_dir: Path = typer.Option(
        ..., "--out", "-o", help="Directory for rings.csv, rings.json, summary.md."
    ),
    settings: sweep_mod.SweepSettings = sweep_mod.SweepSettings(),
) -> None:
    """Run the packs over the whole graph and write a ranked ring report; every threshold
    of the sweep is an option.

    Example: `graphkit ring sweep --out out/sweep && cat out/sweep/summary.md`
    """
    with Database() as db:
        rings = sweep_mod.sweep(db, settings)
    for path in sweep_mod.write_report(rings, out_dir):
        out.print(f"wrote {path}")
    out.print(sweep_mod.markdown(rings, top=10), highlight=False, markup=False)


@ring_app.command("clusters")
@friendly_errors
def ring_clusters(
    out_file: Path = typer.Option(None, "--out", "-o", help="Also write the table as CSV."),
) -> None:
    """Identity clusters: connected components over shared identifiers only (benign and hub
    identifiers excluded), with size, identifier kinds, brands and status mix.

    Example: `graphkit ring clusters --out clusters.csv`
    """
    with Database() as db:
        frame = sweep_mod.summary_frame(sweep_mod.identity_clusters(db))
    if out_file:
        frame.to_csv(out_file, index=False)
        out.print(f"wrote {out_file}")
    columns = ["ring_id", "n_sellers", "identifier_kinds", "status_mix", "brands", "sellers"]
    text = frame[columns].to_string(index=False) if len(frame) else "(no clusters)"
    out.print(text, highlight=False, markup=False, soft_wrap=True)


@ring_app.command("show")
@friendly_errors
def ring_show(
    ring_id: str = typer.Argument(..., help="e.g. ring-0123456789 (from a sweep report)"),
    sweep_dir: Path = typer.Option(
        None, "--sweep", help="A `ring sweep --out` directory (default: sweep again now)."
    ),
    html: Path = typer.Option(None, "--html", help="Also write an HTML case file here."),
) -> None:
    """One ring's dossier: members, status, score breakdown and every piece of evidence.

    Example: `graphkit ring show ring-0123456789 --sweep out/sweep --html case.html`
    """
    with Database() as db:
        rings = sweep_mod.read_report(sweep_dir) if sweep_dir else sweep_mod.sweep(db)
        ring = next((r for r in rings if r.id == ring_id), None)
        if ring is None:
            raise GraphkitError(
                f"no ring '{ring_id}' in the sweep", hint="pick an id from rings.csv"
            )
        out.print(
            f"[bold]{ring.id}[/] score {ring.score:.2f}  " + str(ring.breakdown), highlight=False
        )
        out.print(f"sellers ({len(ring.sellers)}): {' '.join(ring.sellers)}", highlight=False)
        out.print(f"reviewers ({len(ring.reviewers)}): {' '.join(ring.reviewers)}", highlight=False)
        out.print(f"status: {ring.status_mix}  brands: {' '.join(ring.brands)}", highlight=False)
        out.print(f"identifier kinds: {', '.join(ring.identifier_kinds)}", highlight=False)
        table = Table("kind", "a", "b", "weight", "evidence")
        for link in ring.links:
            evidence = "; ".join(
                ", ".join(f"{k}={v}" for k, v in item.items() if k != "products")
                for item in link.evidence
            )
            table.add_row(link.kind, link.a, link.b, f"{link.weight:.3f}", evidence)
        out.print(table)
        if html:
            from graphkit import viz

            case = sweep_mod.Case(ring, sweep_mod.dossier(db, ring))
            viz.case_file(
                case, sweep_mod.links_frame(ring), title=f"Ring {ring.id}", path=html,
                summary={"sellers": len(ring.sellers), "reviewers": len(ring.reviewers)},
            )  # fmt: skip
            out.print(f"wrote {html}")


@app.command("eval")
@friendly_errors
@with_sweep_settings
def evaluate(
    truth: Path = typer.Option(
        ...,
        "--truth",
        help="A CSV account_id,ring_id[,archetype] or a `graphkit synth --out` directory.",
    ),
    benign: Path = typer.Option(
        None, "--benign", help="A CSV account_id,kind of known honest look-alike accounts."
    ),
    out_dir: Path = typer.Option(None, "--out", help="Also write the sweep report here."),
    per_query: bool = typer.Option(
        False, "--per-query", help="Also measure each query's account precision (defaults)."
    ),
    settings: sweep_mod.SweepSettings = sweep_mod.SweepSettings(),
) -> None:
    """Sweep, then compare with a truth: precision and recall for sellers and for other
    accounts, per archetype where the truth gives one, benign accounts flagged, reported
    rings that hold two truth rings, and the largest ring's size.

    Examples: `graphkit eval --truth labels.csv --benign honest.csv`;
    `graphkit synth --out /tmp/mkt --scale small --seed 7 &&
    graphkit load --feeds-dir /tmp/mkt/feeds --demo-key && graphkit eval --truth /tmp/mkt`
    """
    from graphkit import evaluation

    with Database() as db:
        truth_data = evaluation.load_truth(truth, benign, db)
        rings = sweep_mod.sweep(db, settings)
        if per_query:
            frame = evaluation.query_precision(db, truth_data)
            out.print(frame.to_string(index=False), highlight=False)
    if out_dir:
        sweep_mod.write_report(rings, out_dir)
    report = evaluation.score(rings, truth_data)
    out.print(report.table().to_string(index=False), highlight=False)
    out.print(report.headline(), highlight=False)
