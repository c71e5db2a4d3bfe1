"""Dark horses (培养黑马): ratios to grade peers, promotions, cover and rank, by hand."""

import datetime as dt

import networkx as nx
import numpy as np
import pytest

from stakegraph.analysis.darkhorses import assess_candidates, dark_horses, latest_promotion
from stakegraph.analysis.influence import influence
from stakegraph.config import DarkHorseSettings, Settings
from stakegraph.graph.network import build_network
from stakegraph.records.model import Organisation, Owner, Person, Post, Relationship, Tie
from stakegraph.records.workspace import Workspace
from tests.builders import DAY

D = dt.date
LONG_AGO = D(2015, 1, 1)


def scores(value):
    keys = ("acceptance", "participation", "information", "guidance", "support", "preference")
    return {k: value for k in keys}


def build(settings: Settings | None = None) -> Workspace:
    """A bureau: head H; chiefs C1, C2 (leaders); staff P1, P2 under C1, P3, P4 under C2.

    P1 and P3 are classmates (tie 0.25), a bridge between the two divisions. Q was
    promoted on 2026-05-10 from a grade-1 post to a grade-3 post without leadership.
    We know P3 well (0.8) and Q a little (0.2).
    """
    ws = Workspace(settings)
    ws.add(Organisation(id="o", name="局"))
    for post in (
        Post(id="head", org="o", title="局长", grade=5, leadership=True),
        Post(id="chief1", org="o", title="一科科长", grade=3, leadership=True, reports_to="head"),
        Post(id="chief2", org="o", title="二科科长", grade=3, leadership=True, reports_to="head"),
        Post(id="expert", org="o", title="一级主任科员", grade=3, reports_to="head"),
        Post(id="s1", org="o", title="一科科员", grade=1, reports_to="chief1"),
        Post(id="s2", org="o", title="一科科员", grade=1, reports_to="chief1"),
        Post(id="s3", org="o", title="二科科员", grade=1, reports_to="chief2"),
        Post(id="s4", org="o", title="二科科员", grade=1, reports_to="chief2"),
        Post(id="s5", org="o", title="二科科员", grade=1, reports_to="chief2"),
    ):
        ws.add(post)
    for pid, post in (
        ("H", "head"),
        ("C1", "chief1"),
        ("C2", "chief2"),
        ("P1", "s1"),
        ("P2", "s2"),
        ("P3", "s3"),
        ("P4", "s4"),
    ):
        ws.add(Person(id=pid, name=pid, tenures=[{"post": post, "start": LONG_AGO}]))
    ws.add(
        Person(
            id="Q",
            name="Q",
            tenures=[
                {"post": "s5", "start": LONG_AGO, "end": D(2026, 5, 10)},
                {"post": "expert", "start": D(2026, 5, 10)},
            ],
        )
    )
    ws.add(Tie(a="P1", b="P3", kind="classmate", strength=0.25))
    ws.add(Owner(id="rep", name="代表", tier=1))
    ws.add(Relationship(owner="rep", person="P3", last_contact=DAY, **scores(4)))
    ws.add(Relationship(owner="rep", person="Q", last_contact=DAY, **scores(1)))
    return ws


def by_person(items):
    return {d.person: d for d in items}


def test_candidates_exclude_leaders():
    found = by_person(assess_candidates(build_network(build(), DAY)))
    assert set(found) == {"P1", "P2", "P3", "P4", "Q"}
    assert found["Q"].peers == 3 and found["P1"].peers == 4  # grade 3 counts C1, C2 too


def test_brokerage_ratio_against_networkx():
    network = build_network(build(), DAY)
    graph = nx.Graph()
    graph.add_nodes_from(network.persons)
    graph.add_edges_from(
        [
            ("C1", "H"),
            ("C2", "H"),
            ("Q", "H"),
            ("P1", "C1"),
            ("P2", "C1"),
            ("P3", "C2"),
            ("P4", "C2"),
            ("P1", "P3"),
        ]
    )
    expected = nx.betweenness_centrality(graph)
    found = by_person(assess_candidates(network))
    for pid in ("P1", "P2", "P3", "P4", "Q"):
        assert found[pid].betweenness == pytest.approx(expected[pid])
    # grade 1: P1 and P3 broker b each, P2 and P4 nothing: median b/2, ratio 2
    assert expected["P1"] > 0 and expected["P2"] == 0
    assert found["P1"].brokerage_ratio == pytest.approx(2.0)
    assert found["P1"].brokerage_basis == "median"
    assert found["P2"].brokerage_ratio == 0
    # grade 3: C1 and C2 broker, Q is a leaf: median > 0, Q's ratio 0
    assert found["Q"].brokerage_ratio == 0


def test_influence_ratio_is_to_the_grade_median():
    network = build_network(build(), DAY)
    score = influence(network)
    grade1 = [score.of(p) for p in ("P1", "P2", "P3", "P4")]
    found = by_person(assess_candidates(network))
    assert found["P1"].influence_ratio == pytest.approx(score.of("P1") / np.median(grade1))
    # P1 and P3 draw deference over their tie, P2 and P4 from nobody
    assert found["P1"].influence_ratio > 1 > found["P2"].influence_ratio
    grade3 = [score.of(p) for p in ("C1", "C2", "Q")]
    assert found["Q"].influence_ratio == pytest.approx(score.of("Q") / np.median(grade3))


