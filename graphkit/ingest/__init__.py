"""Loaders: sources -> validate/normalise -> batched UNWIND MERGE into Neo4j.

>>> from graphkit.ingest import Options, run, checksum      # doctest: +SKIP
>>> hasher = Hasher.from_settings(db.settings)               # doctest: +SKIP
>>> run(db, Options(feeds_dir=Path("out/feeds")), hasher)    # doctest: +SKIP
>>> checksum(db)                                             # doctest: +SKIP
'3f1c...'
"""

from graphkit.ingest.content import checksum, counts
from graphkit.ingest.sync import FeedResult, Options, run, run_feed

__all__ = ["FeedResult", "Options", "checksum", "counts", "run", "run_feed"]
