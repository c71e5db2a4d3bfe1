"""What the interactions log says about each relationship, and where scores disagree.

Two of the six dimensions (seed 000, 量化评估客户关系) are observable: 活动参与度
(participation: do they take part in our events and meetings?) and 信息传递度
(information: do they pass us information?). The log records both, so the scores
an owner typed can be checked against it, and the trend of every relationship
over its re-assessments can be read off (:func:`level_changes`).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.strength import LEVEL_ORDER, level_from_scores
from stakegraph.graph.timeline import assessments_by_pair, history
from stakegraph.records.workspace import Workspace


def score_from_count(count: int, steps: list[int]) -> int:
    """The score 0–5 a count of contacts earns: how many of the five steps it reaches.

    >>> score_from_count(3, [1, 2, 4, 6, 9])
    2
    """
    return bisect.bisect_right(steps, count)


@dataclass
class Disagreement:
    """A typed score the log does not bear out (the views phrase it as one sentence).

    Attributes
    ----------
    dimension : ``participation`` or ``information``.
    typed : the score in force on the day.
    silent : True when the score is high (4 or more) but nothing was logged for
        ``silent_days``; ``days_silent`` is then how long (None: no contact on record).
    days_silent : see ``silent``.
    suggested : the score the log suggests (when not ``silent``).
    count : the contacts behind ``suggested`` (those sharing information for
        ``information``).
    window_days : the window the contacts were counted in.
    """

    dimension: str
    typed: float
    silent: bool
    days_silent: int | None = None
    suggested: int | None = None
    count: int = 0
    window_days: int = 0


@dataclass
class Evidence:
    """The log's view of one relationship on a day, beside the typed scores.

    Attributes
    ----------
    contacts : interactions naming both owner and person within the window.
    shared : those of them marked ``information_shared``.
    per_90_days : contacts per 90 days over the window.
    last_logged : the latest logged contact on or before the day (None: never).
    days_silent : days since the later of ``last_logged`` and the typed last contact.
    suggested : suggested participation and information scores.
    typed : the participation and information scores in force on the day.
    flags : disagreements (:class:`Disagreement`), none when the log agrees.
    """

    relationship: str
    owner: str
    owner_name: str
    person: str
    person_name: str
    contacts: int
    shared: int
    per_90_days: float
    last_logged: dt.date | None
    days_silent: int | None
    typed: dict[str, float]
    suggested: dict[str, int]
    flags: list[Disagreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evidence(
    network: PersonNetwork, person: str | None = None, owner: str | None = None
) -> list[Evidence]:
    """Contact counts, suggested scores and disagreements for every relationship.

    Definition
    ----------
    For a relationship (owner o, person p) on day d, with window W and steps from
    ``[evidence]`` in stakegraph.toml: ``contacts`` = interactions dated in
    (d − W, d] naming both o and p; ``shared`` = those with ``information_shared``.
    Suggested participation = number of ``participation_steps`` reached by
    ``contacts``; suggested information = number of ``information_steps`` reached by
    ``shared`` (each 0–5). A typed score (as re-assessed up to d) is flagged when it
    differs from the suggestion by ``disagreement`` or more, or when it is 4 or more
    and there has been no contact (logged or typed) for ``silent_days``.

    Complexity O(I·o·p + R) for I interactions with o owners and p persons each.
    Reference: the six dimensions of seed 000; contact frequency and recency as
    components of tie strength (Marsden & Campbell, Social Forces 63, 1984).

    Examples
    --------
    The sample workspace (:mod:`stakegraph.records.sample`) has no interactions
    logged: every suggested score is 0, so typed scores of 3 and 4 differ from the
    log by 3 or more and are flagged.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(e.relationship, e.contacts, e.typed["participation"], e.suggested["participation"])
    ...  for e in evidence(network)]
    [('chen~li', 0, 3.0, 0), ('liu~zhao', 0, 4.0, 0)]
    >>> [len(e.flags) for e in evidence(network)]
    [2, 2]
    """
    ws = network.workspace
    day = network.day
    rule = ws.settings.evidence
    start = day - dt.timedelta(days=rule.window_days)
    dates: dict[tuple[str, str], list[tuple[dt.date, bool]]] = {}
    for item in ws.interactions.values():
        if item.date > day:
            continue
        for o in item.owners:
            for p in item.persons:
                dates.setdefault((o, p), []).append((item.date, item.information_shared))
    rows = []
    for rel in ws.relationships.values():
        if (person and rel.person != person) or (owner and rel.owner != owner):
            continue
        logged = dates.get((rel.owner, rel.person), [])
        recent = [x for x in logged if x[0] > start]
        contacts = len(recent)
        shared = sum(1 for _, s in recent if s)
        last_logged = max((d for d, _ in logged), default=None)
        last = max((x for x in (last_logged, rel.last_contact) if x), default=None)
        silent = (day - last).days if last else None
        typed = {"participation": rel.participation, "information": rel.information}
        suggested = {
            "participation": score_from_count(contacts, rule.participation_steps),
            "information": score_from_count(shared, rule.information_steps),
        }
        flags = []
        for dim in ("participation", "information"):
            if typed[dim] >= 4 and (silent is None or silent >= rule.silent_days):
                flags.append(Disagreement(dim, typed[dim], silent=True, days_silent=silent))
            elif abs(typed[dim] - suggested[dim]) >= rule.disagreement:
                flags.append(
                    Disagreement(
                        dim,
                        typed[dim],
                        silent=False,
                        suggested=suggested[dim],
                        count=contacts if dim == "participation" else shared,
                        window_days=rule.window_days,
                    )
                )
        rows.append(
            Evidence(
                relationship=rel.id,
                owner=rel.owner,
                owner_name=ws.owners[rel.owner].name,
                person=rel.person,
                person_name=ws.persons[rel.person].name,
                contacts=contacts,
                shared=shared,
                per_90_days=round(contacts * 90 / rule.window_days, 2),
                last_logged=last_logged,
                days_silent=silent,
                typed=typed,
                suggested=suggested,
                flags=flags,
            )
        )
    rows.sort(key=lambda e: (-len(e.flags), e.person, e.owner))
    return rows


@dataclass
class LevelChange:
    """A relationship whose level moved at its latest re-assessment on or before a day."""

    relationship: str
    owner: str
    owner_name: str
    person: str
    person_name: str
    before_date: dt.date | None
    before: str
    after_date: dt.date | None
    after: str
    direction: str  # "up" or "down"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def level_changes(ws: Workspace, day: dt.date) -> list[LevelChange]:
    """Relationships whose computed level changed between their last two snapshots.

    Definition
    ----------
    Snapshots are the relationship's own scores and each re-assessment up to
    ``day`` (:func:`~stakegraph.graph.timeline.history`); the level of each is
    :func:`~stakegraph.graph.strength.level_from_scores`. Listed when the level of
    the latest snapshot differs from the one before, drops first. O(R + A log A).
    """
    by_pair = assessments_by_pair(ws)
    out = []
    for rel in ws.relationships.values():
        items = by_pair.get((rel.owner, rel.person))
        if not items:
            continue
        snaps = history(rel, items, until=day)
        if len(snaps) < 2:
            continue
        a, b = snaps[-2], snaps[-1]
        la, lb = level_from_scores(a.scores, ws.settings), level_from_scores(b.scores, ws.settings)
        if la == lb:
            continue
        out.append(
            LevelChange(
                relationship=rel.id,
                owner=rel.owner,
                owner_name=ws.owners[rel.owner].name,
                person=rel.person,
                person_name=ws.persons[rel.person].name,
                before_date=a.date,
                before=la.value,
                after_date=b.date,
                after=lb.value,
                direction="up" if LEVEL_ORDER[lb] > LEVEL_ORDER[la] else "down",
            )
        )
    out.sort(key=lambda c: (c.direction != "down", c.person, c.owner))
    return out


def trend(ws: Workspace, person: str, owner: str | None = None) -> list[dict[str, Any]]:
    """Every snapshot of a person's relationships, oldest first, with level and mean.

    One row per (relationship, snapshot): date, the six scores, their mean, the
    computed level, the stated level and the change of level from the snapshot
    before ("↑", "↓" or ""). O(R + A log A).
    """
    by_pair = assessments_by_pair(ws)
    rows = []
    for rel in ws.relationships.values():
        if rel.person != person or (owner and rel.owner != owner):
            continue
        previous = None
        for snap in history(rel, by_pair.get((rel.owner, rel.person), [])):
            level = level_from_scores(snap.scores, ws.settings)
            move = ""
            if previous is not None and level != previous:
                move = "↑" if LEVEL_ORDER[level] > LEVEL_ORDER[previous] else "↓"
            rows.append(
                {
                    "relationship": rel.id,
                    "owner": rel.owner,
                    "owner_name": ws.owners[rel.owner].name,
                    "date": snap.date,
                    "assessment": snap.assessment,
                    "scores": snap.scores,
                    "mean": round(sum(snap.scores.values()) / 6, 2),
                    "level": level.value,
                    "stated_level": snap.level.value if snap.level else None,
                    "change": move,
                    "source": snap.source,
                }
            )
            previous = level
    return rows
