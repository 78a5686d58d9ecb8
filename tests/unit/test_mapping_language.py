"""The mapping language for real exports (docs/loaders.md): each feature, and each bad-mapping
error naming the file, the key and what to write instead (no database)."""

from __future__ import annotations

import gzip
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from graphkit.identity import DEMO_KEY, Hasher, InvalidIdentifier, normalise_country
from graphkit.ingest.bulk import Graph
from graphkit.ingest.mapping import MAPPINGS_DIR, MappingError, load_mapping, load_mappings
from graphkit.ingest.sources import Columns, SourceError, open_source
from graphkit.ingest.transform import Bad, Transformer

H = Hasher(DEMO_KEY)
BASE = {"feed": "accounts", "mode": "snapshot", "source": {"files": "accounts.jsonl"},
        "key": ["id"]}  # fmt: skip


NODES = {"account": {"label": "Account", "key": {"account_id": "id"}}}


def mapping(tmp_path: Path, columns: dict, **extra):
    """A mapping file ``accounts.yaml`` with these columns (and ``id``), loaded."""
    body = {**BASE, "columns": {"id": {"type": "string", "required": True}, **columns},
            "nodes": NODES, **extra}  # fmt: skip
    path = tmp_path / f"{body['feed']}.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False))
    return load_mapping(path)


def transform(m, *records):
    t = Transformer(m, H)
    return [t.row(f"accounts.jsonl:{i + 1}", r) for i, r in enumerate(records)]


def test_path_reads_nested_json_fields(tmp_path):
    m = mapping(tmp_path, {"email": {"path": "profile.contact.email", "type": "email"},
                           "city": {"path": "profile.address.city"}})  # fmt: skip
    (row,) = transform(m, {"id": "a1", "profile": {"contact": {"email": "A@x.org"}}})
    assert row["email"] == H.email("a@x.org") and row["city"] is None
    (bad,) = transform(m, {"id": "a2", "profile": {"contact": {"email": {"x": 1}}}})
    assert isinstance(bad, Bad) and bad.field == "email" and "nested object" in bad.reason


@pytest.mark.parametrize(
    ("fmt", "value", "expected"),
    [
        ("iso", "2024-01-02T03:04:05+02:00", "2024-01-02T01:04:05+00:00"),
        ("iso", "2024-01-02", "2024-01-02T00:00:00+00:00"),
        ("date", "2024-01-02", "2024-01-02T00:00:00+00:00"),
        ("epoch_s", "1704164645", "2024-01-02T03:04:05+00:00"),
        ("epoch_ms", 1704164645123, "2024-01-02T03:04:05.123000+00:00"),
        ("epoch_us", "1704164645123456", "2024-01-02T03:04:05.123456+00:00"),
        ("%d/%m/%Y %H:%M", "02/01/2024 03:04", "2024-01-02T03:04:00+00:00"),
    ],
)
def test_datetime_formats(tmp_path, fmt, value, expected):
    m = mapping(tmp_path, {"created": {"type": "datetime", "format": fmt}})
    (row,) = transform(m, {"id": "a", "created": value})
    assert row["created"].isoformat() == expected


@pytest.mark.parametrize(
    ("fmt", "value"),
    [("iso", "1767042541236"), ("iso", 1767042541236), ("iso", "20240102T0304"),
     ("date", "2024-01-02T03:04:05Z"), ("epoch_ms", "2024-01-02"), ("epoch_s", True),
     ("%d/%m/%Y", "2024-01-02"), ("iso", "2024-02-30T10:00:00Z")],
)  # fmt: skip
def test_a_value_not_in_the_declared_format_is_bad_never_guessed(tmp_path, fmt, value):
    m = mapping(tmp_path, {"created": {"type": "datetime", "format": fmt}})
    (bad,) = transform(m, {"id": "a", "created": value})
    assert isinstance(bad, Bad) and bad.field == "created" and "bad datetime" in bad.reason


