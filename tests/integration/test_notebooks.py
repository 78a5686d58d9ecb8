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

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 600


def _outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(small_marketplace: Path, path: Path, tmp_path: Path):
    notebook = nbformat.read(path, as_version=4)
    env = {**os.environ, "PYTHONPATH": str(REPO), demo_data.USE_ENV: "1"}  # the graphkit under test
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    started = time.perf_counter()
    client.execute(env=env)  # raises CellExecutionError (with the traceback) on a failing cell
    seconds = time.perf_counter() - started
    print(f"{path.name}: {seconds:.1f}s", file=sys.stderr)
    nbformat.write(notebook, tmp_path / path.name)  # the executed copy, for inspection

    errors = [out for out in _outputs(notebook) if out.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    if path.name.startswith("01-"):
        html = [out.get("data", {}).get("text/html", "") for out in _outputs(notebook)]
        assert any('<iframe class="graphkit-viz"' in h for h in html), "no graphkit iframe"
