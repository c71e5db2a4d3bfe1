"""Warm channels (Yen's k most reliable paths, hop-bounded) and the best introducer.

Hand-computed values on tiny workspaces, then a property test against brute-force
enumeration of every simple path on small random networks.
"""

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakegraph.analysis.paths import (
    Channel,
    best_introducer,
    warm_channels,
)
from stakegraph.config import CoverageSettings, Settings
from stakegraph.errors import UnknownRecord
from stakegraph.graph.network import build_network
from stakegraph.graph.strength import relationship_strength
from stakegraph.records.model import Owner, Person, Relationship, Tie
from stakegraph.records.workspace import Workspace
from tests.builders import DAY

SCORES = ("acceptance", "participation", "information", "guidance", "support", "preference")


def relationship(owner: str, person: str, strength: float) -> Relationship:
    """A relationship whose strength on DAY is exactly ``strength``.

    Full scores give 1.0, contact on DAY gives no decay, so the strength is the
    confidence.
    """
    scores = dict.fromkeys(SCORES, 5)
    return Relationship(owner=owner, person=person, last_contact=DAY, confidence=strength, **scores)


def network(persons, owners, relationships=(), ties=(), ws_settings=None):
    """persons, owners: ids; relationships: (owner, person, s); ties: (a, b, s[, directed])."""
    ws = Workspace(ws_settings, name="tiny")
    for pid in persons:
        ws.add(Person(id=pid, name=f"名{pid}"))
    for oid in owners:
        ws.add(Owner(id=oid, name=f"我{oid}", tier=1))
    for owner, person, s in relationships:
        ws.add(relationship(owner, person, s))
    for a, b, s, *rest in ties:
        ws.add(Tie(a=a, b=b, strength=s, directed=bool(rest and rest[0])))
    return build_network(ws, DAY)


def summary(channels):
    return [(c.owner, c.persons, c.strength, c.hops) for c in channels]


# --- hand-computed ---------------------------------------------------------------


@pytest.fixture
def detour():
    """A weak direct relationship with t (0.3) and a strong 2-tie detour (0.504)."""
    return network(
        ["t", "p1", "p2"],
        ["a"],
        relationships=[("a", "t", 0.3), ("a", "p1", 0.9)],
        ties=[("p1", "p2", 0.8), ("p2", "t", 0.7)],
    )


def test_two_hop_channel_beats_weak_direct_relationship(detour):
    channels = warm_channels(detour, "t", k=3, max_hops=2)
    assert summary(channels) == [
        ("a", ("p1", "p2", "t"), pytest.approx(0.9 * 0.8 * 0.7), 2),
        ("a", ("t",), 0.3, 0),
    ]
    best = channels[0]
    assert best.links == (0.9, 0.8, 0.7)
    assert best.relationship_id == "a~p1"
    assert (best.first_contact, best.target) == ("p1", "t")
    assert channels[1].relationship_id == "a~t"


def test_max_hops_cuts_the_detour(detour):
    assert summary(warm_channels(detour, "t", k=3, max_hops=1)) == [("a", ("t",), 0.3, 0)]
    assert summary(warm_channels(detour, "t", k=3, max_hops=0)) == [("a", ("t",), 0.3, 0)]
    # p2 is one tie from p1: within any bound of at least 1
    assert summary(warm_channels(detour, "p2", max_hops=0)) == []
    assert summary(warm_channels(detour, "p2", max_hops=1)) == [
        ("a", ("p1", "p2"), pytest.approx(0.72), 1),
        ("a", ("t", "p2"), pytest.approx(0.21), 1),  # through t: t is not the target here
    ]


def test_default_max_hops_comes_from_settings(detour):
    assert len(warm_channels(detour, "t")) == 2  # default bound 2 keeps the detour
    strict = Settings(coverage=CoverageSettings(max_hops=1))
    net = network(
        ["t", "p1", "p2"],
        ["a"],
        relationships=[("a", "t", 0.3), ("a", "p1", 0.9)],
        ties=[("p1", "p2", 0.8), ("p2", "t", 0.7)],
        ws_settings=strict,
    )
    assert summary(warm_channels(net, "t")) == [("a", ("t",), 0.3, 0)]
    assert len(warm_channels(net, "t", max_hops=2)) == 2


@pytest.fixture
def tied():
    """Four channels of strength exactly 0.25 to t.

    b → t directly; a → x → t; a → y → t; c → y → t. The x–t tie is written from
    t's side and y → t is directed (y defers to t), so the step y → t keeps its full
    strength: an undirected tie carries an introduction both ways, a directed one
    in the direction of deference.
    """
    return network(
        ["t", "x", "y"],
        ["a", "b", "c"],
        relationships=[("b", "t", 0.25), ("a", "x", 0.5), ("a", "y", 0.5), ("c", "y", 0.5)],
        ties=[("t", "x", 0.5), ("y", "t", 0.5, True)],
    )


