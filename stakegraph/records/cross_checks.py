"""What each check that spans records reads, declared beside the check.

A check's problems depend only on the records of the collections it reads (with
the settings, and where those records were read), so a cache can keep each
check's problems under the keys of the files holding those collections and run
again only the checks whose files changed (:mod:`stakegraph.io.cached_checks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from stakegraph.errors import Problem

if TYPE_CHECKING:  # the checks take a workspace; only its type is needed here
    from stakegraph.records.model import Record
    from stakegraph.records.workspace import Workspace

Check = Callable[["Workspace"], list[Problem]]
_C = TypeVar("_C", bound=Callable[..., list[Problem]])

#: The collections each check declared with :func:`reads`.
_DECLARED: dict[Callable[..., list[Problem]], tuple[str, ...]] = {}


class CrossCheck(NamedTuple):
    """One check that spans records: a name of its own, what it reads, the check."""

    name: str
    #: every collection whose records the check looks at (settings are always read)
    reads: tuple[str, ...]
    run: Check


def reads(*collections: str) -> Callable[[_C], _C]:
    """Declare the collections a check reads; the check itself is unchanged."""

    def declare(check: _C) -> _C:
        _DECLARED[check] = collections
        return check

    return declare


def declared(check: Check) -> CrossCheck:
    """The check with the collections it declared through :func:`reads`."""
    return CrossCheck(check.__name__.lstrip("_"), _DECLARED[check], check)


def located_problem(ws: Workspace, record: Record, path: tuple, message: str, hint: str) -> Problem:
    """A problem of ``record`` at the field ``path``, located where the record was read."""
    raw = ws.locations.get((record.collection, record.id))
    location = raw.locate(path) if raw else None
    dotted = ""
    for part in path:
        dotted += f"[{part}]" if isinstance(part, int) else ("." if dotted else "") + part
    return Problem(message, location, record.noun, record.id, dotted, hint)


__all__ = ["CrossCheck", "declared", "located_problem", "reads"]
