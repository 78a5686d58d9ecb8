"""Stream the feeds of docs/feeds.md from a :class:`~graphkit.synth.world.World`, chunk by chunk.

Each feed is a generator of ``(pyarrow.Table, protected)`` chunks of at most ``CHUNK`` rows
(``protected`` marks rows the ground truth depends on); :func:`make_dirty` breaks ~0.1% of the
other rows and :class:`FeedWriter` writes any feed as CSV, JSON lines or Parquet.

>>> FEEDS["reviews"].file
'reviews.parquet'
"""

from __future__ import annotations

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
    MESSAGE_KINDS,
    ORGANIC_RATINGS,
    REASONS,
    START,
    STATUSES,
    World,
    daytime,
)

CHUNK = 100_000
DIRTY_RATE = 0.001
DATE_ONLY_REVIEWS = 0.1  # reviews from a legacy channel that stores the day only
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
CURRENCY = ("GBP", "USD", "EUR")  # of COUNTRIES
_SUFFIX = pa.array(["Z", "+01:00", "+02:00", "-05:00"])
_SHIFT = np.array([0, 3600, 7200, -18000])


def ids(prefix: str, index: np.ndarray, width: int) -> pa.Array:
    """Event ids: ``ids("RV", np.array([0, 41]), 8)`` -> ``["RV00000001", "RV00000042"]``."""
    return fake.join(prefix, fake.digits(index + 1, 10**width))


def iso(ts: np.ndarray, rng: np.random.Generator | None = None, date_only: float = 0.0) -> pa.Array:
    """ISO 8601 text; with ``rng`` 3% carry a UTC offset instead of ``Z`` and a ``date_only``
    share is the UTC date alone (``2024-03-05``); ``ts < 0`` is null."""
    k = np.zeros(len(ts), np.int64)
    if rng is not None:
        k = np.where(rng.random(len(ts)) < 0.03, rng.integers(1, 4, len(ts)), 0)
    local = pa.array((ts + _SHIFT[k]).astype("datetime64[s]"), mask=ts < 0)
    text = pc.replace_substring(pc.cast(local, S), " ", "T", max_replacements=1)
    text = pc.binary_join_element_wise(text, _SUFFIX.take(pa.array(k)), "")
    if rng is None or not date_only:
        return text
    day = pc.cast(pa.array(ts.astype("datetime64[s]").astype("datetime64[D]"), mask=ts < 0), S)
    return pc.if_else(pa.array(rng.random(len(ts)) < date_only), day, text)


def updated(rng: np.random.Generator, ts: np.ndarray) -> pa.Array:
    """The watermark column: a little after the row's own time, always valid UTC."""
    return iso(np.minimum(np.maximum(ts, START) + rng.integers(0, 20 * DAY, len(ts)), END - 1))


def _pick_titled(words: list[str], index: np.ndarray) -> pa.Array:
    return fake.pick([w.title() for w in words], index)


def _account_type(is_seller: np.ndarray) -> pa.Array:
    return fake.pick(("reviewer", "seller"), is_seller.astype(np.int8))


