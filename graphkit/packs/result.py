"""Result types: a query answers with a table (pandas DataFrame) or a :class:`Subgraph`.

A :class:`Subgraph` is a plain, driver-independent snapshot of nodes and relationships,
so analysis and rendering never hold a live transaction open.

>>> g = Subgraph()
>>> g.add_node(Node("s1", ("Seller",), {"seller_id": "S1"}))
>>> g.add_node(Node("d1", ("Device",), {"device_id": "D1"}))
>>> g.add_relationship(Relationship("r1", "USED_DEVICE", "s1", "d1", {}))
>>> nx_graph = g.to_networkx()
>>> sorted(nx_graph.nodes), nx_graph.nodes["s1"]["label"]
(['d1', 's1'], 'Seller')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import neo4j.graph
import networkx as nx


@dataclass(frozen=True)
class Node:
    """A node: ``id`` is unique within the subgraph (Neo4j's element id by default)."""

    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any]

    @property
    def label(self) -> str:
        """The primary label (the first one)."""
        return self.labels[0] if self.labels else ""


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any]


@dataclass
class Subgraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    #: Run metadata, like ``DataFrame.attrs``: ``query_id``, ``params``, ``truncated``.
    attrs: dict[str, Any] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        self.nodes[node.id] = node

    def add_relationship(self, rel: Relationship) -> None:
        self.relationships[rel.id] = rel

    def __len__(self) -> int:
        return len(self.nodes)

    def merge(self, other: Subgraph) -> Subgraph:
        """Add every node and relationship of ``other`` to this subgraph; returns ``self``."""
        self.nodes.update(other.nodes)
        self.relationships.update(other.relationships)
        return self

    @classmethod
    def from_values(cls, values: Iterable[Any]) -> Subgraph:
        """Collect every node, relationship and path found in driver values (nested too).

        Accepts what ``Result.values()`` / ``Record.values()`` return, including lists.
        """
        graph = cls()
        stack = list(values)
        while stack:
            value = stack.pop()
            if isinstance(value, neo4j.graph.Node):
                graph._add_driver_node(value)
            elif isinstance(value, neo4j.graph.Relationship):
                graph._add_driver_relationship(value)
            elif isinstance(value, neo4j.graph.Path):
                stack.extend(value.nodes)
                stack.extend(value.relationships)
            elif isinstance(value, list | tuple):
                stack.extend(value)
            elif isinstance(value, dict):
                stack.extend(value.values())
        return graph

    @classmethod
    def from_neo4j_graph(cls, graph: neo4j.graph.Graph) -> Subgraph:
        """Convert the driver's ``Result.graph()``."""
        return cls.from_values([*graph.nodes, *graph.relationships])

    def _add_driver_node(self, node: neo4j.graph.Node) -> None:
        self.add_node(Node(node.element_id, tuple(sorted(node.labels)), dict(node)))

    def _add_driver_relationship(self, rel: neo4j.graph.Relationship) -> None:
        start, end = rel.start_node, rel.end_node
        assert start is not None and end is not None
        for endpoint in (start, end):
            if endpoint.element_id not in self.nodes:
                self._add_driver_node(endpoint)
        self.add_relationship(
            Relationship(rel.element_id, rel.type, start.element_id, end.element_id, dict(rel))
        )

    def to_networkx(self) -> nx.MultiDiGraph:
        """A networkx MultiDiGraph; node attrs ``label``, ``labels`` + properties, edge ``type``."""
        graph = nx.MultiDiGraph()
        for node in self.nodes.values():
            graph.add_node(node.id, label=node.label, labels=node.labels, **node.properties)
        for rel in self.relationships.values():
            graph.add_edge(rel.start, rel.end, key=rel.id, type=rel.type, **rel.properties)
        return graph
