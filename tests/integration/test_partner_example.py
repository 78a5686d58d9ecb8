"""The partner example (examples/partner): YAML mappings alone load a partner's export into
the same graph as the equivalent graphkit-format feeds, against the live Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.db import Database
from graphkit.ingest import checksum, counts
from graphkit.ingest.mapping import MAPPINGS_DIR
from tests.conftest import REPO, wipe

pytestmark = pytest.mark.integration
PARTNER_MAPPINGS = REPO / "examples" / "partner" / "loaders"
EQUIVALENT_FEEDS = ("sellers", "reviewers", "logins", "payments")


def graphkit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def stock_mappings(directory: Path) -> Path:
    """graphkit's own mappings of the equivalent feeds, with the partner's ids allowed (the
    stock id patterns describe graphkit's ids, not the partner's)."""
    directory.mkdir()
    for feed in EQUIVALENT_FEEDS:
        data = yaml.safe_load((MAPPINGS_DIR / f"{feed}.yaml").read_text())
        for name in data["key"] + ["account_id"]:
            data["columns"].get(name, {}).pop("pattern", None)
        (directory / f"{feed}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return directory


def test_partner_export_loads_into_the_same_graph(db: Database, tmp_path: Path) -> None:
    code, text = graphkit("synth", "--format", "partner", "--scale", "tiny", "--seed", "7",
                          "--out", str(tmp_path / "market"))  # fmt: skip
    assert code == 0, text
    quarantine = str(tmp_path / "quarantine")
    code, text = graphkit("load", *EQUIVALENT_FEEDS, "--feeds-dir", str(tmp_path / "market/feeds"),
                          "--mappings", str(stock_mappings(tmp_path / "stock")),
                          "--quarantine-dir", quarantine, "--demo-key")  # fmt: skip
    assert code == 0, text
    graphkit_counts, graphkit_sum = counts(db), checksum(db)
    assert graphkit_counts["Seller"] == 50 and graphkit_counts["Reviewer"] == 400
    assert graphkit_counts["HAS_PHONE"] > 0 and graphkit_counts["REGISTERED_AT"] > 0

    wipe(db)
    code, text = graphkit("load", "--mappings", str(PARTNER_MAPPINGS),
                          "--feeds-dir", str(tmp_path / "market/partner"),
                          "--quarantine-dir", quarantine, "--demo-key")  # fmt: skip
    assert code == 0, text
    assert counts(db) == graphkit_counts
    assert checksum(db) == graphkit_sum

    # the two accounts of a kind no mapping knows are quarantined, with the kind named
    [bad_file] = (tmp_path / "quarantine" / "accounts").glob("*.jsonl")
    reasons = [json.loads(line)["reason"] for line in bad_file.read_text().splitlines()]
    assert len(reasons) == 2 and all("affiliate" in reason for reason in reasons)
    # spoiled phones were dropped (counted), not the accounts that carry them
    assert "phone" in text and "dropped" in text
