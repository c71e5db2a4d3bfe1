"""Customer satisfaction (客户满意度): surveys over time, complaints and improvements.

Seed 004 ("客户满意度调查的重要性与实施方法") describes the loop this module
follows: listen to the customer's voice, both the *passive* one (complaints,
源于被动的信息) and the *active* one (surveys scored 1–5 per item, 源于主动的信息);
analyse the scores per item and over time; set improvements with a named owner
and a deadline (明确实施的时间表和责任人); then follow up (跟踪与反馈).

Everything is counted per account (:mod:`stakegraph.graph.accounts`):

* a survey answered by an organisation belongs to that organisation's account
  (:func:`~stakegraph.graph.accounts.account_org`); one answered by a person
  belongs to the accounts of the organisations of the posts the person held on
  the survey date, or, when none of those is in an account, to the accounts the
  person belongs to on that date through chain roles (a role naming the person, or
  a post they hold then, as :func:`~stakegraph.graph.accounts.person_accounts`
  counts them);
* a complaint is a logged interaction of kind ``complaint``; it belongs to the
  accounts of the organisations and persons it names, found the same way;
* an improvement is an :class:`~stakegraph.records.model.Action` with origin
  ``improvement`` (or any action linked to a complaint or a survey).

Only what is dated on or before the analysis day counts, so ``--as-of`` shows the
state of the loop as it stood that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from statistics import fmean
from typing import Any, TypeVar

from stakegraph.errors import StakegraphError
from stakegraph.graph.accounts import account_org, accounts
from stakegraph.records.model import Action, ActionOrigin, ActionStatus, InteractionKind, Survey
from stakegraph.records.workspace import Workspace

T = TypeVar("T")

#: How survey dates are grouped into periods; ``date`` keeps each survey date apart.
PERIODS: tuple[str, ...] = ("date", "month", "quarter", "half", "year")

#: Action statuses after which an action can no longer be overdue.
CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)


def period_of(day: dt.date, period: str = "quarter") -> str:
    """The label of the period a date falls in.

    ``date`` → ``2026-06-30``, ``month`` → ``2026-06``, ``quarter`` → ``2026-Q2``,
    ``half`` → ``2026-H1``, ``year`` → ``2026``. Labels of one kind sort in time
    order. O(1).

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date(2026, 12, 1)
    >>> [period_of(day, p) for p in ("date", "month", "quarter", "half", "year")]
    ['2026-12-01', '2026-12', '2026-Q4', '2026-H2', '2026']
    """
    if period == "date":
        return day.isoformat()
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period == "half":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if period == "year":
        return str(day.year)
    raise StakegraphError(f"unknown period '{period}'; use one of: {', '.join(PERIODS)}.")


@dataclass
class PeriodScores:
    """The survey scores of one period.

    Attributes
    ----------
    period : the period label (:func:`period_of`).
    first, last : the earliest and latest survey date in the period.
    surveys : ids of the surveys in the period, in date order.
    respondents : number of distinct respondents (a person, or an organisation
        when the survey names no person).
    items : item → mean score (1–5) over the surveys that scored it.
    answers : item → number of surveys that scored it.
    overall : mean over the period's surveys of each survey's own mean item score,
        so every answer set weighs the same however many items it scored.
    change : item → mean minus the item's mean in the latest earlier period that
        scored it (None the first time an item is scored); item sets often differ
        between a short follow-up and the annual survey.
    overall_change : ``overall`` minus the previous period's ``overall`` (None for
        the first period).
    """

    period: str
    first: dt.date
    last: dt.date
    surveys: list[str]
    respondents: int
    items: dict[str, float]
    answers: dict[str, int]
    overall: float
    change: dict[str, float | None] = field(default_factory=dict)
    overall_change: float | None = None


@dataclass
class Complaint:
    """A complaint (投诉, the passive voice) and what was done about it.

    ``actions`` are the ids of the improvement actions linked to it; a complaint
    without any is flagged by ``without_action``. ``follow_up`` is the date of the
    first survey answered by, or logged interaction other than a complaint with, a
    complainant (its persons; its organisations when it names no person) on or
    after the day the first linked action was done (跟踪与反馈); None when no
    action is done yet or nobody followed up.
    """

    id: str
    date: dt.date
    persons: list[str]
    orgs: list[str]
    owners: list[str]
    notes: str | None
    accounts: list[str]
    actions: list[str]
    without_action: bool
    follow_up: dt.date | None = None


@dataclass
class Improvement:
    """An improvement action (改进措施) with its owner, deadline and state on the day.

    ``status`` is the status on the analysis day: an action recorded as done on a
    later date was still in progress then. ``overdue`` when ``due`` is before the
    day and the status is neither done nor dropped; ``days_overdue`` is then
    ``day − due`` in days (0 otherwise).
    """

    id: str
    action: str
    owner: str
    owner_name: str
    created: dt.date
    due: dt.date | None
    status: str
    done: dt.date | None
    complaint: str | None
    survey: str | None
    person: str | None
    org: str | None
    accounts: list[str]
    overdue: bool
    days_overdue: int


@dataclass
class AccountSatisfaction:
    """Satisfaction of one account: its survey series, complaints and improvements.

    ``account`` is None for the surveys and complaints that belong to no account.
    ``latest`` and ``change`` are the overall mean of the latest period and its
    change on the period before; ``weakest`` the items of the latest period with
    the lowest mean (where to improve first).
    """

    account: str | None
    name: str
    surveys: list[str]
    respondents: int
    periods: list[PeriodScores]
    latest: float | None
    change: float | None
    weakest: list[str]
    complaints: list[str]
    complaints_without_action: list[str]
    actions: list[str]
    open_actions: int
    overdue_actions: int


@dataclass
class Satisfaction:
    """Result of :func:`satisfaction`: per account, per item over time, the loop.

    ``items`` is the series over every survey in scope (all accounts, or the one
    asked for); ``overdue`` the overdue improvements, most overdue first.
    """

    day: dt.date
    period: str
    account: str | None
    items: list[PeriodScores]
    accounts: list[AccountSatisfaction]
    complaints: list[Complaint]
    improvements: list[Improvement]
    overdue: list[Improvement]

    def as_dict(self, digits: int | None = 4) -> dict[str, Any]:
        """Plain data for JSON (dates stay ``datetime.date``), means rounded to ``digits``."""
        return _rounded(asdict(self), digits)


class _AccountFinder:
    """Accounts of organisations and persons on a day.

    A person outside every account's organisations still belongs to the accounts
    whose chains name them or a post they hold on the day; those roles are indexed
    once, so a book of thousands of surveys does not walk every post per date.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        found = accounts(ws)
        self.clients = {a.org for a in found}
        self.order = {a.org: i for i, a in enumerate(found)}
        self.by_post: dict[str, set[str]] = {}
        self.by_person: dict[str, set[str]] = {}
        for account in found:
            for opp_id in account.opportunities:
                for step in ws.opportunities[opp_id].chain:
                    for role in step.roles:
                        if role.person:
                            self.by_person.setdefault(role.person, set()).add(account.org)
                        elif role.post:
                            self.by_post.setdefault(role.post, set()).add(account.org)

    def of_org(self, org_id: str) -> list[str]:
        found = account_org(self.ws, org_id, self.clients)
        return [found] if found else []

    def of_person(self, person_id: str, day: dt.date) -> list[str]:
        out: dict[str, None] = {}
        person = self.ws.persons.get(person_id)
        posts = person.posts_on(day) if person else []
        for post_id in posts:
            post = self.ws.posts.get(post_id)
            for acc in self.of_org(post.org) if post else []:
                out.setdefault(acc, None)
        if out:
            return list(out)
        # no post in an account: the chains that name the person or one of their posts
        roles = set(self.by_person.get(person_id, ()))
        for post_id in posts:
            roles |= self.by_post.get(post_id, set())
        return sorted(roles, key=self.order.__getitem__)

    def of(self, orgs: Iterable[str], persons: Iterable[str], day: dt.date) -> list[str]:
        out: dict[str, None] = {}
        for org_id in orgs:
            for acc in self.of_org(org_id):
                out.setdefault(acc, None)
        for pid in persons:
            for acc in self.of_person(pid, day):
                out.setdefault(acc, None)
        return list(out)


