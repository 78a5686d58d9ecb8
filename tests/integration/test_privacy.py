"""Issue 14: erasure of an account's PII-derived links, and hash key rotation (live Neo4j)."""

from __future__ import annotations

import feedgen
import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.graphmodel import IDENTIFIERS
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, run
from graphkit.ingest.bulk import bulk_load

pytestmark = pytest.mark.integration
HASHER = Hasher(DEMO_KEY)
ACCOUNT = "shop:42"  # a source's own id form (a colon in it, nothing like the generator's)
LINKS = "|".join(i.rel_type for i in IDENTIFIERS.values())


def with_account(data: dict[str, list[dict]], when: str) -> dict[str, list[dict]]:
    """``data`` plus the seller ACCOUNT: its own email, address, device and card, and a
    phone and an IP it shares with other accounts."""
    seller = {**data["sellers"][1], "seller_id": ACCOUNT, "email": "Erase.Me+x@Example.org",
              "address": "1 Erase Lane, Leeds LS2 7EE, GB", "updated_at": when}  # fmt: skip
    login = {**data["logins"][0], "event_id": f"L-{when}", "account_type": "seller",
             "account_id": ACCOUNT, "device_fingerprint": "dev-erase-me", "ip": "81.2.69.160",
             "updated_at": when}  # fmt: skip
    payment = {**data["payments"][0], "payment_id": f"PM-{when}", "account_type": "seller",
               "account_id": ACCOUNT, "method": "card", "card_number": "4000 0566 5566 5556",
               "iban": "", "updated_at": when}  # fmt: skip
    return {"sellers": [seller], "logins": [login], "payments": [payment]}


def links(db) -> list[str]:
    return [row["type"] for row in db.read(
        f"MATCH (:Seller {{seller_id: $id}})-[r:{LINKS}]->() RETURN type(r) AS type",
        {"id": ACCOUNT},
    )]  # fmt: skip


def options(feeds, tmp_path) -> Options:
    return Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q")


def test_erase_removes_links_and_lonely_identifiers_and_later_loads_keep_them_out(db, tmp_path):
    data = feedgen.rows()
    for feed, rows in with_account(data, "2024-01-01T00:00:00Z").items():
        data[feed] += rows
    feeds = feedgen.write(data, tmp_path / "feeds")
    run(db, options(feeds, tmp_path), HASHER)
    assert sorted(links(db)) == sorted(
        ["HAS_EMAIL", "HAS_PHONE", "REGISTERED_AT", "USED_DEVICE", "LOGGED_IN_FROM", "PAID_WITH"]
    )
    # a retired (history) link: erasure deletes it too
    db.write(
        "MATCH (s:Seller {seller_id: $id}) CREATE (s)-[:HAS_EMAIL {valid_from: datetime(), "
        "valid_to: datetime()}]->(:Email {hash: 'an-older-email'})",
        {"id": ACCOUNT},
    )
    before = checksum(db)
    args = ["erase", ACCOUNT, "--kind", "seller", "--reason", "request 2291", "--by", "dpo"]
    dry = CliRunner().invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and ACCOUNT in dry.output
    assert checksum(db) == before
    unknown = CliRunner().invoke(
        app, ["erase", "seller:no-such-shop", f"seller:{ACCOUNT}", "--reason", "x"]
    )
    assert unknown.exit_code == 2 and "no-such-shop" in unknown.output
    assert checksum(db) == before  # nothing erased

    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert links(db) == []
    erasures = db.read("MATCH (e:Erasure) RETURN properties(e) AS e")
    assert len(erasures) == 1
    record = erasures[0]["e"]
    assert (record["account_kind"], record["account_key"], record["by"], record["reason"]) == (
        "seller", ACCOUNT, "dpo", "request 2291")  # fmt: skip
    assert (record["links"], record["identifiers"]) == (7, 5)  # shared phone and IP stay
    assert not any("@" in str(v) or "Erase" in str(v) for v in record.values())
    gone = db.read(
        "MATCH (n) WHERE n:Device AND n.device_id = 'dev-erase-me' OR n:Email AND n.domain = "
        "'example.org' AND NOT (n)<--() OR n.last4 = '5556' RETURN count(n) AS n"
    )
    assert gone == [{"n": 0}]
    shared = db.read("MATCH (:IP {ip: '81.2.69.160'})<-[:LOGGED_IN_FROM]-(a) RETURN count(a) AS n")
    assert shared[0]["n"] > 0

    # a full reload of the same sources, then a sync of newer rows: no link comes back
    again = {r.feed: r for r in run(db, options(feeds, tmp_path), HASHER)}
    assert links(db) == []
    assert (again["sellers"].erased, again["logins"].erased, again["payments"].erased) == (
        3, 2, 1)  # fmt: skip
    newer = with_account(feedgen.rows(), "2030-01-01T00:00:00Z")
    feedgen.write(newer, feeds, append=True)
    synced = {r.feed: r for r in run(db, options(feeds, tmp_path), HASHER, incremental=True)}
    assert synced["sellers"].written == 1 and synced["sellers"].erased == 3
    assert links(db) == []

    # load --bulk (a database holding only its erasure records): the records are imported
    # with the data, and the erased account's identifiers stay out
    db.run_autocommit("MATCH (n) WHERE NOT n:Erasure DETACH DELETE n")
    bulk = {r.feed: r for r in bulk_load(options(feeds, tmp_path), HASHER, echo=lambda *_: None)}
    assert (bulk["sellers"].erased, bulk["logins"].erased, bulk["payments"].erased) == (3, 4, 2)
    assert db.read("MATCH (e:Erasure) RETURN e.account_key AS key") == [{"key": ACCOUNT}]
    assert db.read("MATCH (s:Seller {seller_id: $id}) RETURN count(s) AS n", {"id": ACCOUNT}) == [
        {"n": 1}]  # fmt: skip
    assert links(db) == []


