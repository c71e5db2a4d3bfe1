"""Checks that span records: references, seats, cycles, self-ties, step ids.

Every check runs in time linear in the workspace (plus sorting tenures per post),
so validating 10^5 officials stays fast. Each returns located :class:`Problem` s.
:data:`CROSS_CHECKS` lists them in the order they report, each with the record kinds
it reads (declared with :func:`~stakegraph.records.cross_checks.reads`), so the cache
runs again only the checks whose kinds changed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stakegraph.errors import WARNING, Problem
from stakegraph.records.cross_checks import CrossCheck, declared, located_problem, reads
from stakegraph.records.lineage import check_lineage, stands_for
from stakegraph.records.model import (
    RECORD_BY_COLLECTION,
    RECORD_TYPES,
    Record,
    Reform,
    ReformScope,
    record_references,
)
from stakegraph.records.period_checks import check_period_targets, check_periods, span_text
from stakegraph.records.periods import Period

if TYPE_CHECKING:  # the workspace calls these checks, so only its type is needed here
    from stakegraph.records.workspace import Workspace


def check_workspace(workspace: Workspace) -> list[Problem]:
    """Run every cross-record check; return all problems (empty when clean)."""
    problems: list[Problem] = []
    for check in CROSS_CHECKS:
        problems += check.run(workspace)
    return problems


def _walk(value: Any, parts: list[str], path: tuple) -> Iterator[tuple[tuple, str]]:
    """Yield (path, referenced id) for a dotted reference spec inside a record."""
    if value is None:
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, parts, (*path, index))
        return
    if not parts:
        if isinstance(value, str) and value:
            yield path, value
        elif isinstance(value, Period):
            yield (*path, value.value_field), value.value
        return
    head, rest = parts[0], parts[1:]
    yield from _walk(getattr(value, head, None), rest, (*path, head))


def _check_references(ws: Workspace, collection: str) -> list[Problem]:
    """References from the records of one collection to records that do not exist."""
    problems = []
    for record in ws.records[collection].values():
        for spec, target in record_references(record).items():
            parts = spec.split(".")
            for path, ref in _walk(getattr(record, parts[0], None), parts[1:], (parts[0],)):
                if ref in ws.records[target] or (target, ref) in ws.invalid_ids:
                    continue
                noun = RECORD_BY_COLLECTION[target].noun
                article = "an" if noun[0] in "aeiou" else "a"
                missing = located_problem(
                    ws,
                    record,
                    path,
                    f"refers to {noun} '{ref}', which does not exist.",
                    f"add {article} {noun} with id '{ref}' to {target}, or correct the id.",
                )
                problems.append(replace(missing, refers_to=target))
    return problems


def _references_of(cls: type[Record]) -> CrossCheck:
    # a reform names posts or organisations, as its 'of' says
    targets = [s.value for s in ReformScope] if cls is Reform else cls.references.values()
    reads = (cls.collection, *sorted(set(targets) - {cls.collection}))
    return CrossCheck(
        f"references of {cls.collection}",
        reads,
        functools.partial(_check_references, collection=cls.collection),
    )


def seat_problems(ws: Workspace, post_id: str) -> list[Problem]:
    """The seat problems of one post, as :func:`check_workspace` reports them."""
    return _check_seats(ws, post_id)


@reads("persons", "posts")
def _check_seats(ws: Workspace, only: str | None = None) -> list[Problem]:
    """No more holders at once than a post has seats (a single-seat post: one).

    A tenure on leave does not take a seat; an acting tenure does. When a new
    holder would exceed the seats only because predecessors are still in their
    last ``[structure] handover_days`` days (each leaves before the newcomer does),
    that is a handover overlap: one warning per predecessor with the overlap in
    days. Any other excess is an error. O(Σ tenures of a post × its seats) after
    sorting each post's tenures by start.
    """
    problems = []
    limit = ws.settings.structure.handover_days
    by_post: dict[str, list[tuple[dt.date, dt.date, str, int, bool]]] = defaultdict(list)
    for person in ws.persons.values():
        for index, tenure in enumerate(person.tenures):
            if tenure.on_leave or (only is not None and tenure.post != only):
                continue
            start = tenure.start or dt.date.min
            end = tenure.end or dt.date.max
            by_post[tenure.post].append((start, end, person.id, index, tenure.acting))
    for post_id, spans in by_post.items():
        post = ws.posts.get(post_id)
        if post is None:
            continue
        spans.sort()
        active: list[tuple[dt.date, str, int, dt.date, bool]] = []
        for start, end, pid, index, acting in spans:
            active = [a for a in active if a[0] > start]
            others = [a for a in active if a[1] != pid]
            if len(others) + 1 > post.seats:
                handing = [a for a in others if _hands_over(a, start, end, limit)]
                if len(others) - len(handing) + 1 <= post.seats:
                    problems += [_handover(ws, post, pid, index, start, a) for a in handing]
                else:
                    problems.append(_overfull(ws, post, pid, index, start, acting, others))
            active.append((end, pid, index, start, acting))
    return problems


def _hands_over(
    held: tuple[dt.date, str, int, dt.date, bool], start: dt.date, end: dt.date, limit: int
) -> bool:
    """Whether a held tenure is a predecessor in its last ``limit`` days at ``start``."""
    held_end, _, _, held_start, _ = held
    return (
        held_end != dt.date.max
        and held_start < start
        and held_end < end
        and (held_end - start).days <= limit
    )


def _seat(post: Record, post_id: str) -> str:
    seats = getattr(post, "seats", 1)
    return f"single-seat post '{post_id}'" if seats == 1 else f"post '{post_id}' ({seats} seats)"


def _handover(
    ws: Workspace,
    post: Record,
    pid: str,
    index: int,
    start: dt.date,
    held: tuple[dt.date, str, int, dt.date, bool],
) -> Problem:
    days = (held[0] - start).days
    problem = located_problem(
        ws,
        ws.persons[pid],
        ("tenures", index),
        f"handover overlap of {days} day{'s' if days != 1 else ''}: takes over "
        f"{_seat(post, post.id)} on {start.isoformat()} while {held[1]} still holds it "
        f"(end {held[0].isoformat()}).",
        f"if the handover was on one day, write that day as {held[1]}'s 'end' and this "
        "'start'; otherwise nothing to fix.",
    )
    return replace(problem, severity=WARNING)


def _overfull(
    ws: Workspace,
    post: Record,
    pid: str,
    index: int,
    start: dt.date,
    acting: bool,
    others: list[tuple[dt.date, str, int, dt.date, bool]],
) -> Problem:
    holders = ", ".join(sorted({a[1] for a in others}))
    verb = "s" if len(others) == 1 else ""
    if acting:
        message = (
            f"acts for {_seat(post, post.id)} from {_day(start)} while {holders} "
            f"still hold{verb} it."
        )
        hint = (
            "end the acting tenure when the post is filled, or mark the holder's tenure "
            "'on_leave: true' for the days they are away."
        )
    elif any(a[4] for a in others):
        message = (
            f"holds {_seat(post, post.id)} from {_day(start)} while {holders} "
            f"still act{verb} for it."
        )
        hint = "end the acting tenure the day before this one starts, or raise the post's 'seats'."
    else:
        message = (
            f"holds {_seat(post, post.id)} from {_day(start)} while {holders} still hold{verb} it."
        )
        hint = "end the earlier tenure before this one starts, or raise the post's 'seats'."
    return located_problem(ws, ws.persons[pid], ("tenures", index), message, hint)


@reads("posts", "organisations", "persons")
def _check_lifetimes(ws: Workspace) -> list[Problem]:
    """Posts inside their organisation's lifetime, tenures inside their post's.

    A missing date is read as the enclosing record's (a post with no ``start``
    exists from its organisation's start), so only a date written outside the
    enclosing lifetime is a problem. O(posts + tenures).
    """
    problems = []
    for post in ws.posts.values():
        org = ws.organisations.get(post.org)
        if org is None or (org.start is None and org.end is None):
            continue
        span = span_text(org.start, org.end)
        for name, day in (("start", post.start), ("end", post.end)):
            if day is not None and _outside(day, name, org.start, org.end):
                problems.append(
                    located_problem(
                        ws,
                        post,
                        (name,),
                        f"{name} {day} is outside the lifetime of its organisation "
                        f"'{org.id}' ({span}).",
                        f"correct the post's '{name}', or the organisation's dates; leave "
                        "it out to follow the organisation's.",
                    )
                )
    for person in ws.persons.values():
        for index, tenure in enumerate(person.tenures):
            if tenure.post not in ws.posts:
                continue
            first, after = ws.post_lifetime(tenure.post)
            if first is None and after is None:
                continue
            for name, day in (("start", tenure.start), ("end", tenure.end)):
                if day is not None and _outside(day, name, first, after):
                    problems.append(
                        located_problem(
                            ws,
                            person,
                            ("tenures", index, name),
                            f"{name} {day} is outside the lifetime of post "
                            f"'{tenure.post}' ({span_text(first, after)}).",
                            "correct the tenure's date, or the post's (or its "
                            "organisation's) 'start'/'end'.",
                        )
                    )
    return problems


def _outside(day: dt.date, name: str, first: dt.date | None, after: dt.date | None) -> bool:
    """A start must fall on a live day; an end (exclusive) may be the first day after."""
    if name == "start":
        return (first is not None and day < first) or (after is not None and day >= after)
    return (first is not None and day <= first) or (after is not None and day > after)


def _day(day: dt.date) -> str:
    return "the start" if day == dt.date.min else day.isoformat()


def _check_cycles(ws: Workspace, collection: str, field: str, what: str) -> list[Problem]:
    """Report each cycle of a parent-like field once, at its first member in file order.

    A field with dated values must be free of cycles on every day. A cycle holds
    from the day its last line begins: before the first dated start (every plain
    line and every dated one open at the start), or on the ``start`` of one of its
    dated entries. So the whole graph is searched once, as it stands before any
    dated start, and then on each day an entry starts, only from the records whose
    entries start that day (lines that end remove edges and close no cycle). A
    cycle names the first day it holds. O(records + Σ starts × reach), where the
    reach of a record is what its lines lead to that day (a few levels up).
    """
    records = ws.records[collection]
    starting: dict[dt.date, list[str]] = defaultdict(list)
    for rid, record in records.items():
        value = getattr(record, field)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, Period) and item.start is not None:
                    starting[item.start].append(rid)
    if not starting:
        return _cycles_on(ws, collection, field, what, None, set())
    seen: set[frozenset[str]] = set()
    problems = _cycles_on(ws, collection, field, what, dt.date.min, seen)
    for day in sorted(starting):
        problems += _cycles_on(ws, collection, field, what, day, seen, starting[day])
    return problems


def _targets(value: Any, day: dt.date | None) -> list[str]:
    items = value if isinstance(value, list) else ([value] if value else [])
    return [
        t if isinstance(t, str) else t.value
        for t in items
        if isinstance(t, str) or day is None or t.holds_on(day)
    ]


def _cycles_on(
    ws: Workspace,
    collection: str,
    field: str,
    what: str,
    day: dt.date | None,
    seen: set[frozenset[str]],
    roots: list[str] | None = None,
) -> list[Problem]:
    """Cycles of ``field`` on ``day`` reachable from ``roots`` (default: every record)."""
    records = ws.records[collection]

    def lines(rid: str) -> Iterator[str]:
        return iter([t for t in _targets(getattr(records[rid], field), day) if t in records])

    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    problems = []
    for root in records if roots is None else roots:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, lines(root))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if state.get(child) == 1:
                cycle = path[path.index(child) :] + [child]
                if frozenset(cycle) in seen:
                    continue
                seen.add(frozenset(cycle))
                first = min(cycle[:-1], key=lambda r: list(records).index(r))
                when = "" if day in (None, dt.date.min) else f" from {day.isoformat()}"
                problems.append(
                    located_problem(
                        ws,
                        records[first],
                        (field,),
                        f"{what} cycle{when}: {' → '.join(cycle)}.",
                        f"break the cycle by correcting '{field}' in one of these records"
                        + (" (or the dates of its entries)." if when else "."),
                    )
                )
            elif child not in state:
                state[child] = 1
                stack.append((child, lines(child)))
                path.append(child)
    return problems


@reads("ties")
def _check_ties(ws: Workspace) -> list[Problem]:
    return [
        located_problem(
            ws, tie, ("b",), "a tie links a person to themself.", "name two different persons."
        )
        for tie in ws.ties.values()
        if tie.a == tie.b
    ]


@reads("assessments", "relationships", "owners", "persons")
def _check_assessments(ws: Workspace) -> list[Problem]:
    # An assessment re-scores an existing relationship; on its own it would be a
    # relationship without the fields (responsible, since, target) that make one.
    pairs = {(r.owner, r.person) for r in ws.relationships.values()}
    return [
        located_problem(
            ws,
            item,
            ("person",),
            f"there is no relationship between owner '{item.owner}' and person "
            f"'{item.person}' to re-assess.",
            "add the relationship to relationships.yaml first, or correct owner/person.",
        )
        for item in ws.assessments.values()
        if (item.owner, item.person) not in pairs
        and item.owner in ws.owners
        and item.person in ws.persons
    ]


@reads("relationships")
def _check_backups(ws: Workspace) -> list[Problem]:
    """A backup owner (B角) stands beside the responsible owner (A角): it is written on
    the responsible relationship and names another owner. O(relationships)."""
    problems = []
    for rel in ws.relationships.values():
        if not rel.backup:
            continue
        if rel.backup == rel.owner:
            problems.append(
                located_problem(
                    ws,
                    rel,
                    ("backup",),
                    f"backup owner '{rel.backup}' is the relationship's own owner.",
                    "name another of our owners as B角, one who can take the person over.",
                )
            )
        elif not rel.responsible:
            problems.append(
                located_problem(
                    ws,
                    rel,
                    ("backup",),
                    f"backup owner '{rel.backup}' is written on a relationship that is not "
                    "the responsible one.",
                    "move 'backup' to the relationship marked 'responsible: true' for "
                    f"'{rel.person}', or mark this one responsible.",
                )
            )
    return problems


@reads("relationships")
def _check_contact_dates(ws: Workspace) -> list[Problem]:
    # A contact on the day the relationship began is fine; one before it is a typo.
    return [
        located_problem(
            ws,
            rel,
            ("last_contact",),
            f"last contact {rel.last_contact} is before the relationship began ({rel.since}).",
            "correct one of the dates: 'since' is when the relationship began, "
            "'last_contact' the latest contact.",
        )
        for rel in ws.relationships.values()
        if rel.since and rel.last_contact and rel.last_contact < rel.since
    ]


@reads("persons")
def _check_repeated_tenures(ws: Workspace) -> list[Problem]:
    """One person holding one post twice at once: two tenures that overlap.

    ``end`` is exclusive, so a tenure that starts on the day the other ends does
    not overlap it. The seat check counts other holders only, so this is its own check.
    """
    problems = []
    for person in ws.persons.values():
        by_post: dict[str, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
        for index, tenure in enumerate(person.tenures):
            start = tenure.start or dt.date.min
            end = tenure.end or dt.date.max
            by_post[tenure.post].append((start, end, index))
        for post_id, spans in by_post.items():
            spans.sort()
            latest_end, latest_index = spans[0][1], spans[0][2]
            for start, end, index in spans[1:]:
                if start < latest_end:
                    problems.append(
                        located_problem(
                            ws,
                            person,
                            ("tenures", index),
                            f"holds post '{post_id}' twice at once: this tenure from "
                            f"{_day(start)} overlaps tenures[{latest_index}], which has "
                            f"not ended by then.",
                            "merge the two tenures into one, or end the earlier one "
                            "before this one starts.",
                        )
                    )
                if end > latest_end:
                    latest_end, latest_index = end, index
    return problems


@reads("posts", "organisations")
def _check_oversight_of_parents(ws: Workspace) -> list[Problem]:
    """A post that oversees (分管) its own organisation's parent, or any 块 ancestor.

    Oversight runs down the hierarchy; pointing it upwards is the 块 line read backwards.
    """
    problems = []
    for post in ws.posts.values():
        for index, item in enumerate(post.oversees):
            # a dated item is checked against the parents on its first day
            day = dt.date.min if isinstance(item, str) else item.start or dt.date.min
            org = item if isinstance(item, str) else item.value
            ancestors = _ancestors(ws, post.org, day)
            if org in ancestors:
                relation = "parent" if org == ancestors[0] else "ancestor"
                problems.append(
                    located_problem(
                        ws,
                        post,
                        ("oversees", index),
                        f"oversees '{org}', the {relation} organisation (块) of its own "
                        f"organisation '{post.org}'.",
                        "oversight (分管) runs down the hierarchy: list organisations below "
                        "this post's, or correct the post's 'org' or the parent.",
                    )
                )
    return problems


def _ancestors(ws: Workspace, org_id: str, day: dt.date) -> list[str]:
    """The 块 parents of an organisation on ``day``, nearest first."""
    ancestors: list[str] = []
    current = ws.organisations.get(org_id)
    while current is not None:
        parent = current.parent_on(day)
        if not parent or parent in ancestors:
            break  # a cycle is reported by the cycle check
        ancestors.append(parent)
        current = ws.organisations.get(parent)
    return ancestors


@reads("opportunities")
def _check_steps(ws: Workspace) -> list[Problem]:
    problems = []
    for opp in ws.opportunities.values():
        seen: set[str] = set()
        for index, step in enumerate(opp.chain):
            if step.id in seen:
                problems.append(
                    located_problem(
                        ws,
                        opp,
                        ("chain", index, "id"),
                        f"step id '{step.id}' is used twice in this chain.",
                        "give each step its own id.",
                    )
                )
            seen.add(step.id)
    return problems


def opportunity_window(ws: Workspace, opportunity_id: str) -> tuple[dt.date | None, dt.date | None]:
    """(first, last) day an opportunity's chain is about, both inclusive; None is open.

    The window closes on the opportunity's ``close`` and opens on the earliest
    ``created`` of its actions (the first day the file shows us working on it).
    O(actions).
    """
    opp = ws.opportunities[opportunity_id]
    created = [a.created for a in ws.actions.values() if a.opportunity == opportunity_id]
    return min(created, default=None), opp.close


@reads("opportunities", "actions", "posts", "organisations", "reforms")
def check_chain_posts(ws: Workspace) -> list[Problem]:
    """Chain roles naming a post that is dead on every day of its opportunity's window.

    Definition
    ----------
    A role naming a post is dead when the post's lifetime (its organisation's
    included, :meth:`Workspace.post_lifetime`) shares no day with the window of
    :func:`opportunity_window` (with no dates at all: when it has no live day),
    unless a reform carries it to a live successor on a day of the window
    (:func:`~stakegraph.records.lineage.stands_for`, tried on the window's
    first and last days: a lineage runs on without gaps, successors starting
    on the reform day). Such a role would resolve to
    nobody on any day the opportunity is decided, so it is an error, located at
    the role's ``post``. A role that is merely vacant, or live through a
    reform, is fine; a role that is dead on one analysis day only stays a
    warning of :func:`~stakegraph.graph.chains.chain_problems`.

    Parameters
    ----------
    ws : Workspace

    Returns
    -------
    list of Problem

    Complexity
    ----------
    O(actions + roles × reforms): the lifetime index is built once; lineage is
    followed only for roles on posts that ended before the window.

    References
    ----------
    DESIGN.md §2 (lifetimes and lineage: only live records exist on a day);
    Popolo Post ``start_date``/``end_date``.
    """
    problems: list[Problem] = []
    for opp in ws.opportunities.values():
        if not any(r.post for step in opp.chain for r in step.roles):
            continue
        first, last = opportunity_window(ws, opp.id)
        for s_index, step in enumerate(opp.chain):
            for r_index, role in enumerate(step.roles):
                if not role.post or role.post not in ws.posts:
                    continue
                why = _dead_in_window(ws, role.post, first, last)
                if why:
                    problems.append(
                        located_problem(
                            ws,
                            opp,
                            ("chain", s_index, "roles", r_index, "post"),
                            f"post '{role.post}' {why}, so this role has nobody to hold it.",
                            "name the post that carries this decision right in the window, "
                            "record the reform that gave the post to a successor (reforms), "
                            "or correct the post's dates or the opportunity's 'close'.",
                        )
                    )
    return problems


def _dead_in_window(
    ws: Workspace, post_id: str, first: dt.date | None, last: dt.date | None
) -> str | None:
    """Why a post has no live day in the window (None when it has one, or a successor)."""
    start, end = ws.post_lifetime(post_id)
    window = _window(first, last)
    if start is not None and end is not None and end <= start:
        return f"is never live ({span_text(start, end)})"
    if start is not None and last is not None and start > last:
        return f"is created on {start}, after the window of its opportunity ({window})"
    if end is None or first is None or end > first:
        return None
    # ended before the window opens: fine when a reform hands it on to a live successor
    for day in (first, last):
        if day is not None and stands_for(ws, post_id, day):
            return None
    return f"is abolished on {end} without a successor, before the window of its opportunity ({window})"


def _window(first: dt.date | None, last: dt.date | None) -> str:
    if first and last:
        return f"{first} to {last}"
    return f"from {first}" if first else f"until {last}"


def _cycles(collection: str, field: str, what: str) -> CrossCheck:
    run = functools.partial(_check_cycles, collection=collection, field=field, what=what)
    return CrossCheck(f"cycles of {collection}.{field}", (collection,), run)


#: Every cross-record check, in the order :func:`check_workspace` reports their problems.
CROSS_CHECKS: tuple[CrossCheck, ...] = (
    *(_references_of(cls) for cls in RECORD_TYPES),
    declared(_check_seats),
    _cycles("organisations", "parent", "parent organisation (块)"),
    _cycles("organisations", "guided_by", "guiding organisation (条)"),
    _cycles("posts", "reports_to", "reports-to"),
    _cycles("owners", "manager", "manager"),
    *map(
        declared,
        (
            _check_ties,
            _check_steps,
            _check_assessments,
            _check_lifetimes,
            _check_contact_dates,
            _check_backups,
            _check_repeated_tenures,
            _check_oversight_of_parents,
            check_lineage,
            check_periods,
            check_chain_posts,
            check_period_targets,
        ),
    ),
)
