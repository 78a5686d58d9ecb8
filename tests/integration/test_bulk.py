"""`load --bulk` (neo4j-admin import) gives the same graph as the Bolt loader."""

from __future__ import annotations

from collections import Counter

import feedgen
import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.ingest.bulk import BulkError, bulk_load
from graphkit.ingest.checkpoint import watermark

pytestmark = [pytest.mark.integration, pytest.mark.slow]
HASHER = Hasher(DEMO_KEY)


def test_bulk_import_equals_the_bolt_path(db, tmp_path):
    data = feedgen.rows()
    reviews = data["reviews"]  # the bulk path writes these from Arrow columns: same rules
    reviews += [
        {**reviews[0], "review_id": "RV99999999", "reviewer_id": "R9999999"},  # unknown
        dict(reviews[1]),  # an exact repeat: skipped
        {**reviews[2], "rating": 6 - reviews[2]["rating"]},  # conflicting: quarantined
    ]
    feeds = feedgen.write(data, tmp_path / "feeds")
    options = Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q")
    loaded = {r.feed: (r.written, r.quarantined, r.skipped) for r in run(db, options, HASHER)}
    assert loaded["reviews"][1:] == (2, 1)
    bolt = checksum(db), counts(db)
    with pytest.raises(BulkError, match="empty"):
        bulk_load(options, HASHER, echo=lambda *_: None)
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    done: Counter[str] = Counter()
    results = bulk_load(options, HASHER, echo=lambda *_: None,
                        progress=lambda feed, rows, total: done.update({feed: rows}))  # fmt: skip
    assert all(r.status == "ok" for r in results)
    assert {r.feed: (r.written, r.quarantined, r.skipped) for r in results} == loaded
    assert done == {r.feed: r.read for r in results}
    assert (checksum(db), counts(db)) == bolt
    assert watermark(db, "reviews") is not None
    again = run(db, options, HASHER, incremental=True)
    assert sum(r.written for r in again) == 0
    db.run_autocommit("MATCH (n) DETACH DELETE n")  # the CLI, feeds transformed in 2 processes
    args = ["load", "--bulk", "--jobs", "2", "--feeds-dir", str(feeds),
            "--quarantine-dir", str(tmp_path / "q2"), "--demo-key"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (checksum(db), counts(db)) == bolt