def test_epoch_ms_in_an_iso_column_is_quarantined_on_the_columnar_path_too():
    """Parquet goes through the vectorised checks first: neither path reads 1767-04-25."""
    t = Transformer(load_mapping(MAPPINGS_DIR / "reviews.yaml"), H)
    stamps = ["2024-01-01T00:00:00Z", "1767042541236"]
    data = pa.RecordBatch.from_pydict({
        "review_id": ["a", "b"], "reviewer_id": ["r", "r"], "product_id": ["p", "p"],
        "rating": [5, 4], "ts": stamps, "verified_purchase": [True, True], "updated_at": stamps,
    })  # fmt: skip
    batch, table, _ = t.columnar(Columns("reviews.parquet", 1, data))
    assert table.column("review_id").to_pylist() == ["a"]  # the fast path still vouches
    (bad,) = batch.bad
    assert bad.field == "ts" and "a number, not ISO 8601" in bad.reason
    assert "epoch_ms" in bad.reason


def test_transforms_map_enum_and_default(tmp_path):
    m = mapping(tmp_path, {
        "status": {"path": "state", "transform": ["trim", "upper"],
                   "map": {"ACTIVE": "active", "TERMINATED": "closed"},
                   "enum": ["active", "closed"]},
        "kind": {"path": "type", "default": "buyer"},
        "name": {"transform": ["trim", "lower"]},
    })  # fmt: skip
    row, bad = transform(
        m,
        {"id": "a", "state": " active ", "name": "  Big   SHOP "},
        {"id": "b", "state": "FROZEN", "type": "seller"},
    )
    assert (row["status"], row["kind"], row["name"]) == ("active", "buyer", "big shop")
    assert bad.field == "status" and bad.reason == "value not in map: 'FROZEN'"


def test_template_builds_one_value_from_cleaned_columns(tmp_path):
    m = mapping(tmp_path, {
        "country": {"path": "c", "type": "country"},
        "line1": {}, "city": {}, "postcode": {"transform": ["upper"]},
        "address": {"type": "address", "context": "country",
                    "template": "{line1}, {city} {postcode}, {country}"},
    })  # fmt: skip
    full, partial = transform(
        m, {"id": "a", "c": "United Kingdom", "line1": "12 High St.", "city": "London",
            "postcode": "sw1a 1aa"},
        {"id": "b", "c": "UK", "line1": "12 High St."},
    )  # fmt: skip
    assert full["address"] == H.address("12 HIGH STREET LONDON SW1A1AA GB", "GB")
    assert partial["address"] is None


@pytest.mark.parametrize(
    "name", ["UK", "United Kingdom", "gb", "GBR", "Great Britain", " the U.K. ", "Royaume-Uni"]
)
def test_country_names_codes_and_aliases(name):
    assert normalise_country(name) == "GB"
    assert normalise_country("Deutschland") == normalise_country("DEU") == "DE"


def test_unknown_country_is_refused():
    with pytest.raises(InvalidIdentifier, match="unknown country"):
        normalise_country("Atlantis")


def test_country_column_is_the_phone_context(tmp_path):
    m = mapping(tmp_path, {"country": {"type": "country"},
                           "phone": {"type": "phone", "context": "country"}})  # fmt: skip
    countries = ["UK", "United Kingdom", "gb", "GBR"]
    rows = transform(m, *({"id": str(i), "country": c, "phone": "(020) 7946-0958"}
                          for i, c in enumerate(countries)))  # fmt: skip
    assert {r["phone"]["hash"] for r in rows} == {H.phone("+44 20 7946 0958")["hash"]}
    assert {r["country"] for r in rows} == {"GB"}


def test_drop_value_keeps_the_row_and_counts_the_drop(tmp_path):
    m = mapping(tmp_path, {"email": {"type": "email", "on_invalid": "drop_value"},
                           "phone": {"type": "phone", "on_invalid": "drop_value"},
                           "age": {"type": "int"}})  # fmt: skip
    t = Transformer(m, H)
    batch = t.batch([
        ("f:1", {"id": "a", "email": "not-an-email", "phone": "n/a", "age": "3"}),
        ("f:2", {"id": "b", "email": "also bad", "age": "x"}),  # quarantined: no drop counted
        ("f:3", {"id": "c", "email": "c@x.org"}),
    ])  # fmt: skip
    assert [r["id"] for r in batch.rows] == ["a", "c"]
    assert batch.rows[0]["email"] is None and batch.rows[0]["phone"] is None
    assert dict(batch.dropped) == {"email": 1, "phone": 1}
    assert [(b.locator, b.field) for b in batch.bad] == [("f:2", "age")]


