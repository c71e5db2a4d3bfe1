"""What changed (time travel): between two days of one workspace, or two versions of it.

Maps go stale in ways a single snapshot hides: an official rotates out of the post
that decides, a relationship slips a level, a new informal tie opens a channel. A
diff lines up the map on two days (or two saved versions on one day) and lists
rotations, level moves, relationships and ties added, and for each opportunity
how coverage and influence ranks moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from stakegraph.analysis.coverage import Coverage, coverage
from stakegraph.analysis.frames import Tabular
from stakegraph.analysis.influence import Influence, influence
from stakegraph.analysis.review import last_review_date
from stakegraph.analysis.structure_diff import StructureChange, structure_changes
from stakegraph.errors import StakegraphError
from stakegraph.graph.chains import resolve_chain
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.strength import (
    LEVEL_ORDER,
    level_from_scores,
    relationship_strength,
)
from stakegraph.records.lineage import continued_from, continued_on, reforms_between
from stakegraph.records.model import RelationshipLevel
from stakegraph.records.naming import describe_reform, post_label
from stakegraph.records.workspace import Workspace


@dataclass
class Rotation:
    """A person moving into (``in``) or out of (``out``) a post, and when (None: undated)."""

    person: str
    name: str
    post: str
    post_label: str
    change: str
    date: dt.date | None
    #: Whether the tenure is an acting one (主持工作, 代理): the post stays formally vacant.
    acting: bool = False


@dataclass
class ReformChange:
    """A reform (机构改革) dated between the two days, told in Chinese and English."""

    reform: str
    kind: str
    of: str
    day: dt.date
    predecessors: list[str]
    successors: list[str]
    zh: str
    en: str


@dataclass
class LevelChange:
    """A relationship whose level, computed from its six scores, rose or fell."""

    relationship: str
    owner: str
    owner_name: str
    person: str
    person_name: str
    before: RelationshipLevel
    after: RelationshipLevel
    strength_before: float
    strength_after: float
    stated_before: RelationshipLevel | None
    stated_after: RelationshipLevel | None

    @property
    def direction(self) -> str:
        return "up" if LEVEL_ORDER[self.after] > LEVEL_ORDER[self.before] else "down"


@dataclass
class Link:
    """A relationship (owner → person) or tie (person — person) that appeared or went."""

    id: str
    kind: str
    a: str
    a_name: str
    b: str
    b_name: str
    since: dt.date | None
    #: a relationship's ``level`` and ``responsible``; a tie's ``tie_kind``,
    #: ``strength`` and ``directed`` (the views phrase them)
    details: dict[str, Any]


@dataclass
class RankMove:
    """Influence rank of one person on each side (1 = most influential; None: absent)."""

    person: str
    name: str
    before: int | None
    after: int | None
    holder_before: bool
    holder_after: bool
    top_before: bool
    top_after: bool

    @property
    def change(self) -> int | None:
        """Places gained (positive: moved up)."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after


@dataclass
class OpportunityChange:
    """Coverage, role holders and influence ranks of one opportunity on each side."""

    opportunity: str
    name: str
    coverage_before: float | None
    coverage_after: float | None
    steps: list[dict[str, Any]]
    holders: list[dict[str, Any]]
    ranks: list[RankMove]
    entered_top: list[str]
    left_top: list[str]

    @property
    def coverage_change(self) -> float | None:
        if self.coverage_before is None or self.coverage_after is None:
            return None
        return self.coverage_after - self.coverage_before


#: The lists of :meth:`Diff.to_dict` that :meth:`Diff.rows` stacks, in this order.
DIFF_SECTIONS = (
    "rotations",
    "structure",
    "level_changes",
    "relationships_added",
    "relationships_removed",
    "ties_added",
    "ties_removed",
    "opportunities",
)


