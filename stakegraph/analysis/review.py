"""Steps 4 and 5 of the five steps (管控关键关系的五步骤): save the plan, then review it.

Step 4 turns the inverted-triangle plan into action records (owner, target,
action, due date, status, the target's cover on the day): :func:`plan_actions`.
Step 5, execute and correct (执行与纠偏), compares what was planned with what the
interactions log and the map say now: :func:`review`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from stakegraph.analysis.coverage import warm_cover
from stakegraph.analysis.plan import PlanRow
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.lineage import stands_for
from stakegraph.records.model import Action, ActionOrigin, ActionStatus, Interaction
from stakegraph.records.naming import post_label
from stakegraph.records.workspace import Workspace

#: Decimals of a saved baseline cover; the review compares the cover now at the same
#: precision, so a rounding difference never reads as progress.
COVER_DECIMALS = 4


# --- step 4: the plan as actions -----------------------------------------------------------


def plan_action_id(opportunity: str, person: str, day: dt.date) -> str:
    """The id of a saved plan line: ``plan-<opportunity>-<person>-<YYYY-MM-DD>``."""
    return f"plan-{opportunity}-{person}-{day.isoformat()}"


def plan_actions(
    network: PersonNetwork,
    opportunity: str,
    rows: list[PlanRow],
    due: dt.date | None = None,
) -> tuple[list[Action], list[str]]:
    """Action records for the rows of an inverted-triangle plan (step 4, 行动计划).

    Definition
    ----------
    One action per plan row: ``owner`` the row's responsible owner (责任到人; when
    no owner had spare capacity, the paired owner, then the owner of the best
    channel), ``person`` the target, ``action`` the row's next action followed by the
    paired owner and the channel, ``created`` the network's day, ``due`` the given
    date or ``created + [review] due_days`` (30), status ``planned`` and
    ``baseline_cover`` the target's cover that day (the max-product warm cover of
    :func:`~stakegraph.analysis.coverage.warm_cover`, rounded to 4 decimals). The id
    is :func:`plan_action_id`, so the same plan saved twice on one day collides.

    Parameters
    ----------
    network : PersonNetwork
        The network the plan was computed on (its day is the saving day).
    opportunity : str
    rows : list of PlanRow
        From :func:`~stakegraph.analysis.plan.engagement_plan`.
    due : datetime.date, optional

    Returns
    -------
    (actions, skipped) : the actions in plan order, and the targets left out
    because no owner of ours could take them.

    Complexity O(rows) after the plan.

    References
    ----------
    GLOSSARY, 管控关键关系的五步骤 step 4 (action plan); seed 003.

    Examples
    --------
    The plan for the sample workspace's ``portal`` chain
    (:mod:`stakegraph.records.sample`) has one line, ``wang`` through ``liu``'s
    channel (cover 0.4); saved on the day, it is due 30 days later.

    >>> from stakegraph.analysis.plan import engagement_plan
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> actions, _ = plan_actions(network, "portal", engagement_plan(network, "portal"))
    >>> [(a.id, a.owner, a.person, a.due.isoformat(), a.baseline_cover) for a in actions]
    [('plan-portal-wang-2026-12-01', 'liu', 'wang', '2026-12-31', 0.4)]
    """
    ws = network.workspace
    day = network.day
    due = due or day + dt.timedelta(days=ws.settings.review.due_days)
    cover = warm_cover(network).best
    actions: list[Action] = []
    skipped: list[str] = []
    for row in rows:
        owner = row.responsible or row.paired_owner or (row.channel.owner if row.channel else None)
        if owner is None:
            skipped.append(row.target)
            continue
        baseline = float(cover[network.person_index[row.target]])
        actions.append(
            Action(
                id=plan_action_id(opportunity, row.target, day),
                owner=owner,
                action=_action_text(ws, row),
                origin=ActionOrigin.PLAN,
                person=row.target,
                opportunity=opportunity,
                created=day,
                due=due,
                status=ActionStatus.PLANNED,
                baseline_cover=round(baseline, COVER_DECIMALS),
                tags=[row.phase],
            )
        )
    return actions, skipped


def _action_text(ws: Workspace, row: PlanRow) -> str:
    parts = [row.action]
    if row.paired_owner:
        tier = ws.settings.tier_name(row.paired_tier) if row.paired_tier else None
        paired = ws.owners[row.paired_owner].name + (f" ({tier})" if tier else "")
        parts.append(f"对接 paired: {paired}")
    if row.channel is not None:
        names = [ws.owners[row.channel.owner].name]
        names += [ws.persons[p].name for p in row.channel.persons]
        parts.append(f"通道 channel: {' → '.join(names)} ({row.channel.strength:.2f})")
    elif row.introducer:
        parts.append(f"引荐 introducer: {ws.persons[row.introducer].name}")
    return " | ".join(parts)


# --- step 5: execute and correct -----------------------------------------------------------


class Correction(StrEnum):
    OVERDUE = "OVERDUE"
    NOT_IMPROVED = "NOT_IMPROVED"
    NO_CONTACT = "NO_CONTACT"
    OWNER_LEFT = "OWNER_LEFT"
    TARGET_ROTATED = "TARGET_ROTATED"


_CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)


@dataclass
class Reason:
    """Why an action needs correction: a kind and a sentence saying what to do."""

    kind: Correction
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "text": self.text}


@dataclass
class ActionReview:
    """One action as it stands on the review day."""

    id: str
    origin: str
    owner: str
    person: str | None
    org: str | None
    opportunity: str | None
    action: str
    created: dt.date
    due: dt.date | None
    status: ActionStatus
    done: dt.date | None
    overdue: bool
    days_overdue: int
    evidence: list[str]
    last_evidence: dt.date | None
    baseline_cover: float | None
    cover: float | None
    rotated_from: list[str]
    executed: bool
    reasons: list[Reason] = field(default_factory=list)

    @property
    def needs_correction(self) -> bool:
        return bool(self.reasons)

    @property
    def cover_change(self) -> float | None:
        if self.cover is None or self.baseline_cover is None:
            return None
        return round(self.cover - self.baseline_cover, COVER_DECIMALS)


@dataclass
class Tally:
    """Planned vs executed for a group of actions (dropped ones are not planned work)."""

    planned: int = 0
    executed: int = 0
    done: int = 0
    overdue: int = 0
    dropped: int = 0
    needs_correction: int = 0

    def add(self, item: ActionReview) -> None:
        if item.status == ActionStatus.DROPPED:
            self.dropped += 1
            return
        self.planned += 1
        self.executed += item.executed
        self.done += item.status == ActionStatus.DONE
        self.overdue += item.overdue
        self.needs_correction += item.needs_correction

    @property
    def rate(self) -> float:
        return self.executed / self.planned if self.planned else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "planned": self.planned,
            "executed": self.executed,
            "done": self.done,
            "overdue": self.overdue,
            "dropped": self.dropped,
            "needs_correction": self.needs_correction,
            "rate": round(self.rate, 4),
        }


@dataclass
class Review:
    """Progress against the saved plan on one day (五步骤 step 5)."""

    day: dt.date
    since: dt.date | None
    actions: list[ActionReview]
    totals: Tally
    by_opportunity: dict[str | None, Tally]
    by_owner: dict[str, Tally]
    workspace: Workspace = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: codes, names resolved, dates as text.

        :func:`stakegraph.views.json_out.review_document` adds the labels ``--json`` prints.
        """
        ws = self.workspace

        def name(collection: str, rid: str | None) -> str | None:
            if rid is None:
                return None
            record = ws.records[collection].get(rid)
            return getattr(record, "name", rid) if record is not None else rid

        rows = []
        for item in self.actions:
            rows.append(
                {
                    "id": item.id,
                    "origin": item.origin,
                    "owner": item.owner,
                    "owner_name": name("owners", item.owner),
                    "person": item.person,
                    "person_name": name("persons", item.person),
                    "org": item.org,
                    "org_name": name("organisations", item.org),
                    "opportunity": item.opportunity,
                    "action": item.action,
                    "created": item.created.isoformat(),
                    "due": item.due.isoformat() if item.due else None,
                    "status": item.status.value,
                    "done": item.done.isoformat() if item.done else None,
                    "overdue": item.overdue,
                    "days_overdue": item.days_overdue,
                    "evidence": list(item.evidence),
                    "evidence_count": len(item.evidence),
                    "last_evidence": item.last_evidence.isoformat() if item.last_evidence else None,
                    "baseline_cover": item.baseline_cover,
                    "cover": item.cover,
                    "cover_change": item.cover_change,
                    "rotated_from": [post_label(ws, p) for p in item.rotated_from],
                    "executed": item.executed,
                    "needs_correction": item.needs_correction,
                    "reasons": [r.to_dict() for r in item.reasons],
                }
            )
        return {
            "as_of": self.day.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "actions": rows,
            "totals": self.totals.to_dict(),
            "by_opportunity": [
                {
                    "opportunity": opp,
                    "name": name("opportunities", opp),
                    **tally.to_dict(),
                }
                for opp, tally in self.by_opportunity.items()
            ],
            "by_owner": [
                {"owner": oid, "name": name("owners", oid), **tally.to_dict()}
                for oid, tally in self.by_owner.items()
            ],
        }


