"""Informal circles (非正式组织): Louvain communities of the tie graph, named and reached."""

import itertools
import random

import networkx as nx
import pytest

from stakegraph.analysis.circles import circle_reach, informal_circles, tie_graph
from stakegraph.graph.network import build_network
from stakegraph.records.model import SCORE_DIMENSIONS, Owner, Person, Relationship, Tie
from stakegraph.records.workspace import Workspace
from stakegraph.views.phrases import circle_name
from tests.builders import DAY

NAMES = {
    "a1": "张伟",
    "a2": "李娜",
    "a3": "王磊",
    "a4": "刘洋",
    "b1": "陈静",
    "b2": "杨帆",
    "b3": "赵敏",
    "b4": "黄勇",
    "c1": "周杰",
    "c2": "吴刚",
}


def two_cliques(b_confidence: float = 1.0, relationships=()):
    """Clique A (a1–a4, classmates and former colleagues), clique B (b1–b4, hometown),
    one weak tie a4–b4 between them, and a lone pair c1–c2."""
    ws = Workspace()
    for pid, name in NAMES.items():
        ws.add(Person(id=pid, name=name))
    ties = [
        ("a1", "a2", "classmate", 1.0),
        ("a1", "a3", "classmate", 0.8),
        ("a2", "a3", "classmate", 0.8),
        ("a1", "a4", "former_colleague", 0.7),
        ("a2", "a4", "former_colleague", 0.7),
        ("a3", "a4", "former_colleague", 0.7),
        ("a4", "b4", "friend", 0.1),
        ("c1", "c2", "family", 0.9),
    ]
    for a, b, kind, s in ties:
        ws.add(Tie(a=a, b=b, kind=kind, strength=s))
    for a, b in itertools.combinations(["b1", "b2", "b3", "b4"], 2):
        ws.add(Tie(a=a, b=b, kind="hometown", strength=0.6, confidence=b_confidence))
    ws.add(Owner(id="ceo", name="总裁", tier=5))
    ws.add(Owner(id="rep", name="客户经理", tier=1))
    for owner, person, score in relationships:
        ws.add(Relationship(owner=owner, person=person, **dict.fromkeys(SCORE_DIMENSIONS, score)))
    return build_network(ws, DAY)


def test_two_cliques_give_two_named_circles():
    circles = informal_circles(two_cliques())
    assert [c.id for c in circles] == ["circle-1", "circle-2"]
    a, b = circles
    # a1 and a2 have the largest weighted degree inside A (2.5 each; id breaks the tie).
    assert a.members == ["a1", "a2", "a3", "a4"]
    assert circle_name(a, "zh") == "张伟·李娜 圈 (同学, 老同事)"
    assert a.kinds == {"classmate": 3, "former_colleague": 3}
    assert a.strength == pytest.approx(1.0 + 0.8 + 0.8 + 0.7 * 3)
    assert a.degree["a3"] == pytest.approx(2.3)
    assert sorted(b.members) == ["b1", "b2", "b3", "b4"]
    assert b.members == ["b1", "b2", "b3", "b4"]  # equal degrees: by id
    assert circle_name(b, "zh") == "陈静·杨帆 圈 (同乡)"
    assert b.kinds == {"hometown": 6}
    assert b.strength == pytest.approx(3.6)
    assert not a.low_confidence and not b.low_confidence
    # The lone pair c1–c2 is a community of two, below min_size; with min_size 2 it shows.
    pairs = informal_circles(two_cliques(), min_size=2)
    assert [sorted(c.members) for c in pairs][-1] == ["c1", "c2"]
    assert circle_name(pairs[-1], "zh") == "周杰·吴刚 圈 (亲属)"


def test_partition_beats_trivial_ones():
    network = two_cliques()
    graph = tie_graph(network)
    circles = informal_circles(network, min_size=1)
    covered = {pid for c in circles for pid in c.members}
    assert covered == set(graph)  # with min_size 1 every tied person is in a circle
    partition = [set(c.members) for c in circles]
    q = nx.community.modularity(graph, partition, weight="weight")
    assert q >= nx.community.modularity(graph, [set(graph)], weight="weight")
    assert q >= nx.community.modularity(graph, [{v} for v in graph], weight="weight")
    assert q > 0.3


def test_deterministic_with_a_seed():
    rng = random.Random(4)
    ws = Workspace()
    people = [f"p{i:03d}" for i in range(150)]
    for pid in people:
        ws.add(Person(id=pid, name=pid))
    kinds = ["classmate", "former_colleague", "hometown", "mentor", "friend"]
    for _ in range(500):
        a, b = rng.sample(people, 2)
        ws.add(
            Tie(
                a=a,
                b=b,
                kind=rng.choice(kinds),
                strength=round(rng.uniform(0.1, 1), 2),
                confidence=round(rng.uniform(0.2, 1), 2),
            )
        )
    ws.add(Owner(id="me", name="我", tier=1))
    first = informal_circles(build_network(ws, DAY), seed=3)
    again = informal_circles(build_network(ws.copy(), DAY), seed=3)
    assert len(first) > 3
    assert [(c.id, c.members, c.heads, c.main_kinds, c.strength, c.kinds) for c in first] == [
        (c.id, c.members, c.heads, c.main_kinds, c.strength, c.kinds) for c in again
    ]
    strengths = [c.strength for c in first]
    assert strengths == sorted(strengths, reverse=True)
    for c in first:
        degrees = [c.degree[m] for m in c.members]
        assert degrees == sorted(degrees, reverse=True)


def test_low_confidence_flag():
    circles = {c.members[0][0]: c for c in informal_circles(two_cliques(b_confidence=0.3))}
    assert circles["b"].low_confidence
    assert circles["b"].low_confidence_share == pytest.approx(1.0)
    assert circles["b"].strength == pytest.approx(6 * 0.6 * 0.3)
    assert not circles["a"].low_confidence
    assert circles["a"].low_confidence_share == 0
    # At the threshold itself (0.5 is not below [coverage] low_confidence = 0.5): not low.
    circles = {c.members[0][0]: c for c in informal_circles(two_cliques(b_confidence=0.5))}
    assert not circles["b"].low_confidence


def test_way_in_and_chain_weight():
    network = two_cliques(relationships=[("rep", "b3", 4), ("ceo", "b2", 2), ("rep", "c1", 5)])
    circles = informal_circles(network)
    reach = circle_reach(network, circles, {"a2": 1.0, "a4": 0.5, "b1": 0.25, "c1": 9})
    a, b = reach
    assert a["circle"] == "circle-1" and a["size"] == 4
    assert a["weight"] == pytest.approx(1.5)
    assert a["on_chain"] == ["a2", "a4"]
    assert a["way_in"] == 0 and a["owner"] is None and a["member"] is None
    assert b["weight"] == pytest.approx(0.25)
    assert b["way_in"] == pytest.approx(0.8)  # all six scores 4 → 4/5, no decay
    assert (b["owner"], b["member"], b["relationship"]) == ("rep", "b3", "rep~b3")


def test_no_ties_no_circles(mini):
    network = build_network(mini, DAY)
    assert informal_circles(network) == []  # one tie: a pair, below min_size
    assert len(informal_circles(network, min_size=2)) == 1