@dataclass
class Diff(Tabular):
    """Everything that changed between two views of the map.

    :meth:`rows` and :meth:`to_pandas` stack every change of :meth:`to_dict` into
    one long table, the list it came from in the first column ``section``.
    """

    mode: str
    before: str
    after: str
    from_day: dt.date
    to_day: dt.date
    top: int
    rotations: list[Rotation] = field(default_factory=list)
    level_changes: list[LevelChange] = field(default_factory=list)
    relationships_added: list[Link] = field(default_factory=list)
    relationships_removed: list[Link] = field(default_factory=list)
    ties_added: list[Link] = field(default_factory=list)
    ties_removed: list[Link] = field(default_factory=list)
    opportunities: list[OpportunityChange] = field(default_factory=list)
    reforms: list[ReformChange] = field(default_factory=list)
    #: Dated reporting lines, oversight (分管), parents and guidance that began or ended.
    structure: list[StructureChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing at all changed."""
        moved = any(
            (o.coverage_change or 0.0) != 0.0
            or o.holders
            or o.entered_top
            or o.left_top
            or any(r.change for r in o.ranks)
            for o in self.opportunities
        )
        return not (
            self.reforms
            or self.rotations
            or self.structure
            or self.level_changes
            or self.relationships_added
            or self.relationships_removed
            or self.ties_added
            or self.ties_removed
            or moved
        )

    frame_columns = ("section",)

    def rows(self) -> list[dict[str, Any]]:
        """One row per change: ``section`` (rotations, level_changes, …), then its fields."""
        data = self.to_dict()
        return [
            {"section": section, **item}
            for section in DIFF_SECTIONS
            for item in data.get(section, [])
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: codes, ids and numbers (dates as text, scores rounded).

        :func:`stakegraph.views.json_out.diff_document` adds the labels ``--json`` prints.
        """

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        def link(item: Link) -> dict[str, Any]:
            return {**asdict(item), "since": day(item.since)}

        def rnd(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "mode": self.mode,
            "before": self.before,
            "after": self.after,
            "from": day(self.from_day),
            "to": day(self.to_day),
            "top": self.top,
            "reforms": [{**asdict(r), "day": day(r.day)} for r in self.reforms],
            "rotations": [_rotation_dict(r, day(r.date)) for r in self.rotations],
            "moves": _moves(self.rotations),
            # only when there is any, so diffs of workspaces without dated structure stay as they were
            **({"structure": [c.to_dict() for c in self.structure]} if self.structure else {}),
            "level_changes": [
                {
                    "relationship": c.relationship,
                    "owner": c.owner,
                    "owner_name": c.owner_name,
                    "person": c.person,
                    "person_name": c.person_name,
                    "before": c.before.value,
                    "after": c.after.value,
                    "direction": c.direction,
                    "strength_before": round(c.strength_before, 4),
                    "strength_after": round(c.strength_after, 4),
                    "stated_before": c.stated_before.value if c.stated_before else None,
                    "stated_after": c.stated_after.value if c.stated_after else None,
                }
                for c in self.level_changes
            ],
            "relationships_added": [link(x) for x in self.relationships_added],
            "relationships_removed": [link(x) for x in self.relationships_removed],
            "ties_added": [link(x) for x in self.ties_added],
            "ties_removed": [link(x) for x in self.ties_removed],
            "opportunities": [
                {
                    "opportunity": o.opportunity,
                    "name": o.name,
                    "coverage_before": rnd(o.coverage_before),
                    "coverage_after": rnd(o.coverage_after),
                    "coverage_change": rnd(o.coverage_change),
                    "steps": o.steps,
                    "holders": o.holders,
                    "ranks": [{**asdict(r), "change": r.change} for r in o.ranks],
                    "entered_top": o.entered_top,
                    "left_top": o.left_top,
                }
                for o in self.opportunities
            ],
            "empty": self.empty,
        }


def _rotation_dict(r: Rotation, date: str | None) -> dict[str, Any]:
    data = {**asdict(r), "date": date}
    # the flag only on an acting tenure, so other rotations read as before
    if not data.pop("acting"):
        return data
    return {**data, "acting": True}


def _moves(rotations: list[Rotation]) -> list[dict[str, Any]]:
    """Per person, the posts left and joined: ``王五: 副局长 → 副主任``."""
    out: dict[str, dict[str, Any]] = {}
    for r in rotations:
        entry = out.setdefault(
            r.person, {"person": r.person, "name": r.name, "left": [], "joined": []}
        )
        entry["left" if r.change == "out" else "joined"].append(r.post_label)
    return list(out.values())


# --- the two entry points ------------------------------------------------------------------


def diff(
    workspace: Workspace,
    from_day: dt.date,
    to_day: dt.date,
    opportunities: list[str] | None = None,
    top: int = 10,
    after: PersonNetwork | None = None,
    progress: Callable[[], None] | None = None,
) -> Diff:
    """What changed in one workspace between ``from_day`` and ``to_day``.

    Definition
    ----------
    Each side is the map as it stood that day
    (:func:`~stakegraph.graph.network.build_network`, which applies
    :func:`~stakegraph.graph.timeline.workspace_on`: re-assessments up to the
    day overlaid, relationships and ties not yet begun left out).

    - reforms: every reform (机构改革) dated in the interval (from, to], with a
      sentence in Chinese and one in English
      (:func:`~stakegraph.records.naming.describe_reform`);
    - rotations: every tenure starting (``in``) or ending (``out``) in the interval
      (from, to]; a tenure's end is the day the person left, so these are exactly
      the holder changes between the two days. A holder who goes on from a
      predecessor post to its successor on a reform day
      (:func:`~stakegraph.records.lineage.continued_on`) did not rotate: neither
      side is listed;
    - structure: every dated reporting line, oversight (分管, a 分工调整 is one
      ending and another beginning), parent and guidance that begins or ends in
      the interval (:func:`~stakegraph.analysis.structure_diff.structure_changes`);
    - level changes: relationships on both sides whose level
      :func:`~stakegraph.graph.strength.level_from_scores` differs;
    - relationships and ties added: on the later side only (their ``since`` falls in
      the interval); removed: on the earlier side only (never, for one workspace);
    - per opportunity (all, or ``opportunities``): coverage overall and per step on
      each side (:func:`~stakegraph.analysis.coverage.coverage`, each side with its
      own influence), role holders that changed, and influence ranks
      (:func:`~stakegraph.analysis.influence.influence` personalised by the
      opportunity) of every role holder and every top-``top`` person on either
      side, with who entered and left the top ``top``.

    Parameters
    ----------
    workspace : Workspace
        As loaded (not a network's view of one day).
    from_day, to_day : datetime.date
        ``from_day`` must be before ``to_day``.
    opportunities : list of str, optional
    top : int
    after : PersonNetwork, optional
        ``build_network(workspace, to_day)`` when the caller has it already (a
        report does), so it is not built again.
    progress : callable, optional
        Called once per opportunity compared (a book of accounts can take minutes).

    Returns
    -------
    Diff

    Complexity
    ----------
    Two network builds, then per opportunity two influence and coverage runs:
    O(opportunities × iterations × edges) plus O(tenures + relationships + ties).

    References
    ----------
    GLOSSARY: 平调/轮岗 (rotation: the decision right stays with the post), the four
    relationship levels of seed 003, and 管控关键关系的五步骤 step 5 (execute and
    correct) for comparing the map with itself over time.
    """
    if from_day >= to_day:
        raise StakegraphError(
            f"--from {from_day} is not before --to {to_day}; give the earlier date first."
        )
    if after is not None and after.day != to_day:
        raise ValueError(f"the network given as after is of {after.day}, not of {to_day}")
    before = build_network(workspace, from_day)
    after = after or build_network(workspace, to_day)
    rotations = []
    for person in workspace.persons.values():
        for tenure in person.tenures:
            for change, when in (("in", tenure.start), ("out", tenure.end)):
                if when is None or not from_day < when <= to_day:
                    continue
                if _carried_across(workspace, person.id, tenure.post, change, when):
                    continue
                rotation = _rotation(workspace, person.id, tenure.post, change, when)
                rotation.acting = tenure.acting
                rotations.append(rotation)
    rotations.sort(key=_rotation_key)
    result = Diff(
        "dates", from_day.isoformat(), to_day.isoformat(), from_day, to_day, top, rotations
    )
    result.reforms = [
        ReformChange(
            r.id,
            r.kind.value,
            r.of.value,
            r.day,
            list(r.predecessors),
            list(r.successors),
            *describe_reform(workspace, r),
        )
        for r in reforms_between(workspace, from_day, to_day)
    ]
    result.structure = structure_changes(workspace, from_day, to_day)
    _compare(result, before, after, opportunities, progress)
    return result


def diff_workspaces(
    old: Workspace,
    new: Workspace,
    day: dt.date,
    opportunities: list[str] | None = None,
    top: int = 10,
    progress: Callable[[], None] | None = None,
) -> Diff:
    """What changed from one version of a workspace (``old``) to another (``new``) on ``day``.

    Definition
    ----------
    Both versions are viewed on the same day. Rotations compare the holders of
    every post on ``day``: a person holding it only in ``new`` rotated in (dated by
    their tenure's start in ``new``), a person holding it only in ``old`` rotated
    out (dated by their tenure's end in ``new``, None when ``new`` no longer lists
    the tenure). Relationships and ties are matched by id: on one side only means
    added or removed. Level changes, coverage and ranks as in :func:`diff`.

    Complexity: as :func:`diff`.

    References
    ----------
    As :func:`diff`.

    Examples
    --------
    Removing ``zhao`` from the sample workspace (:mod:`stakegraph.records.sample`)
    removes his relationship with ``liu`` and his tie to ``wang``, and with them the
    only channel to the ``portal`` chain's decision maker (coverage 0.4 → 0).

    >>> from stakegraph.analysis.whatif import Change, apply_changes
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> changed = apply_changes(ws, [Change("remove_person", "zhao")], SAMPLE_DAY)
    >>> result = diff_workspaces(ws, changed, SAMPLE_DAY)
    >>> [x.id for x in result.relationships_removed], [x.id for x in result.ties_removed]
    (['liu~zhao'], ['zhao~wang~classmate'])
    >>> [(o.opportunity, o.coverage_before, o.coverage_after) for o in result.opportunities]
    [('portal', 0.4, 0.0)]
    """
    before = build_network(old, day)
    after = build_network(new, day)
    rotations = []
    for post_id in dict.fromkeys([*old.posts, *new.posts]):
        was = old.holders(post_id, day) if post_id in old.posts else []
        now = new.holders(post_id, day) if post_id in new.posts else []
        for pid in now:
            if pid not in was:
                when = _tenure_date(new, pid, post_id, day, "start")
                rotations.append(_rotation(new, pid, post_id, "in", when))
        for pid in was:
            if pid not in now:
                ws = new if pid in new.persons and post_id in new.posts else old
                when = _tenure_date(new, pid, post_id, day, "end")
                rotations.append(_rotation(ws, pid, post_id, "out", when))
    rotations.sort(key=_rotation_key)
    result = Diff("workspaces", old.name, new.name, day, day, top, rotations)
    _compare(result, before, after, opportunities, progress)
    return result


def changes_since_review(
    workspace: Workspace,
    day: dt.date,
    since: dt.date | None = None,
    opportunities: list[str] | None = None,
    top: int = 10,
    after: PersonNetwork | None = None,
    progress: Callable[[], None] | None = None,
) -> Diff | None:
    """What changed since the last review: the diff from ``since`` to ``day``.

    ``since`` defaults to the latest ``created`` date of the saved plan lines
    (:func:`~stakegraph.analysis.review.last_review_date`), the day the plan was
    last reviewed and saved. Returns None when there is no such date or it is not
    before ``day`` (nothing to compare). Pass the workspace as loaded, not a
    network's view of one day: the view already carries that day's scores.
    ``after`` and ``progress`` as in :func:`diff`.

    Complexity: as :func:`diff`.
    """
    start = since or last_review_date(workspace, day)
    if start is None or start >= day:
        return None
    return diff(workspace, start, day, opportunities, top, after, progress)


# --- helpers -------------------------------------------------------------------------------


def _carried_across(ws: Workspace, pid: str, post_id: str, change: str, when: dt.date) -> bool:
    """Whether a tenure's start or end on ``when`` is a holder going on across a reform."""
    if not ws.reforms:
        return False
    if change == "in":
        return continued_from(ws, pid, post_id, when) is not None
    return continued_on(ws, pid, post_id, when) is not None


def _rotation(ws: Workspace, pid: str, post_id: str, change: str, when: dt.date | None) -> Rotation:
    name = ws.persons[pid].name_on(when)  # the name they went by that day
    return Rotation(pid, name, post_id, post_label(ws, post_id), change, when)


def _rotation_key(r: Rotation) -> tuple:
    # out before in on the same day: a handover reads predecessor first
    return (r.date or dt.date.min, 0 if r.change == "out" else 1, r.post, r.person)


def _tenure_date(ws: Workspace, pid: str, post_id: str, day: dt.date, which: str) -> dt.date | None:
    """The start (of the tenure active on ``day``) or the end (of the latest ended one)."""
    if pid not in ws.persons:
        return None
    tenures = [t for t in ws.persons[pid].tenures if t.post == post_id]
    if which == "start":
        return next((t.start for t in tenures if t.active_on(day)), None)
    ends = [t.end for t in tenures if t.end is not None and t.end <= day]
    return max(ends, default=None)


def _name(primary: Workspace, fallback: Workspace, collection: str, rid: str) -> str:
    for ws in (primary, fallback):
        record = ws.records[collection].get(rid)
        if record is not None:
            return getattr(record, "name", rid)
    return rid


def _compare(
    result: Diff,
    before: PersonNetwork,
    after: PersonNetwork,
    opportunities: list[str] | None,
    progress: Callable[[], None] | None = None,
) -> None:
    """Fill in levels, links and opportunities from the two sides' networks."""
    old, new = before.workspace, after.workspace
    rels_old, rels_new = old.relationships, new.relationships
    for rid, rel in rels_new.items():
        prev = rels_old.get(rid)
        if prev is None:
            continue
        level_old = level_from_scores(prev.scores(), old.settings)
        level_new = level_from_scores(rel.scores(), new.settings)
        if level_old != level_new:
            result.level_changes.append(
                LevelChange(
                    rid,
                    rel.owner,
                    _name(new, old, "owners", rel.owner),
                    rel.person,
                    _name(new, old, "persons", rel.person),
                    level_old,
                    level_new,
                    relationship_strength(prev, before.day, old.settings),
                    relationship_strength(rel, after.day, new.settings),
                    prev.level,
                    rel.level,
                )
            )
    result.level_changes.sort(
        key=lambda c: (c.direction != "down", c.person, c.owner, c.relationship)
    )

    def rel_link(ws: Workspace, other: Workspace, rel) -> Link:
        level = level_from_scores(rel.scores(), ws.settings)
        return Link(
            rel.id,
            "relationship",
            rel.owner,
            _name(ws, other, "owners", rel.owner),
            rel.person,
            _name(ws, other, "persons", rel.person),
            rel.since,
            {"level": level.value, "responsible": rel.responsible},
        )

    def tie_link(ws: Workspace, other: Workspace, tie) -> Link:
        return Link(
            tie.id,
            "tie",
            tie.a,
            _name(ws, other, "persons", tie.a),
            tie.b,
            _name(ws, other, "persons", tie.b),
            tie.since,
            {"tie_kind": tie.kind.value, "strength": tie.strength, "directed": tie.directed},
        )

    result.relationships_added = [
        rel_link(new, old, r) for rid, r in rels_new.items() if rid not in rels_old
    ]
    result.relationships_removed = [
        rel_link(old, new, r) for rid, r in rels_old.items() if rid not in rels_new
    ]
    result.ties_added = [
        tie_link(new, old, t) for tid, t in new.ties.items() if tid not in old.ties
    ]
    result.ties_removed = [
        tie_link(old, new, t) for tid, t in old.ties.items() if tid not in new.ties
    ]

    if opportunities is None:
        wanted = list(dict.fromkeys([*old.opportunities, *new.opportunities]))
    else:
        for opp in opportunities:
            if opp not in old.opportunities and opp not in new.opportunities:
                new.get("opportunities", opp)  # the usual unknown-id message
        wanted = list(opportunities)
    for opp in wanted:
        result.opportunities.append(_opportunity_change(opp, before, after, result.top))
        if progress is not None:
            progress()


def _side(network: PersonNetwork, opp: str) -> tuple[Coverage, Influence] | None:
    if opp not in network.workspace.opportunities:
        return None
    infl = influence(network, opp)
    return coverage(network, opp, infl), infl


def _holder_sets(
    network: PersonNetwork, opp: str
) -> tuple[dict[tuple[str, int], tuple[str, ...]], set[tuple[tuple[str, int], str]]]:
    """The holders of each role as written, and the (role, person) pairs that are acting."""
    if opp not in network.workspace.opportunities:
        return {}, set()
    out: dict[tuple[str, int], tuple[str, ...]] = {}
    acting: set[tuple[tuple[str, int], str]] = set()
    for step in resolve_chain(network.workspace, opp, network.day):
        for role in step.roles:
            # keyed by the role as written, so a post split in a reform is one role
            key = (step.id, role.written_index)
            out[key] = tuple(dict.fromkeys([*out.get(key, ()), *role.holders]))
            acting.update((key, pid) for pid in role.acting)
    return out, acting


def _acting_names(
    field: str, primary: Workspace, fallback: Workspace, acting: list[str]
) -> dict[str, list[str]]:
    return {field: [_name(primary, fallback, "persons", p) for p in acting]} if acting else {}


def _opportunity_change(
    opp: str, before: PersonNetwork, after: PersonNetwork, top: int
) -> OpportunityChange:
    old, new = before.workspace, after.workspace
    side_a, side_b = _side(before, opp), _side(after, opp)
    cov_a, infl_a = side_a if side_a else (None, None)
    cov_b, infl_b = side_b if side_b else (None, None)

    step_names: dict[str, str] = {}
    for cov in (cov_a, cov_b):
        for h in cov.holders if cov else []:
            step_names.setdefault(h.step, h.step_name)
    steps = []
    for sid, name in step_names.items():
        a = cov_a.steps.get(sid) if cov_a else None
        b = cov_b.steps.get(sid) if cov_b else None
        steps.append(
            {
                "step": sid,
                "name": name,
                "before": None if a is None else round(a, 4),
                "after": None if b is None else round(b, 4),
                "change": None if a is None or b is None else round(b - a, 4),
            }
        )

    (holders_a, acting_a), (holders_b, acting_b) = (
        _holder_sets(before, opp),
        _holder_sets(after, opp),
    )
    holders = []
    for key in dict.fromkeys([*holders_a, *holders_b]):
        was, now = holders_a.get(key, ()), holders_b.get(key, ())
        if set(was) == set(now):
            continue
        # the step as the later side has it, else as the earlier one did
        opp_ws, step = next(
            (ws, s)
            for ws in (new, old)
            if opp in ws.opportunities
            for s in ws.opportunities[opp].chain
            if s.id == key[0]
        )
        role = step.roles[key[1]] if key[1] < len(step.roles) else None
        post = role.post if role else None
        holders.append(
            {
                "step": key[0],
                "step_name": step.name,
                "role": role.role.value if role else None,
                "post": post,
                "post_label": post_label(opp_ws, post) if post and post in opp_ws.posts else None,
                "before": [_name(old, new, "persons", p) for p in was],
                "after": [_name(new, old, "persons", p) for p in now],
                # only when someone acts (主持工作), so other changes read as before
                **_acting_names(
                    "acting_before", old, new, [p for p in was if (key, p) in acting_a]
                ),
                **_acting_names("acting_after", new, old, [p for p in now if (key, p) in acting_b]),
            }
        )

    role_a = {p for hs in holders_a.values() for p in hs}
    role_b = {p for hs in holders_b.values() for p in hs}
    top_a = infl_a.top(top) if infl_a is not None else []
    top_b = infl_b.top(top) if infl_b is not None else []

    def rank(infl: Influence | None, pid: str) -> int | None:
        if infl is None or pid not in infl.index:
            return None
        return infl.rank_of(pid)

    ranks = []
    for pid in dict.fromkeys([*top_b, *sorted(role_b), *top_a, *sorted(role_a)]):
        ranks.append(
            RankMove(
                pid,
                _name(new, old, "persons", pid),
                rank(infl_a, pid),
                rank(infl_b, pid),
                pid in role_a,
                pid in role_b,
                pid in top_a,
                pid in top_b,
            )
        )
    big = 1 << 30
    ranks.sort(key=lambda r: (r.after or big, r.before or big, r.person))
    opp_ws = new if opp in new.opportunities else old
    return OpportunityChange(
        opportunity=opp,
        name=opp_ws.opportunities[opp].name,
        coverage_before=cov_a.overall if cov_a else None,
        coverage_after=cov_b.overall if cov_b else None,
        steps=steps,
        holders=holders,
        ranks=ranks,
        entered_top=[p for p in top_b if p not in top_a],
        left_top=[p for p in top_a if p not in top_b],
    )
