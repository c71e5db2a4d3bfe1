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
from stakegraph.records.validate import check_workspace
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, full_scores

START = dt.date(2020, 1, 1)


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
    w.add(
        Relationship(**full_scores(5, owner="me", person="dm", last_contact=DAY, responsible=True))
    )
    w.add(Relationship(**full_scores(2, owner="you", person="ev", last_contact=DAY)))
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


def test_rotation_onto_a_held_single_seat_post_is_refused_as_check_refuses_it(ws):
    with pytest.raises(StakegraphError) as refused:
        apply_changes(ws, [Change("rotate", "ev", "boss")], DAY)
    # the same overlap written in the files: check's words, then the scenario's advice
    written = ws.copy()
    written.persons["ev"].tenures[0].end = DAY
    written.persons["ev"].tenures.append(Tenure(post="boss", start=DAY))
    (problem,) = [p for p in check_workspace(written) if p.record_id == "ev"]
    said = f"{problem.message} Fix: {problem.hint}"
    assert said in str(refused.value)
    assert str(refused.value).startswith("--rotate ev:boss: person 'ev' field 'tenures[1]': ")
    assert "move the holder out in the same scenario" in str(refused.value)


def test_rotation_onto_a_post_its_holder_leaves_in_the_same_scenario_is_allowed(ws):
    for changes in (
        [Change("rotate", "ev", "boss"), Change("rotate", "dm", "elsewhere")],
        [Change("rotate", "dm", "elsewhere"), Change("rotate", "ev", "boss")],
        [Change("rotate", "ev", "boss"), Change("remove_person", "dm")],
    ):
        changed = apply_changes(ws, changes, DAY)
        assert changed.holders("boss", DAY) == ["ev"]
        assert changed.holders("eval", DAY) == []


def test_rotation_into_a_post_with_a_free_seat_keeps_its_holder(ws):
    ws.posts["boss"].seats = 2
    changed = apply_changes(ws, [Change("rotate", "ev", "boss")], DAY)
    assert changed.holders("boss", DAY) == ["dm", "ev"]
    assert changed.holders("eval", DAY) == []


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


def _kinds(gaps):
    return sorted((g.kind.value, g.person) for g in gaps)


def test_an_owner_leaving_changes_a_weak_gap_to_uncovered_instead_of_closing_it(ws):
    ws.relationships["you~ev"].last_contact = DAY - dt.timedelta(days=400)
    result = what_if(ws, "opp", DAY, [Change("owner_leaves", "you")])
    moves = result.gap_moves
    assert [
        (c.before.kind.value, c.after.kind.value, c.after.person) for c in moves.changed_kind
    ] == [("WEAK", "UNCOVERED", "ev")]
    # the stale contact left with the relationship: not a gap we closed
    assert _kinds(moves.gone_with_owner) == [("SINGLE_THREADED", "ev"), ("STALE", "ev")]
    assert moves.closed == [] and moves.gone_with_holder == []
    assert ("UNCOVERED", "ev") not in _kinds(moves.opened)
    # every gap of the plain differences lands in exactly one list
    sorted_out = [*moves.closed, *moves.gone_with_owner, *moves.gone_with_holder]
    sorted_out += [c.before for c in moves.changed_kind]
    assert _kinds(sorted_out) == _kinds(result.gaps_removed)
    assert _kinds([*moves.opened, *(c.after for c in moves.changed_kind)]) == _kinds(
        result.gaps_added
    )


def test_a_rotated_gap_goes_with_the_owner_who_knew_the_predecessor(ws):
    ws.add(
        Person(
            id="old",
            name="前任",
            tenures=[Tenure(post="eval", start=START, end=START.replace(year=2026))],
        )
    )
    ws.persons["ev"].tenures[0].start = START.replace(year=2026)
    ws.relationships["you~ev"].last_contact = None
    ws.relationships.pop("you~ev")
    ws.add(Relationship(**full_scores(3, owner="you", person="old", last_contact=DAY)))
    before = what_if(ws, "opp", DAY, [Change("remove_person", "bystander")]).before
    assert ("ROTATED", "ev") in _kinds(before.gaps)
    moves = what_if(ws, "opp", DAY, [Change("owner_leaves", "you")]).gap_moves
    assert ("ROTATED", "ev") in _kinds(moves.gone_with_owner)
    assert ("ROTATED", "ev") not in _kinds(moves.closed)


