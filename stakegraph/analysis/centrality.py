"""Standard centralities of the informal tie graph: degree, closeness, harmonic, eigenvector.

Each measure runs on the tie graph of a day (:func:`~stakegraph.graph.tie_graph.tie_matrix`),
directed or not, optionally restricted to some kinds of tie. In the directed graph an
edge ``u → v`` means that ``u`` seeks out ``v`` (a directed tie from ``u`` to ``v``, or
either direction of an undirected tie), so a high **in**-degree is a person many seek
out ("sought by"), and closeness, harmonic and eigenvector centrality, which follow
networkx in reading a directed graph inwards, reward being reached, not reaching.

Every person of the day counts (n includes persons without any tie, whose score is 0);
closeness follows Wasserman and Faust for graphs that are not connected, as networkx's
``closeness_centrality(wf_improved=True)``. Distances count hops; weights enter only the
weighted degree and the weighted eigenvector. The functions ending in ``_of`` take any
sparse adjacency matrix, so they can be checked on any graph; :func:`centrality` applies
one measure to a :class:`~stakegraph.graph.network.PersonNetwork` and says which graph
and which normalisation it used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.tie_graph import tie_kinds, tie_matrix
from stakegraph.records.model import TieKind

Measure = Literal[
    "degree", "in-degree", "out-degree", "closeness", "harmonic", "eigenvector", "betweenness"
]
MEASURES: tuple[Measure, ...] = (
    "degree",
    "in-degree",
    "out-degree",
    "closeness",
    "harmonic",
    "eigenvector",
    "betweenness",
)

#: Upper bound on the distances held at once by the breadth-first searches (sources × n).
_DISTANCES_PER_CHUNK = 4_000_000


@dataclass(frozen=True)
class Centrality:
    """One centrality of every person, with the graph and normalisation that produced it.

    Attributes
    ----------
    measure : one of :data:`MEASURES`.
    values : one float per person row of ``network.persons``.
    directed : computed on the directed tie graph (else the undirected one).
    kinds : the tie kinds kept, None for every kind.
    weighted : tie strengths used as weights (degree, eigenvector), else every edge 1.
    n : persons counted, isolates included.
    isolates : persons without any tie in that graph (score 0, or under eigenvector the
        vanishing remainder of the power iteration; NaN never appears).
    normalisation : the normalisation applied, as a formula.
    samples : betweenness only, the number of sampled sources (None: exact).
    """

    measure: str
    values: np.ndarray
    directed: bool
    kinds: frozenset[TieKind] | None
    weighted: bool
    n: int
    isolates: int
    normalisation: str
    samples: int | None = None

    def ranked(self, persons: list[str], top: int | None = None) -> list[int]:
        """Rows of the ``top`` highest values (None: all), highest first.

        Values are compared at :data:`KEPT` decimal places, so scores equal but for
        floating-point noise tie, and ties go by person id. O(n log n).
        """
        values = [round(float(v), KEPT) for v in self.values]
        order = sorted(range(len(persons)), key=lambda i: (-values[i], persons[i]))
        return order if top is None else order[:top]


#: Decimal places a ranking compares values at: enough for any use, and scores equal but
#: for floating-point noise tie, so their order falls to the person id.
KEPT = 12

#: A square sparse adjacency matrix; a scipy.sparse array of any format also works.
Adjacency = sp.csr_matrix


def _csr(adjacency: Adjacency) -> sp.csr_matrix:
    """A float CSR copy of an adjacency matrix."""
    return sp.csr_matrix(adjacency, dtype=float, copy=True)


def _pattern(adjacency: Adjacency) -> sp.csr_matrix:
    """The 0/1 pattern of an adjacency matrix, without self-loops or explicit zeros."""
    matrix = _csr(adjacency)
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    return matrix


def _weights(adjacency: Adjacency) -> sp.csr_matrix:
    matrix = _csr(adjacency)
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    return matrix


def degree_of(
    adjacency: Adjacency,
    mode: Literal["in", "out", "all"] = "all",
    weighted: bool = False,
    normalized: bool = True,
) -> np.ndarray:
    """Degree centrality of a graph given as an adjacency matrix (``A[u, v]``: edge u → v).

    Definition
    ----------
    ``out(u) = Σ_v A_uv``, ``in(v) = Σ_u A_uv`` (with ``A`` the 0/1 pattern, or the
    weights when ``weighted``); ``all`` is ``out + in`` for a directed graph, as
    networkx's ``degree_centrality`` on a ``DiGraph``. For an undirected graph give the
    symmetric matrix and ``mode="out"``: the number of neighbours. Normalised, divided
    by ``n − 1`` (1 when n = 1).

    Parameters
    ----------
    adjacency : scipy.sparse matrix, n × n
    mode : "in", "out" or "all"
    weighted : bool
    normalized : bool

    Returns
    -------
    numpy.ndarray
        One value per row.

    Complexity
    ----------
    O(n + m).

    References
    ----------
    L. C. Freeman, "Centrality in social networks: conceptual clarification",
    Social Networks 1(3), 215–239, 1978.

    Examples
    --------
    A star whose leaves all point at the centre 0:

    >>> import scipy.sparse as sp
    >>> a = sp.csr_matrix(([1.0, 1.0, 1.0], ([1, 2, 3], [0, 0, 0])), shape=(4, 4))
    >>> degree_of(a, "in").tolist(), degree_of(a, "out", normalized=False).tolist()
    ([1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 1.0])
    """
    matrix = _weights(adjacency) if weighted else _pattern(adjacency)
    n = matrix.shape[0]
    out = np.asarray(matrix.sum(axis=1)).ravel()
    into = np.asarray(matrix.sum(axis=0)).ravel()
    values: np.ndarray = {"out": out, "in": into, "all": out + into}[mode].astype(float)
    if normalized and n > 1:
        values = values / (n - 1)
    return values


def _inward_distances(adjacency: sp.csr_matrix) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (targets, distances) blocks: ``distances[i, v]`` = hops from v to targets[i]."""
    pattern = _pattern(adjacency)
    reverse = pattern.T.tocsr()
    n = pattern.shape[0]
    step = max(1, _DISTANCES_PER_CHUNK // max(n, 1))
    for start in range(0, n, step):
        targets = np.arange(start, min(start + step, n))
        yield targets, dijkstra(reverse, directed=True, unweighted=True, indices=targets)


def closeness_of(adjacency: Adjacency) -> np.ndarray:
    """Closeness centrality, Wasserman–Faust variant, of a graph given as an adjacency matrix.

    Definition
    ----------
    With ``R(u)`` the nodes that can reach u (u excluded), ``r = |R(u)|`` and
    ``d(v, u)`` the hops from v to u,

        C(u) = (r / Σ_{v ∈ R(u)} d(v, u)) · (r / (n − 1)),

    and 0 when nobody reaches u. The first factor is the classical closeness within
    u's reach; the second weighs it by the share of the graph that reaches u, so
    scores compare across components (Wasserman and Faust 1994, eq. 5.4;
    networkx's ``closeness_centrality(wf_improved=True)``). Directed graphs are read
    inwards, as networkx does: distances *to* u.

    Parameters
    ----------
    adjacency : scipy.sparse matrix, n × n (symmetric for an undirected graph)

    Returns
    -------
    numpy.ndarray
        One value per row, in [0, 1].

    Complexity
    ----------
    One breadth-first search per node: O(n (n + m)) time, searches run in blocks so
    memory stays O(n + m + 4·10^6).

    References
    ----------
    S. Wasserman and K. Faust, *Social Network Analysis: Methods and Applications*,
    Cambridge University Press, 1994, §5.3.

    Examples
    --------
    A path 0 – 1 – 2 and an isolate 3: the middle is 1 hop from both ends,
    ``(2/2)·(2/3)``; an end ``(2/3)·(2/3)``.

    >>> import scipy.sparse as sp
    >>> a = sp.csr_matrix(([1.0] * 4, ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(4, 4))
    >>> [round(x, 4) for x in closeness_of(a).tolist()]
    [0.4444, 0.6667, 0.4444, 0.0]
    """
    n = adjacency.shape[0]
    values = np.zeros(n)
    if n < 2:
        return values
    for targets, dist in _inward_distances(_csr(adjacency)):
        finite = np.isfinite(dist)
        reach = finite.sum(axis=1) - 1
        total = np.where(finite, dist, 0).sum(axis=1)
        ok = total > 0
        values[targets[ok]] = (reach[ok] / total[ok]) * (reach[ok] / (n - 1))
    return values


def harmonic_of(adjacency: Adjacency, normalized: bool = True) -> np.ndarray:
    """Harmonic centrality of a graph given as an adjacency matrix.

    Definition
    ----------
    ``H(u) = Σ_{v ≠ u} 1 / d(v, u)``, with ``1/∞ = 0`` for a v that cannot reach u;
    normalised, divided by ``n − 1``, so in [0, 1]. Directed graphs are read inwards
    (distances to u), as networkx's ``harmonic_centrality``, which does not normalise.

    Parameters
    ----------
    adjacency : scipy.sparse matrix, n × n
    normalized : bool

    Returns
    -------
    numpy.ndarray

    Complexity
    ----------
    O(n (n + m)), as :func:`closeness_of`.

    References
    ----------
    M. Marchiori and V. Latora, "Harmony in the small-world", Physica A 285(3–4),
    539–546, 2000. P. Boldi and S. Vigna, "Axioms for centrality", Internet
    Mathematics 10(3–4), 222–262, 2014.

    Examples
    --------
    The path 0 – 1 – 2 with an isolate 3: the middle ``1 + 1``, an end ``1 + 1/2``.

    >>> import scipy.sparse as sp
    >>> a = sp.csr_matrix(([1.0] * 4, ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(4, 4))
    >>> harmonic_of(a, normalized=False).tolist()
    [1.5, 2.0, 1.5, 0.0]
    """
    n = adjacency.shape[0]
    values = np.zeros(n)
    for targets, dist in _inward_distances(_csr(adjacency)):
        with np.errstate(divide="ignore"):
            inverse = np.where(np.isfinite(dist) & (dist > 0), 1.0 / dist, 0.0)
        values[targets] = inverse.sum(axis=1)
    if normalized and n > 1:
        values = values / (n - 1)
    return values


def eigenvector_of(
    adjacency: Adjacency,
    weighted: bool = False,
    max_iter: int = 1000,
    tol: float = 1e-6,
) -> np.ndarray:
    """Eigenvector centrality of a graph given as an adjacency matrix, by power iteration.

    Definition
    ----------
    The principal eigenvector x of ``Aᵀ`` (``x_v ∝ Σ_u A_uv x_u``: v is central when
    central nodes point at it), scaled to Euclidean norm 1. Computed as networkx's
    ``eigenvector_centrality``: power iteration on ``I + Aᵀ`` (the shift makes it
    converge on bipartite graphs without changing the eigenvector) from the uniform
    vector, stopping when the L1 change is below ``n · tol``. On a graph that is not
    (strongly) connected the result is the limit of that iteration from the uniform
    start: the components with the largest spectral radius take the mass.

    Parameters
    ----------
    adjacency : scipy.sparse matrix, n × n
    weighted : bool
        Use the weights of ``adjacency`` (else every edge counts 1).
    max_iter : int
    tol : float

    Returns
    -------
    numpy.ndarray
        Non-negative, Euclidean norm 1 (all zeros for n = 0).

    Raises
    ------
    ValueError
        The iteration did not converge within ``max_iter`` steps.

    Complexity
    ----------
    O(m) per iteration; the number of iterations grows with λ₁/λ₂ of ``I + A``.

    References
    ----------
    P. Bonacich, "Factoring and weighting approaches to status scores and clique
    identification", Journal of Mathematical Sociology 2(1), 113–120, 1972.

    Examples
    --------
    A star of centre 0 and three leaves: ``x = (√3, 1, 1, 1) / √6``.

    >>> import scipy.sparse as sp
    >>> a = sp.csr_matrix(([1.0] * 6, ([0, 0, 0, 1, 2, 3], [1, 2, 3, 0, 0, 0])), shape=(4, 4))
    >>> [round(x, 4) for x in eigenvector_of(a).tolist()]
    [0.7071, 0.4082, 0.4082, 0.4082]
    """
    matrix = _weights(adjacency) if weighted else _pattern(adjacency)
    n = matrix.shape[0]
    if n == 0:
        return np.zeros(0)
    step = (sp.identity(n, format="csr") + matrix.T).tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = step @ last
        norm = float(np.linalg.norm(x)) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < n * tol:
            return x
    raise ValueError(f"eigenvector centrality did not converge in {max_iter} iterations")


_NORMALISATION = {
    ("degree", False): "÷ (n − 1)",
    ("degree", True): "Σ strength ÷ (n − 1)",
    ("closeness", False): "Wasserman–Faust: (r / Σd) · (r / (n − 1)), r = persons reaching",
    ("harmonic", False): "Σ 1/d ÷ (n − 1)",
    ("eigenvector", False): "Euclidean norm 1",
    ("eigenvector", True): "Euclidean norm 1, strength-weighted",
}


def centrality(
    network: PersonNetwork,
    measure: Measure,
    directed: bool | None = None,
    kinds: Iterable[TieKind | str] | None = None,
    weighted: bool = False,
    samples: int | None = None,
    seed: int = 0,
) -> Centrality:
    """One centrality of every person on the informal tie graph of the day.

    Parameters
    ----------
    network : PersonNetwork
    measure : str
        ``degree`` (distinct persons tied to, or in + out on the directed graph),
        ``in-degree`` ("sought by": how many seek the person out), ``out-degree``
        (how many the person seeks out), ``closeness`` (:func:`closeness_of`),
        ``harmonic`` (:func:`harmonic_of`), ``eigenvector`` (:func:`eigenvector_of`)
        or ``betweenness`` (:func:`stakegraph.analysis.brokerage.betweenness_from_edges`
        on the tie graph; ``samples`` and ``seed`` as there).
    directed : bool, optional
        The directed tie graph (a directed tie one way, an undirected one both ways)
        or the undirected one. Default: directed for in- and out-degree, undirected
        otherwise; in- and out-degree refuse the undirected graph.
    kinds : iterable of TieKind or str, optional
        Only ties of these kinds; every kind when None.
    weighted : bool
        Degree and eigenvector only: weigh ties by ``strength × confidence``.

    Returns
    -------
    Centrality
        The values with the graph and normalisation used.

    Raises
    ------
    ValueError
        An unknown measure, in- or out-degree on the undirected graph, or weights
        asked of a measure that counts hops.

    Complexity
    ----------
    Degree O(n + m); eigenvector O(m) per iteration; closeness and harmonic
    O(n (n + m)); betweenness O(k (n + m)) for k sources.

    References
    ----------
    S. Wasserman and K. Faust, *Social Network Analysis*, 1994, ch. 5.

    Examples
    --------
    In the sample workspace only ``zhao`` and ``wang`` share a tie:

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> result = centrality(network, "degree")
    >>> result.values.tolist(), result.n, result.isolates
    ([0.5, 0.0, 0.5], 3, 1)
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)}")
    if measure in ("in-degree", "out-degree"):
        if directed is False:
            raise ValueError(
                f"{measure} needs the directed tie graph; on the undirected one use degree"
            )
        directed = True
    directed = bool(directed)
    if weighted and measure not in ("degree", "in-degree", "out-degree", "eigenvector"):
        raise ValueError(f"{measure} counts hops; weights apply to degree and eigenvector only")
    kept = tie_kinds(kinds)
    adjacency = tie_matrix(network, directed, kept)
    n = network.size
    touched = np.diff(adjacency.indptr) + np.bincount(adjacency.indices, minlength=n)
    isolates = int((touched == 0).sum())
    family = "degree" if measure.endswith("degree") else measure
    used_samples = None
    if measure == "betweenness":
        values, used_samples, normalisation = _betweenness(adjacency, directed, samples, seed)
    else:
        normalisation = _NORMALISATION[(family, weighted if family != "closeness" else False)]
        if family == "degree":
            mode = {"in-degree": "in", "out-degree": "out"}.get(
                measure, "all" if directed else "out"
            )
            values = degree_of(adjacency, mode, weighted)  # type: ignore[arg-type]
        elif family == "closeness":
            values = closeness_of(adjacency)
        elif family == "harmonic":
            values = harmonic_of(adjacency)
        else:
            values = eigenvector_of(adjacency, weighted)
    return Centrality(
        measure=measure,
        values=values,
        directed=directed,
        kinds=kept,
        weighted=weighted,
        n=n,
        isolates=isolates,
        normalisation=normalisation,
        samples=used_samples,
    )


def _betweenness(
    adjacency: sp.csr_matrix, directed: bool, samples: int | None, seed: int
) -> tuple[np.ndarray, int | None, str]:
    from stakegraph.analysis.brokerage import betweenness_from_edges

    n = adjacency.shape[0]
    graph = adjacency if directed else sp.triu(adjacency, k=1).tocsr()
    coo = graph.tocoo()
    values = betweenness_from_edges(
        n, coo.row, coo.col, samples=samples, seed=seed, directed=directed
    )
    used = samples if samples is not None and samples < n else None
    pairs = "(n − 1)(n − 2)" if directed else "(n − 1)(n − 2) / 2"
    return values, used, f"÷ {pairs} pairs"
