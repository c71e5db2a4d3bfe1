"""What changed between two days or two versions of a workspace: hand-computed.

The bureau of :func:`tests.test_review.review_workspace` with history between
2026-06-30 and 2026-11-28: deputy ma hands over to zhou on 2026-09-07 and moves to
the service bureau; liu's relationship with he is re-assessed down to all 1s
(preferred → vendor), liu's with xu up to 5,5,5,5,4,4 (partner → strategic); a
classmate tie xu–zhou (0.5) appears on 2026-10-01 and zhang's relationship with
zhou (all 2s) on 2026-10-15. Every relationship's last contact is 2026-11-28, so
recency is 1 and strength is mean score / 5.
"""

import datetime as dt

import pytest

from stakegraph.analysis.coverage import WarmCoverWithin
from stakegraph.analysis.diff import changes_since_review, diff, diff_workspaces
from stakegraph.errors import StakegraphError
from stakegraph.records.model import (
    Action,
    Assessment,
    Opportunity,
    Person,
    Post,
    RelationshipLevel,
    Tenure,
    Tie,
)
from stakegraph.views.json_out import diff_document
from tests.analysis.test_review import _rel, review_workspace
from tests.builders import DAY

FROM = dt.date(2026, 6, 30)
ALL = ("acceptance", "participation", "information", "guidance", "support", "preference")


def diff_workspace():
    ws = review_workspace()
    for aid in list(ws.actions):
        ws.remove("actions", aid)
    ws.add(Assessment(owner="liu", person="he", date=dt.date(2026, 10, 1), **dict.fromkeys(ALL, 1)))
    ws.add(
        Assessment(
            owner="liu",
            person="xu",
            date=dt.date(2026, 8, 1),
            acceptance=5,
            participation=5,
            information=5,
            guidance=5,
            support=4,
            preference=4,
        )
    )
    ws.add(Tie(a="xu", b="zhou", kind="classmate", strength=0.5, since=dt.date(2026, 10, 1)))
    ws.add(_rel("zhang", "zhou", 2, since=dt.date(2026, 10, 15)))
    ws.add(Post(id="head", org="zwfw", title="主任", grade=5))
    # left on the first day itself: not a change inside (from, to]
    ws.add(Person(id="old", name="老", tenures=[{"post": "head", "end": FROM}]))
    # starts on the last day: inside
    ws.add(ws.persons["gao"].model_copy(update={"tenures": [Tenure(post="head", start=DAY)]}))
    ws.add(
        Opportunity(
            id="opp2",
            name="评审",
            client="bdb",
            chain=[{"name": "评审", "roles": [{"post": "deputy", "role": "evaluator"}]}],
        )
    )
    return ws


@pytest.fixture
def result():
    return diff(diff_workspace(), FROM, DAY, top=2)


def test_rotations_are_the_tenure_changes_inside_the_interval(result):
    got = [(r.date, r.person, r.change, r.post) for r in result.rotations]
    handover = dt.date(2026, 9, 7)
    assert got == [
        (handover, "ma", "out", "deputy"),  # the predecessor first
        (handover, "zhou", "in", "deputy"),
        (handover, "ma", "in", "zwfw-deputy"),
        (DAY, "gao", "in", "head"),
    ]
    assert result.rotations[0].post_label == "大数据局副局长"
    moves = {m["person"]: m for m in result.to_dict()["moves"]}
    assert moves["ma"]["left"] == ["大数据局副局长"]
    assert moves["ma"]["joined"] == ["政务服务局副局长"]


def test_levels_from_the_scores_on_each_day(result):
    got = {(c.relationship, c.before, c.after, c.direction) for c in result.level_changes}
    assert got == {
        ("liu~he", RelationshipLevel.PREFERRED, RelationshipLevel.VENDOR, "down"),
        ("liu~xu", RelationshipLevel.PARTNER, RelationshipLevel.STRATEGIC, "up"),
    }
    down = result.level_changes[0]  # falls are listed first
    assert down.relationship == "liu~he"
    assert (down.strength_before, down.strength_after) == pytest.approx((0.4, 0.2))


def test_relationships_and_ties_added(result):
    assert [(x.id, x.since) for x in result.relationships_added] == [
        ("zhang~zhou", dt.date(2026, 10, 15))
    ]
    assert [(x.a, x.b, x.kind) for x in result.ties_added] == [("xu", "zhou", "tie")]
    assert result.relationships_removed == [] and result.ties_removed == []


def test_coverage_of_a_one_role_chain_is_the_holders_cover(result):
    opp2 = next(o for o in result.opportunities if o.opportunity == "opp2")
    # before: ma, liu's 1s → 0.2; after: zhou, best of zhang's 2s (0.4) and
    # liu → xu (now 14/15 = 0.9333) → zhou over the 0.5 tie = 0.4667
    assert opp2.coverage_before == pytest.approx(0.2)
    assert opp2.coverage_after == pytest.approx(14 / 15 * 0.5)
    assert opp2.coverage_change == pytest.approx(14 / 30 - 0.2)
    assert opp2.holders == [
        {
            "step": "s1",
            "step_name": "评审",
            "role": "evaluator",
            "post": "deputy",
            "post_label": "大数据局副局长",
            "before": ["马"],
            "after": ["周"],
        }
    ]