def test_promotion_needs_a_higher_grade_within_the_window():
    network = build_network(build(), DAY)
    promotion = latest_promotion(network, "Q", 365)
    assert promotion.date == D(2026, 5, 10)
    assert (promotion.previous_grade, promotion.grade) == (1, 3)
    assert latest_promotion(network, "Q", 100) is None  # 202 days ago
    assert latest_promotion(network, "P1", 365) is None  # one tenure
    ws = build()
    ws.add(
        Person(
            id="L",
            name="L",
            tenures=[
                {"post": "s2", "start": LONG_AGO, "end": D(2026, 6, 1)},
                {"post": "s4", "start": D(2026, 6, 1)},
            ],
        )
    )
    assert latest_promotion(build_network(ws, DAY), "L", 365) is None  # lateral (平调)


def test_ranking_reason_and_cover():
    network = build_network(build(), DAY)
    found = by_person(assess_candidates(network))
    # P3 brokers as much as P1 but we cover P3 at 0.8 ≥ 0.6
    assert found["P3"].cover == pytest.approx(0.8) and not found["P3"].qualifies
    # P1 is reached warmly through P3: 0.8 × 0.25
    assert found["P1"].cover == pytest.approx(0.2)
    assert found["P1"].potential == pytest.approx(2.0)
    assert found["P1"].score == pytest.approx(2.0 * 0.8)
    # Q: only the promotion, bonus = [dark_horses] ratio 1.5, cover 0.2
    assert found["Q"].potential == pytest.approx(1.5)
    assert found["Q"].score == pytest.approx(1.5 * 0.8)
    assert not found["P2"].qualifies and not found["P4"].qualifies
    ranked = dark_horses(network)
    assert [(d.rank, d.person) for d in ranked] == [(1, "P1"), (2, "Q")]
    assert ranked[0].reason_zh == "中介度为同级中位数的 2.0 倍"
    assert ranked[0].reason_en == "brokerage 2.0× the grade median"
    assert ranked[1].reason_zh == "2026-05 晋升"
    assert ranked[1].reason_en == "promoted 2026-05"
    assert [d.person for d in dark_horses(network, top=1)] == ["P1"]
    # a larger promotion bonus puts Q first: 3 × 0.8 > 2 × 0.8
    assert dark_horses(network, promotion_bonus=3.0)[0].person == "Q"


def test_max_grade_and_ratio_settings():
    settings = Settings(dark_horses=DarkHorseSettings(max_grade=2))
    network = build_network(build(settings), DAY)
    assert {d.person for d in assess_candidates(network)} == {"P1", "P2", "P3", "P4"}
    assert [d.person for d in dark_horses(network)] == ["P1"]
    strict = Settings(dark_horses=DarkHorseSettings(ratio=2.5))
    assert [d.person for d in dark_horses(build_network(build(strict), DAY))] == ["Q"]


def test_mean_is_used_when_the_grade_median_is_zero():
    """Only S3 of three clerks brokers (to an outside contact X): median 0, mean b/3."""
    ws = Workspace()
    ws.add(Organisation(id="o", name="局"))
    ws.add(Organisation(id="p", name="外局"))
    ws.add(Post(id="chief", org="o", title="科长", grade=3, leadership=True))
    for n in (1, 2, 3):
        ws.add(Post(id=f"s{n}", org="o", title="科员", grade=1, reports_to="chief"))
    ws.add(Post(id="x", org="p", title="副科长", grade=2))
    ws.add(Person(id="C", name="C", tenures=[{"post": "chief"}]))
    for n in (1, 2, 3):
        ws.add(Person(id=f"S{n}", name=f"S{n}", tenures=[{"post": f"s{n}"}]))
    ws.add(Person(id="X", name="X", tenures=[{"post": "x"}]))
    ws.add(Tie(a="S3", b="X", kind="hometown"))
    network = build_network(ws, DAY)
    found = by_person(assess_candidates(network))
    graph = nx.Graph([("S1", "C"), ("S2", "C"), ("S3", "C"), ("S3", "X")])
    assert found["S3"].betweenness == pytest.approx(nx.betweenness_centrality(graph)["S3"])
    assert found["S3"].brokerage_basis == "mean"
    assert found["S3"].brokerage_ratio == pytest.approx(3.0)
    assert found["S3"].qualifies and found["S3"].cover == 0
    assert "中介度为同级平均值的 3.0 倍" in found["S3"].reason_zh
    assert "brokerage 3.0× the grade mean" in found["S3"].reason_en
    # X is alone in grade 2 and brokers nothing: ratio 0, not 0/0
    assert found["X"].brokerage_ratio == 0 and found["X"].influence_ratio == pytest.approx(1.0)


def test_no_post_holders_no_candidates():
    ws = Workspace()
    ws.add(Person(id="a", name="A"))
    assert assess_candidates(build_network(ws, DAY)) == []
    assert dark_horses(build_network(ws, DAY)) == []
