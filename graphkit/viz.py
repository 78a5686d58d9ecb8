"""Draw a ring as an interactive graph: pyvis styling, offline single-file HTML, case files.

``render`` turns a :class:`~graphkit.packs.result.Subgraph` (or a networkx graph, the driver's
``Result.graph()``, or any ring object with a ``.subgraph``) into a styled pyvis ``Network``;
``to_html`` / ``save_html`` write it as ONE self-contained page (vis-network inlined, no CDN, a
Content-Security-Policy that forbids every fetch); ``show`` displays it in Jupyter; ``case_file``
adds a summary and the evidence table.

Tooltips carry evidence, never raw identifiers: hashes, tokens and device ids appear as a
10-character prefix, cards as BIN and last 4, emails as their domain.

>>> from graphkit.packs.result import Node, Relationship, Subgraph
>>> g = Subgraph()
>>> g.add_node(Node("s1", ("Seller",), {"seller_id": "S1", "status": "closed"}))
>>> g.add_node(Node("e1", ("Email",), {"hash": "ab" * 32, "domain": "mail.test"}))
>>> g.add_relationship(Relationship("r1", "HAS_EMAIL", "s1", "e1", {}))
>>> net = render(g, highlight=["S1"])
>>> [n["label"] for n in net.nodes]
['S1 CLOSED', '@mail.test']
>>> page = to_html(net, title="Ring 7")
>>> "ab" * 32 in page, "window.graphkitStats" in page, 'src="http' in page
(False, True, False)
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from string import Template
from typing import Any, Literal

import neo4j.graph
import networkx as nx
import pandas as pd
import pyvis
from pyvis.network import Network

from graphkit.graphmodel import IDENTIFIERS, NODE_KEYS, VALID_FROM, VALID_TO
from graphkit.packs.result import Node, Relationship, Subgraph

__all__ = [
    "STYLES",
    "ExampleRing",
    "GraphkitNetwork",
    "case_file",
    "example_ring",
    "render",
    "save_html",
    "show",
    "to_html",
]


@dataclass(frozen=True)
class Style:
    """How one label is drawn; ``glyph`` draws the shape in the legend, ``level`` is its
    row in the hierarchical layout (identifiers on top, then sellers, catalogue, reviewers)."""

    color: str
    shape: str
    glyph: str
    level: int


STYLES: dict[str, Style] = {
    "Seller": Style("#d62728", "dot", "●", 1),
    "Reviewer": Style("#1f77b4", "triangle", "▲", 3),
    "Brand": Style("#ff7f0e", "star", "★", 2),
    "Product": Style("#bcbd22", "square", "■", 2),
    "Device": Style("#9467bd", "hexagon", "⬢", 0),
    "PaymentInstrument": Style("#2ca02c", "diamond", "◆", 0),
    "Address": Style("#8c564b", "triangleDown", "▼", 0),
    "Email": Style("#17becf", "square", "■", 0),
    "Phone": Style("#e377c2", "hexagon", "⬢", 0),
    "IP": Style("#393b79", "diamond", "◆", 0),
}
OTHER = Style("#7f7f7f", "dot", "●", 2)
CLOSED_COLOR = "#b0b0b0"
MEMBER_BORDER = "#000000"

KEYS = NODE_KEYS
# The only properties a tooltip shows (an allow-list, so a stray raw value never leaks).
SHOWN = {
    "Seller": (
        "seller_id",
        "display_name",
        "country",
        "registered_at",
        "status",
        "closed_at",
        "reason",
    ),
    "Reviewer": ("reviewer_id", "country", "joined_at", "status"),
    "Brand": ("brand_id", "name", "registered_at"),
    "Product": ("product_id", "title", "category", "price", "listed_at"),
    "Device": ("device_id",),
    "PaymentInstrument": ("token", "kind", "bin", "last4", "country"),
    "IP": ("ip", "version"),
    "Email": ("hash", "domain"),
    "Phone": ("hash", "country_code"),
    "Address": ("hash", "country", "postcode_prefix"),
}
IDENTIFIER_LABELS = {i.label for i in IDENTIFIERS.values()}
MASKED = {"hash", "token", "device_id"}
EDGE_SHOWN = (
    "first_seen",
    "last_seen",
    "first",
    "last",
    "n",
    "amount",
    "rating",
    "ts",
    "verified",
    "n_products",
    VALID_FROM,
    VALID_TO,
)
INACTIVE = {"closed", "suspended"}
PREFIX = 10
HEXLIKE = re.compile(r"^[0-9a-fA-F]{32,}$")

# Inline scripts and styles only: the browser refuses every fetch, whatever the page holds.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


class GraphkitNetwork(Network):
    """A pyvis ``Network`` plus what graphkit's page shows around it."""

    def __init__(self, height: str, labels: list[str], omitted_nodes: int, omitted_edges: int):
        super().__init__(height=height, width="100%", directed=True)
        self.labels = labels
        self.omitted_nodes = omitted_nodes
        self.omitted_edges = omitted_edges
        self.has_members = False
        self.has_inactive = False


