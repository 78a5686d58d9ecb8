"""The renderer: offline single-file pages, masked evidence, node cap, accepted inputs."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from graphkit import viz
from graphkit.packs.result import Node, Relationship, Subgraph

EMAIL_HASH = "e1" * 32
TOKEN = "7a" * 32
DEVICE = "fp-" + "d4" * 20
ADDRESS_HASH = "ad" * 32

# Where an http(s) URL would make the browser fetch something.
LOADING = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?"""
    r"""|import\(\s*["']|fetch\(\s*["']|\.open\(\s*["']\w+["']\s*,\s*["']|sourceMappingURL=)"""
    r"""(?:https?:)?//""",
    re.IGNORECASE,
)
# URLs vis-network's bundle carries as plain text (licence header, error text, SVG namespace);
# a new one fails the test until someone checks that it is not fetched.
INERT_URLS = {
    "http://almende.com",
    "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
    "https://github.com/visjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}


def ring() -> Subgraph:
    """Two sellers (one closed) sharing a card, an email, a device and an address."""
    g = Subgraph()
    g.add_node(Node("s1", ("Seller",), {"seller_id": "S1", "status": "active",
                                        "email": "alice@example.com"}))  # fmt: skip
    g.add_node(Node("s2", ("Seller",), {"seller_id": "S2", "status": "closed"}))
    card = {"token": TOKEN, "kind": "card", "bin": "411111", "last4": "4242"}
    g.add_node(Node("pi", ("PaymentInstrument",), card))
    g.add_node(Node("em", ("Email",), {"hash": EMAIL_HASH, "domain": "example.com",
                                       "raw": "alice@example.com"}))  # fmt: skip
    g.add_node(Node("dv", ("Device",), {"device_id": DEVICE}))
    address = {"hash": ADDRESS_HASH, "country": "GB", "postcode_prefix": "SW1",
               "street": "1 High Street"}  # fmt: skip
    g.add_node(Node("ad", ("Address",), address))
    for seller in ("s1", "s2"):
        for ident, rel_type in [("pi", "PAID_WITH"), ("em", "HAS_EMAIL"), ("dv", "USED_DEVICE"),
                                ("ad", "REGISTERED_AT")]:  # fmt: skip
            props = {"first_seen": "2024-02-01T10:00:00Z", "last_seen": "2024-05-01T11:30:00Z"}
            g.add_relationship(Relationship(f"{seller}-{ident}", rel_type, seller, ident, props))
    return g


def by_id(net) -> dict:
    return {node["id"]: node for node in net.nodes}


def test_page_is_self_contained_and_never_fetches():
    page = viz.to_html(viz.render(viz.example_ring(300)), title="Ring")
    assert LOADING.search(page) is None, LOADING.search(page)
    assert not re.search(r"<(?:link|img|iframe|object|embed|base)\b", page, re.IGNORECASE)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert set(re.findall(r"https?://[^\s\"'`)<>]+", page)) <= INERT_URLS
    assert "default-src 'none'" in page  # the browser refuses any fetch anyway
    assert "vis.Network" in page and "window.graphkitStats" in page


def test_no_full_hash_or_raw_value_reaches_the_page():
    evidence = pd.DataFrame({"email_hash": [EMAIL_HASH], "token": [TOKEN], "sellers": [2]})
    page = viz.case_file(ring(), evidence, title="Case", summary={"identifier": ADDRESS_HASH})
    for secret in (EMAIL_HASH, TOKEN, DEVICE, ADDRESS_HASH, "alice@", "High Street"):
        assert secret not in page
    for shown in (EMAIL_HASH[:10], TOKEN[:10], "411111", "4242", "@example.com", "GB SW1"):
        assert shown in page


def test_tooltips_carry_the_evidence():
    nodes = by_id(viz.render(ring(), highlight=["S1"]))
    card = nodes["pi"]["title"]
    assert "PaymentInstrument 411111••4242" in card
    assert "first seen: 2024-02-01 10:00   last seen: 2024-05-01 11:30" in card
    assert "degree (rarity): 2 accounts sharing it" in card
    assert f"token: {TOKEN[:10]}…" in card
    assert "ring member" in nodes["s1"]["title"] and nodes["s1"]["borderWidth"] == 4
    assert nodes["s2"]["label"] == "S2 CLOSED"
    assert nodes["s2"]["shapeProperties"]["borderDashes"]
    assert nodes["s2"]["color"]["background"] == viz.CLOSED_COLOR


def test_node_cap_keeps_members_then_best_connected_and_says_so():
    example = viz.example_ring(2000)
    net = viz.render(example, max_nodes=100)
    kept = {node["id"] for node in net.nodes}
    assert len(kept) == 100 and set(example.members) <= kept
    assert net.omitted_nodes == 1900
    assert all(edge["from"] in kept and edge["to"] in kept for edge in net.edges)
    degree = {nid: 0 for nid in example.subgraph.nodes}
    for rel in example.subgraph.relationships.values():
        degree[rel.start] += 1
        degree[rel.end] += 1
    dropped = max(degree[nid] for nid in degree.keys() - kept)
    assert min(degree[nid] for nid in kept - set(example.members)) >= dropped
    page = viz.to_html(net, title="Capped")
    assert "1900 more nodes" in page
    assert '"nodes": 100' in page and '"omitted_nodes": 1900' in page


def test_accepts_networkx_driver_free_rings_and_subgraphs():
    g = ring()
    from_subgraph = viz.render(g)
    from_nx = viz.render(g.to_networkx())
    from_ring = viz.render(SimpleNamespace(subgraph=g, members=["S2"], score=0.9))
    assert len(from_subgraph.nodes) == len(from_nx.nodes) == len(from_ring.nodes) == 6
    assert len(from_nx.edges) == len(from_subgraph.edges) == 8
    assert by_id(from_nx)["pi"]["title"] == by_id(from_subgraph)["pi"]["title"]
    assert by_id(from_ring)["s2"]["borderWidth"] == 4
    with pytest.raises(TypeError, match="cannot render"):
        viz.render(42)


def test_size_by_score_and_hierarchical_layout():
    g = ring()
    g.add_node(Node("s3", ("Seller",), {"seller_id": "S3", "score": 0.75}))
    net = viz.render(g, size_by="score", hierarchical=True)
    nodes = by_id(net)
    assert nodes["s3"]["value"] == 0.75 and nodes["s1"]["value"] == 0
    assert net.options["layout"]["hierarchical"]["enabled"] is True
    assert nodes["pi"]["level"] < nodes["s1"]["level"]


def test_text_cannot_break_out_of_the_page():
    g = Subgraph()
    g.add_node(Node("s", ("Seller",), {"seller_id": "</script><script>alert(1)</script>"}))
    page = viz.to_html(viz.render(g), title="<b>x</b>")
    assert "<script>alert(1)" not in page and "<b>x</b>" not in page
    assert page.count("</script>") == 2  # vis-network's + graphkit's, none from the data


def test_show_wraps_the_page_in_a_srcdoc_iframe():
    shown = viz.show(viz.render(ring()))
    assert '<iframe class="graphkit-viz" sandbox="allow-scripts" srcdoc="' in shown.data
    assert "<script>" not in shown.data and "&lt;script&gt;" in shown.data


def test_save_html_writes_one_file(tmp_path):
    path = viz.save_html(viz.render(ring()), tmp_path / "out" / "ring.html", title="Ring")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in path.parent.iterdir()] == ["ring.html"]


def test_a_retired_link_is_dashed_and_says_when_it_held():
    g = ring()
    retired = {"valid_from": "2024-01-01T00:00:00Z", "valid_to": "2024-06-01T00:00:00Z"}
    g.add_relationship(Relationship("s1-old", "HAS_EMAIL", "s1", "em", retired))
    edges = {(e["from"], e["to"], e.get("dashes", False)): e for e in viz.render(g).edges}
    old = edges[("s1", "em", True)]
    assert "valid_to: 2024-06-01" in old["title"]
    assert ("s1", "em", False) in edges  # the current link is drawn plain
