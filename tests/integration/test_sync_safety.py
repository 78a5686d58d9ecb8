"""Issue 14: a sync loses nothing and hides nothing (live Neo4j)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import feedgen
import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.ingest.mapping import MAPPINGS_DIR

pytestmark = pytest.mark.integration
HASHER = Hasher(DEMO_KEY)
LATER = timedelta(days=400)


def load(db, feeds_dir: Path, tmp_path: Path, *, incremental=False, **kwargs):
    options = Options(feeds_dir=feeds_dir, quarantine_dir=tmp_path / "q", **kwargs)
    return {r.feed: r for r in run(db, options, HASHER, incremental=incremental)}


def clean_load(db, feeds: dict[str, list[dict]], tmp_path: Path, **kwargs) -> tuple[str, dict]:
    """Checksum and counts of a fresh load of ``feeds`` (the database is wiped first)."""
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    load(db, feedgen.write(feeds, tmp_path / "clean"), tmp_path, **kwargs)
    return checksum(db), counts(db)


def edges(db, review_id: str) -> list[dict]:
    return db.read(
        "MATCH (a)-[r:REVIEWED {review_id: $id}]->(b) "
        "RETURN a.reviewer_id AS reviewer, b.product_id AS product, r.rating AS rating",
        {"id": review_id},
    )


def test_a_corrected_review_moves_its_edge(db, tmp_path):
    data = feedgen.rows()
    src = feedgen.write(data, tmp_path / "feeds")
    load(db, src, tmp_path)
    old = data["reviews"][0]
    fixed = {**old, "reviewer_id": "R0000029" if old["reviewer_id"] != "R0000029" else "R0000028",
             "product_id": "P0000039" if old["product_id"] != "P0000039" else "P0000038",
             "updated_at": old["updated_at"] + LATER}  # fmt: skip
    final = dict(data, reviews=[fixed, *data["reviews"][1:]])
    feedgen.write({"reviews": final["reviews"]}, src)
    results = load(db, src, tmp_path, incremental=True)
    assert results["reviews"].written == 1
    assert edges(db, old["review_id"]) == [
        {"reviewer": fixed["reviewer_id"], "product": fixed["product_id"], "rating": old["rating"]}
    ]
    synced = checksum(db), counts(db)
    assert clean_load(db, final, tmp_path) == synced


def seller(db, seller_id: str) -> dict:
    return db.read(
        "MATCH (s:Seller {seller_id: $id}) OPTIONAL MATCH (s)-[:HAS_EMAIL]->(e) "
        "RETURN s.status AS status, collect(e.domain) AS domains",
        {"id": seller_id},
    )[0]


def versions(data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """``data`` plus a newer version of seller 0 (closed, new email) read before the original,
    and a newer version of review 1 (rating changed) read after it."""
    s0 = data["sellers"][0]
    closed = {**s0, "status": "closed", "email": "gone@example.net", "closed_at": s0["updated_at"],
              "reason": "fraud", "updated_at": "2025-01-01T00:00:00Z"}  # fmt: skip
    r1 = data["reviews"][1]
    rerated = {**r1, "rating": 6 - r1["rating"] if r1["rating"] != 3 else 1,
               "updated_at": r1["updated_at"] + LATER}  # fmt: skip
    return dict(data, sellers=[closed, *data["sellers"]], reviews=[*data["reviews"], rerated])


def test_newest_version_wins_whatever_the_read_order(db, tmp_path):
    data = versions(feedgen.rows())
    results = load(db, feedgen.write(data, tmp_path / "feeds"), tmp_path, batch_size=5)
    assert results["sellers"].quarantined == 0 and results["sellers"].superseded == 1
    assert results["reviews"].quarantined == 0 and results["reviews"].superseded == 1
    assert seller(db, "S000000") == {"status": "closed", "domains": ["example.net"]}
    assert [e["rating"] for e in edges(db, data["reviews"][1]["review_id"])] == [
        data["reviews"][-1]["rating"]
    ]


def test_an_older_version_arriving_later_does_not_overwrite(db, tmp_path):
    data = versions(feedgen.rows())
    load(db, feedgen.write(data, tmp_path / "feeds"), tmp_path)
    newest = checksum(db), counts(db)
    old = feedgen.rows()  # the original versions only, loaded again (a late backfill)
    results = load(db, feedgen.write(old, tmp_path / "old"), tmp_path)
    assert results["sellers"].superseded == 1 and results["reviews"].superseded == 1
    assert seller(db, "S000000") == {"status": "closed", "domains": ["example.net"]}
    assert (checksum(db), counts(db)) == newest


def test_a_quiet_resync_exits_0_and_the_budget_counts_only_new_bad_rows(db, tmp_path):
    data = feedgen.rows()
    data["sellers"][3]["status"] = "zombie"  # a bad value, a valid watermark
    data["sellers"][5]["updated_at"] = "yesterday"  # a bad watermark: read on every sync
    src = feedgen.write(data, tmp_path / "feeds")
    args = ["--feeds-dir", str(src), "--quarantine-dir", str(tmp_path / "q"), "--demo-key"]
    cli = CliRunner()
    first = cli.invoke(app, ["load", *args])
    assert first.exit_code == 1, first.output  # 2 of 12 sellers: over the 1% budget
    quiet = cli.invoke(app, ["sync", *args])
    assert quiet.exit_code == 0, quiet.output
    runs = db.read(
        "MATCH (r:SyncRun {feed: 'sellers', mode: 'sync'}) "
        "RETURN r.rows_quarantined AS new, r.rows_known_bad AS known"
    )
    assert runs == [{"new": 0, "known": 1}]
    extra = {**data["sellers"][0], "seller_id": "S000100", "updated_at": "2025-01-01T00:00:00Z"}
    feedgen.write({"sellers": [extra]}, src, append=True)
    appended = cli.invoke(app, ["sync", "sellers", *args])
    assert appended.exit_code == 0, appended.output
    bad = {**extra, "seller_id": "S000101", "status": "zombie", "updated_at": "2025-01-02"}
    feedgen.write({"sellers": [bad]}, src, append=True)
    new_bad = cli.invoke(app, ["sync", "sellers", *args])
    assert new_bad.exit_code == 1, new_bad.output


def test_rows_waiting_for_a_reference_load_when_it_arrives(db, tmp_path):
    data = feedgen.rows()
    late = data["sellers"].pop()  # S000011: its products (and their reviews) come first
    src = feedgen.write(data, tmp_path / "feeds")
    first = load(db, src, tmp_path)
    assert first["products"].quarantined == 0 and first["products"].pending == 3
    assert first["reviews"].quarantined == 0 and first["reviews"].pending > 0
    parked = db.read("MATCH (p:PendingRow) RETURN p.row AS row, p.first_seen AS since")
    assert parked and all(p["since"] is not None for p in parked)
    assert not any("@" in p["row"] for p in parked)  # hashed content only
    again = load(db, src, tmp_path, incremental=True)  # retried, still waiting, reported
    assert again["products"].pending == 3 and again["products"].written == 0
    final = dict(data, sellers=[*data["sellers"], {**late, "updated_at": "2025-01-01T00:00:00Z"}])
    feedgen.write({"sellers": final["sellers"]}, src)
    arrived = load(db, src, tmp_path, incremental=True)
    assert arrived["products"].written == 3 and arrived["products"].pending == 0
    assert db.read("MATCH (p:PendingRow) RETURN count(p) AS n") == [{"n": 0}]
    synced = checksum(db), counts(db)
    assert clean_load(db, final, tmp_path) == synced


def test_a_newer_version_written_unparks_the_older_waiting_one(db, tmp_path):
    """Found by the soak: a review parked for an unknown product stayed pending (and was
    reported waiting on every sync) after its corrected version loaded."""
    data = feedgen.rows()
    first = data["reviews"][0]
    data["reviews"][0] = {**first, "product_id": "P9999999"}  # no such product (yet)
    src = feedgen.write(data, tmp_path / "feeds")
    assert load(db, src, tmp_path)["reviews"].pending == 1
    fixed = {**first, "updated_at": first["updated_at"] + LATER}
    final = dict(data, reviews=[*data["reviews"], fixed])
    feedgen.write({"reviews": final["reviews"]}, src)
    synced = load(db, src, tmp_path, incremental=True)
    assert synced["reviews"].written == 1 and synced["reviews"].pending == 0
    assert db.read("MATCH (p:PendingRow) RETURN count(p) AS n") == [{"n": 0}]
    assert clean_load(db, final, tmp_path) == (checksum(db), counts(db))


def test_a_tombstone_of_a_feed_with_required_datetimes_loads(db, tmp_path):
    """Found by the soak: a product tombstone (key, version and marker only) stopped the
    sync with "Cannot construct date time from: NO_VALUE" (its required listed_at); once
    past that, it was counted written but lost: its statement looked up the product's
    seller and brand, which a tombstone does not name."""
    data = feedgen.rows()
    src = feedgen.write(data, tmp_path / "feeds")
    load(db, src, tmp_path)
    gone = data["products"][0]
    tombstone = {"product_id": gone["product_id"], "op": "delete",
                 "updated_at": "2025-01-01T00:00:00Z"}  # fmt: skip
    feedgen.write({"products": [tombstone]}, src, append=True)
    synced = load(db, src, tmp_path, incremental=True)
    assert synced["products"].written == 1 and synced["products"].quarantined == 0
    deleted = db.read("MATCH (p:Product {product_id: $id}) RETURN p.deleted_at IS NOT NULL AS d",
                      {"id": gone["product_id"]})  # fmt: skip
    assert deleted == [{"d": True}]


def test_quarantined_rows_replay_after_a_mapping_fix(db, tmp_path):
    data = feedgen.rows()
    data["sellers"][2]["display_name"] = "Shop " * 60  # 300 characters: over max_length 200
    src = feedgen.write(data, tmp_path / "feeds")
    load(db, src, tmp_path, max_bad_ratio=1.0)
    cli, where = CliRunner(), ["--quarantine-dir", str(tmp_path / "q")]
    listed = cli.invoke(app, ["quarantine", "list"])
    assert listed.exit_code == 0 and "sellers" in listed.output and "oversized" in listed.output
    fixed = shutil.copytree(MAPPINGS_DIR, tmp_path / "mappings")
    sellers = (fixed / "sellers.yaml").read_text()
    (fixed / "sellers.yaml").write_text(sellers.replace("max_length: 200}", "max_length: 500}"))
    replayed = cli.invoke(app, ["quarantine", "replay", "--mappings", str(fixed), *where,
                                "--demo-key"])  # fmt: skip
    assert replayed.exit_code == 0, replayed.output
    assert db.read("MATCH (s:Seller {seller_id: 'S000002'}) RETURN count(s) AS n") == [{"n": 1}]
    assert db.read("MATCH (q:QuarantinedRow) RETURN count(q) AS n") == [{"n": 0}]
    assert not any(p.read_text() for p in (tmp_path / "q").rglob("*.jsonl"))
    load(db, src, tmp_path, incremental=True, mappings_dir=fixed)  # its products were waiting
    synced = checksum(db), counts(db)
    assert clean_load(db, data, tmp_path, mappings_dir=fixed) == synced


def test_a_second_sync_of_a_leased_feed_exits_with_a_clear_message(db, tmp_path):
    src = feedgen.write(feedgen.rows(), tmp_path / "feeds")
    load(db, src, tmp_path)
    db.write(
        "MERGE (l:Lease {feed: 'sellers'}) "
        "SET l.holder = 'cron@host:4242', l.expires_at = datetime() + duration('PT1H')"
    )
    args = ["sync", "--feeds-dir", str(src), "--quarantine-dir", str(tmp_path / "q"),
            "--demo-key"]  # fmt: skip
    busy = CliRunner().invoke(app, args)
    assert busy.exit_code == 2, busy.output
    assert "sellers" in busy.output and "cron@host:4242" in busy.output
    assert "--wait" in busy.output
    db.write("MATCH (l:Lease {feed: 'sellers'}) SET l.expires_at = datetime() - duration('PT1S')")
    expired = CliRunner().invoke(app, args)  # an expired lease (a killed loader) is taken over
    assert expired.exit_code == 0, expired.output
    leases = db.read("MATCH (l:Lease) WHERE l.holder IS NOT NULL RETURN l.feed AS feed")
    assert leases == []  # released at the end of each feed


def test_a_run_with_another_hash_key_is_refused(db, tmp_path):
    src = feedgen.write(feedgen.rows(), tmp_path / "feeds")
    load(db, src, tmp_path)  # the demo key
    before = checksum(db)
    args = ["sync", "--feeds-dir", str(src), "--quarantine-dir", str(tmp_path / "q")]
    other = CliRunner().invoke(app, args, env={"GRAPHKIT_HASH_KEY": "a-real-key"})
    assert other.exit_code == 2, other.output
    assert "another hash key" in other.output and "--demo-key" in other.output
    assert checksum(db) == before
    same = CliRunner().invoke(app, [*args, "--demo-key"])
    assert same.exit_code == 0, same.output
