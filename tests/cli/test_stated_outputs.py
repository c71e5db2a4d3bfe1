"""influence, paths and plan state the graph that produced them: in --json always, in
the heading when a relation filter or a setting other than the default is in force."""

import json
import shutil

import pytest

from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, cli_runner

run = cli_runner(env={"COLUMNS": "3000"})
AS_OF = ["--as-of", DAY.isoformat()]
COMMANDS = {
    "influence": ["influence", SMART_CITY, *AS_OF, "--top", "3"],
    "paths": ["paths", SMART_CITY, *AS_OF, "--to", "han-zhiyuan"],
    "plan": ["plan", SMART_CITY, *AS_OF, "-o", "smart-city"],
}


@pytest.mark.parametrize(
    ("command", "graph"), [("influence", "deference"), ("paths", "channels"), ("plan", "channels")]
)
def test_json_states_the_graph(command, graph):
    result = run(*COMMANDS[command], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # influence also says which path ranked, as its server path does
    keys = ["path", "day", "graph", "rows"] if command == "influence" else ["day", "graph", "rows"]
    assert list(data) == keys and data["rows"]
    stated = data["graph"]
    network = build_network(load_workspace(SMART_CITY), DAY)
    assert (stated["name"], stated["n"], stated["relations"]) == (graph, network.size, None)
    assert stated["isolates_counted"] is True and 0 <= stated["isolates"] < network.size
    if graph == "channels":
        assert stated["weights"] == {"upward": 0.5, "downward": 0.6}
        assert stated["combine"] == {"strength": "max", "against_deference": 0.5}
        assert stated["max_hops"] == 2
    else:
        assert stated["combine"] == {"deference": "sum"}
        assert stated["brokerage"]["graph"] == "undirected persons"


@pytest.mark.parametrize("command", ["paths", "plan"])
def test_the_heading_states_the_channel_graph_only_when_asked_for(command):
    plain = run("--lang", "en", *COMMANDS[command])
    assert plain.exit_code == 0, plain.output
    assert "channel graph" not in plain.output and "relations:" not in plain.output
    english = run("--lang", "en", *COMMANDS[command], "--kind", "mentor").output
    assert (
        "relations: kinds mentor · channel graph: informal ties (against deference × 0.5" in english
    )
    chinese = run("--lang", "zh", *COMMANDS[command], "--kind", "mentor").output
    assert "关系筛选：类型 师生 · 关系通道图：非正式关系（逆求教方向 × 0.5" in chinese
    data = json.loads(run(*COMMANDS[command], "--kind", "mentor", "--json").output)
    assert data["graph"]["relations"]["kinds"] == ["mentor"]


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    """harbor-county reading directed ties both ways and weighing ties less in influence."""
    folder = tmp_path_factory.mktemp("both-ways") / "harbor-county"
    shutil.copytree(HARBOR_COUNTY, folder)
    (folder / "stakegraph.toml").write_text(
        "[ties]\nagainst_deference = 1.0\n\n[influence]\ntie = 0.4\n", encoding="utf-8"
    )
    return folder


def test_a_setting_other_than_the_default_is_stated(both_ways):
    plan = run("--lang", "en", "plan", both_ways, *AS_OF)
    assert plan.exit_code == 0, plan.output
    assert plan.output.startswith("channel graph: informal ties (against deference × 1, ")
    assert (
        "关系通道图：非正式关系（逆求教方向 × 1，"
        in run("--lang", "zh", "plan", both_ways, *AS_OF).output
    )
    influence = run("--lang", "en", "influence", both_ways, *AS_OF).output.splitlines()
    assert influence[1].startswith("deference graph (u → v: u defers to v): formal lines × 1, ")
    assert "informal ties × 0.4 (parallel ties summed)" in influence[1]
    data = json.loads(run("influence", both_ways, *AS_OF, "--json").output)
    assert data["graph"]["weights"]["tie"] == 0.4
    assert data["path"] == "embedded"
    plain = run("--lang", "en", "influence", HARBOR_COUNTY, *AS_OF).output
    assert "deference graph" not in plain