def _by_account(
    items: Iterable[T], accounts_of: Callable[[T], list[str]]
) -> dict[str | None, list[T]]:
    """Items by each account they belong to (None: no account), in their own order."""
    out: dict[str | None, list[T]] = {}
    for item in items:
        found = accounts_of(item)
        for key in dict.fromkeys(found) if found else (None,):
            out.setdefault(key, []).append(item)
    return out


def survey_accounts(
    ws: Workspace, survey: Survey, finder: _AccountFinder | None = None
) -> list[str]:
    """The accounts a survey belongs to (usually one; empty when none).

    The respondent organisation decides when the survey names one that lies in an
    account; otherwise the respondent person, through the posts held on the
    survey date, falling back to the person's accounts on that date. O(accounts ×
    depth) per survey, after one pass over the chains' roles.
    """
    finder = finder or _AccountFinder(ws)
    if survey.org:
        found = finder.of_org(survey.org)
        if found:
            return found
    if survey.person:
        return finder.of_person(survey.person, survey.date)
    return []


def _respondent(survey: Survey) -> str:
    return f"person:{survey.person}" if survey.person else f"org:{survey.org}"


def score_series(surveys: Iterable[Survey], period: str = "quarter") -> list[PeriodScores]:
    """Mean score per item and overall, per period, with the change on earlier periods.

    Definition
    ----------
    For the surveys S_p of period p (surveys without any score are left out):
    ``items[k] = mean of s.scores[k] over s ∈ S_p scoring k``;
    ``overall = mean over s ∈ S_p of mean_k s.scores[k]``;
    ``change[k] = items[k] − items_q[k]`` for the latest earlier period q scoring k;
    ``overall_change = overall − overall of the previous period``.

    Parameters
    ----------
    surveys : the surveys to summarise (any order).
    period : one of :data:`PERIODS`.

    Returns
    -------
    list of PeriodScores, oldest period first.

    Complexity O(S log S + S × items). Reference: seed 004, steps 3 and 5 (a 1–5
    scale per item; classify and compare the data over time).
    """
    if period not in PERIODS:
        raise StakegraphError(f"unknown period '{period}'; use one of: {', '.join(PERIODS)}.")
    groups: dict[str, list[Survey]] = {}
    for survey in sorted(surveys, key=lambda s: (s.date, s.id)):
        if survey.scores:
            groups.setdefault(period_of(survey.date, period), []).append(survey)
    out: list[PeriodScores] = []
    last_mean: dict[str, float] = {}
    for label in sorted(groups):
        group = groups[label]
        items: dict[str, list[int]] = {}
        for survey in group:
            for item, score in survey.scores.items():
                items.setdefault(item, []).append(score)
        means = {item: fmean(scores) for item, scores in items.items()}
        overall = fmean(fmean(s.scores.values()) for s in group)
        change = {
            item: (m - last_mean[item] if item in last_mean else None) for item, m in means.items()
        }
        previous = out[-1].overall if out else None
        out.append(
            PeriodScores(
                period=label,
                first=group[0].date,
                last=group[-1].date,
                surveys=[s.id for s in group],
                respondents=len({_respondent(s) for s in group}),
                items=means,
                answers={item: len(scores) for item, scores in items.items()},
                overall=overall,
                change=change,
                overall_change=None if previous is None else overall - previous,
            )
        )
        last_mean.update(means)
    return out


