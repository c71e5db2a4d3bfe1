"""Saving the plan as actions and reviewing it (five steps, 4 and 5): hand-computed.

Every relationship has its last contact on the review day, so recency is 1 on
every day up to it and a person's cover is the strongest direct relationship:
mean score / 5 (no ties here).
"""

import datetime as dt

import pytest

from stakegraph.analysis.plan import engagement_plan
from stakegraph.analysis.review import (
    Correction,
    last_review_date,
    plan_action_id,
    plan_actions,
    review,
)
from stakegraph.config import ReviewSettings
from stakegraph.graph.network import build_network
from stakegraph.records.model import (
    Action,
    ActionStatus,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
)
from stakegraph.records.workspace import Workspace
from stakegraph.views.json_out import review_document
from tests.builders import DAY

PLANNED = dt.date(2026, 10, 8)


def _rel(owner: str, person: str, score: float, **extra) -> Relationship:
    scores = dict.fromkeys(
        ("acceptance", "participation", "information", "guidance", "support", "preference"),
        score,
    )
    return Relationship(owner=owner, person=person, last_contact=DAY, **scores, **extra)


def review_workspace() -> Workspace:
    """Bureau bdb: director xu, deputy ma until 2026-09-07 then zhou; ma moves to zwfw."""
    ws = Workspace(name="review")
    ws.add(Organisation(id="gov", name="市政府", kind="government"))
    ws.add(Organisation(id="bdb", name="大数据局", parent="gov"))
    ws.add(Organisation(id="zwfw", name="政务服务局", parent="gov"))
    ws.add(Post(id="director", org="bdb", title="局长", grade=5, leadership=True))
    ws.add(Post(id="deputy", org="bdb", title="副局长", grade=4, reports_to="director"))
    ws.add(Post(id="zwfw-deputy", org="zwfw", title="副局长", grade=4))
    ws.add(Person(id="xu", name="许", tenures=[{"post": "director"}]))
    ws.add(
        Person(
            id="ma",
            name="马",
            tenures=[
                {"post": "deputy", "end": dt.date(2026, 9, 7)},
                {"post": "zwfw-deputy", "start": dt.date(2026, 9, 7)},
            ],
        )
    )
    ws.add(Person(id="zhou", name="周", tenures=[{"post": "deputy", "start": dt.date(2026, 9, 7)}]))
    ws.add(Person(id="gao", name="高"))
    ws.add(Person(id="he", name="何"))
    ws.add(Owner(id="liu", name="刘", tier=3))
    ws.add(Owner(id="zhang", name="张", tier=2))
    ws.add(Owner(id="li", name="李", tier=2, capacity=0))
    ws.add(_rel("liu", "xu", 3, responsible=True))  # strength 0.6
    ws.add(_rel("zhang", "gao", 4))  # 0.8
    ws.add(_rel("liu", "he", 2))  # 0.4
    ws.add(_rel("liu", "ma", 1))  # 0.2
    ws.add(
        Opportunity(
            id="opp",
            name="城市大脑",
            client="bdb",
            chain=[
                {
                    "name": "立项",
                    "roles": [
                        {"post": "director", "role": "decision_maker"},
                        {"post": "deputy", "role": "evaluator"},
                    ],
                }
            ],
        )
    )

    def log(iid, day, owners, persons=(), orgs=()):
        ws.add(
            Interaction(
                id=iid,
                date=day,
                kind="visit",
                owners=list(owners),
                persons=list(persons),
                orgs=list(orgs),
            )
        )

    log("i-same-day", PLANNED, ["liu"], ["he"])  # on the planning day: not after it
    log("i-xu-1", dt.date(2026, 10, 20), ["liu"], ["xu"])
    log("i-xu-2", dt.date(2026, 11, 10), ["liu", "zhang"], ["xu"])
    log("i-gao", dt.date(2026, 11, 1), ["zhang"], ["gao"])
    log("i-ma", dt.date(2026, 10, 1), ["liu"], ["ma"])
    log("i-org", dt.date(2026, 7, 10), ["zhang"], orgs=["bdb"])
    log("i-late", dt.date(2026, 12, 2), ["li"], ["xu"])  # after the review day

    def act(aid, owner, created, **extra):
        extra.setdefault("opportunity", "opp")
        ws.add(Action(id=aid, owner=owner, action=f"do {aid}", created=created, **extra))

    act("a-overdue", "liu", PLANNED, person="xu", due=dt.date(2026, 11, 15), baseline_cover=0.6)
    act(
        "a-improved",
        "zhang",
        PLANNED,
        person="gao",
        due=dt.date(2026, 11, 30),
        status="done",
        done=dt.date(2026, 11, 20),
        baseline_cover=0.2,
    )
    act(
        "a-flat",
        "liu",
        PLANNED,
        person="he",
        due=dt.date(2026, 11, 30),
        status="done",
        done=dt.date(2026, 11, 2),
        baseline_cover=0.4,
    )
    act(
        "a-rotated",
        "liu",
        dt.date(2026, 9, 1),
        person="ma",
        due=dt.date(2026, 12, 31),
        status="in_progress",
        baseline_cover=0.2,
    )
    act("a-owner-gone", "li", dt.date(2026, 11, 20), person="xu", due=dt.date(2026, 12, 31))
    act("a-not-owner", "zhang", dt.date(2026, 11, 25), person="xu", due=dt.date(2026, 12, 31))
    act(
        "a-org",
        "zhang",
        dt.date(2026, 7, 1),
        org="bdb",
        origin="improvement",
        opportunity=None,
        due=dt.date(2026, 7, 31),
        status="done",
        done=dt.date(2026, 7, 20),
    )
    act(
        "a-dropped",
        "liu",
        dt.date(2026, 10, 1),
        person="xu",
        due=dt.date(2026, 10, 15),
        status="dropped",
    )
    act(
        "a-done-later",
        "liu",
        dt.date(2026, 11, 1),
        person="xu",
        due=dt.date(2026, 12, 31),
        status="done",
        done=dt.date(2026, 12, 5),
    )
    act("a-future", "liu", dt.date(2026, 12, 1), person="xu")
    return ws


