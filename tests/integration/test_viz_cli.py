"""`graphkit render --seller` writes one masked, self-contained case file from the live graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]

CARD = "c4" * 32
EMAIL = "e5" * 32
FIXTURE = """
CREATE (s1:Seller {seller_id: 'S1', status: 'active'}),
       (s2:Seller {seller_id: 'S2', status: 'closed', closed_at: datetime('2024-04-01T00:00:00Z'),
                   reason: 'fake reviews'}),
       (p:PaymentInstrument {token: $card, kind: 'card', bin: '411111', last4: '4242'}),
       (e:Email {hash: $email, domain: 'mail.test'}),
       (b:Brand {brand_id: 'B1', name: 'Acme'}),
       (r:Reviewer {reviewer_id: 'R1', status: 'active'}),
       (s1)-[:PAID_WITH {first_seen: datetime('2024-01-05T10:00:00Z'),
                         last_seen: datetime('2024-03-01T10:00:00Z')}]->(p),
       (s2)-[:PAID_WITH {first_seen: datetime('2024-02-05T10:00:00Z'),
                         last_seen: datetime('2024-03-09T10:00:00Z')}]->(p),
       (s2)-[:HAS_EMAIL]->(e), (s1)-[:SELLS]->(b), (s2)-[:SELLS]->(b),
       (s1)-[:REFUNDED {n: 1, amount: 20.0}]->(r)
"""


def _render(tmp_path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "graphkit", "render", *args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the graphkit under test, from any cwd
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )


def test_render_seller_case_file(db, tmp_path):
    db.write(FIXTURE, {"card": CARD, "email": EMAIL})
    done = _render(tmp_path, "--seller", "S1", "--hops", "3", "--out", "case.html")
    assert done.returncode == 0, done.stderr
    assert "case.html: 6 of 6 nodes, 3 accounts" in done.stdout
    page = (tmp_path / "case.html").read_text(encoding="utf-8")
    assert "<title>Seller S1</title>" in page and '"nodes": 6' in page
    assert "S2 CLOSED" in page and "fake reviews" in page and "Acme" in page
    assert CARD not in page and EMAIL not in page
    card_caption = json.dumps("411111••4242")  # as the page's JSON data spells it
    assert CARD[:10] in page and card_caption in page and "@mail.test" in page


def test_render_unknown_seller_says_so(db, tmp_path):
    done = _render(tmp_path, "--seller", "NOPE")
    assert done.returncode == 2
    assert "seller 'NOPE' not found" in done.stderr
    assert not (tmp_path / "case.html").exists()
