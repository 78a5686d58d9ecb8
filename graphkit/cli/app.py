"""The root Typer app, shared console and error handling used by every command module."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
import typer
from psycopg.conninfo import conninfo_to_dict
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from graphkit.errors import GraphkitError

console = Console(stderr=True)
out = Console()

app = typer.Typer(
    name="graphkit",
    help=(
        "Find linked fake-account rings in marketplaces with Neo4j.\n\n"
        "Start here: `graphkit demo` provisions Neo4j, generates a marketplace with planted "
        "rings, loads it, sweeps the query packs and writes HTML case files."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Show GraphkitErrors as `error: ... / next: ...` and exit with their code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GraphkitError as exc:
            console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            if exc.hint:
                console.print(f"[bold]next:[/] {exc.hint}", highlight=False)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def dsn_without_password(
    ctx: typer.Context, param: typer.CallbackParam, value: str | None
) -> str | None:
    """Refuse a PostgreSQL DSN that carries a password on the command line: every process
    on the machine can read another's arguments (``ps``). From the environment it is fine.

    Use as ``typer.Option(..., callback=dsn_without_password)``.
    """
    source = ctx.get_parameter_source(param.name or "")
    if value and source is not None and source.name == "COMMANDLINE":
        try:
            password = conninfo_to_dict(value).get("password")
        except psycopg.ProgrammingError:
            password = None  # not a DSN psycopg reads: the connection reports that
        if password:
            raise typer.BadParameter(
                "this DSN holds a password, and command-line arguments are visible to every "
                "process: set GRAPHKIT_PG_DSN instead, or keep the password in ~/.pgpass "
                "(or PGPASSFILE / PGPASSWORD)"
            )
    return value


def group(name: str, help: str) -> typer.Typer:
    """Create and register a sub-command group, e.g. ``group("neo4j", "...")``."""
    sub = typer.Typer(name=name, help=help, no_args_is_help=True, rich_markup_mode="markdown")
    app.add_typer(sub)
    return sub


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug detail to stderr."),
    log_json: bool = typer.Option(
        False, "--log-json", help="Log one JSON object per line (for schedulers)."
    ),
) -> None:
    from graphkit.logs import configure

    configure(verbose=verbose, json_lines=log_json)


def main() -> None:
    app(prog_name="graphkit")


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:>9,.0f} rows/s")


@contextmanager
def feed_progress() -> Iterator[Callable[[str, int, int | None], None] | None]:
    """A per-feed progress bar (rows, rate, ETA) on a terminal; ``None`` for logs/JSON mode.

    The callback takes ``(feed, rows_done_since_last_call, total_rows_or_None)``.
    """
    from graphkit.logs import json_mode

    if json_mode() or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
               _RateColumn(), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(feed: str, done: int, total: int | None) -> None:
            if feed not in tasks:
                tasks[feed] = bar.add_task(feed, total=total)
            bar.update(tasks[feed], advance=done)

        yield advance