def titles(world: World, p: np.ndarray) -> pa.Array:
    """Product titles: the brand's name, an adjective and a noun."""
    return fake.join(
        fake.brand_names(world.brand_perm[world.product_brand[p]]),
        " ",
        fake.pick(fake.ADJECTIVES, p % 10),
        " ",
        fake.pick(fake.NOUNS, p // 10 % len(fake.NOUNS)),
    )


class Feeds:
    """The chunk generators of one world; ``Feeds(world).chunks("sellers")`` yields chunks."""

    def __init__(self, world: World):
        self.w = world
        self.seller_ids = world.ids.array("seller", np.arange(world.S))
        self.reviewer_ids = world.ids.array("reviewer", np.arange(world.R))
        self.product_ids = world.ids.array("product", np.arange(len(world.product_seller)))
        self.brand_ids = world.ids.array("brand", world.brand_perm)
        self.account_ids = pa.concat_arrays([self.seller_ids, self.reviewer_ids])
        self.ev = sorted(world.events)
        self.ev_account = np.array([e[0] for e in self.ev], np.int64)
        self.ev_kinds = [e[1] for e in self.ev]
        self.ev_kinds = np.array(self.ev_kinds or [""])  # padded: indexed with -1 for own events
        self.ev_values = pa.array([e[2] for e in self.ev], S)

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

    def canonical(self, g: np.ndarray, kind: str) -> pa.Array:
        """The accounts' own ``kind`` values (or the planted ones), canonically spelled."""
        ov = self.w.override[kind]
        planted = np.isin(g, np.fromiter(ov, np.int64, len(ov)))
        return pc.replace_with_mask(
            fake.MAKERS[kind](g * 4, self.w.country[g]),
            pa.array(planted),
            pa.array([ov[x] for x in g[planted].tolist()], S),
        )

    def _contact(self, rng, g: np.ndarray, kind: str) -> pa.Array:
        """The accounts' own ``kind`` values (or the planted ones), as some system spells them."""
        values = self.canonical(g, kind)
        return fake.variant(kind, values, rng.integers(0, 1000, len(g)), self.w.country[g])

    def _sellers(self, rng):
        w = self.w
        for i0 in range(0, w.S, CHUNK):
            g = np.arange(i0, min(i0 + CHUNK, w.S))
            n, country = len(g), w.country[g]
            first, last = rng.integers(0, len(fake.FIRST), n), rng.integers(0, len(fake.LAST), n)
            first_name, last_name = _pick_titled(fake.FIRST, first), _pick_titled(fake.LAST, last)
            legal = pc.if_else(
                first % 3 > 0,
                fake.join(last_name, " Trading ", fake.pick(("Ltd", "LLC", "GmbH"), country)),
                fake.join(first_name, " ", last_name),
            )
            display = fake.join(fake.brand_names(rng.integers(0, 8000, n)), " Store")
            closed = w.closed[g]
            yield (
                self._table(
                    "sellers",
                    {
                        "seller_id": self.seller_ids[i0 : i0 + n],
                        "legal_name": legal,
                        "display_name": display,
                        "email": self._contact(rng, g, "email"),
                        "phone": self._contact(rng, g, "phone"),
                        "address": self._contact(rng, g, "address"),
                        "country": fake.pick(COUNTRIES, country),
                        "registered_at": iso(w.created[g], rng),
                        "status": fake.pick(STATUSES, w.status[g]),
                        "closed_at": iso(closed, rng),
                        "reason": fake.pick([r or None for r in REASONS], w.reason[g]),
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
            first = _pick_titled(fake.FIRST, a)
            names = pc.choose(
                style,
                fake.join(first, " ", fake.pick([x[0].upper() for x in fake.LAST], b), "."),
                fake.join(fake.pick(fake.FIRST, a), fake.number(b)),
                first,
            )
            yield (
                self._table(
                    "reviewers",
                    {
                        "reviewer_id": self.reviewer_ids[j0 : j0 + n],
                        "display_name": names,
                        "email": self._contact(rng, g, "email"),
                        "phone": self._contact(rng, g, "phone"),
                        "country": fake.pick(COUNTRIES, w.country[g]),
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
                    "brand_id": w.ids.array("brand", np.arange(w.brand_count)),
                    "name": fake.brand_names(np.arange(w.brand_count)),
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
                        "title": titles(w, p),
                        "category": fake.pick(fake.CATEGORIES, p // 7 % len(fake.CATEGORIES)),
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
                    [rng.choice(5, n, p=ORGANIC_RATINGS) + 1, planted["rating"][part]]
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
                        "ts": iso(c["ts"], rng, DATE_ONLY_REVIEWS),
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
            planted = lo_e + np.array(
                [i for i, k in enumerate(self.ev_kinds[lo_e:hi_e]) if k in kinds], np.int64
            )
            acc = np.concatenate([own, np.repeat(self.ev_account[planted], 2)])
            event = np.concatenate([np.full(len(own), -1), np.repeat(planted, 2)])  # -1: own
            lo = np.maximum(w.created[acc], START - 30 * DAY)
            hi = np.where(w.closed[acc] >= 0, w.closed[acc], END - DAY)
            ts = lo + (rng.random(len(acc)) * np.maximum(hi - lo, 3600)).astype(np.int64)
            order = np.argsort(ts, kind="stable")
            acc, ts, event = acc[order], ts[order], event[order]
            kind = np.where(event >= 0, self.ev_kinds[event], "")
            value = self.ev_values.take(pa.array(event, mask=event < 0))
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
            country, r = w.country[acc], pick[:, 1]
            own_ip = acc * 4 + np.where(pick[:, 0] < 750, 0, 1 + pick[:, 0] % 3)
            devices = pc.if_else(kind == "device", value, fake.device(acc * 4 + (r > 850)))
            ips = pc.if_else(kind == "ip", value, fake.ip(own_ip))
            yield (
                self._table(
                    "logins",
                    {
                        "event_id": ids("L", np.arange(start, start + len(acc)), 8),
                        "account_type": _account_type(is_seller),
                        "account_id": account_id,
                        "device_fingerprint": fake.variant("device", devices, r, country),
                        "ip": fake.variant("ip", ips, r, country),
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
            number, country, r = acc * 4 + (pick[:, 0] > 800), w.country[acc], pick[:, 1]
            card = np.where(kind == "", number % 5 > 0, kind == "card")
            own = pc.if_else(card, fake.card(number), fake.iban(number, country))
            raw = pc.if_else(kind == "", own, value)
            raw = pc.if_else(
                card, fake.variant("card", raw, r, country), fake.variant("iban", raw, r, country)
            )
            yield (
                self._table(
                    "payments",
                    {
                        "payment_id": ids("PM", np.arange(start, start + len(acc)), 7),
                        "account_type": _account_type(is_seller),
                        "account_id": account_id,
                        "method": fake.pick(("bank", "card"), card.astype(np.int8)),
                        "card_number": pc.if_else(card, raw, None),
                        "iban": pc.if_else(card, None, raw),
                        "seen_at": iso(ts, rng),
                        "updated_at": updated(rng, ts),
                    },
                ),
                w.protected[acc],
            )

    def _messages(self, rng):
        """Message bodies follow their kind (``fake.MESSAGES``), with the product's title."""
        w, m = self.w, self.w.planted["messages"]
        templates = [(kind, t.split("{t}")) for kind in MESSAGE_KINDS for t in fake.MESSAGES[kind]]
        first = np.array([MESSAGE_KINDS.index(kind) for kind, _ in templates])
        offset = np.searchsorted(first, np.arange(len(MESSAGE_KINDS)))
        count = np.bincount(first, minlength=len(MESSAGE_KINDS))
        for i0 in range(0, len(m["ts"]), CHUNK):
            sl = slice(i0, i0 + CHUNK)
            prods, ts, kind = m["product"][sl], m["ts"][sl], m["kind"][sl]
            which = offset[kind] + (prods + np.arange(len(prods))) % count[kind]
            bodies = fake.join(
                fake.pick([head for _, (head, _) in templates], which),
                titles(w, prods),
                fake.pick([tail for _, (_, tail) in templates], which),
            )
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
                kind == MESSAGE_KINDS.index("solicitation"),
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
                        "currency": fake.pick(CURRENCY, w.country[f["seller"][sl]]),
                        "ts": iso(ts, rng, date_only=1.0),  # the payments system books days
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
    rows = np.sort(rng.choice(candidates, n, replace=False)).tolist()
    kinds = [list(feed.dirty)[(i + offset) % len(feed.dirty)] for i in range(n)]
    keys = table.column(0).take(pa.array(rows, INT)).to_pylist()
    dirty = [
        DirtyRow(feed.name, offset + row, key, kind, feed.dirty[kind])
        for row, key, kind in zip(rows, keys, kinds, strict=True)
    ]
    for column in dict.fromkeys(feed.dirty.values()):
        hits = [
            (row, kind) for row, kind in zip(rows, kinds, strict=True) if feed.dirty[kind] == column
        ]
        if not hits:
            continue
        index = table.schema.get_field_index(column)
        bad = [
            unknown(column, row)
            if kind == "unknown_ref"
            else BAD_VALUES[kind][row % len(BAD_VALUES[kind])]
            for row, kind in hits
        ]
        mask = np.zeros(table.num_rows, bool)
        mask[[row for row, _ in hits]] = True
        field = table.schema.field(index)
        values = pc.replace_with_mask(
            table.column(index).combine_chunks(), pa.array(mask), pa.array(bad, field.type)
        )
        table = table.set_column(index, field, values)
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
            repeating = [c for c, _ in feed.columns[1:] if c != "ts" and not c.endswith("_at")]
            self._sink = pq.ParquetWriter(str(self.path), feed.schema, use_dictionary=repeating)
        else:
            self._sink = self.path.open("wb")

    def write(self, table: pa.Table) -> None:
        if self.feed.format == "csv":
            self._sink.write_table(table)
        elif self.feed.format == "parquet":
            self._sink.write_table(table, row_group_size=CHUNK)
        else:
            self._sink.write(json_lines(table))

    def close(self) -> None:
        self._sink.close()


def json_lines(table: pa.Table) -> pa.Buffer:
    """The rows as JSON objects, one a line, as ``json.dumps(row, ensure_ascii=False)`` writes
    them (strings here never hold control characters)."""
    parts = []
    for i, (name, column) in enumerate(zip(table.column_names, table.columns, strict=True)):
        if pa.types.is_string(column.type):
            text = pc.replace_substring(pc.replace_substring(column, "\\", "\\\\"), '"', '\\"')
            text = fake.join('"', text, '"')
        else:
            text = pc.cast(column, S)
            if pa.types.is_floating(column.type):  # 20.0, not 20
                text = pc.if_else(pc.match_substring(text, "."), text, fake.join(text, ".0"))
        parts += ["{" if i == 0 else ", ", f'"{name}": ', pc.fill_null(text, "null")]
    lines = fake.join(*parts, "}\n").combine_chunks()
    return pc.binary_join(pa.ListArray.from_arrays([0, len(lines)], lines), "")[0].as_buffer()


def unknown_id(world: World) -> Callable[[str, int], str]:
    """Ids that look valid but reference nothing (beyond the last real id)."""
    limits = {
        "seller_id": ("seller", world.S),
        "account_id": ("reviewer", world.R),
        "reviewer_id": ("reviewer", world.R),
        "product_id": ("product", len(world.product_seller)),
        "brand_id": ("brand", world.brand_count),
    }

    def unknown(column: str, row: int) -> str:
        kind, count = limits[column]
        return world.ids.one(kind, count + 100 + row % 1000)

    return unknown
