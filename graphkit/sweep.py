"""The ring sweep: run the packs over the whole graph, link accounts, score rings, report.

Every step is a canned, set-based query (``identity.account-overlap``, ``brand.co-selling``,
``reviews.self-review``, ``reviews.solicited``, ``reviews.lockstep``, ``reviews.review-burst``,
then ``dossier.accounts`` and ``reviews.rating-deviation`` for ring members only), two at a
time since Neo4j runs each query on one core. Each link is weighed against its background
(:func:`poisson_surprise` of what a null model expects, :func:`solicitation_weight`); rings
are GDS communities of the links (:mod:`graphkit.communities`) that some evidence makes a ring
(:func:`ring_evidence`).

>>> with Database() as db:                                          # doctest: +SKIP
...     rings = sweep(db)
...     write_report(rings, Path("out/sweep"))
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

import networkx as nx
import pandas as pd

from graphkit.analysis import Link, Ring, link_graph, make_ring, rings_from_links, score_ring
from graphkit.communities import attached, communities
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.graphmodel import IDENTIFIERS, REVIEWER, SELLER
from graphkit.packs import run
from graphkit.packs.output import records
from graphkit.packs.result import Subgraph

log = logging.getLogger(__name__)


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class SweepSettings:
    """Thresholds, tuned on synthetic marketplaces (seeds 1-3; ``graphkit eval``). Each is
    a ``graphkit ring sweep`` / ``graphkit eval`` option (``--min-members`` ...)."""

    max_identifier_degree: int = _setting(50, "Identifiers shared by more accounts are hubs.")
    min_link_score: float = _setting(
        0.3, "Identity and self-review links weaker than this (FRAUDAR sum) are dropped."
    )
    max_gap_days: int = _setting(
        90, "IPs, addresses, phones count as shared only when held this close in time."
    )
    strong_identity: float = _setting(
        0.45, "Identity links this strong (one identifier of degree <= 4) form components."
    )
    min_surprise: float = _setting(
        3.0, "Brand and lockstep links need -log10 P(chance) at least this (Poisson tail)."
    )
    min_shared_brands: int = _setting(2, "Brands two sellers must share for a brand link.")
    max_brand_sellers: int = _setting(100, "Brands carried by more sellers are skipped.")
    lockstep_min_products: int = _setting(2, "Products a lockstep pair co-reviews.")
    lockstep_window_hours: int = _setting(72, "Length of a lockstep window.")
    lockstep_reviews_per_pass: int = _setting(
        2_000_000,
        "The lockstep pair search runs in one pass per this many reviews, so that its pairs "
        "fit the transaction memory (10M reviews: 5 passes on an 8 GB heap).",
    )
    min_five_star_share: float = _setting(
        0.8, "A listing's bursts tie their reviewers to the seller when this share is 5-star."
    )
    min_burst_share: float = _setting(
        0.2,
        "A listing's review bursts count when together they hold this share of its reviews "
        "(not a deal-day crowd at a bestseller; a pool working one listing in five campaigns "
        "makes five bursts of a fifth each).",
    )
    min_praise: int = _setting(
        4,
        "A listing's bursts tie to its seller only the reviewers who rated it this or more: "
        "a shopper who panned it in the middle of a campaign is not one of the crew.",
    )
    launch_days: int = _setting(
        7, "Bursts within this many days of the listing are launch crowds, not evidence."
    )
    min_bursts: int = _setting(2, "Surprising 5-star bursts on a ring's listings for a pool.")
    min_burst_recurrence: float = _setting(
        0.2,
        "Of the reviewers in a ring's several bursts, this share must come back for another: "
        "a paid crew returns campaign after campaign, sale-day crowds are new shoppers each "
        "time.",
    )
    min_solicited: float = _setting(
        0.15,
        "Solicitation links weaker than this (unusual x followed) form no community; they "
        "only join reviewers to a ring already proven by paid reviews.",
    )
    max_strong_degree: int = _setting(
        4, "Identifiers held by at most this many accounts support an identity ring."
    )
    min_identity_support: float = _setting(
        0.75,
        "An identity ring of n accounts needs this x (n - 1) distinct rare identifiers "
        "(IPs, addresses, phones count half unless passed on after a closure): a chain of "
        "devices and cards, not one office IP.",
    )
    min_paid_reviewers: int = _setting(
        2, "Reviewers refunded after a 5-star review that make a solicitation ring."
    )
    min_lockstep_reviewers: int = _setting(3, "Reviewers in significant lockstep for a pool.")
    min_brand_sellers: int = _setting(3, "Sellers joined by significant brand links.")
    max_ring_size: int = _setting(60, "Communities are split until no ring is larger.")
    community_density: float = _setting(
        0.001,
        "Two communities merge only when the links between them weigh more than this x the "
        "product of their strengths (30 and 30: a link of weight 0.9), whatever the graph's "
        "size (Leiden's gamma scaled to its total weight: modularity's resolution limit).",
    )
    min_members: int = _setting(
        3,
        "Accounts a ring needs: a pair sharing a device or a card, or even both, is as often "
        "a couple or a family as a ring.",
    )
    min_ring_score: float = _setting(0.0, "Rings scoring less are not reported.")
    jobs: int = _setting(2, "Queries at once (Neo4j runs each on one core).")
    query_timeout_s: int = _setting(
        3600,
        "Each evidence query may run this long: the sweep is a batch job over the whole graph "
        "(a canned query's own timeout is for investigators).",
    )
    max_evidence_rows: int = _setting(
        20_000_000, "Rows one evidence query may return; more stops the sweep (it drops none)."
    )


def poisson_surprise(observed: int, expected: float) -> float:
    """-log10 P(X >= observed) for X ~ Poisson(expected): how unlikely a count is by chance.

    >>> round(poisson_surprise(3, 0.05), 2), poisson_surprise(0, 2.0)
    (4.7, 0.0)
    """
    if observed <= 0:
        return 0.0
    if expected <= 0:
        return 300.0
    term = math.exp(-expected + observed * math.log(expected) - math.lgamma(observed + 1))
    total, k = 0.0, observed
    while term > total * 1e-12 and k < observed + 1000:
        total, k = total + term, k + 1
        term *= expected / k
    return min(300.0, -math.log10(total)) if total > 0 else 300.0


def evidence_rows(
    db: Database, settings: SweepSettings, query_id: str, **params: Any
) -> pd.DataFrame:
    """A pack query's rows as sweep evidence: under the sweep's timeout and row cap, whole.

    Raises GraphkitError (never truncates) when the query returns more than
    ``settings.max_evidence_rows``."""
    started = time.monotonic()
    rows = run(query_id, db, max_rows=settings.max_evidence_rows,
               timeout_s=settings.query_timeout_s, **params)  # fmt: skip
    part = f" (pass {params['part'] + 1} of {params['parts']})" if "part" in params else ""
    log.info("sweep: %s%s: %s rows in %.0f s", query_id, part, f"{len(rows):,}",
             time.monotonic() - started)  # fmt: skip
    if rows.attrs["truncated"]:
        raise GraphkitError(
            f"{query_id} returned more than {settings.max_evidence_rows:,} rows: the sweep "
            "would drop evidence",
            hint="raise --max-evidence-rows (memory allowing), or lower --max-identifier-degree",
        )
    return rows


def identity_links(db: Database, settings: SweepSettings = SweepSettings()) -> list[Link]:
    """Seller pairs sharing non-benign, non-hub identifiers (``identity.overlap-score``)."""
    pairs = evidence_rows(
        db,
        settings,
        "identity.overlap-score",
        min_score=settings.min_link_score,
        max_identifier_degree=settings.max_identifier_degree,
    )
    return [
        Link(row["seller_a"], row["seller_b"], "identity", row["score"], tuple(row["evidence"]))
        for row in records(pairs)
    ]


def solicitation_weight(row: dict[str, Any]) -> float:
    """How much a contact before a review says, by how unusual it is for the seller and by
    what followed. A 4.5+ star review without a refund: 0.1 x (1 - the share of its buyers
    the seller contacts: customer service contacts nearly all). A refund of (nearly) the
    item's price after a 4.5+ star review (paid for the review): the larger of 1 - that
    contact share and ``paid_share``, the share of the seller's contacts it paid so (Laplace's
    rule): customer service settles a complaint now and then, a seller whose only buyers are
    its paid reviewers contacts all of them and pays most. Lower ratings: 0.

    >>> paid = {"contact_share": 0.9, "avg_rating": 5.0, "refund_share": 1.0,
    ...         "refund_after_review": True, "paid_share": 0.6}
    >>> solicitation_weight(paid), solicitation_weight({**paid, "paid_share": 0.01})
    (0.6, 0.1)
    """
    if not praised(row):
        return 0.0
    unusual = 1.0 - row["contact_share"]
    if paid_for(row):
        return round(max(unusual, row.get("paid_share", 0.0)), 4)
    return round(unusual * 0.1, 4)


def solicitation_links(rows: Iterable[dict[str, Any]]) -> list[Link]:
    """A link per contacted reviewer whose review followed (``reviews.solicited`` rows), its
    weight by :func:`solicitation_weight`; each row's facts gain the seller's ``paid_share``,
    (paid reviewers + 1) / (contacted accounts + 2), and ``paid_surprise``, the Poisson
    surprise of its paid reviewers against the graph's background (all sellers' paid
    reviewers per contacted account, times its contacts): a shop that settles 2 of 700
    contacts after a 5-star review pays no more than any seller does.

    >>> row = {"seller_id": "s", "reviewer_id": "r", "contact_share": 0.75, "n_contacted": 2,
    ...        "avg_rating": 5.0, "refund_share": 1.0, "refund_after_review": True}
    >>> [(link.b, link.weight) for link in solicitation_links([row, {**row, "reviewer_id": "q"}])]
    [('r', 0.75), ('q', 0.75)]
    """
    rows = list(rows)
    paid = Counter(row["seller_id"] for row in rows if paid_for(row) and praised(row))
    contacted = {row["seller_id"]: row["n_contacted"] for row in rows}
    rate = sum(paid.values()) / max(1, sum(contacted.values()))
    links = []
    for row in rows:
        share = (paid[row["seller_id"]] + 1) / (row["n_contacted"] + 2)
        facts = {k: v for k, v in row.items() if k not in ("seller_id", "reviewer_id")}
        facts["paid_share"] = round(share, 4)
        surprise = poisson_surprise(paid[row["seller_id"]], rate * row["n_contacted"])
        facts["paid_surprise"] = round(surprise, 2)
        weight = solicitation_weight(facts)
        if weight > 0:
            links.append(Link(row["seller_id"], row["reviewer_id"], "solicited", weight, (facts,)))
    return links


def praised(facts: dict[str, Any]) -> bool:
    """The contacted reviewer's reviews of the seller average 4.5 stars or more."""
    return (facts["avg_rating"] or 0) >= 4.5


