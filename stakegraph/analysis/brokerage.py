"""Brokerage: who sits between the others (betweenness) and who is hemmed in (constraint).

Both measures run on the *undirected person graph* of a day: two persons are
adjacent when one's post reports to the other's (formal), when one oversees the
other's bureau (分管, oversight), or when an informal tie links them (非正式组织).

How weights enter
-----------------
* Betweenness counts **hops**: every edge has length 1. Brokerage in Freeman's
  sense is about standing on the shortest chains of acquaintance; turning tie
  strengths into lengths (1/s, −log s) would mix an org-chart line with a
  scored tie on an arbitrary scale, and the report already rates how warm a
  path is (coverage, warm paths).
* Constraint uses **weights**: a formal or oversight link weighs 1 and an informal
  tie adds its strength (``strength × confidence``, the strongest tie between the
  pair), so a superior who is also a classmate is a heavier, more constraining
  contact: ``w_ij = 1[formal or oversight] + tie_ij`` in (0, 2].

Zero-weight ties (strength or confidence 0) and self-loops are not edges.

The functions ending in ``_from_edges`` take plain edge lists (``n`` nodes,
``rows``/``cols``/``weights`` of the undirected edges), so they can be checked on
any graph; :func:`betweenness` and :func:`constraint` apply them to a
:class:`~stakegraph.graph.network.PersonNetwork` and keep the edge list and
the igraph graph on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import scipy.sparse as sp

from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.relation_filter import applied_filter
from stakegraph.graph.tie_graph import tie_matrix
from stakegraph.records.model import TieKind

if TYPE_CHECKING:
    import igraph

#: Upper bound on the wedges (two-step paths) expanded at once by :func:`constraint_from_edges`,
#: which keeps its memory flat however large the graph is.
_WEDGES_PER_CHUNK = 20_000_000


@dataclass(frozen=True)
class PersonGraphEdges(MemoKey[tuple[np.ndarray, np.ndarray, np.ndarray]]):
    """Memo key: the edge list of :func:`person_graph_edges`."""


@dataclass(frozen=True)
class PersonIgraph(MemoKey["igraph.Graph"]):
    """Memo key: that edge list as an unweighted igraph graph, for :func:`betweenness`."""


@dataclass(frozen=True)
class DirectedTieIgraph(MemoKey["igraph.Graph"]):
    """Memo key: the directed tie graph as an igraph graph, for ``betweenness(directed=True)``."""


def person_graph_edges(network: PersonNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The undirected person graph as one edge list: formal ∪ oversight ∪ ties.

    Parameters
    ----------
    network : PersonNetwork
        Persons and edge matrices of one day.

    Returns
    -------
    rows, cols : int64 arrays
        Person rows of each undirected edge, ``rows < cols``, sorted by (row, col).
    weights : float arrays
        ``1[formal or oversight link] + tie strength`` (the strongest tie between the
        pair, ``strength × confidence``), in (0, 2]. Used by :func:`constraint`;
        :func:`betweenness` ignores them and counts hops.

    Notes
    -----
    Kept in ``network.memo`` under :class:`PersonGraphEdges`. O(n + m) for m edges.
    """
    return network.memo.get_or_build(PersonGraphEdges(), lambda: _person_graph_edges(network))


