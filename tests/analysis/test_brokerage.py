"""Brokerage: hand-computed betweenness and constraint, and agreement with networkx."""

import datetime as dt
import itertools
import random

import networkx as nx
import numpy as np
import pytest

from stakegraph.analysis.brokerage import (
    betweenness,
    betweenness_from_edges,
    constraint,
    constraint_from_edges,
    person_graph_edges,
)
from stakegraph.graph.network import build_network
from stakegraph.records.model import Organisation, Owner, Person, Post, Tenure, Tie
from stakegraph.records.workspace import Workspace
from tests.builders import DAY


def edges_of(graph: nx.Graph, weight: str | None = None):
    """Node order, and the edge list of a networkx graph as rows/cols/weights."""
    nodes = list(graph)
    at = {v: i for i, v in enumerate(nodes)}
    rows = np.array([at[u] for u, _ in graph.edges()], dtype=np.int64)
    cols = np.array([at[v] for _, v in graph.edges()], dtype=np.int64)
    weights = None
    if weight is not None:
        weights = np.array([d[weight] for _, _, d in graph.edges(data=True)], dtype=float)
    return nodes, rows, cols, weights


def as_array(values: dict, nodes: list) -> np.ndarray:
    return np.array([values[v] for v in nodes], dtype=float)


PATH3 = (3, [0, 1], [1, 2])
STAR5 = (5, [0, 0, 0, 0], [1, 2, 3, 4])
# Two triangles {0, 1, 2} and {3, 4, 5} joined by the bridge 2–3.
BRIDGED = (6, [0, 0, 1, 3, 3, 4, 2], [1, 2, 2, 4, 5, 5, 3])


# --- hand-computed ----------------------------------------------------------------
def test_path_of_three():
    n, rows, cols = PATH3
    # The middle node is on the only path of the only pair {0, 2}: B = 1, normalised 1·2/(2·1).
    assert betweenness_from_edges(n, rows, cols, normalized=False) == pytest.approx([0, 1, 0])
    assert betweenness_from_edges(n, rows, cols) == pytest.approx([0, 1, 0])
    # Ends: one contact, p = 1 → 1. Middle: two unconnected contacts, 2·(1/2)² = 1/2.
    assert constraint_from_edges(n, rows, cols) == pytest.approx([1, 0.5, 1])


def test_star():
    n, rows, cols = STAR5
    # The centre carries all C(4, 2) = 6 leaf pairs; normalised 6·2/(4·3) = 1.
    assert betweenness_from_edges(n, rows, cols, normalized=False) == pytest.approx([6, 0, 0, 0, 0])
    assert betweenness_from_edges(n, rows, cols) == pytest.approx([1, 0, 0, 0, 0])
    assert constraint_from_edges(n, rows, cols) == pytest.approx([4 / 16, 1, 1, 1, 1])
    # Weighted centre: c = Σ (w_j / Σw)² = (1/5)² + (1/5)² + (1/5)² + (2/5)² = 7/25.
    weighted = constraint_from_edges(n, rows, cols, [1, 1, 1, 2])
    assert weighted[0] == pytest.approx(7 / 25)


def test_two_triangles_joined_by_a_bridge():
    n, rows, cols = BRIDGED
    # 2 and 3 each lie on the 2·3 = 6 paths between the two sides; normalised 6·2/(5·4).
    raw = betweenness_from_edges(n, rows, cols, normalized=False)
    assert raw == pytest.approx([0, 0, 6, 6, 0, 0])
    assert betweenness_from_edges(n, rows, cols) == pytest.approx([0, 0, 0.6, 0.6, 0, 0])
    # Node 0: p = 1/2 to 1 and 2; ℓ(0,1) = (1/2 + 1/2·1/3)² = 4/9, ℓ(0,2) = (1/2 + 1/2·1/2)² = 9/16.
    # Node 2: p = 1/3 to 0, 1, 3; ℓ(2,0) = ℓ(2,1) = (1/3 + 1/3·1/2)² = 1/4, ℓ(2,3) = 1/9.
    c = constraint_from_edges(n, rows, cols)
    assert c[0] == pytest.approx(4 / 9 + 9 / 16)
    assert c[1] == pytest.approx(4 / 9 + 9 / 16)
    assert c[2] == pytest.approx(1 / 2 + 1 / 9)
    assert c[3] == pytest.approx(1 / 2 + 1 / 9)


def test_isolates_have_nan_constraint_and_zero_betweenness():
    c = constraint_from_edges(4, [0], [1])
    assert np.isnan(c[2]) and np.isnan(c[3])
    assert c[:2] == pytest.approx([1, 1])
    assert betweenness_from_edges(4, [0], [1]) == pytest.approx([0, 0, 0, 0])
    assert betweenness_from_edges(0, [], []).shape == (0,)
    assert np.isnan(constraint_from_edges(2, [], [])).all()