def evidence_for(
    action: Action, interactions: list[Interaction], day: dt.date
) -> list[Interaction]:
    """Logged interactions that show the action being carried out, oldest first.

    An interaction counts when it is dated after ``created`` and on or before
    ``day``, names the action's owner among its owners, and names the action's
    person among its persons or the action's organisation among its orgs. O(I).
    """
    out = []
    for item in interactions:
        if not (action.created < item.date <= day) or action.owner not in item.owners:
            continue
        if (action.person and action.person in item.persons) or (
            action.org and action.org in item.orgs
        ):
            out.append(item)
    out.sort(key=lambda i: (i.date, i.id))
    return out


def review(
    network: PersonNetwork,
    since: dt.date | None = None,
    opportunity: str | None = None,
    grace_days: int | None = None,
) -> Review:
    """Progress against the action plan on the network's day, and what needs correction.

    Definition
    ----------
    Every action created on or before the day d (and on or after ``since``; only
    those of ``opportunity`` when given) is reviewed:

    - status on d: the recorded status, except that an action done after d was
      still open on d (reported ``in_progress``);
    - overdue: ``due < d`` and the status is neither done nor dropped;
    - evidence: the logged interactions of :func:`evidence_for` (after ``created``,
      on or before d, naming the owner and the person or organisation);
    - executed: done, or with at least one piece of evidence (dropped actions are
      neither planned nor executed work);
    - cover now: the person's max-product warm cover on d (as in coverage), compared
      at 4 decimals with ``baseline_cover``.

    It needs correction, for each that applies:

    - OVERDUE: overdue as above;
    - NOT_IMPROVED: done, with a baseline, and cover now ≤ baseline;
    - NO_CONTACT: no evidence, not dropped, and either done or at least
      ``grace_days`` old;
    - OWNER_LEFT: the owner's capacity is 0, or (plan lines) other owners are now
      marked responsible for the person and the action's owner is not;
    - TARGET_ROTATED: the person no longer holds a post they held on ``created``
      (平调/轮岗: the decision right stays with the post, the plan must follow it).

    Totals count planned (not dropped) and executed actions overall, per
    opportunity and per owner.

    Parameters
    ----------
    network : PersonNetwork
        Built for the review day by :func:`~stakegraph.graph.network.build_network`.
    since : datetime.date, optional
        Only actions created on or after this day (e.g. the latest plan).
    opportunity : str, optional
    grace_days : int, optional
        Age below which an open action with no contact is not yet flagged; default
        ``[review] grace_days`` of the workspace settings (14).

    Returns
    -------
    Review

    Complexity
    ----------
    O(A × I_o + P) with A actions, I_o the interactions naming an action's owner
    and P persons (one shared warm-cover pass).

    References
    ----------
    GLOSSARY, 管控关键关系的五步骤 (five steps: map the chain, define key persons,
    pick target and owner, action plan, execute and correct); seed 003.
    """
    ws = network.workspace
    day = network.day
    if grace_days is None:
        grace_days = ws.settings.review.grace_days
    cover = warm_cover(network).best
    by_owner_log: dict[str, list[Interaction]] = defaultdict(list)
    for item in ws.interactions.values():
        for oid in item.owners:
            by_owner_log[oid].append(item)
    responsible: dict[str, set[str]] = defaultdict(set)
    for rel in ws.relationships.values():
        if rel.responsible:
            responsible[rel.person].add(rel.owner)

    chosen = [
        a
        for a in ws.actions.values()
        if a.created <= day
        and (since is None or a.created >= since)
        and (opportunity is None or a.opportunity == opportunity)
    ]
    chosen.sort(key=lambda a: (a.opportunity or "", a.created, a.due or dt.date.max, a.id))

    items: list[ActionReview] = []
    for action in chosen:
        status = action.status
        if status == ActionStatus.DONE and action.done and action.done > day:
            status = ActionStatus.IN_PROGRESS
        overdue = bool(action.due and action.due < day and status not in _CLOSED)
        found = evidence_for(action, by_owner_log.get(action.owner, []), day)
        now = None
        if action.person is not None and action.person in network.person_index:
            now = round(float(cover[network.person_index[action.person]]), COVER_DECIMALS)
        rotated = _rotated_from(ws, action, day)
        entry = ActionReview(
            id=action.id,
            origin=action.origin.value,
            owner=action.owner,
            person=action.person,
            org=action.org,
            opportunity=action.opportunity,
            action=action.action,
            created=action.created,
            due=action.due,
            status=status,
            done=action.done if status == ActionStatus.DONE else None,
            overdue=overdue,
            days_overdue=(day - action.due).days if overdue and action.due else 0,
            evidence=[i.id for i in found],
            last_evidence=found[-1].date if found else None,
            baseline_cover=action.baseline_cover,
            cover=now,
            rotated_from=rotated,
            executed=status == ActionStatus.DONE or bool(found),
        )
        if status != ActionStatus.DROPPED:
            entry.reasons = _reasons(ws, action, entry, day, grace_days, responsible)
        items.append(entry)

    totals = Tally()
    by_opp: dict[str | None, Tally] = {}
    by_owner: dict[str, Tally] = {}
    for entry in items:
        totals.add(entry)
        by_opp.setdefault(entry.opportunity, Tally()).add(entry)
        by_owner.setdefault(entry.owner, Tally()).add(entry)
    return Review(day, since, items, totals, by_opp, dict(sorted(by_owner.items())), ws)


