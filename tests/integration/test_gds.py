"""Graph Data Science in the managed server: provisioned, reported, and finding communities."""

from __future__ import annotations

import pytest

from graphkit.analysis import Account, Link
from graphkit.communities import communities
from graphkit.db import Database
from graphkit.server import ManagedServer, server_shipped
from graphkit.sweep import SweepSettings

pytestmark = pytest.mark.integration

# Two triangles joined by one bridge (1-2-3, 4-5-6, bridge 3-4) and a separate pair 7-8:
# WCC sees two components; Louvain splits the first into its two triangles.
EDGES = [[1, 2], [2, 3], [1, 3], [4, 5], [5, 6], [4, 6], [3, 4], [7, 8]]
GRAPH = "graphkit_test_gds_probe"


def _groups(rows: list[dict], key: str) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for row in rows:
        groups.setdefault(row[key], set()).add(row["id"])
    return {frozenset(members) for members in groups.values()}


def test_status_reports_the_pinned_gds_version(neo4j_server: ManagedServer) -> None:
    status = neo4j_server.status()
    assert status.gds_version == neo4j_server.settings.gds_version
    assert f"gds:      {neo4j_server.settings.gds_version}" in status.lines()


def test_provisioned_plugins_keep_gds_jars_that_share_a_server_jar_name(
    neo4j_server: ManagedServer,
) -> None:
    plugins = [p.name for p in (neo4j_server.dist / "plugins").glob("*.jar")]
    lib = [p.name for p in (neo4j_server.dist / "lib").glob("*.jar")]
    for artifact in ("opengds-extension", "proc", "neo4j-values", "annotations"):
        assert any(name.startswith(f"org.neo4j.gds.{artifact}-") for name in plugins), artifact
    assert any(name.startswith("org.neo4j.neo4j-values-") for name in lib)
    assert server_shipped(lib, plugins) == []
    complete = (neo4j_server.dist / ".complete").read_text().splitlines()
    assert f"gds {neo4j_server.settings.gds_version}" in complete


def test_wcc_and_louvain_find_the_expected_communities(db: Database) -> None:
    db.write(
        "UNWIND $edges AS edge MERGE (a:GdsProbe {id: edge[0]}) MERGE (b:GdsProbe {id: edge[1]}) "
        "MERGE (a)-[:LINK]->(b)",
        {"edges": EDGES},
    )
    db.write(
        "CALL gds.graph.project($graph, 'GdsProbe', {LINK: {orientation: 'UNDIRECTED'}}) "
        "YIELD nodeCount RETURN nodeCount",
        {"graph": GRAPH},
    )
    try:
        components = db.read(
            "CALL gds.wcc.stream($graph) YIELD nodeId, componentId "
            "RETURN gds.util.asNode(nodeId).id AS id, componentId",
            {"graph": GRAPH},
        )
        communities = db.read(
            "CALL gds.louvain.stream($graph, {concurrency: 1}) YIELD nodeId, communityId "
            "RETURN gds.util.asNode(nodeId).id AS id, communityId",
            {"graph": GRAPH},
        )
    finally:
        db.write("CALL gds.graph.drop($graph) YIELD graphName RETURN graphName", {"graph": GRAPH})
    assert _groups(components, "componentId") == {frozenset({1, 2, 3, 4, 5, 6}), frozenset({7, 8})}
    assert _groups(communities, "communityId") == {
        frozenset({1, 2, 3}),
        frozenset({4, 5, 6}),
        frozenset({7, 8}),
    }


def test_rings_joined_by_one_chance_link_stay_apart_in_a_big_graph(db: Database) -> None:
    """Two review rings (8 reviewers in lockstep each) that one chance link joins, among 3,000
    honest triangles: plain modularity (gamma 1) merges them, since the links expected between
    two communities shrink as the graph grows (its resolution limit); graphkit's resolution,
    scaled to the graph's total weight, keeps them apart, as in a small graph."""

    def clique(prefix: str, size: int) -> list[Link]:
        names = [f"{prefix}{i}" for i in range(size)]
        return [Link(a, b, "lockstep", 1.0) for i, a in enumerate(names) for b in names[i + 1 :]]

    rings = clique("a", 8) + clique("b", 8)
    chance = [Link("a0", "b0", "lockstep", 1.0)]
    background = [link for t in range(3000) for link in clique(f"t{t}-", 3)]
    ring_a = {("reviewer", f"a{i}") for i in range(8)}

    def ring_of_a0(density: float, links: list[Link]) -> set[Account]:
        groups = communities(db, links, strong_identity=0.45, max_ring_size=60, density=density)
        return next(set(group) for group in groups if ("reviewer", "a0") in group)

    total = sum(link.weight for link in rings + chance + background)
    assert ring_of_a0(1 / (2 * total), rings + chance + background) > ring_a  # gamma 1: merged
    density = SweepSettings().community_density
    assert ring_of_a0(density, rings + chance + background) == ring_a
    assert ring_of_a0(density, rings + chance) == ring_a  # as in the small graph alone