def _switch_mapping(tmp_path, **node):
    return mapping(
        tmp_path, {"kind": {"path": "type", "default": "buyer"}, "status": {}},
        nodes={"account": {"switch": "kind", **node, "cases": {
            "seller": {"label": "Seller", "key": {"seller_id": "id"},
                       "properties": {"status": "status"}},
            "buyer": {"label": "Reviewer", "key": {"reviewer_id": "id"}}}}},
    )  # fmt: skip


def test_switch_routes_rows_and_quarantines_an_unknown_kind_once(tmp_path):
    m = _switch_mapping(tmp_path)
    seller, buyer, other = transform(
        m, {"id": "1", "type": "seller", "status": "ok"}, {"id": "2"}, {"id": "3", "type": "bot"}
    )
    assert seller["kind"] == "seller" and buyer["kind"] == "buyer"
    assert isinstance(other, Bad) and other.field == "kind"
    assert other.reason == "unknown kind 'bot' for nodes.account; expected seller, buyer"


def test_switch_merge_nodes_in_the_bulk_graph_take_per_case_labels_and_properties(tmp_path):
    m = _switch_mapping(tmp_path)
    graph = Graph(tmp_path)
    for row in transform(m, {"id": "1", "type": "seller", "status": "ok"}, {"id": "2"}):
        assert graph.apply(m, row, tag=1) == []
    assert graph.nodes["Seller"]["1"]["status"] == "ok"
    assert "status" not in graph.nodes["Reviewer"]["2"]


def test_cases_without_switch_match_the_first_existing_node(tmp_path):
    account = {"mode": "match", "cases": {
        "seller": {"label": "Seller", "key": {"seller_id": "account_id"}},
        "buyer": {"label": "Reviewer", "key": {"reviewer_id": "account_id"}}}}  # fmt: skip
    nodes = {"account": account, "device": {"label": "Device", "key": {"device_id": "device"}}}
    rels = [{"type": "USED_DEVICE", "from": "account", "to": "device"}]
    m = mapping(tmp_path, {"account_id": {}, "device": {}}, nodes=nodes, relationships=rels)
    graph = Graph(tmp_path)
    graph.nodes["Reviewer"]["r1"] = {}
    rows = transform(m, *({"id": str(i), "account_id": a, "device": "d"}
                          for i, a in enumerate(["r1", "nobody"])))  # fmt: skip
    assert graph.apply(m, rows[0], tag=1) == [] and graph.apply(m, rows[1], tag=1) == ["account"]
    assert list(graph.pairs) == [("USED_DEVICE", ("Reviewer", "r1"), ("Device", "d"))]
    with pytest.raises(MappingError, match="cases without switch: only in mode: match"):
        mapping(tmp_path, {"account_id": {}}, nodes={"account": {**account, "mode": "merge"}})


def test_an_empty_match_key_is_a_bad_row_unless_the_node_is_optional(tmp_path):
    brand = {"label": "Brand", "key": {"brand_id": "brand_id"}, "mode": "match"}
    m = mapping(tmp_path, {"brand_id": {}}, nodes={"brand": brand})
    (bad,) = transform(m, {"id": "p1", "brand_id": " "})
    assert isinstance(bad, Bad) and bad.field == "brand_id"
    assert bad.reason == "empty key for match node nodes.brand"
    m = mapping(tmp_path, {"brand_id": {}}, nodes={"brand": {**brand, "optional": True}})
    (row,) = transform(m, {"id": "p1"})
    assert row["brand_id"] is None