def test_equal_strengths_fewer_hops_then_owner_then_persons(tied):
    channels = warm_channels(tied, "t", k=4)
    assert summary(channels) == [
        ("b", ("t",), 0.25, 0),  # fewer hops wins over the smaller owner id
        ("a", ("x", "t"), 0.25, 1),  # then the owner id
        ("a", ("y", "t"), 0.25, 1),  # then the person ids
        ("c", ("y", "t"), 0.25, 1),  # shares y with the one before: still distinct
    ]
    assert summary(warm_channels(tied, "t", k=2)) == summary(channels[:2])
    assert summary(warm_channels(tied, "t", k=10)) == summary(channels)


def test_ties_work_in_both_directions(tied):
    # x is reached from t's side of the x–t tie; y steps to t along y → t.
    assert summary(warm_channels(tied, "x", k=5)) == [
        ("a", ("x",), 0.5, 0),
        ("b", ("t", "x"), 0.125, 1),
        ("a", ("y", "t", "x"), 0.125, 2),
        ("c", ("y", "t", "x"), 0.125, 2),
    ]


def test_owner_filter(tied):
    assert summary(warm_channels(tied, "t", owners=["c"])) == [("c", ("y", "t"), 0.25, 1)]
    assert summary(warm_channels(tied, "t", owners=["c", "b"])) == [
        ("b", ("t",), 0.25, 0),
        ("c", ("y", "t"), 0.25, 1),
    ]
    assert warm_channels(tied, "t", owners=[]) == []


def test_a_step_against_a_directed_tie_keeps_half_by_default(tied):
    # y is reached from t against y → t: the tie's 0.5 × 0.5 (default against_deference)
    assert summary(warm_channels(tied, "y", k=5)) == [
        ("a", ("y",), 0.5, 0),
        ("c", ("y",), 0.5, 0),
        ("b", ("t", "y"), 0.0625, 1),  # 0.25 × 0.5 × 0.5
        ("a", ("x", "t", "y"), 0.0625, 2),  # 0.5 × 0.5 × 0.5 × 0.5
    ]


@pytest.fixture
def far():
    """t is three ties from our only contact z, by two routes.

    a → z (0.8); z–y–x–t (0.5, 0.5, 0.9) gives 0.18; z–v–w–t (0.9, 0.9, 0.3) 0.1944.
    """
    return network(
        ["t", "x", "y", "z", "v", "w", "lonely"],
        ["a"],
        relationships=[("a", "z", 0.8)],
        ties=[
            ("z", "y", 0.5),
            ("y", "x", 0.5),
            ("x", "t", 0.9),
            ("z", "v", 0.9),
            ("v", "w", 0.9),
            ("w", "t", 0.3),
        ],
    )


def test_no_channel_gives_empty_list_and_an_introducer(far):
    assert warm_channels(far, "t", max_hops=2) == []
    assert warm_channels(far, "lonely") == []
    # x has the stronger tie with t (0.9 · 0.2 = 0.18), but w is easier to reach
    # (0.3 · 0.648 = 0.1944).
    person, score = best_introducer(far, "t", max_hops=2)
    assert person == "w"
    assert score == pytest.approx(0.8 * 0.9 * 0.9 * 0.3)
    # x and w are two ties from z: within max_hops + 1 from max_hops = 1 on
    assert best_introducer(far, "t", max_hops=1) == ("w", pytest.approx(0.1944))
    assert best_introducer(far, "t", max_hops=0) is None
    assert best_introducer(far, "lonely") is None
    # the introducer's channel plus the introduction is a channel one tie longer
    longer = warm_channels(far, "t", k=3, max_hops=3)
    assert summary(longer) == [
        ("a", ("z", "v", "w", "t"), pytest.approx(0.1944), 3),
        ("a", ("z", "y", "x", "t"), pytest.approx(0.18), 3),
    ]


def test_introducer_does_not_route_through_the_target():
    # a reaches t directly; s is tied to t only, so s is reachable only through t.
    net = network(["t", "s"], ["a"], relationships=[("a", "t", 0.9)], ties=[("s", "t", 0.9)])
    assert best_introducer(net, "t") is None
    assert best_introducer(net, "s") == ("t", pytest.approx(0.81))


def test_mini_workspace(mini):
    net = build_network(mini, DAY)
    rel = relationship_strength(mini.relationships["rep1~wang"], DAY, mini.settings)
    (channel,) = warm_channels(net, "qian", k=3)
    assert channel == Channel(
        owner="rep1",
        persons=("wang", "qian"),
        strength=pytest.approx(rel * 0.7),
        hops=1,
        links=(pytest.approx(rel), 0.7),
        relationship_id="rep1~wang",
        steps=("tie",),
    )
    # li reports to qian: only the formal line reaches li, one step up from qian
    assert warm_channels(net, "li", formal_lines=False) == []
    (up,) = warm_channels(net, "li")
    assert (up.persons, up.steps) == (("wang", "qian", "li"), ("tie", "up"))
    assert up.strength == pytest.approx(rel * 0.7 * 0.5)


