"""Informal organisations (非正式组织): circles of officials bound by informal ties.

Classmates, former colleagues, people from the same hometown, a mentor and the
officials they trained: groups that influence decisions outside the org chart.
They are found as communities of the tie graph (Louvain), named after their two
most connected members and what binds them, and set against an opportunity's
decision chain: how much of the chain a circle holds, and whether any of our
owners has a way in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np

from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.strength import tie_strength
from stakegraph.records.model import Tie, TieKind

_KIND_ORDER = {kind.value: i for i, kind in enumerate(TieKind)}


@dataclass
class Circle:
    """An informal organisation: persons held together by informal ties.

    Attributes
    ----------
    id : ``circle-1``, ``circle-2``, ... by descending ``strength``, then by the
        smallest member id.
    members : person ids, by weighted degree inside the circle (descending), then id.
    heads : the names of the two most connected members (the views name the
        circle after them and its main tie kinds: ``"张伟·李娜 圈 (同学, 老同事)"``).
    main_kinds : the (at most two) tie kinds of the most internal weight, heaviest
        first, ties in ``TieKind`` order.
    kinds : number of internal ties of each kind (``TieKind`` values).
    strength : Σ of the internal tie weights, ``strength × confidence`` per tie.
    low_confidence : more than half of ``strength`` comes from ties whose
        confidence is below ``[coverage] low_confidence``: the circle rests on
        weak evidence.
    low_confidence_share : that share, in [0, 1].
    degree : person id → weighted degree inside the circle.
    """

    id: str
    members: list[str]
    heads: list[str]
    main_kinds: list[str]
    kinds: Counter[str]
    strength: float
    low_confidence: bool
    low_confidence_share: float = 0.0
    degree: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class InformalCircles(MemoKey[list[Circle]]):
    """Memo key: the :func:`informal_circles` of a network with these parameters.

    The report and the map keep their circles under it, so both number them alike.
    """

    seed: int = 0
    resolution: float = 1.0
    min_size: int = 3


@dataclass(frozen=True)
class UsableTies(MemoKey[list[tuple[Tie, float]]]):
    """Memo key: the ties :func:`tie_graph` draws, with their weights, in id order."""


def _usable_ties(network: PersonNetwork) -> list[tuple[Tie, float]]:
    """Ties between two different known persons with a positive weight, in id order."""

    def build() -> list[tuple[Tie, float]]:
        index = network.person_index
        out = []
        for tie_id in sorted(network.workspace.ties):
            tie = network.workspace.ties[tie_id]
            weight = tie_strength(tie)
            if tie.a != tie.b and tie.a in index and tie.b in index and weight > 0:
                out.append((tie, weight))
        return out

    return network.memo.get_or_build(UsableTies(), build)


def tie_graph(network: PersonNetwork) -> nx.Graph:
    """The undirected tie graph over persons that have ties, keyed by person id.

    The weight of a pair is the sum of ``strength × confidence`` over the ties that
    link them (being classmates *and* former colleagues binds more than either);
    ties of weight 0 are left out. Nodes and edges are inserted in person-row
    order, so algorithms that iterate the graph are reproducible. O(n + m).
    """
    index = network.person_index
    pairs: dict[tuple[int, int], float] = defaultdict(float)
    for tie, weight in _usable_ties(network):
        a, b = sorted((index[tie.a], index[tie.b]))
        pairs[(a, b)] += weight
    graph: nx.Graph[str] = nx.Graph()
    nodes = sorted({i for pair in pairs for i in pair})
    graph.add_nodes_from(network.persons[i] for i in nodes)
    graph.add_weighted_edges_from(
        (network.persons[a], network.persons[b], w) for (a, b), w in sorted(pairs.items())
    )
    return graph


#: Above this many tied persons Louvain runs in igraph's C code (about 20× faster
#: than networkx at 10^5 persons, same modularity); below, networkx avoids the cost
#: of importing igraph.
LARGE_TIE_GRAPH = 5000


def _louvain(graph: nx.Graph, seed: int, resolution: float) -> list[set[str]]:
    if graph.number_of_nodes() <= LARGE_TIE_GRAPH:
        return nx.community.louvain_communities(
            graph, weight="weight", resolution=resolution, seed=seed
        )
    import random

    import igraph as ig

    names = list(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    edges = [(index[a], index[b]) for a, b in graph.edges]
    weights = [float(data["weight"]) for _, _, data in graph.edges(data=True)]
    g = ig.Graph(n=len(names), edges=edges, directed=False)
    # igraph draws from one process-wide generator: seed it for this call only
    ig.set_random_number_generator(random.Random(seed))
    try:
        clusters = g.community_multilevel(weights=weights, resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    return [{names[i] for i in members} for members in clusters]


def informal_circles(
    network: PersonNetwork,
    seed: int = 0,
    resolution: float = 1.0,
    min_size: int = 3,
) -> list[Circle]:
    """Informal organisations (非正式组织) as Louvain communities of the tie graph.

    Definition
    ----------
    The communities maximise (locally) the weighted modularity

        Q = 1/(2m) Σ_ij [w_ij − γ k_i k_j / (2m)] δ(c_i, c_j)

    of :func:`tie_graph` (weights ``strength × confidence``, persons without ties
    left out), found by Louvain with the given seed and resolution γ
    (``networkx.community.louvain_communities``; igraph's ``community_multilevel``
    above :data:`LARGE_TIE_GRAPH` tied persons). Communities with fewer than ``min_size`` persons are
    dropped. Each circle reports its members, tie kinds, internal strength and
    whether more than half of that strength rests on ties with confidence below
    ``settings.coverage.low_confidence``.

    Parameters
    ----------
    network : PersonNetwork
        Persons and ties of one day.
    seed : int
        Seed of Louvain's node order; the same seed gives the same circles.
    resolution : float
        γ above: larger gives more, smaller circles.
    min_size : int
        Smallest circle reported.

    Returns
    -------
    list of Circle
        Ordered and numbered by descending strength, then smallest member id.

    Complexity
    ----------
    Louvain runs in about O(m log n) on sparse graphs for m ties; the circles'
    statistics add O(n + m).

    References
    ----------
    V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding
    of communities in large networks", Journal of Statistical Mechanics P10008, 2008.
    M. E. J. Newman, "Analysis of weighted networks", Physical Review E 70, 056131, 2004.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) the only informal
    tie is the classmate tie of ``zhao`` and ``wang`` (0.5): no circle of three, and
    with ``min_size=2`` the two of them.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> informal_circles(network)
    []
    >>> [(c.id, c.members, c.strength) for c in informal_circles(network, min_size=2)]
    [('circle-1', ['wang', 'zhao'], 0.5)]
    """
    graph = tie_graph(network)
    if graph.number_of_edges() == 0:
        return []
    communities = _louvain(graph, seed, resolution)
    community_of: dict[str, int] = {}
    for number, members in enumerate(communities):
        if len(members) >= min_size:
            for pid in members:
                community_of[pid] = number

    threshold = network.workspace.settings.coverage.low_confidence
    kinds: dict[int, Counter[str]] = defaultdict(Counter)
    kind_weight: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    strength: dict[int, float] = defaultdict(float)
    weak: dict[int, float] = defaultdict(float)
    degree: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for tie, weight in _usable_ties(network):
        home = community_of.get(tie.a)
        if home is None or community_of.get(tie.b) != home:
            continue
        kinds[home][tie.kind.value] += 1
        kind_weight[home][tie.kind.value] += weight
        strength[home] += weight
        if tie.confidence < threshold:
            weak[home] += weight
        degree[home][tie.a] += weight
        degree[home][tie.b] += weight

    persons = network.workspace.persons
    drafts: list[tuple[tuple[float, str], Circle]] = []
    for number in set(community_of.values()):
        inside = degree[number]
        ordered = sorted(communities[number], key=lambda pid: (-inside.get(pid, 0.0), pid))
        total = strength[number]
        share = weak[number] / total if total > 0 else 0.0
        main_kinds = sorted(
            kind_weight[number].items(), key=lambda kv: (-kv[1], _KIND_ORDER.get(kv[0], 99))
        )[:2]
        # numbered once all circles are known, since the id follows the sort below
        draft = Circle(
            id="",
            members=ordered,
            heads=[persons[pid].name for pid in ordered[:2]],
            main_kinds=[kind for kind, _ in main_kinds],
            kinds=kinds[number],
            strength=total,
            low_confidence=share > 0.5,
            low_confidence_share=share,
            degree={pid: inside.get(pid, 0.0) for pid in ordered},
        )
        drafts.append(((-total, min(ordered)), draft))
    drafts.sort(key=lambda d: d[0])
    return [replace(draft, id=f"circle-{i}") for i, (_, draft) in enumerate(drafts, start=1)]


def kept_circles(network: PersonNetwork) -> list[Circle]:
    """:func:`informal_circles` with its default parameters, kept in ``network.memo``.

    The report and the map take their circles from here, so a circle has the same
    number in both and Louvain runs once per network.

    Parameters
    ----------
    network : PersonNetwork
        Persons and ties of one day.

    Returns
    -------
    list of Circle
        The same list object on every call for the same network.
    """
    key = InformalCircles()
    return network.memo.get_or_build(
        key, lambda: informal_circles(network, key.seed, key.resolution, key.min_size)
    )


def circle_reach(
    network: PersonNetwork, circles: list[Circle], role_weights: dict[str, float]
) -> list[dict]:
    """How much of an opportunity's chain each circle holds, and our way into it.

    Parameters
    ----------
    network : PersonNetwork
        The day's network (its ``relationship`` matrix gives our owners' strengths).
    circles : list of Circle
        From :func:`informal_circles`.
    role_weights : dict
        Person id → decision weight on the opportunity's chain (Σ of the role
        weights the person holds); persons not in it weigh 0.

    Returns
    -------
    list of dict
        One per circle, in the order given, with keys ``circle`` (id),
        ``size``, ``weight`` (Σ of its members' decision weights), ``on_chain``
        (members with a positive weight, heaviest first), ``way_in`` (the strongest
        relationship of any owner with any member, 0 when none), ``owner`` and
        ``member`` (who carries it, None when none) and ``relationship`` (its id).
        Equal strengths go to the earlier owner row, then the earlier member.

    Complexity
    ----------
    O(Σ members + relationships of the members).
    """
    matrix = network.relationship.tocsc()
    index = network.person_index
    out = []
    for circle in circles:
        weights = {pid: float(role_weights.get(pid, 0.0)) for pid in circle.members}
        on_chain = sorted((p for p in circle.members if weights[p] > 0), key=lambda p: -weights[p])
        rows = [index[pid] for pid in circle.members]
        sub = matrix[:, rows].tocoo()
        best, owner, member, rel = 0.0, None, None, None
        if sub.nnz:
            order = np.lexsort((sub.col, sub.row, -sub.data))
            top = order[0]
            if sub.data[top] > 0:
                o, m = int(sub.row[top]), int(sub.col[top])
                best = float(sub.data[top])
                owner, member = network.owners[o], circle.members[m]
                rel = network.relationship_id.get((o, rows[m]))
        out.append(
            {
                "circle": circle.id,
                "size": circle.size,
                "weight": sum(weights.values()),
                "on_chain": on_chain,
                "way_in": best,
                "owner": owner,
                "member": member,
                "relationship": rel,
            }
        )
    return out
