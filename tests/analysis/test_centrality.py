"""Centralities of the tie graph: hand-computed values, networkx, the Florentine families."""

import igraph as ig
import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from stakegraph.analysis.brokerage import betweenness, betweenness_from_edges
from stakegraph.analysis.centrality import (
    MEASURES,
    centrality,
    closeness_of,
    degree_of,
    eigenvector_of,
    harmonic_of,
)
from stakegraph.graph.network import build_network
from stakegraph.graph.tie_graph import tie_matrix
from stakegraph.records.model import Person, Tie
from stakegraph.records.workspace import Workspace
from tests.builders import DAY


def matrix_of(graph: nx.Graph, weight: str | None = None) -> sp.csr_matrix:
    """The adjacency matrix of a graph on nodes 0..n-1 (both directions when undirected)."""
    return nx.to_scipy_sparse_array(graph, nodelist=range(len(graph)), weight=weight, format="csr")


def in_order(values: dict, n: int) -> np.ndarray:
    return np.array([values[i] for i in range(n)], dtype=float)


def workspace_of(ties: list[Tie], persons: list[str]) -> Workspace:
    ws = Workspace()
    for pid in persons:
        ws.add(Person(id=pid, name=pid.upper()))
    for tie in ties:
        ws.add(tie)
    return ws


# --- hand-computed ------------------------------------------------------------------
def test_star_pointing_inwards():
    # Leaves 1, 2, 3 each point at 0: in-degree 3 for 0, out-degree 1 for each leaf.
    a = sp.csr_matrix(([1.0] * 3, ([1, 2, 3], [0, 0, 0])), shape=(4, 4))
    assert degree_of(a, "in", normalized=False).tolist() == [3, 0, 0, 0]
    assert degree_of(a, "out", normalized=False).tolist() == [0, 1, 1, 1]
    assert degree_of(a, "all").tolist() == pytest.approx([1, 1 / 3, 1 / 3, 1 / 3])
    # Read inwards: everyone reaches 0 in one hop (closeness 1), nobody reaches a leaf.
    assert closeness_of(a).tolist() == [1, 0, 0, 0]
    assert harmonic_of(a, normalized=False).tolist() == [3, 0, 0, 0]


def test_two_components_weigh_closeness_by_reach():
    # A triangle {0, 1, 2} and an edge {3, 4}, n = 5: within the triangle closeness is
    # 1 on its own, times 2/4 reached; within the pair 1 times 1/4.
    a = matrix_of(nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4)]))
    assert closeness_of(a) == pytest.approx([0.5, 0.5, 0.5, 0.25, 0.25])
    assert harmonic_of(a) == pytest.approx([0.5, 0.5, 0.5, 0.25, 0.25])


def test_weighted_degree_sums_strengths():
    a = sp.csr_matrix(([0.5, 0.25, 0.5, 0.25], ([0, 0, 1, 2], [1, 2, 0, 0])), shape=(3, 3))
    assert degree_of(a, "out", weighted=True, normalized=False).tolist() == [0.75, 0.5, 0.25]


def test_eigenvector_of_a_path_of_three():
    # λ = √2, x = (1, √2, 1) / 2.
    a = matrix_of(nx.path_graph(3))
    assert eigenvector_of(a) == pytest.approx([0.5, 2**-0.5, 0.5], abs=1e-5)


def test_empty_and_single_node_graphs():
    for f in (closeness_of, harmonic_of, eigenvector_of, degree_of):
        assert f(sp.csr_matrix((0, 0))).shape == (0,)
    assert closeness_of(sp.csr_matrix((1, 1))).tolist() == [0.0]
    assert degree_of(sp.csr_matrix((1, 1))).tolist() == [0.0]


# --- random graphs against networkx -------------------------------------------------
graphs = st.builds(
    lambda n, p, seed, directed: nx.gnp_random_graph(n, p, seed=seed, directed=directed),
    st.integers(2, 30),
    st.floats(0.0, 0.4),
    st.integers(0, 10**6),
    st.booleans(),
)