def _rotated_from(ws: Workspace, action: Action, day: dt.date) -> list[str]:
    """Posts the target held when the action was set and no longer holds on ``day``.

    A post that a reform renamed or merged is still held by a person who holds a
    post standing for it on ``day`` (:func:`~stakegraph.records.lineage.stands_for`).
    """
    if action.person is None or action.person not in ws.persons:
        return []
    person = ws.persons[action.person]
    then = person.posts_on(action.created)
    now = set(person.posts_on(day))
    return [
        p for p in then if p not in now and not (ws.reforms and now & set(stands_for(ws, p, day)))
    ]


def _reasons(
    ws: Workspace,
    action: Action,
    item: ActionReview,
    day: dt.date,
    grace_days: int,
    responsible: dict[str, set[str]],
) -> list[Reason]:
    out: list[Reason] = []
    owner = ws.owners.get(action.owner)
    owner_name = owner.name if owner else action.owner
    target = (
        ws.persons[action.person].name
        if action.person in ws.persons
        else ws.organisations[action.org].name
        if action.org in ws.organisations
        else "the target"
    )
    if item.overdue:
        out.append(
            Reason(
                Correction.OVERDUE,
                f"due {action.due}, {item.days_overdue} days ago and still "
                f"{item.status.value}; {owner_name} to do it or set a new date.",
            )
        )
    if (
        item.status == ActionStatus.DONE
        and item.baseline_cover is not None
        and item.cover is not None
        and item.cover <= item.baseline_cover
    ):
        out.append(
            Reason(
                Correction.NOT_IMPROVED,
                f"done, but our cover of {target} is {item.cover:.2f} "
                f"(was {item.baseline_cover:.2f}); re-assess the relationship or plan the "
                "next step.",
            )
        )
    age = (day - action.created).days
    if not item.evidence and (item.status == ActionStatus.DONE or age >= grace_days):
        out.append(
            Reason(
                Correction.NO_CONTACT,
                f"no interaction of {owner_name} with {target} logged since {action.created}; "
                "log what happened (stakegraph log) or get it started.",
            )
        )
    if owner is not None and owner.capacity == 0:
        out.append(
            Reason(
                Correction.OWNER_LEFT,
                f"{owner_name} has capacity 0 (left or unavailable); hand the action over.",
            )
        )
    elif action.origin == ActionOrigin.PLAN and action.person:
        others = responsible.get(action.person, set())
        if others and action.owner not in others:
            names = ", ".join(ws.owners[o].name for o in sorted(others) if o in ws.owners)
            out.append(
                Reason(
                    Correction.OWNER_LEFT,
                    f"{owner_name} is no longer the responsible owner of {target} "
                    f"({names} is); hand the action over or drop it.",
                )
            )
    if item.rotated_from:
        labels = []
        for post_id in item.rotated_from:
            successors = [ws.persons[p].name for p in ws.holders(post_id, day)]
            label = post_label(ws, post_id)
            labels.append(f"{label} (now {', '.join(successors)})" if successors else label)
        out.append(
            Reason(
                Correction.TARGET_ROTATED,
                f"{target} no longer holds {'; '.join(labels)} (轮岗); the decision right "
                "stays with the post: re-plan for its holder.",
            )
        )
    return out


def last_review_date(workspace: Workspace, day: dt.date | None = None) -> dt.date | None:
    """The latest ``created`` date of the saved plan lines (on or before ``day``)."""
    dates = [
        a.created
        for a in workspace.actions.values()
        if a.origin == ActionOrigin.PLAN and (day is None or a.created <= day)
    ]
    return max(dates, default=None)
