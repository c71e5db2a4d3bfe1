"""Ties that follow from the record: former colleagues (老同事), fellow members of a
body, classmates (同学) and people from the same place (同乡).

Unlike the other analyses this one reads the whole history of a workspace, not
the network of one day: two officials who served together twenty years ago are
still former colleagues. It returns :class:`~stakegraph.records.model.Tie`
records with ``source: derived``; writing them is :mod:`stakegraph.io.derived_ties`.

Definitions
-----------
**Former colleagues.** Two persons whose tenures (not on leave) in posts of the
same organisation overlap for ``d`` ≥ ``min_days`` days get a tie of kind
``former_colleague`` with

.. math::

    s = \\min\\left(1, \\frac{d}{D}\\right) \\cdot \\frac{1}{1 + |g_a - g_b|}

where ``D`` is ``saturation_days`` (730: two years together make the overlap
term whole) and ``g_a``, ``g_b`` are the grades of the two posts. A year
together in posts of the same grade gives 0.5, two years one grade apart 0.5,
two years two grades apart 0.333. In a decision body (an organisation of kind
committee, congress or party committee) members meet as peers, so the grade term
is 1 there. When two persons overlap in several organisations, the strongest
overlap gives the strength and every overlap is named in the evidence. ``since``
is the first day of the earliest overlap. Confidence: ``colleague_confidence``
(0.6): an overlap is certain, acquaintance is likely, not known.

**Classmates and hometown.** Persons sharing a tag ``school:<name>`` get a
``classmate`` tie (strength 0.4), those sharing ``hometown:<place>`` a
``hometown`` tie (strength 0.3), both at confidence 0.3. The model's
``background`` is a career origin (military, academia ...), which names no
school or place; the tags are what the appointments import writes from the
籍贯 and 毕业院校 columns. A group of more than ``max_group`` persons sharing a
tag is skipped (a big university makes no tie) and counted in
:attr:`Derivation.skipped_groups`.

**Typed ties win.** No tie is derived for a pair and kind that already has a
tie whose source is not ``derived``, in either direction.

Complexity: sorting each organisation's tenures and sweeping them, O(T log T +
P) for T tenures and P overlapping pairs; tag groups O(Σ k²) for groups of
size k ≤ ``max_group``.

References: Lin, Nan. *Social Capital: A Theory of Social Structure and
Action* (2001), ch. 5, on ties from shared positions; the workspace's own
``Tie`` model for strength and confidence.

Examples
--------
>>> import datetime as dt
>>> from stakegraph.records.model import Organisation, Person, Post, Tenure
>>> from stakegraph.records.workspace import Workspace
>>> ws = Workspace()
>>> ws.add(Organisation(id="mof", name="Ministry of Finance"))
>>> ws.add(Post(id="m", org="mof", title="Minister", grade=9))
>>> ws.add(Post(id="d", org="mof", title="Deputy", grade=8))
>>> ws.add(Person(id="a", name="A", tenures=[Tenure(post="m", start=dt.date(2000, 1, 1))]))
>>> ws.add(Person(id="b", name="B", tenures=[
...     Tenure(post="d", start=dt.date(2001, 1, 1), end=dt.date(2003, 1, 1))]))
>>> [(t.id, t.strength) for t in derive_ties(ws).ties]
[('a~b~former_colleague', 0.5)]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from stakegraph.records.model import OrgKind, Tie, TieKind
from stakegraph.records.workspace import Workspace

#: Where every derived tie says it came from.
DERIVED = "derived"

#: Organisation kinds whose members meet as peers: no grade term.
BODIES = frozenset({OrgKind.COMMITTEE, OrgKind.CONGRESS, OrgKind.PARTY_COMMITTEE})

#: Tag prefix -> (tie kind, strength) for ties from shared tags.
TAG_TIES = {"school": (TieKind.CLASSMATE, 0.4), "hometown": (TieKind.HOMETOWN, 0.3)}


@dataclass
class Derivation:
    """The derived ties, in id order, and the tag groups left out as too large."""

    ties: list[Tie]
    skipped_groups: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Overlap:
    org: str
    start: dt.date
    end: dt.date | None
    days: int
    strength: float
    body: bool


def colleague_strength(
    days: int, grade_a: int, grade_b: int, *, saturation_days: int = 730, body: bool = False
) -> float:
    """The strength of a colleague tie from an overlap of ``days`` (see the module).

    >>> colleague_strength(365, 7, 7)
    0.5
    >>> colleague_strength(730, 9, 8)
    0.5
    >>> colleague_strength(1000, 9, 7)
    0.333
    >>> colleague_strength(365, 9, 5, body=True)
    0.5
    """
    closeness = 1.0 if body else 1.0 / (1 + abs(grade_a - grade_b))
    return round(min(1.0, days / saturation_days) * closeness, 3)


def derive_ties(
    workspace: Workspace,
    *,
    min_days: int = 30,
    saturation_days: int = 730,
    colleague_confidence: float = 0.6,
    tag_confidence: float = 0.3,
    max_group: int = 50,
    as_of: dt.date | None = None,
) -> Derivation:
    """Ties that follow from tenures and tags (see the module for the definitions).

    Parameters
    ----------
    workspace : the records (whole history).
    min_days : shortest overlap that makes colleagues (a handover of a few days does not).
    saturation_days : overlap at which the overlap term reaches 1.
    colleague_confidence, tag_confidence : confidence of the derived ties (below 1).
    max_group : largest group sharing a school or hometown tag that makes ties.
    as_of : the day open tenures are counted to; default the latest start or end
        of any tenure, so the same records always give the same ties.

    Returns
    -------
    Derivation
        Ties with ``source: derived`` and evidence in ``notes``, sorted by id.
    """
    typed = {
        (min(t.a, t.b), max(t.a, t.b), t.kind)
        for t in workspace.ties.values()
        if t.source != DERIVED
    }
    ties: dict[str, Tie] = {}
    as_of = as_of or latest_day(workspace)
    overlaps_of = _colleague_overlaps(workspace, min_days, saturation_days, as_of)
    for (a, b), overlaps in overlaps_of.items():
        if (a, b, TieKind.FORMER_COLLEAGUE) in typed:
            continue
        overlaps.sort(key=lambda o: (-o.strength, o.start, o.org))
        notes = "; ".join(_evidence(workspace, o) for o in overlaps)
        tie = Tie(
            a=a,
            b=b,
            kind=TieKind.FORMER_COLLEAGUE,
            strength=max(overlaps[0].strength, 0.001),
            confidence=colleague_confidence,
            since=min(o.start for o in overlaps),
            source=DERIVED,
            notes=notes,
        )
        ties[tie.id] = tie
    skipped = _tag_ties(workspace, typed, ties, tag_confidence, max_group)
    return Derivation([ties[k] for k in sorted(ties)], skipped)


def _evidence(workspace: Workspace, overlap: _Overlap) -> str:
    org = workspace.organisations.get(overlap.org)
    name = org.name if org else overlap.org
    until = overlap.end.isoformat() if overlap.end else "(both still in post)"
    what = "served together on" if overlap.body else "colleagues at"
    return (
        f"{what} {name} ({overlap.org}) {overlap.start.isoformat()} – {until}, {overlap.days} days"
    )


def latest_day(workspace: Workspace) -> dt.date:
    """The last day the record speaks of: the latest start or end of a tenure."""
    days = [d for p in workspace.persons.values() for t in p.tenures for d in (t.start, t.end) if d]
    return max(days, default=dt.date(2000, 1, 1))


def _colleague_overlaps(
    workspace: Workspace, min_days: int, saturation_days: int, as_of: dt.date
) -> dict[tuple[str, str], list[_Overlap]]:
    """Every pair of persons with overlapping tenures in one organisation, and the overlaps."""
    spans: dict[str, list[tuple[dt.date, dt.date, str, int]]] = defaultdict(list)
    high = dt.date.max
    for person in workspace.persons.values():
        for tenure in person.tenures:
            post = workspace.posts.get(tenure.post)
            if post is None or tenure.on_leave or tenure.start is None:
                continue
            spans[post.org].append((tenure.start, tenure.end or high, person.id, post.grade))
    found: dict[tuple[str, str], dict[str, _Overlap]] = defaultdict(dict)
    for org_id, items in spans.items():
        org = workspace.organisations.get(org_id)
        body = org is not None and org.kind in BODIES
        items.sort()
        active: list[tuple[dt.date, dt.date, str, int]] = []
        for item in items:
            start, end, pid, grade = item
            active = [a for a in active if a[1] > start]
            for _a_start, a_end, other, other_grade in active:
                if other == pid:
                    continue
                last = min(end, a_end)
                days = ((last if last != high else as_of) - start).days
                if days < min_days:
                    continue
                pair = (min(pid, other), max(pid, other))
                overlap = _Overlap(
                    org_id,
                    start,
                    None if last == high else last,  # the evidence says both still serve
                    days,
                    colleague_strength(
                        days, grade, other_grade, saturation_days=saturation_days, body=body
                    ),
                    body,
                )
                best = found[pair].get(org_id)
                if best is None or overlap.strength > best.strength:
                    found[pair][org_id] = overlap
            active.append(item)
    return {pair: list(by_org.values()) for pair, by_org in found.items()}


def _tag_ties(
    workspace: Workspace,
    typed: set[tuple[str, str, TieKind]],
    ties: dict[str, Tie],
    confidence: float,
    max_group: int,
) -> dict[str, int]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for person in workspace.persons.values():
        for tag in person.tags:
            prefix, sep, value = tag.partition(":")
            if sep and prefix in TAG_TIES and value.strip():
                groups[(prefix, value.strip())].append(person.id)
    skipped: dict[str, int] = {}
    for (prefix, value), members in sorted(groups.items()):
        members = sorted(set(members))
        if len(members) > max_group:
            skipped[f"{prefix}:{value}"] = len(members)
            continue
        kind, strength = TAG_TIES[prefix]
        what = "same school" if prefix == "school" else "same hometown"
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b, kind) in typed:
                    continue
                tie = Tie(
                    a=a,
                    b=b,
                    kind=kind,
                    strength=strength,
                    confidence=confidence,
                    source=DERIVED,
                    notes=f"{what}: {value} (tag {prefix}:{value})",
                )
                ties[tie.id] = tie
    return skipped


__all__ = ["BODIES", "DERIVED", "Derivation", "colleague_strength", "derive_ties"]
