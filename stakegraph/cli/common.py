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

    from stakegraph.views.terminal import SafeConsole

    stream = sys.stderr if stderr else sys.stdout
    # Piped output has no terminal width; wide tables of Chinese text need room.
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def echo(message: str, err: bool = False) -> None:
    """``click.echo`` for text that carries names or ids from a workspace.

    Control characters are shown as escapes (see
    :mod:`stakegraph.views.terminal_text`), so no name can act on the terminal.
    """
    from stakegraph.views.terminal_text import terminal_text

    click.echo(terminal_text(message), err=err)


def _fail(message: str, code: int = 1) -> None:
    # click.echo, not rich: messages must never be re-wrapped mid-path
    from stakegraph.views.terminal_text import terminal_text

    click.echo(click.style("error: ", fg="red", bold=True) + terminal_text(message), err=True)
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
                data: dict[str, Any] = {
                    "ok": False,
                    "problems": [p.to_dict() for p in exc.problems],
                }
                if exc.warnings:
                    data["warnings"] = [p.to_dict() for p in exc.warnings]
                click.echo(_json(data))
                sys.exit(1)
            n = len(exc.problems)
            head = f"{n} problem{'s' if n != 1 else ''} found; nothing was written."
            click.echo(click.style(head, fg="red", bold=True), err=True)
            for problem in exc.problems:
                echo(problem.format(), err=True)
            echo_warnings(exc.warnings)
            sys.exit(1)
        except StakegraphError as exc:
            # a usage error (a query parameter out of bounds) exits 2, as click's do
            _fail(str(exc), getattr(exc, "exit_code", 1))

    return wrapper


def echo_warnings(warnings: list) -> None:
    """Print warnings on stderr under their own heading, apart from errors."""
    if not warnings:
        return
    n = len(warnings)
    head = f"{n} warning{'s' if n != 1 else ''}:"
    click.echo(click.style(head, fg="yellow", bold=True), err=True)
    for problem in warnings:
        click.echo(problem.format(), err=True)


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


class LazyHelpOption(click.Option):
    """An option whose help text is made only when help is shown.

    Some help lists the words a field accepts, which come from the records; reading
    them at start-up would import pydantic and slow down every command.
    """

    def __init__(self, *args: Any, help_text: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._help_text = help_text

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self._help_text()
        return super().get_help_record(ctx)


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


def _set_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Make ``value`` the encoding CSV files are read in (None: detect it)."""
    import codecs

    if value is None:
        return  # detect, or keep what the group option was given
    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(
            f"'{value}' is not an encoding; try utf-8, gb18030, cp1252 or latin-1.", ctx, param
        ) from None
    from stakegraph.io.csv_folder import DEFAULT_ENCODING

    token = DEFAULT_ENCODING.set(value)
    # only for this run: a test runner or a caller in the same process starts afresh
    ctx.call_on_close(lambda: DEFAULT_ENCODING.reset(token))


def encoding_option(func: Callable) -> Callable:
    """``--encoding NAME``: the encoding of CSV files read (default: detect it)."""
    return click.option(
        "--encoding",
        metavar="NAME",
        default=None,
        expose_value=False,
        callback=_set_encoding,
        help="Encoding of CSV files read (e.g. cp1252, gb18030). Default: UTF-8, or "
        "GB18030 when the text is Chinese; anything else must be named.",
    )(func)
