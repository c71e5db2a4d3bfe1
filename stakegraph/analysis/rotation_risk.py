"""Rotation risk ahead (轮岗预警): who on a decision chain is likely to leave their post soon.

Officials rotate on terms (轮岗, 交流) and retire at set ages. Instead of learning
that a champion has gone when the ROTATED gap appears, :func:`rotation_risk`
estimates, for every holder of a post on an opportunity's chain, the chance they
leave that post within a horizon, and names the rule that produced the estimate.
:func:`coverage_at_risk` then removes the holders likely to leave with the what-if
machinery (:func:`stakegraph.analysis.whatif.what_if`), says how far coverage
falls, and lists who could follow them: the post's deputies and the officials of
the organisation that guides it (条, ``guided_by``).

The model is a piecewise-constant hazard with stated numbers (``[rotation]`` in
``stakegraph.toml``, see :class:`stakegraph.config.RotationSettings`); it is meant
to be read and argued with, not fitted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from stakegraph.analysis.coverage import warm_cover
from stakegraph.analysis.frames import Tabular
from stakegraph.analysis.whatif import Change, WhatIf, what_if
from stakegraph.config import Settings
from stakegraph.errors import HorizonError
from stakegraph.graph.chains import ResolvedRole, resolve_chain
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.relation_filter import RelationFilter, filtered_network
from stakegraph.records.lineage import career_start
from stakegraph.records.model import Post, Reform, ReformScope, Tenure
from stakegraph.records.workspace import Workspace

#: Days of a year of service (a Julian year, so leap days do not move a term's end).
YEAR_DAYS = 365.25


class RotationRule(StrEnum):
    """The rule that produced an estimate, from the most to the least certain.

    RETIREMENT: the holder reaches the retirement age of their grade within the
    horizon (or already has); TERM_LIMIT: they reach the limit of years in one post
    (必须交流); TERM_DUE: they will have served the expected term by the horizon's
    end; REFORM: a reform of their organisation or post is recent; WITHIN_TERM:
    none of these, the base rate within a term; START_UNKNOWN: the tenure's start is
    not recorded, so only the base rate (and a reform) apply.
    """

    RETIREMENT = "RETIREMENT"
    TERM_LIMIT = "TERM_LIMIT"
    TERM_DUE = "TERM_DUE"
    REFORM = "REFORM"
    WITHIN_TERM = "WITHIN_TERM"
    START_UNKNOWN = "START_UNKNOWN"


_HORIZON = re.compile(r"^\s*(\d{1,5})\s*([dwmy])\s*$", re.IGNORECASE)
_UNIT_WORDS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
#: The longest horizon per unit: ten years.
_MOST = {"d": 3653, "w": 521, "m": 120, "y": 10}


@dataclass(frozen=True)
class Horizon:
    """How far ahead to look: ``amount`` days, weeks, months or years (``unit`` d/w/m/y).

    Months and years are calendar ones: six months from 2026-11-28 end on
    2027-05-28, and from 31 August on the last day of February.

    Examples
    --------
    >>> Horizon.parse("6m").end(dt.date(2026, 11, 28))
    datetime.date(2027, 5, 28)
    >>> Horizon.parse("90d").end(dt.date(2026, 11, 28)), Horizon.parse("1y").text
    (datetime.date(2027, 2, 26), '1y')
    >>> Horizon(6, "m").end(dt.date(2026, 8, 31))
    datetime.date(2027, 2, 28)
    """

    amount: int
    unit: str = "m"

    @classmethod
    def parse(cls, text: str) -> Horizon:
        """Read ``90d``, ``8w``, ``6m`` or ``1y``; a located :class:`HorizonError` otherwise."""
        found = _HORIZON.match(text or "")
        if not found:
            raise HorizonError(
                f"horizon '{text}' cannot be read: write a whole number and a unit, "
                "e.g. 90d (days), 8w (weeks), 6m (months) or 1y (years)."
            )
        amount, unit = int(found.group(1)), found.group(2).lower()
        if not 1 <= amount <= _MOST[unit]:
            raise HorizonError(
                f"horizon '{text}': give from 1 to {_MOST[unit]} {_UNIT_WORDS[unit]} "
                "(at most ten years ahead)."
            )
        return cls(amount, unit)

    @property
    def text(self) -> str:
        """The horizon as it is written: ``6m``."""
        return f"{self.amount}{self.unit}"

    def end(self, day: dt.date) -> dt.date:
        """The last day the horizon covers, counted from ``day``."""
        if self.unit == "d":
            return day + dt.timedelta(days=self.amount)
        if self.unit == "w":
            return day + dt.timedelta(weeks=self.amount)
        return _add_months(day, self.amount * (12 if self.unit == "y" else 1))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def leave_probability(
    served: np.ndarray,
    horizon: float,
    term: np.ndarray | float,
    limit: np.ndarray | float,
    within: float,
    after: float,
    reform_left: np.ndarray | float = 0.0,
    reform: float = 0.0,
    retires: np.ndarray | bool = False,
) -> np.ndarray:
    """Chance of leaving a post within ``horizon`` years under a piecewise hazard.

    Definition
    ----------
    With s the years served on the day (NaN when unknown), T the expected term,
    L the limit of years in one post, H the horizon and r the years left of a
    reform's window, the hazard t years ahead is ``within`` while s + t < T and
    ``after`` from then on, plus ``reform`` while t < r. Its integral over the
    horizon is

        Λ = within·min(H, max(0, T − s)) + after·max(0, H − max(0, T − s))
            + reform·min(H, r),

    (``within``·H for an unknown s), and the chance of leaving is 1 − exp(−Λ).
    It is 1 when the holder retires by the horizon's end (``retires``) or reaches
    the limit: s + H ≥ L.

    Parameters
    ----------
    served : numpy.ndarray
        Years in the post on the day, one per holder; NaN when the start is unknown.
    horizon : float
        Years ahead (H).
    term, limit : numpy.ndarray or float
        Expected term and limit of years in one post, per holder or for all.
    within, after : float
        Hazards per year before and after the expected term.
    reform_left : numpy.ndarray or float
        Years left of the window after a reform (0: none).
    reform : float
        Hazard per year added inside that window.
    retires : numpy.ndarray or bool
        Whether the holder reaches the retirement age by the horizon's end.

    Returns
    -------
    numpy.ndarray
        Probabilities in [0, 1], one per holder.

    Complexity
    ----------
    O(n) for n holders, vectorised.

    References
    ----------
    Kalbfleisch and Prentice, *The Statistical Analysis of Failure Time Data*,
    2nd ed., Wiley, 2002, §2.2 (survival under a piecewise-constant hazard). The
    five-year term and the ten-year limit: 《党政领导干部交流工作规定》(2006), 第七条,
    and 《党政领导干部选拔任用工作条例》(2019).

    Examples
    --------
    Four years served and six months ahead: only the base rate, 0.1 × 0.5. Four
    and three quarter years: a quarter at 0.1 and a quarter at 1.5 a year. Nine
    and three quarter years: the ten-year limit falls inside the horizon.

    >>> p = leave_probability(np.array([4.0, 4.75, 9.75, np.nan]), 0.5, 5.0, 10.0, 0.1, 1.5)
    >>> [round(float(x), 4) for x in p]
    [0.0488, 0.3297, 1.0, 0.0488]
    """
    s = np.asarray(served, dtype=float)
    known = ~np.isnan(s)
    before = np.where(known, np.clip(np.asarray(term) - np.where(known, s, 0.0), 0.0, None), 0.0)
    before = np.where(known, np.minimum(horizon, before), horizon)
    total = within * before + after * (horizon - before)
    total = total + reform * np.minimum(horizon, np.clip(reform_left, 0.0, None))
    chance = 1.0 - np.exp(-total)
    sure = np.asarray(retires, dtype=bool) | (known & (np.where(known, s, 0.0) + horizon >= limit))
    return np.where(sure, 1.0, chance)


@dataclass(frozen=True)
class HolderRisk:
    """The chance one holder of a post on a chain leaves it within the horizon."""

    opportunity: str
    step: str
    step_name: str
    role: str
    post: str
    person: str
    acting: bool
    #: The start of their career on the post (run back across reforms); None if unknown.
    start: dt.date | None
    years: float | None
    term_years: float
    age: int | None
    #: 1 January of the year they reach the retirement age (the earliest it can be).
    retirement: dt.date | None
    #: The recent reform of their organisation or post, when one applies.
    reform: str | None
    probability: float
    rule: RotationRule


@dataclass
class RotationRisk(Tabular):
    """Rotation risk of the chain holders of one or more opportunities on a day.

    :meth:`rows` gives one row per holder, most likely to leave first.
    """

    day: dt.date
    horizon: Horizon
    until: dt.date
    likely: float
    holders: list[HolderRisk] = field(default_factory=list)

    frame_columns = ("opportunity", "step", "post", "person", "probability", "rule")

    def rows(self) -> list[dict[str, Any]]:
        """One row per holder: ids, dates as ISO text, exact numbers, the rule code."""
        out = []
        for h in self.holders:
            row = dict(vars(h))
            row["start"] = h.start.isoformat() if h.start else None
            row["retirement"] = h.retirement.isoformat() if h.retirement else None
            row["rule"] = h.rule.value
            out.append(row)
        return out

    def likely_holders(self) -> list[HolderRisk]:
        """The holders whose chance of leaving is at least the ``likely`` threshold."""
        return [h for h in self.holders if h.probability >= self.likely]


def _by_grade(settings: Settings, values: dict[str, Any], default: Any) -> dict[int, Any]:
    """A per-grade-name setting as grade number -> value (unnamed grades: ``default``)."""
    out = {number: default for number in settings.grades.values()}
    for name, value in values.items():
        if name in settings.grades:
            out[settings.grades[name]] = value
    return out


def _recent_reforms(ws: Workspace, day: dt.date, days: int) -> dict[tuple[str, str], Reform]:
    """(scope, id) -> the latest reform touching it in the ``days`` before ``day``, inclusive."""
    first = day - dt.timedelta(days=days)
    found: dict[tuple[str, str], Reform] = {}
    for reform in sorted(ws.reforms.values(), key=lambda r: (r.day, r.id)):
        if not first < reform.day <= day:
            continue
        for rid in (*reform.predecessors, *reform.successors):
            found[(reform.of.value, rid)] = reform
    return found


def _rules(
    known: np.ndarray, due: np.ndarray, limit: np.ndarray, retires: np.ndarray, reform: np.ndarray
) -> list[RotationRule]:
    codes = np.select(
        [retires, limit, ~known & ~reform, due, reform, ~known],
        ["RETIREMENT", "TERM_LIMIT", "START_UNKNOWN", "TERM_DUE", "REFORM", "START_UNKNOWN"],
        default="WITHIN_TERM",
    )
    return [RotationRule(str(code)) for code in codes]


def rotation_risk(
    network: PersonNetwork,
    opportunities: str | list[str] | None = None,
    horizon: Horizon | None = None,
) -> RotationRisk:
    """The chance each holder of a post on the chains leaves it within ``horizon``.

    Definition
    ----------
    For each holder h of a post p on an opportunity's chain on the network's day
    (:func:`stakegraph.graph.chains.resolve_chain`; a role naming a person rather
    than a post is not assessed), with s the years since h's career on p began
    (:func:`stakegraph.records.lineage.career_start`, so a reform does not restart
    it), T the expected term of p's grade (``[rotation] terms``, else
    ``term_years``), L = ``term_limit_years``, and a reform window when a reform
    of p or of its organisation fell within ``reform_days`` before the day: the
    chance is :func:`leave_probability`. h retires within the horizon when born
    is known and 1 January of (born + retirement age of p's grade) is on or
    before the horizon's end. The rule is the first that holds of RETIREMENT,
    TERM_LIMIT, TERM_DUE (s + H ≥ T), REFORM, then WITHIN_TERM (START_UNKNOWN when
    s is unknown).

    Parameters
    ----------
    network : PersonNetwork
        The network on the day (its workspace and day are used).
    opportunities : str or list of str, optional
        One opportunity id, several, or every opportunity (None).
    horizon : Horizon, optional
        How far ahead; ``[rotation] horizon_months`` months by default.

    Returns
    -------
    RotationRisk
        One :class:`HolderRisk` per holder and opportunity, most likely first
        (ties in chain order).

    Complexity
    ----------
    O(roles × holders + reforms) after the workspace's post index; the hazard
    is vectorised over all holders at once.

    References
    ----------
    See :func:`leave_probability`.

    Examples
    --------
    In the sample workspace the director ``wang`` took the post on 2024-01-01:
    on 2026-12-01 he has served under three years of five, so only the base rate
    applies over the 182 days to 2027-06-01: 1 − exp(−0.1 × 182 / 365.25).

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> risk = rotation_risk(network, "portal", Horizon(6, "m"))
    >>> [(h.person, round(h.years, 2), round(h.probability, 4), h.rule.value) for h in risk.holders]
    [('wang', 2.92, 0.0486, 'WITHIN_TERM')]
    """
    ws = network.workspace
    day = network.day
    rs = ws.settings.rotation
    horizon = horizon or Horizon(rs.horizon_months, "m")
    until = horizon.end(day)
    if opportunities is None:
        ids = list(ws.opportunities)
    elif isinstance(opportunities, str):
        ids = [opportunities]
    else:
        ids = list(opportunities)
    terms = _by_grade(ws.settings, rs.terms, rs.term_years)
    ages = _by_grade(ws.settings, rs.retirement_ages, rs.retirement_age)
    facts = rotation_inputs(ws, day, ids)
    hz = (until - day).days / YEAR_DAYS
    n = len(facts)
    served = np.array([f["served"] for f in facts], dtype=float).reshape(n)
    term = np.array([terms.get(f["grade"], rs.term_years) for f in facts], dtype=float)
    born = [f["born"] for f in facts]
    retirement = [
        dt.date(b + ages.get(f["grade"], rs.retirement_age), 1, 1) if b else None
        for b, f in zip(born, facts, strict=True)
    ]
    retires = np.array([r is not None and r <= until for r in retirement], dtype=bool)
    windows = [_window_left(f, day, rs.reform_days) for f in facts]
    left = np.array([w[1] for w in windows], dtype=float)
    chance = leave_probability(
        served,
        hz,
        term,
        rs.term_limit_years,
        rs.within_term,
        rs.after_term,
        left,
        rs.reform,
        retires,
    )
    known = ~np.isnan(served)
    filled = np.where(known, served, 0.0)
    rules = _rules(
        known,
        known & (filled + hz >= term),
        known & (filled + hz >= rs.term_limit_years),
        retires,
        left > 0,
    )
    holders = [
        HolderRisk(
            opportunity=f["opportunity"],
            step=f["step"],
            step_name=f["step_name"],
            role=f["role"],
            post=f["post"],
            person=f["person"],
            acting=f["acting"],
            start=f["start"],
            years=None if np.isnan(served[i]) else float(served[i]),
            term_years=float(term[i]),
            age=day.year - born[i] if born[i] else None,
            retirement=retirement[i],
            reform=windows[i][0],
            probability=float(chance[i]),
            rule=rules[i],
        )
        for i, f in enumerate(facts)
    ]
    order = sorted(range(n), key=lambda i: -holders[i].probability)
    return RotationRisk(day, horizon, until, rs.likely, [holders[i] for i in order])


def rotation_inputs(ws: Workspace, day: dt.date, opportunities: list[str]) -> list[dict[str, Any]]:
    """What :func:`rotation_risk` estimates from: one dict per holder of a chain post.

    Definition
    ----------
    For each opportunity in turn, each step and role of its chain on ``day``
    (:func:`~stakegraph.graph.chains.resolve_chain`) that names a post, each holder of
    the post that day (:meth:`Workspace.holder_tenures`): the step
    and role (with their places ``step_index``, ``role_index``), the post, its
    organisation and grade, the person, whether they act for the post, the start of
    their career on it (:func:`~stakegraph.records.lineage.career_start`; the
    tenure's start when the workspace has no reforms), their year of birth, and
    the latest reform (by day, then id) of the post or its organisation dated in
    the ``[rotation] reform_days`` days up to ``day`` (``reform``, ``reform_day``;
    None when none). The named query ``rotation_risk_inputs`` returns the same rows.

    Complexity: O(roles × holders × reforms of the person) plus O(reforms) for the
    window. Reference: the rules of :func:`rotation_risk`.
    """
    rs = ws.settings.rotation
    reforms = _recent_reforms(ws, day, rs.reform_days) if ws.reforms and rs.reform_days else {}
    facts = []
    for opp in opportunities:
        for step in resolve_chain(ws, opp, day):
            for role_index, role in enumerate(step.roles):
                if role.post is None:
                    continue
                post = ws.posts[role.post]
                for pid, tenure in ws.holder_tenures(role.post, day):
                    fact = _holder_facts(ws, day, opp, role, post, pid, tenure)
                    reform = _latest_reform(reforms, fact)
                    fact |= {
                        "step_index": step.index,
                        "role_index": role_index,
                        "reform": reform.id if reform else None,
                        "reform_day": reform.day if reform else None,
                    }
                    facts.append(fact)
    return facts


def _holder_facts(
    ws: Workspace,
    day: dt.date,
    opp: str,
    role: ResolvedRole,
    post: Post,
    pid: str,
    tenure: Tenure,
) -> dict[str, Any]:
    """What the hazard needs to know of one holder on one role."""
    start = career_start(ws, pid, post.id, tenure) if ws.reforms else tenure.start
    return {
        "opportunity": opp,
        "step": role.step,
        "step_name": role.step_name,
        "role": role.role.value,
        "post": post.id,
        "org": post.org,
        "grade": post.grade,
        "person": pid,
        "acting": tenure.acting,
        "start": start,
        "served": np.nan if start is None else (day - start).days / YEAR_DAYS,
        "born": ws.persons[pid].born,
    }


def _latest_reform(reforms: dict[tuple[str, str], Reform], facts: dict[str, Any]) -> Reform | None:
    """The latest recent reform of the post or its organisation, by day then id."""
    found = [
        r
        for r in (
            reforms.get((ReformScope.POSTS.value, facts["post"])),
            reforms.get((ReformScope.ORGANISATIONS.value, facts["org"])),
        )
        if r is not None
    ]
    return max(found, key=lambda r: (r.day, r.id)) if found else None


def _window_left(facts: dict[str, Any], day: dt.date, days: int) -> tuple[str | None, float]:
    """(reform id, years of its window left) of the holder's recent reform, if any."""
    if facts["reform"] is None:
        return None, 0.0
    return facts["reform"], (facts["reform_day"] + dt.timedelta(days=days) - day).days / YEAR_DAYS


@dataclass(frozen=True)
class Successor:
    """Someone who could follow a holder likely to leave ``post``.

    ``line`` is ``deputy`` (holds a post of the same organisation that reports to
    ``post``) or ``guided_by`` (holds a post of the same or the next lower grade in
    an organisation that guides ``post``'s: the 条 line). ``cover`` is our best
    cover of them today.
    """

    post: str
    person: str
    holds: str
    line: str
    cover: float


def likely_successors(network: PersonNetwork, post_id: str) -> list[Successor]:
    """Who could follow the holder of ``post_id``: its deputies, then the 条 line.

    Definition
    ----------
    Deputies: the holders on the network's day of the live posts of the same
    organisation whose reporting line of the day (``reports_to``) is the post. The
    条 line: the holders of the live posts whose grade is the post's or one below,
    in the organisations that guide the post's organisation that day
    (``guided_by``). Deputies first, then by grade (senior first), our cover
    (highest first) and id; a person is listed once, and the post's own holders
    never.

    Parameters
    ----------
    network : PersonNetwork
        The network on the day; cover is its :func:`warm_cover`.
    post_id : str

    Returns
    -------
    list of Successor

    Complexity
    ----------
    O(posts) for the scan, after the shared warm cover.

    References
    ----------
    《党政领导干部选拔任用工作条例》(2019), 第四章 (动议: candidates from the unit
    and the system above it).

    Examples
    --------
    In the sample workspace the deputy ``li`` reports to the director:

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(s.person, s.line) for s in likely_successors(network, "director")]
    [('li', 'deputy')]
    """
    ws = network.workspace
    day = network.day
    post = ws.posts[post_id]
    guides = set(ws.organisations[post.org].guided_by_on(day))
    best = warm_cover(network).best
    found: list[tuple[int, int, float, str, Successor]] = []
    for other in ws.live_posts(day):
        if other.id == post_id:
            continue
        if other.org == post.org and other.reports_to_on(day) == post_id:
            line, order = "deputy", 0
        elif other.org in guides and post.grade - 1 <= other.grade <= post.grade:
            line, order = "guided_by", 1
        else:
            continue
        for pid in ws.holders(other.id, day):
            cover = float(best[network.person_index[pid]]) if pid in network.person_index else 0.0
            found.append(
                (order, -other.grade, -cover, pid, Successor(post_id, pid, other.id, line, cover))
            )
    found.sort(key=lambda item: item[:4])
    # the post's own holders are the ones who may leave, never their successors
    seen: set[str] = set(ws.holders(post_id, day))
    out = []
    for *_, successor in found:
        if successor.person not in seen:
            seen.add(successor.person)
            out.append(successor)
    return out


@dataclass
class RotationOutlook:
    """Coverage at risk: what the chain loses if the holders likely to leave do.

    ``risk`` is the estimate for every holder, ``leaving`` the likely ones,
    ``scenario`` the what-if of their leaving their posts on the day, and
    ``successors`` who could follow them, per post.
    """

    opportunity: str
    risk: RotationRisk
    leaving: list[HolderRisk]
    scenario: WhatIf
    successors: dict[str, list[Successor]]

    @property
    def before(self) -> float:
        """Coverage of the chain today."""
        return self.scenario.before.overall

    @property
    def after(self) -> float:
        """Coverage if the likely holders leave."""
        return self.scenario.after.overall


def coverage_at_risk(
    workspace: Workspace,
    opportunity: str,
    day: dt.date,
    horizon: Horizon | None = None,
    relations: RelationFilter | None = None,
) -> RotationOutlook:
    """If the holders likely to leave within ``horizon`` do, how far coverage falls.

    Definition
    ----------
    The likely holders are those of :func:`rotation_risk` with a chance at least
    ``[rotation] likely``. Each leaves the post they hold on the chain on ``day``
    (a ``leave_post`` change: the post falls vacant, the person stays in the
    network as a channel), and :func:`stakegraph.analysis.whatif.what_if` gives
    coverage before and after with the baseline's influence shares, the gaps that
    open and the plan's changes. For each post they leave,
    :func:`likely_successors` lists who could follow.

    Parameters
    ----------
    workspace : Workspace
    opportunity : str
    day : datetime.date
    horizon : Horizon, optional
        ``[rotation] horizon_months`` months by default.
    relations : RelationFilter, optional
        Read only the ties it keeps, on the day and in the scenario.

    Returns
    -------
    RotationOutlook

    Complexity
    ----------
    Three network builds (the day, and the what-if's two) and the analyses of
    :func:`what_if`; linear in the workspace.

    References
    ----------
    See :func:`leave_probability` and :func:`what_if`.

    Examples
    --------
    Born in 1966, the sample's director ``wang`` reaches 60 in 2026 and retires;
    the only role falls vacant and coverage falls from 0.4 to 0:

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> ws.persons["wang"].born = 1966
    >>> outlook = coverage_at_risk(ws, "portal", SAMPLE_DAY, Horizon(6, "m"))
    >>> [(h.person, h.rule.value) for h in outlook.leaving]
    [('wang', 'RETIREMENT')]
    >>> round(outlook.before, 9), outlook.after
    (0.4, 0.0)
    """
    network = filtered_network(build_network(workspace, day), relations)
    risk = rotation_risk(network, opportunity, horizon)
    leaving = risk.likely_holders()
    pairs = list(dict.fromkeys((h.person, h.post) for h in leaving))
    changes = [Change("leave_post", person, post) for person, post in pairs]
    scenario = what_if(workspace, opportunity, day, changes, relations)
    posts = list(dict.fromkeys(post for _, post in pairs))
    successors = {post: likely_successors(network, post) for post in posts}
    return RotationOutlook(opportunity, risk, leaving, scenario, successors)
