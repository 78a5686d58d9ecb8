"""The mapping language end to end against the live Neo4j: a partner-style export (nested JSON,
gzip, one file for two labels, epoch-ms, country names, status words, invalid values dropped),
feeds without sources skipped by name, bad values and empty match keys quarantined."""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import feedgen
import pytest
import yaml
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.ingest.mapping import MAPPINGS_DIR

pytestmark = pytest.mark.integration
HASHER = Hasher(DEMO_KEY)

ACCOUNTS = """
feed: accounts
mode: snapshot
source: {files: accounts.jsonl.gz}
key: [account_id]
watermark: _file_mtime
columns:
  account_id: {path: id, required: true}
  kind: {path: type, transform: [lower], default: buyer}
  status:
    path: state
    transform: [trim, upper]
    map: {ACTIVE: active, SUSPENDED: suspended, TERMINATED: closed}
  created: {path: created_ms, type: datetime, format: epoch_ms}
  country: {path: profile.country, type: country}
  email: {path: profile.contact.email, type: email, on_invalid: drop_value}
  phone: {path: profile.contact.phone, type: phone, context: country, on_invalid: drop_value}
  line1: {path: profile.address.line1}
  city: {path: profile.address.city}
  postcode: {path: profile.address.postcode}
  address: {type: address, context: country, template: "{line1}, {city} {postcode}"}
nodes:
  account:
    switch: kind
    properties: {country: country, registered_at: created}
    cases:
      seller: {label: Seller, key: {seller_id: account_id}, properties: {status: status}}
      buyer: {label: Reviewer, key: {reviewer_id: account_id}}
  email: {label: Email, key: {hash: email.hash}, properties: {domain: email.domain}}
  phone: {label: Phone, key: {hash: phone.hash}, properties: {country_code: phone.country_code}}
  address: {label: Address, key: {hash: address.hash},
            properties: {country: address.country, postcode_prefix: address.postcode_prefix}}
relationships:
  - {type: HAS_EMAIL, from: account, to: email}
  - {type: HAS_PHONE, from: account, to: phone}
  - {type: REGISTERED_AT, from: account, to: address}
"""


SESSIONS = """
feed: sessions
mode: append
depends_on: [accounts]
source: {files: sessions.csv}
key: [session_id]
columns:
  session_id: {path: session, required: true}
  account_id: {path: account, required: true}
  started: {path: started_ms, type: datetime, format: epoch_ms, required: true}
  device: {path: device_hash, transform: [lower]}
nodes:
  account:            # no kind column: the first case whose node exists
    mode: match
    cases:
      seller: {label: Seller, key: {seller_id: account_id}}
      buyer: {label: Reviewer, key: {reviewer_id: account_id}}
  device: {label: Device, key: {device_id: device}}
relationships:
  - {type: USED_DEVICE, from: account, to: device,
     properties: {first_seen: {value: started, agg: min}, last_seen: {value: started, agg: max}}}
"""