def render(
    obj: Any,
    *,
    size_by: Literal["degree", "score"] = "degree",
    highlight: Iterable[str] | None = None,
    hierarchical: bool = False,
    max_nodes: int = 500,
    height: str = "750px",
) -> GraphkitNetwork:
    """Style a subgraph as a pyvis network.

    ``obj`` is a Subgraph, a networkx graph (node attr ``label``), a ``neo4j.graph.Graph``, or
    a ring with ``.subgraph`` (and optional ``.members``). ``highlight`` and ring members are
    node ids or key values (e.g. seller ids) and get a thick border. ``size_by="score"`` reads
    each node's ``score`` property. Above ``max_nodes`` the members, then the highest-degree
    nodes are kept and the page says how many were left out.

    >>> g = Subgraph()
    >>> for i in range(5):
    ...     g.add_node(Node(f"s{i}", ("Seller",), {"seller_id": f"S{i}"}))
    >>> g.add_node(Node("d", ("Device",), {"device_id": "dev-123456789abc"}))
    >>> for i in range(5):
    ...     g.add_relationship(Relationship(f"r{i}", "USED_DEVICE", f"s{i}", "d", {}))
    >>> net = render(g, max_nodes=3, highlight=["S4"])
    >>> sorted(n["id"] for n in net.nodes), net.omitted_nodes
    (['d', 's0', 's4'], 3)
    """
    subgraph = _as_subgraph(obj)
    members = {str(m) for m in [*(highlight or ()), *(getattr(obj, "members", None) or ())]}
    is_member = {
        nid: nid in members or _key(node) in members for nid, node in subgraph.nodes.items()
    }
    degree: Counter[str] = Counter()
    for rel in subgraph.relationships.values():
        degree[rel.start] += 1
        degree[rel.end] += 1

    ranked = sorted(subgraph.nodes, key=lambda nid: (not is_member[nid], -degree[nid], nid))
    kept = set(ranked[:max_nodes])
    rels = [r for r in subgraph.relationships.values() if r.start in kept and r.end in kept]
    seen = _seen_range(rels)
    labels = sorted({subgraph.nodes[nid].label for nid in kept}, key=_label_order)
    net = GraphkitNetwork(
        height, labels, len(subgraph.nodes) - len(kept), len(subgraph.relationships) - len(rels)
    )
    for nid in ranked[:max_nodes]:
        node = subgraph.nodes[nid]
        size = degree[nid] if size_by == "degree" else float(node.properties.get("score") or 0)
        net.add_node(nid, **_node_style(node, is_member[nid], size, degree[nid], seen.get(nid)))
        net.has_members |= is_member[nid]
        net.has_inactive |= _inactive(node)
    for rel in rels:
        net.add_edge(rel.start, rel.end, title=_edge_tooltip(rel), **_edge_style(rel))
    net.options = _options(hierarchical, len(kept))
    return net


def _as_subgraph(obj: Any) -> Subgraph:
    if isinstance(obj, Subgraph):
        return obj
    if isinstance(obj, neo4j.graph.Graph):
        return Subgraph.from_neo4j_graph(obj)
    if isinstance(obj, nx.Graph):
        return _from_networkx(obj)
    if hasattr(obj, "subgraph"):
        return _as_subgraph(obj.subgraph)
    raise TypeError(
        f"cannot render {type(obj).__name__}: expected a Subgraph, a networkx "
        "graph, a neo4j.graph.Graph or an object with .subgraph"
    )


def _from_networkx(graph: nx.Graph) -> Subgraph:
    """Read the attribute layout ``Subgraph.to_networkx()`` writes."""
    sub = Subgraph()
    for nid, attrs in graph.nodes(data=True):
        props = {k: v for k, v in attrs.items() if k not in ("label", "labels")}
        labels = tuple(attrs.get("labels") or [attrs.get("label", "")])
        sub.add_node(Node(str(nid), labels, props))
    edges = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, i, d) for i, (u, v, d) in enumerate(graph.edges(data=True)))
    )
    for u, v, key, attrs in edges:
        props = {k: v for k, v in attrs.items() if k != "type"}
        sub.add_relationship(
            Relationship(f"{u}|{v}|{key}", attrs.get("type", ""), str(u), str(v), props)
        )
    return sub


