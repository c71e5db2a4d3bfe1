"""The shared relation filter options: one meaning on every command, stated in the output,
and no change at all when none is given."""

import json

import pytest

from stakegraph.cli.analyse import centrality, gaps, influence, paths, plan, report, whatif
from stakegraph.cli.pictures import brief, map_command
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from tests.builders import DAY, SMART_CITY, run_cli

AS_OF = ["--as-of", DAY.isoformat()]
OPTIONS = {"--kind", "--tag", "--tie-source", "--min-confidence"}


@pytest.mark.parametrize(
    "command", [report, influence, centrality, paths, plan, map_command, gaps, whatif, brief]
)
def test_every_command_takes_the_same_block(command):
    names = {opt for p in command.params for opt in getattr(p, "opts", [])}
    assert names >= OPTIONS
    helps = {p.opts[0]: p.help for p in command.params if p.opts[0] in OPTIONS}
    assert helps == {p.opts[0]: p.help for p in influence.params if p.opts[0] in OPTIONS}


def test_no_filter_and_a_filter_keeping_everything_give_todays_json():
    plain = run_cli(["influence", SMART_CITY, *AS_OF, "--json"])
    zero = run_cli(["influence", SMART_CITY, *AS_OF, "--json", "--min-confidence", "0"])
    assert plain.exit_code == 0, plain.output
    assert plain.output == zero.output
    data = json.loads(run_cli(["report", SMART_CITY, *AS_OF, "--json"]).output)
    assert "relations" not in data and "brokerage" not in data


def test_report_json_and_heading_state_the_filter_and_graph():
    args = ["report", SMART_CITY, *AS_OF, "--kind", "mentor", "--min-confidence", "0.8"]
    data = json.loads(run_cli([*args, "--json"]).output)
    assert data["relations"] == {
        "kinds": ["mentor"],
        "tags": None,
        "sources": None,
        "min_confidence": 0.8,
    }
    network = build_network(load_workspace(SMART_CITY), DAY)
    assert data["brokerage"]["directed"] is True  # mentor is advice-like: auto → directed
    assert data["brokerage"]["n"] == network.size
    assert data["brokerage"]["normalisation"] == "1 / ((n − 1)(n − 2))"
    text = run_cli(["--lang", "en", *args], env={"COLUMNS": "3000"}).output
    assert "relations: kinds mentor; confidence ≥ 0.8 · betweenness: directed tie graph" in text
    chinese = run_cli(args, env={"COLUMNS": "3000"}).output
    assert "关系筛选：类型 师生；置信度 ≥ 0.8 · 中介度：有向非正式关系图" in chinese


def test_influence_heading_names_graph_and_normalisation():
    out = run_cli(["--lang", "en", "influence", SMART_CITY, *AS_OF], env={"COLUMNS": "3000"})
    assert out.exit_code == 0, out.output
    first = out.output.splitlines()[0]
    assert first.startswith("relations: every tie · betweenness: undirected person graph")
    assert "isolates counted, normalised by 2 / ((n − 1)(n − 2))" in first
    assert "influence (score and parts ×100)" in out.output
    forced = run_cli(
        ["--lang", "en", "influence", SMART_CITY, *AS_OF, "--brokerage", "directed"],
        env={"COLUMNS": "3000"},
    )
    assert "betweenness: directed tie graph" in forced.output


def test_a_filter_changes_the_answer():
    plain = json.loads(run_cli(["influence", SMART_CITY, *AS_OF, "--json"]).output)
    strict = json.loads(
        run_cli(["influence", SMART_CITY, *AS_OF, "--json", "--min-confidence", "1"]).output
    )
    informal = {r["person"]: r["parts"]["informal"] for r in plain["rows"]}
    strict_informal = {r["person"]: r["parts"]["informal"] for r in strict["rows"]}
    assert informal != strict_informal
    assert plain["graph"]["relations"] is None
    assert strict["graph"]["relations"]["min_confidence"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "enemy"], "not a tie kind"),
        (["--min-confidence", "1.01"], "1.01 is not in the range 0.0<=x<=1.0"),
        (["--min-confidence", "-0.01"], "not in the range"),
        (["--brokerage", "sideways"], "'sideways' is not one of"),
    ],
)
def test_bad_options_are_refused(args, message):
    result = run_cli(["influence", SMART_CITY, *AS_OF, *args])
    assert result.exit_code != 0
    assert message in result.output


def test_map_json_names_the_filter(tmp_path):
    out = tmp_path / "map.html"
    args = ["map", SMART_CITY, *AS_OF, "--out", out, "--json", "--tag", "x"]
    data = json.loads(run_cli(args).output)
    assert data["relations"]["tags"] == ["x"] and out.is_file()
    plain = json.loads(run_cli(["map", SMART_CITY, *AS_OF, "--out", out, "--json"]).output)
    assert "relations" not in plain


def test_centrality_states_a_filter_beyond_kinds():
    base = ["centrality", SMART_CITY, *AS_OF, "--measure", "degree"]
    plain = json.loads(run_cli([*base, "--json"]).output)
    assert "relations" not in plain
    args = [*base, "--min-confidence", "0.7", "--kind", "mentor"]
    data = json.loads(run_cli([*args, "--json"]).output)
    assert data["graph"]["kinds"] == ["mentor"]
    assert data["relations"]["min_confidence"] == 0.7
    text = run_cli(["--lang", "en", *args], env={"COLUMNS": "3000"}).output
    assert "relations: kinds mentor; confidence ≥ 0.7" in text


def test_map_subtitle_states_the_filter(tmp_path):
    out = tmp_path / "map.html"
    result = run_cli(["--lang", "en", "map", SMART_CITY, *AS_OF, "--out", out, "--kind", "family"])
    assert result.exit_code == 0, result.output
    assert "relations: kinds family" in out.read_text(encoding="utf-8")
