"""Coverage and gaps: hand-computed values on small workspaces, several per gap kind."""

import datetime as dt

import numpy as np
import pytest

from stakegraph.analysis.coverage import GapKind, coverage, warm_cover
from stakegraph.graph.network import build_network
from stakegraph.records.model import (
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Tenure,
    Tie,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, full_scores

LONG_AGO = dt.date(2020, 1, 1)


def base(roles, persons=None, posts=None, relationships=(), ties=(), owners=None):
    """A bureau with posts a (grade 5), b (grade 3), c (grade 3) held by pa, pb, pc."""
    ws = Workspace()
    ws.add(Organisation(id="o", name="局"))
    for post in posts or [
        Post(id="a", org="o", title="局长", grade=5, leadership=True),
        Post(id="b", org="o", title="科长", grade=3, reports_to="a"),
        Post(id="c", org="o", title="科长", grade=3, reports_to="a"),
    ]:
        ws.add(post)
    for person in persons or [
        Person(id=f"p{x}", name=f"人{x}", tenures=[Tenure(post=x, start=LONG_AGO)]) for x in "abc"
    ]:
        ws.add(person)
    for owner in owners or [
        Owner(id="rep", name="代表", tier=1, capacity=5),
        Owner(id="dir", name="总监", tier=3, capacity=5),
    ]:
        ws.add(owner)
    for rel in relationships:
        ws.add(Relationship(**rel))
    for tie in ties:
        ws.add(tie)
    ws.add(Opportunity(id="opp", name="项目", client="o", chain=roles))
    return build_network(ws, DAY)


def step(*roles, name="评审"):
    return {"name": name, "roles": list(roles)}


def kinds(result, person=None):
    return {g.kind for g in result.gaps if person is None or g.person == person}


def test_direct_and_warm_cover_hand_computed():
    net = base(
        [step({"post": "a", "role": "decision_maker"}, {"post": "b", "role": "evaluator"})],
        relationships=[full_scores(4, owner="rep", person="pc", last_contact=DAY)],  # 0.8
        ties=[Tie(a="pc", b="pb", strength=0.5), Tie(a="pb", b="pa", strength=0.5)],
    )
    cover = warm_cover(net, max_hops=2)
    idx = net.person_index
    assert cover.best[idx["pc"]] == pytest.approx(0.8)
    assert cover.best[idx["pb"]] == pytest.approx(0.4)
    assert cover.best[idx["pa"]] == pytest.approx(0.2)
    assert cover.path(idx["pa"]) == (net.owner_index["rep"], [idx["pc"], idx["pb"], idx["pa"]])
    one_hop = warm_cover(net, max_hops=1)
    assert one_hop.best[idx["pa"]] == 0.0


def test_best_per_target_hand_computed():
    """Per target the largest value; on equal values the lowest source; no entry: 0, −1."""
    from stakegraph.analysis.coverage import _best_per_target

    src = np.array([2, 0, 1, 3, 0, 3, 1])
    dst = np.array([1, 1, 1, 0, 0, 2, 2])
    value = np.array([0.5, 0.5, 0.4, 0.3, 0.3, 0.0, 0.0])
    best, source = _best_per_target(src, dst, value, 5)
    assert best.tolist() == [0.3, 0.5, 0.0, 0.0, 0.0]
    # target 1: sources 0 and 2 tie at 0.5 (0 wins), 1 is just below; target 2: all 0
    assert source.tolist() == [0, 0, 1, -1, -1]
    # a value just above the tie decides it, one just below does not
    above = value.copy()
    above[0] = np.nextafter(0.5, 1.0)
    assert _best_per_target(src, dst, above, 5)[1][1] == 2
    below = value.copy()
    below[0] = np.nextafter(0.5, 0.0)
    assert _best_per_target(src, dst, below, 5)[1][1] == 0
    assert [a.tolist() for a in _best_per_target(src[:0], dst[:0], value[:0], 2)] == [
        [0.0, 0.0],
        [-1, -1],
    ]


def test_best_per_target_matches_a_loop_over_the_entries():
    """Against an independent implementation: every entry visited in turn."""
    from stakegraph.analysis.coverage import _best_per_target

    rng = np.random.default_rng(7)
    for entries, n in ((0, 3), (1, 3), (40, 6), (2000, 300)):
        src = rng.integers(0, n, entries)
        dst = rng.integers(0, n, entries)
        value = rng.integers(0, 4, entries) / 4  # few distinct values: many ties
        best, source = _best_per_target(src, dst, value, n)
        want_best, want_source = [0.0] * n, [-1] * n
        for s, d, v in zip(src.tolist(), dst.tolist(), value.tolist(), strict=True):
            if (
                want_source[d] == -1
                or v > want_best[d]
                or (v == want_best[d] and s < want_source[d])
            ):
                want_best[d], want_source[d] = v, s
        assert best.tolist() == want_best
        assert source.tolist() == want_source


def test_warm_path_beats_weak_direct():
    net = base(
        [step({"post": "a", "role": "decision_maker"})],
        relationships=[
            full_scores(1, owner="rep", person="pa", last_contact=DAY),  # 0.2
            full_scores(5, owner="dir", person="pb", last_contact=DAY),
        ],  # 1.0
        ties=[Tie(a="pb", b="pa", strength=0.6)],
    )
    result = coverage(net, "opp")
    (h,) = result.holders
    assert h.cover == pytest.approx(0.6)
    assert h.direct == pytest.approx(0.2)
    assert h.channel_owner == "dir" and h.channel == ["pb", "pa"]
    assert result.overall == pytest.approx(0.6)


def test_overall_is_weight_times_influence_weighted():
    net = base(
        [
            step({"post": "a", "role": "decision_maker", "weight": 1.0}),
            step({"post": "b", "role": "evaluator", "weight": 0.5}, name="审批"),
        ],
        relationships=[full_scores(5, owner="dir", person="pa", last_contact=DAY)],
    )
    result = coverage(net, "opp")
    a, b = result.holders
    expected = (1.0 * a.influence_share * 1.0) / (1.0 * a.influence_share + 0.5 * b.influence_share)
    assert result.overall == pytest.approx(expected)
    assert result.steps == {"s1": pytest.approx(1.0), "s2": 0.0}
    assert max(a.influence_share, b.influence_share) == 1.0


def test_uncovered_and_weak():
    net = base(
        [step({"post": "a", "role": "decision_maker"}, {"post": "b", "role": "evaluator"})],
        relationships=[
            full_scores(1, owner="dir", person="pb", last_contact=DAY, responsible=True)
        ],
    )
    result = coverage(net, "opp")
    assert GapKind.UNCOVERED in kinds(result, "pa")
    assert GapKind.WEAK in kinds(result, "pb")  # 0.2 < 0.4
    assert GapKind.UNCOVERED not in kinds(result, "pb")


def test_stale_by_days_and_by_missing_date():
    net = base(
        [
            step(
                {"post": "a", "role": "decision_maker"},
                {"post": "b", "role": "evaluator"},
                {"post": "c", "role": "user"},
            )
        ],
        relationships=[
            full_scores(5, owner="dir", person="pa", last_contact=DAY - dt.timedelta(days=91)),
            full_scores(5, owner="rep", person="pb"),
            full_scores(5, owner="rep", person="pc", last_contact=DAY - dt.timedelta(days=90)),
        ],
    )
    result = coverage(net, "opp")
    assert GapKind.STALE in kinds(result, "pa")
    assert GapKind.STALE in kinds(result, "pb")
    assert GapKind.STALE not in kinds(result, "pc")


def test_no_owner_unless_someone_is_responsible():
    net = base(
        [step({"post": "a", "role": "decision_maker"}, {"post": "b", "role": "evaluator"})],
        relationships=[
            full_scores(5, owner="dir", person="pa", last_contact=DAY),
            full_scores(5, owner="rep", person="pb", last_contact=DAY, responsible=True),
        ],
    )
    result = coverage(net, "opp")
    assert GapKind.NO_OWNER in kinds(result, "pa")
    assert GapKind.NO_OWNER not in kinds(result, "pb")


def test_single_threaded_step_and_over_capacity():
    roles = [step({"post": "b", "role": "evaluator"}, {"post": "c", "role": "evaluator"})]
    rels = [
        full_scores(5, owner="rep", person="pb", last_contact=DAY, responsible=True),
        full_scores(5, owner="rep", person="pc", last_contact=DAY, responsible=True),
    ]
    result = coverage(base(roles, relationships=rels), "opp")
    assert GapKind.SINGLE_THREADED in kinds(result, "pb")
    assert GapKind.SINGLE_THREADED in kinds(result, "pc")
    two_owners = rels + [full_scores(3, owner="dir", person="pc", last_contact=DAY)]
    result = coverage(base(roles, relationships=two_owners), "opp")
    assert GapKind.SINGLE_THREADED not in kinds(result)
    small = [Owner(id="rep", name="代表", tier=1, capacity=1), Owner(id="dir", name="总监", tier=3)]
    result = coverage(base(roles, relationships=two_owners, owners=small), "opp")
    reasons = [g.reason for g in result.gaps if g.kind == GapKind.SINGLE_THREADED]
    assert any("over capacity 1" in r for r in reasons)


def test_rank_mismatch_two_tiers_below():
    roles = [step({"post": "a", "role": "decision_maker"})]  # grade 5 pairs with director (3)
    rep_only = [full_scores(5, owner="rep", person="pa", last_contact=DAY)]  # rep: tier 1
    assert GapKind.RANK_MISMATCH in kinds(coverage(base(roles, relationships=rep_only), "opp"))
    manager = [Owner(id="rep", name="经理", tier=2), Owner(id="dir", name="总监", tier=3)]
    result = coverage(base(roles, relationships=rep_only, owners=manager), "opp")
    assert GapKind.RANK_MISMATCH not in kinds(result)  # one tier below is fine
    with_dir = rep_only + [full_scores(2, owner="dir", person="pa", last_contact=DAY)]
    assert GapKind.RANK_MISMATCH not in kinds(coverage(base(roles, relationships=with_dir), "opp"))


def test_opponent_and_competitor_leaning_when_weakly_covered():
    roles = [
        step(
            {"post": "a", "role": "decision_maker", "stance": "opponent"},
            {"post": "b", "role": "evaluator", "competitor_leaning": "对手公司"},
            {"post": "c", "role": "user", "stance": "opponent"},
        )
    ]
    rels = [full_scores(5, owner="dir", person="pc", last_contact=DAY)]
    result = coverage(base(roles, relationships=rels), "opp")
    assert GapKind.OPPONENT in kinds(result, "pa")
    assert GapKind.OPPONENT in kinds(result, "pb")
    assert GapKind.OPPONENT not in kinds(result, "pc")  # strongly covered
    assert "对手公司" in next(
        g.reason for g in result.gaps if g.person == "pb" and g.kind == GapKind.OPPONENT
    )


def test_vacant_post_counts_as_uncovered_ground():
    persons = [
        Person(id="pa", name="人a", tenures=[Tenure(post="a", start=LONG_AGO)]),
        Person(
            id="pb", name="人b", tenures=[Tenure(post="b", start=LONG_AGO, end=dt.date(2026, 1, 1))]
        ),
    ]
    net = base(
        [step({"post": "a", "role": "decision_maker"}, {"post": "b", "role": "user"})],
        persons=persons,
        relationships=[full_scores(5, owner="dir", person="pa", last_contact=DAY)],
    )
    result = coverage(net, "opp")
    vacant = [g for g in result.gaps if g.kind == GapKind.VACANT]
    assert len(vacant) == 1 and vacant[0].post == "b" and vacant[0].person is None
    # vacant role: cover 0 with the mean share (1.0 here) → 1 / (1 + 1)
    assert result.overall == pytest.approx(0.5)


def test_rotated_when_relationship_points_at_predecessor():
    persons = [
        Person(
            id="old",
            name="前任",
            tenures=[Tenure(post="a", start=LONG_AGO, end=dt.date(2026, 9, 1))],
        ),
        Person(id="new", name="新任", tenures=[Tenure(post="a", start=dt.date(2026, 9, 1))]),
    ]
    roles = [step({"post": "a", "role": "decision_maker"})]
    rel_old = full_scores(5, owner="dir", person="old", last_contact=dt.date(2026, 6, 1))
    result = coverage(base(roles, persons=persons, relationships=[rel_old]), "opp")
    assert GapKind.ROTATED in kinds(result, "new")
    met_new = [
        rel_old,
        full_scores(3, owner="rep", person="new", last_contact=dt.date(2026, 10, 1)),
    ]
    result = coverage(base(roles, persons=persons, relationships=met_new), "opp")
    assert GapKind.ROTATED not in kinds(result)
    never_knew_old = coverage(base(roles, persons=persons), "opp")
    assert GapKind.ROTATED not in kinds(never_knew_old)


def test_gaps_sorted_by_severity():
    net = base(
        [
            step(
                {"post": "a", "role": "decision_maker", "weight": 1.0},
                {"post": "b", "role": "user", "weight": 0.2},
            )
        ],
    )
    result = coverage(net, "opp")
    severities = [g.severity for g in result.gaps]
    assert severities == sorted(severities, reverse=True)
    assert result.gaps[0].person == "pa"


UNKNOWN = {
    "unknown_org": "o",
    "unknown_grade": 3,
    "unknown_description": "一位评审",
    "role": "evaluator",
}


def test_unknown_holder_counts_as_uncovered_with_its_own_gap():
    net = base(
        [step({"post": "a", "role": "decision_maker"}, UNKNOWN)],
        relationships=[full_scores(5, owner="dir", person="pa", last_contact=DAY)],
    )
    result = coverage(net, "opp")
    unknown = [g for g in result.gaps if g.kind == GapKind.UNKNOWN_HOLDER]
    assert len(unknown) == 1 and unknown[0].person is None and unknown[0].post is None
    assert "局 (正科, 一位评审)" in unknown[0].reason and "identify who" in unknown[0].reason
    holder = next(h for h in result.holders if h.unknown is not None)
    assert (holder.unknown.org, holder.unknown.grade, holder.cover) == ("o", 3, 0.0)
    # pa covered fully (share 1), the unknown holder at 0 with the mean share (1): 1 / 2
    assert result.overall == pytest.approx(0.5)
    assert GapKind.VACANT not in kinds(result) and GapKind.UNCOVERED not in kinds(result)
    row = next(r for r in result.rows() if r["person"] is None)
    assert row["unknown"] == {"org": "o", "grade": 3, "description": "一位评审"}
    assert "unknown" not in next(r for r in result.rows() if r["person"] == "pa")


def test_unknown_holder_gap_gone_once_the_post_is_filled_in():
    relationships = [full_scores(5, owner="dir", person="pa", last_contact=DAY)]
    filled = {"post": "b", "role": "evaluator"}
    result = coverage(
        base([step({"post": "a", "role": "decision_maker"}, filled)], relationships=relationships),
        "opp",
    )
    assert GapKind.UNKNOWN_HOLDER not in kinds(result)
    assert GapKind.UNCOVERED in kinds(result, "pb")  # now a known person to reach
    by_person = {"person": "pb", "role": "evaluator"}
    result = coverage(base([step(by_person)], relationships=relationships), "opp")
    assert GapKind.UNKNOWN_HOLDER not in kinds(result)


def test_filled_in_post_vacant_on_the_day_is_vacant_not_unknown():
    persons = [Person(id="pa", name="人a", tenures=[Tenure(post="a", start=LONG_AGO)])]
    result = coverage(base([step({"post": "b", "role": "evaluator"})], persons=persons), "opp")
    assert {g.kind for g in result.gaps} == {GapKind.VACANT}