def _key(node: Node) -> str:
    return str(node.properties.get(KEYS.get(node.label, ""), node.id))


def _label_order(label: str) -> int:
    return list(STYLES).index(label) if label in STYLES else len(STYLES)


def _inactive(node: Node) -> bool:
    return str(node.properties.get("status", "")).lower() in INACTIVE


def _mask(value: Any) -> str:
    """A hash prefix: ``_mask("0123456789abcdef")`` -> ``'0123456789…'``."""
    text = str(value)
    return text if len(text) <= PREFIX else text[:PREFIX] + "…"


def _when(value: Any) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM`` (driver DateTime, datetime or ISO text)."""
    text = (
        value.iso_format()
        if hasattr(value, "iso_format")
        else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    )
    return text[:16].replace("T", " ")


def _display(prop: str, value: Any) -> str:
    if prop in MASKED:
        return _mask(value)
    if prop.endswith(("_at", "_seen", "ts")) or prop in ("first", "last"):
        return _when(value)
    return str(value)


def _seen_range(rels: list[Relationship]) -> dict[str, tuple[str, str]]:
    """First and last seen per node, across the relationships drawn."""
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for rel in rels:
        start = rel.properties.get("first_seen", rel.properties.get("first"))
        end = rel.properties.get("last_seen", rel.properties.get("last", start))
        for nid in (rel.start, rel.end):
            if start is not None:
                first[nid] = min(first.get(nid, "~"), _when(start))
            if end is not None:
                last[nid] = max(last.get(nid, ""), _when(end))
    return {nid: (first.get(nid, "?"), last.get(nid, "?")) for nid in first.keys() | last.keys()}


def _caption(node: Node) -> str:
    """The short text drawn under a node, free of raw identifiers."""
    p = node.properties
    captions = {
        "Brand": p.get("name"),
        "Product": str(p.get("title") or "")[:24],
        "Device": p.get("device_id") and "dev " + _mask(p["device_id"]),
        "PaymentInstrument": p.get("last4") and f"{p.get('bin') or ''}••{p['last4']}",
        "Email": p.get("domain") and "@" + p["domain"],
        "Phone": p.get("country_code") and f"+{p['country_code']} phone",
        "Address": " ".join(str(p[k]) for k in ("country", "postcode_prefix") if p.get(k)),
        "IP": p.get("ip"),
    }
    return str(captions.get(node.label) or _display(KEYS.get(node.label, ""), _key(node)))


def _tooltip(node: Node, member: bool, degree: int, seen: tuple[str, str] | None) -> str:
    p = node.properties
    lines = [f"{node.label} {_caption(node)}"]
    if member:
        lines.append("ring member")
    if _inactive(node):
        lines.append(f"account {str(p['status']).upper()}")
    lines += [
        f"{k}: {_display(k, p[k])}" for k in SHOWN.get(node.label, ()) if p.get(k) is not None
    ]
    if p.get("benign"):
        lines.append(f"benign: {p.get('benign_reason', 'yes')}")
    if seen:
        lines.append(f"first seen: {seen[0]}   last seen: {seen[1]}")
    rarity = "accounts sharing it" if node.label in IDENTIFIER_LABELS else "links"
    lines.append(f"degree (rarity): {degree} {rarity} in this view")
    if "degree" in p:
        lines.append(f"degree in the whole graph: {p['degree']}")
    if p.get("score") is not None:
        lines.append(f"score: {float(p['score']):.3g}")
    return "\n".join(lines)


def _node_style(
    node: Node, member: bool, size: float, degree: int, seen: tuple[str, str] | None
) -> dict[str, Any]:
    style = STYLES.get(node.label, OTHER)
    inactive = _inactive(node)
    fill = CLOSED_COLOR if inactive else style.color
    border = MEMBER_BORDER if member else style.color
    caption = _caption(node)
    return {
        "label": f"{caption} {str(node.properties['status']).upper()}" if inactive else caption,
        "shape": style.shape,
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": fill, "border": "#000000"},
        },
        "borderWidth": 4 if member else 1,
        "shapeProperties": {"borderDashes": [5, 4] if inactive else False},
        "value": size,
        "level": style.level,
        "title": _tooltip(node, member, degree, seen),
    }


def _edge_style(rel: Relationship) -> dict[str, Any]:
    """Solicitations stand out; a retired link (history: ``valid_to``) is dashed."""
    solicitation = rel.type in ("MESSAGED", "REFUNDED")
    style = {"color": "#ff7f0e" if solicitation else "#9e9e9e", "width": 2 if solicitation else 1}
    return style | ({"dashes": True} if rel.properties.get(VALID_TO) is not None else {})


def _edge_tooltip(rel: Relationship) -> str:
    lines = [rel.type] + [
        f"{k}: {_display(k, rel.properties[k])}"
        for k in EDGE_SHOWN
        if rel.properties.get(k) is not None
    ]
    return "\n".join(lines)


def _options(hierarchical: bool, n_nodes: int) -> dict[str, Any]:
    """vis-network options: physics stabilises off-screen, then the page freezes it."""
    physics: dict[str, Any] = {
        "enabled": True,
        "solver": "hierarchicalRepulsion" if hierarchical else "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -60,
            "springLength": 80,
            "avoidOverlap": 0.3,
            # Coarser Barnes-Hut for big graphs: about half the cost of a physics step.
            "theta": 0.5 if n_nodes <= 500 else 1.0,
        },
        "stabilization": {
            "enabled": True,
            # 400 steps for small graphs, down to 100 for big ones (a step costs ~ n log n).
            "iterations": max(100, min(400, 150_000 // max(n_nodes, 1))),
            "updateInterval": 50,
            "fit": True,
        },
    }
    layout: dict[str, Any] = {"improvedLayout": n_nodes <= 150, "randomSeed": 7}
    if hierarchical:
        layout["hierarchical"] = {
            "enabled": True,
            "direction": "UD",
            "levelSeparation": 160,
            "nodeSpacing": 60,
            "sortMethod": "directed",
        }
    return {
        "physics": physics,
        "layout": layout,
        "nodes": {"scaling": {"min": 8, "max": 40}, "font": {"size": 12, "face": "sans-serif"}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 300},
    }


# ---------------------------------------------------------------- single-file HTML

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<title>$title</title>
<style>$vis_css</style>
<style>
body { font-family: sans-serif; margin: 0; color: #222; }
header { padding: 8px 16px; }
header h1 { font-size: 18px; margin: 0; }
.gk-note { color: #8a4b00; font-size: 13px; margin: 4px 0 0; }
#gk-wrap { position: relative; border-top: 1px solid #ddd; border-bottom: 1px solid #ddd; }
#gk-graph { width: 100%; }
#gk-legend { position: absolute; top: 8px; left: 8px; background: rgba(255,255,255,.9);
  border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; font-size: 12px;
  line-height: 1.5; }
#gk-legend span.glyph { display: inline-block; width: 1.3em; font-size: 14px; }
.gk-tip { white-space: pre; font: 12px monospace; }
section.gk-case { padding: 8px 16px 24px; }
section.gk-case h2 { font-size: 16px; }
section.gk-case table { border-collapse: collapse; font-size: 12px; }
section.gk-case th, section.gk-case td { border: 1px solid #ddd; padding: 3px 6px;
  text-align: left; }
</style>
</head>
<body>
$header
<div id="gk-wrap"><div id="gk-graph" style="height: $height"></div>
<div id="gk-legend">$legend</div></div>
$extra_html
<script>$vis_js</script>
<script>
(function () {
  var data = $data;
  var t0 = performance.now();
  function tip(text) {
    var div = document.createElement("div");
    div.className = "gk-tip";
    div.textContent = text;
    return div;
  }
  data.nodes.forEach(function (n) { if (n.title) { n.title = tip(n.title); } });
  data.edges.forEach(function (e) { if (e.title) { e.title = tip(e.title); } });
  window.graphkitStats = data.stats;
  window.graphkitStable = false;
  var network = new vis.Network(document.getElementById("gk-graph"), {}, data.options);
  window.graphkitNetwork = network;
  function frozen() {
    network.setOptions({ physics: false });
    window.graphkitStableMs = Math.round(performance.now() - t0);
    window.graphkitStable = true;
  }
  network.once("stabilizationIterationsDone", frozen);
  network.setData({ nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) });
  if (!data.nodes.length || !data.options.physics.enabled) { frozen(); }
})();
</script>
</body>
</html>
""")


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from pyvis's package, minus the source-map comment."""
    js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    return js, css


