"""Checks that span records: references, seats, cycles, self-ties, step ids.

Every check runs in time linear in the workspace (plus sorting tenures per post),
so validating 10^5 officials stays fast. Each returns located :class:`Problem` s.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from stakegraph.errors import Problem
from stakegraph.records.model import RECORD_BY_COLLECTION, RECORD_TYPES, Record

if TYPE_CHECKING:  # the workspace calls these checks, so only its type is needed here
    from stakegraph.records.workspace import Workspace


def check_workspace(workspace: Workspace) -> list[Problem]:
    """Run every cross-record check; return all problems (empty when clean)."""
    problems: list[Problem] = []
    problems += _check_references(workspace)
    problems += _check_seats(workspace)
    problems += _check_cycles(workspace, "organisations", "parent", "parent organisation (块)")
    problems += _check_cycles(workspace, "organisations", "guided_by", "guiding organisation (条)")
    problems += _check_cycles(workspace, "posts", "reports_to", "reports-to")
    problems += _check_cycles(workspace, "owners", "manager", "manager")
    problems += _check_ties(workspace)
    problems += _check_steps(workspace)
    problems += _check_assessments(workspace)
    problems += _check_contact_dates(workspace)
    problems += _check_repeated_tenures(workspace)
    problems += _check_oversight_of_parents(workspace)
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
        return
    head, rest = parts[0], parts[1:]
    yield from _walk(getattr(value, head, None), rest, (*path, head))


def _check_references(ws: Workspace) -> list[Problem]:
    problems = []
    for cls in RECORD_TYPES:
        for record in ws.records[cls.collection].values():
            for spec, target in cls.references.items():
                parts = spec.split(".")
                for path, ref in _walk(getattr(record, parts[0], None), parts[1:], (parts[0],)):
                    if ref in ws.records[target] or (target, ref) in ws.invalid_ids:
                        continue
                    noun = RECORD_BY_COLLECTION[target].noun
                    article = "an" if noun[0] in "aeiou" else "a"
                    problems.append(
                        _problem(
                            ws,
                            record,
                            path,
                            f"refers to {noun} '{ref}', which does not exist.",
                            f"add {article} {noun} with id '{ref}' to {target}, or correct the id.",
                        )
                    )
    return problems


def _check_seats(ws: Workspace) -> list[Problem]:
    """No more holders at once than a post has seats (a single-seat post: one)."""
    problems = []
    by_post: dict[str, list[tuple[dt.date, dt.date, str, int]]] = defaultdict(list)
    for person in ws.persons.values():
        for index, tenure in enumerate(person.tenures):
            start = tenure.start or dt.date.min
            end = tenure.end or dt.date.max
            by_post[tenure.post].append((start, end, person.id, index))
    for post_id, spans in by_post.items():
        post = ws.posts.get(post_id)
        if post is None:
            continue
        spans.sort()
        active: list[tuple[dt.date, str, int]] = []
        for start, end, pid, index in spans:
            active = [a for a in active if a[0] > start]
            others = [a for a in active if a[1] != pid]
            if len(others) + 1 > post.seats:
                holders = ", ".join(sorted({a[1] for a in others}))
                seat = (
                    f"single-seat post '{post_id}'"
                    if post.seats == 1
                    else f"post '{post_id}' ({post.seats} seats)"
                )
                problems.append(
                    _problem(
                        ws,
                        ws.persons[pid],
                        ("tenures", index),
                        f"holds {seat} from {_day(start)} while {holders} "
                        f"still hold{'s' if len(others) == 1 else ''} it.",
                        "end the earlier tenure before this one starts, or raise the post's 'seats'.",
                    )
                )
            active.append((end, pid, index))
    return problems


def _day(day: dt.date) -> str:
    return "the start" if day == dt.date.min else day.isoformat()


def _check_cycles(ws: Workspace, collection: str, field: str, what: str) -> list[Problem]:
    """Report each cycle of a parent-like field once, at its first member in file order."""
    records = ws.records[collection]
    graph: dict[str, list[str]] = {}
    for rid, record in records.items():
        value = getattr(record, field)
        targets = value if isinstance(value, list) else ([value] if value else [])
        graph[rid] = [t for t in targets if t in records]
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    problems = []
    for root in graph:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
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
                first = min(cycle[:-1], key=lambda r: list(records).index(r))
                problems.append(
                    _problem(
                        ws,
                        records[first],
                        (field,),
                        f"{what} cycle: {' → '.join(cycle)}.",
                        f"break the cycle by correcting '{field}' in one of these records.",
                    )
                )
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(graph[child])))
                path.append(child)
    return problems


def _check_ties(ws: Workspace) -> list[Problem]:
    return [
        _problem(
            ws, tie, ("b",), "a tie links a person to themself.", "name two different persons."
        )
        for tie in ws.ties.values()
        if tie.a == tie.b
    ]


def _check_assessments(ws: Workspace) -> list[Problem]:
    # An assessment re-scores an existing relationship; on its own it would be a
    # relationship without the fields (responsible, since, target) that make one.
    pairs = {(r.owner, r.person) for r in ws.relationships.values()}
    return [
        _problem(
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


def _check_contact_dates(ws: Workspace) -> list[Problem]:
    # A contact on the day the relationship began is fine; one before it is a typo.
    return [
        _problem(
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
                        _problem(
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


def _check_oversight_of_parents(ws: Workspace) -> list[Problem]:
    """A post that oversees (分管) its own organisation's parent, or any 块 ancestor.

    Oversight runs down the hierarchy; pointing it upwards is the 块 line read backwards.
    """
    problems = []
    for post in ws.posts.values():
        ancestors: list[str] = []
        current = ws.organisations.get(post.org)
        while current is not None and current.parent and current.parent not in ancestors:
            ancestors.append(current.parent)  # a cycle is reported by the cycle check
            current = ws.organisations.get(current.parent)
        for index, org in enumerate(post.oversees):
            if org in ancestors:
                relation = "parent" if org == ancestors[0] else "ancestor"
                problems.append(
                    _problem(
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


def _check_steps(ws: Workspace) -> list[Problem]:
    problems = []
    for opp in ws.opportunities.values():
        seen: set[str] = set()
        for index, step in enumerate(opp.chain):
            if step.id in seen:
                problems.append(
                    _problem(
                        ws,
                        opp,
                        ("chain", index, "id"),
                        f"step id '{step.id}' is used twice in this chain.",
                        "give each step its own id.",
                    )
                )
            seen.add(step.id)
    return problems


def _problem(ws: Workspace, record: Record, path: tuple, message: str, hint: str) -> Problem:
    raw = ws.locations.get((record.collection, record.id))
    location = raw.locate(path) if raw else None
    dotted = ""
    for part in path:
        dotted += f"[{part}]" if isinstance(part, int) else ("." if dotted else "") + part
    return Problem(message, location, record.noun, record.id, dotted, hint)