def test_file_mtime_watermark_skips_unchanged_files(tmp_path):
    m = mapping(tmp_path, {}, watermark="_file_mtime")
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "accounts.jsonl").write_text('{"id": "a"}\n')
    os.utime(feeds / "accounts.jsonl", (1_700_000_000, 1_700_000_000))
    source = open_source(m, origin="files", feeds_dir=feeds)
    mtime = datetime.fromtimestamp(1_700_000_000, UTC)
    (row,) = Transformer(m, H, mtimes=source.mtimes).batch(list(source.records())).rows
    assert row["_file_mtime"] == mtime
    again = Transformer(m, H, since=mtime, mtimes=source.mtimes).batch(list(source.records()))
    assert (again.read, again.skipped, again.rows) == (1, 1, [])


def test_no_watermark_reads_everything(tmp_path):
    m = mapping(tmp_path, {})
    assert m.watermark is None
    (row,) = (
        Transformer(m, H, since=datetime(2030, 1, 1, tzinfo=UTC)).batch([("f:1", {"id": "a"})]).rows
    )
    assert row == {"id": "a"}


def _write(path: Path, records: list[dict]) -> Path:
    if ".parquet" in path.name:
        pq.write_table(pa.Table.from_pylist(records), path)
        return path
    if ".csv" in path.name:
        text = "id,x\n" + "".join(f"{r['id']},{r['x']}\n" for r in records)
    else:
        text = "".join(json.dumps(r) + "\n" for r in records)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt") as f:
        f.write(text)
    return path


@pytest.mark.parametrize(
    ("name", "declared"),
    [("a.csv.gz", None), ("a.jsonl.gz", None), ("a.json", None), ("a.parquet", None),
     ("a.ndjson", None), ("a.txt", "csv"), ("a.dat.gz", "jsonl"), ("a.bin", "parquet")],
)  # fmt: skip
def test_any_format_by_extension_or_declared_gzip_included(tmp_path, name, declared):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    records = [{"id": "1", "x": "a"}, {"id": "2", "x": "b"}]
    path = feeds / name
    if declared is None:
        _write(path, records)
    else:  # written under a telling name, then renamed to one that tells nothing
        gz = ".gz" if name.endswith(".gz") else ""
        _write(feeds / f"stand-in.{declared}{gz}", records).rename(path)
    source = {"files": name} | ({"format": declared} if declared else {})
    m = mapping(tmp_path, {"x": {}}, source=source)
    got = [r for _, r in open_source(m, origin="files", feeds_dir=feeds).records()]
    assert got == records
    assert open_source(m, origin="files", feeds_dir=feeds).total == 2


@pytest.mark.parametrize(
    ("name", "text", "error", "hint"),
    [
        ("a.jsonl.gz", '{"id": "1"}\n', "cannot read a.jsonl.gz", "gzip data"),
        ("a.json", '[{"id": "1"},\n {"id": "2"}]\n', "holds a JSON array, not JSON lines",
         "jq -c"),
        ("a.txt", "id\n1\n", "cannot tell one format", "source.format"),
    ],
)  # fmt: skip
def test_unreadable_sources_are_clear_errors(tmp_path, name, text, error, hint):
    (tmp_path / name).write_text(text)
    m = mapping(tmp_path, {}, source={"files": name})
    with pytest.raises(SourceError, match=error) as err:
        open_source(m, origin="files", feeds_dir=tmp_path)
    assert hint in err.value.hint


def test_parquet_struct_paths_stay_on_the_vectorised_path(tmp_path):
    m = mapping(tmp_path, {"email_domain": {"path": "profile.contact.domain"},
                           "created": {"path": "profile.created", "type": "datetime"}})  # fmt: skip
    profile = [{"contact": {"domain": "x.org"}, "created": "2024-01-01T00:00:00Z"},
               {"contact": {"domain": "y.org"}, "created": "1767042541236"}]  # fmt: skip
    data = pa.RecordBatch.from_pylist([{"id": "a", "profile": profile[0]},
                                       {"id": "b", "profile": profile[1]}])  # fmt: skip
    batch, table, _ = Transformer(m, H).columnar(Columns("a.parquet", 1, data))
    assert table.to_pylist()[0]["email_domain"] == "x.org"  # vouched without the row path
    assert [(b.locator, b.field) for b in batch.bad] == [("a.parquet:2", "created")]


