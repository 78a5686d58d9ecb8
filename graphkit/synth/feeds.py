"""Stream the feeds of docs/feeds.md from a :class:`~graphkit.synth.world.World`, chunk by chunk.

Each feed is a generator of ``(pyarrow.Table, protected)`` chunks of at most ``CHUNK`` rows
(``protected`` marks rows the ground truth depends on); :func:`make_dirty` breaks ~0.1% of the
other rows and :class:`FeedWriter` writes any feed as CSV, JSON lines or Parquet.

>>> FEEDS["reviews"].file
'reviews.parquet'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from graphkit.synth import fake
from graphkit.synth.truth import DirtyRow
from graphkit.synth.world import (
    COUNTRIES,
    DAY,
    END,
    REASONS,
    START,
    STATUSES,
    World,
    brand_id,
    daytime,
    product_id,
    reviewer_id,
    seller_id,
)

CHUNK = 100_000
DIRTY_RATE = 0.001
S, F, INT, B = pa.string(), pa.float64(), pa.int64(), pa.bool_()


@dataclass(frozen=True)
class Feed:
    """One source feed: its file, typed columns and which columns a dirty row can break."""

    name: str
    file: str
    columns: tuple[tuple[str, pa.DataType], ...]
    dirty: dict[str, str] = field(default_factory=dict)  # kind -> column

    @property
    def format(self) -> str:
        return self.file.rsplit(".", 1)[1]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema(self.columns)


def _feed(name: str, file: str, columns: str, types: dict[str, pa.DataType], **dirty: str) -> Feed:
    cols = tuple((c, types.get(c, S)) for c in columns.split())
    return Feed(name, file, cols, {"missing_key": cols[0][0], **dirty})


FEEDS = {
    f.name: f
    for f in (
        _feed(
            "sellers",
            "sellers.csv",
            "seller_id legal_name display_name email phone address "
            "country registered_at status closed_at reason updated_at",
            {},
            bad_date="registered_at",
            bad_phone="phone",
        ),
        _feed(
            "brands",
            "brands.csv",
            "brand_id name registered_at updated_at",
            {},
            bad_date="registered_at",
        ),
        _feed(
            "products",
            "products.jsonl",
            "product_id seller_id brand_id title category price listed_at updated_at",
            {"price": F},
            bad_date="listed_at",
            unknown_ref="seller_id",
        ),
        _feed(
            "reviewers",
            "reviewers.csv",
            "reviewer_id display_name email phone country joined_at updated_at",
            {},
            bad_date="joined_at",
            bad_phone="phone",
        ),
        _feed(
            "reviews",
            "reviews.parquet",
            "review_id reviewer_id product_id rating ts verified_purchase updated_at",
            {"rating": INT, "verified_purchase": B},
            bad_date="ts",
            bad_rating="rating",
            unknown_ref="product_id",
        ),
        _feed(
            "logins",
            "logins.jsonl",
            "event_id account_type account_id device_fingerprint ip ts updated_at",
            {},
            bad_date="ts",
            unknown_ref="account_id",
        ),
        _feed(
            "payments",
            "payments.csv",
            "payment_id account_type account_id method card_number iban seen_at updated_at",
            {},
            bad_date="seen_at",
            unknown_ref="account_id",
        ),
        _feed(
            "messages",
            "messages.jsonl",
            "message_id seller_id reviewer_id ts body updated_at",
            {},
            bad_date="ts",
            unknown_ref="reviewer_id",
        ),
        _feed(
            "refunds",
            "refunds.csv",
            "refund_id seller_id reviewer_id product_id amount currency ts updated_at",
            {"amount": F},
            bad_date="ts",
            unknown_ref="product_id",
        ),
    )
}
BAD_VALUES: dict[str, tuple] = {
    "missing_key": (None,),
    "bad_date": ("2024-02-30T10:00:00Z", "31/12/2024 25:61", "not a date", "2024-13-01"),
    "bad_phone": ("12345", "+44 ABC DEF", "n/a", "0"),
    "bad_rating": (0, 6, -1, 10),
}
CURRENCY = {"GB": "GBP", "US": "USD", "DE": "EUR"}
_SUFFIX = pa.array(["Z", "+01:00", "+02:00", "-05:00"])
_SHIFT = np.array([0, 3600, 7200, -18000])


def ids(prefix: str, index: np.ndarray, width: int) -> pa.Array:
    """``ids("S", np.array([0, 41]), 6)`` -> ``["S000001", "S000042"]`` (vectorised)."""
    digits = pc.utf8_lpad(pc.cast(pa.array(index + 1), S), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def iso(ts: np.ndarray, rng: np.random.Generator | None = None) -> pa.Array:
    """ISO 8601 text; with ``rng`` 3% carry a UTC offset instead of ``Z``; ``ts < 0`` is null."""
    k = np.zeros(len(ts), np.int64)
    if rng is not None:
        k = np.where(rng.random(len(ts)) < 0.03, rng.integers(1, 4, len(ts)), 0)
    local = pa.array((ts + _SHIFT[k]).astype("datetime64[s]"), mask=ts < 0)
    text = pc.replace_substring(pc.cast(local, S), " ", "T", max_replacements=1)
    return pc.binary_join_element_wise(text, _SUFFIX.take(pa.array(k)), "")


def updated(rng: np.random.Generator, ts: np.ndarray) -> pa.Array:
    """The watermark column: a little after the row's own time, always valid UTC."""
    return iso(np.minimum(np.maximum(ts, START) + rng.integers(0, 20 * DAY, len(ts)), END - 1))


