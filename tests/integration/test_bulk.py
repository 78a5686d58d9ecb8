"""`load --bulk` (neo4j-admin import) gives the same graph as the Bolt loader."""

from __future__ import annotations

import feedgen
import pytest

from graphkit.identity import DEMO_KEY, Hasher
from graphkit.ingest import Options, checksum, counts, run
from graphkit.ingest.bulk import BulkError, bulk_load
from graphkit.ingest.checkpoint import watermark

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_bulk_import_equals_the_bolt_path(db, tmp_path):
    feeds = feedgen.write(feedgen.rows(), tmp_path / "feeds")
    options = Options(feeds_dir=feeds, quarantine_dir=tmp_path / "q")
    run(db, options, Hasher(DEMO_KEY))
    bolt = checksum(db), counts(db)
    with pytest.raises(BulkError, match="empty"):
        bulk_load(options, Hasher(DEMO_KEY), echo=lambda *_: None)
    db.run_autocommit("MATCH (n) DETACH DELETE n")
    results = bulk_load(options, Hasher(DEMO_KEY), echo=lambda *_: None)
    assert all(r.status == "ok" for r in results)
    assert (checksum(db), counts(db)) == bolt
    assert watermark(db, "reviews") is not None
    again = run(db, options, Hasher(DEMO_KEY), incremental=True)
    assert sum(r.written for r in again) == 0
