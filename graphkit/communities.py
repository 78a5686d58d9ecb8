"""Rings as communities of the evidence graph, found with Neo4j Graph Data Science.

Connected components chain weak links into giant rings (one honest customer-service seller, a
popular brand, a crowd of deal hunters is enough to join two rings). Instead:

1. **Strong identity components.** GDS WCC over the identity links whose FRAUDAR weight is at
   least ``strong_identity`` (one shared device, card, mailbox... held by a few accounts):
   accounts that are, in all likelihood, one operator.
2. **Communities.** Each strong component of at most ``max_ring_size`` accounts becomes one
   node; weighted Leiden (GDS, open edition) runs over the whole evidence graph (identity,
   brand, solicitation, lockstep links, each weighted by how unusual it is). Leiden is in
   the open GDS 2.13 edition, so no fallback to Louvain is needed.
3. **A resolution that does not shrink with the graph.** Modularity merges two communities
   when the links between them outweigh what their strengths predict, ``gamma K_A K_B / 2m``
   (``2m``: twice the graph's total link weight). In a marketplace a hundred times bigger
   that bar is a hundred times lower, so one chance link (a paid reviewer of one pool in a
   burst of another's listing) joins two rings: modularity's resolution limit. ``gamma`` is
   therefore ``density x 2m``: two communities merge only when their links weigh more than
   ``density x K_A x K_B``, at any size of graph.
4. **A bound on growth.** Leiden reports every level of its hierarchy; an account's ring is
   the coarsest level whose community holds at most ``max_ring_size`` accounts.
5. **Attachment.** In a ring with sellers, a reviewer stays only if a link ties it to one of
   the ring's sellers, directly or through reviewers that are tied (lockstep with a solicited
   reviewer); review-only rings (no sellers) stay as they are.

The GDS graph lives in memory only (projected from the links, with integer node ids, in a READ
transaction) and is dropped at once: nothing is written to the database.

>>> graph = link_graph([Link("a", "b", "identity", 0.5), Link("b", "x", "solicited", 0.6)])
>>> contract(graph, {("seller", "a"): 0, ("seller", "b"): 0}, max_ring_size=60)[0]
[[('seller', 'a'), ('seller', 'b')], [('reviewer', 'x')]]
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import LiteralString, cast

import networkx as nx

from graphkit.analysis import Account, Link, link_graph
from graphkit.db import Database
from graphkit.graphmodel import SELLER

GDS_DIR = Path(__file__).resolve().parent.parent / "cypher" / "gds"


def _cypher(name: str) -> LiteralString:
    return cast(LiteralString, (GDS_DIR / f"{name}.cypher").read_text())


def communities(
    db: Database,
    links: Iterable[Link],
    *,
    strong_identity: float,
    max_ring_size: int,
    density: float,
    seed: int = 42,
) -> list[list[Account]]:
    """Groups of accounts: strong identity components kept whole, split and joined by weighted
    Leiden under the size bound (see the module docstring). Groups of one are left out."""
    graph = link_graph(links)
    if not graph.number_of_edges():
        return []
    nodes = sorted(graph.nodes)
    index = {account: i for i, account in enumerate(nodes)}
    edges = [
        [index[a], index[b], _weight(data["links"]), _strong(data["links"])]
        for a, b, data in graph.edges(data=True)
    ]
    name = f"graphkit-rings-{uuid.uuid4().hex[:12]}"
    try:
        db.read(_cypher("project"), {"graph": name, "edges": edges})
        rows = db.read(
            _cypher("wcc"), {"graph": name, "threshold": strong_identity - 1e-9, "concurrency": 1}
        )
        component = {nodes[r["nodeId"]]: r["componentId"] for r in rows}
    finally:
        db.read(_cypher("drop"), {"graph": name})
    groups, contracted = contract(graph, component, max_ring_size)
    if not contracted.number_of_edges():
        return [g for g in groups if len(g) > 1]
    name = f"graphkit-rings-{uuid.uuid4().hex[:12]}"
    edges = [[a, b, d["weight"], 0.0] for a, b, d in contracted.edges(data=True)]
    gamma = density * 2 * contracted.size(weight="weight")
    try:
        db.read(_cypher("project"), {"graph": name, "edges": edges})
        rows = db.read(
            _cypher("leiden"), {"graph": name, "gamma": gamma, "seed": seed, "max_levels": 10}
        )
    finally:
        db.read(_cypher("drop"), {"graph": name})
    levels = {r["nodeId"]: r["levels"] for r in rows}
    return bounded(groups, levels, max_ring_size)


def _weight(links: list[Link]) -> float:
    return round(sum(link.weight for link in links), 6)


def _strong(links: list[Link]) -> float:
    return max((link.weight for link in links if link.kind == "identity"), default=0.0)


def contract(
    graph: nx.Graph, component: dict[Account, int], max_ring_size: int
) -> tuple[list[list[Account]], nx.Graph]:
    """Merge each strong component of 2..``max_ring_size`` accounts into one node: returns the
    groups (node ``i`` holds ``groups[i]``) and the weighted graph between them."""
    by_component: dict[int, list[Account]] = defaultdict(list)
    for account, c in component.items():
        by_component[c].append(account)
    groups: list[list[Account]] = []
    node_of: dict[Account, int] = {}
    for members in sorted(sorted(m) for m in by_component.values()):
        if len(members) <= max_ring_size:
            node_of.update(dict.fromkeys(members, len(groups)))
            groups.append(members)
        else:  # too big to trust whole: its accounts go to Leiden one by one
            for account in members:
                node_of[account] = len(groups)
                groups.append([account])
    for account in sorted(graph.nodes):
        if account not in node_of:
            node_of[account] = len(groups)
            groups.append([account])
    contracted = nx.Graph()
    contracted.add_nodes_from(range(len(groups)))
    for a, b, data in graph.edges(data=True):
        u, v = node_of[a], node_of[b]
        if u != v:
            weight = contracted.get_edge_data(u, v, {"weight": 0.0})["weight"]
            contracted.add_edge(u, v, weight=weight + _weight(data["links"]))
    return groups, contracted


def bounded(
    groups: list[list[Account]], levels: dict[int, list[int]], max_ring_size: int
) -> list[list[Account]]:
    """Each group joins the community of the coarsest Leiden level that holds at most
    ``max_ring_size`` accounts (the finest level when even that is too big); rings of one
    account are left out.

    >>> bounded([["a"], ["b"], ["c"]], {0: [1, 1], 1: [1, 1], 2: [2, 1]}, max_ring_size=2)
    [['a', 'b']]
    """
    if not levels:
        return [g for g in groups if len(g) > 1]
    depth = max(len(ids) for ids in levels.values())
    size: dict[tuple[int, int], int] = defaultdict(int)
    for node, ids in levels.items():
        for level, community in enumerate(ids):
            size[level, community] += len(groups[node])
    rings: dict[tuple[int, int], list[Account]] = defaultdict(list)
    for node, group in enumerate(groups):
        ids = levels.get(node)
        if ids is None:
            rings[-1, node] += group
            continue
        chosen = next(
            (
                level
                for level in range(depth - 1, -1, -1)
                if size[level, ids[level]] <= max_ring_size
            ),
            0,
        )
        rings[chosen, ids[chosen]] += group
    return sorted((sorted(r) for r in rings.values() if len(r) > 1), key=lambda r: (-len(r), r))


def attached(graph: nx.Graph, members: list[Account]) -> list[Account]:
    """The ring's accounts minus reviewers that no link ties to its sellers (directly or through
    tied reviewers); a ring without sellers is returned as it is."""
    sellers = [m for m in members if m[0] == SELLER]
    if not sellers:
        return members
    inside = graph.subgraph(members)
    tied = set(sellers)
    for seller in sellers:
        tied |= nx.node_connected_component(inside, seller)
    return [m for m in members if m in tied]
