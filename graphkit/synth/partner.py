"""A partner's export of a synthetic marketplace, and the same data as graphkit's own feeds.

``graphkit synth --format partner --scale tiny --out DIR`` writes the accounts, sessions and
payout instruments of the market that ``graphkit synth`` plans for the same scale and seed
(same people, same logins and payments), as an independent partner would export them
(``DIR/partner/``, loaded by ``examples/partner/loaders/*.yaml``):

- ``accounts.jsonl.gz``: ONE nested-JSON file for merchants and customers (``type``; missing
  on a few customers, and two ``affiliate`` accounts no mapping knows), contact details under
  ``profile.contact``, the address in parts under ``profile.address``, countries as names
  and aliases (UK, United Kingdom, gb, Deutschland...), ``created_ms`` in epoch milliseconds,
  ``modified`` as ``31/12/2024 23:59:59``, closures as dates, statuses in the partner's words
  (ACTIVE/SUSPENDED/TERMINATED, in any case, some padded), and ~4% unusable phone numbers;
- ``sessions.jsonl.gz``: logins of both kinds of account with epoch-ms times and upper-case
  device hashes, and no kind column (the account id alone says who);
- ``payout_instruments.jsonl.gz``: the merchants' cards and bank accounts, first use in epoch
  seconds, and no time column to use as a watermark.

Ids are the partner's own (8-digit account numbers shared by both kinds, hex UUID sessions,
``PO-`` payout references). ``DIR/feeds/`` holds the EQUIVALENT graphkit-format feeds
(docs/feeds.md: sellers, reviewers, logins, payments) with the same ids and the values the
partner mappings produce (ISO countries, the address as its mapping templates it, lower-case
devices, unusable phones left empty), so both load into the same graph.

>>> summary = write_partner("/tmp/partner", scale="tiny", seed=7)  # doctest: +SKIP
>>> summary["accounts"]  # doctest: +SKIP
452
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from graphkit.errors import GraphkitError
from graphkit.identity import Hasher, InvalidIdentifier
from graphkit.synth.feeds import FEEDS, Feeds, FeedWriter
from graphkit.synth.generate import feed_rng
from graphkit.synth.world import SCALES, START, World

#: How the partner spells each of the market's countries (ISO-2 -> spellings).
COUNTRY_NAMES = {
    "GB": ("UK", "United Kingdom", "gb", "GB"),
    "DE": ("Deutschland", "Germany", "DEU", "de"),
    "US": ("United States", "USA", "us", "US"),
}
#: graphkit status -> the partner's word for it.
STATUS_WORDS = {"active": "ACTIVE", "suspended": "SUSPENDED", "closed": "TERMINATED"}
KINDS = {"seller": "merchant", "reviewer": "customer"}
MODIFIED = "%d/%m/%Y %H:%M:%S"
BAD_PHONES = ("n/a", "12345", "+44 ABC DEF", "000")
UNKNOWN_KIND = "affiliate"
START_AT = datetime.fromtimestamp(START, UTC)  # for event times the market always has


def write_partner(out_dir: str | Path, scale: str = "tiny", seed: int = 7) -> dict[str, int]:
    """Write ``out_dir/partner/*.jsonl.gz`` and ``out_dir/feeds/*``; return rows per file."""
    if scale not in SCALES:
        raise GraphkitError(f"unknown scale {scale!r}", hint=f"use one of {', '.join(SCALES)}")
    world = World(SCALES[scale], seed)
    export = _Export(world, Feeds(world), np.random.default_rng([seed, 99]))
    partner, feeds = Path(out_dir) / "partner", Path(out_dir) / "feeds"
    partner.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    accounts, sellers, reviewers = export.accounts()
    rows["accounts"] = _jsonl(partner / "accounts.jsonl.gz", accounts)
    sessions, logins = export.sessions()
    rows["sessions"] = _jsonl(partner / "sessions.jsonl.gz", sessions)
    instruments, payments = export.instruments()
    rows["payout_instruments"] = _jsonl(partner / "payout_instruments.jsonl.gz", instruments)
    for name, table in (("sellers", sellers), ("reviewers", reviewers), ("logins", logins),
                        ("payments", payments)):  # fmt: skip
        writer = FeedWriter(FEEDS[name], feeds)
        writer.write(pa.Table.from_pylist(table, schema=FEEDS[name].schema))
        writer.close()
    return rows


def _jsonl(path: Path, records: list[dict[str, Any]]) -> int:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)


def _parse(text: str | None) -> datetime | None:
    """An ISO 8601 time in UTC (a date or a time without offset counts as UTC)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, with milliseconds when there are any."""
    if moment is None:
        return None
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def _ms(moment: datetime, extra_ms: int) -> tuple[int, datetime]:
    """Epoch milliseconds (the partner's) and the same instant as a datetime (graphkit's).

    >>> _ms(datetime(2024, 1, 1, tzinfo=UTC), 250)
    (1704067200250, datetime.datetime(2024, 1, 1, 0, 0, 0, 250000, tzinfo=datetime.timezone.utc))
    """
    millis = int(moment.timestamp()) * 1000 + extra_ms
    return millis, datetime.fromtimestamp(millis / 1000, UTC)


def _address_parts(address: str | None) -> dict[str, str] | None:
    """A canonical synth address in the partner's parts (the country is the account's own).

    >>> _address_parts("Flat 2, 9 High Street, London SW1A 1AA, GB")["postcode"]
    'SW1A 1AA'
    >>> _address_parts("High Strasse 5, 10115 Berlin, DE")["city"]
    'Berlin'
    >>> _address_parts("1 High Street, San Francisco, CA 94105, US")["postcode"]
    'CA 94105'
    """
    if not address:
        return None
    *segments, _country = address.split(", ")
    *head, locality = segments
    tokens = locality.split()
    if tokens[0].isdigit():  # DE: "10115 Berlin"
        city, postcode = " ".join(tokens[1:]), tokens[0]
    elif len(tokens) == 2 and tokens[1].isdigit():  # US: "San Francisco, CA 94105"
        *head, city = head
        postcode = locality
    else:  # GB: "London SW1A 1AA"
        city, postcode = " ".join(tokens[:-2]), " ".join(tokens[-2:])
    return {"line1": ", ".join(head), "city": city, "postcode": postcode}


def _templated(parts: dict[str, str] | None) -> str | None:
    """The address as the partner mapping's template builds it (null when a part is missing)."""
    if not parts or not all(parts.values()):
        return None
    return f"{parts['line1']}, {parts['city']} {parts['postcode']}"


class _Export:
    def __init__(self, world: World, feeds: Feeds, rng: np.random.Generator):
        self.world, self.feeds, self.rng = world, feeds, rng
        self.hasher = Hasher("partner-example")  # only to know which phones the partner spoils
        n_accounts = world.S + world.R
        numbers = 10_000_000 + rng.permutation(n_accounts) * 7 + rng.integers(0, 7, n_accounts)
        self.partner_id: dict[str, str] = {}
        self.numbers = [str(n) for n in numbers]

    def _clean(self, feed: str) -> Iterator[dict[str, Any]]:
        """The clean rows of a graphkit feed (before `graphkit synth` dirties a few)."""
        for table, _ in self.feeds.chunks(feed, feed_rng(self.world, feed)):
            yield from table.to_pylist()

    def _pick(self, options: tuple[str, ...] | list[str]) -> str:
        return options[int(self.rng.integers(0, len(options)))]

    def _millis(self) -> int:
        return int(self.rng.integers(0, 1000))

    def _phone(self, phone: str | None, country: str) -> tuple[str | None, str | None]:
        """(the partner's phone, the phone the mapping keeps): ~4% are spoiled and dropped."""
        if phone is None:
            return None, None
        if self.rng.random() < 0.04:
            return self._pick(BAD_PHONES), None
        try:
            self.hasher.phone(phone, country)
        except InvalidIdentifier:
            return phone, None
        return phone, phone

    def accounts(self) -> tuple[list[dict], list[dict], list[dict]]:
        """Partner account records, and the sellers and reviewers feeds they are equal to."""
        records, sellers, reviewers = [], [], []
        kinds = [("seller", row) for row in self._clean("sellers")]
        kinds += [("reviewer", row) for row in self._clean("reviewers")]
        sellers_g = np.arange(self.world.S)
        addresses = dict(enumerate(self.feeds.canonical(sellers_g, "address").to_pylist()))
        for g, (kind, row) in enumerate(kinds):
            own_id = row[f"{kind}_id"]
            account_id = self.partner_id[own_id] = self.numbers[g]
            country = row["country"]
            registered = _parse(row["registered_at" if kind == "seller" else "joined_at"])
            created_ms, created = _ms(registered, self._millis()) if registered else (None, None)
            modified = _parse(row["updated_at"])
            assert modified is not None
            phone, kept_phone = self._phone(row["phone"], country)
            status = row.get("status") or "active"
            word = STATUS_WORDS[status]
            parts = _address_parts(addresses.get(g)) if kind == "seller" else None
            record: dict[str, Any] = {
                "id": account_id,
                "type": KINDS[kind],
                "state": self._pick((word, word.title(), f" {word.lower()} ")),
                **({"created_ms": created_ms} if created_ms else {}),
                "modified": modified.strftime(MODIFIED),
                "profile": {
                    "name": row["display_name"],
                    "country": self._pick(COUNTRY_NAMES[country]),
                    "contact": {"email": row["email"], "phone": phone},
                },
            }
            if kind == "reviewer" and self.rng.random() < 0.05:
                del record["type"]  # the mapping's default: customer
            if parts:
                record["profile"]["address"] = parts
            closed = _parse(row.get("closed_at"))
            if closed:
                record["closure"] = {"date": closed.date().isoformat(), "reason": row["reason"]}
            records.append(record)
            same = {
                "display_name": row["display_name"],
                "email": row["email"],
                "phone": kept_phone,
                "country": country,
                "updated_at": _iso(modified),
            }
            if kind == "seller":
                closed_day = closed and datetime.combine(closed.date(), datetime.min.time(), UTC)
                sellers.append({**same, "seller_id": account_id, "registered_at": _iso(created),
                                "address": _templated(parts), "status": status,
                                "closed_at": _iso(closed_day or None),
                                "reason": row["reason"] if closed else None})  # fmt: skip
            else:
                reviewers.append({**same, "reviewer_id": account_id, "joined_at": _iso(created)})
        for n in range(2):  # accounts of a kind no mapping knows: quarantined
            records.append({"id": str(9_000_000 + n), "type": UNKNOWN_KIND, "state": "ACTIVE",
                            "created_ms": 1_704_067_200_000, "modified": "01/01/2024 00:00:00",
                            "profile": {"name": f"Affiliate {n}", "country": "UK"}})  # fmt: skip
        return records, sellers, reviewers

    def sessions(self) -> tuple[list[dict], list[dict]]:
        """Sessions (no account kind) and the logins feed they equal."""
        sessions, logins = [], []
        for row in self._clean("logins"):
            millis, moment = _ms(_parse(row["ts"]) or START_AT, self._millis())
            session_id = uuid.UUID(int=int(self.rng.integers(0, 2**63)) << 64 | len(logins)).hex
            account_id = self.partner_id[row["account_id"]]
            device = row["device_fingerprint"]
            sessions.append({"session": session_id,
                             "account": account_id, "started_ms": millis,
                             "device_hash": device.upper() if device else None,
                             "ip": row["ip"]})  # fmt: skip
            logins.append({"event_id": session_id, "account_type": row["account_type"],
                           "account_id": account_id,
                           "device_fingerprint": device.lower() if device else None,
                           "ip": row["ip"], "ts": _iso(moment),
                           "updated_at": _iso(moment)})  # fmt: skip
        return sessions, logins

    def instruments(self) -> tuple[list[dict], list[dict]]:
        """The merchants' payout instruments and the (seller-only) payments feed they equal."""
        instruments, payments = [], []
        for row in self._clean("payments"):
            if row["account_type"] != "seller":
                continue  # the partner pays out merchants only
            seen = _parse(row["seen_at"]) or START_AT
            ref = f"PO-{len(instruments) + 1:06d}"
            instruments.append({"ref": ref, "merchant": self.partner_id[row["account_id"]],
                                "method": row["method"].upper(), "pan": row["card_number"],
                                "iban": row["iban"],
                                "first_used_s": int(seen.timestamp())})  # fmt: skip
            payments.append({"payment_id": ref, "account_type": "seller",
                             "account_id": self.partner_id[row["account_id"]],
                             "method": row["method"], "card_number": row["card_number"],
                             "iban": row["iban"], "seen_at": _iso(seen),
                             "updated_at": _iso(seen)})  # fmt: skip
        return instruments, payments