def test_a_parked_row_of_an_erased_account_loads_without_its_identifiers(db, tmp_path):
    from graphkit.erasure import erase

    data = feedgen.rows()
    account = with_account(data, "2025-01-01T00:00:00Z")  # after every other row
    data["logins"] += account["logins"]
    data["payments"] += account["payments"]
    feeds = feedgen.write(data, tmp_path / "feeds")
    first = {r.feed: r for r in run(db, options(feeds, tmp_path), HASHER)}
    assert first["logins"].pending == 1 and first["payments"].pending == 1  # no account yet
    feedgen.write({"sellers": data["sellers"] + account["sellers"]}, feeds)
    run(db, options(feeds, tmp_path), HASHER, feeds=["sellers"], incremental=True)
    erase(db, [("seller", ACCOUNT)], by="dpo", reason="request 7")
    later = {r.feed: r for r in run(db, options(feeds, tmp_path), HASHER,
                                    feeds=["logins", "payments"], incremental=True)}  # fmt: skip
    assert (later["logins"].erased, later["payments"].erased) == (2, 1)
    assert (later["logins"].pending, later["payments"].pending) == (0, 0)  # retried, loaded
    assert links(db) == []


def test_a_replayed_row_of_an_erased_account_loads_without_its_identifiers(db, tmp_path):
    import shutil

    from graphkit.erasure import erase
    from graphkit.ingest.mapping import MAPPINGS_DIR
    from graphkit.ingest.replay import replay

    data = feedgen.rows()
    account = with_account(data, "2025-01-01T00:00:00Z")
    data["sellers"] += account["sellers"]
    data["logins"] += [{**account["logins"][0], "device_fingerprint": "d" * 200}]  # too long
    feeds = feedgen.write(data, tmp_path / "feeds")
    first = {r.feed: r for r in run(db, options(feeds, tmp_path), HASHER)}
    assert first["logins"].quarantined == 1
    erase(db, [("seller", ACCOUNT)], by="dpo", reason="request 8")
    fixed = shutil.copytree(MAPPINGS_DIR, tmp_path / "mappings")
    logins = (fixed / "logins.yaml").read_text()
    (fixed / "logins.yaml").write_text(logins.replace("max_length: 128", "max_length: 300"))
    replayed = replay(db, Options(mappings_dir=fixed, quarantine_dir=tmp_path / "q"), HASHER)
    assert [(r.feed, r.written, r.erased) for r in replayed] == [("logins", 1, 2)]
    assert links(db) == []


def test_erase_waits_for_a_running_load(db, tmp_path):
    data = feedgen.rows()
    data["sellers"] += with_account(data, "2025-01-01T00:00:00Z")["sellers"]
    run(db, options(feedgen.write(data, tmp_path / "feeds"), tmp_path), HASHER)
    db.write(  # a sync of another mapping directory's feed, running now
        "MERGE (l:Lease {feed: 'partner_accounts'}) "
        "SET l.holder = 'cron@host:4242', l.expires_at = datetime() + duration('PT1H')"
    )
    busy = CliRunner().invoke(app, ["erase", f"seller:{ACCOUNT}", "--reason", "x"])
    assert busy.exit_code == 2 and "cron@host:4242" in busy.output, busy.output
    assert len(links(db)) == 3 and db.read("MATCH (e:Erasure) RETURN e") == []
    db.write("MATCH (l:Lease) DELETE l")  # that sync ended
    done = CliRunner().invoke(app, ["erase", f"seller:{ACCOUNT}", "--reason", "x"])
    assert done.exit_code == 0, done.output
    assert links(db) == [] and db.read("MATCH (l:Lease) RETURN l") == []  # released


NEW = Hasher("a-rotated-key")


def shared(db) -> list[tuple[str, list[str]]]:
    """Each identifier as the accounts linked to it (no hash): what links the accounts."""
    rows = db.read(
        f"MATCH (a)-[:{LINKS}]->(i) WITH i, collect(DISTINCT coalesce(a.seller_id, "
        "a.reviewer_id)) AS accounts RETURN labels(i)[0] AS label, accounts"
    )
    return sorted((row["label"], sorted(row["accounts"])) for row in rows)


