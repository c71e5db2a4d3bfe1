"""Satisfaction surveys, complaints and improvements (seed 004): hand-computed values."""

import datetime as dt

import pytest

from stakegraph.analysis.satisfaction import (
    is_improvement,
    period_of,
    satisfaction,
    score_series,
    survey_accounts,
)
from stakegraph.errors import StakegraphError
from stakegraph.records.model import (
    Action,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Role,
    Step,
    Survey,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY

D = dt.date


def build() -> Workspace:
    """Two accounts (bureau ``bdb`` with a division, finance ``fin``) and one outsider.

    ``he`` heads the division until 2026-09-01, then works at finance; ``ou`` holds no
    post but a role on the finance opportunity.
    """
    ws = Workspace()
    ws.add(Organisation(id="gov", name="市政府", kind="government"))
    ws.add(Organisation(id="bdb", name="大数据局", parent="gov"))
    ws.add(Organisation(id="bdb-div", name="数据科", parent="bdb", kind="division"))
    ws.add(Organisation(id="fin", name="财政局", parent="gov"))
    ws.add(Organisation(id="other", name="外市局"))
    ws.add(Post(id="bdb-head", org="bdb", title="局长", grade=5, leadership=True))
    ws.add(Post(id="div-chief", org="bdb-div", title="科长", grade=3, reports_to="bdb-head"))
    ws.add(Post(id="fin-staff", org="fin", title="科员", grade=1))
    ws.add(Person(id="xu", name="许", tenures=[{"post": "bdb-head"}]))
    ws.add(
        Person(
            id="he",
            name="何",
            tenures=[
                {"post": "div-chief", "start": D(2020, 1, 1), "end": D(2026, 9, 1)},
                {"post": "fin-staff", "start": D(2026, 9, 1)},
            ],
        )
    )
    ws.add(Person(id="ou", name="欧阳"))
    ws.add(Owner(id="liu", name="刘", tier=3))
    ws.add(Owner(id="qiu", name="邱", tier=1))
    ws.add(Opportunity(id="opp-bdb", name="平台", client="bdb"))
    ws.add(
        Opportunity(
            id="opp-fin",
            name="预算系统",
            client="fin",
            chain=[{"name": "评审", "roles": [{"person": "ou", "role": "evaluator"}]}],
        )
    )
    for survey in (
        Survey(id="s1", date=D(2026, 2, 10), org="bdb-div", scores={"质量": 4, "服务": 3}),
        Survey(id="s2", date=D(2026, 3, 20), person="he", scores={"服务": 5, "交付": 3}),
        Survey(id="s3", date=D(2026, 5, 5), org="bdb", scores={"质量": 5, "服务": 4}),
        Survey(id="s4", date=D(2026, 10, 1), person="he", scores={"质量": 3}),
        Survey(id="s5", date=D(2026, 10, 2), person="ou", scores={"服务": 4}),
        Survey(id="s6", date=D(2026, 12, 1), org="bdb", scores={"质量": 1}),
        Survey(id="s7", date=D(2026, 4, 1), org="other", scores={"质量": 5}),
    ):
        ws.add(survey)
    for item in (
        Interaction(id="c1", date=D(2026, 3, 1), kind="complaint", owners=["qiu"], persons=["he"]),
        Interaction(id="c2", date=D(2026, 11, 20), kind="complaint", orgs=["fin"]),
        Interaction(id="c3", date=D(2026, 12, 5), kind="complaint", orgs=["bdb"]),
        Interaction(id="v1", date=D(2026, 3, 15), kind="visit", owners=["qiu"], persons=["he"]),
        Interaction(id="v2", date=D(2026, 3, 25), kind="meeting", owners=["qiu"], persons=["he"]),
    ):
        ws.add(item)
    common = {"origin": "improvement"}
    for action in (
        Action(
            id="a1",
            owner="qiu",
            action="接口扩容",
            complaint="c1",
            created=D(2026, 3, 2),
            due=D(2026, 3, 15),
            status="done",
            done=D(2026, 3, 21),
            **common,
        ),
        Action(
            id="a2",
            owner="liu",
            action="每周通报交付排期",
            survey="s1",
            org="bdb",
            created=D(2026, 2, 15),
            due=D(2026, 10, 31),
            status="in_progress",
            **common,
        ),
        Action(
            id="a3",
            owner="liu",
            action="服务回访",
            survey="s3",
            created=D(2026, 5, 10),
            due=D(2026, 11, 30),
            **common,
        ),
        Action(
            id="a4",
            owner="liu",
            action="取消的措施",
            survey="s1",
            created=D(2026, 2, 15),
            due=D(2026, 6, 1),
            status="dropped",
            **common,
        ),
        Action(id="a5", owner="liu", action="拜访", person="xu", created=D(2025, 12, 1)),
        Action(
            id="a7",
            owner="liu",
            action="以后的措施",
            org="bdb",
            created=D(2026, 12, 1),
            due=D(2026, 12, 2),
            **common,
        ),
    ):
        ws.add(action)
    return ws


def _account(result, key):
    return next(a for a in result.accounts if a.account == key)


def test_period_labels():
    day = D(2026, 8, 9)
    assert [period_of(day, p) for p in ("date", "month", "quarter", "half", "year")] == [
        "2026-08-09",
        "2026-08",
        "2026-Q3",
        "2026-H2",
        "2026",
    ]
    with pytest.raises(StakegraphError, match="unknown period"):
        period_of(day, "week")


def test_survey_accounts_by_org_posts_on_the_date_and_fallback():
    ws = build()
    by_id = {s: survey_accounts(ws, ws.surveys[s]) for s in ws.surveys}
    assert by_id["s1"] == ["bdb"]  # a division answers for its bureau's account
    assert by_id["s2"] == ["bdb"]  # he still headed the division on 2026-03-20
    assert by_id["s4"] == ["fin"]  # ... and had moved to finance by 2026-10-01
    assert by_id["s5"] == ["fin"]  # no post: the chain role on the finance opportunity
    assert by_id["s7"] == []


def test_a_person_outside_the_accounts_belongs_through_a_chain_role_on_their_post():
    # the outsider bureau's head sits on both chains through her post, in account order;
    # before she took the post she belongs to no account
    ws = build()
    ws.add(Post(id="other-head", org="other", title="局长", grade=5))
    ws.add(Person(id="wu", name="吴", tenures=[{"post": "other-head", "start": D(2026, 6, 1)}]))
    for opp_id in ("opp-fin", "opp-bdb"):
        opp = ws.opportunities[opp_id]
        chain = [*opp.chain, Step(name="会签", roles=[Role(post="other-head", role="approver")])]
        ws.add(opp.model_copy(update={"chain": chain}))
    ws.add(Survey(id="s8", date=D(2026, 7, 1), person="wu", scores={"质量": 4}))
    ws.add(Survey(id="s9", date=D(2026, 5, 1), person="wu", scores={"质量": 2}))
    assert survey_accounts(ws, ws.surveys["s8"]) == ["bdb", "fin"]
    assert survey_accounts(ws, ws.surveys["s9"]) == []


def test_series_per_quarter_skips_to_the_latest_period_scoring_an_item():
    ws = build()
    series = score_series([ws.surveys[s] for s in ("s1", "s2", "s3")], "quarter")
    q1, q2 = series
    assert q1.period == "2026-Q1" and q1.surveys == ["s1", "s2"] and q1.respondents == 2
    assert q1.items == {"质量": 4.0, "服务": 4.0, "交付": 3.0}
    assert q1.answers == {"质量": 1, "服务": 2, "交付": 1}
    # each survey weighs once: mean(3.5, 4.0)
    assert q1.overall == pytest.approx(3.75)
    assert q1.overall_change is None and q1.change == {"质量": None, "服务": None, "交付": None}
    assert q2.items == {"质量": 5.0, "服务": 4.0}
    assert q2.change == {"质量": pytest.approx(1.0), "服务": pytest.approx(0.0)}
    assert q2.overall == pytest.approx(4.5) and q2.overall_change == pytest.approx(0.75)


def test_series_per_date_compares_an_item_with_its_last_score():
    ws = build()
    series = score_series([ws.surveys[s] for s in ("s1", "s2", "s3")], "date")
    assert [p.period for p in series] == ["2026-02-10", "2026-03-20", "2026-05-05"]
    assert series[1].change == {"服务": pytest.approx(2.0), "交付": None}
    # 质量 was not scored on 2026-03-20: compare with 2026-02-10
    assert series[2].change["质量"] == pytest.approx(1.0)
    assert series[2].change["服务"] == pytest.approx(-1.0)
    assert series[1].overall_change == pytest.approx(0.5)
    assert series[2].overall_change == pytest.approx(0.5)


def test_per_account_summary():
    result = satisfaction(build(), DAY)
    bdb = _account(result, "bdb")
    assert bdb.surveys == ["s1", "s2", "s3"]  # s6 is after the day
    assert bdb.respondents == 3
    assert bdb.latest == pytest.approx(4.5) and bdb.change == pytest.approx(0.75)
    assert bdb.weakest == ["服务"]
    assert bdb.complaints == ["c1"] and bdb.complaints_without_action == []
    assert bdb.actions == ["a2", "a4", "a1", "a3"]  # by creation date
    assert bdb.open_actions == 2 and bdb.overdue_actions == 1
    fin = _account(result, "fin")
    assert fin.surveys == ["s4", "s5"] and fin.respondents == 2
    assert fin.latest == pytest.approx(3.5) and fin.change is None
    assert fin.complaints == ["c2"] and fin.complaints_without_action == ["c2"]
    assert fin.actions == [] and fin.overdue_actions == 0
    nobody = _account(result, None)
    assert nobody.surveys == ["s7"] and nobody.name == "(no account)"
    assert [a.account for a in result.accounts] == ["bdb", "fin", None]


def test_overall_series_covers_every_survey_in_scope():
    result = satisfaction(build(), DAY)
    periods = {p.period: p for p in result.items}
    assert list(periods) == ["2026-Q1", "2026-Q2", "2026-Q4"]
    q2 = periods["2026-Q2"]
    assert q2.surveys == ["s7", "s3"] and q2.items == {"质量": 5.0, "服务": 4.0}
    assert q2.overall == pytest.approx(4.75)  # mean(5, 4.5)
    q4 = periods["2026-Q4"]
    assert q4.items == {"质量": 3.0, "服务": 4.0} and q4.overall == pytest.approx(3.5)
    assert q4.change == {"质量": pytest.approx(-2.0), "服务": pytest.approx(0.0)}
    assert q4.overall_change == pytest.approx(-1.25)


def test_complaints_link_actions_and_follow_up():
    result = satisfaction(build(), DAY)
    complaints = {c.id: c for c in result.complaints}
    assert list(complaints) == ["c1", "c2"]  # c3 is after the day
    assert complaints["c1"].accounts == ["bdb"] and complaints["c1"].actions == ["a1"]
    assert complaints["c1"].without_action is False
    # a1 was done on 03-21: the visit on 03-15 came before it, the meeting on 03-25 after
    assert complaints["c1"].follow_up == D(2026, 3, 25)
    assert complaints["c2"].without_action is True and complaints["c2"].follow_up is None


def test_overdue_improvements_and_days():
    result = satisfaction(build(), DAY)
    actions = {a.id: a for a in result.improvements}
    assert set(actions) == {"a1", "a2", "a3", "a4"}  # a5 is a plan, a7 later
    assert actions["a2"].overdue and actions["a2"].days_overdue == 28
    assert not actions["a1"].overdue  # done, even if after its due date
    assert not actions["a3"].overdue  # due 2026-11-30, after the day
    assert not actions["a4"].overdue  # dropped
    assert [a.id for a in result.overdue] == ["a2"]
    assert actions["a2"].owner_name == "刘" and actions["a2"].accounts == ["bdb"]
    assert actions["a3"].accounts == ["bdb"]  # through its survey s3


def test_status_on_an_earlier_day():
    result = satisfaction(build(), D(2026, 3, 18))
    actions = {a.id: a for a in result.improvements}
    # recorded as done on 03-21, so still open and 3 days late on 03-18
    assert actions["a1"].status == "in_progress" and actions["a1"].done is None
    assert actions["a1"].overdue and actions["a1"].days_overdue == 3
    assert set(actions) == {"a1", "a2", "a4"}
    assert result.complaints[0].follow_up is None  # nothing done yet


def test_account_filter():
    result = satisfaction(build(), DAY, account="fin")
    assert [a.account for a in result.accounts] == ["fin"]
    assert [c.id for c in result.complaints] == ["c2"]
    assert result.improvements == [] and result.overdue == []
    assert [p.surveys for p in result.items] == [["s4", "s5"]]


@pytest.mark.parametrize(
    "org, message",
    [
        ("bdb-div", "part of the account 'bdb'"),
        ("other", "'other' is not an account"),
        ("nope", "no organisation with id 'nope'"),
    ],
)
def test_unknown_account_is_a_clear_error(org, message):
    with pytest.raises(StakegraphError, match=message):
        satisfaction(build(), DAY, account=org)


def test_what_counts_as_an_improvement():
    plan = Action(id="p", owner="o", action="x", created=DAY)
    assert not is_improvement(plan)
    assert is_improvement(plan.model_copy(update={"complaint": "c1"}))
    assert is_improvement(plan.model_copy(update={"origin": "improvement"}))


def test_as_dict_rounds_and_keeps_dates():
    data = satisfaction(build(), DAY).as_dict()
    assert data["items"][0]["overall"] == 3.75
    assert data["overdue"][0]["due"] == D(2026, 10, 31)
    assert data["accounts"][0]["periods"][1]["overall_change"] == 0.75