def _status_on(action: Action, day: dt.date) -> ActionStatus:
    """The status an action had on ``day``: done only from its done date on."""
    if action.status == ActionStatus.DONE and action.done is not None and action.done > day:
        return ActionStatus.IN_PROGRESS
    return action.status


def is_improvement(action: Action) -> bool:
    """Origin ``improvement``, or linked to a complaint or a survey (seed 004 step 6)."""
    return action.origin == ActionOrigin.IMPROVEMENT or bool(action.complaint or action.survey)


def improvement_on(
    ws: Workspace, action: Action, day: dt.date, account_list: list[str] | None = None
) -> Improvement:
    """One improvement action as it stood on ``day``, with overdue days.

    ``overdue = due < day and status(day) ∉ {done, dropped}``;
    ``days_overdue = (day − due).days`` when overdue, else 0. O(1).
    """
    status = _status_on(action, day)
    overdue = action.due is not None and action.due < day and status not in CLOSED
    owner = ws.owners.get(action.owner)
    return Improvement(
        id=action.id,
        action=action.action,
        owner=action.owner,
        owner_name=owner.name if owner else action.owner,
        created=action.created,
        due=action.due,
        status=status.value,
        done=action.done if status == ActionStatus.DONE else None,
        complaint=action.complaint,
        survey=action.survey,
        person=action.person,
        org=action.org,
        accounts=list(account_list or []),
        overdue=overdue,
        days_overdue=(day - action.due).days if overdue and action.due else 0,
    )


