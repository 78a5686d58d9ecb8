"""Graph Data Science in the managed server: provisioned, reported, and finding communities."""

from __future__ import annotations

import pytest

from graphkit.db import Database
from graphkit.server import ManagedServer, server_shipped

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
