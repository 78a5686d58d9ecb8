"""What every benchmark shares: result rows, a markdown table, timing, a bench database.

A :class:`Row` is one measured figure; rows that compare graphkit with a peer carry both
values (measured in the same run) and their ratio.

>>> print(table([Row("load", "reviews rows/s", 50_000.0, "rows/s", "naive MERGE", 500.0)]))
| area | what | graphkit | peer | peer value | ratio |
|---|---|---|---|---|---|
| load | reviews rows/s | 50,000 rows/s | naive MERGE | 500 rows/s | 100.0x |
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graphkit.config import load_settings
from graphkit.db import Database
from graphkit.demo import SERVER_MEMORY
from graphkit.server import ManagedServer

#: The benchmark's own server: beside the user's (``$GRAPHKIT_HOME-bench``, the user's Bolt
#: port + 1) when ``GRAPHKIT_HOME`` is set, so two checkouts with their own servers never share
#: (and wipe) one bench server; else ``~/.cache/graphkit-bench`` on 7688.
BENCH_HOME = Path(
    os.environ.get("GRAPHKIT_BENCH_HOME")
    or (os.environ["GRAPHKIT_HOME"] + "-bench" if "GRAPHKIT_HOME" in os.environ else "")
    or Path.home() / ".cache" / "graphkit-bench"
)
BENCH_PORT = int(
    os.environ.get("GRAPHKIT_BENCH_PORT")
    or (int(os.environ["GRAPHKIT_BOLT_PORT"]) + 1 if "GRAPHKIT_BOLT_PORT" in os.environ else 7688)
)


@dataclass
class Row:
    area: str
    what: str
    value: float | str
    unit: str = ""
    peer: str = ""
    peer_value: float | str | None = None
    higher_is_better: bool = True
    note: str = ""

    @property
    def ratio(self) -> str:
        if self.peer_value in (None, 0) or not isinstance(self.value, int | float):
            return ""
        ratio = self.value / self.peer_value
        return f"{ratio if self.higher_is_better else 1 / ratio:.1f}x"


def _fmt(value: float | str | None, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    number = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{number} {unit}".strip()


def table(rows: list[Row]) -> str:
    """The markdown table the suite prints and records in RESULTS.md."""
    lines = ["| area | what | graphkit | peer | peer value | ratio |", "|---|---|---|---|---|---|"]
    for row in rows:
        what = f"{row.what} ({row.note})" if row.note else row.what
        lines.append(
            f"| {row.area} | {what} | {_fmt(row.value, row.unit)} | {row.peer} | "
            f"{_fmt(row.peer_value, row.unit)} | {row.ratio} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """One line describing where the figures were measured."""
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem_gb:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average {load:.1f} at the start"
    )


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the wall time in seconds."""
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command; return (wall seconds, its peak RSS in MB).

    >>> wall, peak_mb = run_measured(["python3", "-c", "x = bytearray(50 * 2**20)"])
    >>> peak_mb > 50
    True
    """
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, command)
    return wall, usage.ru_maxrss / 1024


def naive_merge(db: Database, rows: list[dict]) -> None:
    """The peer people write first: one auto-commit MERGE per review with the official driver.

    ``rows`` are review rows as the feed has them (``ts`` an ISO 8601 string).
    """
    with db.driver.session(database=db.database) as session:
        for row in rows:
            session.run(
                "MATCH (a:Reviewer {reviewer_id: $reviewer_id}) "
                "MATCH (b:Product {product_id: $product_id}) "
                "MERGE (a)-[x:REVIEWED {review_id: $review_id}]->(b) "
                "SET x.rating = $rating, x.ts = datetime($ts), x.verified = $verified_purchase",
                row,
            ).consume()


def bench_env() -> dict[str, str]:
    """Environment for a separate managed Neo4j, so benchmarks never touch the user's data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(GRAPHKIT_HOME=str(BENCH_HOME), GRAPHKIT_BOLT_PORT=str(BENCH_PORT))
    heap, pagecache = SERVER_MEMORY["seed"]  # what the demo gives Neo4j at seed scale
    env.setdefault("GRAPHKIT_HEAP", heap)
    env.setdefault("GRAPHKIT_PAGECACHE", pagecache)
    return env


def bench_server() -> ManagedServer:
    """The benchmark's own managed server (started if needed)."""
    os.environ.update(bench_env())
    for key in [k for k in os.environ if k.startswith("NEO4J_")]:
        del os.environ[key]
    server = ManagedServer(load_settings())
    server.start(echo=lambda *_: None)
    return server


def fresh_database() -> Database:
    """An empty bench database: the server's data is wiped and it is started again."""
    server = bench_server()
    server.reset(echo=lambda *_: None)
    return Database(server.settings)