def test_influence_ranks_follow_the_post(result):
    opp2 = next(o for o in result.opportunities if o.opportunity == "opp2")
    ranks = {r.person: r for r in opp2.ranks}
    # the evaluator's decision weight and grade move from ma to zhou
    assert ranks["zhou"].holder_after and not ranks["zhou"].holder_before
    assert ranks["zhou"].change > 0 and ranks["ma"].change < 0
    assert opp2.entered_top == ["zhou"] and opp2.left_top == ["ma"]
    assert set(ranks) == {"xu", "ma", "zhou"}  # top 2 on either day and role holders


def test_plain_data_and_errors(result):
    data = result.to_dict()
    assert data["mode"] == "dates" and data["from"] == "2026-06-30" and not data["empty"]
    # the analysis keeps codes; the document the command prints labels them
    assert data["rotations"][1]["change"] == "in" and "change_label" not in data["rotations"][1]
    assert data["level_changes"][0]["after"] == "vendor"
    shown = diff_document(result)
    assert shown["rotations"][1]["change_label"] == "到任 in"
    assert shown["level_changes"][0]["after_label"] == "卖主关系 vendor"
    assert {o["opportunity"] for o in data["opportunities"]} == {"opp", "opp2"}
    with pytest.raises(StakegraphError, match="not before"):
        diff(diff_workspace(), DAY, FROM)
    only = diff(diff_workspace(), FROM, DAY, opportunities=["opp2"])
    assert [o.opportunity for o in only.opportunities] == ["opp2"]


def test_nothing_changed_between_two_quiet_days():
    quiet = diff(diff_workspace(), dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert quiet.rotations == [] and quiet.level_changes == []
    assert quiet.empty


def test_two_versions_on_one_day():
    old = diff_workspace()
    new = diff_workspace()
    handover = dt.date(2026, 11, 1)
    ma = new.persons["ma"]
    new.add(
        ma.model_copy(
            update={
                "tenures": [
                    Tenure(post="deputy", end=dt.date(2026, 9, 7)),
                    Tenure(post="zwfw-deputy", start=dt.date(2026, 9, 7), end=handover),
                ]
            }
        )
    )
    new.add(
        new.persons["he"].model_copy(
            update={"tenures": [Tenure(post="zwfw-deputy", start=handover)]}
        )
    )
    new.remove("relationships", "liu~ma")
    new.add(Tie(a="he", b="gao"))
    # zhang's 4s with gao (strategic) re-assessed down to 2s (preferred)
    new.add(Assessment(owner="zhang", person="gao", date=handover, **dict.fromkeys(ALL, 2)))
    result = diff_workspaces(old, new, DAY)
    assert result.mode == "workspaces" and result.from_day == result.to_day == DAY
    assert [(r.person, r.change, r.post, r.date) for r in result.rotations] == [
        ("ma", "out", "zwfw-deputy", handover),
        ("he", "in", "zwfw-deputy", handover),
    ]
    assert [x.id for x in result.relationships_removed] == ["liu~ma"]
    assert [x.id for x in result.ties_added] == ["he~gao~other"]
    assert [(c.relationship, c.after) for c in result.level_changes] == [
        ("zhang~gao", RelationshipLevel.PREFERRED)
    ]
    opp2 = next(o for o in result.opportunities if o.opportunity == "opp2")
    assert opp2.coverage_change == pytest.approx(0.0) and opp2.holders == []


def test_changes_since_the_last_saved_plan():
    ws = diff_workspace()
    assert changes_since_review(ws, DAY) is None  # no plan saved yet
    planned = dt.date(2026, 10, 8)
    ws.add(Action(id="p1", owner="liu", action="visit", person="xu", created=planned))
    result = changes_since_review(ws, DAY)
    assert result.from_day == planned and result.to_day == DAY
    # between 10-08 and 11-28 only zhang's relationship with zhou began, and gao took a post
    assert [x.id for x in result.relationships_added] == ["zhang~zhou"]
    assert result.ties_added == [] and result.level_changes == []
    assert [(r.person, r.change) for r in result.rotations] == [("gao", "in")]
    assert changes_since_review(ws, DAY, since=FROM).level_changes  # a given date wins
    assert changes_since_review(ws, planned) is None  # nothing to compare


def test_a_given_later_network_is_used_as_it_is_and_progress_counts_opportunities():
    from stakegraph.graph.network import build_network

    ws = diff_workspace()
    later = build_network(ws, DAY)
    ticks = []
    given = diff(ws, FROM, DAY, top=2, after=later, progress=lambda: ticks.append(1))
    assert given.to_dict() == diff(ws, FROM, DAY, top=2).to_dict()
    assert len(ticks) == len(ws.opportunities) == 2
    # the warm cover of the later side was computed on the network handed in
    assert any(isinstance(k, WarmCoverWithin) for k in later.memo)
    with pytest.raises(ValueError, match="not of 2026-11-28"):
        diff(ws, FROM, DAY, after=build_network(ws, FROM))