def paid_for(facts: dict[str, Any]) -> bool:
    """Refunded (nearly) the item's price after the review: the review was bought."""
    return bool(facts.get("refund_after_review")) and (facts.get("refund_share") or 0) >= 0.8


def bought(link: Link, settings: SweepSettings) -> bool:
    """A paid review (:func:`paid_for`) from a seller whose paid reviewers are surprising at
    its number of contacts (``paid_surprise`` >= ``min_surprise``): evidence of a ring."""
    facts = link.evidence[0] if link.kind == "solicited" else {}
    return paid_for(facts) and facts.get("paid_surprise", 0.0) >= settings.min_surprise


def collect_links(
    db: Database, settings: SweepSettings = SweepSettings()
) -> tuple[list[Link], Counter[str]]:
    """Every pairwise link the packs find, each weighted by how unusual it is against its
    background, with its evidence and the numbers behind the weight; and per seller, the
    windows its listings' bursts were looked for in (:func:`without_chance_bursts`). The queries are
    independent and run ``settings.jobs`` at a time, the longest (lockstep, in one pass per
    ``lockstep_reviews_per_pass`` reviews) first."""
    # Registered details (addresses, phones) of current links are held by both now: only
    # identifiers seen in sessions (IPs) are tested for a gap in time.
    reassignable = [i.kind for i in IDENTIFIERS.values() if i.reassignable and not i.registered]
    reviews = db.read("MATCH ()-[:REVIEWED]->() RETURN count(*) AS n")[0]["n"]
    parts = max(1, math.ceil(reviews / settings.lockstep_reviews_per_pass))
    with ThreadPoolExecutor(settings.jobs) as pool:
        lockstep = [
            pool.submit(
                evidence_rows,
                db,
                settings,
                "reviews.lockstep",
                min_products=settings.lockstep_min_products,
                window_hours=settings.lockstep_window_hours,
                parts=parts,
                part=part,
            )
            for part in range(parts)
        ]
        identity = pool.submit(
            evidence_rows,
            db,
            settings,
            "identity.account-overlap",
            min_score=settings.min_link_score,
            max_identifier_degree=settings.max_identifier_degree,
            max_gap_days=settings.max_gap_days,
            reassignable=reassignable,
        )
        brands = pool.submit(
            evidence_rows,
            db,
            settings,
            "brand.co-selling",
            min_shared=settings.min_shared_brands,
            max_brand_sellers=settings.max_brand_sellers,
        )
        self_reviews = pool.submit(
            evidence_rows,
            db,
            settings,
            "reviews.self-review",
            max_identifier_degree=settings.max_identifier_degree,
        )
        solicited = pool.submit(evidence_rows, db, settings, "reviews.solicited")
        bursts = pool.submit(
            evidence_rows,
            db,
            settings,
            "reviews.review-burst",
            window_hours=settings.lockstep_window_hours,
            min_praise=settings.min_praise,
        )
    links = [
        Link(
            row["account_a"],
            row["account_b"],
            "identity",
            row["score"],
            tuple(row["evidence"]),
            (row["kind_a"], row["kind_b"]),
        )  # fmt: skip
        for row in records(identity.result())
    ]
    for row in records(brands.result()):
        surprise = poisson_surprise(row["n_shared"], row["expected"])
        if surprise >= settings.min_surprise:
            background = {"n_shared": row["n_shared"], "expected": row["expected"],
                          "surprise": round(surprise, 2)}  # fmt: skip
            evidence = (background, *row["evidence"])
            links.append(Link(row["seller_a"], row["seller_b"], "brand", row["score"], evidence))
    for row in records(self_reviews.result()):
        if row["score"] >= settings.min_link_score:
            facts = {"n_reviews": row["n_reviews"], "avg_rating": row["avg_rating"]}
            evidence = tuple({"kind": kind, **facts} for kind in row["kinds"])
            links.append(
                Link(row["seller_id"], row["reviewer_id"], "self-review", row["score"], evidence)
            )
    links += solicitation_links(records(solicited.result()))
    for row in (row for future in lockstep for row in records(future.result())):
        surprise = poisson_surprise(row["n_occasions"], row["expected"])
        if surprise < settings.min_surprise:
            continue
        weight = round(min(1.0, surprise / (2 * settings.min_surprise)), 4)
        facts = {k: row[k] for k in ("n_products", "n_occasions", "expected", "reviews_a",
                                     "reviews_b", "products", "sellers")}  # fmt: skip
        facts["surprise"] = round(surprise, 2)
        links.append(Link(row["reviewer_a"], row["reviewer_b"], "lockstep", weight, (facts,)))
        for seller in row["sellers"]:
            for reviewer in (row["reviewer_a"], row["reviewer_b"]):
                links.append(Link(seller, reviewer, "lockstep-seller", weight / 2, (facts,)))
    burst_rows = records(bursts.result())
    links += burst_links(burst_rows, settings)
    windows = Counter(row["seller_id"] for row in burst_rows if row["seller_id"] is not None)
    return links, windows