def _script_json(value: Any) -> str:
    """JSON safe to inline in a <script> (no ``</script>``, no ``<!--``)."""
    return json.dumps(value, default=str).replace("<", "\\u003c")


def _legend(net: Network) -> str:
    styles = {label: STYLES.get(label, OTHER) for label in getattr(net, "labels", [])}
    rows = [
        f'<div><span class="glyph" style="color:{s.color}">{s.glyph}</span>{html.escape(k)}</div>'
        for k, s in styles.items()
    ]
    if getattr(net, "has_members", False):
        rows.append('<div><span class="glyph">◉</span>ring member (thick black border)</div>')
    if getattr(net, "has_inactive", False):
        rows.append(
            f'<div><span class="glyph" style="color:{CLOSED_COLOR}">◌</span>'
            "closed / suspended (grey, dashed)</div>"
        )
    return "".join(rows)


def _omitted_note(net: Network) -> str:
    nodes, edges = getattr(net, "omitted_nodes", 0), getattr(net, "omitted_edges", 0)
    if not nodes:
        return ""
    return (
        f'<p class="gk-note" id="gk-omitted">{nodes} more nodes ({edges} relationships) not '
        f"shown: kept ring members first, then the best-connected {len(net.nodes)}.</p>"
    )


def to_html(net: Network, *, title: str, extra_html: str = "") -> str:
    """One self-contained HTML document: no CDN, no request, works from a file or offline.

    ``extra_html`` is inserted verbatim under the graph (escape your own content).
    The page sets ``window.graphkitStats = {nodes, edges, omitted_nodes, omitted_edges}`` and,
    once physics has stabilised and frozen, ``window.graphkitStable`` and
    ``window.graphkitStableMs``.
    """
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "stats": {
            "nodes": len(net.nodes),
            "edges": len(net.edges),
            "omitted_nodes": getattr(net, "omitted_nodes", 0),
            "omitted_edges": getattr(net, "omitted_edges", 0),
        },
    }
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    note = _omitted_note(net)
    js, css = _vis_assets()
    return PAGE.substitute(
        csp=CSP,
        title=html.escape(title or "graphkit"),
        header=f"<header>{heading}{note}</header>" if heading or note else "",
        height=html.escape(str(net.height)),
        legend=_legend(net),
        extra_html=extra_html,
        vis_css=css,
        vis_js=js,
        data=_script_json(data),
    )


