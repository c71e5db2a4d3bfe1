"""What-if: change the workspace (a rotation, a departure, a new relationship) and
see what moves: coverage, gaps, influence ranks and the plan.

Scenarios never touch the user's files: they apply to a copy of the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from stakegraph.analysis.coverage import Coverage, Gap, GapKind, coverage
from stakegraph.analysis.influence import Influence, RegionInfluence, influence
from stakegraph.analysis.plan import PlanRow, engagement_plan
from stakegraph.errors import StakegraphError
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.relation_filter import RelationFilter, filtered_network
from stakegraph.records.model import SCORE_DIMENSIONS, Relationship, Tenure
from stakegraph.records.validate import seat_problems
from stakegraph.records.workspace import Workspace


@dataclass(frozen=True)
class Change:
    """One change of a scenario.

    kind is one of ``remove_person``, ``rotate`` (person → post), ``owner_leaves``,
    ``set_relationship`` (owner, person, scores) and ``leave_post`` (person → the post
    they leave; they stay in the network, the post falls vacant).
    """

    kind: str
    subject: str
    target: str | None = None
    scores: tuple[tuple[str, float], ...] = ()


def parse_relationship_change(text: str) -> Change:
    """``OWNER:PERSON:4`` (all six scores) or ``OWNER:PERSON:support=5,acceptance=4``."""
    parts = text.split(":", 2)
    if len(parts) != 3:
        raise StakegraphError(
            f"'{text}': write OWNER:PERSON:SCORE or OWNER:PERSON:dimension=score,..."
        )
    owner, person, spec = parts
    scores: dict[str, float] = {}
    try:
        if "=" in spec:
            for item in spec.split(","):
                key, value = item.split("=", 1)
                if key.strip() not in SCORE_DIMENSIONS:
                    raise StakegraphError(
                        f"'{key}' is not a dimension; use {', '.join(SCORE_DIMENSIONS)}."
                    )
                scores[key.strip()] = float(value)
        else:
            scores = dict.fromkeys(SCORE_DIMENSIONS, float(spec))
    except ValueError:
        raise StakegraphError(f"'{text}': scores must be numbers 0–5.") from None
    if any(not 0 <= v <= 5 for v in scores.values()):
        raise StakegraphError(f"'{text}': scores must be between 0 and 5.")
    return Change("set_relationship", owner, person, tuple(sorted(scores.items())))


def _target(change: Change) -> str:
    """The target of a change that must have one (the parser always sets it)."""
    if change.target is None:
        raise StakegraphError(f"a '{change.kind}' change names no target.")
    return change.target


def apply_changes(workspace: Workspace, changes: list[Change], day: dt.date) -> Workspace:
    """A copy of the workspace with the changes applied on ``day``.

    A rotation into a post whose seats are all held after every change is refused
    with the problem ``stakegraph check`` reports for the same overlap.
    """
    ws = workspace.copy()
    for change in changes:
        if change.kind == "remove_person":
            ws.get("persons", change.subject)
            _remove_person(ws, change.subject)
        elif change.kind == "rotate":
            person = ws.get("persons", change.subject)
            post = ws.get("posts", _target(change))
            _rotate(ws, person.id, post.id, day)
        elif change.kind == "owner_leaves":
            owner = ws.get("owners", change.subject)
            _owner_leaves(ws, owner.id)
        elif change.kind == "set_relationship":
            ws.get("owners", change.subject)
            ws.get("persons", _target(change))
            existing = next(
                (
                    r
                    for r in ws.relationships.values()
                    if r.owner == change.subject and r.person == change.target
                ),
                None,
            )
            data: dict[str, Any] = (
                existing.model_dump()
                if existing
                else {"owner": change.subject, "person": change.target}
            )
            data.update(dict(change.scores))
            data["last_contact"] = day
            rel = Relationship.model_validate(data)
            if existing:
                ws.remove("relationships", existing.id)
            ws.add(rel)
        elif change.kind == "leave_post":
            person = ws.get("persons", change.subject)
            _leave_post(ws, person.id, ws.get("posts", _target(change)).id, day)
        else:
            raise StakegraphError(f"unknown change '{change.kind}'")
    _refuse_overfull(ws, [c for c in changes if c.kind == "rotate" and c.subject in ws.persons])
    return ws


def _owner_leaves(ws: Workspace, oid: str) -> None:
    """Remove an owner and their relationships; each backup (B角) they named takes over.

    The backup becomes the person's responsible owner: on their own relationship with
    the person, else on a new one with no scores yet (named, not yet known). A backup
    role the leaving owner held is dropped.
    """
    for rel in [r for r in ws.relationships.values() if r.owner == oid]:
        ws.remove("relationships", rel.id)
        backup = rel.backup if rel.responsible and rel.backup in ws.owners else None
        if backup is None or backup == oid:
            continue
        theirs = next(
            (r for r in ws.relationships.values() if r.owner == backup and r.person == rel.person),
            None,
        )
        if theirs is None:
            theirs = Relationship(owner=backup, person=rel.person)
        else:
            ws.remove("relationships", theirs.id)
        ws.add(theirs.model_copy(update={"responsible": True}))
    for rel in ws.relationships.values():
        if rel.backup == oid:
            rel.backup = None
    for other in ws.owners.values():
        if other.manager == oid:
            other.manager = ws.owners[oid].manager
    ws.remove("owners", oid)


def _remove_person(ws: Workspace, pid: str) -> None:
    for rel in [r for r in ws.relationships.values() if r.person == pid]:
        ws.remove("relationships", rel.id)
    for tie in [t for t in ws.ties.values() if pid in (t.a, t.b)]:
        ws.remove("ties", tie.id)
    for opp in ws.opportunities.values():
        for step in opp.chain:
            step.roles = [r for r in step.roles if r.person != pid]
    for item in ws.interactions.values():
        item.persons = [p for p in item.persons if p != pid]
    ws.remove("persons", pid)


def _leave_post(ws: Workspace, pid: str, post_id: str, day: dt.date) -> None:
    """End the person's tenures on ``post_id`` that run on ``day``; they keep their ties."""
    person = ws.persons[pid]
    for tenure in person.tenures:
        if tenure.post == post_id and tenure.active_on(day):
            tenure.end = day
    ws.add(person)  # drops the cached holder index


