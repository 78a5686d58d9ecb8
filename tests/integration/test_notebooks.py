"""Every analyst notebook in notebooks/ runs top to bottom against the live Neo4j.

The ``small_marketplace`` fixture (tests/conftest.py) loads the ``small`` synthetic marketplace
once, and ``GRAPHKIT_USE_DEMO_DATA=1`` asks the notebooks for it, so each notebook's
``connect`` cell finds it and returns at once. Notebooks inherit the connection through the
environment (``GRAPHKIT_HOME``, ``GRAPHKIT_BOLT_PORT``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graphkit import demo_data
from graphkit.db import Database
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, run
from graphkit.synth import SCALES
from graphkit.synth.partner import write_partner

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PARTNER_MAPPINGS = REPO / "examples" / "partner" / "loaders"
CELL_TIMEOUT_S = 600


def _outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def _execute(path: Path, tmp_path: Path, **env: str) -> nbformat.NotebookNode:
    """Run the notebook top to bottom in ``tmp_path``; fail on any cell's error."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    started = time.perf_counter()
    # the kernel imports the graphkit under test; raises CellExecutionError on a failing cell
    client.execute(env={**os.environ, "PYTHONPATH": str(REPO), **env})
    print(f"{path.name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    nbformat.write(notebook, tmp_path / path.name)  # the executed copy, for inspection
    errors = [out for out in _outputs(notebook) if out.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    return notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(small_marketplace: Path, path: Path, tmp_path: Path):
    notebook = _execute(path, tmp_path, **{demo_data.USE_ENV: "1"})
    if path.name.startswith("01-"):
        html = [out.get("data", {}).get("text/html", "") for out in _outputs(notebook)]
        assert any('<iframe class="graphkit-viz"' in h for h in html), "no graphkit iframe"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_any_graph(db: Database, path: Path, tmp_path: Path):
    """Without demo data a notebook takes the graph as it is: here the partner example."""
    write_partner(tmp_path / "market", scale="tiny", seed=7)
    quarantine = tmp_path / "quarantine"
    options = Options(feeds_dir=tmp_path / "market/partner", mappings_dir=PARTNER_MAPPINGS,
                      quarantine_dir=quarantine)  # fmt: skip
    run(db, options, Hasher(DEMO_KEY))
    env = {demo_data.USE_ENV: "", "GRAPHKIT_QUARANTINE_DIR": str(quarantine)}
    notebook = _execute(path, tmp_path, **env)
    text = "".join(out.get("text", "") for out in _outputs(notebook))
    tiny = SCALES["tiny"]
    assert f"using the graph as it is: {tiny.sellers + tiny.reviewers:,} accounts" in text
    assert "loading the small synthetic marketplace" not in text