# --- Padgett's Florentine families ------------------------------------------------
def test_florentine_families_medici():
    graph = nx.florentine_families_graph()
    assert len(graph) == 15 and "Pucci" not in graph  # the isolated family is not included
    nodes, rows, cols, _ = edges_of(graph)
    b = betweenness_from_edges(len(nodes), rows, cols)
    medici = b[nodes.index("Medici")]
    assert round(medici, 3) == 0.522
    assert medici == pytest.approx(47.5 / 91)  # 47.5 of the C(14, 2) = 91 pairs
    assert nodes[int(np.argmax(b))] == "Medici"
    expected = nx.constraint(graph)
    assert constraint_from_edges(len(nodes), rows, cols) == pytest.approx(
        as_array(expected, nodes), abs=1e-12
    )


# --- random graphs against networkx -------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_random_graphs_match_networkx(seed):
    rng = random.Random(seed)
    n, p = rng.choice([(12, 0.3), (40, 0.08), (80, 0.05), (150, 0.02)])
    graph = nx.gnp_random_graph(n, p, seed=seed)  # sparse ones have isolates and components
    for u, v in graph.edges():
        graph[u][v]["weight"] = rng.uniform(0.05, 2.0)
    nodes, rows, cols, weights = edges_of(graph, "weight")
    for normalized in (True, False):
        expected = nx.betweenness_centrality(graph, normalized=normalized)
        ours = betweenness_from_edges(n, rows, cols, normalized=normalized)
        np.testing.assert_allclose(ours, as_array(expected, nodes), rtol=0, atol=1e-9)
    for weight, w in (("weight", weights), (None, None)):
        expected = as_array(nx.constraint(graph, weight=weight), nodes)
        ours = constraint_from_edges(n, rows, cols, w)
        assert np.array_equal(np.isnan(ours), np.isnan(expected))
        np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)


def test_edge_lists_are_simplified():
    # Reversed duplicates and self-loops do not change betweenness.
    b = betweenness_from_edges(3, [0, 1, 1, 2, 1], [1, 0, 2, 1, 1])
    assert b == pytest.approx([0, 1, 0])


# --- sampling -----------------------------------------------------------------------
def test_all_sources_equal_exact():
    graph = nx.gnp_random_graph(60, 0.07, seed=3)
    nodes, rows, cols, _ = edges_of(graph)
    exact = betweenness_from_edges(60, rows, cols)
    assert betweenness_from_edges(60, rows, cols, samples=60) == pytest.approx(exact, abs=1e-12)
    assert betweenness_from_edges(60, rows, cols, samples=1000) == pytest.approx(exact, abs=1e-12)
    everyone = betweenness_from_edges(60, rows, cols, sources=range(60))
    assert everyone == pytest.approx(exact, abs=1e-12)


def test_sampled_scaling_matches_subset_accumulation():
    # ½ Σ_{s∈S} δ_s(v) from networkx's subset betweenness, scaled by (n−1)/k for
    # nodes outside S and (n−1)/(k−1) for sources, then normalised by 2/((n−1)(n−2)).
    graph = nx.connected_watts_strogatz_graph(50, 4, 0.2, seed=7)
    nodes, rows, cols, _ = edges_of(graph)
    n, sources = 50, [3, 11, 17, 29, 42]
    k = len(sources)
    partial = nx.betweenness_centrality_subset(graph, sources, list(graph), normalized=False)
    scale = np.array([(n - 1) / (k - 1) if v in sources else (n - 1) / k for v in nodes])
    raw = as_array(partial, nodes) * scale
    got = betweenness_from_edges(n, rows, cols, sources=sources, normalized=False)
    np.testing.assert_allclose(got, raw, rtol=0, atol=1e-9)
    got = betweenness_from_edges(n, rows, cols, sources=sources)
    np.testing.assert_allclose(got, raw * 2 / ((n - 1) * (n - 2)), rtol=0, atol=1e-12)


def test_sampled_estimate_is_unbiased():
    # Averaged over every source set of size k, the estimate is the exact value.
    n, rows, cols = BRIDGED
    exact = betweenness_from_edges(n, rows, cols)
    for k in (2, 3, 5):
        runs = [
            betweenness_from_edges(n, rows, cols, sources=s)
            for s in itertools.combinations(range(n), k)
        ]
        assert np.mean(runs, axis=0) == pytest.approx(exact, abs=1e-12)


