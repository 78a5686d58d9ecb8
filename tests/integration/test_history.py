"""Snapshot feeds keep history: retired links get ``valid_to`` instead of being deleted, a full
load retires only what came from the partitions it read, and tombstones propagate.

Each of these was a loss on the loader before (#14 points 3 and 4): the rotated email, the
emptied email column and the other files' links were deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import feedgen
import pytest

from graphkit import packs
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.packs.output import records

pytestmark = pytest.mark.integration
HASHER = Hasher(DEMO_KEY)
JUNE, JULY = datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC)


def load(db, feeds_dir: Path, tmp_path: Path, *, incremental=False, feeds=None):
    options = Options(feeds_dir=feeds_dir, quarantine_dir=tmp_path / "q")
    return {r.feed: r for r in run(db, options, HASHER, feeds=feeds, incremental=incremental)}


def links(db, seller_id: str, rel_type: str) -> list[dict]:
    """The seller's links of one type: the other end's domain/country code, history."""
    return db.read(
        "MATCH (s:Seller {seller_id: $id})-[r]->(i) WHERE type(r) = $type "
        "RETURN coalesce(i.domain, i.country_code, i.postcode_prefix) AS end, "
        "r.valid_from AS valid_from, r.valid_to AS valid_to ORDER BY end",
        {"id": seller_id, "type": rel_type},
    )


def rotations(db, window_days: int) -> list[tuple]:
    rows = records(packs.run("identity.rotation", db, window_days=window_days))
    return [(r["account_id"], r["trigger"], r["linked_account"]) for r in rows]


def native(value):
    return value.to_native() if value is not None else None


def test_a_rotated_email_stays_as_history_and_a_return_reopens_the_link(db, tmp_path):
    data = feedgen.rows()
    s0 = data["sellers"][0]  # shares its (gmail) email with S000009: the ring link
    src = feedgen.write(data, tmp_path / "feeds")
    load(db, src, tmp_path)
    rotated = dict(s0, email="new.owner@example.net", updated_at=JUNE.isoformat())
    feedgen.write({"sellers": [*data["sellers"][1:], rotated]}, src)
    load(db, src, tmp_path, incremental=True)
    now = links(db, "S000000", "HAS_EMAIL")
    assert [(r["end"], native(r["valid_to"])) for r in now] == [
        ("example.net", None),
        ("gmail.com", JUNE),  # retired, not deleted: the rotation itself is evidence
    ]
    first = native(now[1]["valid_from"])
    assert first == datetime.fromisoformat(s0["updated_at"])
    shared = db.read(
        "MATCH (:Seller {seller_id: 'S000000'})-[old:HAS_EMAIL]->(e)<-[r:HAS_EMAIL]-"
        "(:Seller {seller_id: 'S000009'}) RETURN old.valid_to IS NULL AS a, r.valid_to IS NULL AS b"
    )
    assert shared == [{"a": False, "b": True}]
    # identity.rotation: the two had shared the email for months (and S000009 was closed
    # months before): a rotation so long after is no finding at 30 days; at 200 days it is.
    assert rotations(db, 30) == []
    assert rotations(db, 200) == [("S000000", "closure", "S000009"),
                                  ("S000000", "shared", "S000009")]  # fmt: skip
    back = dict(s0, updated_at=JULY.isoformat())  # the old email again: the same link reopens
    feedgen.write({"sellers": [*data["sellers"][1:], back]}, src)
    load(db, src, tmp_path, incremental=True)
    now = links(db, "S000000", "HAS_EMAIL")
    assert [(r["end"], native(r["valid_from"]), native(r["valid_to"])) for r in now] == [
        ("example.net", JUNE, JULY),
        ("gmail.com", first, None),
    ]


def test_an_empty_email_keeps_the_link_and_an_empty_phone_retires_it(db, tmp_path):
    """sellers.yaml: HAS_EMAIL has ``on_null: keep`` (an export that leaves the email out
    says nothing about it); HAS_PHONE retires (the seller removed the phone)."""
    data = feedgen.rows()
    src = feedgen.write(data, tmp_path / "feeds")
    load(db, src, tmp_path)
    emptied = dict(data["sellers"][0], email="", phone="", updated_at=JUNE.isoformat())
    feedgen.write({"sellers": [*data["sellers"][1:], emptied]}, src)
    load(db, src, tmp_path, incremental=True)
    assert [(r["end"], r["valid_to"]) for r in links(db, "S000000", "HAS_EMAIL")] == [
        ("gmail.com", None)
    ]
    phone = links(db, "S000000", "HAS_PHONE")
    assert [(r["end"], native(r["valid_to"])) for r in phone] == [("44", JUNE)]


def test_a_full_load_of_some_files_retires_nothing_from_the_others(db, tmp_path):
    """Sellers come in two files; a full load given only the first keeps the second's
    links current, and retires (history) what the first no longer holds."""
    data = feedgen.rows()
    src = tmp_path / "feeds"
    feedgen.write(dict(data, sellers=data["sellers"][:6]), src, name="a")  # other feeds too
    feedgen.write({"sellers": data["sellers"][6:]}, src, name="b")
    load(db, src, tmp_path)
    before = checksum(db, current_only=True), counts(db, current_only=True)
    part = tmp_path / "part"
    part.mkdir()
    (part / "sellers.a.csv").write_bytes((src / "sellers.a.csv").read_bytes())
    load(db, part, tmp_path, feeds=["sellers"])
    assert (checksum(db, current_only=True), counts(db, current_only=True)) == before
    # Seller S000001 left file a: its entity is deleted and its links retire (history).
    kept = [s for s in data["sellers"][:6] if s["seller_id"] != "S000001"]
    feedgen.write({"sellers": kept}, part, name="a")
    load(db, part, tmp_path, feeds=["sellers"])
    gone = db.read(
        "MATCH (s:Seller {seller_id: 'S000001'}) RETURN s.deleted_at IS NOT NULL AS deleted, "
        "[(s)-[r {source: 'sellers'}]->() | r.valid_to IS NOT NULL] AS retired"
    )
    assert gone == [{"deleted": True, "retired": [True, True, True]}]
    others = db.read(
        "MATCH (s:Seller)-[r {source: 'sellers'}]->() WHERE s.seller_id >= 'S000006' "
        "RETURN count(*) AS n, count(r.valid_to) AS retired"
    )
    assert others == [{"n": 18, "retired": 0}]


def test_a_tombstone_deletes_the_entity_and_a_later_row_brings_it_back(db, tmp_path):
    data = feedgen.rows()
    src = feedgen.write(data, tmp_path / "feeds")
    load(db, src, tmp_path)
    s2 = data["sellers"][2]
    # A change-log deletion carries the key, the version and the marker, nothing required.
    tombstone = {"seller_id": s2["seller_id"], "updated_at": JUNE.isoformat(), "op": "D"}
    feedgen.write({"sellers": [*data["sellers"], tombstone]}, src)
    result = load(db, src, tmp_path, incremental=True)["sellers"]
    assert (result.written, result.quarantined) == (1, 0)
    seller = db.read(
        "MATCH (s:Seller {seller_id: $id}) RETURN s.deleted_at AS at, s.status AS status, "
        "[(s)-[r {source: 'sellers'}]->() | r.valid_to] AS ends",
        {"id": s2["seller_id"]},
    )
    assert [(native(r["at"]), r["status"], r["ends"]) for r in seller] == [
        (JUNE, "active", [JUNE, JUNE, JUNE])  # properties kept; links retired, not deleted
    ]
    assert counts(db, current_only=True)["Seller"] == 11
    back = dict(s2, updated_at=JULY.isoformat())
    feedgen.write({"sellers": [*data["sellers"], tombstone, back]}, src)
    load(db, src, tmp_path, incremental=True)
    seller = db.read(
        "MATCH (s:Seller {seller_id: $id}) RETURN s.deleted_at AS at, "
        "[(s)-[r {source: 'sellers'}]->() | r.valid_to] AS ends",
        {"id": s2["seller_id"]},
    )
    assert seller == [{"at": None, "ends": [None, None, None]}]


def test_a_tombstone_for_an_unknown_entity_writes_nothing(db, tmp_path):
    data = feedgen.rows()
    ghost = {"seller_id": "S-never-seen", "updated_at": JUNE.isoformat(), "op": "delete"}
    load(db, feedgen.write(dict(data, sellers=[*data["sellers"], ghost]), tmp_path / "f"),
         tmp_path)  # fmt: skip
    assert db.read("MATCH (s:Seller {seller_id: 'S-never-seen'}) RETURN s") == []
