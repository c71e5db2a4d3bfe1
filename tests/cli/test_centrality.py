"""``stakegraph centrality``: the heading names the graph, names on screen, ids in JSON."""

import json

import pytest

from stakegraph.analysis.centrality import MEASURES, centrality
from stakegraph.cli.analyse import CENTRALITY_MEASURES
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.centrality_tables import centrality_data
from tests.builders import DAY, SMART_CITY, run_cli

BASE = ["centrality", SMART_CITY, "--as-of", DAY.isoformat()]


def test_the_command_lists_every_measure():
    assert CENTRALITY_MEASURES == MEASURES


def test_heading_and_names():
    result = run_cli([*BASE, "--measure", "in-degree", "--top", "3"])
    assert result.exit_code == 0, result.output
    network = build_network(load_workspace(SMART_CITY), DAY)
    lines = result.output.splitlines()
    assert lines[0] == f"中心度 in-degree on {DAY}"
    assert lines[1].startswith("graph: informal ties, directed (u → v: u seeks out v), all kinds")
    assert lines[2] == f"n = {network.size} persons, isolates counted (17 without a tie)"
    assert lines[3] == "normalisation: ÷ (n − 1)"
    data = centrality_data(network, centrality(network, "in-degree"), 3)
    for row in data["rows"]:
        name = network.workspace.persons[row["person"]].name
        assert name in result.output and row["person"] not in result.output


@pytest.mark.parametrize("measure", MEASURES)
def test_json_gives_ids_in_a_stable_order(measure):
    result = run_cli([*BASE, "--measure", measure, "--top", "5", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    network = build_network(load_workspace(SMART_CITY), DAY)
    expected = centrality(network, measure)
    assert data["measure"] == measure and data["n"] == network.size
    assert data["graph"]["directed"] == expected.directed
    assert data["isolates_counted"] is True and data["normalisation"] == expected.normalisation
    rows = data["rows"]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert all(r["person"] in network.person_index for r in rows)
    keys = [(-r["value"], r["person"]) for r in rows]
    assert keys == sorted(keys)
    for r in rows:
        assert r["value"] == pytest.approx(expected.values[network.person_index[r["person"]]])


def test_kinds_direction_and_samples():
    result = run_cli([*BASE, "--measure", "betweenness", "--directed", "--kind", "师生", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["graph"] == {
        "ties": "informal",
        "directed": True,
        "kinds": ["mentor"],
        "weighted": False,
    }
    assert data["normalisation"] == "÷ (n − 1)(n − 2) pairs"
    sampled = run_cli([*BASE, "--measure", "betweenness", "--samples", "5", "--json"])
    assert json.loads(sampled.output)["samples"] == 5
    weighted = run_cli([*BASE, "--measure", "eigenvector", "--weighted", "--json"])
    assert json.loads(weighted.output)["graph"]["weighted"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "enemy"], "not a tie kind"),
        (["--measure", "in-degree", "--undirected"], "needs the directed tie graph"),
        (["--measure", "closeness", "--weighted"], "counts hops"),
        (["--samples", "5"], "betweenness only"),
    ],
)
def test_refusals_are_plain_errors(args, message):
    result = run_cli([*BASE, *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