def test_seeded_sampling_is_deterministic():
    graph = nx.gnp_random_graph(200, 0.03, seed=1)
    nodes, rows, cols, _ = edges_of(graph)
    first = betweenness_from_edges(200, rows, cols, samples=20, seed=5)
    again = betweenness_from_edges(200, rows, cols, samples=20, seed=5)
    other = betweenness_from_edges(200, rows, cols, samples=20, seed=6)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_too_few_samples_is_an_error():
    with pytest.raises(ValueError, match="at least 2"):
        betweenness_from_edges(10, [0], [1], samples=1)


# --- on a person network ------------------------------------------------------------
def holder(pid, post):
    return Person(id=pid, name=pid, tenures=[Tenure(post=post, start=dt.date(2020, 1, 1))])


def small_network():
    """boss ← dep ← staff (formal), vm oversees the bureau (boss → vm), and ties.

    Persons: vm, boss, dep, staff, friend (no post; tied to staff), loner (nothing).
    The tie dep–boss doubles a formal line; the tie staff–loner has confidence 0.
    """
    ws = Workspace()
    ws.add(Organisation(id="gov", name="市政府", kind="government"))
    ws.add(Organisation(id="bur", name="局", parent="gov"))
    ws.add(Post(id="vmp", org="gov", title="副市长", grade=6, leadership=True, oversees=["bur"]))
    ws.add(Post(id="bossp", org="bur", title="局长", grade=5, leadership=True))
    ws.add(Post(id="depp", org="bur", title="副局长", grade=4, reports_to="bossp"))
    ws.add(Post(id="staffp", org="bur", title="科员", grade=1, reports_to="depp"))
    for pid, post in (("vm", "vmp"), ("boss", "bossp"), ("dep", "depp"), ("staff", "staffp")):
        ws.add(holder(pid, post))
    ws.add(Person(id="friend", name="friend"))
    ws.add(Person(id="loner", name="loner"))
    ws.add(Tie(a="staff", b="friend", kind="classmate", strength=0.8, confidence=0.5))
    ws.add(Tie(a="dep", b="boss", kind="hometown", strength=0.6))
    ws.add(Tie(a="dep", b="boss", kind="friend", strength=0.3))
    ws.add(Tie(a="staff", b="loner", kind="friend", strength=0.9, confidence=0))
    ws.add(Owner(id="me", name="我", tier=1))
    return build_network(ws, DAY)


def test_person_graph_unites_formal_oversight_and_ties():
    network = small_network()
    rows, cols, weights = person_graph_edges(network)
    at = network.persons
    edges = {tuple(sorted((at[r], at[c]))): w for r, c, w in zip(rows, cols, weights, strict=True)}
    assert edges == pytest.approx(
        {
            ("boss", "vm"): 1.0,  # oversight
            ("boss", "dep"): 1.6,  # formal + the stronger of the two ties
            ("dep", "staff"): 1.0,  # formal
            ("friend", "staff"): 0.4,  # tie strength × confidence
        }
    )
    assert all(r < c for r, c in zip(rows, cols, strict=True))


def test_network_measures_agree_with_networkx():
    network = small_network()
    rows, cols, weights = person_graph_edges(network)
    graph = nx.Graph()
    graph.add_nodes_from(range(network.size))
    graph.add_weighted_edges_from(zip(rows.tolist(), cols.tolist(), weights.tolist(), strict=True))
    b = betweenness(network)
    np.testing.assert_allclose(
        b, as_array(nx.betweenness_centrality(graph), list(range(network.size))), atol=1e-12
    )
    # Chain vm – boss – dep – staff – friend, loner apart: n = 6, pairs (5·4)/2 = 10.
    i = network.person_index
    assert b[i["dep"]] == pytest.approx(4 / 10)  # {vm, boss} × {staff, friend}
    assert b[i["loner"]] == 0
    c = constraint(network)
    expected = as_array(nx.constraint(graph, weight="weight"), list(range(network.size)))
    assert np.array_equal(np.isnan(c), np.isnan(expected))
    np.testing.assert_allclose(c, expected, atol=1e-12)
    assert np.isnan(c[i["loner"]])
    # dep: contacts boss (1.6) and staff (1): p = 1.6/2.6, 1/2.6, no shared contacts.
    assert c[i["dep"]] == pytest.approx((1.6 / 2.6) ** 2 + (1 / 2.6) ** 2)
    assert np.array_equal(
        betweenness(network, samples=3, seed=2), betweenness(network, samples=3, seed=2)
    )


def test_mini_workspace(mini):
    network = build_network(mini, DAY)
    b = betweenness(network)
    c = constraint(network)
    assert b.shape == c.shape == (network.size,)
    assert np.all((b >= 0) & (b <= 1))
    assert np.all(np.isnan(c) | (c > 0))