def _rotate(ws: Workspace, pid: str, post_id: str, day: dt.date) -> None:
    """End the person's current tenures on ``day`` and start them on ``post_id``."""
    person = ws.persons[pid]
    for tenure in person.tenures:
        if tenure.active_on(day):
            tenure.end = day
    person.tenures.append(Tenure(post=post_id, start=day))
    ws.add(person)  # drops the cached holder index


def _refuse_overfull(ws: Workspace, rotations: list[Change]) -> None:
    """Refuse a rotation into a post with no free seat, in the words of ``check``.

    A scenario never invents a departure the user did not ask for: the holder must
    be moved out by another change of the same scenario (in any order).
    """
    for change in rotations:
        post_id = _target(change)
        problems = [
            p
            for p in seat_problems(ws, post_id)
            if p.record_id == change.subject and not p.is_warning
        ]
        if problems:
            # the tenure is the scenario's, not the files': the check's words without a line
            said = replace(problems[0], location=None).format().removeprefix("workspace: ")
            raise StakegraphError(
                f"--rotate {change.subject}:{post_id}: {said} In a what-if, move the holder "
                "out in the same scenario (--rotate or --remove)."
            )


@dataclass(frozen=True)
class RankMove:
    """An influential person whose influence rank moved; ``after`` None when they left."""

    person: str
    before: int
    after: int | None


#: Gap kinds that grade one fact (how well we reach the holder): a gap of one of them
#: that gives way to another on the same holder has changed kind, not closed.
_COVER_KINDS = frozenset({GapKind.UNCOVERED, GapKind.WEAK})


@dataclass(frozen=True)
class KindChange:
    """A gap of the baseline that became a gap of another kind on the same holder."""

    before: Gap
    after: Gap


@dataclass
class GapMoves:
    """How the baseline's gaps fare in a scenario, each gap in exactly one list.

    ``opened``: new gaps; ``closed``: gaps whose cause was removed while the holder
    and our relationships with them stay; ``changed_kind``: a cover gap that became
    another (WEAK → UNCOVERED); ``gone_with_owner``: gaps that vanished only because
    the relationships behind them left with an owner; ``gone_with_holder``: gaps on
    a holder who is no longer on the chain.
    """

    opened: list[Gap] = field(default_factory=list)
    closed: list[Gap] = field(default_factory=list)
    changed_kind: list[KindChange] = field(default_factory=list)
    gone_with_owner: list[Gap] = field(default_factory=list)
    gone_with_holder: list[Gap] = field(default_factory=list)


