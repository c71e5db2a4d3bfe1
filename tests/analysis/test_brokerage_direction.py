"""Directed and undirected brokerage, chosen per tie kind, on hand-computed graphs and
on Padgett's Florentine families (marriage and business ties)."""

import csv

import networkx as nx
import pytest

from stakegraph.analysis.brokerage import brokerage, directed_by_default
from stakegraph.config import Settings, TieSettings
from stakegraph.graph.network import build_network
from stakegraph.graph.relation_filter import RelationFilter, filtered_network
from stakegraph.records.model import Person, Tie, TieKind
from stakegraph.records.workspace import Workspace
from tests.builders import DATA, DAY


def network_of(ties: list[Tie], persons: list[str], settings: Settings | None = None):
    ws = Workspace(settings)
    for pid in persons:
        ws.add(Person(id=pid, name=pid.upper()))
    for tie in ties:
        ws.add(tie)
    return build_network(ws, DAY)


def by_person(network, values) -> dict[str, float]:
    return {p: float(values[i]) for i, p in enumerate(network.persons)}


# --- hand-computed ---------------------------------------------------------------------
def test_chain_of_deference_directed_and_undirected():
    # a asks b, b asks c (mentor ties, directed): b lies on the one directed path a → c.
    # Directed: 1 of the (n − 1)(n − 2) = 2 ordered pairs b could lie between: 1/2.
    # Undirected: 1 of the (n − 1)(n − 2)/2 = 1 unordered pair: 1.
    ties = [
        Tie(a="a", b="b", kind="mentor", directed=True),
        Tie(a="b", b="c", kind="mentor", directed=True),
    ]
    network = network_of(ties, ["a", "b", "c", "d"][:3])
    directed = brokerage(network, "directed")
    undirected = brokerage(network, "undirected")
    assert by_person(network, directed.betweenness) == {"a": 0, "b": 0.5, "c": 0}
    assert by_person(network, undirected.betweenness) == {"a": 0, "b": 1.0, "c": 0}
    assert (directed.directed, directed.normalisation) == (True, "1 / ((n − 1)(n − 2))")
    assert (undirected.directed, undirected.normalisation) == (False, "2 / ((n − 1)(n − 2))")
    assert directed.n == undirected.n == 3 and directed.isolates == 0


def test_isolates_are_counted_in_n():
    # The same chain plus a person without any tie: n = 4, so b's one ordered pair
    # is out of (n − 1)(n − 2) = 6 directed and 3 undirected.
    ties = [
        Tie(a="a", b="b", kind="mentor", directed=True),
        Tie(a="b", b="c", kind="mentor", directed=True),
    ]
    network = network_of(ties, ["a", "b", "c", "lone"])
    directed = brokerage(network, "directed")
    undirected = brokerage(network, "undirected")
    assert by_person(network, directed.betweenness)["b"] == pytest.approx(1 / 6)
    assert by_person(network, undirected.betweenness)["b"] == pytest.approx(1 / 3)
    assert (directed.n, directed.isolates, undirected.isolates) == (4, 1, 1)


def test_who_asks_everyone_is_not_the_top_directed_broker():
    # x asks everyone for advice; a and b ask y; y asks c and d. Undirected, x touches
    # everybody and is the top broker; directed, nobody seeks x out, so x lies on no
    # directed path between two others, and y, who relays a and b to c and d, leads.
    asks = [("x", p) for p in ("a", "b", "c", "d", "y")]
    asks += [("a", "y"), ("b", "y"), ("y", "c"), ("y", "d")]
    ties = [Tie(a=u, b=v, kind="mentor", directed=True) for u, v in asks]
    network = network_of(ties, ["x", "y", "a", "b", "c", "d"])
    directed = by_person(network, brokerage(network, "directed").betweenness)
    undirected = by_person(network, brokerage(network, "undirected").betweenness)
    assert directed["x"] == 0
    assert max(directed, key=directed.get) == "y"
    assert max(undirected, key=undirected.get) == "x"
    # against networkx on the same directed graph (n = 6, ordered pairs)
    theirs = nx.betweenness_centrality(nx.DiGraph(asks))
    assert directed == pytest.approx(theirs)


