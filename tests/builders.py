"""What many tests share: the repository's folders, the analysis day of the examples,
scores for a relationship, a snapshot of files, and a way to run a command as a user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"
SMART_CITY = EXAMPLES / "smart-city"
HARBOR_COUNTY = EXAMPLES / "harbor-county"

#: The day the bundled examples are told on (their README and the report use it).
DAY = dt.date(2026, 11, 28)


def full_scores(value: float, **extra: Any) -> dict[str, Any]:
    """A relationship's six scores all at ``value``, with ``extra`` fields added (or a score
    overridden): ``Relationship(**full_scores(4, owner="rep", person="x"))``."""
    keys = ("acceptance", "participation", "information", "guidance", "support", "preference")
    return {k: value for k in keys} | extra


def snapshot(path: Path) -> dict[str, bytes]:
    """The bytes of a file, or of every file in a folder, by name: to show nothing changed."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def run_cli(args: Sequence[Any], command: Any = None, **kwargs: Any) -> Result:
    """Run ``stakegraph ARGS`` (or one command object) in-process; every argument as text."""
    if command is None:
        from stakegraph.cli.main import main as command
    return CliRunner().invoke(command, [str(a) for a in args], **kwargs)


def cli_runner(command: Any = None, **defaults: Any) -> Callable[..., Result]:
    """A ``run(*args, **kwargs)`` for a test module: :func:`run_cli` of ``command`` with the
    keyword arguments given here (``catch_exceptions=False``, ``env=``) on every call; those
    of a call win."""

    def run(*args: Any, **kwargs: Any) -> Result:
        return run_cli(args, command, **{**defaults, **kwargs})

    return run
