"""One opportunity's influence ranked on the Neo4j server (the influence_pagerank query)
agrees with the embedded engine within the query's tolerance on both examples; the
server is chosen above the documented size and not at it; ``influence --json`` says
which path ranked."""

from __future__ import annotations

import json

import pytest

from stakegraph.analysis.influence import influence
from stakegraph.engines.queries import SERVER_RANKING_ABOVE, influence_path, rank_on_server
from stakegraph.engines.store import open_store
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from tests.builders import DAY, ROOT, run_cli

EXAMPLES = ROOT / "examples"
#: The header of queries/influence_pagerank.cypher: 100 steps agree to about 1e-7.
PAGERANK_TOL = 1e-6
CASES = {
    "srv-smart-city": ("smart-city", "smart-city"),
    "srv-harbor-county": ("harbor-county", None),
}


@pytest.fixture(scope="module")
def store(neo4j_connection):
    with open_store(
        neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password
    ) as opened:
        for wid, (folder, _) in CASES.items():
            opened.database.push(load_workspace(EXAMPLES / folder), wid)
        yield opened
        for wid in CASES:
            opened.database.drop(wid)


def test_the_server_is_chosen_above_the_threshold_only():
    assert influence_path(SERVER_RANKING_ABOVE, None) == "embedded"
    assert influence_path(SERVER_RANKING_ABOVE + 1, None) == "server"
    assert influence_path(SERVER_RANKING_ABOVE + 1, False) == "embedded"
    assert influence_path(1, True) == "server"


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", sorted(CASES))
def test_the_server_ranking_agrees_with_the_embedded_engine(store, wid):
    folder, opportunity = CASES[wid]
    ws = load_workspace(EXAMPLES / folder)
    opportunity = opportunity or next(iter(ws.opportunities))
    ranking = rank_on_server(store, opportunity, DAY, 10_000, wid, server=True)
    local = influence(build_network(ws, DAY), opportunity)
    assert ranking.path == "server" and ranking.persons == len(ws.persons)
    assert len(ranking.rows) == len(local.persons)
    for row in ranking.rows:
        i = local.index[row["person"]]
        assert row["score"] == pytest.approx(float(local.score[i]), abs=PAGERANK_TOL)
    top = [r["person"] for r in ranking.rows[:5]]
    assert top == local.top(5)


@pytest.mark.neo4j
def test_the_size_decides_on_either_side_of_the_threshold(store):
    persons = len(load_workspace(EXAMPLES / "smart-city").persons)
    at = rank_on_server(store, "smart-city", DAY, 5, "srv-smart-city", above=persons)
    assert (at.path, at.rows) == ("embedded", [])
    below = rank_on_server(store, "smart-city", DAY, 5, "srv-smart-city", above=persons - 1)
    assert below.path == "server" and len(below.rows) == 5
    assert [r["rank"] for r in below.rows] == [1, 2, 3, 4, 5]


@pytest.mark.neo4j
def test_influence_json_says_the_server_ranked(neo4j_env, store):
    args = ["influence", "--neo4j", "--workspace", "srv-smart-city", "-o", "江川市城市大脑一期"]
    result = run_cli([*args, "--as-of", DAY.isoformat(), "--top", "3", "--server", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["path"], data["opportunity"], data["above"]) == (
        "server",
        "smart-city",
        SERVER_RANKING_ABOVE,
    )
    assert [r["rank"] for r in data["rows"]] == [1, 2, 3]
    # a small region ranks here unless asked, with every part, as on the folder
    here = run_cli([*args, "--as-of", DAY.isoformat(), "--top", "3", "--json"])
    folder = run_cli(
        ["influence", EXAMPLES / "smart-city", "-o", "smart-city"]
        + ["--as-of", DAY.isoformat(), "--top", "3", "--json"]
    )
    ranked_here = json.loads(here.output)
    # an opportunity named by its name is resolved on the records, read whole
    assert ranked_here.pop("source") == {"engine": "neo4j", "read": "whole"}
    assert ranked_here == json.loads(folder.output)
    assert ranked_here["path"] == "embedded"
    assert data["day"] == json.loads(here.output)["day"] == DAY.isoformat()
    assert [r["person"] for r in json.loads(here.output)["rows"]] == [
        r["person"] for r in data["rows"]
    ]
    table = run_cli(["--lang", "en", *args, "--as-of", DAY.isoformat(), "--server"])
    assert table.exit_code == 0 and "Neo4j" in table.output