def burst_links(rows: Iterable[dict[str, Any]], settings: SweepSettings) -> list[Link]:
    """Each reviewer who praised a listing in its surprising bursts (``praising``: rated it
    ``min_praise`` or more), tied to its seller. A burst is a window unlikely at the
    listing's own pace (Poisson surprise against ``expected``) and not the launch crowd of
    its first days; overlapping windows of one listing (``slot``) give way to the fullest.
    The listing's bursts count when together they are a large share of its reviews (a
    deal-day crowd at a bestseller is not; the campaigns of a pool working one listing are,
    though each is a small share) and nearly all 5-star, counted over all of
    them (one 4-star review does not undo a small burst). Each burst's facts say how many
    windows were tested (``windows_tested``: every row), the background against which one
    burst alone may be a ring (:func:`evidence_shares`).

    >>> row = {"product_id": "p", "seller_id": "s", "slot": 7, "n_reviewers": 5,
    ...        "n_reviews": 6, "expected": 0.1, "n_five_star": 4, "n_ratings": 5,
    ...        "days_after_listing": 30, "burst_start": "2024-01-01", "reviewers": list("abcde"),
    ...        "praising": list("abcd")}
    >>> [link.b for link in burst_links([row], SweepSettings())]
    ['a', 'b', 'c', 'd']
    """
    rows = list(rows)
    by_product: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["seller_id"] is not None:
            by_product[row["product_id"]].append(row)
    links = []
    for windows in by_product.values():
        bursts, slots = [], set()
        for row in sorted(windows, key=lambda w: (-w["n_reviewers"], w["slot"])):
            surprise = poisson_surprise(row["n_reviewers"], row["expected"])
            if (
                surprise < settings.min_surprise
                or row["days_after_listing"] < settings.launch_days
                or {row["slot"], row["slot"] + 1} & slots
            ):
                continue
            slots |= {row["slot"], row["slot"] + 1}
            bursts.append((row, surprise))
        in_bursts = sum(row["n_reviewers"] for row, _ in bursts)
        five_star = sum(row["n_five_star"] for row, _ in bursts)
        if (
            not bursts
            or in_bursts < settings.min_burst_share * bursts[0][0]["n_reviews"]
            or five_star < settings.min_five_star_share * sum(row["n_ratings"] for row, _ in bursts)
        ):
            continue
        for row, surprise in bursts:
            left_out = ("seller_id", "reviewers", "praising", "slot")
            facts = {k: v for k, v in row.items() if k not in left_out}
            facts["surprise"] = round(surprise, 2)
            facts["windows_tested"] = len(rows)
            weight = round(min(1.0, surprise / (2 * settings.min_surprise)), 4)
            seller = row["seller_id"]
            links += [Link(seller, r, "burst", weight, (facts,)) for r in row["praising"]]
    return links