def test_unknown_ids_and_bad_arguments(tied):
    with pytest.raises(UnknownRecord, match="no person with id 'nobody' in tiny"):
        warm_channels(tied, "nobody")
    with pytest.raises(UnknownRecord, match="no owner with id 'ghost'"):
        warm_channels(tied, "t", owners=["a", "ghost"])
    with pytest.raises(UnknownRecord, match="nobody"):
        best_introducer(tied, "nobody")
    with pytest.raises(ValueError, match="k must be"):
        warm_channels(tied, "t", k=0)
    with pytest.raises(ValueError, match="max_hops"):
        warm_channels(tied, "t", max_hops=-1)


def test_zero_strength_edges_carry_nothing():
    net = network(
        ["t", "x"],
        ["a", "b"],
        relationships=[("a", "x", 0.0), ("b", "x", 0.5), ("a", "t", 0.0)],
        ties=[("x", "t", 0.5)],
    )
    assert summary(warm_channels(net, "t")) == [("b", ("x", "t"), 0.25, 1)]


# --- property: agree with brute force on small random networks --------------------

STRENGTHS = st.one_of(
    st.sampled_from([0.0, 0.25, 0.3, 0.5, 0.6, 0.75, 0.9, 1.0]),
    st.floats(0.01, 1.0, allow_nan=False),
)


@st.composite
def small_networks(draw):
    n = draw(st.integers(2, 8))
    m = draw(st.integers(1, 3))
    persons = [f"p{i}" for i in range(n)]
    owners = [f"o{i}" for i in range(m)]
    rel_pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(owners), st.sampled_from(persons)),
            unique=True,
            max_size=2 * n,
        )
    )
    pairs = [(a, b) for i, a in enumerate(persons) for b in persons[i + 1 :]]
    tie_pairs = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    rels = [(o, p, draw(STRENGTHS)) for o, p in rel_pairs]
    ties = [(a, b, draw(STRENGTHS)) for a, b in tie_pairs]
    return persons, owners, rels, ties


def brute_force(persons, owners, rels, ties, target, max_hops, allowed=None, avoid=()):
    """Every simple channel to ``target`` with at most ``max_hops`` ties, best first."""
    graph = nx.DiGraph()
    best_tie: dict[tuple[str, str], float] = {}
    for a, b, s in ties:
        best_tie[(a, b)] = best_tie[(b, a)] = max(s, best_tie.get((a, b), 0.0))
    for (a, b), s in best_tie.items():
        if s > 0 and a not in avoid and b not in avoid:
            graph.add_edge(("p", a), ("p", b), s=s)
    for o, p, s in rels:
        if s > 0 and (allowed is None or o in allowed) and p not in avoid:
            graph.add_edge("S", ("o", o), s=1.0)
            graph.add_edge(("o", o), ("p", p), s=s)
    if "S" not in graph or ("p", target) not in graph:
        return []
    found = []
    for path in nx.all_simple_paths(graph, "S", ("p", target), cutoff=max_hops + 2):
        links = [graph.edges[u, v]["s"] for u, v in zip(path[1:], path[2:], strict=False)]
        strength = links[0]
        for s in links[1:]:
            strength *= s
        found.append((path[1][1], tuple(p[1] for p in path[2:]), strength, len(path) - 3))
    found.sort(key=lambda c: (-c[2], c[3], c[0], c[1]))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=small_networks(),
    pick=st.data(),
    k=st.integers(1, 6),
    max_hops=st.integers(0, 7),
)
def test_matches_brute_force(data, pick, k, max_hops):
    persons, owners, rels, ties = data
    target = pick.draw(st.sampled_from(persons))
    allowed = pick.draw(st.none() | st.lists(st.sampled_from(owners), min_size=1, unique=True))
    net = network(persons, owners, rels, ties)
    got = summary(warm_channels(net, target, k=k, owners=allowed, max_hops=max_hops))
    expected = brute_force(persons, owners, rels, ties, target, max_hops, allowed)[:k]
    # Same strengths, and, as both sides compute each strength from the owner's
    # end and break ties by the same key, the very same channels in the same order.
    assert [c[2] for c in got] == pytest.approx([c[2] for c in expected], abs=1e-12)
    assert got == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=small_networks(), pick=st.data(), max_hops=st.integers(0, 4))
def test_introducer_matches_brute_force(data, pick, max_hops):
    persons, owners, rels, ties = data
    target = pick.draw(st.sampled_from(persons))
    net = network(persons, owners, rels, ties)
    best_tie: dict[str, float] = {}
    for a, b, s in ties:
        if target in (a, b) and s > 0:
            other = b if a == target else a
            best_tie[other] = max(s, best_tie.get(other, 0.0))
    scores = {}
    for x, t in best_tie.items():
        reach = brute_force(persons, owners, rels, ties, x, max_hops + 1, avoid={target})
        if reach:
            scores[x] = t * reach[0][2]
    got = best_introducer(net, target, max_hops=max_hops)
    if not scores:
        assert got is None
    else:
        assert got is not None
        assert got[1] == pytest.approx(max(scores.values()), abs=1e-12)
        assert scores[got[0]] == pytest.approx(got[1], abs=1e-12)