def test_stock_mappings_assume_no_id_form():
    for m in load_mappings().values():
        for name, col in m.columns.items():
            assert not (name.endswith("_id") and col.pattern), (m.feed, name)


def test_a_users_directory_needs_no_graphkit_feed(tmp_path):
    reviews = yaml.safe_load((MAPPINGS_DIR / "reviews.yaml").read_text())
    (tmp_path / "reviews.yaml").write_text(yaml.safe_dump(reviews))  # depends_on: not here
    assert list(load_mappings(tmp_path)) == ["reviews"]


@pytest.mark.parametrize(
    ("column", "extra", "expected"),
    [
        ({"type": "datetime", "format": "epoch-ms"}, {},
         "columns.created.format: 'epoch-ms' is not a format; write one of iso, date, epoch_s, "
         "epoch_ms or epoch_us or a strftime pattern"),
        ({"type": "string", "format": "epoch_ms"}, {},
         "columns.created.format: only datetime columns take a format; write type: datetime"),
        ({"type": "email", "required": True, "on_invalid": "drop_value"}, {},
         "columns.created.on_invalid: a required column cannot drop its value"),
        ({"type": "string", "on_invalid": "skip"}, {},
         "columns.created.on_invalid: Input should be 'quarantine_row' or 'drop_value'"),
        ({"template": "{line1} {nowhere}"}, {},
         "columns.created.template: {nowhere} must name a declared column"),
        ({"template": "{line1!r}"}, {}, "is not a column; write plain column names"),
        ({"template": "{line1", "type": "address"}, {}, "write column names in braces"),
        ({"template": "{line1}", "path": "a.b"}, {}, "a templated column reads no path"),
        ({"tpye": "string"}, {}, "columns.created: 'tpye' is not a key here; write one of"),
        ({"transform": ["strip"]}, {}, "Input should be 'trim', 'lower' or 'upper'"),
        ({"path": "a..b"}, {}, "columns.created.path: String should match pattern"),
        ({"pattern": "[A-Z"}, {}, "columns.created.pattern: '[A-Z' is not a regular expression"),
        ({"type": "datetime", "format": "%Q-%d"}, {},
         "columns.created.format: '%Q-%d' is not a strftime pattern"),
        ({}, {"nodes": {}}, "nodes: a mapping yields at least one node; write e.g."),
        ({"default": "Buyer", "transform": ["upper"], "map": {"SELLER": "seller"}}, {},
         "columns.created.default: 'BUYER' is not in map; write one of its keys: SELLER"),
        ({"default": "x", "enum": ["a", "b"]}, {},
         "columns.created.default: 'x' is not in enum; write one of a, b"),
        ({}, {"watermark": "updated_at"}, "column 'updated_at' is not declared under columns"),
        ({"type": "phone", "context": "line1x"}, {}, "context: unknown column 'line1x'"),
        ({"type": "phone", "context": "created2"}, {"c2": True},
         "context: 'created2' must be a country or string column"),
    ],
)  # fmt: skip
def test_bad_mappings_name_file_key_and_what_to_write(tmp_path, column, extra, expected):
    columns = {"line1": {}, "created": column}
    if extra.pop("c2", False):
        columns["created2"] = {"type": "int"}
    path = tmp_path / "accounts.yaml"
    body = {**BASE, "columns": {"id": {}, **columns}, "nodes": NODES, **extra}
    path.write_text(yaml.safe_dump(body))
    with pytest.raises(MappingError) as err:
        load_mapping(path)
    assert str(path) in err.value.message and expected in err.value.message


def test_a_dotted_column_name_says_to_use_path(tmp_path):
    path = tmp_path / "accounts.yaml"
    columns = {"id": {}, "profile.contact.email": {}}
    path.write_text(yaml.safe_dump({**BASE, "columns": columns, "nodes": NODES}))
    with pytest.raises(MappingError, match=r"write email: \{path: profile.contact.email\}"):
        load_mapping(path)