def _person_graph_edges(network: PersonNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    chart = network.formal + network.formal.T + network.oversight + network.oversight.T
    chart = (chart > 0).astype(float)
    ties = network.tie_strength.copy()
    ties.eliminate_zeros()
    total = sp.triu(chart + ties, k=1).tocsr()
    total.eliminate_zeros()
    total.sort_indices()
    coo = total.tocoo()
    return coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(float)


def _symmetric(
    n: int, rows: np.ndarray, cols: np.ndarray, weights: Sequence[float] | np.ndarray | None
) -> sp.csr_matrix:
    """Symmetric CSR adjacency without self-loops or zero weights; repeated pairs sum."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    data = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=float)
    keep = (rows != cols) & (data != 0)
    rows, cols, data = rows[keep], cols[keep], data[keep]
    upper = sp.coo_matrix((data, (rows, cols)), shape=(n, n)).tocsr()
    matrix = (upper + upper.T).tocsr()
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix


def _igraph(n: int, rows: np.ndarray, cols: np.ndarray, directed: bool = False) -> igraph.Graph:
    """A simple igraph graph (no loops, no multi-edges) on ``n`` vertices.

    Undirected: each edge once whatever its orientation. Directed: ``rows[i] → cols[i]``.
    """
    import igraph as ig

    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if directed:
        low, high = rows, cols
    else:
        low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    pairs = np.unique(np.stack([low, high], axis=1)[low != high], axis=0)
    return ig.Graph(n=n, edges=pairs.tolist(), directed=directed)


def _sources(n: int, samples: int | None, seed: int) -> np.ndarray | None:
    """Sorted uniformly sampled source rows, or None for the exact computation."""
    if samples is None or samples >= n:
        return None
    if samples < 2:
        raise ValueError(f"samples must be at least 2 (or None for exact), got {samples}")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=samples, replace=False))


def _betweenness_on(
    graph: igraph.Graph, sources: Sequence[int] | np.ndarray | None, normalized: bool
) -> np.ndarray:
    n = graph.vcount()
    directed = graph.is_directed()
    if n == 0:
        return np.zeros(0)
    if sources is None:
        values = np.asarray(graph.betweenness(directed=directed), dtype=float)
    else:
        sources = np.unique(np.asarray(sources, dtype=np.int64))
        k = len(sources)
        if k == 0 or sources[0] < 0 or sources[-1] >= n:
            raise ValueError("sources must be a non-empty list of node rows in [0, n)")
        # Undirected, ½ Σ_{s∈S} δ_s(v): igraph counts each unordered pair once, as
        # for all sources; directed, Σ_{s∈S} δ_s(v) over the ordered pairs.
        values = np.asarray(graph.betweenness(directed=directed, sources=sources.tolist()), float)
        if k < n:
            # A sampled source never lies inside its own paths, so it has k − 1
            # informative sources and every other node k, out of n − 1 possible ones.
            scale = np.full(n, (n - 1) / k)
            scale[sources] = (n - 1) / (k - 1) if k > 1 else np.nan
            values = values * scale
    if normalized:
        values = values * _norm(n, directed)
    return values


def _norm(n: int, directed: bool) -> float:
    """One over the number of (ordered, when directed) pairs a node can lie between."""
    if n <= 2:
        return 1.0
    return (1.0 if directed else 2.0) / ((n - 1) * (n - 2))


def betweenness_from_edges(
    n: int,
    rows: Sequence[int] | np.ndarray,
    cols: Sequence[int] | np.ndarray,
    samples: int | None = None,
    seed: int = 0,
    normalized: bool = True,
    sources: Sequence[int] | np.ndarray | None = None,
    directed: bool = False,
) -> np.ndarray:
    """Betweenness of a graph given as an edge list (hops, weights ignored).

    See :func:`betweenness` for the definition. ``sources`` overrides the sampling
    with an explicit set of source rows (the same scaling applies); repeated pairs
    and self-loops are ignored. ``directed`` reads each edge ``rows[i] → cols[i]``.
    """
    graph = _igraph(n, np.asarray(rows), np.asarray(cols), directed)
    if sources is None:
        sources = _sources(n, samples, seed)
    return _betweenness_on(graph, sources, normalized)


def betweenness(
    network: PersonNetwork,
    samples: int | None = None,
    seed: int = 0,
    normalized: bool = True,
    directed: bool = False,
) -> np.ndarray:
    """Brandes betweenness of every person on the undirected person graph, or the directed tie graph.

    Definition
    ----------
    ``B(v) = Σ_{s<t, s≠v≠t} σ_st(v) / σ_st``, with σ_st the number of shortest
    (fewest-hop) paths between s and t and σ_st(v) those through v; each unordered
    pair counts once. Normalised, ``B(v) · 2 / ((n − 1)(n − 2))`` with n all
    persons (isolates included, their betweenness 0), as networkx normalises
    undirected graphs; in [0, 1].

    With ``directed``, the graph is the directed informal tie graph of the day
    (:func:`~stakegraph.graph.tie_graph.tie_matrix`: ``u → v`` when u seeks out v
    through a directed tie, both ways for an undirected one; formal and oversight
    lines are left out). Then s and t run over ordered pairs, σ_st counts directed
    paths, and the normalisation is ``1 / ((n − 1)(n − 2))``, as networkx normalises
    directed graphs. A person who seeks out everyone but whom nobody seeks out lies
    on no directed path between two others: asking is not brokering.

    With ``samples = k < n``, the Brandes–Pich estimator: the dependencies
    δ_s(v) = Σ_t σ_st(v)/σ_st are accumulated from k source persons drawn
    uniformly without replacement (``numpy.random.default_rng(seed)``), and scaled
    to the n − 1 sources that could count for v: by ``(n − 1)/k`` for a node that
    was not drawn and ``(n − 1)/(k − 1)`` for one that was (a source never lies on
    its own paths). Unbiased for every node; the same scaling as
    ``networkx.betweenness_centrality(k=...)``.

    Parameters
    ----------
    network : PersonNetwork
        Persons and edges of one day.
    samples : int, optional
        Number of source persons; exact when None or ≥ n. At least 2 otherwise.
    seed : int
        Seed of the source sample; the same seed gives the same result.
    normalized : bool
        Divide by the number of pairs ``(n − 1)(n − 2)/2`` (``(n − 1)(n − 2)`` directed).
    directed : bool
        The directed tie graph instead of the undirected person graph.

    Returns
    -------
    numpy.ndarray
        One value per person row of ``network.persons``.

    Complexity
    ----------
    One breadth-first search and one dependency accumulation per source:
    O(k (n + m)) time for k sources and m edges (O(n m) exact), O(n + m) memory.
    Runs in python-igraph's C code (``Graph.betweenness(sources=...)``), about 30×
    faster than networkx on the same sources at 10^5 persons.

    References
    ----------
    U. Brandes, "A faster algorithm for betweenness centrality", Journal of
    Mathematical Sociology 25(2), 163–177, 2001.
    U. Brandes and C. Pich, "Centrality estimation in large networks",
    International Journal of Bifurcation and Chaos 17(7), 2303–2318, 2007.
    L. C. Freeman, "A set of measures of centrality based on betweenness",
    Sociometry 40(1), 35–41, 1977.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) the three officials
    form a triangle (two reporting lines and one tie): every pair is adjacent, so
    nobody lies between two others.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> betweenness(network).tolist()
    [0.0, 0.0, 0.0]
    """
    sources = _sources(network.size, samples, seed)
    if directed:
        return _directed_betweenness(network, sources, normalized)
    if sources is None and network.size <= SMALL_GRAPH:
        rows, cols, _ = person_graph_edges(network)
        return _small_exact(network.size, rows, cols, normalized)

    def build() -> igraph.Graph:
        rows, cols, _ = person_graph_edges(network)
        return _igraph(network.size, rows, cols)

    return _betweenness_on(network.memo.get_or_build(PersonIgraph(), build), sources, normalized)


#: Up to this many persons exact betweenness runs in networkx: importing igraph
#: costs about 0.9 s (it loads matplotlib.pyplot), more than the whole computation.
SMALL_GRAPH = 300


def _small_exact(
    n: int, rows: np.ndarray, cols: np.ndarray, normalized: bool, directed: bool = False
) -> np.ndarray:
    import networkx as nx

    graph: nx.Graph[int] = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((int(a), int(b)) for a, b in zip(rows, cols, strict=True) if a != b)
    values = nx.betweenness_centrality(graph, normalized=False)
    out = np.array([values[i] for i in range(n)], dtype=float)
    if normalized:
        out = out * _norm(n, directed)
    return out


def _directed_betweenness(
    network: PersonNetwork, sources: np.ndarray | None, normalized: bool
) -> np.ndarray:
    def edges() -> tuple[np.ndarray, np.ndarray]:
        coo = tie_matrix(network, directed=True).tocoo()
        return coo.row.astype(np.int64), coo.col.astype(np.int64)

    if sources is None and network.size <= SMALL_GRAPH:
        rows, cols = edges()
        return _small_exact(network.size, rows, cols, normalized, directed=True)

    def build() -> igraph.Graph:
        return _igraph(network.size, *edges(), directed=True)

    graph = network.memo.get_or_build(DirectedTieIgraph(), build)
    return _betweenness_on(graph, sources, normalized)


def constraint_from_edges(
    n: int,
    rows: Sequence[int] | np.ndarray,
    cols: Sequence[int] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Burt's constraint of an undirected weighted graph given as an edge list.

    See :func:`constraint` for the definition. Each undirected edge appears once;
    repeated pairs add up, self-loops and zero weights are dropped; ``weights``
    None means 1 for every edge. Isolates get NaN.
    """
    adjacency = _symmetric(n, np.asarray(rows), np.asarray(cols), weights)
    result = np.full(n, np.nan)
    if n == 0 or adjacency.nnz == 0:
        return result
    strength = np.asarray(adjacency.sum(axis=1)).ravel()
    connected = strength > 0
    inverse = np.zeros(n)
    inverse[connected] = 1.0 / strength[connected]
    p = (sp.diags(inverse) @ adjacency).tocsr()  # p_ij = w_ij / Σ_k w_ik
    pattern = p.copy()
    pattern.data = np.ones_like(pattern.data)
    degree = np.diff(p.indptr).astype(np.int64)
    wedges = pattern @ degree.astype(float)  # two-step paths leaving each row
    total = np.zeros(n)
    bounds = np.cumsum(wedges)
    start = 0
    while start < n:
        stop = int(np.searchsorted(bounds, bounds[start] - wedges[start] + _WEDGES_PER_CHUNK))
        stop = min(max(stop, start + 1), n)
        block = p[start:stop]
        # ℓ_ij = (p_ij + Σ_q p_iq p_qj)², kept only on edges (i, j).
        local = (block + block @ p).multiply(pattern[start:stop])
        total[start:stop] = np.asarray(local.power(2).sum(axis=1)).ravel()
        start = stop
    result[connected] = total[connected]
    return result


