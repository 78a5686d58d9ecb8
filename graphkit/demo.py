"""The main job end to end: a synthetic marketplace in, a ring report and case files out.

Each step is idempotent, so running the demo twice gives the same graph and the same rings:
the generator is deterministic and skips files it already wrote for the same scale and seed,
the loaders sync only rows past each feed's watermark, and the report is rewritten whole.

>>> with Database() as db:                                              # doctest: +SKIP
...     feeds = ensure_marketplace(db, Path("out/demo"), scale="small", seed=7)
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from graphkit import ingest, schema, sweep, viz
from graphkit.analysis import Ring
from graphkit.benign import apply_register, load_register
from graphkit.config import Settings
from graphkit.db import Database
from graphkit.errors import GraphkitError
from graphkit.evaluation import Report, evaluate
from graphkit.identity import Hasher
from graphkit.ingest.bulk import bulk_load
from graphkit.synth import generate, read_truth

Echo = Callable[[str], object]
LOADED_MARKER = "loaded.json"


def _generated(out_dir: Path, scale: str, seed: int) -> bool:
    truth = out_dir / "truth" / "ground_truth.json"
    if not truth.is_file():
        return False
    meta = read_truth(out_dir)
    return (meta.scale, meta.seed) == (scale, seed)


#: Neo4j heap and page cache a scale needs at least: at ``seed`` the lockstep scan groups ~13M
#: reviewer pairs, beyond a 2g heap's transaction memory (1.4 GiB).
SERVER_MEMORY = {"seed": ("8g", "6g"), "large": ("8g", "6g")}


def sized(settings: Settings, scale: str) -> Settings:
    """``settings`` with the heap and page cache ``scale`` needs, where they are smaller.

    >>> sized(Settings(), "seed").heap, sized(Settings(heap="16g"), "seed").heap
    ('8g', '16g')
    """
    heap, pagecache = SERVER_MEMORY.get(scale, (settings.heap, settings.pagecache))
    return settings.model_copy(
        update={"heap": max(settings.heap, heap, key=_bytes),
                "pagecache": max(settings.pagecache, pagecache, key=_bytes)}
    )  # fmt: skip


def _bytes(size: str) -> int:
    """``"512m"`` -> 536870912 (Neo4j's memory sizes)."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    unit = units.get(size[-1:].lower())
    return int(float(size[:-1]) * unit) if unit else int(size)


def ensure_marketplace(
    db: Database,
    out_dir: Path,
    *,
    scale: str = "small",
    seed: int = 7,
    echo: Echo = print,
    progress: ingest.sync.Progress | None = None,
    bulk: bool | None = None,
    register: bool = True,
) -> list[ingest.FeedResult]:
    """Generate the synthetic marketplace (once), sync it into Neo4j, apply the benign register.

    Idempotent and cheap when already done: a second call loads no rows. Refuses to mix two
    different marketplaces in one graph (wipe it first with ``graphkit neo4j reset``).
    ``bulk``: fill an empty graph with ``neo4j-admin`` (``load --bulk``) instead of Bolt;
    by default only for ``seed`` and larger scales on graphkit's managed server.
    ``register=False`` leaves the benign register out, as detection is measured.
    """
    marker = {"scale": scale, "seed": seed}
    previous = db.read("MATCH (w:Watermark {feed: 'demo'}) RETURN w.marketplace AS m")
    if previous and previous[0]["m"] != json.dumps(marker):
        raise GraphkitError(
            f"the graph holds another synthetic marketplace ({previous[0]['m']})",
            hint="wipe it with `graphkit neo4j reset --yes`, or run the demo with that scale/seed",
        )
    if not _generated(out_dir, scale, seed):
        echo(f"generating the {scale} marketplace (seed {seed}) in {out_dir}")
        generate(out_dir, scale=scale, seed=seed, progress=progress is not None)
    schema.apply(db)
    options = ingest.Options(feeds_dir=out_dir / "feeds", quarantine_dir=out_dir / "quarantine")
    hasher = Hasher.from_settings(db.settings, demo=True)
    if bulk is None:
        bulk = scale not in ("tiny", "small") and db.settings.managed
    if bulk and not db.read("MATCH (n) RETURN count(n) > 0 AS used")[0]["used"]:
        echo("empty graph: backfilling it with neo4j-admin (graphkit load --bulk)")
        jobs = os.cpu_count() or 1
        results = bulk_load(replace(options, jobs=jobs), hasher, echo=echo, progress=progress)
    else:
        results = ingest.run(db, options, hasher, incremental=True, progress=progress)
    if register:
        benign = load_register(out_dir / "truth" / "benign_register.yaml")
        marked = apply_register(db, benign, hasher)
        echo(f"benign register {benign.version}: {marked} identifiers marked")
    db.write(
        "MERGE (w:Watermark {feed: 'demo'}) SET w.marketplace = $m",
        {"m": json.dumps(marker)},
    )
    return results


@dataclass
class DemoReport:
    out_dir: Path
    index: Path
    rings: list[Ring]
    cases: list[Path]
    quality: Report | None


def write_cases(db: Database, rings: list[Ring], cases_dir: Path) -> list[Path]:
    """One offline HTML case file per ring: its dossier graph and its evidence table."""
    cases_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for rank, ring in enumerate(rings, 1):
        case = sweep.Case(ring, sweep.dossier(db, ring))
        path = cases_dir / f"{rank:02d}-{ring.id}.html"
        viz.case_file(
            case,
            sweep.links_frame(ring),
            title=f"Ring {ring.id} (rank {rank})",
            summary={
                "sellers": len(ring.sellers),
                "reviewers": len(ring.reviewers),
                "shared identifier kinds": ", ".join(ring.identifier_kinds) or "-",
                "status mix": ", ".join(f"{k} {v}" for k, v in ring.status_mix.items()),
                **{f"score: {k}": round(v, 3) for k, v in ring.breakdown.items()},
            },
            path=path,
        )
        paths.append(path)
    return paths


INDEX_STYLE = (
    "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;"
    "text-align:left}th{background:#f3f3f3}code{background:#f6f6f6;padding:0 .2rem}"
)


def index_html(rings: list[Ring], cases: list[Path], quality: Report | None) -> str:
    """The report's landing page: ranked rings linking to their case files. No external assets."""
    rows = []
    for rank, ring in enumerate(rings, 1):
        link = (
            f'<a href="cases/{html.escape(cases[rank - 1].name)}">{html.escape(ring.id)}</a>'
            if rank <= len(cases)
            else html.escape(ring.id)
        )
        status = ", ".join(f"{k} {v}" for k, v in ring.status_mix.items())
        rows.append(
            f"<tr><td>{rank}</td><td>{link}</td><td>{ring.score:.2f}</td>"
            f"<td>{len(ring.sellers)}</td><td>{len(ring.reviewers)}</td>"
            f"<td>{html.escape(', '.join(ring.identifier_kinds))}</td>"
            f"<td>{html.escape(status)}</td><td>{html.escape(', '.join(ring.brands[:6]))}</td></tr>"
        )
    quality_html = ""
    if quality is not None:
        quality_html = (
            f"<p>Against the planted ground truth: ring-member precision "
            f"<b>{quality.precision:.3f}</b>, recall <b>{quality.recall:.3f}</b>, benign "
            f"look-alike accounts flagged <b>{quality.benign_flagged_rate:.2%}</b>.</p>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>graphkit ring report</title>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<style>{INDEX_STYLE}</style></head><body><h1>Ring report</h1>"
        f"<p>{len(rings)} rings, ranked by score. Full evidence: <code>rings.json</code>, "
        f"table: <code>rings.csv</code>, summary: <code>summary.md</code>.</p>{quality_html}"
        "<table><tr><th>#</th><th>ring</th><th>score</th><th>sellers</th><th>reviewers</th>"
        "<th>shared identifiers</th><th>status</th><th>brands</th></tr>"
        f"{''.join(rows)}</table></body></html>"
    )


def write_report(db: Database, out_dir: Path, *, top: int, truth_dir: Path | None) -> DemoReport:
    """Sweep, then write the ranked report, ``top`` case files and ``index.html``."""
    rings = sweep.sweep(db)
    report_dir = out_dir / "report"
    sweep.write_report(rings, report_dir)
    cases = write_cases(db, rings[:top], report_dir / "cases")
    quality = evaluate(rings, truth_dir) if truth_dir else None
    index = report_dir / "index.html"
    index.write_text(index_html(rings, cases, quality))
    return DemoReport(report_dir, index, rings, cases, quality)
