"""push, pull, query and --neo4j through the command line, against a real server."""

from __future__ import annotations

import json
import socket

import click
import pytest

from stakegraph.cli.common import handle_errors
from stakegraph.cli.neo4j import register
from stakegraph.cli.source import load_source, neo4j_options
from stakegraph.engines.queries import list_queries
from stakegraph.io import load_workspace
from tests.builders import DAY, ROOT, cli_runner, run_cli
from tests.neo4j_fixture import point_at_server

EXAMPLES = ROOT / "examples"
WS = "cli-smart-city"


@click.group()
def cli() -> None:
    """A group like the main one, for the tests."""


register(cli)


@cli.command()
@click.argument("workspace", required=False)
@neo4j_options
@handle_errors
def count(workspace, neo4j, neo4j_workspace, uri, user, password_env, database):
    """Print the number of persons (an analysis command with --neo4j).

    stakegraph count examples/smart-city
    """
    ws = load_source(workspace, neo4j, neo4j_workspace, True, uri, user, password_env, database)
    click.echo(f"{ws.name} {len(ws.persons)}")


run = cli_runner(cli, catch_exceptions=False)


@pytest.fixture(scope="module")
def pushed(neo4j_connection):
    """The smart-city example pushed once through the command."""
    with pytest.MonkeyPatch.context() as mp:
        point_at_server(mp, neo4j_connection)
        return run("push", EXAMPLES / "smart-city", "--workspace", WS)


def test_every_command_has_help_with_an_example():
    for name in ("push", "pull", "query"):
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "stakegraph " + name in result.output, name


