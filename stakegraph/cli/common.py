"""What every command shares: dates, JSON, error handling, loading, common options.

Kept apart from :mod:`stakegraph.cli.main` so that command modules (interchange, Neo4j)
can use the same helpers without importing the main group.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from stakegraph._gc import gc_paused


def _today() -> dt.date:
    return dt.date.today()


#: The days a command line accepts. Analyses add windows and due dates of up to
#: decades to a day, so a day near the end of the calendar (9999-12-31) would
#: overflow; no account work needs days outside these bounds.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        from stakegraph.records.fields import parse_day

        if isinstance(value, dt.date):
            day = value
        else:
            try:
                found = parse_day(str(value))
            except ValueError:
                found = None
            if found is None:
                self.fail(
                    f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28.", param, ctx
                )
            day = found
        if not FIRST_DAY <= day <= LAST_DAY:
            self.fail(
                f"{day.isoformat()} is out of range; give a day from {FIRST_DAY.isoformat()} "
                f"to {LAST_DAY.isoformat()}.",
                param,
                ctx,
            )
        return day


DATE = _Date()


class _RecordId(click.ParamType):
    """An id for a new record, checked as the records check it (no spaces, '/' or ':')."""

    name = "ID"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from stakegraph.records.model import ID_PATTERN

        text = str(value).strip()
        if not ID_PATTERN.match(text):
            self.fail(
                f"{value!r} is not a valid id: an id must not be empty or contain spaces, "
                "'/' or ':'; join words with '-', e.g. 2026-11-27-visit.",
                param,
                ctx,
            )
        return text


RECORD_ID = _RecordId()


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


def problem_line(problem: Any) -> str:
    """One problem on one line: a line break inside a quoted name is shown escaped, so
    every line of a problem list names its file."""
    from stakegraph.views.terminal_text import terminal_text

    return terminal_text(problem.format()).replace("\r", "\\r").replace("\n", "\\n")


def _fail(message: str, code: int = 1) -> None:
    # click.echo, not rich: messages must never be re-wrapped mid-path
    from stakegraph.views.terminal_text import terminal_text

    click.echo(click.style("error: ", fg="red", bold=True) + terminal_text(message), err=True)
    sys.exit(code)


#: Set to 1 to let unexpected errors through with their traceback (for debugging).
DEBUG_ENV = "STAKEGRAPH_DEBUG"

_OS_ADVICE = {
    errno.EACCES: "permission denied; check the permissions of the file and its folder, "
    "or choose another place",
    errno.EPERM: "operation not permitted; check the permissions of the file and its folder, "
    "or choose another place",
    errno.EROFS: "the file system is read-only; choose a writable place",
    errno.ENOSPC: "the disk is full; free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up; free some space and run the command again",
    errno.EFBIG: "the file grew larger than this system allows (file size limit); "
    "free some space or raise the limit and run the command again",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENOTDIR: "a part of this path is a file, not a folder; check the path",
    errno.EISDIR: "this is a folder; give a file name",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter one",
    errno.EMFILE: "too many open files; close other programs and run the command again",
}


def explain_error(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit status for an error a command did not handle.

    Parameters
    ----------
    exc : BaseException
        The error raised by a command.

    Returns
    -------
    tuple of (str, int)
        The message (naming the path or value and what to do) and the exit
        status: 1 for a runtime failure. Usage errors are click's own (status 2).
    """
    from stakegraph.errors import StakegraphError

    if isinstance(exc, StakegraphError):
        return str(exc), 1
    if isinstance(exc, OSError) and exc.errno is not None:
        return _explain_os_error(exc), 1
    if type(exc).__module__.split(".")[0] == "neo4j":
        # driver errors carry the server's message; credentials are never part of it
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"Neo4j: {text} ({type(exc).__name__}); check that the server runs, "
            "the URI (--uri or NEO4J_URI) and the credentials.",
            1,
        )
    if isinstance(exc, OverflowError):
        return (
            f"a date or number is out of range ({exc}); check dates near year 9999 "
            "or very large numbers in the workspace and its settings.",
            1,
        )
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (
        f"unexpected {type(exc).__name__}: {text[:300]}. This is a bug in stakegraph; "
        f"run again with {DEBUG_ENV}=1 to see where it happened and report it.",
        1,
    )