@settings(max_examples=30, deadline=None)
@given(graphs, st.integers(0, 10**6))
def test_random_graphs_match_networkx(graph, seed):
    n = len(graph)
    rng = np.random.default_rng(seed)
    for u, v in graph.edges():
        graph[u][v]["weight"] = float(rng.uniform(0.05, 1.0))
    a, w = matrix_of(graph), matrix_of(graph, "weight")
    nx_degree = nx.degree_centrality(graph)
    if graph.is_directed():
        ours = degree_of(a, "all")
        assert degree_of(a, "in") == pytest.approx(in_order(nx.in_degree_centrality(graph), n))
        assert degree_of(a, "out") == pytest.approx(in_order(nx.out_degree_centrality(graph), n))
        weighted_in = dict(graph.in_degree(weight="weight"))
        assert degree_of(w, "in", weighted=True, normalized=False) == pytest.approx(
            in_order(weighted_in, n)
        )
    else:
        ours = degree_of(a, "out")
        weighted = dict(graph.degree(weight="weight"))
        assert degree_of(w, "out", weighted=True, normalized=False) == pytest.approx(
            in_order(weighted, n)
        )
    assert ours == pytest.approx(in_order(nx_degree, n))
    expected = in_order(nx.closeness_centrality(graph, wf_improved=True), n)
    np.testing.assert_allclose(closeness_of(a), expected, atol=1e-12)
    expected = in_order(nx.harmonic_centrality(graph), n)
    np.testing.assert_allclose(harmonic_of(a, normalized=False), expected, atol=1e-12)
    for weighted, weight in ((False, None), (True, "weight")):
        try:
            theirs = nx.eigenvector_centrality(graph, max_iter=1000, weight=weight)
        except nx.PowerIterationFailedConvergence:
            with pytest.raises(ValueError, match="converge"):
                eigenvector_of(w, weighted)
            continue
        np.testing.assert_allclose(eigenvector_of(w, weighted), in_order(theirs, n), atol=1e-9)


# --- the Florentine families ----------------------------------------------------------
def florentine_network():
    """Padgett's marriage ties as family ties, plus one friendship that kinds can drop."""
    graph = nx.florentine_families_graph()
    ties = [Tie(a=u.lower(), b=v.lower(), kind="family") for u, v in graph.edges()]
    ties.append(Tie(a="pazzi", b="lamberteschi", kind="friend"))
    return graph, build_network(workspace_of(ties, [v.lower() for v in graph]), DAY)


def test_florentine_families():
    graph, network = florentine_network()
    at = network.person_index
    family = {"family"}
    # Published: the Medici's betweenness 0.522 (47.5 of the 91 pairs), through brokerage.
    plain = build_network(
        workspace_of(
            [Tie(a=u.lower(), b=v.lower(), kind="other") for u, v in graph.edges()],
            [v.lower() for v in graph],
        ),
        DAY,
    )
    b = betweenness(plain)
    assert round(b[plain.person_index["medici"]], 3) == 0.522
    assert b[plain.person_index["medici"]] == pytest.approx(47.5 / 91)
    assert centrality(network, "betweenness", kinds=family).values == pytest.approx(b)
    for measure, expected in (
        ("closeness", nx.closeness_centrality(graph)),
        ("harmonic", {v: h / 14 for v, h in nx.harmonic_centrality(graph).items()}),
        ("eigenvector", nx.eigenvector_centrality(graph, max_iter=1000)),
        ("degree", nx.degree_centrality(graph)),
    ):
        result = centrality(network, measure, kinds=family)
        ours = {v: result.values[at[v.lower()]] for v in graph}
        assert ours == pytest.approx(expected, abs=1e-6), measure
        top = max(ours, key=ours.__getitem__)
        assert top == "Medici", measure
    assert round(centrality(network, "closeness", kinds=family).values[at["medici"]], 3) == 0.560
    assert round(centrality(network, "eigenvector", kinds=family).values[at["medici"]], 3) == 0.430
    # The friendship counts without the filter.
    assert centrality(network, "degree").values[at["pazzi"]] == pytest.approx(2 / 14)
    assert centrality(network, "degree", kinds=family).values[at["pazzi"]] == pytest.approx(1 / 14)


# --- on a person network --------------------------------------------------------------
def asker_network():
    """``asker`` seeks out b, c and d; b seeks out c, c seeks out d (all directed)."""
    ties = [
        Tie(a="asker", b=x, kind="friend", directed=True, strength=0.5) for x in ("b", "c", "d")
    ]
    ties += [
        Tie(a="b", b="c", kind="mentor", directed=True),
        Tie(a="c", b="d", kind="mentor", directed=True, strength=0.4),
        Tie(a="c", b="d", kind="classmate", strength=0.8),  # undirected: both ways
    ]
    return build_network(workspace_of(ties, ["asker", "b", "c", "d", "loner"]), DAY)


def test_tie_matrix_direction_kinds_and_strongest_tie():
    network = asker_network()
    directed = tie_matrix(network, directed=True).toarray()
    assert directed[0].tolist() == [0, 0.5, 0.5, 0.5, 0]
    assert directed[2, 3] == 0.8 and directed[3, 2] == 0.8  # the stronger tie
    assert directed[2].tolist() == [0, 0, 0, 0.8, 0]
    mentors = tie_matrix(network, directed=True, kinds=["mentor"]).toarray()
    assert mentors[2, 3] == 0.4 and mentors[3, 2] == 0
    undirected = tie_matrix(network).toarray()
    assert (undirected == undirected.T).all() and undirected[1, 0] == 0.5


