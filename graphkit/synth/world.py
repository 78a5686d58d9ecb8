"""The planned marketplace: accounts, brands, products, planted rings and benign look-alikes.

A :class:`World` holds everything that is small enough to keep in memory (per-account and
per-product numpy arrays, planted events); :mod:`graphkit.synth.feeds` streams the big feeds
from it chunk by chunk. Accounts are numbered globally: sellers ``0..S-1``, reviewers
``S..S+R-1`` (``g``). Identifier values come from :mod:`graphkit.synth.fake` numbers: an
account's own identifiers use ``g * 4 + k``, planted ones count up from ``(S + R) * 4``, so no
two values collide unless they are shared on purpose. Ids come from :mod:`graphkit.synth.ids`.

>>> from graphkit.synth.truth import ARCHETYPES
>>> world = World(SCALES["tiny"], seed=1)
>>> sorted({ring.archetype for ring in world.rings}) == sorted(ARCHETYPES)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphkit.synth import fake
from graphkit.synth.ids import Ids
from graphkit.synth.truth import Identifier, Lookalike, Ring

DAY = 86_400
START = 1_704_067_200  # 2024-01-01T00:00:00Z: the feeds cover one (leap) year
END = START + 366 * DAY
COUNTRIES = fake.COUNTRIES
SINGLE = ("email", "phone", "address")  # one value per account, in the sellers/reviewers rows
ALL_KINDS = ("device", "card", "ip", "address", "email", "phone", "iban")
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
POPULAR_RATINGS = np.array([0.05, 0.04, 0.08, 0.23, 0.6])
#: What a seller's message to a buyer is about (the feed's ``body`` text follows the kind).
MESSAGE_KINDS = ("solicitation", "delivery", "question", "return", "complaint", "review_request")


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
#: archetype -> (the budget its rings count against, its share of that budget, smallest ring).
#: Ring sizes (sellers + reviewers) are heavy-tailed, P(n) ~ n**-RING_TAIL up to MAX_RING.
RING_MIX = {
    "identity": ("sellers", 0.25, 3),
    "brand_front": ("sellers", 0.20, 3),
    "repeat_offender": ("sellers", 0.15, 4),
    "device_ring": ("sellers", 0.15, 2),
    "card_chain": ("sellers", 0.15, 2),
    "self_review": ("sellers", 0.10, 3),
    "paid_review": ("reviewers", 0.40, 4),
    "camouflage": ("reviewers", 0.20, 4),
    "review_pool": ("reviewers", 0.40, 3),
}
RING_SELLER_SHARE = 0.03  # the seller budget: ~3% of sellers in seller-side rings
PAID_REVIEWER_SHARE = 0.02  # the reviewer budget: ~2% of reviewers in paid pools
MAX_RING, RING_TAIL = 60, 1.3
#: archetype -> (min, max) brands of its own; the single-tactic rings sell ordinary brands
RING_BRANDS = {
    "identity": (1, 3),
    "brand_front": (3, 6),
    "paid_review": (1, 2),
    "self_review": (1, 2),
    "repeat_offender": (1, 2),
    "camouflage": (1, 2),
}
BRAND_TAIL = 0.6  # the k-th most popular honest brand is carried by sellers ~ k**-0.6
SERVICE_SHARE = 0.2  # of the honest sellers left after the look-alikes: message their buyers


def daytime(rng: np.random.Generator, ts: np.ndarray) -> np.ndarray:
    """Move each timestamp to a time of day drawn from the daily rhythm (same day)."""
    seconds = rng.choice(24, size=len(ts), p=HOURS) * 3600 + rng.integers(0, 3600, len(ts))
    return ts - ts % DAY + seconds


def _size_pmf(lo: int, hi: int, tail: float) -> tuple[np.ndarray, np.ndarray]:
    sizes = np.arange(lo, hi + 1)
    pmf = sizes.astype(float) ** -tail
    return sizes, pmf / pmf.sum()


def heavy_tailed(rng: np.random.Generator, count: int, lo: int, hi: int, tail: float) -> np.ndarray:
    """``count`` sizes in ``[lo, hi]`` with P(n) ~ n**-tail, stratified (one draw in each
    1/count quantile, shuffled) so that the tail shows even in a small sample.

    >>> int(heavy_tailed(np.random.default_rng(0), 5, 2, 30, 1.5).max()) >= 10
    True
    """
    sizes, pmf = _size_pmf(lo, hi, tail)
    u = (rng.permutation(count) + rng.random(count)) / count
    return sizes[np.minimum(np.searchsorted(np.cumsum(pmf), u), len(sizes) - 1)]


class World:
    """Plan a marketplace of ``scale`` for ``seed``; see the package docstring for the rings."""

    def __init__(self, scale: Scale, seed: int, id_scheme: str = "prefixed"):
        self.scale, self.seed, self.ids = scale, seed, Ids(id_scheme, seed)
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
        self.override: dict[str, dict] = {kind: {} for kind in SINGLE}  # kind -> account -> value
        self.events: list[tuple] = []  # (account, device|ip|card|iban, value)
        self._pending: list[tuple[Identifier, str, int, int]] = []  # (ident, kind, n, country)
        self.rings: list[Ring] = []
        self.benign: list[Lookalike] = []
        self.protected = np.zeros(n, bool)  # ring and look-alike accounts: never made dirty
        self._number = n * 4
        self._sellers, self._reviewers = rng.permutation(S), S + rng.permutation(R)
        self._taken = [0, 0]
        self.planted: dict[str, list[np.ndarray]] = {}
        self.ring_members: dict[str, list[int]] = {}  # ring id -> its sellers (numbers)
        self.pools: dict[str, np.ndarray] = {}  # ring id -> reviewers who write its reviews
        self._plan_rings()
        self._plan_benign_identifiers()
        self._plan_products()
        self._plan_reviews()
        self._finish()

    # --- accounts and identifiers ------------------------------------------------------------

    def account_ids(self, accounts) -> list[str]:
        """The ids of global account numbers (sellers and reviewers), in order."""
        g = np.asarray(accounts, np.int64)
        out = np.empty(len(g), object)
        seller = g < self.S
        out[seller] = self.ids.strings("seller", g[seller])
        out[~seller] = self.ids.strings("reviewer", g[~seller] - self.S)
        return out.tolist()

    def take(self, count: int, sellers: bool) -> np.ndarray:
        """``count`` fresh accounts (protected from dirty rows), never handed out twice."""
        pool, i = (self._sellers, 0) if sellers else (self._reviewers, 1)
        start = self._taken[i]
        if start + count > len(pool):
            raise ValueError(
                f"scale too small: {count} more {'sellers' if sellers else 'reviewers'}"
            )
        self._taken[i] += count
        self.protected[pool[start : start + count]] = True
        return pool[start : start + count]

    def _untaken_reviewers(self, count: int) -> np.ndarray:
        """``count`` reviewers no ring or look-alike has taken (protected; may be drawn again by
        a later crowd, so crowds are planned after every :meth:`take` of reviewers)."""
        pool = self._reviewers[self._taken[1] :]
        chosen = self.rng.choice(pool, min(count, len(pool)), replace=False)
        self.protected[chosen] = True
        return chosen

    def free(self, kind: str, g: int) -> bool:
        """Can account ``g`` take one more identifier of ``kind``?"""
        if kind == "address" and g >= self.S:
            return False
        return kind not in SINGLE or g not in self.override[kind]

    def share(self, kind: str, accounts: list[int], value: str | None = None) -> Identifier:
        """Give ``accounts`` one identifier (new unless ``value``); return it for the truth. A
        new value is rendered later, with all the others of its kind (:meth:`_render_values`)."""
        truth_kind = "payment" if kind in ("card", "iban") else kind
        ident = Identifier(truth_kind, value or "", self.account_ids(accounts))
        if value is None:
            self._pending.append((ident, kind, self._number, int(self.country[accounts[0]])))
            self._number += 1
        for g in accounts:
            if kind in SINGLE:
                self.override[kind][g] = ident
            else:
                self.events.append((g, kind, ident))
        return ident

    def _render_values(self) -> None:
        """Give every new shared identifier its raw value (one vectorised call per kind); the
        events and single-value overrides then hold the values."""
        by_kind: dict[str, list] = {}
        for item in self._pending:
            by_kind.setdefault(item[1], []).append(item)
        for kind, items in by_kind.items():
            numbers, countries = (np.array([item[k] for item in items]) for k in (2, 3))
            for (ident, *_), value in zip(
                items, fake.MAKERS[kind](numbers, countries).to_pylist(), strict=True
            ):
                ident.value = value
        self.override = {k: {g: i.value for g, i in ov.items()} for k, ov in self.override.items()}
        self.events = [(g, kind, ident.value) for g, kind, ident in self.events]

    def link(self, members: list[int], kinds: tuple[str, ...], hubs: int) -> list[Identifier]:
        """Chain ``members`` (each shares one identifier with the next: A-B a device, B-C a
        card, ...) and add ``hubs`` identifiers shared by 2-4 random members."""
        rng, out = self.rng, []
        for a, b in zip(members, members[1:], strict=False):
            usable = [k for k in kinds if self.free(k, a) and self.free(k, b)] or ["device"]
            out.append(self.share(usable[rng.integers(len(usable))], [a, b]))
        for _ in range(hubs if len(members) > 2 else 0):
            group = self._some(members, 2, 4)
            usable = [k for k in kinds if all(self.free(k, g) for g in group)] or ["ip"]
            out.append(self.share(usable[rng.integers(len(usable))], group))
        return out

    def _some(self, accounts: list[int], lo: int, hi: int) -> list[int]:
        """A random subset of ``lo..hi`` of ``accounts`` (at most all of them)."""
        k = int(self.rng.integers(min(lo, len(accounts)), min(hi, len(accounts)) + 1))
        return [int(g) for g in self.rng.choice(accounts, k, replace=False)]

    # --- rings ---------------------------------------------------------------------------------

    def _ring_plans(self) -> list[tuple[str, int]]:
        """(archetype, size) of every ring: counts from the seller and reviewer budgets, sizes
        heavy-tailed (capped so that ``tiny`` holds them all), in random order."""
        rng = self.rng
        budgets = {
            "sellers": (RING_SELLER_SHARE * self.S, self.S // 40),
            "reviewers": (PAID_REVIEWER_SHARE * self.R, self.R // 20),
        }
        plans = []
        for archetype, (side, share, lo) in RING_MIX.items():
            budget, cap = budgets[side]
            hi = int(np.clip(cap, lo, MAX_RING))
            sizes, pmf = _size_pmf(lo, hi, RING_TAIL)
            per_ring = (sizes * pmf).sum() - (2 if side == "reviewers" else 0)
            count = max(1, round(budget * share / per_ring))
            plans += [(archetype, int(n)) for n in heavy_tailed(rng, count, lo, hi, RING_TAIL)]
        return [plans[i] for i in rng.permutation(len(plans))]

    @staticmethod
    def ring_sellers(archetype: str, size: int) -> int:
        """How many of a ring's ``size`` accounts are sellers (the rest are reviewers)."""
        return {
            "device_ring": max(2, -(-size // 3)),
            "self_review": 1 + (size >= 8),
            "review_pool": int(np.clip(size // 20, 1, 3)),
            "paid_review": int(np.clip(1 + size // 10, 2, 8)),
            "camouflage": int(np.clip(1 + size // 10, 2, 6)),
        }.get(archetype, size)

    def _plan_rings(self) -> None:
        rng = self.rng
        self.brand_count = self.honest_brands = max(5, self.S // 2)  # ring brands are appended
        self.seller_brands: dict[int, list[int]] = {}
        for k, (archetype, size) in enumerate(self._ring_plans()):
            n_sellers = self.ring_sellers(archetype, size)
            ring = Ring(f"ring-{k + 1:04d}", archetype)
            sellers = [int(g) for g in self.take(n_sellers, sellers=True)]
            reviewers = [int(g) for g in self.take(size - n_sellers, sellers=False)]
            self.country[sellers + reviewers] = self.country[sellers[0]]
            brands: list[int] = []
            if archetype in RING_BRANDS:
                lo, hi = RING_BRANDS[archetype]
                brands = list(
                    range(self.brand_count, self.brand_count + int(rng.integers(lo, hi + 1)))
                )
                self.brand_count += len(brands)
                self.seller_brands.update(dict.fromkeys(sellers, brands))
            if archetype == "identity":
                ring.identifiers = self.link(sellers, ALL_KINDS, hubs=len(sellers) // 3)
                self.status[sellers[0]], self.reason[sellers[0]] = 1, 6
            elif archetype in ("paid_review", "camouflage"):
                kinds = ("device", "card", "ip") if archetype == "camouflage" else ALL_KINDS
                ring.identifiers = self.link(sellers, kinds, hubs=0)
            elif archetype == "self_review":
                ring.identifiers = self.link(sellers, ALL_KINDS, hubs=0)
                for i, r in enumerate(reviewers):
                    kind = ("device", "card")[int(rng.integers(2))]
                    ring.identifiers.append(self.share(kind, [sellers[i % len(sellers)], r]))
            elif archetype == "repeat_offender":
                ring.identifiers = self._reopen(ring, sellers)
            elif archetype == "device_ring":
                members = [int(g) for g in rng.permutation(sellers + reviewers)]
                ring.identifiers = self.link(members, ("device",), hubs=len(members) // 4)
            elif archetype == "card_chain":
                ring.identifiers = self.link(sellers, ("card",), hubs=0)
            if archetype in ("paid_review", "camouflage", "review_pool", "self_review"):
                self.pools[ring.ring_id] = np.array(reviewers, np.int64)
            ring.sellers = self.account_ids(sellers)
            ring.reviewers = self.account_ids(reviewers)
            ring.brands = [str(b) for b in brands]  # brand ids are assigned in _plan_products
            self.ring_members[ring.ring_id] = sellers
            self.rings.append(ring)

    def _reopen(self, ring: Ring, sellers: list[int]) -> list[Identifier]:
        """Repeat offenders: the first half closes, the second registers 3-60 days later; the
        accounts are chained old-new-old-new by shared identifiers."""
        rng = self.rng
        old, new = sellers[: len(sellers) // 2], sellers[len(sellers) // 2 :]
        closed_at = START + int(rng.integers(30, 240)) * DAY
        for i, s in enumerate(old):
            self.closed[s] = closed_at + i * int(rng.integers(0, 3 * DAY))
            self.status[s], self.reason[s] = 2, int(rng.integers(1, 4))
            self.created[s] = min(self.created[s], closed_at - 60 * DAY)
        for s in new:
            self.created[s] = closed_at + int(rng.integers(3, 60)) * DAY
        interleaved = [s for pair in zip(old, new, strict=False) for s in pair] + new[len(old) :]
        ring.closed_sellers = self.account_ids(old)
        return self.link(interleaved, ALL_KINDS, hubs=1)

    # --- benign look-alikes --------------------------------------------------------------------

    def _lookalike(self, reason: str, registered: bool, accounts, idents: list) -> Lookalike:
        g = np.asarray(accounts, np.int64)
        item = Lookalike(
            f"benign-{len(self.benign) + 1:04d}",
            reason,
            registered,
            sellers=self.ids.strings("seller", g[g < self.S]),
            reviewers=self.ids.strings("reviewer", g[g >= self.S] - self.S),
            identifiers=idents,
        )
        self.benign.append(item)
        return item

    def _mixed(self, count: int, seller_share: float, min_sellers: int = 1) -> list[int]:
        """``count`` fresh accounts of one country, about ``seller_share`` of them sellers."""
        sellers = int(np.clip(self.rng.binomial(count, seller_share), min_sellers, count))
        accounts = [int(g) for g in (*self.take(sellers, True), *self.take(count - sellers, False))]
        self.country[accounts] = self.country[accounts[0]]
        return accounts

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
        self._honest_groups()
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

    def _honest_groups(self) -> None:
        """Offices, families and cafés: honest accounts sharing identifiers beyond pairs, 2-30
        per group (heavy-tailed), none of them in the benign register.

        - ``office``: sellers and reviewers on one IP; its sellers share the office address,
          and in half of the offices 2-4 members use one company card;
        - ``family``: mostly reviewers (sometimes a family business) on one home IP, 2+ of them
          on one device, and in half of the families 2-3 share a card;
        - ``cafe``: customers of a café on its Wi-Fi IP; in some a public terminal (a device).
        """
        rng, n = self.rng, self.S + self.R
        cap = int(np.clip(n // 40, 3, 30))
        for size in heavy_tailed(rng, max(2, n // 1000), 2, cap, 1.5):
            accounts = self._mixed(int(size), 0.4)
            sellers = [g for g in accounts if g < self.S]
            idents = [self.share("ip", accounts)]
            if len(sellers) >= 2:
                idents.append(self.share("address", sellers))
            if len(accounts) >= 4 and rng.random() < 0.5:
                idents.append(self.share("card", self._some(accounts, 2, 4)))
            self._lookalike("office", False, accounts, idents)
        for size in heavy_tailed(rng, max(2, n // 800), 2, min(cap, 8), 2.0):
            accounts = self._mixed(int(size), 0.1, min_sellers=0)
            idents = [self.share("ip", accounts), self.share("device", self._some(accounts, 2, 8))]
            if rng.random() < 0.5:
                idents.append(self.share("card", self._some(accounts, 2, 3)))
            self._lookalike("family", False, accounts, idents)
        for size in heavy_tailed(rng, max(2, n // 2500), 3, cap, 1.3):
            accounts = self._mixed(int(size), 0.15, min_sellers=0)
            idents = [self.share("ip", accounts)]
            if rng.random() < 0.3:
                idents.append(self.share("device", self._some(accounts, 2, 5)))
            self._lookalike("cafe", False, accounts, idents)

    # --- brands and products -------------------------------------------------------------------

    def _plan_products(self) -> None:
        """Products of every seller. Honest sellers carry 1-4 brands picked by a heavy-tailed
        popularity (the top brands are resold by dozens to hundreds of sellers); ring sellers
        with brands of their own sell those, with an ordinary brand on every 4th product."""
        rng, S = self.rng, self.S
        per_seller = np.minimum(np.ceil(rng.lognormal(1.1, 1.0, S)), 400).astype(np.int64)
        for s in self.seller_brands:
            per_seller[s] = max(per_seller[s], 2)
        seller = np.repeat(np.arange(S), per_seller)
        popularity = np.cumsum(np.arange(1, self.honest_brands + 1) ** -BRAND_TAIL)
        carried = np.searchsorted(popularity / popularity[-1], rng.random((S, 4)))
        n_carried = np.minimum(1 + rng.poisson(0.8, S), 4)
        brand = carried[seller, rng.integers(0, n_carried[seller])]
        first = np.concatenate([[0], np.cumsum(per_seller)[:-1]])
        for s, brands in self.seller_brands.items():
            k = np.arange(per_seller[s])
            own = np.array(brands)[(k + s) % len(brands)]
            brand[first[s] + k] = np.where(k % 4 == 3, brand[first[s] + k], own)
        order = rng.permutation(len(seller))  # product ids do not cluster by seller
        self.product_seller, self.product_brand = seller[order], brand[order]
        P = len(seller)
        ring = np.zeros(S, bool)
        ring[list(self.seller_brands)] = True
        ring = ring[self.product_seller]
        lo = np.maximum(self.created[self.product_seller], START - 2 * 365 * DAY)
        lo = np.where(ring, np.maximum(lo, START), lo)
        hi = np.where(ring, END - 60 * DAY, END - DAY)
        self.listed = daytime(rng, lo + (rng.random(P) * np.maximum(hi - lo, DAY)).astype(np.int64))
        self.price = np.round(rng.lognormal(3.0, 0.8, P), 2)
        self.weight = rng.lognormal(0.0, 1.8, P) * np.where(ring, 0.2, 1.0)
        self._by_seller = np.argsort(self.product_seller, kind="stable")
        self._by_seller_key = self.product_seller[self._by_seller]
        transfers = self._brand_transfers()
        self.brand_perm = rng.permutation(self.brand_count)
        self.brand_created = daytime(rng, START - rng.integers(30, 8 * 365, self.brand_count) * DAY)
        for ring_ in self.rings:
            ring_.brands = self.ids.strings(
                "brand", self.brand_perm[[int(b) for b in ring_.brands]]
            )
        for item, b in transfers:
            item.brands = [self.ids.one("brand", int(self.brand_perm[b]))]

    def _products_of(self, sellers) -> np.ndarray:
        lo = np.searchsorted(self._by_seller_key, sellers, side="left")
        hi = np.searchsorted(self._by_seller_key, sellers, side="right")
        return np.concatenate([self._by_seller[a:b] for a, b in zip(lo, hi, strict=True)])

    def _brand_transfers(self) -> list[tuple[Lookalike, int]]:
        """A niche brand moves from one honest seller to another (a sale of the business): the
        old seller lists it until the transfer day, the new one from then on, half the time on
        an account opened days before; half of the old sellers close ("seller request")."""
        rng, out = self.rng, []
        for _ in range(max(1, self.S // 500)):
            old, new = (int(g) for g in self.take(2, sellers=True))
            day = START + int(rng.integers(90, 300)) * DAY
            b, self.brand_count = self.brand_count, self.brand_count + 1
            if rng.random() < 0.5:
                self.created[new] = day - int(rng.integers(3, 30)) * DAY
            self.created[old] = min(self.created[old], day - 220 * DAY)
            moved = []
            for s, lo, hi in ((old, day - 200 * DAY, day - 5 * DAY), (new, day, day + 60 * DAY)):
                mine = self._products_of([s])
                self.listed[mine] = np.maximum(self.listed[mine], self.created[s] + DAY)
                mine = mine[: int(rng.integers(1, 4))]
                self.product_brand[mine] = b
                offset = (rng.random(len(mine)) * (hi - lo)).astype(np.int64)
                self.listed[mine] = daytime(rng, lo + offset)
                moved += mine.tolist()
            if rng.random() < 0.5:
                self.status[old], self.reason[old] = 2, REASONS.index("seller request")
                self.closed[old] = day + int(rng.integers(1, 10)) * DAY
                mine = self._products_of([old])
                self.listed[mine] = np.minimum(self.listed[mine], self.closed[old] - DAY)
            item = self._lookalike("brand-transfer", False, [old, new], [])
            item.products = self.ids.strings("product", moved)
            out.append((item, b))
        return out

    # --- planted reviews, messages and refunds -------------------------------------------------

    def _plant(self, table: str, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            self.planted.setdefault(f"{table}.{name}", []).append(np.asarray(values))

    def _reviews(self, reviewers, products, ts, ratings, verified_share: float) -> None:
        verified = self.rng.random(len(reviewers)) < verified_share
        self._plant(
            "reviews",
            reviewer=reviewers,
            product=products,
            ts=ts,
            rating=ratings,
            verified=verified,
        )

    def _messages(self, sellers, reviewers, products, ts, kind: str | np.ndarray) -> None:
        kinds = np.broadcast_to(
            MESSAGE_KINDS.index(kind) if isinstance(kind, str) else kind, len(ts)
        ).astype(np.int8)
        self._plant(
            "messages", seller=sellers, reviewer=reviewers, product=products, ts=ts, kind=kinds
        )

    def _refunds(self, sellers, reviewers, products, amount, ts) -> None:
        self._plant(
            "refunds",
            seller=sellers,
            reviewer=reviewers,
            product=products,
            amount=np.round(amount, 2),
            ts=ts,
        )

    def _plan_reviews(self) -> None:
        rng = self.rng
        self.reviewer_cdf = np.cumsum(rng.lognormal(0.0, 1.2, self.R))
        self.reviewer_cdf /= self.reviewer_cdf[-1]
        in_ring = np.zeros(self.S, bool)
        in_ring[[s for members in self.ring_members.values() for s in members]] = True
        honest = ~in_ring[self.product_seller]
        popular = np.flatnonzero(honest)[np.argsort(-self.weight[honest], kind="stable")[:50]]
        for ring in self.rings:
            products = self._products_of(self.ring_members[ring.ring_id])
            pool = self.pools.get(ring.ring_id)
            if ring.archetype in ("paid_review", "camouflage", "review_pool"):
                used = self._campaigns(pool, products, solicit=ring.archetype != "review_pool")
                ring.products = self.ids.strings("product", used)
            if ring.archetype == "camouflage":
                who = np.repeat(pool, rng.integers(1, 4, len(pool)))
                prods = popular[rng.integers(0, len(popular), len(who))]
                ts = self._after(self.listed[prods])
                self._reviews(who, prods, ts, rng.integers(4, 6, len(who)), 0.9)
            if ring.archetype == "self_review":
                sellers = self.ring_members[ring.ring_id]
                idx = np.repeat(np.arange(len(pool)), rng.integers(1, 4, len(pool)))
                who, owner = pool[idx], np.array(sellers)[idx % len(sellers)]
                prods = np.array([rng.choice(self._products_of([int(s)])) for s in owner])
                self._reviews(
                    who, prods, self._after(self.listed[prods]), np.full(len(who), 5), 0.7
                )
                ring.products = self.ids.strings("product", np.unique(prods))
        self._customer_service()
        self._launch_crowds(honest)
        self._deal_days(honest)
        n_refunds = max(5, self.scale.reviews // 300)  # buyers who return and never review
        prods = np.searchsorted(self.product_cdf(), rng.random(n_refunds))
        self._refunds(
            self.product_seller[prods],
            self.S + rng.integers(0, self.R, n_refunds),
            prods,
            self.price[prods] * rng.uniform(0.3, 1, n_refunds),
            self._after(self.listed[prods]),
        )

    def _after(self, lo: np.ndarray) -> np.ndarray:
        """A random daytime timestamp between ``lo`` and the end of the year."""
        ts = lo + (self.rng.random(len(lo)) * (END - DAY - lo)).astype(np.int64)
        return np.maximum(daytime(self.rng, ts), lo + 3600)

    def _campaigns(self, pool: np.ndarray, products: np.ndarray, solicit: bool) -> np.ndarray:
        """Lockstep campaigns: each of ~len(pool)/6 campaigns puts one ring product in front of
        a group of paid reviewers who all review it within 36 hours (5 stars). With ``solicit``
        every reviewer is messaged by the product's seller first and 60% get a refund after
        reviewing; without (a bare review pool) the window is 72 hours and 15% give 4 stars.
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
        ts = t0[camp] + rng.integers(0, (36 if solicit else 72) * 3600, n)
        ratings = np.where(solicit | (rng.random(n) < 0.85), 5, 4)
        self._reviews(reviewers, prods, ts, ratings, 0.95)
        if solicit:
            sellers = self.product_seller[prods]
            asked = ts - rng.integers(2 * 3600, 4 * DAY, n)
            self._messages(sellers, reviewers, prods, asked, "solicitation")
            paid = rng.random(n) < 0.6
            refunded = ts[paid] + rng.integers(3600, 3 * DAY, int(paid.sum()))
            self._refunds(
                sellers[paid], reviewers[paid], prods[paid], self.price[prods[paid]], refunded
            )
        return np.unique(camp_product)

    def _customer_service(self) -> None:
        """Honest sellers who message their buyers: a quarter of them nearly every buyer
        (90-100%), the rest a Beta(2, 2) share. A conversation (1-3 messages: delivery, a
        colour or size question, a return) comes before the buyer's review; 8% are complaints
        settled by a refund (mostly the full price), then a 1-2 star review or none; 30% of
        these sellers also ask every happy buyer for a review. All reviews of their products
        are planted here (their organic weight is set to 0) so the shares hold in the feeds."""
        rng, S = self.rng, self.S
        sellers = self.take(max(2, round(SERVICE_SHARE * (S - self._taken[0]))), sellers=True)
        n = len(sellers)
        rate, asks = np.zeros(S), np.zeros(S, bool)
        rate[sellers] = np.where(rng.random(n) < 0.25, rng.uniform(0.9, 1.0, n), rng.beta(2, 2, n))
        asks[sellers] = rng.random(n) < 0.3
        products = self._products_of(sellers)
        expected = self.weight[products] / self.weight.sum() * self.scale.reviews
        p = np.repeat(products, rng.poisson(expected))
        m, seller = len(p), self.product_seller[p]
        reviewer = self.S + np.minimum(
            np.searchsorted(self.reviewer_cdf, rng.random(m)), self.R - 1
        )
        lo = np.maximum(self.listed[p], self.created[reviewer]) + 3 * DAY
        ts = np.maximum(daytime(rng, lo + (rng.random(m) * (END - DAY - lo)).astype(np.int64)), lo)
        contacted = rng.random(m) < rate[seller]
        complaint = contacted & (rng.random(m) < 0.08)
        topic = rng.choice([1, 2, 3], m, p=[0.5, 0.3, 0.2])  # delivery, question, return
        kind = np.where(complaint, MESSAGE_KINDS.index("complaint"), topic)
        c = np.flatnonzero(contacted)
        talk = np.repeat(c, 1 + np.minimum(rng.poisson(0.5, len(c)), 2))
        earliest = np.where(complaint[talk], 2 * DAY, 2 * 3600)
        sent = ts[talk] - rng.integers(earliest, 8 * DAY)
        sent = np.maximum(sent, self.listed[p[talk]] + 600)
        self._messages(seller[talk], reviewer[talk], p[talk], sent, kind[talk])
        ask = np.flatnonzero(asks[seller] & ~complaint)
        asked = ts[ask] - rng.integers(3600, 3 * DAY, len(ask))
        self._messages(seller[ask], reviewer[ask], p[ask], asked, "review_request")
        r = np.flatnonzero(complaint)
        share = np.where(rng.random(len(r)) < 0.7, 1.0, rng.uniform(0.3, 0.9, len(r)))
        refunded = ts[r] - rng.integers(3600, 36 * 3600, len(r))
        self._refunds(seller[r], reviewer[r], p[r], self.price[p[r]] * share, refunded)
        rating = rng.choice(5, m, p=ORGANIC_RATINGS) + 1
        rating[r] = rng.integers(1, 3, len(r))
        keep = ~complaint | (rng.random(m) < 0.5)
        self._reviews(reviewer[keep], p[keep], ts[keep], rating[keep], 0.85)
        self.weight[products] = 0.0
        self._lookalike("customer-service", False, sellers, [])

    def _launch_crowds(self, honest: np.ndarray) -> None:
        """New products reviewed by a crowd of early adopters (15-300, heavy-tailed, mixed
        ratings) in their first 3 days; the adopters are one pool, so they meet again."""
        rng = self.rng
        candidates = np.flatnonzero(honest & ~self.protected[self.product_seller])
        count = max(3, self.S // 500)
        adopters = self._untaken_reviewers(max(60, self.R // 30))
        hi = int(np.clip(self.R // 40, 15, 300))
        launches = rng.choice(candidates, count, replace=False)
        for p, size in zip(launches, heavy_tailed(rng, count, 15, hi, 1.2), strict=True):
            seller = int(self.product_seller[p])
            self.listed[p] = daytime(rng, np.array([START + int(rng.integers(30, 300)) * DAY]))[0]
            self.created[seller] = min(self.created[seller], self.listed[p] - 30 * DAY)
            self.weight[p] = self.weight.max()
            self.protected[seller] = True
            who = rng.choice(adopters, min(int(size), len(adopters)), replace=False)
            ts = self.listed[p] + rng.integers(3600, 72 * 3600, len(who))
            ratings = rng.choice(5, len(who), p=ORGANIC_RATINGS) + 1
            self._reviews(who, np.full(len(who), p), ts, ratings, 0.9)
            item = self._lookalike("launch-burst", False, [seller, *map(int, who)], [])
            item.products = self.ids.strings("product", [p])

    def _deal_days(self, honest: np.ndarray) -> None:
        """Six sale days: 5-12 headline deals (popular honest products) each reviewed within a
        day by deal hunters, a pool of ~2% of reviewers; 40% of them shop each sale and review
        1-4 of its deals (the first headlines most), so honest reviewers co-review in lockstep."""
        rng = self.rng
        top = max(20, len(self.weight) // 100)
        popular = np.flatnonzero(honest)[np.argsort(-self.weight[honest], kind="stable")[:top]]
        hunters = self._untaken_reviewers(max(40, self.R // 50))
        for day in np.sort(rng.choice(np.arange(30, 350), 6, replace=False)):
            sale = START + int(day) * DAY
            eligible = popular[self.listed[popular] < sale - 7 * DAY]
            deals = rng.choice(
                eligible, min(len(eligible), int(rng.integers(5, 13))), replace=False
            )
            active = hunters[rng.random(len(hunters)) < 0.4]
            if len(deals) < 2 or not len(active):
                continue
            k = np.minimum(1 + rng.poisson(1.0, len(active)), min(4, len(deals)))
            keys = rng.exponential(size=(len(active), len(deals))) / np.linspace(2, 0.5, len(deals))
            chosen = np.argsort(keys, axis=1)[np.arange(len(deals)) < k[:, None]]
            who, prods = np.repeat(active, k), deals[chosen]
            ts = sale + rng.integers(6 * 3600, 30 * 3600, len(who))
            self._reviews(who, prods, ts, rng.choice(5, len(who), p=POPULAR_RATINGS) + 1, 0.9)
            item = self._lookalike("popular-crowd", False, np.unique(who), [])
            item.products = self.ids.strings("product", deals)

    def product_cdf(self) -> np.ndarray:
        cdf = np.cumsum(self.weight)
        return cdf / cdf[-1]

    def _finish(self) -> None:
        """Render identifier values, concatenate planted events (sorted by time) and make every
        account exist before its first planted event."""
        self._render_values()
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