def _explain_os_error(exc: OSError) -> str:
    path = exc.filename
    advice = _OS_ADVICE.get(exc.errno or 0)
    if exc.errno == errno.EEXIST and path is not None and not Path(path).is_dir():
        advice = "this is a file, not a folder; choose another path"
    elif exc.errno == errno.EEXIST:
        advice = "already exists; choose another path or remove it first"
    if advice is None:
        advice = f"{exc.strerror or type(exc).__name__}; check the path and try again"
    if exc.filename2 is not None:
        path = f"{exc.filename} → {exc.filename2}"
    where = f"{path}: " if path is not None else ""
    return f"{where}{advice}."


def fail_on_error(exc: BaseException) -> None:
    """Print :func:`explain_error` for ``exc`` on stderr and exit (no traceback).

    With ``STAKEGRAPH_DEBUG=1`` in the environment the error is raised again instead.
    """
    import os

    if os.environ.get(DEBUG_ENV) == "1":
        raise exc
    message, code = explain_error(exc)
    _release_quietly(exc)
    _fail(message, code)


def _release_quietly(exc: BaseException) -> None:
    """Free what the failed command left half-built, without a second report.

    A workbook's streams or a zip file abandoned by a failed write are finalised
    when their frames go, and would repeat the same error as "Exception ignored"
    tracebacks; the one line printed for ``exc`` has said it already.
    """
    import gc
    import traceback

    previous = sys.unraisablehook
    sys.unraisablehook = _ignore_unraisable
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = previous


def _ignore_unraisable(unraisable: Any) -> None:
    return None


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
                click.echo(problem_line(problem), err=True)
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
        click.echo(problem_line(problem), err=True)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _keep_out_of_collections(workspace: Any) -> None:
    """Leave the objects alive now out of the cycle collector's passes while the command runs.

    A command holds its workspace until it ends, and the collector's passes over its
    millions of objects (which form no cycles) took seconds at 10^5 officials.
    They return to the collector when the command ends (for a caller that runs
    commands in its own process, such as a test).
    """
    from stakegraph._gc import freeze, unfreeze

    freeze()
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(unfreeze)


def load(path: str | Path, quiet: bool = False, warn: bool = True):
    """Load a workspace, with a progress line on a terminal for large ones.

    Other warnings are left to ``check``; but a stance written in a word whose
    meaning changed (支持者) gets, with ``warn``, one line on stderr pointing at
    ``check``, so no command carries the new meaning on silently.
    """
    from stakegraph.io import load_workspace
    from stakegraph.progress import Progress

    with Progress("reading and validating records", quiet=quiet) as progress, gc_paused():
        workspace = load_workspace(path, progress=progress.advance)
        _keep_out_of_collections(workspace)
    changed = [w for w in workspace.warnings if (w.field or "").endswith(".stance")]
    if warn and changed:
        n = len(changed)
        click.echo(
            click.style("warning: ", fg="yellow", bold=True)
            + f"{n} stance{'s' if n != 1 else ''} written 支持者 now read as supporter (before "
            f"0.2: champion); 'stakegraph check {path}' lists them and how to confirm.",
            err=True,
        )
    return settle_language(workspace)


def settle_language(workspace: Any) -> Any:
    """Fix the language of this run from the workspace, unless ``--lang`` chose it.

    Every view of the run then speaks it (:func:`stakegraph.views.language.
    current_language`); the choice is undone when the command ends.
    """
    from stakegraph.config import LANGUAGE
    from stakegraph.records.naming import workspace_language
    from stakegraph.views.language import MONEY, hold_money

    if LANGUAGE.get() is None:
        _hold_language(workspace_language(workspace))
    token = hold_money(workspace.settings)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().call_on_close(lambda: MONEY.reset(token))
    return workspace


def _hold_language(language: str) -> None:
    from stakegraph.config import LANGUAGE

    token = LANGUAGE.set(language)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        # only for this run: a test runner or a caller in the same process starts afresh
        ctx.find_root().call_on_close(lambda: LANGUAGE.reset(token))


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        _hold_language(value)