def form_rings(
    db: Database,
    links: list[Link],
    settings: SweepSettings,
    windows: Mapping[str, int] | None = None,
) -> list[Ring]:
    """Rings as communities (:mod:`graphkit.communities`) of the links at least as strong as
    their thresholds, reviewers attached only through their sellers and not by a chance burst
    among the seller's ``windows`` (:func:`without_chance_bursts`), at least
    ``min_members`` accounts and some :func:`ring_evidence`; then a ring proven by paid
    reviews takes the other reviewers that its sellers who paid for reviews solicited
    (5-star reviews after a contact) that no ring holds, strongest first, within
    ``max_ring_size``: an honest seller the community drew in does not bring its customers.
    Unscored."""
    strong, weak = [], []
    for link in links:
        is_weak = link.kind == "solicited" and link.weight < settings.min_solicited
        (weak if is_weak else strong).append(link)
    graph = link_graph(strong)
    groups = communities(
        db,
        strong,
        strong_identity=settings.strong_identity,
        max_ring_size=settings.max_ring_size,
        density=settings.community_density,
    )
    rings = [make_ring(graph, attached(graph, group)) for group in groups]
    rings = [without_chance_bursts(graph, ring, settings, windows or {}) for ring in rings]
    rings = [
        ring
        for ring in rings
        if len(ring.members) >= settings.min_members and ring_evidence(ring, settings)
    ]
    taken = {(REVIEWER, r) for ring in rings for r in ring.reviewers}
    full = link_graph(strong + weak)
    solicited_by: dict[str, list[tuple[int, Link]]] = defaultdict(list)  # strongest first
    for rank, link in enumerate(sorted(weak, key=lambda link: -link.weight)):
        solicited_by[link.a].append((rank, link))
    for i, ring in enumerate(rings):
        if evidence_shares(ring, settings)["paid-reviews"] >= 1.0:
            payers = {link.a for link in ring.links if bought(link, settings)}
            solicited = sorted(pair for payer in payers for pair in solicited_by[payer])
            candidates = dict.fromkeys((REVIEWER, link.b) for _, link in solicited)
            room = max(0, settings.max_ring_size - len(ring.members))
            extra = set([account for account in candidates if account not in taken][:room])
            rings[i] = make_ring(full, ring.accounts | extra)
            taken |= extra
    return rings


