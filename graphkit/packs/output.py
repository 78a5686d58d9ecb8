"""Render query results as text: a table, CSV or JSON (rows in a stable order).

CSV always has its header line, even for no rows.

>>> import pandas as pd
>>> print(render(pd.DataFrame([{"seller": "S2", "n": 1}, {"seller": "S1", "n": 2}]), "json"))
[
  {"n": 1, "seller": "S2"},
  {"n": 2, "seller": "S1"}
]
>>> render(pd.DataFrame(columns=["seller", "n"]), "csv").splitlines()
['seller,n']
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import pandas as pd

from graphkit.packs.result import Subgraph

Format = Literal["table", "csv", "json"]


def _plain(value: Any) -> Any:
    """JSON-safe values: timestamps as ISO 8601, tuples as lists, NaN and NaT as null."""
    if value is pd.NaT:
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items())}
    if isinstance(value, float) and value != value:
        return None
    return value


def _node_key(properties: dict[str, Any]) -> Any:
    keys = ("seller_id", "reviewer_id", "product_id", "brand_id", "device_id", "token", "ip")
    return next((properties[k] for k in keys if k in properties), properties.get("hash"))


def records(result: pd.DataFrame | Subgraph) -> list[dict[str, Any]]:
    """Rows as plain dicts; a subgraph becomes one row per node and per relationship,
    named by node keys (stable across databases, unlike element ids)."""
    if isinstance(result, Subgraph):
        keys = {node.id: _node_key(node.properties) for node in result.nodes.values()}
        rows = [
            {"kind": "node", "label": n.label, "key": keys[n.id]} for n in result.nodes.values()
        ]
        rows += [
            {"kind": "rel", "label": r.type, "key": f"{keys[r.start]}->{keys[r.end]}"}
            for r in result.relationships.values()
        ]
    else:
        rows = result.to_dict(orient="records")
    return [{key: _plain(value) for key, value in row.items()} for row in rows]


def render(result: pd.DataFrame | Subgraph, fmt: Format) -> str:
    """Text for the terminal or a file. JSON rows are sorted so outputs are comparable."""
    rows = records(result)
    if fmt == "json":
        lines = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
        return "[\n" + ",\n".join(f"  {line}" for line in lines) + "\n]" if lines else "[]"
    columns = ["kind", "label", "key"] if isinstance(result, Subgraph) else list(result.columns)
    frame = pd.DataFrame(rows, columns=columns)  # the header survives an empty result
    if fmt == "csv":
        nested = frame.map(lambda v: json.dumps(v) if isinstance(v, list | dict) else v)
        return nested.to_csv(index=False)
    return frame.to_string(index=False) if len(frame) else "(no rows)"