@dataclass
class WhatIf:
    """Before and after of a scenario for one opportunity.

    ``gaps_added`` and ``gaps_removed`` are the plain differences of the two gap
    lists; ``gap_moves`` sorts them by what happened to each.
    """

    changes: list[Change]
    before: Coverage
    after: Coverage
    influence_before: Influence
    influence_after: Influence
    plan_before: list[PlanRow]
    plan_after: list[PlanRow]
    rank_changes: list[RankMove] = field(default_factory=list)
    gaps_added: list = field(default_factory=list)
    gaps_removed: list = field(default_factory=list)
    gap_moves: GapMoves = field(default_factory=GapMoves)


def _holder_key(gap: Gap) -> tuple[str, str | None, str | None]:
    return (gap.step, gap.person, gap.post)


def sort_gap_moves(
    workspace: Workspace,
    changes: list[Change],
    day: dt.date,
    after: Coverage,
    added: list[Gap],
    removed: list[Gap],
) -> GapMoves:
    """Sort the gaps a scenario opens and removes by what happened to each.

    Definition
    ----------
    A removed gap g on holder (step, person, post) is, in this order:

    1. *changed kind* when a gap of another cover kind (UNCOVERED, WEAK) opens on
       the same holder: our reach changed grade, it did not come back;
    2. *gone with the holder* when g's person no longer holds a role of the step
       after the changes;
    3. *gone with the owner* when an owner who leaves named g (``g.owner``), related
       to g's person, or, for ROTATED, to a former holder of g's post: the fact
       behind the gap left with them;
    4. *closed* otherwise.

    An added gap is *opened* unless it is the new side of a kind change.

    Parameters
    ----------
    workspace : Workspace
        The workspace before the changes (its relationships and tenures).
    changes : list of Change
        The scenario.
    day : datetime.date
        The day of the scenario.
    after : Coverage
        Coverage after the changes.
    added, removed : list of Gap
        The gaps only after, and only before, the changes.

    Returns
    -------
    GapMoves

    Complexity: O((added + removed) × relationships of the leaving owners).

    References
    ----------
    The what-if reading of coverage gaps in :func:`what_if`; gap kinds in
    :func:`stakegraph.analysis.coverage.coverage`.
    """
    leaving = {c.subject for c in changes if c.kind == "owner_leaves"}
    related = {r.person for r in workspace.relationships.values() if r.owner in leaving}
    on_chain = {(h.step, h.person) for h in after.holders if h.person}
    moves = GapMoves()
    paired: set[int] = set()
    for gap in removed:
        became = next(
            (
                g
                for g in added
                if id(g) not in paired
                and gap.kind in _COVER_KINDS
                and g.kind in _COVER_KINDS
                and _holder_key(g) == _holder_key(gap)
            ),
            None,
        )
        if became is not None:
            paired.add(id(became))
            moves.changed_kind.append(KindChange(gap, became))
        elif gap.person and (gap.step, gap.person) not in on_chain:
            moves.gone_with_holder.append(gap)
        elif leaving and (
            gap.owner in leaving
            or gap.person in related
            or (gap.kind is GapKind.ROTATED and _former_holders(workspace, gap, day) & related)
        ):
            moves.gone_with_owner.append(gap)
        else:
            moves.closed.append(gap)
    moves.opened = [g for g in added if id(g) not in paired]
    return moves


def _former_holders(workspace: Workspace, gap: Gap, day: dt.date) -> set[str]:
    """Who held the gap's post before ``day`` (the predecessors a ROTATED gap is about)."""
    if gap.post is None:
        return set()
    return {
        pid
        for pid, tenure in workspace.tenures_of_post(gap.post)
        if pid != gap.person and tenure.end is not None and tenure.end <= day
    }


#: Changes that leave every official's influence as it was (see :func:`what_if`).
INFLUENCE_KEPT = frozenset({"owner_leaves", "set_relationship"})


