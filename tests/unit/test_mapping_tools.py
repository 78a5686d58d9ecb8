"""`graphkit mapping check` and `graphkit mapping draft` on both example sources: graphkit's
own synthetic feeds and the partner export (examples/partner). No database needed."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.ingest.mapping import MAPPINGS_DIR, load_mapping
from graphkit.synth import SCALES, generate
from graphkit.synth.partner import write_partner

REPO = Path(__file__).resolve().parents[2]
PARTNER_MAPPINGS = REPO / "examples" / "partner" / "loaders"


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("market")
    generate(out, scale="tiny", seed=7)
    return out


@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("partner")
    (out / "rows.json").write_text(json.dumps(write_partner(out, scale="tiny", seed=7)))
    return out


def _rows(partner: Path) -> dict[str, int]:
    """Records per file of the partner export."""
    return json.loads((partner / "rows.json").read_text())


def graphkit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.output


def _files(directory: Path) -> set[Path]:
    return set(directory.rglob("*"))


def _pii(market: Path) -> set[str]:
    """Every email and phone in the sellers and reviewers feeds."""
    values = set()
    for feed in ("sellers", "reviewers"):
        with (market / "feeds" / f"{feed}.csv").open() as f:
            values |= {row[c].strip() for row in csv.DictReader(f) for c in ("email", "phone")}
    return {v for v in values if len(v) > 5}


def test_check_graphkit_feeds(market: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = _files(market) | _files(tmp_path)
    code, text = graphkit("mapping", "check", str(MAPPINGS_DIR), "--feeds-dir",
                          str(market / "feeds"), "--sample", "500")  # fmt: skip
    assert _files(market) | _files(tmp_path) == before  # wrote nothing (no quarantine files)
    assert code == 1 and "over the error budget" in text  # the planted dirty rows
    assert f"sellers (sellers.*): {SCALES['tiny'].sellers} rows sampled" in text
    assert "reviews (reviews.*): 500 rows sampled" in text
    assert "bad datetime" in text and "would quarantine sellers.csv:" in text
    assert "not a valid phone number" in text or "unparseable phone" in text
    assert "'not a date'" in text or "'2024-02-30T10:00:00Z'" in text  # dates shown as read
    leaked = [value for value in _pii(market) if value in text]
    assert not leaked, leaked[:3]  # emails and phones only ever masked
    code, text = graphkit("mapping", "check", str(MAPPINGS_DIR), "--feeds-dir",
                          str(market / "feeds"), "--max-bad-ratio", "1")  # fmt: skip
    assert code == 0, text


def test_check_partner_export(partner: Path) -> None:
    code, text = graphkit("mapping", "check", str(PARTNER_MAPPINGS), "--feeds-dir",
                          str(partner / "partner"))  # fmt: skip
    assert code == 0, text
    n = _rows(partner)
    accounts = n["accounts"]  # the last two are the affiliates
    assert f"(accounts.jsonl.gz): {accounts} rows sampled, {accounts - 2} would load, 2" in text
    assert "unknown kind 'affiliate'" in text
    assert f"would quarantine accounts.jsonl.gz:{accounts - 1}: kind" in text
    assert "values dropped (on_invalid: drop_value), rows kept: phone" in text
    assert "<a/a: 3 chars>" in text or "<99999: 5 chars>" in text  # spoiled phones, masked
    assert f"(payout_instruments.jsonl.gz): {n['payout_instruments']} rows sampled" in text
    with gzip.open(partner / "partner/accounts.jsonl.gz", "rt") as lines:
        emails = [json.loads(line)["profile"].get("contact", {}).get("email") for line in lines]
    assert not [e for e in emails if e and e.strip() in text]


def test_check_names_missing_files(partner: Path, tmp_path: Path) -> None:
    code, text = graphkit("mapping", "check", str(PARTNER_MAPPINGS), "--feeds-dir", str(tmp_path))
    assert code == 1 and "accounts: skipped" in text and "no feed has files" in text


def test_draft_partner_accounts(partner: Path, tmp_path: Path) -> None:
    code, text = graphkit("mapping", "draft", str(partner / "partner/accounts.jsonl.gz"))
    assert code == 0, text
    assert "  id: {type: string, required: true" in text  # digits, but the key: text
    assert "created_ms: {type: datetime, format: epoch_ms, required: true}" in text
    assert 'modified: {type: datetime, format: "%d/%m/%Y %H:%M:%S", required: true}' in text
    assert "profile_country: {path: profile.country, type: country, required: true}" in text
    assert "{path: profile.contact.email, type: email}" in text
    assert ("{path: profile.contact.phone, type: phone, context: profile_country, "
            "on_invalid: drop_value}") in text  # fmt: skip
    assert "profile_address_line1: {path: profile.address.line1, type: string" in text
    assert "values: affiliate, customer, merchant (TODO: enum? a switch" in text
    assert "key: [id]" in text and "# watermark: modified" in text
    # the draft needs its nodes decided; then its rules accept the file it was drafted from
    draft = tmp_path / "loaders" / "accounts.yaml"
    code, _ = graphkit("mapping", "draft", str(partner / "partner/accounts.jsonl.gz"),
                       "--out", str(draft))  # fmt: skip
    assert code == 0
    check = ("mapping", "check", str(draft.parent), "--feeds-dir", str(partner / "partner"))
    code, text = graphkit(*check)
    assert code == 2 and "accounts.yaml" in text and "at least one node" in text
    node = "nodes: {account: {label: Seller, key: {seller_id: id}}}\n"
    draft.write_text(re.sub(r"^nodes: \{\}.*\n", node, draft.read_text(), flags=re.M))
    assert load_mapping(draft).columns["created_ms"].format == "epoch_ms"
    code, text = graphkit(*check)
    assert code == 0 and f"{_rows(partner)['accounts']} would load, 0 would be" in text


def test_draft_partner_events(partner: Path) -> None:
    code, text = graphkit("mapping", "draft", str(partner / "partner/sessions.jsonl.gz"))
    assert code == 0
    assert "started_ms: {type: datetime, format: epoch_ms, required: true}" in text
    assert "ip: {type: ip, required: true}" in text and "key: [session]" in text
    code, text = graphkit("mapping", "draft", str(partner / "partner/payout_instruments.jsonl.gz"))
    assert code == 0
    assert "pan: {type: card}" in text and "iban: {type: iban}" in text
    assert "first_used_s: {type: datetime, format: epoch_s, required: true}" in text


def test_draft_graphkit_feeds(market: Path) -> None:
    code, text = graphkit("mapping", "draft", str(market / "feeds/sellers.csv"))
    assert code == 0
    assert "registered_at: {type: datetime" in text and "country: {type: country" in text
    assert "phone: {type: phone, context: country" in text and "email: {type: email" in text
    assert "key: [seller_id]" in text
    code, text = graphkit("mapping", "draft", str(market / "feeds/reviews.parquet"))
    assert code == 0
    assert "rating: {type: int, required: true}" in text
    assert "verified_purchase: {type: bool" in text and "ts: {type: datetime" in text


def test_draft_refuses_unknown_format(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("a,b\n")
    code, text = graphkit("mapping", "draft", str(tmp_path / "x.txt"))
    assert code != 0 and "cannot tell the format of x.txt" in text


def test_check_names_a_bad_mapping(tmp_path: Path) -> None:
    (tmp_path / "accounts.yaml").write_text(
        "feed: accounts\nmode: snapshot\nsource: {files: a.jsonl}\nkey: [id]\n"
        "columns:\n  id: {type: string, format: epoch_ms}\n"
    )
    code, text = graphkit("mapping", "check", str(tmp_path), "--feeds-dir", str(tmp_path))
    assert code == 2 and "accounts.yaml" in text and "columns.id" in text
    assert "only datetime columns take a format" in text and "Traceback" not in text
