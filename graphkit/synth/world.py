"""The planned marketplace: accounts, brands, products, planted rings and benign look-alikes.

A :class:`World` holds everything that is small enough to keep in memory (per-account and
per-product numpy arrays, planted events); :mod:`graphkit.synth.feeds` streams the big feeds
from it chunk by chunk. Accounts are numbered globally: sellers ``0..S-1``, reviewers
``S..S+R-1`` (``g``). Identifier values come from :mod:`graphkit.synth.fake` numbers: an
account's own identifiers use ``g * 4 + k``, planted ones count up from ``(S + R) * 4``, so no
two values collide unless they are shared on purpose.

>>> world = World(SCALES["tiny"], seed=1)
>>> sorted({ring.archetype for ring in world.rings})
['brand_front', 'camouflage', 'identity', 'paid_review', 'repeat_offender', 'self_review']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphkit.synth import fake
from graphkit.synth.truth import Identifier, Lookalike, Ring

DAY = 86_400
START = 1_704_067_200  # 2024-01-01T00:00:00Z: the feeds cover one (leap) year
END = START + 366 * DAY
COUNTRIES = fake.COUNTRIES
SINGLE = ("email", "phone", "address")  # one value per account, in the sellers/reviewers rows
STATUSES = ("active", "suspended", "closed")
REASONS = (
    "",
    "counterfeit goods",
    "review manipulation",
    "linked to a closed account",
    "seller request",
    "inactivity",
    "identity documents pending",
)
#: Hour-of-day weights: quiet nights, an evening peak.
HOURS = np.array([2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4], float)
HOURS /= HOURS.sum()
ORGANIC_RATINGS = np.array([0.08, 0.05, 0.09, 0.2, 0.58])


@dataclass(frozen=True)
class Scale:
    sellers: int
    reviewers: int
    reviews: int


SCALES = {
    "tiny": Scale(50, 400, 2_000),
    "small": Scale(1_000, 10_000, 50_000),
    "seed": Scale(100_000, 1_000_000, 10_000_000),
    "large": Scale(1_000_000, 10_000_000, 100_000_000),
}
#: archetype -> (share of ring sellers, min sellers, max sellers)
RING_MIX = {
    "identity": (0.30, 3, 12),
    "brand_front": (0.25, 5, 25),
    "paid_review": (0.20, 2, 8),
    "self_review": (0.05, 1, 2),
    "repeat_offender": (0.10, 4, 10),
    "camouflage": (0.10, 3, 8),
}
RING_SELLER_SHARE = 0.03
PAID_REVIEWER_SHARE = 0.2


def seller_id(i: int) -> str:
    return f"S{i + 1:06d}"


def reviewer_id(j: int) -> str:
    return f"R{j + 1:07d}"


def product_id(p: int) -> str:
    return f"P{p + 1:07d}"


def brand_id(b: int) -> str:
    return f"B{b + 1:05d}"


def daytime(rng: np.random.Generator, ts: np.ndarray) -> np.ndarray:
    """Move each timestamp to a time of day drawn from the daily rhythm (same day)."""
    seconds = rng.choice(24, size=len(ts), p=HOURS) * 3600 + rng.integers(0, 3600, len(ts))
    return ts - ts % DAY + seconds


class World:
    """Plan a marketplace of ``scale`` for ``seed``; see the package docstring for the rings."""

    def __init__(self, scale: Scale, seed: int):
        self.scale, self.seed = scale, seed
        self.rng = rng = np.random.default_rng([seed, 0])
        S, R = self.S, self.R = scale.sellers, scale.reviewers
        n = S + R
        self.country = rng.choice(len(COUNTRIES), n, p=[0.45, 0.35, 0.2]).astype(np.int8)
        before = START - rng.integers(1, 6 * 365, n) * DAY
        during = START + rng.integers(0, 300, n) * DAY
        self.created = daytime(rng, np.where(rng.random(n) < 0.8, before, during))
        self.closed = np.full(n, -1, np.int64)
        self.status = np.zeros(n, np.int8)
        self.reason = np.zeros(n, np.int8)
        self.override: dict[str, dict[int, str]] = {kind: {} for kind in SINGLE}
        self.events: list[tuple[int, str, str]] = []  # (account, device|ip|card|iban, value)
        self.rings: list[Ring] = []
        self.benign: list[Lookalike] = []
        self.protected = np.zeros(n, bool)  # ring and look-alike accounts: never made dirty
        self.paid = np.zeros(n, bool)
        self._number = n * 4
        self._sellers, self._reviewers = rng.permutation(S), S + rng.permutation(R)
        self._taken = [0, 0]
        self.planted: dict[str, list[np.ndarray]] = {}
        self._plan_rings()
        self._plan_benign_identifiers()
        self._plan_products()
        self._plan_reviews()
        self._finish()

    # --- accounts and identifiers ------------------------------------------------------------

    def account_id(self, g: int) -> str:
        return seller_id(g) if g < self.S else reviewer_id(g - self.S)

    def take(self, count: int, sellers: bool) -> np.ndarray:
        pool, i = (self._sellers, 0) if sellers else (self._reviewers, 1)
        start = self._taken[i]
        if start + count > len(pool):
            raise ValueError(
                f"scale too small: {count} more {'sellers' if sellers else 'reviewers'}"
            )
        self._taken[i] += count
        self.protected[pool[start : start + count]] = True
        return pool[start : start + count]

    def new_value(self, kind: str, country: int) -> str:
        n, self._number = self._number, self._number + 1
        return fake.one(kind, n, COUNTRIES[country])

    def free(self, kind: str, g: int) -> bool:
        """Can account ``g`` take one more identifier of ``kind``?"""
        if kind == "address" and g >= self.S:
            return False
        return kind not in SINGLE or g not in self.override[kind]

    def share(self, kind: str, accounts: list[int], value: str | None = None) -> Identifier:
        """Give ``accounts`` one identifier (new unless ``value``); return it for the truth."""
        value = value or self.new_value(kind, int(self.country[accounts[0]]))
        for g in accounts:
            if kind in SINGLE:
                self.override[kind][g] = value
            else:
                self.events.append((g, kind, value))
        truth_kind = "payment" if kind in ("card", "iban") else kind
        return Identifier(truth_kind, value, [self.account_id(g) for g in accounts])

    def link(self, members: list[int], kinds: tuple[str, ...], hubs: int) -> list[Identifier]:
        """Chain ``members`` (each shares one identifier with the next: A-B a device, B-C a
        card, ...) and add ``hubs`` identifiers shared by 2-4 random members."""
        rng, out = self.rng, []
        for a, b in zip(members, members[1:], strict=False):
            usable = [k for k in kinds if self.free(k, a) and self.free(k, b)] or ["device"]
            out.append(self.share(usable[rng.integers(len(usable))], [a, b]))
        for _ in range(hubs if len(members) > 2 else 0):
            group = [
                int(g)
                for g in rng.choice(
                    members, rng.integers(2, min(4, len(members)) + 1), replace=False
                )
            ]
            usable = [k for k in kinds if all(self.free(k, g) for g in group)] or ["ip"]
            out.append(self.share(usable[rng.integers(len(usable))], group))
        return out

    # --- rings ---------------------------------------------------------------------------------

    def _plan_rings(self) -> None:
        rng, S = self.rng, self.S
        ring_sellers = RING_SELLER_SHARE * S
        counts = {}
        for archetype, (share, lo, hi) in RING_MIX.items():
            hi = min(hi, lo + S // 200)
            counts[archetype] = max(1, round(ring_sellers * share / ((lo + hi) / 2)))
        order = [a for a, c in counts.items() for _ in range(c)]
        rng.shuffle(order)
        paid_rings = counts["paid_review"] + counts["camouflage"]
        self.pools: dict[str, np.ndarray] = {}
        pool_size = max(4, round(PAID_REVIEWER_SHARE * self.R / paid_rings))
        self.brand_count = self.honest_brands = max(5, S // 2)  # ring brands are appended
        self.seller_brands: dict[int, list[int]] = {}
        all_kinds = ("device", "card", "ip", "address", "email", "phone", "iban")
        for k, archetype in enumerate(order):
            share, lo, hi = RING_MIX[archetype]
            size = int(rng.integers(lo, min(hi, lo + S // 200) + 1))
            ring = Ring(f"ring-{k + 1:04d}", archetype)
            sellers = [int(g) for g in self.take(size, sellers=True)]
            self.country[sellers] = self.country[sellers[0]]
            n_brands = {"brand_front": rng.integers(3, 7), "identity": rng.integers(1, 4)}.get(
                archetype, rng.integers(1, 3)
            )
            brands = list(range(self.brand_count, self.brand_count + int(n_brands)))
            self.brand_count += len(brands)
            for s in sellers:
                self.seller_brands[s] = brands
            reviewers: list[int] = []
            if archetype == "identity":
                ring.identifiers = self.link(sellers, all_kinds, hubs=len(sellers) // 3)
                self.status[sellers[0]] = 1
                self.reason[sellers[0]] = 6
            elif archetype in ("paid_review", "camouflage"):
                kinds = ("device", "card", "ip") if archetype == "camouflage" else all_kinds
                ring.identifiers = self.link(sellers, kinds, hubs=0)
                reviewers = [int(g) for g in self.take(pool_size, sellers=False)]
                self.paid[reviewers] = True
                self.pools[ring.ring_id] = np.array(reviewers)
            elif archetype == "self_review":
                ring.identifiers = self.link(sellers, all_kinds, hubs=0)
                reviewers = [int(g) for g in self.take(int(rng.integers(2, 6)), sellers=False)]
                self.country[reviewers] = self.country[sellers[0]]
                for i, r in enumerate(reviewers):
                    kind = ("device", "card")[int(rng.integers(2))]
                    ring.identifiers.append(self.share(kind, [sellers[i % len(sellers)], r]))
                self.pools[ring.ring_id] = np.array(reviewers)
            elif archetype == "repeat_offender":
                old, new = sellers[: size // 2], sellers[size // 2 :]
                closed_at = START + int(rng.integers(30, 240)) * DAY
                for i, s in enumerate(old):
                    self.closed[s] = closed_at + i * int(rng.integers(0, 3 * DAY))
                    self.status[s], self.reason[s] = 2, int(rng.integers(1, 4))
                    self.created[s] = min(self.created[s], closed_at - 60 * DAY)
                for s in new:
                    self.created[s] = closed_at + int(rng.integers(3, 60)) * DAY
                interleaved = [s for pair in zip(old, new, strict=False) for s in pair]
                interleaved += new[len(old) :]
                ring.identifiers = self.link(interleaved, all_kinds, hubs=1)
                ring.closed_sellers = [seller_id(s) for s in old]
            self.country[reviewers] = self.country[sellers[0]]
            ring.sellers = [seller_id(s) for s in sellers]
            ring.reviewers = [self.account_id(r) for r in reviewers]
            ring.brands = [str(b) for b in brands]  # brand ids are assigned in _plan_products
            self.rings.append(ring)
        self.ring_of_seller = {s: ring for ring in self.rings for s in ring.sellers}

    # --- benign look-alikes --------------------------------------------------------------------

    def _lookalike(self, reason: str, registered: bool, accounts: list[int], idents: list) -> None:
        self.benign.append(
            Lookalike(
                f"benign-{len(self.benign) + 1:04d}",
                reason,
                registered,
                sellers=[seller_id(g) for g in accounts if g < self.S],
                reviewers=[self.account_id(g) for g in accounts if g >= self.S],
                identifiers=idents,
            )
        )

    def _mixed(self, count: int, seller_share: float) -> list[int]:
        sellers = max(1, round(count * seller_share))
        return [int(g) for g in (*self.take(sellers, True), *self.take(count - sellers, False))]

    def _plan_benign_identifiers(self) -> None:
        rng, S, n = self.rng, self.S, self.S + self.R
        for i in range(max(1, S // 5000)):
            sellers = [int(g) for g in self.take(int(np.clip(S // 300, 5, 400)), sellers=True)]
            value = fake.warehouse(i, COUNTRIES[self.country[sellers[0]]])
            self._lookalike("prep-centre", True, sellers, [self.share("address", sellers, value)])
        for reason, size in (("carrier-nat", n // 3000), ("public-wifi", n // 6000)):
            for _ in range(max(1, n // 50_000)):
                accounts = self._mixed(int(np.clip(size, 8, 500)), 0.1)
                self._lookalike(reason, True, accounts, [self.share("ip", accounts)])
        for i in range(max(1, S // 20_000)):
            accounts = self._mixed(int(np.clip(S // 200, 5, 500)), 0.4)
            kind = ("card", "iban")[i % 2]
            self._lookalike("payment-aggregator", True, accounts, [self.share(kind, accounts)])
        for _ in range(max(1, self.R // 2000)):
            accounts = [int(g) for g in self.take(int(rng.integers(2, 5)), sellers=False)]
            idents = [self.share("device", accounts), self.share("ip", accounts)]
            self._lookalike("household-device", False, accounts, idents)
        for _ in range(max(2, S // 100 + self.R // 1000)):
            sellers = rng.random() < 0.4
            pair = [int(g) for g in self.take(2, sellers)]
            kinds = ("ip", "ip", "ip", "device", "phone", "email") + (
                ("address",) if sellers else ()
            )
            kind = kinds[int(rng.integers(len(kinds)))]
            self._lookalike("honest-overlap", False, pair, [self.share(kind, pair)])
        # a few honest sellers close or are suspended for ordinary reasons
        rest = self._sellers[self._taken[0] :]
        closing = rest[rng.random(len(rest)) < 0.02]
        self.status[closing], self.reason[closing] = 2, rng.integers(4, 6, len(closing))
        self.closed[closing] = (
            np.maximum(self.created[closing], START) + rng.integers(10, 300, len(closing)) * DAY
        )
        self.closed[closing] = np.minimum(self.closed[closing], END - DAY)

    # --- brands and products -------------------------------------------------------------------

    def _plan_products(self) -> None:
        rng, S = self.rng, self.S
        per_seller = np.minimum(np.ceil(rng.lognormal(1.1, 1.0, S)), 400).astype(np.int64)
        for s in self.seller_brands:
            per_seller[s] = max(per_seller[s], 2)
        seller = np.repeat(np.arange(S), per_seller)
        honest_brands = rng.integers(0, self.honest_brands, (S, 2))
        brand = honest_brands[seller, rng.integers(0, 2, len(seller))]
        first = np.concatenate([[0], np.cumsum(per_seller)[:-1]])
        for s, brands in self.seller_brands.items():
            k = np.arange(per_seller[s])
            brand[first[s] + k] = np.array(brands)[(k + s) % len(brands)]
        order = rng.permutation(len(seller))  # product ids do not cluster by seller
        self.product_seller, self.product_brand = seller[order], brand[order]
        P = len(seller)
        ring = np.isin(self.product_seller, np.array(list(self.seller_brands), dtype=np.int64))
        lo = np.maximum(self.created[self.product_seller], START - 2 * 365 * DAY)
        lo = np.where(ring, np.maximum(lo, START), lo)
        hi = np.where(ring, END - 60 * DAY, END - DAY)
        self.listed = daytime(rng, lo + (rng.random(P) * np.maximum(hi - lo, DAY)).astype(np.int64))
        self.price = np.round(rng.lognormal(3.0, 0.8, P), 2)
        self.weight = rng.lognormal(0.0, 1.8, P) * np.where(ring, 0.2, 1.0)
        self.brand_perm = rng.permutation(self.brand_count)
        self.brand_created = daytime(rng, START - rng.integers(30, 8 * 365, self.brand_count) * DAY)
        for ring_ in self.rings:
            ring_.brands = [brand_id(self.brand_perm[int(b)]) for b in ring_.brands]

    # --- planted reviews, messages and refunds -------------------------------------------------

    def _plant(self, table: str, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            self.planted.setdefault(f"{table}.{name}", []).append(np.asarray(values))

    def _reviews(self, reviewers, products, ts, ratings, verified_share: float) -> None:
        n = len(reviewers)
        verified = self.rng.random(n) < verified_share
        self._plant(
            "reviews",
            reviewer=reviewers,
            product=products,
            ts=ts,
            rating=ratings,
            verified=verified,
        )

    def _products_of(self, sellers: list[int]) -> np.ndarray:
        lo = np.searchsorted(self._by_seller_key, sellers, side="left")
        hi = np.searchsorted(self._by_seller_key, sellers, side="right")
        return np.concatenate([self._by_seller[a:b] for a, b in zip(lo, hi, strict=True)])

    def _plan_reviews(self) -> None:
        rng = self.rng
        self._by_seller = np.argsort(self.product_seller, kind="stable")
        self._by_seller_key = self.product_seller[self._by_seller]
        by_id = {seller_id(s): s for s in self.seller_brands}
        honest = ~np.isin(self.product_seller, np.array(list(self.seller_brands), dtype=np.int64))
        popular = np.flatnonzero(honest)[np.argsort(-self.weight[honest], kind="stable")[:50]]
        for ring in self.rings:
            sellers = [by_id[s] for s in ring.sellers]
            products = self._products_of(sellers)
            if ring.archetype in ("paid_review", "camouflage"):
                used = self._campaigns(self.pools[ring.ring_id], products)
                ring.products = [product_id(p) for p in used]
            if ring.archetype == "camouflage":
                pool = self.pools[ring.ring_id]
                who = np.repeat(pool, rng.integers(1, 4, len(pool)))
                prods = popular[rng.integers(0, len(popular), len(who))]
                ts = self._after(self.listed[prods])
                self._reviews(who, prods, ts, rng.integers(4, 6, len(who)), 0.9)
            if ring.archetype == "self_review":
                pool = self.pools[ring.ring_id]
                idx = np.repeat(np.arange(len(pool)), rng.integers(1, 4, len(pool)))
                who, owner = pool[idx], np.array(sellers)[idx % len(sellers)]
                prods = np.array([rng.choice(self._products_of([int(s)])) for s in owner])
                self._reviews(
                    who, prods, self._after(self.listed[prods]), np.full(len(who), 5), 0.7
                )
                ring.products = sorted({product_id(p) for p in prods})
        self._launch_bursts(honest)
        n_refunds = max(5, self.scale.reviews // 300)
        prods = np.searchsorted(self.product_cdf(), rng.random(n_refunds))
        ts = self._after(self.listed[prods])
        self._plant(
            "refunds",
            seller=self.product_seller[prods],
            reviewer=self.S + rng.integers(0, self.R, n_refunds),
            product=prods,
            amount=np.round(self.price[prods] * rng.uniform(0.3, 1, n_refunds), 2),
            ts=ts,
        )

    def _after(self, lo: np.ndarray) -> np.ndarray:
        """A random daytime timestamp between ``lo`` and the end of the year."""
        ts = lo + (self.rng.random(len(lo)) * (END - DAY - lo)).astype(np.int64)
        return np.maximum(daytime(self.rng, ts), lo + 3600)

    def _campaigns(self, pool: np.ndarray, products: np.ndarray) -> np.ndarray:
        """Lockstep 5-star campaigns: each of ~len(pool)/6 campaigns puts one ring product in
        front of a group of paid reviewers who all review it within 36 hours; every reviewer is
        solicited by a message from the product's seller and 60% get a refund after reviewing.
        """
        rng, P = self.rng, len(pool)
        C = max(1, -(-P // 6))
        camp_product = products[rng.integers(0, len(products), C)]
        lo = self.listed[camp_product] + 5 * DAY
        t0 = lo + (rng.random(C) * (END - 3 * DAY - lo)).astype(np.int64)
        extra = rng.poisson(1.5, P)
        who = np.concatenate([np.arange(P), np.repeat(np.arange(P), extra)])
        camp = np.concatenate([np.arange(P) % C, rng.integers(0, C, int(extra.sum()))])
        key = np.unique(who * C + camp)
        who, camp = key // C, key % C
        reviewers, prods, n = pool[who], camp_product[camp], len(key)
        ts = t0[camp] + rng.integers(0, 36 * 3600, n)
        self._reviews(reviewers, prods, ts, np.full(n, 5), 0.95)
        sellers = self.product_seller[prods]
        self._plant(
            "messages",
            seller=sellers,
            reviewer=reviewers,
            product=prods,
            ts=ts - rng.integers(2 * 3600, 4 * DAY, n),
        )
        paid = rng.random(n) < 0.6
        self._plant(
            "refunds",
            seller=sellers[paid],
            reviewer=reviewers[paid],
            product=prods[paid],
            amount=self.price[prods[paid]],
            ts=ts[paid] + rng.integers(3600, 3 * DAY, int(paid.sum())),
        )
        return np.unique(camp_product)

    def _launch_bursts(self, honest: np.ndarray) -> None:
        """A new popular product gets many organic reviews (mixed ratings) in its first 3 days."""
        rng = self.rng
        candidates = np.flatnonzero(honest & ~self.protected[self.product_seller])
        for p in rng.choice(candidates, max(1, self.S // 5000), replace=False):
            self.listed[p] = daytime(rng, np.array([START + int(rng.integers(30, 300)) * DAY]))[0]
            self.created[self.product_seller[p]] = min(
                self.created[self.product_seller[p]], self.listed[p] - 30 * DAY
            )
            self.weight[p] = self.weight.max()
            who = self.take(int(np.clip(self.R // 50, 15, 300)), sellers=False)
            ts = self.listed[p] + rng.integers(3600, 72 * 3600, len(who))
            ratings = rng.choice(5, len(who), p=ORGANIC_RATINGS) + 1
            self._reviews(who, np.full(len(who), p), ts, ratings, 0.9)
            self._lookalike(
                "launch-burst", False, [int(self.product_seller[p]), *map(int, who)], []
            )
            self.benign[-1].products = [product_id(int(p))]

    def product_cdf(self) -> np.ndarray:
        cdf = np.cumsum(self.weight)
        return cdf / cdf[-1]

    def _finish(self) -> None:
        """Concatenate planted events (sorted by time) and make every account exist before its
        first planted event."""
        out = {}
        for table in ("reviews", "messages", "refunds"):
            cols = {
                k.split(".")[1]: np.concatenate(v)
                for k, v in self.planted.items()
                if k.startswith(f"{table}.")
            }
            order = np.argsort(cols["ts"], kind="stable")
            out[table] = {k: v[order] for k, v in cols.items()}
        self.planted = out
        for table in out.values():
            np.minimum.at(self.created, table["reviewer"], table["ts"] - DAY)
            if "seller" in table:
                np.minimum.at(self.created, table["seller"], table["ts"] - DAY)
        self.reviewer_cdf = np.cumsum(self.rng.lognormal(0.0, 1.2, self.R))
        self.reviewer_cdf /= self.reviewer_cdf[-1]