def constraint(network: PersonNetwork) -> np.ndarray:
    """Burt's constraint of every person on the weighted undirected person graph.

    Definition
    ----------
    With ``w_ij`` the weight of the edge between i and j (1 for a formal or
    oversight link, plus the strength of the strongest informal tie) and
    ``p_ij = w_ij / Σ_k w_ik`` the share of i's network time invested in j,

        c_i = Σ_{j ∈ N(i)} ( p_ij + Σ_{q ∈ N(i), q ≠ i, j} p_iq p_qj )²,

    summed over i's contacts j only. This is networkx's ``constraint`` (mutual
    weight ``a_ij + a_ji`` normalised over i's neighbours, which for an undirected
    graph is the share above); igraph's ``Graph.constraint`` differs, as it also
    sums the indirect term over non-contacts j two steps away. High constraint
    (up to 1 for a single contact) means i's contacts all know each other: no
    structural hole to broker. Isolated persons: NaN.

    Parameters
    ----------
    network : PersonNetwork
        Persons and edges of one day.

    Returns
    -------
    numpy.ndarray
        One value per person row, NaN for persons without any contact.

    Complexity
    ----------
    O(m + Σ_q deg(q)²) time (the two-step paths, one sparse product), computed in
    row blocks of at most 2·10^7 two-step paths so memory stays O(n + m + block).

    References
    ----------
    R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
    University Press, 1992, ch. 2 (equation 2.4).
    R. S. Burt, "Structural holes and good ideas", American Journal of Sociology
    110(2), 349–399, 2004.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) ``li`` has two
    reporting lines (weight 1 each), to ``wang`` and to ``zhao``; those two share a
    tie of 0.5. So ``p`` is 1/2 from ``li`` to each, and 1/3 from ``wang`` or ``zhao``
    to the other: ``c(li) = 2 × (1/2 + 1/2 · 1/3)² = 8/9``, and
    ``c(wang) = (2/3 + 1/3 · 2/3)² + (1/3 + 2/3 · 1/2)² = 100/81``, as for ``zhao``.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> network.persons
    ['wang', 'li', 'zhao']
    >>> [round(c, 4) for c in constraint(network).tolist()]
    [1.2346, 0.8889, 1.2346]
    """
    rows, cols, weights = person_graph_edges(network)
    return constraint_from_edges(network.size, rows, cols, weights)


