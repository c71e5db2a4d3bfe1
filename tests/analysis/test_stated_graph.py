"""What an answer states about its graph: n, isolates, the filter and the settings read.

Hand-counted on the sample (li reports to wang, zhao to li, zhao and wang are
classmates) with one more person, sun, who holds no post and has no tie; then the
isolate count against networkx on random graphs.
"""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from stakegraph.analysis.stated_graph import channel_graph, deference_graph, isolated_persons
from stakegraph.config import FormalLineSettings, InfluenceSettings, Settings, TieSettings
from stakegraph.graph.network import build_network
from stakegraph.graph.relation_filter import RelationFilter, filtered_network
from stakegraph.records.model import Person
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace


def sample(settings: Settings | None = None):
    ws = sample_workspace()
    ws.add(Person(id="sun", name="孙立"))
    if settings is not None:
        ws.settings = settings
    return build_network(ws, SAMPLE_DAY)


ONLY_FAMILY = RelationFilter.of(kinds=["family"])
NO_LINES = FormalLineSettings(upward=0, downward=0)


def test_the_default_channel_graph_counts_everyone_and_departs_from_nothing():
    stated = channel_graph(sample())
    assert (stated.n, stated.isolates) == (4, 1)  # sun
    assert stated.lines == ("informal", "formal", "oversight")
    assert stated.weights == {"upward": 0.5, "downward": 0.6}
    assert stated.combine == {"strength": "max", "against_deference": 0.5}
    assert stated.max_hops == 2 and stated.changed == ()
    assert not stated.departs_from_default
    assert stated.to_dict()["relations"] is None


@pytest.mark.parametrize(
    ("settings", "relations", "lines", "isolates"),
    [
        (None, ONLY_FAMILY, ("informal", "formal", "oversight"), 1),  # the lines remain
        (Settings(formal_lines=NO_LINES), None, ("informal",), 2),  # li and sun
        (Settings(formal_lines=NO_LINES), ONLY_FAMILY, ("informal",), 4),  # nothing left
    ],
)
def test_isolates_follow_the_filter_and_the_formal_lines(settings, relations, lines, isolates):
    network = filtered_network(sample(settings), relations)
    stated = channel_graph(network)
    assert (stated.lines, stated.n, stated.isolates) == (lines, 4, isolates)
    assert stated.departs_from_default
    if relations is not None:
        assert stated.to_dict()["relations"]["kinds"] == ["family"]


def test_a_setting_other_than_the_default_is_named():
    both_ways = Settings(ties=TieSettings(against_deference=1.0, strength="noisy_or"))
    stated = channel_graph(sample(both_ways), max_hops=3)
    assert stated.changed == ("strength", "against_deference", "max_hops")
    assert stated.to_dict()["max_hops"] == 3
    assert channel_graph(sample(), max_hops=2).changed == ()  # the default, given


def test_the_deference_graph_states_its_weights():
    stated = deference_graph(sample())
    assert (stated.name, stated.n, stated.isolates, stated.changed) == ("deference", 4, 1, ())
    assert stated.weights == {"formal": 1.0, "oversight": 1.0, "tie": 0.5, "damping": 0.85}
    informal_only = Settings(influence=InfluenceSettings(formal=0, oversight=0))
    stated = deference_graph(sample(informal_only))
    assert stated.lines == ("informal",)
    assert stated.isolates == 2  # li has only formal lines; sun nothing
    assert stated.changed == ("formal", "oversight")
    assert "max_hops" not in stated.to_dict()


@pytest.mark.parametrize("seed", range(5))
def test_isolates_match_networkx(seed):
    rng = np.random.default_rng(seed)
    n = 12
    matrices = []
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    for _ in range(2):
        rows, cols = rng.integers(0, n, 6), rng.integers(0, n, 6)
        rows, cols = rows[rows != cols], cols[rows != cols]  # no self-loops
        matrices.append(sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)))
        graph.add_edges_from(zip(rows.tolist(), cols.tolist(), strict=True))
    assert isolated_persons(matrices, n) == nx.number_of_isolates(graph)
