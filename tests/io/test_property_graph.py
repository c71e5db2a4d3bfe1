"""Workspace → graph: labels, edge types, as-of views and the way back."""

import datetime as dt
from collections import Counter

from stakegraph.io.property_graph import as_of_view, build_graph, graph_to_workspace
from tests.builders import DAY


def test_labels_and_edge_types(mini):
    G = build_graph(mini)
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    assert labels == {
        "Organisation": 3,
        "Post": 4,
        "Person": 4,
        "Owner": 2,
        "Opportunity": 1,
        "Step": 2,
    }
    types = Counter(d["type"] for _, _, d in G.edges(data=True))
    assert types == {
        "PART_OF": 1,
        "GUIDED_BY": 1,
        "IN": 4,
        "REPORTS_TO": 3,
        "OVERSEES": 1,
        "HOLDS": 4,
        "TIE": 1,
        "RELATES": 2,
        "FOR": 1,
        "STEP_OF": 2,
        "NEXT": 1,
        "ROLE": 3,
    }
    assert G.nodes["Organisation:dsj"]["name"] == "市大数据局"
    edge = next(
        d for u, v, d in G.edges(data=True) if d["type"] == "RELATES" and v == "Person:wang"
    )
    assert edge["acceptance"] == 4 and edge["responsible"] is True


def test_as_of_view_resolves_holders_and_keeps_vacant_posts(mini):
    G = as_of_view(build_graph(mini), DAY)
    assert G.nodes["Post:vm"]["holders"] == ["qian"]
    assert G.nodes["Post:fjz"]["vacant"] is True and "Post:fjz" in G
    before = as_of_view(build_graph(mini), dt.date(2026, 8, 31))
    assert before.nodes["Post:vm"]["holders"] == ["zhao"]
    holds = [(u, v) for u, v, d in G.edges(data=True) if d["type"] == "HOLDS"]
    assert ("Person:zhao", "Post:vm") not in holds
    assert build_graph(mini, as_of=DAY).nodes["Post:vm"]["holders"] == ["qian"]


def test_graph_round_trips_to_the_same_workspace(mini):
    back = graph_to_workspace(build_graph(mini))
    assert back == mini
    assert list(back.relationships) == list(mini.relationships)
    assert list(back.ties) == list(mini.ties)
    assert back.persons["zhao"].tenures == mini.persons["zhao"].tenures
    assert back.opportunities["sc"].chain == mini.opportunities["sc"].chain