#: Which graph brokerage reads: ``auto`` follows the ``[ties] directed_kinds`` setting.
BrokerageGraph = Literal["auto", "directed", "undirected"]
BROKERAGE_GRAPHS: tuple[BrokerageGraph, ...] = ("auto", "directed", "undirected")


@dataclass(frozen=True)
class Brokerage:
    """Betweenness and constraint of every person, with the graph and normalisation used.

    Attributes
    ----------
    betweenness : one value per person row, normalised as ``normalisation`` says.
    constraint : Burt's constraint per person row (NaN without any contact); always on
        the weighted undirected person graph.
    directed : betweenness on the directed tie graph (else the undirected person graph).
    n : persons counted in the normalisation, isolates included.
    isolates : persons without any edge in the betweenness graph (betweenness 0).
    normalisation : the betweenness normalisation, as a formula.
    samples : sampled sources of the estimate (None: exact).
    """

    betweenness: np.ndarray
    constraint: np.ndarray
    directed: bool
    n: int
    isolates: int
    normalisation: str
    samples: int | None = None


def directed_by_default(
    kinds: frozenset[TieKind] | None, directed_kinds: Sequence[str] | frozenset[str]
) -> bool:
    """Whether ``auto`` brokerage reads the directed graph for ties of ``kinds``.

    Advice-like kinds (``[ties] directed_kinds``, default mentor) keep their direction;
    kin, classmates and every other kind are read both ways. So the directed graph is
    the default only when every kind kept is advice-like; with every kind (None), the
    undirected person graph, as before relation filters existed.

    >>> directed_by_default(frozenset({TieKind.MENTOR}), ("mentor",))
    True
    >>> directed_by_default(frozenset({TieKind.MENTOR, TieKind.FAMILY}), ("mentor",))
    False
    >>> directed_by_default(None, ("mentor",))
    False
    """
    if not kinds:
        return False
    return all(kind.value in directed_kinds for kind in kinds)