def brand_name(j: int) -> str:
    s = fake.SYLLABLES
    return (s[j % 20] + s[j // 20 % 20] + (s[j // 400 % 20] if j % 3 else "")).capitalize()


def title(world: World, p: int) -> str:
    return (
        f"{brand_name(int(world.brand_perm[world.product_brand[p]]))} "
        f"{fake.ADJECTIVES[p % 10]} {fake.NOUNS[p // 10 % len(fake.NOUNS)]}"
    )


class Feeds:
    """The chunk generators of one world; ``Feeds(world).chunks("sellers")`` yields chunks."""

    def __init__(self, world: World):
        self.w = world
        self.seller_ids = ids("S", np.arange(world.S), 6)
        self.reviewer_ids = ids("R", np.arange(world.R), 7)
        self.product_ids = ids("P", np.arange(len(world.product_seller)), 7)
        self.brand_ids = ids("B", world.brand_perm, 5)
        self.account_ids = pa.concat_arrays([self.seller_ids, self.reviewer_ids])
        self.ev = sorted(world.events)
        self.ev_account = np.array([e[0] for e in self.ev], np.int64)
        self.ev_kinds = [e[1] for e in self.ev]

    def totals(self) -> dict[str, int]:
        """Expected rows per feed (before generation), for progress bars."""
        w = self.w
        return {
            "sellers": w.S,
            "brands": w.brand_count,
            "products": len(w.product_seller),
            "reviewers": w.R,
            "reviews": self._n_reviews(),
            "logins": int(self._counts("logins").sum()) + 2 * self._planted_events("device", "ip"),
            "payments": int(self._counts("payments").sum())
            + 2 * self._planted_events("card", "iban"),
            "messages": len(w.planted["messages"]["ts"]),
            "refunds": len(w.planted["refunds"]["ts"]),
        }

    def _planted_events(self, *kinds: str) -> int:
        return sum(k in kinds for k in self.ev_kinds)

    def chunks(self, feed: str, rng: np.random.Generator) -> Iterator[tuple[pa.Table, np.ndarray]]:
        return getattr(self, f"_{feed}")(rng)

    def _table(self, feed: str, columns: dict) -> pa.Table:
        return pa.table(columns, schema=FEEDS[feed].schema)

    # --- accounts ------------------------------------------------------------------------------

    def _contact(self, rng, g: np.ndarray, kind: str, make: Callable) -> list[str]:
        w, ov = self.w, self.w.override[kind]
        country = [COUNTRIES[c] for c in w.country[g]]
        r = rng.integers(0, 1000, len(g))
        return [
            fake.variant(kind, ov.get(x) or make(x * 4, c), rr, c)
            for x, c, rr in zip(g.tolist(), country, r.tolist(), strict=True)
        ]

    def _sellers(self, rng):
        w = self.w
        for i0 in range(0, w.S, CHUNK):
            g = np.arange(i0, min(i0 + CHUNK, w.S))
            n, country = len(g), [COUNTRIES[c] for c in w.country[g]]
            first, last = rng.integers(0, len(fake.FIRST), n), rng.integers(0, len(fake.LAST), n)
            form = {"GB": "Ltd", "US": "LLC", "DE": "GmbH"}
            legal = [
                f"{fake.LAST[b].title()} Trading {form[c]}"
                if a % 3
                else f"{fake.FIRST[a].title()} {fake.LAST[b].title()}"
                for a, b, c in zip(first.tolist(), last.tolist(), country, strict=True)
            ]
            display = [f"{brand_name(int(x))} Store" for x in rng.integers(0, 8000, n)]
            status = w.status[g]
            closed = w.closed[g]
            yield (
                self._table(
                    "sellers",
                    {
                        "seller_id": self.seller_ids[i0 : i0 + n],
                        "legal_name": legal,
                        "display_name": display,
                        "email": self._contact(rng, g, "email", fake.email),
                        "phone": self._contact(rng, g, "phone", fake.phone),
                        "address": self._contact(rng, g, "address", fake.address),
                        "country": country,
                        "registered_at": iso(w.created[g], rng),
                        "status": [STATUSES[s] for s in status],
                        "closed_at": iso(closed, rng),
                        "reason": [REASONS[r] or None for r in w.reason[g]],
                        "updated_at": updated(rng, np.maximum(w.created[g], closed)),
                    },
                ),
                w.protected[g],
            )

    def _reviewers(self, rng):
        w = self.w
        for j0 in range(0, w.R, CHUNK):
            g = w.S + np.arange(j0, min(j0 + CHUNK, w.R))
            n = len(g)
            a, b = rng.integers(0, len(fake.FIRST), n), rng.integers(0, len(fake.LAST), n)
            style = rng.integers(0, 3, n)
            names = [
                (
                    f"{fake.FIRST[x].title()} {fake.LAST[y][0].upper()}.",
                    f"{fake.FIRST[x]}{y}",
                    f"{fake.FIRST[x].title()}",
                )[s]
                for x, y, s in zip(a.tolist(), b.tolist(), style.tolist(), strict=True)
            ]
            yield (
                self._table(
                    "reviewers",
                    {
                        "reviewer_id": self.reviewer_ids[j0 : j0 + n],
                        "display_name": names,
                        "email": self._contact(rng, g, "email", fake.email),
                        "phone": self._contact(rng, g, "phone", fake.phone),
                        "country": [COUNTRIES[c] for c in w.country[g]],
                        "joined_at": iso(w.created[g], rng),
                        "updated_at": updated(rng, w.created[g]),
                    },
                ),
                w.protected[g],
            )

    # --- catalogue -----------------------------------------------------------------------------

    def _brands(self, rng):
        w = self.w
        b = np.argsort(w.brand_perm)  # b[j] is the brand whose id is j
        yield (
            self._table(
                "brands",
                {
                    "brand_id": ids("B", np.arange(w.brand_count), 5),
                    "name": [brand_name(j) for j in range(w.brand_count)],
                    "registered_at": iso(w.brand_created[b], rng),
                    "updated_at": updated(rng, w.brand_created[b]),
                },
            ),
            b >= w.honest_brands,
        )

    def _products(self, rng):
        w = self.w
        for p0 in range(0, len(w.product_seller), CHUNK):
            p = np.arange(p0, min(p0 + CHUNK, len(w.product_seller)))
            yield (
                self._table(
                    "products",
                    {
                        "product_id": self.product_ids[p0 : p0 + len(p)],
                        "seller_id": self.seller_ids.take(pa.array(w.product_seller[p])),
                        "brand_id": self.brand_ids.take(pa.array(w.product_brand[p])),
                        "title": [title(w, x) for x in p.tolist()],
                        "category": [fake.CATEGORIES[x % 8] for x in (p // 7).tolist()],
                        "price": w.price[p],
                        "listed_at": iso(w.listed[p], rng),
                        "updated_at": updated(rng, w.listed[p]),
                    },
                ),
                w.protected[w.product_seller[p]],
            )

    # --- activity ------------------------------------------------------------------------------

    def _n_reviews(self) -> int:
        return max(self.w.scale.reviews, len(self.w.planted["reviews"]["ts"]))

    def _reviews(self, rng):
        w, planted = self.w, self.w.planted["reviews"]
        total = self._n_reviews()
        parts = np.array_split(rng.permutation(len(planted["ts"])), -(-total // CHUNK))
        cdf, start = w.product_cdf(), 0
        for part in parts:
            n = min(CHUNK, total - start) - len(part)
            prod = np.minimum(np.searchsorted(cdf, rng.random(n)), len(cdf) - 1)
            rev = np.minimum(np.searchsorted(w.reviewer_cdf, rng.random(n)), w.R - 1)
            lo = np.maximum(w.listed[prod], w.created[w.S + rev]) + 3600
            ts = np.maximum(
                daytime(rng, lo + (rng.random(n) * (END - DAY - lo)).astype(np.int64)), lo
            )
            cols = {
                "reviewer": np.concatenate([rev, planted["reviewer"][part] - w.S]),
                "product": np.concatenate([prod, planted["product"][part]]),
                "rating": np.concatenate(
                    [rng.choice(5, n, p=[0.08, 0.05, 0.09, 0.2, 0.58]) + 1, planted["rating"][part]]
                ),
                "ts": np.concatenate([ts, planted["ts"][part]]),
                "verified": np.concatenate([rng.random(n) < 0.85, planted["verified"][part]]),
                "protected": np.arange(n + len(part)) >= n,
            }
            order = np.argsort(cols["ts"], kind="stable")
            c = {k: v[order] for k, v in cols.items()}
            yield (
                self._table(
                    "reviews",
                    {
                        "review_id": ids("RV", np.arange(start, start + len(order)), 8),
                        "reviewer_id": self.reviewer_ids.take(pa.array(c["reviewer"])),
                        "product_id": self.product_ids.take(pa.array(c["product"])),
                        "rating": c["rating"],
                        "ts": iso(c["ts"], rng),
                        "verified_purchase": c["verified"],
                        "updated_at": updated(rng, c["ts"]),
                    },
                ),
                c["protected"],
            )
            start += len(order)

    def _counts(self, feed: str) -> np.ndarray:
        """Own login / payment events per account (seeded by the world, so totals are known)."""
        w, S = self.w, self.w.S
        rng = np.random.default_rng([w.seed, 1 if feed == "logins" else 2])
        mean = (4.0, 1.0) if feed == "logins" else (0.3, 0.35)
        base = np.r_[np.ones(S, np.int64), np.zeros(w.R, np.int64)]  # every seller has one
        return base + np.r_[rng.poisson(mean[0], S), rng.poisson(mean[1], w.R)]

    def _account_events(self, rng, feed: str, kinds: tuple[str, str]):
        """Own events of every account plus two events per planted/shared identifier."""
        w, counts, n_acc = self.w, self._counts(feed), self.w.S + self.w.R
        start = 0
        for g0 in range(0, n_acc, CHUNK):
            g1 = min(g0 + CHUNK, n_acc)
            own = np.repeat(np.arange(g0, g1), counts[g0:g1])
            lo_e, hi_e = np.searchsorted(self.ev_account, [g0, g1])
            planted = [e for e in self.ev[lo_e:hi_e] if e[1] in kinds]
            acc = np.concatenate([own, np.repeat(np.array([e[0] for e in planted], np.int64), 2)])
            value = [None] * len(own) + [e[2] for e in planted for _ in (0, 1)]
            kind = [None] * len(own) + [e[1] for e in planted for _ in (0, 1)]
            lo = np.maximum(w.created[acc], START - 30 * DAY)
            hi = np.where(w.closed[acc] >= 0, w.closed[acc], END - DAY)
            ts = lo + (rng.random(len(acc)) * np.maximum(hi - lo, 3600)).astype(np.int64)
            order = np.argsort(ts, kind="stable")
            acc, ts = acc[order], ts[order]
            value, kind = [value[i] for i in order.tolist()], [kind[i] for i in order.tolist()]
            pick = rng.integers(0, 1000, (len(acc), 2))
            is_seller = acc < w.S
            account_id = self.account_ids.take(pa.array(acc))
            yield acc, ts, value, kind, pick, is_seller, account_id, start
            start += len(acc)

    def _logins(self, rng):
        w = self.w
        for acc, ts, value, kind, pick, is_seller, account_id, start in self._account_events(
            rng, "logins", ("device", "ip")
        ):
            country = [COUNTRIES[c] for c in w.country[acc]]
            own_ip = acc * 4 + np.where(pick[:, 0] < 750, 0, 1 + pick[:, 0] % 3)
            devices = [
                fake.variant(
                    "device", v if k == "device" else fake.device(a * 4 + (p > 850)), p, "GB"
                )
                for a, v, k, p in zip(acc.tolist(), value, kind, pick[:, 1].tolist(), strict=True)
            ]
            ips = [
                fake.variant("ip", v if k == "ip" else fake.ip(n), p, c)
                for n, v, k, p, c in zip(
                    own_ip.tolist(), value, kind, pick[:, 1].tolist(), country, strict=True
                )
            ]
            yield (
                self._table(
                    "logins",
                    {
                        "event_id": ids("L", np.arange(start, start + len(acc)), 8),
                        "account_type": pa.array(np.where(is_seller, "seller", "reviewer")),
                        "account_id": account_id,
                        "device_fingerprint": devices,
                        "ip": ips,
                        "ts": iso(ts, rng),
                        "updated_at": updated(rng, ts),
                    },
                ),
                w.protected[acc],
            )

    def _payments(self, rng):
        w = self.w
        for acc, ts, value, kind, pick, is_seller, account_id, start in self._account_events(
            rng, "payments", ("card", "iban")
        ):
            number = acc * 4 + (pick[:, 0] > 800)
            kind = [
                k or ("iban" if n % 5 == 0 else "card")
                for k, n in zip(kind, number.tolist(), strict=True)
            ]
            raw = [
                fake.variant(
                    k, v or (fake.card(n) if k == "card" else fake.iban(n, COUNTRIES[c])), p, "GB"
                )
                for k, v, n, c, p in zip(
                    kind,
                    value,
                    number.tolist(),
                    w.country[acc].tolist(),
                    pick[:, 1].tolist(),
                    strict=True,
                )
            ]
            card = [r if k == "card" else None for r, k in zip(raw, kind, strict=True)]
            iban = [r if k == "iban" else None for r, k in zip(raw, kind, strict=True)]
            yield (
                self._table(
                    "payments",
                    {
                        "payment_id": ids("PM", np.arange(start, start + len(acc)), 7),
                        "account_type": pa.array(np.where(is_seller, "seller", "reviewer")),
                        "account_id": account_id,
                        "method": ["card" if k == "card" else "bank" for k in kind],
                        "card_number": card,
                        "iban": iban,
                        "seen_at": iso(ts, rng),
                        "updated_at": updated(rng, ts),
                    },
                ),
                w.protected[acc],
            )

    def _messages(self, rng):
        w, m = self.w, self.w.planted["messages"]
        first = np.zeros(len(m["ts"]), bool)
        first[np.unique(m["reviewer"], return_index=True)[1]] = True  # keep one per reviewer
        templates = (
            "Hi! Want {t} for free? Buy it, leave a 5-star review and we refund 100% via PayPal.",
            "Free {t} in exchange for a 5* review :) full refund after you post",
            "We are looking for reviewers: {t}, free sample, 5 stars please, refund within 48h",
        )
        for i0 in range(0, len(first), CHUNK):
            sl = slice(i0, i0 + CHUNK)
            prods, ts = m["product"][sl], m["ts"][sl]
            bodies = [
                templates[(p + i) % 3].format(t=title(w, p)) for i, p in enumerate(prods.tolist())
            ]
            yield (
                self._table(
                    "messages",
                    {
                        "message_id": ids("M", np.arange(i0, i0 + len(ts)), 7),
                        "seller_id": self.seller_ids.take(pa.array(m["seller"][sl])),
                        "reviewer_id": self.reviewer_ids.take(pa.array(m["reviewer"][sl] - w.S)),
                        "ts": iso(ts, rng),
                        "body": bodies,
                        "updated_at": updated(rng, ts),
                    },
                ),
                first[sl],
            )

    def _refunds(self, rng):
        w, f = self.w, self.w.planted["refunds"]
        for i0 in range(0, len(f["ts"]), CHUNK):
            sl = slice(i0, i0 + CHUNK)
            ts = f["ts"][sl]
            yield (
                self._table(
                    "refunds",
                    {
                        "refund_id": ids("RF", np.arange(i0, i0 + len(ts)), 6),
                        "seller_id": self.seller_ids.take(pa.array(f["seller"][sl])),
                        "reviewer_id": self.reviewer_ids.take(pa.array(f["reviewer"][sl] - w.S)),
                        "product_id": self.product_ids.take(pa.array(f["product"][sl])),
                        "amount": f["amount"][sl],
                        "currency": [CURRENCY[COUNTRIES[c]] for c in w.country[f["seller"][sl]]],
                        "ts": iso(ts, rng),
                        "updated_at": updated(rng, ts),
                    },
                ),
                np.zeros(len(ts), bool),
            )


def make_dirty(
    feed: Feed,
    table: pa.Table,
    protected: np.ndarray,
    offset: int,
    rng: np.random.Generator,
    unknown: Callable[[str, int], str],
    minimum: int,
) -> tuple[pa.Table, list[DirtyRow]]:
    """Break ~0.1% of unprotected rows (at least ``minimum``), cycling through the feed's kinds."""
    candidates = np.flatnonzero(~protected)
    n = min(len(candidates), max(minimum, int(rng.binomial(len(candidates), DIRTY_RATE))))
    rows = np.sort(rng.choice(candidates, n, replace=False))
    kinds = list(feed.dirty)
    changed: dict[str, list] = {}
    dirty = []
    keys = table.column(0).to_pylist()
    for i, row in enumerate(rows.tolist()):
        kind = kinds[(i + offset) % len(kinds)]
        column = feed.dirty[kind]
        values = changed.setdefault(column, table.column(column).to_pylist())
        values[row] = (
            unknown(column, row)
            if kind == "unknown_ref"
            else BAD_VALUES[kind][row % len(BAD_VALUES[kind])]
        )
        dirty.append(DirtyRow(feed.name, offset + row, keys[row], kind, column))
    for column, values in changed.items():
        index = table.schema.get_field_index(column)
        table = table.set_column(
            index, table.schema.field(index), pa.array(values, table.schema.field(index).type)
        )
    return table, dirty


class FeedWriter:
    """Write one feed's chunks to ``DIR/feeds/<file>`` in the feed's format (csv, jsonl, parquet).

    >>> writer = FeedWriter(FEEDS["brands"], Path("/tmp/x/feeds"))  # doctest: +SKIP
    >>> writer.write(table); writer.close()  # doctest: +SKIP
    """

    def __init__(self, feed: Feed, directory: Path):
        self.feed, self.path = feed, directory / feed.file
        directory.mkdir(parents=True, exist_ok=True)
        if feed.format == "csv":
            options = pa_csv.WriteOptions(quoting_style="needed")
            self._sink = pa_csv.CSVWriter(str(self.path), feed.schema, write_options=options)
        elif feed.format == "parquet":
            self._sink = pq.ParquetWriter(str(self.path), feed.schema)
        else:
            self._sink = self.path.open("w", encoding="utf-8")

    def write(self, table: pa.Table) -> None:
        if self.feed.format == "csv":
            self._sink.write_table(table)
        elif self.feed.format == "parquet":
            self._sink.write_table(table, row_group_size=CHUNK)
        else:
            names = table.column_names
            lines = (
                json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
                for row in zip(*(c.to_pylist() for c in table.columns), strict=True)
            )
            self._sink.write("".join(f"{line}\n" for line in lines))

    def close(self) -> None:
        self._sink.close()


def unknown_id(world: World) -> Callable[[str, int], str]:
    """Ids that look valid but reference nothing (beyond the last real id)."""
    limits = {
        "seller_id": lambda k: seller_id(world.S + 100 + k),
        "account_id": lambda k: reviewer_id(world.R + 100 + k),
        "reviewer_id": lambda k: reviewer_id(world.R + 100 + k),
        "product_id": lambda k: product_id(len(world.product_seller) + 100 + k),
        "brand_id": lambda k: brand_id(world.brand_count + 100 + k),
    }
    return lambda column, row: limits[column](row % 1000)