def without_chance_bursts(
    graph: nx.Graph, ring: Ring, settings: SweepSettings, windows: Mapping[str, int]
) -> Ring:
    """A ring its sellers prove (identity, brands), with no crew evidence of their own
    (paid reviews, lockstep, bursts: :func:`evidence_shares`), without the reviewers that
    only chance bursts hold: bursts no longer surprising once every window looked at on the
    ring's listings is counted (Bonferroni: surprise less log10 of the sellers' ``windows``
    under ``min_surprise``). The more listings a ring has, the likelier a 5-star week on one
    of them: at `seed` scale (test seed 100), one 4-in-5 week among the 64 windows of a
    23-seller card chain brought in three honest shoppers and a reviewer of another ring.

    >>> def card(i):
    ...     return ({"kind": "payment", "identifier": f"card{i}", "degree": 2},)
    >>> links = [Link(f"s{i}", f"s{i + 1}", "identity", 0.5, card(i)) for i in range(3)]
    >>> week = {"product_id": "p", "burst_start": "d", "surprise": 4.0, "windows_tested": 10**5}
    >>> links += [Link("s0", r, "burst", 0.66, (week,)) for r in "abc"]
    >>> graph = link_graph(links)
    >>> ring = make_ring(graph, graph.nodes)
    >>> without_chance_bursts(graph, ring, SweepSettings(), {"s0": 40, "s1": 24}).members
    ['s0', 's1', 's2', 's3']
    >>> len(without_chance_bursts(graph, ring, SweepSettings(), {"s0": 5}).members)
    7
    """
    shares = evidence_shares(ring, settings)
    crew = max(shares["paid-reviews"], shares["lockstep"], shares["bursts"]) >= 1.0
    if crew or shares["identity"] + shares["brands"] < 1.0:
        return ring
    looked_at = math.log10(max(1, sum(windows.get(seller, 0) for seller in ring.sellers)))
    held = {
        end
        for link in ring.links
        if link.kind != "burst" or link.evidence[0]["surprise"] - looked_at >= settings.min_surprise
        for end in link.ends
    }
    kept = [account for account in ring.accounts if account[0] != REVIEWER or account in held]
    if len(kept) == len(ring.accounts):
        return ring
    return make_ring(graph, attached(graph, kept))


