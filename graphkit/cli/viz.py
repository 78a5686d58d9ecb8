"""`graphkit render --seller ID --out case.html`: one HTML case file around a seller."""

from __future__ import annotations

from pathlib import Path

import typer

from graphkit import packs
from graphkit.cli.app import app, friendly_errors, out
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.viz import KEYS, case_file


@app.command("render")
@friendly_errors
def render(
    seller: str = typer.Option(..., "--seller", help="The seller to centre on, e.g. S000123."),
    out_path: Path = typer.Option(Path("case.html"), "--out", "-o", help="HTML file to write."),
    hops: int = typer.Option(2, "--hops", min=1, max=3, help="How far to expand from the seller."),
    max_nodes: int = typer.Option(
        500, "--max-nodes", min=1, help="Most nodes drawn; the page says how many were left out."
    ),
    hierarchical: bool = typer.Option(
        False, "--hierarchical", help="Layered layout: identifiers, sellers, catalogue, reviewers."
    ),
) -> None:
    """Write a self-contained HTML case file: the seller's dossier graph and account facts.

    Runs the bounded `dossier.seller` query, then `dossier.accounts` for every seller and
    reviewer in it. The file opens offline; identifiers appear only as masked hints.

    Example: `graphkit render --seller S000123 --hops 2 --out case-S000123.html`
    """
    with Database() as db:
        graph = packs.run("dossier.seller", db, seller_id=seller, hops=hops)
        if not graph.nodes:
            raise GraphkitError(f"seller {seller!r} not found", hint="check the seller id")
        accounts = sorted(
            str(node.properties[KEYS[node.label]])
            for node in graph.nodes.values()
            if node.label in ("Seller", "Reviewer") and KEYS[node.label] in node.properties
        )
        evidence = packs.run("dossier.accounts", db, account_ids=accounts)
    evidence["brands"] = evidence["brands"].map(", ".join)
    summary = {
        "seller": seller,
        "query": f"dossier.seller, hops={hops}",
        "nodes found": len(graph.nodes),
        "relationships found": len(graph.relationships),
        "query result cut short": "yes" if graph.attrs.get("truncated") else "no",
    }
    case_file(
        graph, evidence, title=f"Seller {seller}", summary=summary, path=out_path,
        highlight=[seller], max_nodes=max_nodes, hierarchical=hierarchical,
    )  # fmt: skip
    drawn = min(max_nodes, len(graph.nodes))
    out.print(f"{out_path}: {drawn} of {len(graph.nodes)} nodes, {len(evidence)} accounts")
