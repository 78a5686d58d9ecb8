"""The query catalog: one ``.cypher`` file per query under ``cypher/packs/<pack>/``.

Each file starts with a YAML header in a ``// ---`` ... ``// ---`` comment block
(see DESIGN.md, "Query-pack format"); the rest of the file is the Cypher.

>>> query = parse(Path("identity/x.cypher"), '''// ---
... // id: identity.x
... // title: T
... // description: D
... // category: shared-identity
... // severity: high
... // output: table
... // ---
... MATCH (s:Seller) RETURN s.seller_id AS seller''')
>>> query.id, query.meta.timeout_s, query.cypher
('identity.x', 30.0, 'MATCH (s:Seller) RETURN s.seller_id AS seller')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphkit.errors import GraphkitError

PACKS_DIR = Path(__file__).resolve().parent.parent.parent / "cypher" / "packs"
FENCE = "// ---"


class CatalogError(GraphkitError):
    """A query file is malformed, or an id is unknown or duplicated."""


class ParamSpec(BaseModel):
    """One typed parameter: ``{type: int, default: 2, min: 2, max: 500}``."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["int", "float", "str", "bool", "list"]
    default: Any
    min: float | None = None
    max: float | None = None
    choices: list[Any] | None = None
    description: str = ""

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> ParamSpec:
        if (self.min is not None or self.max is not None) and self.type not in ("int", "float"):
            raise ValueError("min/max only apply to int and float parameters")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class QueryMeta(BaseModel):
    """The header of a query file, schema-checked."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9]*\.[a-z][a-z0-9-]*$")
    title: str
    description: str
    category: str
    severity: Literal["info", "low", "medium", "high", "critical"]
    #: Share of the accounts the query names (defaults) that are planted ring members on the
    #: synthetic `small` marketplace, seed 7 (`graphkit eval --per-query`):
    #: high >= 0.9, medium >= 0.6, low < 0.6.
    precision: Literal["unmeasured", "low", "medium", "high"] = "unmeasured"
    params: dict[str, ParamSpec] = Field(default_factory=dict)
    output: Literal["table", "subgraph"]
    timeout_s: float = Field(default=30.0, gt=0)
    max_rows: int = Field(default=10_000, gt=0)
    max_estimated_rows: int = Field(default=50_000_000, gt=0)
    tags: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    #: True when the query reads retired links too (``valid_to`` set), on purpose, as its
    #: description says; otherwise every link it reads of a type that keeps history is a
    #: current one (``graphmodel.CURRENT``).
    history: bool = False


@dataclass(frozen=True)
class Query:
    meta: QueryMeta
    cypher: str
    path: Path

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def pack(self) -> str:
        return self.meta.id.split(".", 1)[0]


def parse(path: Path, text: str) -> Query:
    """Split a query file into its validated header and its Cypher body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise CatalogError(f"{path}: must start with a '{FENCE}' header line")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == FENCE)
    except StopIteration:
        raise CatalogError(f"{path}: header has no closing '{FENCE}' line") from None
    header_lines = [line.strip().removeprefix("//").removeprefix(" ") for line in lines[1:end]]
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
        meta = QueryMeta.model_validate(header)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CatalogError(f"{path}: invalid header: {exc}") from None
    cypher = "\n".join(lines[end + 1 :]).strip().rstrip(";")
    if not cypher:
        raise CatalogError(f"{path}: no Cypher after the header")
    expected_id = f"{path.parent.name}.{path.stem}"
    if meta.id != expected_id:
        raise CatalogError(f"{path}: id '{meta.id}' must be '{expected_id}' (<pack dir>.<file>)")
    return Query(meta=meta, cypher=cypher, path=path)


def load(packs_dir: Path = PACKS_DIR) -> dict[str, Query]:
    """Every query under ``packs_dir``, by id; ids must be unique."""
    queries: dict[str, Query] = {}
    for path in sorted(packs_dir.glob("*/*.cypher")):
        query = parse(path, path.read_text())
        if query.id in queries:
            raise CatalogError(f"duplicate query id '{query.id}' in {path}")
        queries[query.id] = query
    return queries


@functools.cache
def catalog() -> dict[str, Query]:
    """The shipped catalog (parsed once per process)."""
    return load()


def get(query_id: str) -> Query:
    """The query with this id, or a CatalogError listing close matches."""
    queries = catalog()
    if query_id not in queries:
        pack = query_id.split(".", 1)[0]
        close = [known for known in queries if known.startswith(pack)] or sorted(queries)
        raise CatalogError(
            f"unknown query '{query_id}'",
            hint=f"try one of: {', '.join(close)} (`graphkit query list`)",
        )
    return queries[query_id]