@pytest.fixture
def result():
    return review(build_network(review_workspace(), DAY))


def _by_id(res):
    return {item.id: item for item in res.actions}


def test_actions_created_after_the_day_are_left_out(result):
    assert "a-future" not in _by_id(result)
    assert len(result.actions) == 9


def test_overdue_action_with_evidence_is_executed_but_late(result):
    item = _by_id(result)["a-overdue"]
    assert item.overdue and item.days_overdue == 13  # due 2026-11-15
    # logged after 2026-10-08 with liu and xu: 10-20 and 11-10 (12-02 is after the day)
    assert item.evidence == ["i-xu-1", "i-xu-2"]
    assert item.last_evidence == dt.date(2026, 11, 10)
    assert item.executed
    assert [r.kind for r in item.reasons] == [Correction.OVERDUE]
    assert item.cover == pytest.approx(0.6) and item.cover_change == 0


def test_done_with_improved_cover_needs_nothing(result):
    item = _by_id(result)["a-improved"]
    assert item.cover == pytest.approx(0.8) and item.cover_change == pytest.approx(0.6)
    assert item.evidence == ["i-gao"] and item.reasons == []
    assert not item.needs_correction


def test_done_without_improvement_and_without_contact(result):
    item = _by_id(result)["a-flat"]
    # cover 0.4 = baseline 0.4: not improved; the only contact is on the planning day
    assert item.cover == pytest.approx(0.4)
    assert item.evidence == []
    assert item.executed  # done counts as executed
    assert [r.kind for r in item.reasons] == [Correction.NOT_IMPROVED, Correction.NO_CONTACT]


def test_rotated_target_is_flagged_with_the_successor(result):
    item = _by_id(result)["a-rotated"]
    assert item.rotated_from == ["deputy"]
    assert item.evidence == ["i-ma"] and not item.overdue
    assert [r.kind for r in item.reasons] == [Correction.TARGET_ROTATED]
    assert "大数据局副局长 (now 周)" in item.reasons[0].text


def test_owner_with_no_capacity_and_owner_no_longer_responsible(result):
    gone = _by_id(result)["a-owner-gone"]
    # 8 days old: within the grace period, so silence is not yet blamed
    assert [r.kind for r in gone.reasons] == [Correction.OWNER_LEFT]
    assert "capacity 0" in gone.reasons[0].text
    other = _by_id(result)["a-not-owner"]
    assert [r.kind for r in other.reasons] == [Correction.OWNER_LEFT]
    assert "刘 is" in other.reasons[0].text


def test_organisation_target_counts_org_interactions(result):
    item = _by_id(result)["a-org"]
    assert item.evidence == ["i-org"] and item.cover is None and item.reasons == []


def test_done_after_the_day_was_still_open_and_dropped_needs_nothing(result):
    later = _by_id(result)["a-done-later"]
    assert later.status == ActionStatus.IN_PROGRESS and later.done is None
    assert later.evidence == ["i-xu-2"] and later.executed
    dropped = _by_id(result)["a-dropped"]
    assert dropped.reasons == [] and not dropped.overdue


