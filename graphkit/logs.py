"""Logging for humans (rich) or schedulers (JSON lines). Never logs secrets.

>>> import json, logging
>>> record = logging.LogRecord("graphkit", logging.INFO, __file__, 1, "loaded %d rows", (5,), None)
>>> json.loads(JsonFormatter().format(record))["message"]
'loaded 5 rows'
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from rich.console import Console
from rich.logging import RichHandler

JSON_FIELDS = ("feed", "run_id", "rows", "rate", "status", "dropped")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: getattr(record, k) for k in JSON_FIELDS if hasattr(record, k)})
        return json.dumps(entry, default=str)


def configure(*, verbose: bool = False, json_lines: bool = False) -> None:
    """Route graphkit's logs to stderr: rich for terminals, JSON lines with ``json_lines``."""
    root = logging.getLogger("graphkit")
    root.handlers.clear()
    handler: logging.Handler
    if json_lines:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
    else:
        handler = RichHandler(console=Console(stderr=True), show_path=False, markup=False)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    logging.getLogger("neo4j").setLevel(logging.WARNING)


def json_mode() -> bool:
    """True when logs go out as JSON lines (progress bars stay off then)."""
    return any(
        isinstance(h.formatter, JsonFormatter) for h in logging.getLogger("graphkit").handlers
    )