def _same_region_scores(before: PersonNetwork, after: PersonNetwork, opportunity: str) -> None:
    """Give ``after`` (the same officials in the same order) the region scores of ``before``."""
    key = RegionInfluence(opportunity)
    given = before.memo.get(key)
    if given is None or after.persons != before.persons:
        raise StakegraphError("the changed network has other officials than the baseline.")
    after.memo.get_or_build(
        key,
        lambda: Influence(
            after.persons,
            given.score,
            given.formal,
            given.informal,
            given.position,
            given.decision,
            given.iterations,
            opportunity,
            after.person_index,
            after,
        ),
    )


def what_if(
    workspace: Workspace,
    opportunity: str,
    day: dt.date,
    changes: list[Change],
    relations: RelationFilter | None = None,
    region_scores: Callable[[PersonNetwork], None] | None = None,
) -> WhatIf:
    """Apply a scenario and compare coverage, gaps, influence ranks and the plan.

    Definition
    ----------
    Coverage after the change is computed with the influence shares of the
    baseline (ceteris paribus): a role keeps the weight it had, so the change in
    coverage comes from cover alone. Hence removing a person who holds no role and
    lies on no best channel leaves coverage unchanged, and rotating away the only
    covered holder of a role lowers coverage by exactly that holder's share
    ``w·I·cover / Σ w·I``. Influence is recomputed in full on the changed network
    and reported as rank moves. With ``relations``, both networks keep only the
    ties the filter keeps (:func:`~stakegraph.graph.relation_filter.filtered_network`),
    before and after alike.

    ``region_scores``, for a workspace that is part of a larger book (a targeted
    read), gives the baseline network the influence scores of the whole region
    (:class:`~stakegraph.analysis.influence.RegionInfluence`); the changed network
    keeps the same scores. Only changes that leave influence as it is may use it:
    ``owner_leaves`` and ``set_relationship`` (influence is a PageRank over officials'
    formal lines and ties, where neither owners nor our relationships enter, and the
    officials stay the same); any other change is refused with it.

    Complexity: two network builds and two analyses (linear in the workspace).

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) our only way to the
    director ``wang`` runs through ``zhao``: without him the chain's coverage falls
    from 0.8 × 0.5 = 0.4 to 0.

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> result = what_if(ws, "portal", SAMPLE_DAY, [Change("remove_person", "zhao")])
    >>> round(result.before.overall, 9), result.after.overall
    (0.4, 0.0)
    """
    changed = apply_changes(workspace, changes, day)
    net_before = filtered_network(build_network(workspace, day), relations)
    net_after = filtered_network(build_network(changed, day), relations)
    if region_scores is not None:
        moving = sorted({c.kind for c in changes} - INFLUENCE_KEPT)
        if moving:
            raise StakegraphError(
                f"a what-if with {', '.join(moving)} moves influence; run it on the whole "
                "workspace."
            )
        region_scores(net_before)
        _same_region_scores(net_before, net_after, opportunity)
    infl_before = influence(net_before, opportunity)
    infl_after = influence(net_after, opportunity)
    before = coverage(net_before, opportunity, infl_before)
    after = coverage(net_after, opportunity, infl_after, baseline=before)
    plan_before = engagement_plan(net_before, opportunity, coverage_result=before)
    plan_after = engagement_plan(net_after, opportunity, coverage_result=after)

    ranks = []
    for pid in infl_before.top(50):
        old = int(infl_before.rank[infl_before.index[pid]])
        new = int(infl_after.rank[infl_after.index[pid]]) if pid in infl_after.index else None
        if new != old:
            ranks.append(RankMove(pid, old, new))

    def key(g: Gap) -> tuple:
        return (g.kind.value, g.step, g.person, g.post)

    before_keys = {key(g) for g in before.gaps}
    after_keys = {key(g) for g in after.gaps}
    added = [g for g in after.gaps if key(g) not in before_keys]
    removed = [g for g in before.gaps if key(g) not in after_keys]
    return WhatIf(
        changes=changes,
        before=before,
        after=after,
        influence_before=infl_before,
        influence_after=infl_after,
        plan_before=plan_before,
        plan_after=plan_after,
        rank_changes=ranks,
        gaps_added=added,
        gaps_removed=removed,
        gap_moves=sort_gap_moves(workspace, changes, day, after, added, removed),
    )