def test_totals_planned_vs_executed(result):
    t = result.totals
    assert (t.planned, t.executed, t.done, t.overdue, t.dropped, t.needs_correction) == (
        8,
        6,
        3,
        1,
        1,
        5,
    )
    assert t.rate == pytest.approx(6 / 8)
    opp, none = result.by_opportunity["opp"], result.by_opportunity[None]
    assert (opp.planned, opp.executed) == (7, 5) and (none.planned, none.executed) == (1, 1)
    liu, zhang, li = (result.by_owner[o] for o in ("liu", "zhang", "li"))
    assert (liu.planned, liu.executed, liu.dropped, liu.needs_correction) == (4, 4, 1, 3)
    assert (zhang.planned, zhang.executed, zhang.needs_correction) == (3, 2, 1)
    assert (li.planned, li.executed) == (1, 0)


def test_filters_and_plain_data():
    ws = review_workspace()
    net = build_network(ws, DAY)
    since = review(net, since=dt.date(2026, 11, 1))
    assert sorted(i.id for i in since.actions) == ["a-done-later", "a-not-owner", "a-owner-gone"]
    only = review(net, opportunity="opp")
    assert "a-org" not in {i.id for i in only.actions}
    data = review(net).to_dict()
    row = next(r for r in data["actions"] if r["id"] == "a-rotated")
    assert row["rotated_from"] == ["大数据局副局长"] and row["person_name"] == "马"
    assert row["reasons"][0]["kind"] == "TARGET_ROTATED"
    assert data["totals"]["planned"] == 8
    assert {r["owner"] for r in data["by_owner"]} == {"liu", "zhang", "li"}
    # the analysis keeps codes; the document the command prints names them
    assert "status_label" not in row and "label" not in row["reasons"][0]
    shown = review_document(review(net))
    row = next(r for r in shown["actions"] if r["id"] == "a-rotated")
    assert row["reasons"][0]["label"] == "对象轮岗 target rotated"
    assert row["status_label"] == "进行中 in progress"
    groups = {g["opportunity"]: g["name"] for g in shown["by_opportunity"]}
    assert groups[None] == "无商机 no opportunity" and None in {
        g["opportunity"] for g in data["by_opportunity"] if g["name"] is None
    }


def test_grace_days_decides_when_silence_counts():
    net = build_network(review_workspace(), DAY)
    strict = {i.id: i for i in review(net, grace_days=0).actions}
    assert Correction.NO_CONTACT in [r.kind for r in strict["a-owner-gone"].reasons]


def test_review_settings_set_the_default_due_date_and_grace():
    ws = review_workspace()
    default = {i.id: i for i in review(build_network(ws, DAY)).actions}
    assert Correction.NO_CONTACT not in [r.kind for r in default["a-owner-gone"].reasons]
    ws.settings = ws.settings.model_copy(
        update={"review": ReviewSettings(due_days=10, grace_days=0)}
    )
    net = build_network(ws, DAY)
    strict = {i.id: i for i in review(net).actions}
    assert Correction.NO_CONTACT in [r.kind for r in strict["a-owner-gone"].reasons]
    actions, _ = plan_actions(net, "opp", engagement_plan(net, "opp"))
    assert {a.due for a in actions} == {DAY + dt.timedelta(days=10)}


def test_plan_actions_from_the_plan_rows():
    ws = review_workspace()
    net = build_network(ws, DAY)
    rows = engagement_plan(net, "opp")
    actions, skipped = plan_actions(net, "opp", rows)
    assert skipped == []
    assert [a.person for a in actions] == [r.target for r in rows] == ["xu", "zhou"]
    xu = actions[0]
    assert xu.id == plan_action_id("opp", "xu", DAY) == "plan-opp-xu-2026-11-28"
    assert xu.owner == "liu"  # kept: liu is responsible for xu
    assert xu.created == DAY and xu.due == DAY + dt.timedelta(days=30)
    assert xu.status == ActionStatus.PLANNED and xu.opportunity == "opp"
    assert xu.baseline_cover == pytest.approx(0.6)
    assert xu.action.startswith(rows[0].action) and "通道 channel: 刘 → 许" in xu.action
    # zhou: nobody of ours knows them yet
    assert actions[1].baseline_cover == 0.0
    due = dt.date(2026, 12, 31)
    assert {a.due for a in plan_actions(net, "opp", rows, due)[0]} == {due}


def test_last_review_date_is_the_latest_saved_plan():
    ws = review_workspace()
    assert last_review_date(ws) == dt.date(2026, 12, 1)  # a-future
    assert last_review_date(ws, DAY) == dt.date(2026, 11, 25)
    assert last_review_date(Workspace()) is None