def stored_hashes(db) -> set[str]:
    rows = db.read(
        "MATCH (n) WHERE n:Email OR n:Phone OR n:Address OR n:PaymentInstrument "
        "RETURN coalesce(n.hash, n.token) AS h UNION "
        "MATCH (q:QuarantinedRow) RETURN q.digest AS h"
    )
    return {row["h"] for row in rows}


def test_rekey_moves_every_hash_keeps_the_links_and_survives_interruptions(
    db, tmp_path, monkeypatch
):
    from graphkit.benign import apply_register, parse_register
    from graphkit.ingest import rekey as rekeying

    data = feedgen.rows()
    card = data["payments"][0]["card_number"]
    data["sellers"].append({**data["sellers"][0], "seller_id": "bad", "status": "?"})
    data["payments"].append({**data["payments"][0], "payment_id": "PM-waits",
                             "account_id": "arrives-later"})  # fmt: skip
    feeds = feedgen.write(data, tmp_path / "feeds")
    run(db, options(feeds, tmp_path), HASHER)
    phone = "+44 20 7946 0958"
    register = {"version": "1", "entries": [{"kind": "phone", "value": phone, "reason": "x"}]}
    apply_register(db, parse_register(register, "r.yaml"), HASHER)
    links_before, hashes_before = shared(db), stored_hashes(db)
    assert len(links_before) > 20 and any(len(accounts) > 1 for _, accounts in links_before)
    sync = ["sync", "--feeds-dir", str(feeds), "--quarantine-dir", str(tmp_path / "q")]

    def killed(*_):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # killed while reading the sources
        rekeying.rekey(db, options(feeds, tmp_path), HASHER, NEW, progress=killed)
    assert CliRunner().invoke(app, [*sync, "--demo-key"]).exit_code == 0  # old key still valid
    assert shared(db) == links_before

    def switch_killed(db, keys, old, new, size):  # killed as soon as the switch began
        db.write("MATCH (k:HashKey) SET k.switching_to = $fp", {"fp": new.fingerprint})
        raise KeyboardInterrupt

    monkeypatch.setattr(rekeying, "_switch", switch_killed)
    with pytest.raises(KeyboardInterrupt):
        rekeying.rekey(db, options(feeds, tmp_path), HASHER, NEW)
    monkeypatch.undo()
    for env in ({}, {"GRAPHKIT_HASH_KEY": "a-rotated-key"}):  # neither key may load now
        refused = CliRunner().invoke(app, [*sync, *([] if env else ["--demo-key"])], env=env)
        assert refused.exit_code == 2 and "half" in refused.output, refused.output

    args = ["rekey", "--feeds-dir", str(feeds), "--demo-key"]
    done = CliRunner().invoke(app, args, env={"GRAPHKIT_NEW_HASH_KEY": "a-rotated-key"})
    assert done.exit_code == 0, done.output
    assert "finishing" in done.output
    moved = len(hashes_before) - db.read("MATCH (q:QuarantinedRow) RETURN count(q) AS n")[0]["n"]
    assert f"rekey done: {moved:,} identifiers" in done.output
    assert shared(db) == links_before  # the same accounts share the same identifiers
    hashes_after = stored_hashes(db)
    assert len(hashes_after) == len(hashes_before) and not hashes_after & hashes_before
    assert NEW.phone(phone, "GB")["hash"] in hashes_after
    assert db.read("MATCH (k:HashKey) RETURN k.fingerprint AS fp, k.switching_to AS s") == [
        {"fp": NEW.fingerprint, "s": None}]  # fmt: skip
    assert db.read("MATCH (n:Phone) WHERE n.benign RETURN n.hash AS h") == [
        {"h": NEW.phone(phone, "GB")["hash"]}]  # fmt: skip
    parked = db.read("MATCH (p:PendingRow) RETURN p.row AS row")
    assert len(parked) == 1 and NEW.card(card)["token"] in parked[0]["row"]
    assert db.read("MATCH (n) WHERE n.rekey_to IS NOT NULL RETURN count(n) AS n") == [{"n": 0}]

    old = CliRunner().invoke(app, [*sync, "--demo-key"])
    assert old.exit_code == 2 and "another hash key" in old.output
    data["sellers"].append({**data["sellers"][1], "seller_id": "arrives-later",
                            "updated_at": "2030-01-01T00:00:00Z"})  # fmt: skip
    feedgen.write(data, feeds)
    again = CliRunner().invoke(app, sync, env={"GRAPHKIT_HASH_KEY": "a-rotated-key"})
    assert again.exit_code == 0, again.output
    assert stored_hashes(db) == hashes_after  # nothing new: every row met its rekeyed node
    assert db.read(
        "MATCH (:Seller {seller_id: 'arrives-later'})-[:PAID_WITH]->(p) RETURN p.token AS t"
    ) == [{"t": NEW.card(card)["token"]}]
