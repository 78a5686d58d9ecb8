"""The benign register marks exactly the listed identifiers, and versions replace each other."""

import pytest

from graphkit.benign import apply_register, parse_register
from graphkit.db import Database
from graphkit.identity import Hasher

pytestmark = pytest.mark.integration

HASHER = Hasher("test-key")


def _register(version: str, *entries: dict) -> object:
    return parse_register({"version": version, "entries": list(entries)}, "test.yaml")


def test_register_marks_normalised_identifiers_and_retires_old_versions(db: Database) -> None:
    prep = HASHER.address("1 Prep Park Rd, Leicester LE1 1AA", "GB")["hash"]
    card = HASHER.card("4111 1111 1111 1111")["token"]
    db.write(
        "CREATE (:Address {hash: $prep}), (:Address {hash: 'other'}), "
        "(:IP {ip: '100.64.0.1'}), (:PaymentInstrument {token: $card})",
        {"prep": prep, "card": card},
    )
    first = _register(
        "v1",
        {"kind": "address", "value": "1 PREP PARK ROAD LEICESTER LE11AA", "reason": "prep-centre"},
        {"kind": "ip", "value": "100.064.0.1".replace("064", "64"), "reason": "carrier-nat"},
        {"kind": "payment", "value": "4111-1111-1111-1111", "reason": "payment-aggregator"},
    )
    assert apply_register(db, first, HASHER) == 3
    marked = db.read(
        "MATCH (n) WHERE n.benign = true RETURN n.benign_reason AS reason ORDER BY reason"
    )
    assert [row["reason"] for row in marked] == ["carrier-nat", "payment-aggregator", "prep-centre"]

    second = _register("v2", {"kind": "ip", "value": "100.64.0.1", "reason": "carrier-nat"})
    assert apply_register(db, second, HASHER) == 1
    still = db.read("MATCH (n) WHERE n.benign = true RETURN labels(n)[0] AS label")
    assert still == [{"label": "IP"}]


def test_invalid_entry_names_its_position(db: Database) -> None:
    bad = _register("v1", {"kind": "payment", "value": "1234", "reason": "x"})
    with pytest.raises(Exception, match="entry 0"):
        apply_register(db, bad, HASHER)


def test_the_register_marks_identifiers_loaded_after_it_was_applied(db: Database, tmp_path):
    import feedgen

    from graphkit.ingest import Options, run

    hasher = Hasher("test-key")
    register = _register("v1", {"kind": "ip", "value": "81.2.69.160", "reason": "carrier-nat"})
    assert apply_register(db, register, hasher) == 0  # nothing loaded yet
    feeds = feedgen.write(feedgen.rows(), tmp_path / "feeds")
    run(db, Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q"), hasher, incremental=True)
    marked = db.read("MATCH (i:IP) WHERE i.benign RETURN i.ip AS ip, i.benign_reason AS reason")
    assert marked == [{"ip": "81.2.69.160", "reason": "carrier-nat"}]


def test_a_register_hashed_under_another_key_is_refused(db: Database, tmp_path) -> None:
    import feedgen
    from typer.testing import CliRunner

    from graphkit.cli import app
    from graphkit.ingest import Options, run

    feeds = feedgen.write(feedgen.rows(), tmp_path / "feeds")
    run(db, Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q"), HASHER)
    register = tmp_path / "benign.yaml"
    entry = '{kind: phone, value: "+44 20 7946 0958", reason: call-centre}'
    register.write_text(f'version: "v1"\nentries:\n  - {entry}\n')
    other = CliRunner().invoke(app, ["benign", "apply", str(register), "--demo-key"])
    assert other.exit_code == 2, other.output
    assert "another hash key" in other.output
    assert db.read("MATCH (n) WHERE n.benign RETURN n") == []
    same = CliRunner().invoke(app, ["benign", "apply", str(register)],
                              env={"GRAPHKIT_HASH_KEY": "test-key"})  # fmt: skip
    assert same.exit_code == 0, same.output
    assert db.read("MATCH (n:Phone) WHERE n.benign RETURN count(n) AS n") == [{"n": 1}]
