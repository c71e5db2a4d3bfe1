"""The ``stakegraph`` command: a thin click layer over the library.

Each command parses its arguments, calls one library function and prints the
result as a table (or JSON with ``--json``). Heavy libraries are imported inside
the commands so that ``stakegraph --help`` stays instant.
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

EPILOG = "Docs and examples: README.md. 中文术语见 GLOSSARY (决策链, 分管, 条块, 倒三角)."


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
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28.", param, ctx)


DATE = _Date()


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _fail(message: str, code: int = 1) -> None:
    # click.echo, not rich: messages must never be re-wrapped mid-path
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
    sys.exit(code)


def handle_errors(func: Callable) -> Callable:
    """Turn stakegraph's own errors into one clear message and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import StakegraphError, WorkspaceInvalid

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
            _fail(str(exc))

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
    from .io import load_workspace
    from .progress import Progress

    with Progress("loading records", quiet=quiet) as progress:
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


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(package_name="stakegraph")
def main() -> None:
    """stakegraph: map and analyse the decision chains (决策链) of government accounts.

    A workspace is a folder of YAML files (or CSV files, or one .xlsx workbook)
    describing organisations, posts, officials, our owners, relationships, ties
    (非正式组织) and opportunities. Start with `stakegraph init DIR`.
    """


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def init(directory: Path) -> None:
    """Write a commented starter workspace into DIRECTORY (must be new or empty).

    \b
    Example:
      stakegraph init my-account && stakegraph check my-account
    """
    from .starter import write_starter

    files = write_starter(directory)
    click.echo(f"Wrote a starter workspace to {directory}/ ({len(files)} files):")
    for path in files:
        click.echo(f"  {path.name}")
    click.echo(f"Edit the files, then run: stakegraph check {directory}")


@main.command()
@click.argument("workspace", type=click.Path(exists=True, path_type=Path))
@json_option
@quiet_option
@handle_errors
def check(workspace: Path, as_json: bool, quiet: bool) -> None:
    """Validate a workspace and list every problem (file, line or row, record, field).

    Exit code 0 only when the workspace is clean, 1 when problems were found.

    \b
    Example:
      stakegraph check examples/smart-city
    """
    ws = load(workspace, quiet=quiet or as_json)
    counts = {k: v for k, v in ws.counts().items()}
    if as_json:
        click.echo(_json({"ok": True, "problems": [], "counts": counts}))
        return
    total = sum(counts.values())
    detail = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    click.echo(f"OK: {workspace} is valid ({total} records: {detail}).")


@main.command()
@click.argument("workspace", type=click.Path(exists=True, path_type=Path))
@as_of_option
@click.option("--opportunity", "-o", help="Show only this opportunity's chain.")
@json_option
@quiet_option
@handle_errors
def show(workspace: Path, as_of: dt.date | None, opportunity: str | None, as_json: bool,
         quiet: bool) -> None:
    """Summarise a workspace: counts, organisations (条块 tree), decision chains.

    Each chain step lists its roles and who holds them on the --as-of date;
    vacant posts are marked (空缺).

    \b
    Example:
      stakegraph show examples/smart-city --as-of 2026-11-28
    """
    from .summary import chain_table, workspace_summary

    ws = load(workspace, quiet=quiet or as_json)
    day = as_of or _today()
    data = workspace_summary(ws, day)
    if opportunity:
        data["opportunities"] = [chain_table(ws, opportunity, day)]
    if as_json:
        click.echo(_json(data))
        return
    from .views import print_summary

    print_summary(_console(), data)


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.argument("destination", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "fmt",
    type=click.Choice(["yaml", "csv", "xlsx"]),
    default=None,
    help="Format to write. Default: xlsx for a *.xlsx destination, else yaml.",
)
@click.option(
    "--pseudonymise",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Replace officials' names, aliases and notes with stable keyed pseudonyms. "
    "KEYFILE holds the secret key; it is created if missing. Keep it private.",
)
@quiet_option
@handle_errors
def convert(source: Path, destination: Path, fmt: str | None, key_file: Path | None,
            quiet: bool) -> None:
    """Convert a workspace between YAML folder, CSV folder and .xlsx workbook.

    The source is validated first; nothing is written when it has problems, and
    an existing non-empty destination folder is never overwritten.

    \b
    Examples:
      stakegraph convert examples/smart-city book.xlsx
      stakegraph convert book.xlsx my-account --to csv
      stakegraph convert examples/smart-city shared/ --pseudonymise secret.key
    """
    from .io import save_workspace

    ws = load(source, quiet=quiet)
    if key_file is not None:
        from .io.pseudonymise import load_key, pseudonymise

        key, created = load_key(key_file)
        if created:
            click.echo(f"Created a new key in {key_file}; keep it private to map tokens back.",
                       err=True)
        ws = pseudonymise(ws, key)
    written = save_workspace(ws, destination, fmt)
    click.echo(f"Wrote {len(written)} file(s) to {destination}.")


if __name__ == "__main__":  # pragma: no cover
    main()
