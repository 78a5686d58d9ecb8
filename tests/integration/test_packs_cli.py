"""`graphkit query|ring` against the live Neo4j, with the sweep fixture marketplace."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.db import Database
from graphkit.packs import catalog, run

pytestmark = pytest.mark.integration


def graphkit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def graphkit_streams(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr, apart."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_query_list_and_show() -> None:
    code, text = graphkit("query", "list", "--pack", "identity")
    assert code == 0 and "identity.overlap-score" in text and "brand." not in text
    code, text = graphkit("query", "show", "identity.shared-identifier")
    assert code == 0 and "max_identifier_degree" in text and "MATCH" in text


def test_query_run_formats_and_errors(marketplace: Database) -> None:
    code, text = graphkit("query", "run", "identity.shared-identifier", "-p", "identifier=payment",
                          "--format", "json")  # fmt: skip
    assert code == 0
    [row] = json.loads(text)
    assert row["sellers"] == ["S1", "S2", "S3"] and row["kind"] == "payment"
    code, text = graphkit("query", "run", "identity.overlap-score", "-f", "csv")
    assert code == 0 and text.startswith("seller_a,seller_b,score")
    code, text = graphkit("query", "run", "identity.shared-identifier", "-p", "identifier=fax")
    assert code == 2 and "identifier" in text and "one of any, device" in text
    code, text = graphkit("query", "run", "no.such-query")
    assert code == 2 and "unknown query" in text


def test_query_run_csv_and_json_are_pure_data(marketplace: Database) -> None:
    query = ("query", "run", "identity.overlap-score")
    code, full, err = graphkit_streams(*query, "-f", "csv")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(full)))
    assert len(rows) >= 2 and {"seller_a", "seller_b", "score"} <= set(rows[0])
    code, cut, err = graphkit_streams(*query, "-f", "csv", "--max-rows", "1")
    assert code == 0 and cut.splitlines() == full.splitlines()[:2]  # header + one row
    assert "truncated at max_rows=1" in err and "truncated" not in cut
    code, text, err = graphkit_streams(*query, "-f", "json", "--max-rows", "1")
    assert code == 0 and len(json.loads(text)) == 1 and "max_rows=1" in err
    code, text, _ = graphkit_streams(*query, "-f", "json", "--max-rows", str(len(rows)))
    assert code == 0 and len(json.loads(text)) == len(rows)


def test_query_run_csv_header_when_empty(marketplace: Database) -> None:
    code, text, err = graphkit_streams(
        "query", "run", "identity.overlap-score", "-p", "min_shared=50", "-f", "csv"
    )
    assert code == 0 and err == ""
    [header] = text.splitlines()
    assert header.startswith("seller_a,seller_b,score")
    code, text, _ = graphkit_streams(
        "query", "run", "identity.overlap-score", "-p", "min_shared=50", "-f", "json"
    )
    assert code == 0 and json.loads(text) == []


def test_ring_sweep_and_show(marketplace: Database, tmp_path: Path) -> None:
    code, text = graphkit("ring", "sweep", "--out", str(tmp_path))
    assert code == 0, text
    ring_id = json.loads((tmp_path / "rings.json").read_text())[0]["id"]
    assert ring_id in (tmp_path / "summary.md").read_text()
    assert ring_id in (tmp_path / "rings.csv").read_text()
    code, text = graphkit("ring", "show", ring_id, "--sweep", str(tmp_path))
    assert code == 0 and "S1 S2 S3" in text and "self-review" in text
    code, text = graphkit("ring", "show", "ring-nope", "--sweep", str(tmp_path))
    assert code == 2 and "no ring" in text


def test_ring_clusters(marketplace: Database) -> None:
    code, text = graphkit("ring", "clusters")
    assert code == 0, text
    assert "S1 S2 S3" in text and "device payment phone" in text
    assert "S8 S9" in text  # the household pair is a cluster, just not a ring


def test_max_rows_raises_the_header_cap(marketplace: Database) -> None:
    query = catalog.get("identity.overlap-score")
    capped = replace(query, meta=query.meta.model_copy(update={"max_rows": 1}))
    cut = run(capped, marketplace)
    assert len(cut) == 1 and cut.attrs["truncated"] and cut.attrs["max_rows"] == 1
    full = run(capped, marketplace, max_rows=1000)
    assert len(full) > 1 and not full.attrs["truncated"] and full.attrs["max_rows"] == 1000