def save_html(net: Network, path: str | Path, *, title: str, extra_html: str = "") -> Path:
    """Write :func:`to_html` to ``path`` (UTF-8); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_html(net, title=title, extra_html=extra_html), encoding="utf-8")
    return path


def show(net: Network, *, title: str = "") -> Any:
    """Display inline in JupyterLab or the classic notebook.

    The page goes into an ``<iframe srcdoc>``, where its scripts run (pyvis's own notebook
    output stays blank in JupyterLab). Use as the last expression of a cell: ``show(render(g))``.
    """
    from IPython.display import HTML

    doc = html.escape(to_html(net, title=title), quote=True)
    return HTML(
        f'<div><iframe class="graphkit-viz" sandbox="allow-scripts" srcdoc="{doc}" '
        f'style="width: 100%; height: calc({html.escape(str(net.height))} + 70px); border: 0">'
        "</iframe></div>"
    )


# ---------------------------------------------------------------- case files


def _mask_cell(value: Any) -> Any:
    """Evidence cells: full hashes become prefixes, everything else stays."""
    return _mask(value) if isinstance(value, str) and HEXLIKE.match(value) else value


def case_file(
    obj: Any,
    evidence: pd.DataFrame | None = None,
    *,
    title: str,
    summary: Mapping[str, Any] | None = None,
    path: str | Path | None = None,
    **render_options: Any,
) -> str:
    """One HTML file for a case: summary, the graph, the evidence table (escaped, hashes masked).

    ``obj`` is anything :func:`render` accepts (a ring adds its ``score`` to the summary).
    Returns the document; writes it to ``path`` too when given.

    >>> g = Subgraph()
    >>> g.add_node(Node("s1", ("Seller",), {"seller_id": "S1"}))
    >>> evidence = pd.DataFrame({"seller_id": ["S1"], "note": ["<b>shared card</b>"]})
    >>> page = case_file(g, evidence, title="Case 1", summary={"analyst": "kim"})
    >>> "&lt;b&gt;shared card&lt;/b&gt;" in page and "<b>shared" not in page
    True
    """
    facts = dict(summary or {})
    if getattr(obj, "score", None) is not None:
        facts.setdefault("ring score", obj.score)
    net = render(obj, **render_options)
    facts.setdefault("nodes drawn", len(net.nodes))
    facts.setdefault("generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(_mask_cell(v)))}</td></tr>"
        for k, v in facts.items()
    )
    parts = [f'<section class="gk-case"><h2>Summary</h2><table>{rows}</table>']
    if evidence is not None:
        table = evidence.map(_mask_cell).to_html(index=False, escape=True, border=0, na_rep="")
        parts.append(f"<h2>Evidence ({len(evidence)} rows)</h2>{table}")
    parts.append(
        "<p>Identifiers appear as hash prefixes, cards as BIN and last 4, emails as domains; "
        "raw PII never enters graphkit.</p></section>"
    )
    page = to_html(net, title=title, extra_html="".join(parts))
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(page, encoding="utf-8")
    return page


# ---------------------------------------------------------------- a made-up ring


@dataclass
class ExampleRing:
    """Shaped like the sweep's rings: ``subgraph``, ``members`` (node ids) and ``score``."""

    subgraph: Subgraph
    members: list[str]
    score: float