def test_in_and_out_degree_read_who_seeks_whom():
    network = asker_network()
    assert centrality(network, "out-degree").values.tolist() == pytest.approx(
        [3 / 4, 1 / 4, 1 / 4, 1 / 4, 0]
    )
    result = centrality(network, "in-degree")
    assert result.values * 4 == pytest.approx([0, 1, 3, 2, 0])  # d seeks c back
    assert result.directed and result.n == 5 and result.isolates == 1
    weighted = centrality(network, "in-degree", weighted=True)
    assert weighted.values * 4 == pytest.approx([0, 0.5, 0.5 + 0.5 + 0.8, 0.5 + 0.8, 0])
    with pytest.raises(ValueError, match="directed"):
        centrality(network, "in-degree", directed=False)
    with pytest.raises(ValueError, match="hops"):
        centrality(network, "closeness", weighted=True)
    with pytest.raises(ValueError, match="unknown"):
        centrality(network, "pagerank")  # type: ignore[arg-type]


def test_the_asker_is_not_the_top_directed_broker():
    network = asker_network()
    # The asker reaches everyone directly; b→c→d is the only shortest b→d path; c and
    # d seek each other directly. So c lies on (b, d) only: 1 of the (n − 1)(n − 2) = 12
    # ordered pairs. The asker, whom nobody seeks, lies on none.
    directed = betweenness(network, directed=True)
    assert directed * 12 == pytest.approx([0, 0, 1, 0, 0])
    # Undirected, the asker is a broker: b–d goes b–asker–d or b–c–d (½ each).
    undirected = centrality(network, "betweenness").values
    assert undirected * 6 == pytest.approx([0.5, 0, 0.5, 0, 0])
    assert centrality(network, "betweenness", directed=True).values == pytest.approx(directed)
    assert int(np.argmax(centrality(network, "out-degree").values)) == 0


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 40), st.floats(0.02, 0.3), st.integers(0, 10**6))
def test_directed_betweenness_matches_networkx_and_igraph(n, p, seed):
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    rows = np.array([u for u, _ in graph.edges()], dtype=np.int64)
    cols = np.array([v for _, v in graph.edges()], dtype=np.int64)
    ours = betweenness_from_edges(n, rows, cols, directed=True)
    expected = in_order(nx.betweenness_centrality(graph), n)
    np.testing.assert_allclose(ours, expected, atol=1e-12)
    raw = ig.Graph(n=n, edges=list(graph.edges()), directed=True).betweenness()
    assert betweenness_from_edges(n, rows, cols, directed=True, normalized=False) == (
        pytest.approx(raw)
    )
    sources = sorted({seed % n, (seed // 7) % n, 0})
    subset = nx.betweenness_centrality_subset(graph, sources, list(graph), normalized=False)
    theirs = ig.Graph(n=n, edges=list(graph.edges()), directed=True).betweenness(sources=sources)
    assert in_order(subset, n) == pytest.approx(theirs)


def test_directed_betweenness_through_igraph_matches_the_small_path(monkeypatch):
    import stakegraph.analysis.brokerage as brokerage

    network = asker_network()
    small = betweenness(network, directed=True)
    monkeypatch.setattr(brokerage, "SMALL_GRAPH", 0)
    network.memo.clear()
    assert betweenness(network, directed=True) == pytest.approx(small)


def test_every_measure_runs_and_states_its_graph():
    network = asker_network()
    for measure in MEASURES:
        result = centrality(network, measure)
        assert result.values.shape == (5,) and result.normalisation
        # the loner: 0; under eigenvector, what the power iteration leaves (→ 0)
        assert result.values[4] == pytest.approx(0, abs=1e-5)


def test_sampled_directed_betweenness_scales_the_subset_sums():
    graph = nx.gnp_random_graph(60, 0.06, seed=3, directed=True)
    n, sources = 60, [0, 5, 17, 42]
    rows = np.array([u for u, _ in graph.edges()], dtype=np.int64)
    cols = np.array([v for _, v in graph.edges()], dtype=np.int64)
    ours = betweenness_from_edges(n, rows, cols, sources=sources, directed=True)
    subset = in_order(nx.betweenness_centrality_subset(graph, sources, list(graph)), n)
    scale = np.full(n, (n - 1) / 4)
    scale[sources] = (n - 1) / 3
    np.testing.assert_allclose(ours, subset * scale / ((n - 1) * (n - 2)), atol=1e-15)