def language_option(func: Callable) -> Callable:
    """``--lang zh|en``: the language of every command's output, over the workspace's."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_language,
        help="Language of tables, reports and figures: zh (中文) or en. Default: the "
        "workspace's `language` setting, else the language of its names.",
    )(func)


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


_RELATION_KWARGS = ("relation_kinds", "relation_tags", "relation_sources", "min_confidence")


def relation_filter_options(func: Callable) -> Callable:
    """The relation filter every analysis takes, with one meaning everywhere.

    Adds ``--kind``, ``--tag``, ``--tie-source`` (each repeatable) and
    ``--min-confidence``, and hands the command one ``relations`` argument: a
    :class:`~stakegraph.graph.relation_filter.RelationFilter`, or None when no option
    was given (every tie, today's answers). A kind that is not a tie kind is refused
    with the list of kinds.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        chosen = {name: kwargs.pop(name) for name in _RELATION_KWARGS}
        kwargs["relations"] = _relation_filter(**chosen)
        return func(*args, **kwargs)

    options = [
        click.option(
            "--kind",
            "relation_kinds",
            multiple=True,
            metavar="KIND",
            help="Only ties of this kind (classmate, former_colleague, hometown, mentor, "
            "family, friend, other, or their Chinese names); repeat for several. "
            "Default: every kind.",
        ),
        click.option(
            "--tag",
            "relation_tags",
            multiple=True,
            metavar="TAG",
            help="Only ties carrying this tag; repeat to keep ties carrying any of them.",
        ),
        click.option(
            "--tie-source",
            "relation_sources",
            multiple=True,
            metavar="SOURCE",
            help="Only ties whose source is this; repeat for several.",
        ),
        click.option(
            "--min-confidence",
            "min_confidence",
            type=click.FloatRange(0.0, 1.0),
            default=0.0,
            show_default=True,
            help="Only ties whose confidence is at least this (a tie at the minimum is kept).",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _relation_filter(
    relation_kinds: tuple[str, ...],
    relation_tags: tuple[str, ...],
    relation_sources: tuple[str, ...],
    min_confidence: float,
) -> Any:
    """The relation filter of the options, or None when none was given."""
    if not (relation_kinds or relation_tags or relation_sources or min_confidence):
        return None
    from stakegraph.errors import StakegraphError
    from stakegraph.graph.relation_filter import RelationFilter
    from stakegraph.records.model import TieKind

    for kind in relation_kinds:
        try:
            TieKind(kind)
        except ValueError:
            known = ", ".join(k.value for k in TieKind)
            raise StakegraphError(
                f"--kind '{kind}' is not a tie kind; choose from {known}."
            ) from None
    return RelationFilter.of(relation_kinds, relation_tags, relation_sources, min_confidence)


def brokerage_option(func: Callable) -> Callable:
    """``--brokerage auto|directed|undirected``: the graph of betweenness (None: the setting)."""
    return click.option(
        "--brokerage",
        "brokerage_graph",
        type=click.Choice(("auto", "directed", "undirected")),
        default=None,
        help="Betweenness on the directed tie graph (u → v: u defers to v) or the "
        "undirected person graph. auto (the [ties] brokerage setting's default): directed "
        "when every --kind kept is advice-like ([ties] directed_kinds, default mentor).",
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


def _set_cache(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Read workspaces through their cache unless ``--no-cache`` was given."""
    from stakegraph.caching import USE_CACHE

    token = USE_CACHE.set(not value)
    ctx.call_on_close(lambda: USE_CACHE.reset(token))


def cache_option(func: Callable) -> Callable:
    """``--no-cache``: read and validate every file, neither using nor writing the cache."""
    return click.option(
        "--no-cache",
        is_flag=True,
        envvar="STAKEGRAPH_NO_CACHE",
        show_envvar=True,
        expose_value=False,
        callback=_set_cache,
        help="Read and validate every workspace file, without the cache of validated records "
        "(.stakegraph-cache/ in the workspace folder); the cache is neither read nor written.",
    )(func)


class SafePath(click.Path):
    """``click.Path`` that refuses a NUL character, which no file system accepts.

    Checking such a path would raise a ValueError from the operating system call
    instead of a usage message.
    """

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            self.fail(f"{value!r} holds a NUL character, which no path can.", param, ctx)
        return super().convert(value, param, ctx)
