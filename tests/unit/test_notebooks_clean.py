"""The analyst notebooks are committed clean: no outputs, no execution counts (nbstripout's rule).

Outputs hold the data a notebook was run on and churn on every run; CI executes the notebooks
itself (tests/integration/test_notebooks.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stripped(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} hold outputs; clear them before committing"
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_connects_first(path: Path):
    """The parameters cell lets a run ask for the demo data; the first code cell after it
    connects, loading the demo data only when asked (any other graph is used as it is)."""
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    parameters = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1 and "USE_DEMO_DATA = None" in parameters[0].source, path.name
    cells = [c for c in cells if c not in parameters]
    assert "db, data_dir = connect(USE_DEMO_DATA)" in cells[0].source, path.name
    assert "ensure_small_marketplace" not in "".join(c.source for c in cells), path.name