def brokerage(
    network: PersonNetwork,
    graph: BrokerageGraph = "auto",
    kinds: frozenset[TieKind] | None = None,
    samples: int | None = None,
    seed: int = 0,
) -> Brokerage:
    """Betweenness (directed or undirected) and constraint of every person, stating the graph.

    Definition
    ----------
    Betweenness as :func:`betweenness`: on the undirected person graph (formal,
    oversight and tie edges, unordered pairs, normalised by ``2/((n−1)(n−2))``) or
    on the directed tie graph (``u → v`` when u defers to v; ordered pairs,
    ``1/((n−1)(n−2))``). ``graph="auto"`` picks the directed one when every tie kind
    kept (``kinds``, the relation filter's) is advice-like, per
    :func:`directed_by_default`. Constraint as :func:`constraint`. n counts every
    person of the day; isolates (no edge in the betweenness graph) score 0.

    Parameters
    ----------
    network : PersonNetwork
        The network, already restricted by a relation filter if one applies.
    graph : {"auto", "directed", "undirected"}
    kinds : frozenset of TieKind, optional
        The tie kinds kept, for ``auto``; default those of the relation filter the
        network was restricted by (:func:`~stakegraph.graph.relation_filter.applied_filter`).
    samples, seed
        As :func:`betweenness`.

    Returns
    -------
    Brokerage

    Complexity
    ----------
    That of :func:`betweenness` plus :func:`constraint`: O(k (n + m) + Σ deg²).

    References
    ----------
    Freeman 1977 and Brandes 2001 (see :func:`betweenness`); Burt 1992 (see
    :func:`constraint`).

    Examples
    --------
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> result = brokerage(build_network(sample_workspace(), SAMPLE_DAY))
    >>> result.directed, result.n, result.isolates, result.normalisation
    (False, 3, 0, '2 / ((n − 1)(n − 2))')
    """
    if graph not in BROKERAGE_GRAPHS:
        raise ValueError(f"graph must be one of {', '.join(BROKERAGE_GRAPHS)}, not {graph!r}")
    if kinds is None:
        kinds = applied_filter(network).kinds
    advice_like = network.workspace.settings.ties.directed_kinds
    directed = graph == "directed" or (graph == "auto" and directed_by_default(kinds, advice_like))
    values = betweenness(network, samples=samples, seed=seed, directed=directed)
    if directed:
        touched = tie_matrix(network, directed=True)
        degree = np.diff(touched.tocsr().indptr) + np.diff(touched.tocsc().indptr)
    else:
        rows, cols, _ = person_graph_edges(network)
        degree = np.bincount(np.concatenate([rows, cols]), minlength=network.size)
    used = None if samples is None or samples >= network.size else samples
    return Brokerage(
        betweenness=values,
        constraint=constraint(network),
        directed=directed,
        n=network.size,
        isolates=int((degree == 0).sum()),
        normalisation="1 / ((n − 1)(n − 2))" if directed else "2 / ((n − 1)(n − 2))",
        samples=used,
    )
