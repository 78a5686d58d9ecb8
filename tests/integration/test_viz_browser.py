"""A case file opened in headless Chromium with the network cut off draws the whole graph.

The screenshot is kept in ``artifacts/viz/`` for a human to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from graphkit import browser, viz

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "viz"


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    with browser.chromium() as instance:
        yield instance


def test_case_file_draws_offline(chromium, tmp_path):
    ring = viz.example_ring(300)
    evidence = pd.DataFrame({"seller_id": ["S00001", "S00002"], "shared": ["card", "device"]})
    path = tmp_path / "case.html"
    viz.case_file(ring, evidence, title="Ring 1", summary={"sellers": 90}, path=path)

    tab = browser.open_guarded(chromium, path.as_uri())
    stable_ms = browser.wait_stable(tab.page)
    page = tab.page
    stats = page.evaluate("window.graphkitStats")
    drawn = page.evaluate("window.graphkitNetwork.body.data.nodes.length")
    placed = page.evaluate("Object.keys(window.graphkitNetwork.getPositions()).length")
    assert stats["nodes"] == drawn == placed == 300
    assert stats["edges"] == page.evaluate("window.graphkitNetwork.body.data.edges.length") > 0
    assert page.evaluate("window.graphkitNetwork.physics.physicsEnabled") is False  # frozen
    assert stable_ms > 0
    legend = page.locator("#gk-legend").inner_text()
    assert all(entry in legend for entry in ("Seller", "Reviewer", "IP", "ring member", "closed"))
    assert page.locator("table.dataframe td").first.inner_text() == "S00001"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = page.locator("#gk-graph").screenshot(path=str(ARTIFACTS / "case-file.png"))
    width, height = 1280, page.evaluate("document.getElementById('gk-graph').clientHeight")
    assert browser.ink(page, png) > 0.01 * width * height, "the graph area is blank"
    assert tab.blocked == [] and tab.errors == []


def test_capped_page_says_what_it_left_out(chromium, tmp_path):
    net = viz.render(viz.example_ring(1000), max_nodes=200)
    path = viz.save_html(net, tmp_path / "capped.html", title="Capped")

    tab = browser.open_guarded(chromium, path.as_uri())
    browser.wait_stable(tab.page)
    assert tab.page.evaluate("window.graphkitNetwork.body.data.nodes.length") == 200
    assert tab.page.locator("#gk-omitted").inner_text().startswith("800 more nodes")
    assert tab.blocked == [] and tab.errors == []


def test_guard_records_and_blocks_a_remote_request(chromium, tmp_path):
    """The guard itself works: a page that tries to fetch is caught, and nothing loads."""
    path = tmp_path / "leaky.html"
    path.write_text('<img src="https://cdn.example.invalid/x.png">', encoding="utf-8")
    tab = browser.open_guarded(chromium, path.as_uri())
    tab.page.wait_for_load_state("load")
    assert tab.blocked == ["https://cdn.example.invalid/x.png"]