def ring_evidence(ring: Ring, settings: SweepSettings) -> list[str]:
    """What makes the group a ring (empty: nothing does, it is not reported): the kinds of
    :func:`evidence_shares` that meet their requirement on their own; failing that, the kinds
    that together do (their shares add up to 1: one shared IP and two brands no one else
    sells, one paid reviewer and two brands).

    >>> pair = [Link("s1", "s2", "identity", 0.5, ({"kind": "ip", "identifier": "i",
    ...                                              "degree": 2},), ("seller", "seller")),
    ...         Link("s1", "s2", "brand", 1.0, ())]
    >>> ring_evidence(make_ring(link_graph(pair), {("seller", "s1"), ("seller", "s2")}),
    ...               SweepSettings())
    ['identity', 'brands']
    """
    shares = evidence_shares(ring, settings)
    whole = [kind for kind, share in shares.items() if share >= 1.0]
    if whole:
        return whole
    if sum(shares.values()) >= 1.0:
        return [kind for kind, share in shares.items() if share > 0]
    return []


def evidence_shares(ring: Ring, settings: SweepSettings) -> dict[str, float]:
    """How much of each kind of evidence the group holds, as a share of what that kind needs
    alone to make a ring:

    - ``identity``: its accounts with identity links hold at least ``min_identity_support``
      x (n - 1) distinct identifiers of degree <= ``max_strong_degree`` (reassignable kinds
      count half, unless passed on after a closure: :func:`identifier_support`): rings chain
      many personal identifiers, honest offices, families and cafés share one or two. The
      holders must include an operator: two sellers, or a seller whose
      products accounts sharing its identifiers reviewed (self-review); a household of
      buyers around one seller is not a seller ring;
    - ``paid-reviews``: ``min_paid_reviewers`` reviewers refunded after their 5-star review
      by sellers that pay surprisingly many of their contacts (:func:`bought`);
    - ``lockstep``: ``min_lockstep_reviewers`` reviewers in significant lockstep;
    - ``brands``: ``min_brand_sellers`` sellers joined by significant brand links;
    - ``bursts``: ``min_bursts`` surprising 5-star bursts on the ring's listings, or one
      that is surprising even after counting every window tested (Bonferroni: its surprise
      less log10(windows tested) is at least ``min_surprise``); none where the ring holds
      several bursts but under ``min_burst_recurrence`` of their reviewers are in two of them
      (:func:`burst_recurrence`): a crew would have come back.
    """
    identity = [link for link in ring.links if link.kind in ("identity", "self-review")]
    holders = {end for link in identity for end in link.ends}
    rare: dict[tuple[str, str], float] = defaultdict(float)
    for link in identity:
        for item in link.evidence if link.kind == "identity" else ():
            if item.get("degree", settings.max_strong_degree + 1) <= settings.max_strong_degree:
                key = (item["kind"], item["identifier"])
                rare[key] = max(rare[key], identifier_support(item))
    operator = sum(kind == SELLER for kind, _ in holders) >= 2 or any(
        link.kind == "self-review" for link in identity
    )
    paid = {link.b for link in ring.links if bought(link, settings)}
    lockstep = {r for link in ring.links if link.kind == "lockstep" for r in (link.a, link.b)}
    brands = {s for link in ring.links if link.kind == "brand" for s in (link.a, link.b)}
    bursts = {
        (item["product_id"], item["burst_start"]): item["surprise"]
        - math.log10(max(1, item.get("windows_tested", 1)))
        for link in ring.links
        if link.kind == "burst"
        for item in link.evidence
    }
    alone = any(corrected >= settings.min_surprise for corrected in bursts.values())
    crowds = len(bursts) > 1 and burst_recurrence(ring) < settings.min_burst_recurrence
    shares = {
        "identity": (
            sum(rare.values()) / (settings.min_identity_support * (len(holders) - 1))
            if operator
            else 0.0
        ),
        "paid-reviews": len(paid) / settings.min_paid_reviewers,
        "lockstep": len(lockstep) / settings.min_lockstep_reviewers,
        "brands": len(brands) / settings.min_brand_sellers,
        "bursts": 0.0 if crowds else max(len(bursts) / settings.min_bursts, float(alone)),
    }
    return {kind: round(share, 3) for kind, share in shares.items()}


