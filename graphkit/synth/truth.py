"""The ground truth of a synthetic marketplace: planted rings, benign look-alikes, dirty rows.

``DIR/truth/ground_truth.json`` is written by :func:`graphkit.synth.generate` and read back with
:func:`read_truth`:

>>> truth = read_truth("out")  # doctest: +SKIP
>>> sorted({ring.archetype for ring in truth.rings})  # doctest: +SKIP
['brand_front', 'camouflage', 'card_chain', 'device_ring', 'identity', 'paid_review', ...]
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graphkit.errors import GraphkitError

ARCHETYPES = (
    "identity",
    "brand_front",
    "paid_review",
    "self_review",
    "repeat_offender",
    "camouflage",
    "device_ring",
    "card_chain",
    "review_pool",
)
BENIGN_REASONS = (
    "prep-centre",
    "carrier-nat",
    "public-wifi",
    "payment-aggregator",
    "household-device",
    "launch-burst",
    "honest-overlap",
    "office",
    "family",
    "cafe",
    "customer-service",
    "popular-crowd",
    "brand-transfer",
)


@dataclass
class Identifier:
    """One shared identifier as written in the feeds: ``kind`` is address, ip, payment
    (card number or IBAN), device, email or phone; ``value`` one raw spelling of it;
    ``accounts`` the seller/reviewer ids that use it."""

    kind: str
    value: str
    accounts: list[str] = field(default_factory=list)


@dataclass
class Ring:
    """A planted fraud ring; ``closed_sellers``: the closed accounts a repeat offender replaced."""

    ring_id: str
    archetype: str
    sellers: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    closed_sellers: list[str] = field(default_factory=list)


@dataclass
class Lookalike:
    """Honest accounts that look suspicious for a benign ``reason`` (see ``BENIGN_REASONS``);
    ``registered`` says whether its identifiers are in ``benign_register.yaml``."""

    lookalike_id: str
    reason: str
    registered: bool
    sellers: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)


@dataclass
class DirtyRow:
    """A row the loaders must quarantine: ``row`` is its 0-based data-row index in the feed file
    (CSV line = row + 2, JSONL line = row + 1), ``id`` its intended key."""

    feed: str
    row: int
    id: str | None
    kind: str
    column: str


@dataclass
class GroundTruth:
    scale: str
    seed: int
    rows: dict[str, int]
    rings: list[Ring]
    benign: list[Lookalike]
    dirty_rows: list[DirtyRow]

    def ring_sellers(self) -> set[str]:
        return {s for ring in self.rings for s in ring.sellers}

    def ring_reviewers(self) -> set[str]:
        return {r for ring in self.rings for r in ring.reviewers}


def write_truth(truth: GroundTruth, out_dir: Path) -> Path:
    """Write ``truth/ground_truth.json`` and the generic ``truth/rings.csv`` (account_id,
    ring_id, archetype: every ring seller and reviewer) and ``truth/benign.csv`` (account_id,
    kind: each look-alike account once per reason) that any evaluator can read."""
    path = Path(out_dir) / "truth" / "ground_truth.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(truth), separators=(",", ":")) + "\n")
    rings = [
        (account, ring.ring_id, ring.archetype)
        for ring in truth.rings
        for account in (*ring.sellers, *ring.reviewers)
    ]
    benign = dict.fromkeys(
        (account, item.reason)
        for item in truth.benign
        for account in (*item.sellers, *item.reviewers)
    )
    _write_csv(path.parent / "rings.csv", ("account_id", "ring_id", "archetype"), rings)
    _write_csv(path.parent / "benign.csv", ("account_id", "kind"), list(benign))
    return path


def _write_csv(path: Path, header: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def read_truth(out_dir: str | Path) -> GroundTruth:
    """Load ``out_dir/truth/ground_truth.json`` written by ``graphkit synth --out out_dir``."""
    path = Path(out_dir) / "truth" / "ground_truth.json"
    if not path.exists():
        raise GraphkitError(
            f"no ground truth at {path}", hint=f"run `graphkit synth --out {out_dir}`"
        )
    data = json.loads(path.read_text())

    def idents(items: list[dict]) -> list[Identifier]:
        return [Identifier(**item) for item in items]

    return GroundTruth(
        scale=data["scale"],
        seed=data["seed"],
        rows=data["rows"],
        rings=[Ring(**{**r, "identifiers": idents(r["identifiers"])}) for r in data["rings"]],
        benign=[
            Lookalike(**{**b, "identifiers": idents(b["identifiers"])}) for b in data["benign"]
        ],
        dirty_rows=[DirtyRow(**d) for d in data["dirty_rows"]],
    )
