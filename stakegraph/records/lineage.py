"""Lineage of government structure (机构改革): what reforms did to organisations and posts.

A :class:`~stakegraph.records.model.Reform` links predecessors to successors on a
day. This module answers the questions the rest of the package asks of it, and
checks reforms against the lifetimes they join.

The rules
---------
- A predecessor either *ceases* on the reform day (its exclusive ``end`` is the
  day) or *lives on* across it (it was live the day before and is live on the
  day: it gives up functions). A ``rename`` or ``abolish`` predecessor must
  cease. Any other end is a problem.
- A successor is live on the reform day: it starts that day, or it existed
  and absorbs the predecessors. A ``rename`` successor starts on the day.
- A post that has ceased stands, on a later day, for the posts its reforms
  gave it to, transitively: a split with ``continued_by`` to that successor
  only, otherwise to every successor. A post that ceased without a reform
  naming it (abolished without successor) and a post not created yet stand
  for nothing: a chain naming them is a problem (see
  :func:`stakegraph.graph.chains.chain_problems`). Organisations follow the same
  rule for naming; posts never follow their organisation's lineage
  implicitly: write the post's own reform.
- A person holding a predecessor post until the reform day who holds a
  successor post from that day continues one career: :func:`career_start` runs
  back across the reform, and neither side of it is a rotation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from stakegraph.errors import Problem
from stakegraph.records.cross_checks import located_problem, reads
from stakegraph.records.model import Reform, ReformKind, ReformScope, Tenure, term_zh

if TYPE_CHECKING:  # the workspace calls these checks, so only its type is needed here
    from stakegraph.records.workspace import Lifetime, Workspace


def lifetime(ws: Workspace, scope: ReformScope, record_id: str) -> Lifetime:
    """(start, end) of an organisation or a post (a post's within its organisation's)."""
    if scope == ReformScope.POSTS:
        return ws.post_lifetime(record_id)
    org = ws.organisations[record_id]
    return org.start, org.end


def _live(bounds: Lifetime, day: dt.date) -> bool:
    start, end = bounds
    return (start is None or start <= day) and (end is None or day < end)


def reforms_from(ws: Workspace, scope: ReformScope) -> dict[str, list[Reform]]:
    """Predecessor id -> the reforms of ``scope`` naming it, by day. O(reforms)."""
    index: dict[str, list[Reform]] = defaultdict(list)
    for reform in ws.reforms.values():
        if reform.of == scope:
            for rid in reform.predecessors:
                index[rid].append(reform)
    for items in index.values():
        items.sort(key=lambda r: (r.day, r.id))
    return dict(index)


def stands_for(
    ws: Workspace,
    record_id: str,
    day: dt.date,
    scope: ReformScope = ReformScope.POSTS,
) -> tuple[str, ...]:
    """The live records that stand for ``record_id`` on ``day``, following lineage.

    Definition
    ----------
    A record live on ``day`` stands for itself. One that has ceased stands for
    the targets of the reforms dated on or before ``day`` that name it as a
    predecessor (``continued_by`` when set, otherwise every successor), each
    replaced in turn by what it stands for, in reform and list order, without
    repeats. A record not created yet, or ceased without a reform, stands for
    nothing (an empty tuple).

    Parameters
    ----------
    ws : Workspace
    record_id : str
        A post id (or an organisation id with ``scope``).
    day : datetime.date
    scope : ReformScope
        Posts (the default) or organisations.

    Returns
    -------
    tuple of str

    Complexity
    ----------
    O(reforms) for the index plus O(records reached).

    Examples
    --------
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> stands_for(sample_workspace(), "director", SAMPLE_DAY)
    ('director',)
    """
    index = reforms_from(ws, scope) if ws.reforms else {}
    out: list[str] = []
    seen: set[str] = set()

    def visit(rid: str) -> None:
        if rid in seen:
            return
        seen.add(rid)
        known = ws.posts if scope == ReformScope.POSTS else ws.organisations
        if rid not in known:
            return
        bounds = lifetime(ws, scope, rid)
        if _live(bounds, day):
            out.append(rid)
            return
        if bounds[0] is not None and day < bounds[0]:
            return
        for reform in index.get(rid, ()):
            if reform.day > day:
                break
            for target in [reform.continued_by] if reform.continued_by else reform.successors:
                visit(target)

    visit(record_id)
    return tuple(out)


def ancestors(ws: Workspace, post_id: str) -> list[str]:
    """The posts whose lineage leads to ``post_id`` (predecessors, theirs, ...), nearest first.

    O(reforms) per step back; empty in a workspace without reforms of posts.
    """
    out: list[str] = []
    frontier = [post_id]
    while frontier:
        current = frontier.pop(0)
        for reform in ws.reforms.values():
            if reform.of != ReformScope.POSTS or current not in reform.successors:
                continue
            for rid in reform.predecessors:
                if rid != post_id and rid not in out:
                    out.append(rid)
                    frontier.append(rid)
    return out


def _reforms_into(ws: Workspace, post_id: str, day: dt.date) -> list[Reform]:
    return [
        r
        for r in ws.reforms.values()
        if r.of == ReformScope.POSTS and r.day == day and post_id in r.successors
    ]


def continued_from(
    ws: Workspace, person_id: str, post_id: str, start: dt.date | None
) -> Tenure | None:
    """The person's tenure on a predecessor post that their tenure starting ``start`` continues.

    A tenure on ``post_id`` starting on the day of a reform of posts that has
    ``post_id`` as a successor continues the same person's tenure on one of its
    predecessors ending that day. None when there is no such tenure. O(reforms +
    tenures of the person).
    """
    if start is None or not ws.reforms or person_id not in ws.persons:
        return None
    tenures = ws.persons[person_id].tenures
    for reform in _reforms_into(ws, post_id, start):
        for tenure in tenures:
            if tenure.post in reform.predecessors and tenure.end == start:
                return tenure
    return None


def continued_on(ws: Workspace, person_id: str, post_id: str, end: dt.date | None) -> str | None:
    """The successor post on which the person goes on after their tenure ending ``end``.

    The mirror of :func:`continued_from`: None when the tenure ending on ``end``
    is a real departure. O(reforms + tenures of the person).
    """
    if end is None or not ws.reforms or person_id not in ws.persons:
        return None
    for reform in ws.reforms.values():
        if reform.of != ReformScope.POSTS or reform.day != end:
            continue
        if post_id not in reform.predecessors:
            continue
        for tenure in ws.persons[person_id].tenures:
            if tenure.post in reform.successors and tenure.start == end:
                return tenure.post
    return None


def career_start(ws: Workspace, person_id: str, post_id: str, tenure: Tenure) -> dt.date | None:
    """When the person's career on a post began, run back across reforms.

    Definition
    ----------
    The tenure's own start, unless it continues a tenure on a predecessor post
    (:func:`continued_from`); then that tenure's career start, transitively.

    Examples
    --------
    >>> from stakegraph.records.sample import sample_workspace
    >>> ws = sample_workspace()
    >>> tenure = ws.persons["wang"].tenures[0]
    >>> career_start(ws, "wang", tenure.post, tenure) == tenure.start
    True
    """
    seen: set[int] = set()
    current, post = tenure, post_id
    while id(current) not in seen:
        seen.add(id(current))
        earlier = continued_from(ws, person_id, post, current.start)
        if earlier is None:
            break
        current, post = earlier, earlier.post
    return current.start


def reforms_between(ws: Workspace, after: dt.date, until: dt.date) -> list[Reform]:
    """The reforms dated in (``after``, ``until``], by day then id. O(reforms log reforms)."""
    found = [r for r in ws.reforms.values() if after < r.day <= until]
    return sorted(found, key=lambda r: (r.day, r.of.value, r.id))


def ceases(ws: Workspace, reform: Reform, record_id: str) -> bool:
    """Whether a predecessor ends on the reform day (otherwise it gives up functions)."""
    return lifetime(ws, reform.of, record_id)[1] == reform.day


# --- checks ------------------------------------------------------------------------------


@reads("reforms", "posts", "organisations")
def check_lineage(ws: Workspace) -> list[Problem]:
    """Located problems of the reforms: cycles, and days outside the lifetimes they join.

    Unknown ids are reported with every other reference
    (:func:`~stakegraph.records.model.record_references`). O(reforms + ids named).
    """
    problems: list[Problem] = []
    for reform in ws.reforms.values():
        shape = _check_shape(ws, reform)
        problems += shape if shape else _check_days(ws, reform)
    problems += _check_cycles(ws)
    return problems


_REFORM_SHAPES: dict[ReformKind, tuple[int, int | None, int, int | None, str]] = {
    # kind: (least, most predecessors, least, most successors, what the kind needs)
    ReformKind.RENAME: (1, 1, 1, 1, "one predecessor and one successor"),
    ReformKind.MERGE: (2, None, 1, None, "two or more predecessors and a successor"),
    ReformKind.SPLIT: (1, 1, 2, None, "one predecessor and two or more successors"),
    ReformKind.TRANSFER: (1, None, 1, None, "a predecessor and a successor"),
    ReformKind.ABOLISH: (1, None, 0, 0, "predecessors and no successor"),
}


def _check_shape(ws: Workspace, reform: Reform) -> list[Problem]:
    """How many predecessors and successors the kind takes, each named once."""
    low_p, high_p, low_s, high_s, needs = _REFORM_SHAPES[reform.kind]
    n_p, n_s = len(reform.predecessors), len(reform.successors)
    fits_p = low_p <= n_p and (high_p is None or n_p <= high_p)
    fits_s = low_s <= n_s and (high_s is None or n_s <= high_s)
    if not (fits_p and fits_s):
        return [
            located_problem(
                ws,
                reform,
                ("predecessors",) if not fits_p else ("successors",),
                f"a {reform.kind.value} names {n_p} predecessor(s) and {n_s} successor(s).",
                f"a {reform.kind.value} ({term_zh(ReformKind, reform.kind)}) takes {needs}; "
                "correct the lists or the kind.",
            )
        ]
    for side in ("predecessors", "successors"):
        ids: list[str] = getattr(reform, side)
        for index, rid in enumerate(ids):
            if rid in ids[:index]:
                return [
                    located_problem(
                        ws,
                        reform,
                        (side, index),
                        f"'{rid}' is named twice among the {side}.",
                        "name each predecessor and successor once.",
                    )
                ]
    for index, rid in enumerate(reform.successors):
        if rid in reform.predecessors:
            return [
                located_problem(
                    ws,
                    reform,
                    ("successors", index),
                    f"'{rid}' is both a predecessor and a successor.",
                    "a record that absorbs others is a successor only (its lifetime runs "
                    "across the day); name it once.",
                )
            ]
    if reform.continued_by and reform.continued_by not in reform.successors:
        return [
            located_problem(
                ws,
                reform,
                ("continued_by",),
                f"continued_by '{reform.continued_by}' is not one of the successors.",
                "name one of the successors, or leave 'continued_by' empty.",
            )
        ]
    return []


def _known(ws: Workspace, reform: Reform, rid: str) -> bool:
    return rid in (ws.posts if reform.of == ReformScope.POSTS else ws.organisations)


def _check_days(ws: Workspace, reform: Reform) -> list[Problem]:
    out = []
    day = reform.day
    noun = "post" if reform.of == ReformScope.POSTS else "organisation"
    must_cease = reform.kind in (ReformKind.RENAME, ReformKind.ABOLISH)
    for index, rid in enumerate(reform.predecessors):
        if not _known(ws, reform, rid):
            continue
        start, end = lifetime(ws, reform.of, rid)
        ok_start = start is None or start < day
        ok_end = end == day if must_cease else (end is None or end >= day)
        if ok_start and ok_end:
            continue
        span = _span(start, end)
        need = (
            f"a {reform.kind.value} ends its predecessor on the reform day"
            if must_cease
            else "a predecessor is live the day before the reform and either ends on "
            "its day or lives on"
        )
        out.append(
            located_problem(
                ws,
                reform,
                ("predecessors", index),
                f"the reform day {day} is outside the lifetime of predecessor {noun} "
                f"'{rid}' ({span}): {need}.",
                f"set the {noun}'s 'end' to {day} (or correct the reform's 'day').",
            )
        )
    for index, rid in enumerate(reform.successors):
        if not _known(ws, reform, rid):
            continue
        start, end = lifetime(ws, reform.of, rid)
        ok = (start == day) if reform.kind == ReformKind.RENAME else _live((start, end), day)
        if ok:
            continue
        need = "starts on the reform day" if reform.kind == ReformKind.RENAME else "is live on it"
        out.append(
            located_problem(
                ws,
                reform,
                ("successors", index),
                f"the reform day {day} is outside the lifetime of successor {noun} "
                f"'{rid}' ({_span(start, end)}): the successor of a {reform.kind.value} {need}.",
                f"set the {noun}'s 'start' to {day} (or correct the reform's 'day').",
            )
        )
    return out


def _check_cycles(ws: Workspace) -> list[Problem]:
    """A lineage that leads back to where it began, reported once at its first reform."""
    out = []
    for scope in ReformScope:
        edges: dict[str, list[tuple[str, Reform]]] = defaultdict(list)
        for reform in ws.reforms.values():
            if reform.of == scope:
                for p in reform.predecessors:
                    for s in reform.successors:
                        edges[p].append((s, reform))
        reported: set[str] = set()
        for reform in ws.reforms.values():
            if reform.of != scope or reform.id in reported:
                continue
            loop = _loop_through(edges, reform)
            if loop is None:
                continue
            reported.update(r.id for r in loop[1])
            path = " → ".join(loop[0])
            out.append(
                located_problem(
                    ws,
                    reform,
                    ("successors",),
                    f"the lineage forms a cycle: {path} (reforms "
                    f"{', '.join(sorted({r.id for r in loop[1]}))}).",
                    "a record cannot succeed itself; correct the predecessors or successors "
                    "of one of these reforms.",
                )
            )
    return out


def _loop_through(
    edges: dict[str, list[tuple[str, Reform]]], reform: Reform
) -> tuple[list[str], list[Reform]] | None:
    """A path from a successor of ``reform`` back to one of its predecessors, if any."""
    starts = set(reform.predecessors)
    for first in reform.successors:
        stack: list[tuple[str, list[str], list[Reform]]] = [(first, [first], [reform])]
        seen: set[str] = set()
        while stack:
            node, path, via = stack.pop()
            if node in starts:
                return [node, *path], via
            if node in seen:
                continue
            seen.add(node)
            for nxt, r in edges.get(node, ()):
                stack.append((nxt, [*path, nxt], [*via, r]))
    return None


def _span(first: dt.date | None, after: dt.date | None) -> str:
    if first and after:
        return f"from {first} until {after}"
    if first or after:
        return f"from {first}" if first else f"until {after}"
    return "no dates"
