"""The ``graphkit`` command line: one sub-module per stage of the data flow.

Every command turns a :class:`~graphkit.errors.GraphkitError` into a one-line message with
what to do next, and a non-zero exit code; tracebacks are kept for real bugs.
"""

from __future__ import annotations

from graphkit.cli import accounts as _accounts  # noqa: F401
from graphkit.cli import benign as _benign  # noqa: F401
from graphkit.cli import demo as _demo  # noqa: F401
from graphkit.cli import ingest as _ingest  # noqa: F401  (registers `load`, `sync`)
from graphkit.cli import mapping as _mapping  # noqa: F401  (registers `mapping`)
from graphkit.cli import packs as _packs  # noqa: F401  (registers `query`, `ring`, `eval`)
from graphkit.cli import privacy as _privacy  # noqa: F401  (registers `erase`, `rekey`)
from graphkit.cli import quarantine as _quarantine  # noqa: F401
from graphkit.cli import server as _server  # noqa: F401  (registers `neo4j`, `schema`)
from graphkit.cli import synth as _synth  # noqa: F401
from graphkit.cli import viz as _viz  # noqa: F401  (registers `render`)
from graphkit.cli.app import app, main

__all__ = ["app", "main"]
