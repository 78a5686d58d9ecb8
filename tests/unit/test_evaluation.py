"""Generic truth files: CSV layouts, clear errors naming file, row and field, and the figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.analysis import Ring
from graphkit.errors import GraphkitError
from graphkit.evaluation import load_truth, score


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_generic_truth_gives_figures_per_kind_and_archetype(tmp_path: Path) -> None:
    truth_file = write(
        tmp_path / "rings.csv",
        "account_id,ring_id,archetype,kind\n"
        "acct-1,t1,devices,seller\nacct-2,t1,devices,seller\nacct-3,t1,devices,reviewer\n"
        "acct-4,t2,review-pool,reviewer\nacct-5,t2,review-pool,reviewer\n",
    )
    benign_file = write(tmp_path / "benign.csv", "account_id,kind\nacct-9,office\n")
    truth = load_truth(tmp_path, db=None)  # a directory holding rings.csv and benign.csv
    assert truth.archetypes == {"t1": "devices", "t2": "review-pool"}
    assert truth.unresolved == {"acct-9"}  # benign ids need the graph for their kind
    truth = load_truth(truth_file, benign_file)
    rings = [
        Ring("r1", ["acct-1", "acct-2"], ["acct-3", "acct-4"], [], []),  # spans t1 and t2
        Ring("r2", ["acct-7"], ["acct-5"], [], []),
    ]
    report = score(rings, truth)
    assert report.row("sellers") | {} == {
        "group": "sellers", "archetype": "", "planted": 2, "found": 2, "recall": 1.0,
        "flagged": 3, "precision": 0.667,
    }  # fmt: skip
    assert report.row("other accounts", "review-pool")["recall"] == 1.0
    assert report.mixed_rings == ["r1"] and report.largest_ring == 4
    assert "reported rings holding two or more truth rings: 1" in report.headline()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("account,ring\nx,y\n", "missing column 'account_id', 'ring_id'"),
        ("account_id,ring_id\nx,y\n,z\n", "row 3: empty field 'account_id'"),
        ("account_id,ring_id,kind\nx,y,buyer\n", "row 2: field 'kind': unknown account kind"),
    ],
)
def test_bad_truth_files_name_file_row_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "truth.csv", text)
    with pytest.raises(GraphkitError) as error:
        load_truth(path)
    assert str(path) in error.value.message and message in error.value.message


def test_a_directory_without_truth_says_what_it_needs(tmp_path: Path) -> None:
    with pytest.raises(GraphkitError, match="no truth found"):
        load_truth(tmp_path)
