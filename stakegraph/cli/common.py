"""What every command shares: dates, JSON, error handling, loading, common options.

Kept apart from :mod:`stakegraph.cli.main` so that command modules (interchange, Neo4j)
can use the same helpers without importing the main group.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def _today() -> dt.date:
    return dt.date.today()


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(
                f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28.", param, ctx
            )


DATE = _Date()


def _console(stderr: bool = False):
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output has no terminal width; wide tables of Chinese text need room.
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def _fail(message: str, code: int = 1) -> None:
    # click.echo, not rich: messages must never be re-wrapped mid-path
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
    sys.exit(code)


def handle_errors(func: Callable) -> Callable:
    """Turn stakegraph's own errors into one clear message and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from stakegraph.errors import StakegraphError, WorkspaceInvalid

        try:
            return func(*args, **kwargs)
        except WorkspaceInvalid as exc:
            if kwargs.get("as_json"):
                click.echo(_json({"ok": False, "problems": [p.to_dict() for p in exc.problems]}))
                sys.exit(1)
            n = len(exc.problems)
            head = f"{n} problem{'s' if n != 1 else ''} found; nothing was written."
            click.echo(click.style(head, fg="red", bold=True), err=True)
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            sys.exit(1)
        except StakegraphError as exc:
            # a usage error (a query parameter out of bounds) exits 2, as click's do
            _fail(str(exc), getattr(exc, "exit_code", 1))

    return wrapper


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def load(path: str | Path, quiet: bool = False):
    """Load a workspace, with a progress line on a terminal for large ones."""
    from stakegraph.io import load_workspace
    from stakegraph.progress import Progress

    with Progress("reading and validating records", quiet=quiet) as progress:
        return load_workspace(path, progress=progress.advance)


def as_of_option(func: Callable) -> Callable:
    return click.option(
        "--as-of",
        "as_of",
        type=DATE,
        default=None,
        help="Analysis date (YYYY-MM-DD): who holds each post on that day. Default: today.",
    )(func)


def json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(func)


def quiet_option(func: Callable) -> Callable:
    return click.option("--quiet", "-q", is_flag=True, help="No progress output.")(func)