def test_switch_match_nodes_take_no_properties_and_unknown_nodes_keys_are_named(tmp_path):
    with pytest.raises(MappingError, match="a mode: match node sets no properties"):
        _switch_mapping(tmp_path, mode="match")
    with pytest.raises(MappingError, match="nodes.account: 'lable' is not a key here"):
        mapping(tmp_path, {}, nodes={"account": {"lable": "Seller", "key": {"s": "id"}}})


def test_quarantine_dir_help_keeps_its_placeholders():
    from typer.testing import CliRunner

    from graphkit.cli import app

    result = CliRunner().invoke(app, ["load", "--help"], env={"COLUMNS": "200"})
    assert "DIR/FEED/RUN.jsonl" in result.output and "--mappings" in result.output


def test_tombstones_need_a_snapshot_feed_a_watermark_and_a_declared_marker(tmp_path):
    columns = {"op": {"type": "string"}, "at": {"type": "datetime", "required": True}}
    m = mapping(tmp_path, columns, watermark="at", deleted={"column": "op", "values": ["D"]})
    (dead, live) = transform(m, {"id": "a1", "op": "D", "at": "2024-01-02"},
                             {"id": "a2", "op": "U", "at": "2024-01-02"})  # fmt: skip
    assert dead == {"id": "a1", "op": "D", "at": datetime(2024, 1, 2, tzinfo=UTC)}
    assert live["op"] == "U"
    wrong = [
        ({"watermark": "at", "deleted": {"column": "kind"}}, "deleted.column: 'kind' is not"),
        ({"deleted": {"column": "op"}}, "give a watermark column"),
        ({"watermark": "at", "mode": "append", "deleted": {"column": "op"}}, "snapshot feeds"),
    ]
    for extra, message in wrong:
        with pytest.raises(MappingError, match=message):
            mapping(tmp_path, columns, **extra)


def test_a_tombstone_needs_only_its_key_version_and_marker(tmp_path):
    columns = {"op": {"type": "string"}, "at": {"type": "datetime", "required": True},
               "name": {"type": "string", "required": True}}  # fmt: skip
    m = mapping(tmp_path, columns, watermark="at", deleted={"column": "op", "values": ["D"]})
    dead, bad = transform(m, {"id": "a1", "op": "D", "at": "2024-01-02"},
                          {"id": "a2", "op": "U", "at": "2024-01-02"})  # fmt: skip
    assert dead["name"] is None
    assert isinstance(bad, Bad) and bad.field == "name"  # a live row still needs its name


def test_on_null_keep_is_for_snapshot_relationships_and_agrees_within_a_group(tmp_path):
    columns = {"email": {"type": "email"}, "backup": {"type": "email"}}
    nodes = {**NODES, "email": {"label": "Email", "key": {"hash": "email.hash"}},
             "backup": {"label": "Email", "key": {"hash": "backup.hash"}}}  # fmt: skip
    rel = {"type": "HAS_EMAIL", "from": "account", "to": "email", "on_null": "keep"}
    with pytest.raises(MappingError, match="on_null: only snapshot_of"):
        mapping(tmp_path, columns, nodes=nodes, relationships=[rel])
    both = [{**rel, "snapshot_of": "account"},
            {**rel, "to": "backup", "snapshot_of": "account", "on_null": "retire"}]  # fmt: skip
    with pytest.raises(MappingError, match="same on_null"):
        mapping(tmp_path, columns, nodes=nodes, relationships=both)


def test_the_model_names_every_relationship_that_keeps_history():
    """graphmodel.HISTORY_RELS are the relationship types the shipped snapshot feeds write."""
    from graphkit.graphmodel import HISTORY_RELS

    written = {r.type for m in load_mappings().values() if m.mode == "snapshot"
               for r in m.relationships}  # fmt: skip
    assert written == set(HISTORY_RELS)
