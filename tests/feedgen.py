"""Small, deterministic raw feeds in the formats of docs/feeds.md (until graphkit.synth lands).

Raw PII on purpose (mixed-case emails with +tags and gmail dots, national phone formats,
abbreviated addresses, spaced card numbers and IBANs, v6 IPs in both forms), so tests can
check normalisation and that none of it reaches the graph.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

T0 = datetime(2024, 1, 1, tzinfo=UTC)
COLUMNS = {
    "sellers": ["seller_id", "legal_name", "display_name", "email", "phone", "address",
                "country", "registered_at", "status", "closed_at", "reason", "updated_at"],
    "brands": ["brand_id", "name", "registered_at", "updated_at"],
    "reviewers": ["reviewer_id", "display_name", "email", "phone", "country", "joined_at",
                  "updated_at"],
    "payments": ["payment_id", "account_type", "account_id", "method", "card_number", "iban",
                 "seen_at", "updated_at"],
    "refunds": ["refund_id", "seller_id", "reviewer_id", "product_id", "amount", "currency",
                "ts", "updated_at"],
}  # fmt: skip


def iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def luhn_card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4))


def iban(rng: random.Random) -> str:
    bban = "WEST" + "".join(str(rng.randrange(10)) for _ in range(14))
    n = int("".join(str(int(c, 36)) for c in bban + "GB00"))
    raw = f"GB{98 - n % 97:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4)).lower()


def rows(n_sellers=12, n_reviewers=30, n_products=40, n_reviews=400, n_events=120, seed=7):
    """Feed name -> list of row dicts (raw values, as a marketplace would export them)."""
    rng = random.Random(seed)
    t = lambda i: T0 + timedelta(minutes=i)  # noqa: E731
    emails = [f"Shop.Owner{i % 9}+promo@GMail.com " if i % 3 == 0 else f"owner{i}@Example.org"
              for i in range(n_sellers)]  # fmt: skip
    phones = ["+44 20 7946 0958", "0044 20 7946 0958", "(020) 7946-0958", "+44 20 7946 0123"]
    addresses = ["12 High St., London SW1A 1AA, GB", "12 HIGH STREET LONDON SW1A1AA GB",
                 "7 Mill Rd, Leeds LS1 4AP, GB"]  # fmt: skip
    feeds: dict[str, list[dict]] = {}
    feeds["sellers"] = [
        {"seller_id": f"S{i:06d}", "legal_name": f"Legal Name {i} Ltd",
         "display_name": f"Shop {i}", "email": emails[i], "phone": phones[i % 4],
         "address": addresses[i % 3], "country": "GB", "registered_at": iso(t(i)),
         "status": "closed" if i % 5 == 4 else "active",
         "closed_at": iso(t(1000 + i)) if i % 5 == 4 else "",
         "reason": "review abuse" if i % 5 == 4 else "", "updated_at": iso(t(i))}
        for i in range(n_sellers)
    ]  # fmt: skip
    feeds["brands"] = [
        {"brand_id": f"B{i:05d}", "name": f"Brand {i}", "registered_at": iso(t(i)),
         "updated_at": iso(t(i))}
        for i in range(max(n_sellers // 2, 1))
    ]  # fmt: skip
    feeds["reviewers"] = [
        {"reviewer_id": f"R{i:07d}", "display_name": f"reviewer {i}",
         "email": f"  Rev.{i % 11}+r{i}@googlemail.com" if i % 2 else f"rev{i}@Mail.example.com",
         "phone": "+1 (415) 555-0100" if i % 4 == 0 else "+49 30 123456" if i % 4 == 1 else "",
         "country": ["US", "DE", "GB", "GB"][i % 4], "joined_at": iso(t(i)),
         "updated_at": iso(t(i))}
        for i in range(n_reviewers)
    ]  # fmt: skip
    feeds["products"] = [
        {"product_id": f"P{i:07d}", "seller_id": f"S{i % n_sellers:06d}",
         "brand_id": f"B{i % len(feeds['brands']):05d}", "title": f"Gadget {i}",
         "category": ["toys", "tools"][i % 2], "price": round(5 + i * 1.25, 2),
         "listed_at": iso(t(i)), "updated_at": iso(t(i))}
        for i in range(n_products)
    ]  # fmt: skip
    feeds["reviews"] = [
        {"review_id": f"RV{i:08d}", "reviewer_id": f"R{rng.randrange(n_reviewers):07d}",
         "product_id": f"P{rng.randrange(n_products):07d}", "rating": rng.randint(1, 5),
         "ts": t(i), "verified_purchase": i % 3 == 0, "updated_at": t(i)}
        for i in range(n_reviews)
    ]  # fmt: skip
    ips = ["81.2.69.160", "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", "10.0.0.7"]

    def account(i: int) -> tuple[str, str]:
        if i % 3 == 0:
            return "seller", f"S{rng.randrange(n_sellers):06d}"
        return "reviewer", f"R{rng.randrange(n_reviewers):07d}"

    feeds["logins"] = []
    feeds["payments"] = []
    cards = [luhn_card(rng) for _ in range(6)]
    ibans = [iban(rng) for _ in range(3)]
    for i in range(n_events):
        kind, acc = account(i)
        feeds["logins"].append(
            {"event_id": f"L{i:08d}", "account_type": kind, "account_id": acc,
             "device_fingerprint": f"dev-{i % 17}", "ip": ips[i % 4], "ts": iso(t(i)),
             "updated_at": iso(t(i))})  # fmt: skip
        kind, acc = account(i)
        card = i % 4 != 3
        feeds["payments"].append(
            {"payment_id": f"PM{i:07d}", "account_type": kind, "account_id": acc,
             "method": "card" if card else "bank",
             "card_number": cards[i % 6].replace(" ", "-" if i % 2 else " ") if card else "",
             "iban": "" if card else ibans[i % 3], "seen_at": iso(t(i)),
             "updated_at": iso(t(i))})  # fmt: skip
    feeds["messages"] = [
        {"message_id": f"M{i:07d}", "seller_id": f"S{i % 3:06d}",
         "reviewer_id": f"R{i % 7:07d}", "ts": iso(t(i)),
         "body": "Free product for a 5-star review?", "updated_at": iso(t(i))}
        for i in range(n_events)
    ]  # fmt: skip
    feeds["refunds"] = [
        {"refund_id": f"RF{i:06d}", "seller_id": f"S{i % 3:06d}",
         "reviewer_id": f"R{i % 5:07d}", "product_id": f"P{i % n_products:07d}",
         "amount": f"{10 + i % 7}.50", "currency": "GBP", "ts": iso(t(i)),
         "updated_at": iso(t(i))}
        for i in range(n_events // 2)
    ]  # fmt: skip
    return feeds


FILES = {
    "sellers": "sellers.csv", "brands": "brands.csv", "products": "products.jsonl",
    "reviewers": "reviewers.csv", "reviews": "reviews.parquet", "logins": "logins.jsonl",
    "payments": "payments.csv", "messages": "messages.jsonl", "refunds": "refunds.csv",
}  # fmt: skip


def write(
    feeds: dict[str, list[dict]], out: Path, *, append: bool = False, name: str | None = None
) -> Path:
    """Write ``feeds`` as files into ``out`` (appending rows when ``append``); ``name``: a
    part's name (``sellers.csv`` -> ``sellers.<name>.csv``). CSV columns beyond the feed's
    usual ones (an ``op`` marker) follow them."""
    out.mkdir(parents=True, exist_ok=True)
    for feed, data in feeds.items():
        path = out / FILES[feed]
        if name:
            path = path.with_name(f"{feed}.{name}{path.suffix}")
        if path.suffix == ".csv":
            new = not (append and path.exists())
            with path.open("a" if not new else "w", newline="") as f:
                extra = [
                    k for k in dict.fromkeys(k for r in data for k in r) if k not in COLUMNS[feed]
                ]
                writer = csv.DictWriter(f, COLUMNS[feed] + extra)
                if new:
                    writer.writeheader()
                writer.writerows(data)
        elif path.suffix == ".jsonl":
            with path.open("a" if append else "w") as f:
                f.writelines(json.dumps(r) + "\n" for r in data)
        else:
            old = pq.read_table(path).to_pylist() if append and path.exists() else []
            pq.write_table(pa.Table.from_pylist(old + data), path, row_group_size=100_000)
    return out


def to_postgres(feeds: dict[str, list[dict]], dsn: str) -> None:
    """Create ``marketplace.<feed>`` tables (text columns, timestamptz updated_at) and COPY."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS marketplace")
        for feed, data in feeds.items():
            columns = list(data[0])
            table = sql.Identifier("marketplace", feed)
            defs = sql.SQL(", ").join(
                sql.SQL("{} {}").format(
                    sql.Identifier(c), sql.SQL("timestamptz" if c == "updated_at" else "text")
                )
                for c in columns
            )
            conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(table, defs))
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            copy = sql.SQL("COPY {} ({}) FROM STDIN").format(table, names)
            with conn.cursor().copy(copy) as cp:
                for r in data:
                    cp.write_row([None if r[c] in ("", None) else
                                  iso(r[c]) if isinstance(r[c], datetime) else str(r[c])
                                  for c in columns])  # fmt: skip
