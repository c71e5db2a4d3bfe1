"""The cross-record checks through the cache: each check run again only when the files
holding the records it reads changed.

Each check declares the collections it reads
(:data:`stakegraph.records.validate.CROSS_CHECKS`); its problems are kept under a key
of the files holding those collections, the settings and the reading code, so an edit
of ``interactions.yaml`` runs again only the checks that read interactions, and never
reads the ties. All the checks' problems are one cache entry; the problems are
reported in the checks' order, as :func:`~stakegraph.records.validate.check_workspace`
reports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stakegraph.errors import Problem
from stakegraph.records.validate import CROSS_CHECKS
from stakegraph.records.workspace import Workspace

#: What the entry keeps: check name -> (the key its problems were found under, problems).
Kept = dict[str, tuple[bytes, list[Problem]]]


def checked(
    workspace: Workspace, kept: Any, key_of: Callable[[str, tuple[str, ...]], bytes]
) -> tuple[list[Problem], Kept | None]:
    """The problems of every cross-record check, from ``kept`` where its key is unchanged.

    Parameters
    ----------
    workspace
        The workspace as read; a check that runs reads only the collections it
        declared (those still pickled stay so).
    kept
        What the cache entry held (anything: a damaged or foreign entry is ignored).
    key_of
        The key of a check (its name and the collections it reads).

    Returns
    -------
    The problems, as :func:`~stakegraph.records.validate.check_workspace` gives them,
    and what to store in place of ``kept`` (None when nothing ran: keep it).

    Complexity: one key per check (a hash of a few file keys) plus the checks whose
    key changed, each as it costs without the cache (linear in what it reads).
    """
    previous = kept if _well_formed(kept) else {}
    problems: list[Problem] = []
    fresh: Kept = {}
    ran = len(previous) != len(CROSS_CHECKS)
    for check in CROSS_CHECKS:
        key = key_of(check.name, check.reads)
        stored = previous.get(check.name)
        if stored is not None and stored[0] == key:
            found = stored[1]
        else:
            found, ran = check.run(workspace), True
        fresh[check.name] = (key, found)
        problems += found
    return problems, fresh if ran else None


def _well_formed(kept: Any) -> bool:
    return isinstance(kept, dict) and all(
        isinstance(name, str)
        and isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], bytes)
        and isinstance(value[1], list)
        and all(isinstance(p, Problem) for p in value[1])
        for name, value in kept.items()
    )


__all__ = ["checked"]
