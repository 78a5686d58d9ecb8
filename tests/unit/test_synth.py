"""graphkit.synth: deterministic feeds that match docs/feeds.md, with a consistent ground truth."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
import yaml

from graphkit import identity
from graphkit.errors import GraphkitError
from graphkit.synth import fake, generate, read_truth
from graphkit.synth.feeds import FEEDS
from graphkit.synth.truth import ARCHETYPES, BENIGN_REASONS

DOC_COLUMNS = {  # copied from docs/feeds.md: the contract
    "sellers": "seller_id, legal_name, display_name, email, phone, address, country, "
    "registered_at, status, closed_at, reason, updated_at",
    "brands": "brand_id, name, registered_at, updated_at",
    "products": "product_id, seller_id, brand_id, title, category, price, listed_at, updated_at",
    "reviewers": "reviewer_id, display_name, email, phone, country, joined_at, updated_at",
    "reviews": "review_id, reviewer_id, product_id, rating, ts, verified_purchase, updated_at",
    "logins": "event_id, account_type, account_id, device_fingerprint, ip, ts, updated_at",
    "payments": "payment_id, account_type, account_id, method, card_number, iban, seen_at, "
    "updated_at",
    "messages": "message_id, seller_id, reviewer_id, ts, body, updated_at",
    "refunds": "refund_id, seller_id, reviewer_id, product_id, amount, currency, ts, updated_at",
}  # fmt: skip


def read_feed(out: Path, name: str) -> list[dict]:
    path = out / "feeds" / FEEDS[name].file
    if path.suffix == ".csv":
        options = pa_csv.ConvertOptions(column_types={c: "string" for c, _ in FEEDS[name].columns})
        return pa_csv.read_csv(path, convert_options=options).to_pylist()
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate(out, scale="tiny", seed=7)
    return out


def digests(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_same_seed_is_byte_identical_and_another_seed_differs(tiny, tmp_path):
    generate(tmp_path / "again", scale="tiny", seed=7)
    generate(tmp_path / "other", scale="tiny", seed=8)
    assert digests(tmp_path / "again") == digests(tiny)
    other = digests(tmp_path / "other")
    assert all(other[name] != digest for name, digest in digests(tiny).items())


def test_feeds_have_the_documented_columns(tiny):
    for name, columns in DOC_COLUMNS.items():
        rows = read_feed(tiny, name)
        assert rows, name
        assert list(rows[0]) == columns.split(", "), name
    assert (
        pq.ParquetFile(tiny / "feeds" / "reviews.parquet").schema_arrow.field("rating").type
        == "int64"
    )


def test_every_archetype_and_lookalike_is_planted(tiny):
    truth = read_truth(tiny)
    assert {ring.archetype for ring in truth.rings} == set(ARCHETYPES)
    assert {item.reason for item in truth.benign} == set(BENIGN_REASONS)
    assert truth.rows == {name: len(read_feed(tiny, name)) for name in FEEDS}


def normalised(kind: str, raw: str, country: str) -> str:
    return {
        "email": identity.normalise_email,
        "phone": lambda v: identity.normalise_phone(v, country),
        "address": identity.normalise_address,
        "ip": identity.normalise_ip,
        "device": str.strip,
        "payment": lambda v: (
            identity.normalise_card if v[:1].isdigit() else identity.normalise_iban
        )(v),
    }[kind](raw)


def identifier_users(out: Path) -> dict[tuple[str, str], set[str]]:
    """(kind, normalised value) -> accounts that use it, read back from the feeds."""
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    dirty = {(d.feed, d.row) for d in read_truth(out).dirty_rows}
    country = {}
    for feed, key in (("sellers", "seller_id"), ("reviewers", "reviewer_id")):
        for i, row in enumerate(read_feed(out, feed)):
            country[row[key]] = row["country"]
            if (feed, i) in dirty:
                continue
            for kind in ("email", "phone", "address"):
                if row.get(kind):
                    users[kind, normalised(kind, row[kind], row["country"])].add(row[key])
    for feed, columns in (
        ("logins", ("device_fingerprint", "ip")),
        ("payments", ("card_number", "iban")),
    ):
        for i, row in enumerate(read_feed(out, feed)):
            if (feed, i) in dirty:
                continue
            for column in columns:
                kind = {"device_fingerprint": "device", "ip": "ip"}.get(column, "payment")
                if row[column]:
                    users[kind, normalised(kind, row[column], "GB")].add(row["account_id"])
    return users


def test_ground_truth_is_consistent_with_the_feeds(tiny):
    truth = read_truth(tiny)
    sellers = {r["seller_id"] for r in read_feed(tiny, "sellers")}
    reviewers = {r["reviewer_id"] for r in read_feed(tiny, "reviewers")}
    products = {r["product_id"]: r for r in read_feed(tiny, "products")}
    brands = {r["brand_id"] for r in read_feed(tiny, "brands")}
    users = identifier_users(tiny)
    country = {r["seller_id"]: r["country"] for r in read_feed(tiny, "sellers")}
    country |= {r["reviewer_id"]: r["country"] for r in read_feed(tiny, "reviewers")}
    for group in [*truth.rings, *truth.benign]:
        assert set(group.sellers) <= sellers and set(group.reviewers) <= reviewers
        assert set(group.products) <= set(products)
        for ident in group.identifiers:
            key = (ident.kind, normalised(ident.kind, ident.value, country[ident.accounts[0]]))
            assert len(ident.accounts) >= 2 and set(ident.accounts) <= users[key], (
                ident,
                users[key],
            )
    for ring in truth.rings:
        assert set(ring.brands) <= brands
        members = set(ring.sellers) | set(ring.reviewers)
        linked = {a for ident in ring.identifiers for a in ident.accounts}
        if ring.archetype in ("identity", "repeat_offender", "self_review"):
            assert linked == members, ring.ring_id
        if ring.archetype in ("paid_review", "camouflage") and len(ring.sellers) > 1:
            assert linked == set(ring.sellers), ring.ring_id  # reviewers: lockstep, below


def test_paid_reviewers_are_solicited_and_review_in_lockstep(tiny):
    truth = read_truth(tiny)
    messaged = {(m["seller_id"], m["reviewer_id"]) for m in read_feed(tiny, "messages")}
    reviews = defaultdict(list)
    for r in read_feed(tiny, "reviews"):
        if r["rating"] == 5:
            reviews[r["product_id"]].append((r["ts"], r["reviewer_id"]))
    for ring in truth.rings:
        if ring.archetype not in ("paid_review", "camouflage"):
            continue
        for reviewer in ring.reviewers:
            assert any((s, reviewer) in messaged for s in ring.sellers)
            partners = {
                other
                for p in ring.products
                for ts, who in reviews[p]
                if who == reviewer
                for ts2, other in reviews[p]
                if other != reviewer and abs(_hours(ts) - _hours(ts2)) <= 72  # 36 h + date-only
            }
            assert partners, reviewer


def _hours(ts: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(ts).timestamp() / 3600


def test_repeat_offenders_reopen_after_closure(tiny):
    sellers = {r["seller_id"]: r for r in read_feed(tiny, "sellers")}
    ring = next(r for r in read_truth(tiny).rings if r.archetype == "repeat_offender")
    closed = max(_hours(sellers[s]["closed_at"]) for s in ring.closed_sellers)
    assert all(
        sellers[s]["status"] == "closed" and sellers[s]["reason"] for s in ring.closed_sellers
    )
    new = set(ring.sellers) - set(ring.closed_sellers)
    assert new and all(_hours(sellers[s]["registered_at"]) > closed - 72 for s in new)


def test_honest_accounts_share_several_identifiers_only_in_groups(tiny):
    truth = read_truth(tiny)
    ring = truth.ring_sellers() | truth.ring_reviewers()
    groups = {
        a
        for b in truth.benign
        if b.reason in ("household-device", "office", "family", "cafe")
        for a in (*b.sellers, *b.reviewers)
    }
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for accounts in identifier_users(tiny).values():
        honest = sorted(accounts - ring - groups)
        if 2 <= len(honest) <= 5:
            for i, a in enumerate(honest):
                for b in honest[i + 1 :]:
                    pairs[a, b] += 1
    assert max(pairs.values(), default=0) <= 1


def test_dirty_rows_are_recorded(tiny):
    truth = read_truth(tiny)
    kinds = {d.kind for d in truth.dirty_rows}
    assert kinds == {"missing_key", "bad_date", "bad_phone", "bad_rating", "unknown_ref"}
    reviews = read_feed(tiny, "reviews")
    for d in truth.dirty_rows:
        if d.feed == "reviews" and d.kind == "bad_rating":
            assert (
                reviews[d.row]["rating"] not in range(1, 6) and reviews[d.row]["review_id"] == d.id
            )
        if d.kind == "missing_key":
            assert read_feed(tiny, d.feed)[d.row][FEEDS[d.feed].columns[0][0]] in (None, "")


def test_raw_identifiers_are_valid_and_messy(tiny):
    payments = read_feed(tiny, "payments")
    cards = [p["card_number"] for p in payments if p["card_number"]]
    assert all(identity.luhn_ok(identity.normalise_card(c)) for c in cards)
    assert all(identity.normalise_iban(p["iban"]) for p in payments if p["iban"])
    phones = [r["phone"] for r in read_feed(tiny, "reviewers")]
    assert any(p.startswith("00") for p in phones) and any(p.startswith("+") for p in phones)


NORMALISERS = {
    "email": lambda raw, _: identity.normalise_email(raw),
    "phone": identity.normalise_phone,
    "address": lambda raw, _: identity.normalise_address(raw),
    "card": lambda raw, _: identity.normalise_card(raw),
    "iban": lambda raw, _: identity.normalise_iban(raw),
    "ip": lambda raw, _: identity.normalise_ip(raw),
    "device": lambda raw, _: raw,
}


@pytest.mark.parametrize("kind", fake.MAKERS)
def test_distinct_numbers_give_distinct_identifiers(kind):
    """Accounts share an identifier only where the generator plants it: no two numbers render
    to one normalised value (German addresses once dropped the street type, so four accounts
    shared each address and unrelated rings were joined at ``seed`` scale)."""
    n = np.arange(40_000)
    for i, country in enumerate(fake.COUNTRIES):
        raw = fake.MAKERS[kind](n, np.full(len(n), i)).to_pylist()
        assert len({NORMALISERS[kind](value, country) for value in raw}) == len(n), country


def test_benign_register(tiny):
    register = yaml.safe_load((tiny / "truth" / "benign_register.yaml").read_text())
    assert register["version"] == "1"
    reasons = {e["reason"] for e in register["entries"]}
    assert reasons == {"prep-centre", "carrier-nat", "public-wifi", "payment-aggregator"}
    assert {e["kind"] for e in register["entries"]} <= {"address", "ip", "payment"}


def test_bad_arguments_say_what_to_do(tmp_path):
    with pytest.raises(GraphkitError, match="unknown scale") as info:
        generate(tmp_path, scale="huge")
    assert "tiny" in info.value.hint
    with pytest.raises(GraphkitError, match="seed"):
        generate(tmp_path, scale="tiny", seed=-1)


# --- the look-alikes and tactics that keep detection honest (small market) ------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate(out, scale="small", seed=3)
    return out


@pytest.fixture(scope="module")
def small_feeds(small) -> dict[str, list[dict]]:
    return {name: read_feed(small, name) for name in ("products", "reviews", "messages", "refunds")}


def _buyers_by_seller(feeds: dict[str, list[dict]]) -> dict[str, set[str]]:
    seller_of = {p["product_id"]: p["seller_id"] for p in feeds["products"]}
    buyers: dict[str, set[str]] = defaultdict(set)
    for r in feeds["reviews"]:
        buyers[seller_of.get(r["product_id"])].add(r["reviewer_id"])
    return buyers


def test_honest_sellers_message_most_of_their_buyers(small, small_feeds):
    truth = read_truth(small)
    service = {s for b in truth.benign if b.reason == "customer-service" for s in b.sellers}
    messaged: dict[str, set[str]] = defaultdict(set)
    for m in small_feeds["messages"]:
        messaged[m["seller_id"]].add(m["reviewer_id"])
    buyers = _buyers_by_seller(small_feeds)
    shares = [
        len(messaged[s] & buyers[s]) / len(buyers[s]) for s in service if len(buyers[s]) >= 10
    ]
    assert len(shares) >= 20 and sum(share > 0.5 for share in shares) >= 10
    assert max(shares) > 0.9  # some message nearly every buyer
    assert not service & truth.ring_sellers()


def test_message_text_follows_its_kind_with_overlap(small, small_feeds):
    truth = read_truth(small)
    ring_pairs = {
        (s, r)
        for ring in truth.rings
        if ring.archetype in ("paid_review", "camouflage")
        for s in ring.sellers
        for r in ring.reviewers
    }
    honest = [
        m["body"] for m in small_feeds["messages"] if m["seller_id"] not in truth.ring_sellers()
    ]
    paid = [
        m["body"]
        for m in small_feeds["messages"]
        if (m["seller_id"], m["reviewer_id"]) in ring_pairs
    ]
    assert any("review" in b for b in honest) and any("refund" in b for b in honest)
    assert any("delivered" in b or "dispatched" in b for b in honest)
    assert any("colour" in b for b in honest)
    assert paid and not set(paid) & set(honest)
    assert any("5-star review" in b for b in honest) and any("5-star review" in b for b in paid)
    assert any("review" not in b and "5" not in b for b in paid)  # a keyword model misses some


def test_complaints_are_refunded_then_rated_low_or_not_reviewed(small, small_feeds):
    truth = read_truth(small)
    rings = truth.ring_sellers() | truth.ring_reviewers()
    ratings = {(r["reviewer_id"], r["product_id"]): r["rating"] for r in small_feeds["reviews"]}
    complaints = [
        ratings.get((f["reviewer_id"], f["product_id"]))
        for f in small_feeds["refunds"]
        if f["seller_id"] not in rings and f["reviewer_id"] not in rings
    ]
    assert sum(r is None for r in complaints) >= 10
    assert sum(r is not None and int(r) <= 2 for r in complaints) >= 10


def test_popular_brands_have_dozens_of_honest_resellers_and_brands_move(small, small_feeds):
    truth = read_truth(small)
    sellers_of: dict[str, set[str]] = defaultdict(set)
    for p in small_feeds["products"]:
        if p["seller_id"] not in truth.ring_sellers():
            sellers_of[p["brand_id"]].add(p["seller_id"])
    counts = sorted(len(s) for s in sellers_of.values())
    assert counts[-1] >= 20 and counts[len(counts) // 2] <= 3  # heavy-tailed
    listed = {p["product_id"]: p for p in small_feeds["products"]}
    transfers = [b for b in truth.benign if b.reason == "brand-transfer"]
    assert transfers
    for item in transfers:
        old, new = (
            item.sellers
            if item.sellers[0] in {listed[p]["seller_id"] for p in item.products[:1]}
            else item.sellers[::-1]
        )
        by_seller = defaultdict(list)
        for p in item.products:
            assert listed[p]["brand_id"] == item.brands[0]
            by_seller[listed[p]["seller_id"]].append(_hours(listed[p]["listed_at"]))
        assert set(by_seller) == {old, new}
        assert max(by_seller[old]) < min(by_seller[new])


def test_crowds_of_honest_reviewers_co_review_popular_products(small, small_feeds):
    truth = read_truth(small)
    crowds = [b for b in truth.benign if b.reason == "popular-crowd"]
    launches = [b for b in truth.benign if b.reason == "launch-burst"]
    assert crowds and launches and max(len(b.reviewers) for b in launches) >= 50
    honest = {a for b in crowds for a in b.reviewers}
    assert not honest & truth.ring_reviewers()
    times: dict[str, dict[str, float]] = defaultdict(dict)
    for r in small_feeds["reviews"]:
        if r["reviewer_id"] in honest:
            times[r["reviewer_id"]][r["product_id"]] = _hours(r["ts"])
    lockstep = 0  # honest pairs with 2+ products reviewed within 48 hours of each other
    hunters = sorted(times)
    for i, a in enumerate(hunters):
        for b in hunters[i + 1 :]:
            shared = times[a].keys() & times[b].keys()
            lockstep += sum(abs(times[a][p] - times[b][p]) <= 48 for p in shared) >= 2
    assert lockstep >= 50


def test_honest_groups_share_identifiers_beyond_pairs(small):
    truth = read_truth(small)
    users = identifier_users(small)
    register = yaml.safe_load((small / "truth" / "benign_register.yaml").read_text())
    registered = {e["value"] for e in register["entries"]}
    sizes = defaultdict(list)
    for item in truth.benign:
        if item.reason in ("office", "family", "cafe"):
            assert 2 <= len(item.sellers) + len(item.reviewers) <= 30
            assert not {i.value for i in item.identifiers} & registered
            sizes[item.reason] += [len(i.accounts) for i in item.identifiers]
    assert set(sizes) == {"office", "family", "cafe"}
    assert max(sizes["office"]) >= 10 and min(sizes["office"]) <= 3
    office = next(b for b in truth.benign if b.reason == "office" and len(b.sellers) >= 2)
    kinds = {i.kind for i in office.identifiers}
    assert {"ip", "address"} <= kinds
    assert any(len(v) >= 10 for (kind, _), v in users.items() if kind == "ip")


def test_rings_are_heavy_tailed_and_each_tactic_stands_alone(small, small_feeds):
    truth = read_truth(small)
    sizes = [len(r.sellers) + len(r.reviewers) for r in truth.rings]
    assert min(sizes) >= 2 and max(sizes) <= 60 and max(sizes) >= 30
    assert sorted(sizes)[len(sizes) // 2] <= 12
    messaged = {(m["seller_id"], m["reviewer_id"]) for m in small_feeds["messages"]}
    for ring in truth.rings:
        kinds = {i.kind for i in ring.identifiers}
        if ring.archetype == "device_ring":
            assert kinds == {"device"} and not ring.brands
        if ring.archetype == "card_chain":
            assert kinds == {"payment"} and not ring.brands and not ring.reviewers
            assert all(len(i.accounts) == 2 for i in ring.identifiers)
        if ring.archetype == "review_pool":
            assert not ring.identifiers and not ring.brands and ring.products
            assert not {(s, r) for s in ring.sellers for r in ring.reviewers} & messaged
    assert {r.archetype for r in truth.rings} == set(ARCHETYPES)


def test_some_timestamps_are_dates_only(small, small_feeds):
    from datetime import date

    dirty = {(d.feed, d.row) for d in read_truth(small).dirty_rows}
    for feed, least in (("reviews", 0.05), ("refunds", 1.0)):
        stamps = [r["ts"] for i, r in enumerate(small_feeds[feed]) if (feed, i) not in dirty]
        dates = [s for s in stamps if len(s) == 10]
        assert len(dates) >= least * len(stamps) and all(date.fromisoformat(s) for s in dates)
    assert all("T" in r["updated_at"] for r in small_feeds["refunds"])


# --- ids and the generic truth files ----------------------------------------------------------


def test_opaque_ids_carry_no_kind(tmp_path):
    import re

    generate(tmp_path / "a", scale="tiny", seed=7, id_scheme="opaque")
    generate(tmp_path / "b", scale="tiny", seed=7, id_scheme="opaque")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    out = tmp_path / "a"
    keys = {
        name: {row[FEEDS[name].columns[0][0]] for row in read_feed(out, name)} - {None, ""}
        for name in ("sellers", "reviewers", "products", "brands")
    }
    everything = set().union(*keys.values())
    assert len(everything) == sum(len(k) for k in keys.values())  # kinds never share an id
    assert not any(re.fullmatch(r"[SRPB]\d+", i) for i in everything)
    assert len({len(i) for i in everything}) == 1  # one form for every kind
    truth = read_truth(out)
    assert truth.ring_sellers() <= keys["sellers"]
    assert truth.ring_reviewers() <= keys["reviewers"]
    test_ground_truth_is_consistent_with_the_feeds(out)
    with pytest.raises(GraphkitError, match="id scheme"):
        generate(tmp_path / "c", scale="tiny", id_scheme="uuid")


def test_generic_truth_files_agree_with_the_json(small):
    truth = read_truth(small)
    rings = pa_csv.read_csv(small / "truth" / "rings.csv").to_pylist()
    assert {(r["account_id"], r["ring_id"], r["archetype"]) for r in rings} == {
        (a, ring.ring_id, ring.archetype)
        for ring in truth.rings
        for a in (*ring.sellers, *ring.reviewers)
    }
    assert len(rings) == len(truth.ring_sellers() | truth.ring_reviewers())
    benign = pa_csv.read_csv(small / "truth" / "benign.csv").to_pylist()
    assert {(b["account_id"], b["kind"]) for b in benign} == {
        (a, item.reason) for item in truth.benign for a in (*item.sellers, *item.reviewers)
    }
    flagged = {b["account_id"] for b in benign}
    assert not flagged & {r["account_id"] for r in rings}


def test_cli_id_scheme(tmp_path):
    from typer.testing import CliRunner

    from graphkit.cli import app

    args = ["synth", "--scale", "tiny", "--seed", "7", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--id-scheme", "opaque"])
    assert result.exit_code == 0, result.output
    sellers = {row["seller_id"] for row in read_feed(tmp_path, "sellers")} - {None, ""}
    assert {len(s) for s in sellers} == {12}
    assert read_truth(tmp_path).ring_sellers() <= sellers
    bad = CliRunner().invoke(app, [*args, "--id-scheme", "uuid"])
    assert bad.exit_code != 0 and "prefixed" in bad.output
