"""The partner example (examples/partner): YAML mappings alone load a partner's export into
the same graph as the equivalent graphkit-format feeds, against the live Neo4j."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.db import Database
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.synth import SCALES
from tests.conftest import REPO, wipe

pytestmark = pytest.mark.integration
PARTNER_MAPPINGS = REPO / "examples" / "partner" / "loaders"
EQUIVALENT_FEEDS = ("sellers", "reviewers", "logins", "payments")  # stock mappings


def graphkit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_partner_export_loads_into_the_same_graph(db: Database, tmp_path: Path) -> None:
    code, text = graphkit("synth", "--format", "partner", "--scale", "tiny", "--seed", "7",
                          "--out", str(tmp_path / "market"))  # fmt: skip
    assert code == 0, text
    quarantine = str(tmp_path / "quarantine")
    code, text = graphkit("load", *EQUIVALENT_FEEDS, "--feeds-dir", str(tmp_path / "market/feeds"),
                          "--quarantine-dir", quarantine, "--demo-key")  # fmt: skip
    assert code == 0, text
    # The partner's accounts file says not when a row changed, so its links' valid_from is the
    # load's time, not the row's: the graphs agree on their current state.
    graphkit_counts, graphkit_sum = counts(db), checksum(db, current_only=True)
    tiny = SCALES["tiny"]
    assert (
        graphkit_counts["Seller"] == tiny.sellers and graphkit_counts["Reviewer"] == tiny.reviewers
    )
    assert graphkit_counts["HAS_PHONE"] > 0 and graphkit_counts["REGISTERED_AT"] > 0

    wipe(db)
    options = Options(feeds_dir=tmp_path / "market/partner", mappings_dir=PARTNER_MAPPINGS,
                      quarantine_dir=tmp_path / "quarantine")  # fmt: skip
    results = {r.feed: r for r in run(db, options, Hasher(DEMO_KEY))}
    assert {r.status for r in results.values()} == {"ok"}
    assert counts(db) == graphkit_counts
    assert checksum(db, current_only=True) == graphkit_sum

    # the two accounts of a kind no mapping knows are quarantined, with the kind named
    accounts = results["accounts"]
    assert accounts.quarantined == 2 and accounts.reasons == {"kind: unknown kind": 2}
    assert accounts.quarantine_file is not None
    reasons = [json.loads(line)["reason"] for line in accounts.quarantine_file.open()]
    assert all("'affiliate'" in reason for reason in reasons)
    # spoiled phones were dropped and counted, the accounts that carry them loaded
    spoiled = _spoiled_phones(tmp_path / "market")
    assert spoiled and accounts.dropped == {"phone": spoiled}


def _spoiled_phones(market: Path) -> int:
    """Accounts whose partner record has a phone that the equivalent feeds leave empty."""
    with gzip.open(market / "partner/accounts.jsonl.gz", "rt") as lines:
        phones = {
            r["id"]: r["profile"].get("contact", {}).get("phone") for r in map(json.loads, lines)
        }
    kept = set()
    for feed, key in (("sellers", "seller_id"), ("reviewers", "reviewer_id")):
        with (market / f"feeds/{feed}.csv").open() as f:
            kept |= {row[key] for row in csv.DictReader(f) if row["phone"]}
    return sum(1 for id_, phone in phones.items() if phone and id_ not in kept)
