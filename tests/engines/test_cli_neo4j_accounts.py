"""The read-only account commands give the same JSON on a folder and with --neo4j.

evidence, history, surveys, kinds, darkhorses, portfolio, review and diff each run
once on examples/smart-city and once on the same workspace pushed to a real Neo4j
server (tests/neo4j_fixture.py), and the two documents must be equal.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from stakegraph.io import load_workspace, save_workspace
from tests.builders import DAY, EXAMPLES, cli_runner
from tests.neo4j_fixture import point_at_server

EXAMPLE = EXAMPLES / "smart-city"
# Ids of their own, so these tests never overwrite a workspace other tests pushed.
WS = "accounts-smart-city"
WS_SETTINGS = "accounts-smart-city-settings"

COMMANDS = ("evidence", "history", "surveys", "kinds", "darkhorses", "portfolio", "review", "diff")

# Non-default settings that move the output of every command below, so a workspace
# pulled without its stakegraph.toml would answer differently.
SETTINGS = """
[coverage]
strong_threshold = 0.5

[levels]
partner = 2.5

[evidence]
window_days = 200
silent_days = 60
disagreement = 2.0

[portfolio]
covered = 0.3
key_account_share = 0.5

[dark_horses]
ratio = 1.2
top = 3

[review]
grace_days = 60
"""


invoke = cli_runner()


def _push(connection: Any, folder: Path, workspace_id: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        point_at_server(mp, connection)
        result = invoke("push", folder, "--workspace", workspace_id, "-q")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def pushed(neo4j_connection: Any) -> str:
    """examples/smart-city pushed once for this module."""
    _push(neo4j_connection, EXAMPLE, WS)
    return WS


@pytest.fixture(scope="module")
def settings_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example with its own stakegraph.toml."""
    folder = tmp_path_factory.mktemp("settings") / "smart-city"
    shutil.copytree(EXAMPLE, folder)
    (folder / "stakegraph.toml").write_text(textwrap.dedent(SETTINGS), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pushed_settings(neo4j_connection: Any, settings_folder: Path) -> str:
    _push(neo4j_connection, settings_folder, WS_SETTINGS)
    return WS_SETTINGS


def _args(command: str) -> list[object]:
    """The options each command needs besides the workspace."""
    if command == "history":
        return ["--person", "he-jing"]  # history shows every snapshot: it takes no --as-of
    if command == "diff":
        return ["--from", "2026-06-01", "--to", DAY]
    return ["--as-of", DAY]


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _both(command: str, folder: Path, workspace_id: str, *extra: object) -> tuple[Any, Any]:
    """The JSON of a command on the folder and on the stored workspace.

    ``history`` of one official reads only our part of the stored workspace and
    states so; its rows are compared.
    """
    args = [*_args(command), *extra, "--json"]
    local = _json(invoke(command, folder, *args))
    remote = _json(invoke(command, "--neo4j", "--workspace", workspace_id, *args))
    if command == "history":
        assert remote["source"] == {"engine": "neo4j", "read": "targeted"}
        remote = remote["rows"]
    return local, remote


def _same(local: Any, remote: Any) -> None:
    # Nothing is normalised: the stored workspace keeps the folder's name (the
    # only field that could differ), and every figure must match exactly.
    assert remote == local


@pytest.mark.neo4j
@pytest.mark.parametrize("command", COMMANDS)
def test_same_json_on_the_folder_and_on_neo4j(neo4j_env: Any, pushed: str, command: str) -> None:
    local, remote = _both(command, EXAMPLE, pushed)
    assert local, f"{command} gave an empty answer; the comparison would prove nothing"
    _same(local, remote)


@pytest.mark.neo4j
@pytest.mark.parametrize("command", COMMANDS)
def test_settings_travel_with_the_stored_workspace(
    neo4j_env: Any, pushed_settings: str, settings_folder: Path, command: str
) -> None:
    local, remote = _both(command, settings_folder, pushed_settings)
    _same(local, remote)


def test_the_settings_change_the_answers(settings_folder: Path) -> None:
    # Guards the test above: with default settings it would pass for a store that
    # dropped stakegraph.toml.
    for command in ("evidence", "history", "kinds", "darkhorses", "portfolio", "review"):
        default = _json(invoke(command, EXAMPLE, *_args(command), "--json"))
        tuned = _json(invoke(command, settings_folder, *_args(command), "--json"))
        assert tuned != default, command


@pytest.mark.neo4j
@pytest.mark.parametrize("workspace", ["example", "settings"])
def test_kinds_lists_the_same_relationships_in_file_order_on_neo4j(
    neo4j_env: Any,
    pushed: str,
    pushed_settings: str,
    settings_folder: Path,
    workspace: str,
) -> None:
    folder, stored = (
        (EXAMPLE, pushed) if workspace == "example" else (settings_folder, pushed_settings)
    )
    local, remote = _both("kinds", folder, stored, "--relationships")
    assert len(local["relationships"]) == 23
    # the graph form once gave relationships back grouped by owner, not in file order
    assert [r["id"] for r in remote["relationships"]] == [r["id"] for r in local["relationships"]]
    _same(local, remote)


@pytest.mark.neo4j
def test_diff_against_a_folder_with_the_workspace_on_neo4j(
    neo4j_env: Any, pushed: str, tmp_path: Path
) -> None:
    older = load_workspace(EXAMPLE)
    removed = next(iter(older.relationships))
    older.remove("relationships", removed)
    save_workspace(older, tmp_path / "older")
    args = ["--against", tmp_path / "older", "--as-of", DAY, "--json"]
    local = _json(invoke("diff", EXAMPLE, *args))
    remote = _json(invoke("diff", "--neo4j", "--workspace", pushed, *args))
    assert [x["id"] for x in local["relationships_added"]] == [removed]
    assert local["after"] == "smart-city"  # the stored name is the pushed folder's
    _same(local, remote)


@pytest.mark.neo4j
def test_review_text_without_actions_names_the_stored_workspace(
    neo4j_env: Any, neo4j_connection: Any, tmp_path: Path
) -> None:
    bare = load_workspace(EXAMPLE)
    for action in list(bare.actions):
        bare.remove("actions", action)
    save_workspace(bare, tmp_path / "bare")
    _push(neo4j_connection, tmp_path / "bare", "accounts-no-actions")
    result = invoke("review", "--neo4j", "--workspace", "accounts-no-actions", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert "the stored workspace 'accounts-no-actions'" in result.output
    assert "stakegraph plan WORKSPACE --opportunity ID --save" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_and_neo4j_together_are_refused(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # refused before any connection, so no server is needed
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = invoke(command, EXAMPLE, "--neo4j", "--workspace", WS, *_args(command), "--json")
    assert result.exit_code == 1
    assert f"give either a workspace folder ({EXAMPLE}) or --neo4j, not both." in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_no_folder_and_no_neo4j_is_refused(command: str) -> None:
    result = invoke(command, *_args(command))
    assert result.exit_code == 1
    assert "give a workspace folder, or --neo4j [--workspace ID]." in result.output


def test_workspace_id_without_neo4j_is_refused() -> None:
    result = invoke("surveys", "--workspace", WS, "--as-of", DAY)
    assert result.exit_code == 1
    assert "--workspace names a workspace in Neo4j; add --neo4j." in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_a_neo4j_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert f"stakegraph {command} --neo4j --workspace " in result.output
    assert "[WORKSPACE]" in result.output
