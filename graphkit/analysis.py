"""Rings from query results: link accounts on evidence, take connected components, score them.

Every :class:`Link` carries its evidence (which query found it, the shared identifiers with
kind, hash prefix, degree, FRAUDAR weight and first/last seen), so every ring score can be
explained line by line.

Which end of a link is a seller and which a reviewer follows from the link's kind (the query
that found it matched those labels), never from the form of an id:

>>> links = [Link("a1", "a2", "identity", 1.2, ({"kind": "device"}, {"kind": "payment"})),
...          Link("a2", "x7", "self-review", 0.5, ({"kind": "phone"},))]
>>> [ring] = rings_from_links(links)
>>> ring.sellers, ring.reviewers, ring.id == ring_id(["a1", "a2", "x7"])
(['a1', 'a2'], ['x7'], True)
>>> ring.identifier_kinds
['device', 'payment', 'phone']
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from graphkit.graphmodel import CLOSED_STATUSES, IDENTIFIERS, REVIEWER, SELLER

#: Weight of each score component (each component lies in [0, 1]); see :func:`score_ring`.
SCORE_WEIGHTS = {
    "rarity": 1.0,  # FRAUDAR weight of the shared identifiers
    "identifier_kinds": 1.0,  # distinct identifier kinds shared, out of 6
    "linked_sellers": 1.0,  # how many seller accounts the links join
    "brands": 1.0,  # niche brands co-sold by the ring's sellers
    "lockstep": 1.0,  # reviewers of the ring reviewing in lockstep
    "solicitation": 1.0,  # reviewers messaged or refunded, then reviewing
    "self_review": 1.0,  # reviewers sharing an identifier with the seller they review
    "bursts": 1.0,  # reviewers in surprising 5-star bursts on the ring's listings
    "closed_ratio": 0.5,  # share of the ring's sellers already closed or suspended
}

#: The account kinds at the two ends of each kind of link (the labels its query matched).
LINK_ENDS: dict[str, tuple[str, str]] = {
    "identity": (SELLER, SELLER),
    "brand": (SELLER, SELLER),
    "self-review": (SELLER, REVIEWER),
    "solicited": (SELLER, REVIEWER),
    "lockstep": (REVIEWER, REVIEWER),
    "lockstep-seller": (SELLER, REVIEWER),  # the seller whose listings a lockstep pair reviewed
    "burst": (SELLER, REVIEWER),  # a reviewer in a surprising 5-star burst on the seller's listing
}

#: An account in the evidence graph: its kind (from its label) and its id. Ids of different
#: kinds may coincide (each label has its own key), so the pair is the node.
Account = tuple[str, str]


def ring_id(members: Iterable[str]) -> str:
    """A stable id derived from the sorted member ids.

    >>> ring_id(["S2", "S1"]) == ring_id(["S1", "S2"])
    True
    """
    digest = hashlib.sha1(",".join(sorted(members)).encode()).hexdigest()
    return f"ring-{digest[:10]}"


@dataclass(frozen=True)
class Link:
    """Evidence that two accounts belong together.

    ``kind`` is ``identity`` (accounts sharing identifiers), ``brand`` (sellers co-selling
    niche brands), ``self-review``, ``solicited``, ``lockstep``, ``lockstep-seller`` or ``burst``;
    ``evidence`` holds one dict per shared identifier, per shared brand or per fact.
    ``account_kinds`` gives the kinds of ``a`` and ``b`` when the query returned them (from
    the accounts' labels); otherwise they follow from ``kind`` (:data:`LINK_ENDS`).
    """

    a: str
    b: str
    kind: str
    weight: float
    evidence: tuple[dict[str, Any], ...] = ()
    account_kinds: tuple[str, str] | None = None

    @property
    def ends(self) -> tuple[Account, Account]:
        """``((kind_a, a), (kind_b, b))``: the two accounts, each with its kind."""
        kind_a, kind_b = self.account_kinds or LINK_ENDS[self.kind]
        return (kind_a, self.a), (kind_b, self.b)


@dataclass
class Ring:
    id: str
    sellers: list[str]
    reviewers: list[str]
    links: list[Link]
    identifier_kinds: list[str]
    score: float = 0.0
    breakdown: dict[str, float] = field(default_factory=dict)
    status_mix: dict[str, int] = field(default_factory=dict)
    brands: list[str] = field(default_factory=list)
    rating_deviation: float | None = None

    @property
    def members(self) -> list[str]:
        return self.sellers + self.reviewers

    @property
    def accounts(self) -> set[Account]:
        """The members as ``(kind, id)``."""
        return {(SELLER, s) for s in self.sellers} | {(REVIEWER, r) for r in self.reviewers}

    def link_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(link.kind for link in self.links).items()))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["link_counts"] = self.link_counts()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ring:
        fields = {k: v for k, v in data.items() if k != "link_counts"}
        fields["links"] = [
            Link(
                **{
                    **link,
                    "evidence": tuple(link["evidence"]),
                    "account_kinds": link.get("account_kinds") and tuple(link["account_kinds"]),
                }
            )
            for link in data["links"]
        ]
        return cls(**fields)


def rings_from_links(
    links: Iterable[Link], min_sellers: int = 1, min_members: int = 2
) -> list[Ring]:
    """Connected components of the link graph, as unscored rings (largest first)."""
    graph = link_graph(links)
    rings = [make_ring(graph, component) for component in nx.connected_components(graph)]
    return sorted(rings, key=lambda ring: (-len(ring.members), ring.id))


def link_graph(links: Iterable[Link]) -> nx.Graph:
    """Accounts as ``(kind, id)`` nodes, one edge per linked pair holding its ``links``."""
    graph = nx.Graph()
    for link in links:
        a, b = link.ends
        if graph.has_edge(a, b):
            graph.edges[a, b]["links"].append(link)
        else:
            graph.add_edge(a, b, links=[link])
    return graph


def make_ring(graph: nx.Graph, accounts: Iterable[Account]) -> Ring:
    """An unscored ring of these accounts, holding the links of ``graph`` between them."""
    members = sorted(accounts)
    ring_links = [
        link for _, _, data in graph.subgraph(members).edges(data=True) for link in data["links"]
    ]
    kinds = {
        item["kind"]
        for link in ring_links
        if link.kind in ("identity", "self-review")
        for item in link.evidence
        if item.get("kind") in IDENTIFIERS
    }
    sellers = [i for k, i in members if k == SELLER]
    reviewers = [i for k, i in members if k == REVIEWER]
    return Ring(
        id=ring_id(sellers + reviewers),
        sellers=sellers,
        reviewers=reviewers,
        links=sorted(ring_links, key=lambda link: (link.kind, link.a, link.b)),
        identifier_kinds=sorted(kinds),
    )


def score_ring(ring: Ring, statuses: Mapping[str, str | None]) -> Ring:
    """Fill in ``score``, ``breakdown`` and ``status_mix`` (returns the same ring);
    ``statuses`` maps seller ids to their status.

    Each component lies in [0, 1] and is multiplied by its :data:`SCORE_WEIGHTS` entry:
    ``rarity`` = summed FRAUDAR weight of identity and self-review links / 2 (two rare shared
    identifiers saturate it), ``identifier_kinds`` = distinct kinds / 6, ``linked_sellers`` =
    (sellers - 1) / 4, ``brands`` = summed brand-link weight / sellers,
    ``lockstep``/``solicitation``/``self_review``/``bursts`` = share of the ring's reviewers
    with such a link, ``closed_ratio`` = closed or suspended sellers / sellers. Capped at 1 each.

    >>> ring = rings_from_links([Link("S1", "S2", "identity", 0.51, ({"kind": "ip"},))])[0]
    >>> score_ring(ring, {"S1": "active", "S2": "closed"}).score
    0.9217
    """
    by_kind: dict[str, list[Link]] = {}
    for link in ring.links:
        by_kind.setdefault(link.kind, []).append(link)
    n_sellers, n_reviewers = max(len(ring.sellers), 1), max(len(ring.reviewers), 1)

    def reviewer_share(kind: str) -> float:
        touched = {i for link in by_kind.get(kind, []) for k, i in link.ends if k == REVIEWER}
        return len(touched & set(ring.reviewers)) / n_reviewers

    seller_status = [statuses.get(s) or "unknown" for s in ring.sellers]

    def weight(*kinds: str) -> float:
        return sum(link.weight for kind in kinds for link in by_kind.get(kind, []))

    components = {
        "rarity": weight("identity", "self-review") / 2,
        "identifier_kinds": len(ring.identifier_kinds) / len(IDENTIFIERS),
        "linked_sellers": (len(ring.sellers) - 1) / 4,
        "brands": weight("brand") / n_sellers,
        "lockstep": reviewer_share("lockstep"),
        "solicitation": reviewer_share("solicited"),
        "self_review": reviewer_share("self-review"),
        "bursts": reviewer_share("burst"),
        "closed_ratio": sum(s in CLOSED_STATUSES for s in seller_status) / n_sellers,
    }
    ring.breakdown = {
        k: round(SCORE_WEIGHTS[k] * min(1.0, max(0.0, v)), 4) for k, v in components.items()
    }
    ring.score = round(sum(ring.breakdown.values()), 4)
    ring.status_mix = dict(sorted(Counter(seller_status).items()))
    return ring