def test_a_stronger_relationship_closes_the_weak_gap_at_the_threshold(ws):
    # cover 1.95/5 = 0.39 is just below weak_threshold 0.4; 2/5 = 0.4 is not below it
    ws.add(Relationship(**full_scores(1.95, owner="you", person="ev", last_contact=DAY)))
    assert ("WEAK", "ev") in _kinds(what_if(ws, "opp", DAY, []).before.gaps)
    moves = what_if(ws, "opp", DAY, [parse_relationship_change("you:ev:2")]).gap_moves
    assert _kinds(moves.closed) == [("WEAK", "ev")]
    assert moves.changed_kind == [] and moves.gone_with_owner == [] and moves.opened == []


def test_gaps_of_a_holder_who_leaves_go_with_the_holder(ws):
    ws.add(Relationship(**full_scores(1.95, owner="you", person="ev", last_contact=DAY)))
    moves = what_if(ws, "opp", DAY, [Change("remove_person", "ev")]).gap_moves
    assert ("WEAK", "ev") in _kinds(moves.gone_with_holder)
    assert moves.closed == [] and ("VACANT", None) in _kinds(moves.opened)


# --- scores of a larger region, given from elsewhere ---------------------------------------
def _given_scores(scores: dict[str, float]):
    """A ``region_scores`` that gives a network these scores (all formal), and the calls."""
    import numpy as np

    from stakegraph.analysis.influence import Influence, RegionInfluence

    calls = []

    def give(network):
        calls.append(network)
        score = np.array([scores[p] for p in network.persons])
        zero = np.zeros(len(score))
        network.memo.get_or_build(
            RegionInfluence("portal"),
            lambda: Influence(network.persons, score, score, zero, zero, zero, 1, "portal"),
        )

    return give, calls


def test_given_region_scores_hold_before_and_after_an_owner_leaves():
    from stakegraph.records.sample import SAMPLE_DAY, sample_workspace

    ws = sample_workspace()
    # wang 0.2 < li 0.3 < zhao 0.5: the reverse of the sample's own order
    give, calls = _given_scores({"wang": 0.2, "li": 0.3, "zhao": 0.5})
    result = what_if(ws, "portal", SAMPLE_DAY, [Change("owner_leaves", "liu")], region_scores=give)
    assert len(calls) == 1  # asked once, for the baseline
    for infl in (result.influence_before, result.influence_after):
        assert infl.top() == ["zhao", "li", "wang"]
        assert infl.score.tolist() == [0.2, 0.3, 0.5]
    assert result.influence_after.network is not result.influence_before.network
    assert result.rank_changes == []
    own = what_if(ws, "portal", SAMPLE_DAY, [Change("owner_leaves", "liu")])
    assert own.influence_before.top() != ["zhao", "li", "wang"]


def test_given_region_scores_give_the_own_answer_when_they_are_the_own_scores():
    from stakegraph.analysis.influence import influence
    from stakegraph.graph.network import build_network
    from stakegraph.records.sample import SAMPLE_DAY, sample_workspace

    ws = sample_workspace()
    own = influence(build_network(ws, SAMPLE_DAY), "portal")
    give, _ = _given_scores(dict(zip(own.persons, own.score.tolist(), strict=True)))
    changes = [parse_relationship_change("chen:wang:5")]
    given = what_if(ws, "portal", SAMPLE_DAY, changes, region_scores=give)
    plain = what_if(ws, "portal", SAMPLE_DAY, changes)
    assert given.after.overall == pytest.approx(plain.after.overall)
    assert given.after.overall > given.before.overall  # the new relationship covers wang
    assert [g.kind for g in given.gaps_removed] == [g.kind for g in plain.gaps_removed]


@pytest.mark.parametrize(
    "change", [Change("remove_person", "zhao"), Change("leave_post", "li", "deputy")]
)
def test_given_region_scores_refuse_a_change_that_moves_influence(change):
    from stakegraph.records.sample import SAMPLE_DAY, sample_workspace

    give, _ = _given_scores({"wang": 0.2, "li": 0.3, "zhao": 0.5})
    with pytest.raises(StakegraphError, match="moves influence"):
        what_if(sample_workspace(), "portal", SAMPLE_DAY, [change], region_scores=give)