def test_query_list_needs_no_server(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = run("query", "--list")
    assert result.exit_code == 0
    for q in list_queries():
        assert q.name in result.output
    listed = json.loads(run("query", "--list", "--json").output)
    assert {q["name"] for q in listed} == {q.name for q in list_queries()}


@pytest.mark.neo4j
def test_push_prints_counts(pushed, neo4j_connection):
    assert pushed.exit_code == 0, pushed.output
    assert f"已将工作区“{WS}”推送到 " in pushed.output  # the example is written in Chinese
    assert "个节点" in pushed.output and "条关系" in pushed.output
    assert neo4j_connection.password not in pushed.output


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_pull_writes_the_workspace(neo4j_env, pushed, tmp_path, fmt):
    dest = tmp_path / ("out.xlsx" if fmt == "xlsx" else "out")
    result = run("pull", "--workspace", WS, dest, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已将工作区“{WS}”（组织 "), result.output
    assert load_workspace(dest) == load_workspace(EXAMPLES / "smart-city")


@pytest.mark.neo4j
def test_push_json_is_one_document_of_counts(neo4j_env, pushed, neo4j_connection):
    result = run("push", EXAMPLES / "smart-city", "--workspace", WS, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pushed"] == WS and data["uri"] == neo4j_connection.uri
    assert data["counts"]["nodes"] > 0 and data["counts"]["relationships"] > 0
    assert data["counts"]["nodes_created"] == 0  # the fixture pushed it already
    assert data["records"] == load_workspace(EXAMPLES / "smart-city").counts()
    assert neo4j_connection.password not in result.output


@pytest.mark.neo4j
def test_pull_json_names_the_files_written(neo4j_env, pushed, tmp_path):
    dest = tmp_path / "out"
    result = run("pull", "--workspace", WS, dest, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pulled"] == WS and data["format"] == "yaml"
    assert data["destination"] == str(dest)
    # the record files; the versions kept for the next push sit beside them, hidden
    records = [p for p in dest.iterdir() if not p.name.startswith(".")]
    assert sorted(data["files"]) == sorted(str(p) for p in records)
    assert [p.name for p in dest.iterdir() if p not in records] == [".stakegraph-versions.json"]
    assert data["records"] == load_workspace(dest).counts()


@pytest.mark.neo4j
def test_pull_into_a_full_folder_writes_nothing(neo4j_env, pushed, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run("pull", "--workspace", WS, tmp_path)
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.neo4j
def test_query_table_and_json(neo4j_env, pushed):
    args = ["query", "warm_paths", "--workspace", WS, "-p", "person=xu-zhiheng"]
    result = run(*args, "-p", "as_of=2026-11-28", "-p", "k=2")
    assert result.exit_code == 0, result.output
    assert "warm_paths" in result.output and "liu-kai" in result.output
    rows = json.loads(run(*args, "--param", "as_of=2026-11-28", "--json").output)
    assert rows[0]["rank"] == 1 and rows[0]["persons"][-1] == "xu-zhiheng"
    assert rows == sorted(rows, key=lambda r: -r["strength"])


@pytest.mark.neo4j
def test_query_parameter_errors_are_one_line(neo4j_env, pushed):
    result = run("query", "warm_paths", "--workspace", WS, "-p", "person=xu-zhiheng")
    assert result.exit_code == 1
    assert "needs as_of" in result.output and "Traceback" not in result.output
    result = run("query", "warm_paths", "--workspace", WS, "-p", "k=many", "-p", "as_of=x")
    assert result.exit_code == 1 and "must be" in result.output
    result = run("query", "nope")
    assert result.exit_code == 1 and "no query named 'nope'" in result.output
    result = run(
        "query", "who_covers", "--workspace", "missing", "-p", "person=x", "-p", "as_of=2026-11-28"
    )
    assert result.exit_code == 1 and "no workspace 'missing'" in result.output


@pytest.mark.neo4j
def test_neo4j_option_loads_the_stored_workspace(neo4j_env, pushed):
    local = run("count", EXAMPLES / "smart-city")
    remote = run("count", "--neo4j", "--workspace", WS)
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output
    both = run("count", EXAMPLES / "smart-city", "--neo4j", "--workspace", WS)
    assert both.exit_code == 1 and "not both" in both.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.neo4j
def test_unreachable_server_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_free_port()}")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret-never-shown")
    for args in (
        ["push", EXAMPLES / "smart-city"],
        ["pull", "--workspace", WS, "somewhere"],
        ["query", "who_covers", "-p", "person=x", "-p", "as_of=2026-11-28"],
        ["count", "--neo4j"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "cannot reach Neo4j" in lines[0], result.output
        assert "secret-never-shown" not in result.output


@pytest.mark.neo4j
def test_wrong_password_is_one_clear_line(neo4j_env, monkeypatch):
    monkeypatch.setenv("OTHER_PW", "wrong-password-xyz")
    result = run(
        "query", "who_covers", "--password-env", "OTHER_PW", "-p", "person=x", "-p", f"as_of={DAY}"
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "refused the login" in lines[0], result.output
    assert "wrong-password-xyz" not in result.output


@pytest.mark.neo4j
def test_missing_database_is_one_clear_line(neo4j_env):
    result = run(
        "query", "who_covers", "--database", "nosuchdb", "-p", "person=x", "-p", f"as_of={DAY}"
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "nosuchdb" in lines[0], result.output


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "args",
    [
        ("report", "--as-of", "2026-11-28"),
        ("gaps", "-o", "smart-city", "--as-of", "2026-11-28"),
        ("influence", "-o", "smart-city", "--as-of", "2026-11-28"),
        ("plan", "-o", "smart-city", "--as-of", "2026-11-28"),
        ("paths", "--to", "zhou-weiran", "--as-of", "2026-11-28"),
        ("whatif", "-o", "smart-city", "--owner-leaves", "meng-xiaodong", "--as-of", "2026-11-28"),
    ],
)
def test_analysis_commands_give_the_same_answer_on_neo4j(neo4j_env, pushed, args):
    local = run_cli([args[0], EXAMPLES / "smart-city", *args[1:], "--json"])
    remote = run_cli([args[0], "--neo4j", "--workspace", WS, *args[1:], "--json"])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    mine, theirs = json.loads(local.output), json.loads(remote.output)
    # what Neo4j answers states how it read the workspace; the answer itself is the folder's
    reads = {"gaps": "targeted", "plan": "targeted", "paths": "targeted", "whatif": "targeted"}
    read = reads.get(args[0], "streamed" if args[0] == "influence" else "whole")
    assert theirs.pop("source") == {"engine": "neo4j", "read": read}
    theirs = theirs.pop("rows") if list(theirs) == ["rows"] else theirs
    if read == "targeted" and "graph" in mine:
        # the graph searched is the part read: its person counts are the part's
        assert theirs["graph"]["n"] <= mine["graph"]["n"]
        for counted in ("n", "isolates"):
            del theirs["graph"][counted], mine["graph"][counted]
    if isinstance(mine, dict) and "workspace" in mine:
        theirs["workspace"] = mine["workspace"]  # the stored id may differ from the folder name
    assert theirs == mine