def test_auto_follows_the_kinds_kept():
    ties = [
        Tie(a="a", b="b", kind="mentor", directed=True),
        Tie(a="b", b="c", kind="mentor", directed=True),
        Tie(a="a", b="c", kind="family"),
    ]
    network = network_of(ties, ["a", "b", "c"])
    assert not brokerage(network, "auto").directed  # every kind: undirected, as before
    mentors = filtered_network(network, RelationFilter.of(kinds=["mentor"]))
    assert brokerage(mentors, "auto").directed
    assert brokerage(mentors, "auto").betweenness.tolist() == [0, 0.5, 0]
    assert not brokerage(mentors, "undirected").directed
    kin = filtered_network(network, RelationFilter.of(kinds=["mentor", "family"]))
    assert not brokerage(kin, "auto").directed
    # the setting decides which kinds are advice-like
    family_led = Settings(ties=TieSettings(directed_kinds=("mentor", "family")))
    other = network_of(ties, ["a", "b", "c"], family_led)
    assert brokerage(filtered_network(other, RelationFilter.of(kinds=["family"])), "auto").directed
    assert directed_by_default(frozenset({TieKind.CLASSMATE}), ("mentor",)) is False
    with pytest.raises(ValueError, match="graph must be"):
        brokerage(network, "sideways")  # type: ignore[arg-type]


# --- Padgett's Florentine families -------------------------------------------------------
def padgett_network():
    """Marriage (family ties, tag marriage) and business ties (other, tag business) among
    the 15 families of networkx's florentine_families_graph."""
    marriage = nx.florentine_families_graph()
    with (DATA / "padgett_business.csv").open(encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    business = [(r["a"], r["b"]) for r in csv.DictReader(rows)]
    ties = [
        Tie(a=u.lower(), b=v.lower(), kind="family", tags=["marriage"]) for u, v in marriage.edges()
    ]
    ties += [
        Tie(
            a=u.lower(),
            b=v.lower(),
            kind="other",
            tags=["business"],
            source="Padgett & Ansell 1993",
        )
        for u, v in business
    ]
    families = sorted(v.lower() for v in marriage)
    return marriage, business, network_of(ties, families)


def test_florentine_marriage_only_medici_0522():
    marriage, _, network = padgett_network()
    assert network.size == 15
    for relations in (RelationFilter.of(kinds=["family"]), RelationFilter.of(tags=["marriage"])):
        result = brokerage(filtered_network(network, relations))
        assert not result.directed  # kin is read both ways
        medici = by_person(network, result.betweenness)["medici"]
        assert round(medici, 3) == 0.522
        assert medici == pytest.approx(47.5 / 91)
        theirs = nx.betweenness_centrality(marriage)
        assert by_person(network, result.betweenness) == pytest.approx(
            {v.lower(): b for v, b in theirs.items()}
        )


def test_florentine_business_only_barbadori_above_medici():
    _, business, network = padgett_network()
    for relations in (
        RelationFilter.of(tags=["business"]),
        RelationFilter.of(sources=["Padgett & Ansell 1993"]),
    ):
        result = brokerage(filtered_network(network, relations))
        scores = by_person(network, result.betweenness)
        # 11 families trade; the 4 others are isolates, counted in n = 15: C(14, 2) = 91.
        assert (result.n, result.isolates) == (15, 4)
        assert scores["barbadori"] == pytest.approx(25 / 91)
        assert scores["medici"] == pytest.approx(24 / 91)
        assert scores["barbadori"] > scores["medici"]
        graph = nx.Graph([(u.lower(), v.lower()) for u, v in business])
        graph.add_nodes_from(network.persons)
        assert scores == pytest.approx(nx.betweenness_centrality(graph))
    # all ties together: the Medici lead again
    both = by_person(network, brokerage(network).betweenness)
    assert max(both, key=both.get) == "medici"