def burst_recurrence(ring: Ring) -> float:
    """The share of the reviewers in a ring's bursts who are in two or more of them.

    >>> def burst(reviewer, day):
    ...     return Link("s", reviewer, "burst", 1.0, ({"product_id": "p", "burst_start": day},))
    >>> links = [burst("a", 1), burst("b", 1), burst("a", 9), burst("c", 9)]
    >>> accounts = {("seller", "s")} | {("reviewer", r) for r in "abc"}
    >>> burst_recurrence(make_ring(link_graph(links), accounts))
    0.3333
    """
    bursts_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for link in ring.links:
        if link.kind == "burst":
            for item in link.evidence:
                bursts_of[link.b].add((item["product_id"], item["burst_start"]))
    if not bursts_of:
        return 0.0
    return round(sum(len(b) > 1 for b in bursts_of.values()) / len(bursts_of), 4)


def identifier_support(item: dict[str, Any]) -> float:
    """What one shared rare identifier adds to an identity ring's support: 1, or 0.5 for a
    reassignable kind (an IP, address or phone held at the same time is as often an office,
    a café or a family as an operator). One that passed to a new account after its holder was
    closed or suspended (``succession``) counts in full: that is no sharing between current
    holders but a banned operator's identifier carried over (``repeat-offenders``); on the
    synthetic tuning seeds 1-5 every such identifier linked two accounts of one planted ring.

    >>> ip = {"kind": "ip", "identifier": "i", "degree": 2}
    >>> identifier_support(ip), identifier_support({**ip, "succession": True})
    (0.5, 1.0)
    """
    if IDENTIFIERS[item["kind"]].reassignable and not item.get("succession"):
        return 0.5
    return 1.0


def _describe(db: Database, rings: list[Ring], settings: SweepSettings) -> None:
    """Add statuses, brands, scores and the reviewers' rating deviation to each ring.

    Both queries (run ``settings.jobs`` at a time) are scoped to ring members, so the
    planner's whole-graph cost estimate (over the guard at ``seed`` scale) does not apply;
    they run as evidence queries (:func:`evidence_rows`: the sweep's batch timeout and row
    guard, not the investigator's)."""
    sellers = sorted({s for ring in rings for s in ring.sellers})
    reviewers = sorted({r for ring in rings for r in ring.reviewers})
    with ThreadPoolExecutor(settings.jobs) as pool:
        deviations = pool.submit(
            evidence_rows, db, settings, "reviews.rating-deviation", force=True,
            reviewer_ids=reviewers, min_reviews=1, min_deviation=0.0,
        )  # fmt: skip
        accounts = pool.submit(
            evidence_rows, db, settings, "dossier.accounts", force=True, account_ids=sellers
        )
    facts = {row["account_id"]: row for row in records(accounts.result()) if row["kind"] == SELLER}
    deviation = deviations.result()
    by_reviewer = dict(zip(deviation["reviewer_id"], deviation["deviation"], strict=True))
    statuses = {s: row["status"] for s, row in facts.items()}
    for ring in rings:
        score_ring(ring, statuses)
        ring.brands = sorted({b for s in ring.sellers for b in facts.get(s, {}).get("brands", [])})
        found = [by_reviewer[r] for r in ring.reviewers if r in by_reviewer]
        ring.rating_deviation = round(mean(found), 3) if found else None


def sweep(db: Database, settings: SweepSettings = SweepSettings()) -> list[Ring]:
    """Rings in the whole graph, best first; only those scoring at least ``min_ring_score``."""
    links, windows = collect_links(db, settings)
    log.info("sweep: %s links; forming rings", f"{len(links):,}")
    rings = form_rings(db, links, settings, windows)
    log.info("sweep: %s rings; describing them", f"{len(rings):,}")
    _describe(db, rings, settings)
    kept = [ring for ring in rings if ring.score >= settings.min_ring_score]
    return sorted(kept, key=lambda ring: (-ring.score, -len(ring.members), ring.id))


