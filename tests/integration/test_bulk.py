"""`load --bulk` (neo4j-admin import) gives the same graph as the Bolt loader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import feedgen
import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.config import load_settings
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.ingest.bulk import BulkError, bulk_load
from graphkit.ingest.checkpoint import watermark
from graphkit.ingest.mapping import load_mappings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
HASHER = Hasher(DEMO_KEY)
FEEDS = set(load_mappings())


def test_bulk_import_equals_the_bolt_path(db, tmp_path):
    data = feedgen.rows()
    reviews = data["reviews"]  # the bulk path writes these from Arrow columns: same rules
    reviews += [
        {**reviews[0], "review_id": "RV99999999", "reviewer_id": "R9999999"},  # unknown
        dict(reviews[1]),  # an exact repeat: skipped
        {**reviews[2], "rating": 6 - reviews[2]["rating"]},  # conflicting: quarantined
    ]
    feeds = feedgen.write(data, tmp_path / "feeds")
    options = Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q")
    loaded = {r.feed: (r.written, r.quarantined, r.skipped) for r in run(db, options, HASHER)}
    assert loaded["reviews"][1:] == (1, 1)  # the unknown reference waits (pending)
    bolt = checksum(db), counts(db)
    with pytest.raises(BulkError, match="empty"):
        bulk_load(options, HASHER, echo=lambda *_: None)
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    done: Counter[str] = Counter()
    results = bulk_load(options, HASHER, echo=lambda *_: None,
                        progress=lambda feed, rows, total: done.update({feed: rows}))  # fmt: skip
    assert all(r.status == "ok" for r in results)
    assert {r.feed: (r.written, r.quarantined, r.skipped) for r in results} == loaded
    assert done == {r.feed: r.read for r in results}
    assert (checksum(db), counts(db)) == bolt
    assert watermark(db, "reviews") is not None
    again = run(db, options, HASHER, incremental=True)
    assert sum(r.written for r in again) == 0
    db.run_autocommit("MATCH (n) DETACH DELETE n")  # the CLI, feeds transformed in 2 processes
    args = ["load", "--bulk", "--jobs", "2", "--feeds-dir", str(feeds),
            "--quarantine-dir", str(tmp_path / "q2"), "--demo-key"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (checksum(db), counts(db)) == bolt


def test_bulk_keeps_the_newest_version_and_moved_events_like_bolt(db, tmp_path):
    data = feedgen.rows()
    s0, r1, r2 = data["sellers"][0], data["reviews"][1], data["reviews"][2]
    data["sellers"].insert(0, {**s0, "status": "closed", "updated_at": "2025-01-01T00:00:00Z"})
    later = r1["updated_at"] + (r2["updated_at"] - r1["updated_at"]) * 1000
    data["reviews"] += [
        {**r1, "rating": 6 - r1["rating"] if r1["rating"] != 3 else 1, "updated_at": later},
        {**r2, "reviewer_id": "R0000000", "product_id": "P0000000", "updated_at": later},
    ]
    options = Options(feeds_dir=feedgen.write(data, tmp_path / "feeds"),
                      quarantine_dir=tmp_path / "q")  # fmt: skip
    bolt_results = {r.feed: (r.written, r.quarantined, r.superseded)
                    for r in run(db, options, HASHER)}  # fmt: skip
    assert bolt_results["reviews"][1:] == (0, 2)
    bolt = checksum(db), counts(db)
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    results = bulk_load(options, HASHER, echo=lambda *_: None)
    assert {r.feed: (r.written, r.quarantined, r.superseded) for r in results} == bolt_results
    assert (checksum(db), counts(db)) == bolt


def test_bulk_holds_the_feed_leases_and_refuses_if_anything_wrote_meanwhile(db, tmp_path):
    options = Options(feeds_dir=feedgen.write(feedgen.rows(), tmp_path / "feeds"),
                      quarantine_dir=tmp_path / "q", batch_size=50)  # fmt: skip
    seen: list = []
    import_dir = Path(load_settings().home).expanduser() / "import"
    before = set(import_dir.glob("*"))

    def meanwhile(feed, rows, total):  # while the import files are prepared
        if not seen:
            seen.extend(db.read("MATCH (l:Lease) RETURN l.feed AS feed"))
            db.write("MERGE (:Brand {brand_id: 'B-intruder'})")

    with pytest.raises(BulkError, match="wrote"):
        bulk_load(options, HASHER, echo=lambda *_: None, progress=meanwhile)
    assert {row["feed"] for row in seen} == FEEDS
    assert db.read("MATCH (l:Lease) RETURN count(l) AS n") == [{"n": 0}]  # released
    assert set(import_dir.glob("*")) <= before  # the import files are removed on failure too


def test_bad_rows_raw_pii_goes_to_the_quarantine_never_to_the_spool(tmp_path):
    from graphkit.erasure import Erased
    from graphkit.ingest.bulk import _spool

    data = feedgen.rows()
    email, card = "Planted.Leak+x@Example.org", "4000 0566 5566 5556"
    data["sellers"].append({**data["sellers"][0], "seller_id": "bad-seller", "email": email,
                            "status": "not-a-status"})  # fmt: skip
    data["payments"].append({**data["payments"][0], "payment_id": "bad-payment",
                             "card_number": card, "method": "cash"})  # fmt: skip
    options = Options(feeds_dir=feedgen.write(data, tmp_path / "feeds"),
                      quarantine_dir=tmp_path / "q")  # fmt: skip
    for feed, raw in (("sellers", email), ("payments", card)):
        spool = _spool(options, HASHER, feed, tmp_path / f"{feed}.spool", f"{feed}-1", Erased())
        assert spool.stat().st_mode & 0o777 == 0o600
        content = spool.read_bytes()
        assert raw.encode() not in content and raw.split("+")[0].encode() not in content
        assert b"not-a-status" not in content and b"cash" not in content
        assert raw in (tmp_path / "q" / feed / f"{feed}-1.jsonl").read_text()  # quarantined


def test_bulk_keeps_the_same_history_as_bolt(db, tmp_path):
    """Rotations, a return to an old email, emptied columns and a tombstone, each in a later
    batch than the version it replaces: the same links retire (valid_to), reopen and keep
    valid_from, the same entity is deleted, on both paths."""
    data = feedgen.rows(n_reviews=40)
    s = data["sellers"]
    june, july = "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z"
    data["sellers"] += [
        {**s[0], "email": "new.owner@example.net", "updated_at": june},  # rotated
        {**s[1], "email": "", "phone": "", "updated_at": june},  # email kept, phone retired
        {"seller_id": s[2]["seller_id"], "updated_at": june, "op": "D"},  # deleted
        {**s[3], "address": "9 Elm Rd, York YO1 7HH, GB", "updated_at": june},
        {**s[3], "updated_at": july},  # back to its old address: the link reopens
    ]
    options = Options(feeds_dir=feedgen.write(data, tmp_path / "feeds"),
                      quarantine_dir=tmp_path / "q", batch_size=4)  # fmt: skip
    run(db, options, HASHER)
    bolt = checksum(db), counts(db)
    retired = db.read("MATCH ()-[r]->() WHERE r.valid_to IS NOT NULL RETURN count(r) AS n")
    assert retired == [{"n": 6}]  # S0 email, S1 phone, S2's three links, S3's York address
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    bulk_load(options, HASHER, echo=lambda *_: None)
    assert (checksum(db), counts(db)) == bolt
