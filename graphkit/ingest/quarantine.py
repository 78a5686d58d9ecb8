"""Bad rows go to ``<quarantine dir>/<feed>/<run_id>.jsonl``, one JSON object per row.

Each line holds ``feed``, ``run_id``, ``locator`` (``file:line`` or the primary key),
``field``, ``reason`` and ``raw`` (the record as read). The raw record may hold PII, so the
files are readable by their owner only; logs carry counts and reasons, never raw values.

>>> import tempfile, json
>>> q = Quarantine(Path(tempfile.mkdtemp()), "reviews", "reviews-1")
>>> q.write([Bad("reviews.csv:3", "rating", "9 is above the maximum 5", {"rating": "9"})])
>>> json.loads(q.path.read_text())["reason"]
'9 is above the maximum 5'
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from graphkit.ingest.transform import Bad

DEFAULT_DIR = Path("quarantine")


class Quarantine:
    """Appends bad rows of one feed's run; counts reasons (``field: reason``) for the summary."""

    def __init__(self, base: Path, feed: str, run_id: str):
        self.path = base / feed / f"{run_id}.jsonl"
        self.feed, self.run_id = feed, run_id
        self.reasons: Counter[str] = Counter()

    def write(self, bad: list[Bad]) -> None:
        if not bad:
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            for b in bad:
                entry = {"feed": self.feed, "run_id": self.run_id, "locator": b.locator,
                         "field": b.field, "reason": b.reason, "raw": b.raw}  # fmt: skip
                f.write(json.dumps(entry, default=str) + "\n")
                kind = _reason_kind(b.reason)
                self.reasons[f"{b.field}: {kind}" if b.field else kind] += 1


def _reason_kind(reason: str) -> str:
    """Group reasons for the summary: ``9 is above the maximum 5`` -> ``above the maximum``."""
    for kind in ("above the maximum", "below the minimum", "oversized value", "truncated",
                 "unknown kind", "bad datetime"):  # fmt: skip
        if kind in reason:
            return kind
    return reason.split(":")[0]
