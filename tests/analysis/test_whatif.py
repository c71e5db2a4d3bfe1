"""What-if scenarios: the properties the definitions promise, on hand-made and bundled data."""

import datetime as dt

import pytest

from stakegraph.analysis.whatif import Change, apply_changes, parse_relationship_change, what_if
from stakegraph.errors import StakegraphError, UnknownRecord
from stakegraph.records.model import (
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Tenure,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY

START = dt.date(2020, 1, 1)


def full(value, **extra):
    keys = ("acceptance", "participation", "information", "guidance", "support", "preference")
    return {k: value for k in keys} | extra


@pytest.fixture
def ws():
    w = Workspace()
    w.add(Organisation(id="o", name="局"))
    w.add(Post(id="boss", org="o", title="局长", grade=5, leadership=True))
    w.add(Post(id="eval", org="o", title="科长", grade=3, reports_to="boss"))
    w.add(Post(id="elsewhere", org="o", title="调研员", grade=4))
    w.add(Person(id="dm", name="决策者", tenures=[Tenure(post="boss", start=START)]))
    w.add(Person(id="ev", name="评估者", tenures=[Tenure(post="eval", start=START)]))
    w.add(Person(id="bystander", name="旁观者"))
    w.add(Owner(id="me", name="我", tier=3))
    w.add(Owner(id="you", name="你", tier=1))
    w.add(Relationship(**full(5, owner="me", person="dm", last_contact=DAY, responsible=True)))
    w.add(Relationship(**full(2, owner="you", person="ev", last_contact=DAY)))
    w.add(
        Opportunity(
            id="opp",
            name="项目",
            client="o",
            chain=[
                {
                    "name": "立项",
                    "roles": [{"post": "boss", "role": "decision_maker", "weight": 1.0}],
                },
                {"name": "评审", "roles": [{"post": "eval", "role": "evaluator", "weight": 0.6}]},
            ],
        )
    )
    return w


def test_removing_a_person_with_no_role_leaves_coverage_unchanged(ws):
    result = what_if(ws, "opp", DAY, [Change("remove_person", "bystander")])
    assert result.after.overall == pytest.approx(result.before.overall, abs=1e-12)
    assert result.after.steps == pytest.approx(result.before.steps)
    assert not result.gaps_added and not result.gaps_removed


def test_rotating_the_covered_decision_maker_away_lowers_coverage_by_their_share(ws):
    before = what_if(ws, "opp", DAY, [Change("remove_person", "bystander")]).before
    dm = next(h for h in before.holders if h.person == "dm")
    denominator = sum(h.weight * h.influence_share for h in before.holders)
    share = dm.weight * dm.influence_share * dm.cover / denominator
    result = what_if(ws, "opp", DAY, [Change("rotate", "dm", "elsewhere")])
    assert result.before.overall - result.after.overall == pytest.approx(share, abs=1e-12)
    assert any(g.kind.value == "VACANT" for g in result.gaps_added)


def test_owner_leaving_removes_their_cover(ws):
    result = what_if(ws, "opp", DAY, [Change("owner_leaves", "me")])
    dm_after = next(h for h in result.after.holders if h.person == "dm")
    assert dm_after.cover == 0
    assert result.after.overall < result.before.overall
    assert {g.kind.value for g in result.gaps_added if g.person == "dm"} >= {"UNCOVERED"}


def test_strengthening_a_relationship_raises_coverage(ws):
    change = parse_relationship_change("you:ev:5")
    result = what_if(ws, "opp", DAY, [change])
    assert result.after.overall > result.before.overall
    ev = next(h for h in result.after.holders if h.person == "ev")
    assert ev.cover == pytest.approx(1.0)


def test_scenarios_never_touch_the_original(ws):
    apply_changes(ws, [Change("rotate", "dm", "elsewhere"), Change("owner_leaves", "me")], DAY)
    assert ws.holders("boss", DAY) == ["dm"]
    assert "me" in ws.owners


def test_rotation_onto_a_held_single_seat_post_moves_the_holder_out(ws):
    changed = apply_changes(ws, [Change("rotate", "ev", "boss")], DAY)
    assert changed.holders("boss", DAY) == ["ev"]
    assert changed.holders("eval", DAY) == []
    assert changed.holders("boss", DAY - dt.timedelta(days=1)) == ["dm"]


def test_bad_changes_are_clear(ws):
    with pytest.raises(UnknownRecord, match="no person with id 'nobody'"):
        apply_changes(ws, [Change("remove_person", "nobody")], DAY)
    with pytest.raises(StakegraphError, match="dimension"):
        parse_relationship_change("me:dm:charm=5")
    with pytest.raises(StakegraphError, match="between 0 and 5"):
        parse_relationship_change("me:dm:7")
    assert parse_relationship_change("me:dm:support=5,acceptance=4").scores == (
        ("acceptance", 4.0),
        ("support", 5.0),
    )


def test_rank_moves_name_the_person_and_none_for_one_who_left(ws):
    result = what_if(ws, "opp", DAY, [Change("remove_person", "dm")])
    moves = {m.person: m for m in result.rank_changes}
    assert moves["dm"].after is None and moves["dm"].before >= 1
    assert all(m.before != m.after for m in result.rank_changes)