def identity_clusters(db: Database, settings: SweepSettings = SweepSettings()) -> list[Ring]:
    """Connected components over shared identifiers only (benign identifiers and hubs above
    ``max_identifier_degree`` excluded), described like rings: size, identifier kinds, brands,
    status mix. Largest first; pairs included."""
    clusters = rings_from_links(identity_links(db, settings))
    _describe(db, clusters, settings)
    return clusters


def dossier(db: Database, ring: Ring, max_sellers: int = 25) -> Subgraph:
    """The ring's neighbourhood: every seller's one-hop dossier, merged."""
    graph = Subgraph()
    for seller in ring.sellers[:max_sellers]:
        graph.merge(run("dossier.seller", db, seller_id=seller, hops=1))
    return graph


@dataclass(frozen=True)
class Case:
    """A ring and its dossier subgraph: what ``viz.render`` and ``viz.case_file`` draw."""

    ring: Ring
    subgraph: Subgraph

    @property
    def members(self) -> list[str]:
        return self.ring.members

    @property
    def score(self) -> float:
        return self.ring.score


# ------------------------------------------------------------------------------ reports


def links_frame(ring: Ring) -> pd.DataFrame:
    """The ring's evidence, one row per link and evidence item."""
    rows = [
        {"link": link.kind, "a": link.a, "b": link.b, "weight": link.weight, **item}
        for link in ring.links
        for item in link.evidence or ({},)
    ]
    return pd.DataFrame(rows)


def summary_frame(rings: list[Ring]) -> pd.DataFrame:
    """One row per ring, ranked: the CSV report."""
    rows = []
    for rank, ring in enumerate(rings, 1):
        rows.append(
            {
                "rank": rank,
                "ring_id": ring.id,
                "score": ring.score,
                **{f"score_{k}": v for k, v in ring.breakdown.items()},
                "n_sellers": len(ring.sellers),
                "n_reviewers": len(ring.reviewers),
                "identifier_kinds": " ".join(ring.identifier_kinds),
                "status_mix": " ".join(f"{k}={v}" for k, v in ring.status_mix.items()),
                "links": " ".join(f"{k}={v}" for k, v in ring.link_counts().items()),
                "rating_deviation": ring.rating_deviation,
                "brands": " ".join(ring.brands),
                "sellers": " ".join(ring.sellers),
                "reviewers": " ".join(ring.reviewers),
            }
        )
    return pd.DataFrame(rows)


def markdown(rings: list[Ring], top: int = 20) -> str:
    """A short human summary of the sweep."""
    sellers = sum(len(r.sellers) for r in rings)
    reviewers = sum(len(r.reviewers) for r in rings)
    active = sum(r.status_mix.get("active", 0) for r in rings)
    lines = [
        "# Ring sweep",
        "",
        f"{len(rings)} rings: {sellers} seller accounts ({active} still active), "
        f"{reviewers} reviewer accounts.",
        "",
        "| # | ring | score | sellers | reviewers | shared identifiers | status | brands |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rank, ring in enumerate(rings[:top], 1):
        status = ", ".join(f"{k} {v}" for k, v in ring.status_mix.items())
        brands = ", ".join(ring.brands[:5]) + (" ..." if len(ring.brands) > 5 else "")
        lines.append(
            f"| {rank} | `{ring.id}` | {ring.score:.2f} | {len(ring.sellers)} | "
            f"{len(ring.reviewers)} | {', '.join(ring.identifier_kinds)} | {status} | {brands} |"
        )
    lines += ["", "Open one: `graphkit ring show RING_ID --sweep DIR`."]
    return "\n".join(lines) + "\n"


def write_report(rings: list[Ring], out_dir: Path) -> list[Path]:
    """``rings.csv`` (ranked summary), ``rings.json`` (full evidence), ``summary.md``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "rings.csv", out_dir / "rings.json", out_dir / "summary.md"]
    summary_frame(rings).to_csv(paths[0], index=False)
    paths[1].write_text(json.dumps([ring.to_dict() for ring in rings], indent=1, default=str))
    paths[2].write_text(markdown(rings))
    return paths


def read_report(out_dir: Path) -> list[Ring]:
    """The rings a previous :func:`write_report` saved."""
    return [Ring.from_dict(data) for data in json.loads((out_dir / "rings.json").read_text())]
