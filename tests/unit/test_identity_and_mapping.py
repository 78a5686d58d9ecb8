"""Identity normalisation, mapping validation and transform rules (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.config import load_settings
from graphkit.errors import ConfigError
from graphkit.identity import DEMO_KEY, Hasher, InvalidIdentifier, normalise_email
from graphkit.ingest.mapping import MappingError, load_mapping, load_mappings, load_order
from graphkit.ingest.transform import Bad, Transformer

H = Hasher(DEMO_KEY)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (" John.Doe+promo@GMail.com ", "johndoe@googlemail.com"),
        ("Jane+x@Example.org", "jane@example.org"),
    ],
)
def test_email_variants_hash_alike(a, b):
    assert H.email(a)["hash"] == H.email(b)["hash"]


def test_dots_matter_outside_gmail():
    assert normalise_email("a.b@example.org") != normalise_email("ab@example.org")


def test_phone_formats_agree_and_bad_numbers_fail():
    forms = ["+44 20 7946 0958", "0044 20 7946 0958", "(020) 7946-0958"]
    assert len({H.phone(f, "GB")["hash"] for f in forms}) == 1
    with pytest.raises(InvalidIdentifier):
        H.phone("call me maybe", "GB")


def test_address_card_iban_ip():
    a = H.address("12 High St., London SW1A 1AA, GB", "GB")
    assert a == H.address("12 HIGH STREET LONDON SW1A1AA GB", "gb")
    assert a["postcode_prefix"] == "SW1A"
    assert H.card("4111-1111-1111-1111") == H.card("4111 1111 1111 1111")
    with pytest.raises(InvalidIdentifier, match="Luhn"):
        H.card("4111 1111 1111 1112")
    with pytest.raises(InvalidIdentifier, match="mod-97"):
        H.iban("GB00 WEST 1234 5698 7654 32")
    assert H.ip("2001:0DB8::0001") == {"ip": "2001:db8::1", "version": 6}


def test_hash_key_is_required_unless_demo():
    settings = load_settings(env={})
    with pytest.raises(ConfigError, match="GRAPHKIT_HASH_KEY"):
        Hasher.from_settings(settings)
    assert Hasher.from_settings(settings, demo=True).hash("x", "y") == H.hash("x", "y")


def test_shipped_mappings_load_in_dependency_order():
    mappings = load_mappings()
    assert len(mappings) == 9
    levels = load_order(mappings)
    assert levels[-1] == ["reviews"] and "sellers" in levels[0]


def test_invalid_mapping_names_file_and_field(tmp_path: Path):
    path = tmp_path / "brands.yaml"
    path.write_text(
        "feed: brands\nmode: snapshot\nsource: {files: b.csv}\nkey: [brand_id]\n"
        "watermark: updated_at\ncolumns:\n  brand_id: {type: strng}\n  updated_at: {}\n"
    )
    with pytest.raises(MappingError) as err:
        load_mapping(path)
    assert str(path) in str(err.value) and "columns.brand_id.type" in str(err.value)


def test_transform_rejects_and_keeps_first_of_conflicting_duplicates():
    from graphkit.ingest.mapping import MAPPINGS_DIR

    t = Transformer(load_mapping(MAPPINGS_DIR / "reviews.yaml"), H)
    good = {"review_id": "RV1", "reviewer_id": "R1", "product_id": "P1", "rating": "5",
            "ts": "2024-01-01T00:00:00+02:00", "updated_at": "2024-01-01T00:00:00Z"}  # fmt: skip
    row = t.row("f:2", good)
    assert row["rating"] == 5 and row["ts"].hour == 22
    assert t.row("f:3", dict(good)) is None  # exact duplicate: skipped
    conflict = t.row("f:4", dict(good, rating="4"))
    assert isinstance(conflict, Bad) and "conflicting" in conflict.reason
    out_of_range = t.row("f:5", dict(good, review_id="RV2", rating="9"))
    assert isinstance(out_of_range, Bad) and out_of_range.field == "rating"


def test_columnar_batch_skips_rows_at_or_before_the_watermark_without_losing_others():
    from datetime import UTC, datetime

    import pyarrow as pa

    from graphkit.ingest.mapping import MAPPINGS_DIR
    from graphkit.ingest.sources import Columns

    stamps = ["2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-01-02T00:00:00Z",
              "2024-02-30T00:00:00Z"]  # fmt: skip
    data = pa.RecordBatch.from_pydict({
        "review_id": [f"RV{i}" for i in range(4)], "reviewer_id": ["R1"] * 4,
        "product_id": ["P1"] * 4, "rating": [5, 4, 3, 2], "ts": stamps,
        "verified_purchase": [True] * 4, "updated_at": stamps,
    })  # fmt: skip
    since = datetime(2024, 1, 2, tzinfo=UTC)
    t = Transformer(load_mapping(MAPPINGS_DIR / "reviews.yaml"), H, since=since)
    batch = t.batch(Columns("reviews.parquet", 10, data))
    assert (batch.read, batch.skipped) == (4, 2)  # RV0 and RV2 are not newer; RV3 is no date
    assert [r["review_id"] for r in batch.rows] == ["RV1"]
    assert batch.locators == ["reviews.parquet:11"]
    assert [(b.locator, b.field) for b in batch.bad] == [("reviews.parquet:13", "ts")]


def test_an_address_shared_across_countries_gets_the_country_it_names():
    """Found by the soak: the Address node's country was the row's, so an address that
    sellers of two countries share took the country of whichever was loaded last (a sync and
    a clean load disagreed)."""
    hasher = Hasher(DEMO_KEY)
    london = "169 High Street, London SW1A 1AA, GB"
    assert hasher.address(london, "DE") == hasher.address(london, "GB")
    assert hasher.address(london, "DE")["country"] == "GB"
    assert hasher.address("1 Main St 94107", "us")["country"] == "US"  # names none: the row's
