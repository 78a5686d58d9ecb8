"""The data the analyst notebooks run on: any graph, or the demo data when asked for.

Every notebook in ``notebooks/`` starts with::

    db, data_dir = connect(USE_DEMO_DATA)

which connects to the graph the environment names (``GRAPHKIT_HOME``/``NEO4J_URI``...). With
``USE_DEMO_DATA`` true (or, when it is None, ``$GRAPHKIT_USE_DEMO_DATA`` set to 1/true/yes)
it makes sure the graph holds the ``small`` synthetic marketplace (seed 7) and returns its
directory; otherwise the notebooks run on whatever the graph holds and ``data_dir`` is None.
:func:`ensure_small_marketplace` returns at once (two count lookups) when the graph already
holds that marketplace, and otherwise generates it, loads it with the public demo key and
applies its benign register (:func:`graphkit.demo.ensure_marketplace`, the same path as
``graphkit demo``). The directory holds ``feeds/``, ``truth/`` (ground truth, benign
register) and ``quarantine/`` (the loaders' bad rows).

>>> db, data_dir = connect(True)                                      # doctest: +SKIP
>>> read_truth(data_dir).scale                                       # doctest: +SKIP
'small'
>>> use_demo_data(None, environ={"GRAPHKIT_USE_DEMO_DATA": "yes"}), use_demo_data(None, environ={})
(True, False)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import neo4j

from graphkit.db import Database
from graphkit.demo import ensure_marketplace
from graphkit.errors import GraphkitError

SCALE, SEED = "small", 7
#: Overrides where the notebooks keep the generated marketplace.
DIR_ENV = "GRAPHKIT_NOTEBOOK_DATA"
#: 1/true/yes: the notebooks load (or reuse) the demo marketplace unless told otherwise.
USE_ENV = "GRAPHKIT_USE_DEMO_DATA"


def use_demo_data(asked: bool | None, environ: Mapping[str, str] = os.environ) -> bool:
    """``asked``; when None, whether ``$GRAPHKIT_USE_DEMO_DATA`` says yes (default: no)."""
    if asked is not None:
        return asked
    return environ.get(USE_ENV, "").strip().lower() in ("1", "true", "yes")


def connect(
    use_demo: bool | None = None, *, echo: Callable[[str], object] = print
) -> tuple[Database, Path | None]:
    """A connection to the configured graph, and the demo data directory when the demo data
    is asked for (see :func:`use_demo_data`; loaded when missing). Without demo data the graph
    is used as it is (and must hold some accounts)."""
    db = Database()
    if use_demo_data(use_demo):
        return db, ensure_small_marketplace(db, echo=echo)
    rows = db.read("RETURN COUNT { (:Seller) } + COUNT { (:Reviewer) } AS accounts")
    if not rows[0]["accounts"]:
        db.close()
        raise GraphkitError(
            "the graph holds no accounts (no Seller or Reviewer nodes)",
            hint="load your feeds (`graphkit load --mappings DIR --feeds-dir D`), or set "
            f"USE_DEMO_DATA = True in the notebook (or {USE_ENV}=1) for the demo marketplace",
        )
    echo(f"using the graph as it is: {rows[0]['accounts']:,} accounts")
    return db, None


def default_dir(db: Database) -> Path:
    """``$GRAPHKIT_NOTEBOOK_DATA``, else ``<graphkit home>/notebook-data/marketplace-small-7``.

    Under the instance's home, so that each managed Neo4j keeps the files that match its graph.
    """
    if os.environ.get(DIR_ENV):
        return Path(os.environ[DIR_ENV]).expanduser()
    return Path(db.settings.home).expanduser() / "notebook-data" / f"marketplace-{SCALE}-{SEED}"


def is_loaded(db: Database, out_dir: Path) -> bool:
    """True when the graph holds the small marketplace and ``out_dir`` holds its files."""

    def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
        # (no "unknown property" warning on a fresh graph: notifications off)
        return tx.run(
            "OPTIONAL MATCH (w:Watermark {feed: 'demo'}) "
            "RETURN w.marketplace AS marketplace, COUNT { (:Seller) } AS sellers"
        ).data()

    rows = db.read_with(work, notifications_min_severity="OFF")
    marker = rows[0]["marketplace"] if rows else None
    expected = json.dumps({"scale": SCALE, "seed": SEED})
    files = (out_dir / "truth" / "ground_truth.json").is_file()
    return marker == expected and rows[0]["sellers"] > 0 and files


def ensure_small_marketplace(
    db: Database, out_dir: str | Path | None = None, *, echo: Callable[[str], object] = print
) -> Path:
    """Make sure the graph holds the ``small`` marketplace (seed 7); return its data directory.

    Fast (well under a second) when it is already loaded. Otherwise: generate the feeds into
    ``out_dir`` (once), apply the schema, load every feed with the demo key (rows past each
    watermark, so an interrupted load resumes), apply the benign register, mark the graph.
    Refuses to load on top of unrelated data: a graph with sellers but no demo marker must be
    wiped first (``graphkit neo4j reset --yes``).
    """
    out = Path(out_dir).expanduser() if out_dir is not None else default_dir(db)
    if is_loaded(db, out):
        return out
    rows = db.read(
        "RETURN COUNT { (:Seller) } AS sellers, COUNT { (w:Watermark WHERE w.feed = 'demo') } "
        "AS marked"
    )
    if rows[0]["sellers"] and not rows[0]["marked"]:
        raise GraphkitError(
            f"the graph holds {rows[0]['sellers']:,} sellers that are not the synthetic "
            "marketplace; the notebooks will not load demo data on top of them",
            hint="use a fresh instance (GRAPHKIT_HOME=... graphkit neo4j start) or wipe this "
            "one with `graphkit neo4j reset --yes`",
        )
    echo(f"loading the {SCALE} synthetic marketplace (seed {SEED}) from {out} ...")
    results = ensure_marketplace(db, out, scale=SCALE, seed=SEED, echo=echo)
    written = sum(r.written for r in results)
    quarantined = sum(r.quarantined for r in results)
    echo(f"loaded: {written:,} rows written, {quarantined:,} quarantined")
    return out