def _follow_up(
    ws: Workspace, complainants: set[str], orgs: set[str], since: dt.date, day: dt.date
) -> dt.date | None:
    dates = []
    for item in ws.interactions.values():
        if item.kind == InteractionKind.COMPLAINT or not since <= item.date <= day:
            continue
        if (complainants and complainants & set(item.persons)) or (
            not complainants and orgs & set(item.orgs)
        ):
            dates.append(item.date)
    for survey in ws.surveys.values():
        if not since <= survey.date <= day:
            continue
        if (complainants and survey.person in complainants) or (
            not complainants and survey.org in orgs
        ):
            dates.append(survey.date)
    return min(dates) if dates else None


def satisfaction(
    ws: Workspace, day: dt.date, period: str = "quarter", account: str | None = None
) -> Satisfaction:
    """Surveys per account and per item over time, complaints, improvements, overdue ones.

    Definition
    ----------
    In scope are the surveys and complaints dated on or before ``day`` and the
    improvement actions (:func:`is_improvement`) created on or before it; with
    ``account`` only those belonging to that account (see the module text for how
    a survey, complaint or action finds its accounts: an action through its
    ``org``, else its complaint's or survey's accounts, else its ``person``).
    Scores are summarised with :func:`score_series`, per account and over all
    surveys in scope. A complaint links to the improvements whose ``complaint``
    names it; an improvement is overdue as :func:`improvement_on` says.

    Parameters
    ----------
    ws : the workspace.
    day : the analysis day.
    period : how survey dates are grouped (:data:`PERIODS`; default quarter).
    account : an account organisation id (the client of an opportunity) to
        restrict everything to.

    Returns
    -------
    Satisfaction

    Raises
    ------
    StakegraphError
        ``account`` is not an account of the workspace.

    Complexity O(S log S + C × I + A) for S surveys, C complaints, I interactions
    and A actions, plus one pass over the chains' roles.

    References
    ----------
    Seed 004: passive voice (complaints) and active voice (surveys, 1–5 per item);
    improvement with an owner and a deadline (step 6); follow-up (step 7).

    Examples
    --------
    The sample workspace (:mod:`stakegraph.records.sample`) has one account and
    no surveys, complaints or improvements yet:

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> result = satisfaction(ws, SAMPLE_DAY)
    >>> [(a.account, a.respondents, a.latest, a.open_actions) for a in result.accounts]
    [('bureau', 0, None, 0)]
    """
    finder = _AccountFinder(ws)
    account_list = accounts(ws)
    names = {a.org: a.name for a in account_list}
    if account is not None and account not in names:
        raise StakegraphError(_not_an_account(ws, account, finder, names))

    surveys = [s for s in ws.surveys.values() if s.date <= day]
    survey_acc = {s.id: survey_accounts(ws, s, finder) for s in surveys}
    complaints: list[Complaint] = []
    for item in sorted(ws.interactions.values(), key=lambda i: (i.date, i.id)):
        if item.kind != InteractionKind.COMPLAINT or item.date > day:
            continue
        complaints.append(
            Complaint(
                id=item.id,
                date=item.date,
                persons=list(item.persons),
                orgs=list(item.orgs),
                owners=list(item.owners),
                notes=item.notes,
                accounts=finder.of(item.orgs, item.persons, item.date),
                actions=[],
                without_action=True,
            )
        )
    complaint_acc = {c.id: c.accounts for c in complaints}

    improvements: list[Improvement] = []
    by_complaint: dict[str, list[Action]] = {}
    for action in sorted(ws.actions.values(), key=lambda a: (a.created, a.id)):
        if not is_improvement(action) or action.created > day:
            continue
        if action.org:
            acc = finder.of_org(action.org)
        elif action.complaint in complaint_acc:
            acc = complaint_acc[action.complaint]
        elif action.survey in survey_acc:
            acc = survey_acc[action.survey]
        elif action.person:
            acc = finder.of_person(action.person, day)
        else:
            acc = []
        improvements.append(improvement_on(ws, action, day, acc))
        if action.complaint:
            by_complaint.setdefault(action.complaint, []).append(action)

    for complaint in complaints:
        linked = by_complaint.get(complaint.id, [])
        complaint.actions = [a.id for a in linked]
        complaint.without_action = not linked
        done = [a.done for a in linked if _status_on(a, day) == ActionStatus.DONE and a.done]
        if done:
            complaint.follow_up = _follow_up(
                ws, set(complaint.persons), set(complaint.orgs), min(done), day
            )

    if account is not None:
        surveys = [s for s in surveys if account in survey_acc[s.id]]
        complaints = [c for c in complaints if account in c.accounts]
        improvements = [i for i in improvements if account in i.accounts]

    rows: list[AccountSatisfaction] = []
    keys: list[str | None] = [a.org for a in account_list if account in (None, a.org)]
    if account is None and (
        any(not survey_acc[s.id] for s in surveys)
        or any(not c.accounts for c in complaints)
        or any(not i.accounts for i in improvements)
    ):
        keys.append(None)
    # grouped in one pass each, not filtered once per account
    surveys_of = _by_account(surveys, lambda s: survey_acc[s.id])
    complaints_of = _by_account(complaints, lambda c: c.accounts)
    actions_of = _by_account(improvements, lambda i: i.accounts)
    for key in keys:
        acc_surveys = surveys_of.get(key, [])
        acc_complaints = complaints_of.get(key, [])
        acc_actions = actions_of.get(key, [])
        series = score_series(acc_surveys, period)
        latest = series[-1] if series else None
        weakest: list[str] = []
        if latest:
            low = min(latest.items.values())
            weakest = sorted(k for k, v in latest.items.items() if v == low)
        rows.append(
            AccountSatisfaction(
                account=key,
                name=names[key] if key is not None else "(no account)",
                surveys=[s.id for s in sorted(acc_surveys, key=lambda s: (s.date, s.id))],
                respondents=len({_respondent(s) for s in acc_surveys}),
                periods=series,
                latest=latest.overall if latest else None,
                change=latest.overall_change if latest else None,
                weakest=weakest,
                complaints=[c.id for c in acc_complaints],
                complaints_without_action=[c.id for c in acc_complaints if c.without_action],
                actions=[i.id for i in acc_actions],
                open_actions=sum(1 for i in acc_actions if i.status not in ("done", "dropped")),
                overdue_actions=sum(1 for i in acc_actions if i.overdue),
            )
        )

    overdue = sorted((i for i in improvements if i.overdue), key=lambda i: (-i.days_overdue, i.id))
    return Satisfaction(
        day=day,
        period=period,
        account=account,
        items=score_series(surveys, period),
        accounts=rows,
        complaints=complaints,
        improvements=improvements,
        overdue=overdue,
    )


def _rounded(value: Any, digits: int | None) -> Any:
    if digits is None:
        return value
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    return value


def _not_an_account(ws: Workspace, org_id: str, finder: _AccountFinder, names: dict) -> str:
    known = ", ".join(names) or "none (no opportunity names a client)"
    if org_id in ws.organisations:
        within = finder.of_org(org_id)
        if within:
            return (
                f"'{org_id}' is part of the account '{within[0]}', not an account itself; "
                f"use --account {within[0]}."
            )
        return (
            f"'{org_id}' is not an account (no opportunity names it or an organisation "
            f"above it as client); accounts: {known}."
        )
    return f"no organisation with id '{org_id}'; accounts: {known}."