def example_ring(nodes: int = 60, *, seed: int = 7) -> ExampleRing:
    """A made-up ring of ``nodes`` nodes, for trying the renderer without a database.

    Sellers (a fifth of them closed) share devices, cards, emails, phones, addresses and IPs
    (2-5 sellers each), sell the same brands and refund the same reviewers. Hashes are of
    made-up text. The members are the ten best-connected sellers.

    >>> ring = example_ring(200)
    >>> len(ring.subgraph), len(ring.members)
    (200, 10)
    """
    rng = random.Random(seed)
    graph = Subgraph()
    n_sellers, n_brands, n_reviewers = nodes * 3 // 10, nodes // 20, nodes * 3 // 20
    n_identifiers = nodes - n_sellers - n_brands - n_reviewers
    sellers = [f"s{i}" for i in range(n_sellers)]
    for i, nid in enumerate(sellers):
        status = "closed" if rng.random() < 0.2 else "active"
        graph.add_node(Node(nid, ("Seller",), {"seller_id": f"S{i:05d}", "status": status}))

    def link(start: str, end: str, type_: str) -> None:
        day = rng.randrange(1, 28)
        times = {"first_seen": f"2024-01-{day:02d}T09:00:00Z", "last_seen": "2024-06-30T18:00:00Z"}
        rid = f"r{len(graph.relationships)}"
        graph.add_relationship(Relationship(rid, type_, start, end, times))

    kinds = list(IDENTIFIERS.values())
    for i in range(n_identifiers):
        label = kinds[i % len(kinds)].label
        digest = hashlib.sha256(f"example:{label}:{i}".encode()).hexdigest()
        props = {
            "Device": {"device_id": digest},
            "PaymentInstrument": {"token": digest, "kind": "card", "bin": "411111",
                                  "last4": f"{i % 10000:04d}"},
            "Email": {"hash": digest, "domain": rng.choice(["mail.test", "post.test"])},
            "Phone": {"hash": digest, "country_code": "44"},
            "Address": {"hash": digest, "country": "GB", "postcode_prefix": f"E{i % 20}"},
            "IP": {"ip": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}", "version": 4},
        }[label]  # fmt: skip
        graph.add_node(Node(f"i{i}", (label,), props))
        for seller in rng.sample(sellers, min(len(sellers), rng.randint(2, 5))):
            link(seller, f"i{i}", kinds[i % len(kinds)].rel_type)
    for i in range(n_brands):
        graph.add_node(Node(f"b{i}", ("Brand",), {"brand_id": f"B{i}", "name": f"Brand {i}"}))
        for seller in rng.sample(sellers, min(len(sellers), rng.randint(3, 8))):
            link(seller, f"b{i}", "SELLS")
    for i in range(n_reviewers):
        graph.add_node(Node(f"v{i}", ("Reviewer",), {"reviewer_id": f"R{i:05d}"}))
        for seller in rng.sample(sellers, min(len(sellers), rng.randint(1, 3))):
            link(seller, f"v{i}", "REFUNDED")
    degree = Counter(end for rel in graph.relationships.values() for end in (rel.start, rel.end))
    return ExampleRing(graph, sorted(sellers, key=lambda nid: -degree[nid])[:10], score=0.93)