def _quarantined(quarantine: Path, feed: str) -> list[dict]:
    (path,) = quarantine.glob(f"{feed}/*.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def _profile(country, email, phone, address=None):
    return {"country": country, "contact": {"email": email, "phone": phone},
            "address": address or {}}  # fmt: skip


RECORDS = [
    {"id": "acc-1", "type": "SELLER", "state": " active", "created_ms": 1704164645123,
     "profile": _profile("United Kingdom", "Shop@Example.org", "(020) 7946-0958",
                         {"line1": "12 High St.", "city": "London", "postcode": "SW1A 1AA"})},
    {"id": "acc-2", "type": "seller", "state": "TERMINATED", "created_ms": 1704164645000,
     "profile": _profile("UK", "not an email", "+44 20 7946 0958",
                         {"line1": "12 HIGH STREET", "city": "LONDON", "postcode": "SW1A1AA"})},
    {"id": "acc-3", "created_ms": 1704164600000,
     "profile": _profile("Deutschland", "kunde@example.de", "030 123456")},
    {"id": "acc-4", "type": "bot", "created_ms": 1704164600000,
     "profile": _profile("gb", "bot@example.org", "n/a")},
    {"id": "acc-5", "type": "Buyer", "created_ms": 1704164600000,
     "profile": _profile("DEU", "@@", "12")},
]  # fmt: skip


def _cli(*args: str):
    return CliRunner().invoke(app, [*args, "--demo-key"])


@pytest.fixture
def wide(monkeypatch):
    """A wide summary table: cells stay on one line. (Through COLUMNS, which rich reads on
    every print: setting ``out.width`` would pin the old width after the test.)"""
    monkeypatch.setenv("COLUMNS", "250")


def test_partner_export_loads_through_the_cli_with_yaml_alone(db, tmp_path, wide):
    mappings, feeds, quarantine = tmp_path / "m", tmp_path / "f", tmp_path / "q"
    mappings.mkdir(), feeds.mkdir()
    (mappings / "accounts.yaml").write_text(ACCOUNTS)
    (mappings / "sessions.yaml").write_text(SESSIONS)
    with gzip.open(feeds / "accounts.jsonl.gz", "wt") as f:
        f.writelines(json.dumps(r) + "\n" for r in RECORDS)
    (feeds / "sessions.csv").write_text(
        "session,account,started_ms,device_hash\n"
        "s1,acc-1,1704164645123,AB12\ns2,acc-3,1704164645999,ab12\ns3,acc-9,1704164645000,CD\n"
    )
    args = ["--mappings", str(mappings), "--feeds-dir", str(feeds), "--quarantine-dir",
            str(quarantine), "--max-bad-ratio", "0.5"]  # fmt: skip
    result = _cli("load", *args)
    assert result.exit_code == 0, result.output
    assert "email 2, phone 1" in result.output, result.output  # dropped, per field
    assert "kind: unknown kind" in result.output  # top reason names the field
    c = counts(db)
    assert (c["Seller"], c["Reviewer"]) == (2, 2)  # acc-4 (bot) is neither
    assert (c["Email"], c["HAS_EMAIL"]) == (2, 2)  # two invalid emails dropped, rows kept
    assert (c["Phone"], c["HAS_PHONE"]) == (2, 3)  # one UK number in two spellings
    assert (c["Address"], c["REGISTERED_AT"]) == (1, 2)  # built from line1, city, postcode
    sellers = db.read(
        "MATCH (s:Seller) RETURN s.seller_id AS id, s.status AS status, s.country AS country, "
        "toString(s.registered_at) AS at ORDER BY id"
    )
    assert sellers == [
        {"id": "acc-1", "status": "active", "country": "GB", "at": "2024-01-02T03:04:05.123Z"},
        {"id": "acc-2", "status": "closed", "country": "GB", "at": "2024-01-02T03:04:05Z"},
    ]
    buyers = db.read("MATCH (r:Reviewer) RETURN r.country AS c, r.status AS s ORDER BY c")
    assert buyers == [{"c": "DE", "s": None}, {"c": "DE", "s": None}]
    (bad,) = _quarantined(quarantine, "accounts")
    assert (bad["locator"], bad["field"]) == ("accounts.jsonl.gz:4", "kind")
    assert bad["reason"] == "unknown kind 'bot' for nodes.account; expected seller, buyer"
    used = db.read(
        "MATCH (a)-[:USED_DEVICE]->(d) RETURN labels(a)[0] AS label, d.device_id AS device "
        "ORDER BY label"
    )
    assert used == [{"label": "Reviewer", "device": "ab12"}, {"label": "Seller", "device": "ab12"}]
    waiting = db.read("MATCH (p:PendingRow {feed: 'sessions'}) RETURN p.locator AS at")
    assert waiting == [{"at": "sessions.csv:4"}]  # an unknown account: waits for it
    # watermark _file_mtime: an unchanged file is not loaded again; a touched one is.
    before = checksum(db)
    again = _cli("sync", *args)
    assert again.exit_code == 0, again.output
    assert checksum(db) == before
    assert db.read("MATCH (r:SyncRun {feed: 'accounts', mode: 'sync'}) "
                   "RETURN r.rows_written AS n")[0]["n"] == 0  # fmt: skip
    stat = (feeds / "accounts.jsonl.gz").stat()
    os.utime(feeds / "accounts.jsonl.gz", (stat.st_atime, stat.st_mtime + 60))
    assert _cli("sync", *args).exit_code == 0
    written = db.read("MATCH (r:SyncRun {feed: 'accounts', mode: 'sync'}) "
                      "RETURN r.rows_written AS n ORDER BY r.started_at DESC LIMIT 1")  # fmt: skip
    assert written[0]["n"] == 4 and checksum(db) == before


def test_load_with_only_the_review_feeds_loads_them_and_names_the_skipped(db, tmp_path, wide):
    everything = feedgen.write(feedgen.rows(), tmp_path / "all")
    options = Options(feeds_dir=everything, quarantine_dir=tmp_path / "q")
    run(db, options, HASHER, feeds=["brands", "sellers"])  # an earlier drop
    only = tmp_path / "reviews-drop"
    only.mkdir()
    for name in ("reviewers.csv", "products.jsonl"):
        shutil.copy(everything / name, only / name)
    reviews = feedgen.rows()["reviews"]  # as gzipped CSV this time: any format for any feed
    with gzip.open(only / "reviews.csv.gz", "wt", newline="") as f:
        writer = csv.DictWriter(f, list(reviews[0]))
        writer.writeheader()
        writer.writerows({k: feedgen.iso(v) if isinstance(v, datetime) else v
                          for k, v in r.items()} for r in reviews)  # fmt: skip
    result = _cli("load", "--feeds-dir", str(only), "--quarantine-dir", str(tmp_path / "q"))
    assert result.exit_code == 0, result.output
    assert "skipped (no source found): brands, logins, messages, payments, refunds, sellers" in (
        result.output
    )
    c = counts(db)
    assert (c["Reviewer"], c["Product"], c["REVIEWED"]) == (30, 40, 400)
    assert "LOGGED_IN_FROM" not in c


def _user_mappings(tmp_path: Path, brand_node: dict) -> Path:
    """A user's directory: brands as shipped, products without sellers and without a
    watermark, the brand optional in the data (no file of graphkit's needed beside them)."""
    directory = tmp_path / "mine"
    directory.mkdir(exist_ok=True)
    shutil.copy(MAPPINGS_DIR / "brands.yaml", directory)
    products = yaml.safe_load((MAPPINGS_DIR / "products.yaml").read_text())
    products.pop("watermark")
    products.pop("deleted")  # tombstones need a watermark to be ordered
    products["columns"]["brand_id"] = {"type": "string"}
    products["nodes"] = {"product": products["nodes"]["product"], "brand": brand_node}
    products["relationships"] = [{"type": "OF_BRAND", "from": "product", "to": "brand"}]
    (directory / "products.yaml").write_text(yaml.safe_dump(products))
    return directory


@pytest.mark.parametrize("optional", [False, True])
def test_an_empty_match_key_is_quarantined_or_left_out_never_a_crash(db, tmp_path, optional):
    data = feedgen.rows()
    data["products"][1]["brand_id"] = ""
    data["products"][2]["brand_id"] = None
    feeds = feedgen.write({"brands": data["brands"], "products": data["products"]},
                          tmp_path / "feeds")  # fmt: skip
    brand = {"label": "Brand", "key": {"brand_id": "brand_id"}, "mode": "match"}
    mappings = _user_mappings(tmp_path, brand | ({"optional": True} if optional else {}))
    options = Options(feeds_dir=feeds, mappings_dir=mappings, quarantine_dir=tmp_path / "q",
                      max_bad_ratio=1.0)  # fmt: skip
    results = {r.feed: r for r in run(db, options, HASHER)}
    c = counts(db)
    assert c["OF_BRAND"] == 38
    if optional:
        assert results["products"].quarantined == 0 and c["Product"] == 40
    else:
        assert results["products"].quarantined == 2 and c["Product"] == 38
        reasons = {json.loads(line)["reason"] for p in (tmp_path / "q").rglob("*.jsonl")
                   for line in p.read_text().splitlines()}  # fmt: skip
        assert reasons == {"empty key for match node nodes.brand"}
    first = checksum(db)
    run(db, options, HASHER)  # no watermark: the whole source again, idempotently
    assert checksum(db) == first


def test_epoch_ms_in_an_iso_column_is_quarantined_not_misread(db, tmp_path):
    data = feedgen.rows()
    for i, review in enumerate(data["reviews"]):
        review["ts"] = "1767042541236" if i in (5, 50, 150) else feedgen.iso(review["ts"])
    feeds = feedgen.write(data, tmp_path / "feeds")
    results = {r.feed: r for r in run(db, Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q",
                                                  max_bad_ratio=1.0), HASHER)}  # fmt: skip
    assert results["reviews"].quarantined == 3 and results["reviews"].written == 397
    assert results["reviews"].reasons == {"ts: bad datetime": 3}
    old = db.read("MATCH ()-[r:REVIEWED]->() WHERE r.ts.year < 2000 RETURN count(r) AS n")
    assert old == [{"n": 0}]


def test_a_mapping_of_switch_nodes_alone_loads(db, tmp_path):
    """The write statement may end in the switch node's CALL (no relationship after it)."""
    m = yaml.safe_load(ACCOUNTS)
    m["columns"] = {k: m["columns"][k] for k in ("account_id", "kind", "status")}
    m["nodes"] = {"account": {**m["nodes"]["account"], "properties": {}}}
    m["relationships"] = []
    mappings, feeds = tmp_path / "m", tmp_path / "f"
    mappings.mkdir(), feeds.mkdir()
    (mappings / "accounts.yaml").write_text(yaml.safe_dump(m))
    with gzip.open(feeds / "accounts.jsonl.gz", "wt") as f:
        f.writelines(json.dumps(r) + "\n" for r in RECORDS[:3])
    options = Options(feeds_dir=feeds, mappings_dir=mappings, quarantine_dir=tmp_path / "q")
    (result,) = run(db, options, HASHER)
    assert result.written == 3
    assert counts(db) == {"Seller": 2, "Reviewer": 1}
