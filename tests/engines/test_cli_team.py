"""The journal commands on --neo4j, and push and pull of a team's writes, against a real server."""

from __future__ import annotations

import json
import shutil

import pytest

from stakegraph.engines.neo4j import connect
from stakegraph.engines.neo4j_team import pull_with_versions, update_record
from stakegraph.io import load_workspace
from tests.builders import ROOT, cli_runner
from tests.views.test_language import CJK, ENGLISH_RUN, without

pytestmark = pytest.mark.neo4j

EXAMPLES = ROOT / "examples"
ACTION = "plan-smart-city-du-mingchuan"

run = cli_runner(catch_exceptions=False)


@pytest.fixture
def env(neo4j_env, monkeypatch):
    monkeypatch.setenv("STAKEGRAPH_WRITER", "li-na")
    return neo4j_env


@pytest.fixture
def stored(env, request):
    """A fresh copy of the example on the server, under this test's own id."""
    workspace_id = f"cli-team-{request.node.name}"[:60]
    assert run("push", EXAMPLES / "smart-city", "--workspace", workspace_id).exit_code == 0
    yield workspace_id
    with connect(env.uri, env.user, env.password) as store:
        store.drop(workspace_id)


def _server(env, workspace_id):
    with connect(env.uri, env.user, env.password) as store:
        return store.pull(workspace_id)


def pull_with_versions_of(env, workspace_id):
    with connect(env.uri, env.user, env.password) as store:
        return pull_with_versions(store, workspace_id)[1]


def test_log_assess_and_act_write_to_the_stored_workspace(env, stored):
    where = ("--neo4j", "--workspace", stored)
    result = run("log", *where, "--kind", "call", "--owner", "刘凯", "--person", "许志恒",
                 "--date", "2026-11-30", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == ["2026-11-30-call-xu-zhiheng"]
    # the same default id again: the next free one, taken in the transaction
    again = run("--lang", "en", "log", *where, "--kind", "call", "--owner", "liu-kai",
                "--person", "xu-zhiheng", "--date", "2026-11-30")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "Logged call 2026-11-30-call-xu-zhiheng-2 on 2026-11-30." in again.output
    result = run("assess", *where, "--owner", "liu-kai", "--person", "xu-zhiheng",
                 "--support", "4", "--date", "2026-11-30")  # fmt: skip
    assert result.exit_code == 0, result.output
    # the same pair on the same day again: that assessment is updated, versioned
    result = run("assess", *where, "--owner", "liu-kai", "--person", "xu-zhiheng",
                 "--acceptance", "3", "--date", "2026-11-30", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "updated": "liu-kai~xu-zhiheng~2026-11-30",
        "version": 2,
        "workspace": stored,
    }
    result = run("act", *where, "--done", ACTION, "--date", "2026-11-29", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "updated": ACTION,
        "status": "done",
        "done": "2026-11-29",
        "version": 2,
    }
    result = run("act", *where, "--owner", "qin-lang", "--org", "jc-fin", "--action", "压测",
                 "--date", "2026-11-30", "--due", "2026-12-15")  # fmt: skip
    assert result.exit_code == 0, result.output
    # the same action again: the id said is the next free one, the one written
    result = run("act", *where, "--owner", "qin-lang", "--org", "jc-fin", "--action", "压测",
                 "--date", "2026-11-30", "--due", "2026-12-15", "--json")  # fmt: skip
    assert json.loads(result.stdout)["added"] == "improve-jc-fin-2026-11-30-2"
    ws = _server(env, stored)
    assert "improve-jc-fin-2026-11-30-2" in ws.actions
    assert {"2026-11-30-call-xu-zhiheng", "2026-11-30-call-xu-zhiheng-2"} <= set(ws.interactions)
    assessed = ws.assessments["liu-kai~xu-zhiheng~2026-11-30"]
    assert (assessed.support, assessed.acceptance) == (4, 3)
    assert ws.actions[ACTION].status.value == "done"
    assert "improve-jc-fin-2026-11-30" in ws.actions


def test_a_bad_write_is_refused_with_a_located_message_and_nothing_written(env, stored):
    before = _server(env, stored)
    result = run("act", "--neo4j", "--workspace", stored, "--done", "no-such-action")
    assert result.exit_code == 1
    assert f"no action 'no-such-action' in workspace '{stored}'" in result.output
    result = run("log", "--neo4j", "--workspace", stored, "--import",
                 EXAMPLES / "imports" / "visits.csv", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    # the same file again: every id is taken
    result = run("log", "--neo4j", "--workspace", stored, "--import",
                 EXAMPLES / "imports" / "visits.csv")  # fmt: skip
    assert result.exit_code == 1 and "already exist" in result.output
    assert "nothing was written" in result.output
    after = _server(env, stored)
    imported = set(after.interactions) - set(before.interactions)
    assert imported and len(after.interactions) == len(before.interactions) + len(imported)


def test_plan_save_and_survey_import_on_neo4j(env, stored):
    where = ("--neo4j", "--workspace", stored)
    before = _server(env, stored).actions
    plan = ("plan", *where, "-o", "smart-city", "--as-of", "2026-12-01", "--save", "--json")
    result = run(*plan)
    assert result.exit_code == 0, result.output
    saved = json.loads(result.stdout)["saved"]
    assert saved and set(saved) <= set(_server(env, stored).actions)
    # saved again on its day: the actions saved first are updated, their progress kept
    assert run("act", *where, "--done", saved[0], "--date", "2026-12-02").exit_code == 0
    again = run(*plan)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["updated"] == saved
    ws = _server(env, stored)
    assert len(ws.actions) == len(before) + len(saved)
    assert ws.actions[saved[0]].status.value == "done"
    versions = pull_with_versions_of(env, stored)
    assert versions[f"Action:{saved[0]}"] == 3 and versions[f"Action:{saved[-1]}"] == 2
    result = run("surveys", *where, "--import", EXAMPLES / "imports" / "survey-results.csv",
                 "--as-of", "2026-12-31", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    imported = json.loads(result.stdout)["imported"]
    assert imported and set(imported) <= set(_server(env, stored).surveys)


def test_push_refuses_a_folder_behind_the_server_and_pull_brings_it_up(env, stored, tmp_path):
    mine = tmp_path / "mine"
    assert run("pull", "--workspace", stored, mine).exit_code == 0
    assert (mine / ".stakegraph-versions.json").is_file()
    # a colleague writes while we edit our files
    result = run("act", "--neo4j", "--workspace", stored, "--status", "in_progress", ACTION)
    assert result.exit_code == 0, result.output
    result = run("act", mine, "--status", "dropped", ACTION)
    assert result.exit_code == 0, result.output
    refused = run("--lang", "en", "push", mine, "--workspace", stored)
    assert refused.exit_code == 1
    assert "the files are behind workspace" in refused.output
    assert f"Action:{ACTION}: changed on the server by li-na (version 1 → 2)" in refused.output
    # the example is a Chinese workspace: without --lang the refusal is in Chinese
    refused = run("push", mine, "--workspace", stored)
    assert refused.exit_code == 1 and "文件落后于服务器上的工作区" in refused.output
    assert f"Action:{ACTION}：服务器上 li-na 修改（第 1 版 → 第 2 版）" in refused.output
    assert _server(env, stored).actions[ACTION].status.value == "in_progress"
    # pulled again, our change carried over, the push goes through and the versions follow
    fresh = tmp_path / "fresh"
    assert run("pull", "--workspace", stored, fresh).exit_code == 0
    assert run("act", fresh, "--status", "dropped", ACTION).exit_code == 0
    result = run("push", fresh, "--workspace", stored)
    assert result.exit_code == 0, result.output
    assert _server(env, stored).actions[ACTION].status.value == "dropped"
    versions = json.loads((fresh / ".stakegraph-versions.json").read_text(encoding="utf-8"))
    assert versions["versions"][f"Action:{ACTION}"] == 3
    # and the pulled folder is a valid workspace whose records are the server's
    assert run("check", fresh).exit_code == 0
    assert load_workspace(fresh).records == _server(env, stored).records
    shutil.rmtree(mine)


def test_a_forced_push_lists_what_it_overwrites_and_needs_a_confirmation(env, stored, tmp_path):
    mine = tmp_path / "mine"
    assert run("pull", "--workspace", stored, mine).exit_code == 0
    # colleagues write while we edit our files
    assert (
        run("act", "--neo4j", "--workspace", stored, "--status", "in_progress", ACTION).exit_code
        == 0
    )
    result = run("log", "--neo4j", "--workspace", stored, "--kind", "call", "--owner",
                 "liu-kai", "--person", "xu-zhiheng", "--date", "2026-12-05", "--json")  # fmt: skip
    theirs = json.loads(result.stdout)["added"][0]
    assert run("act", mine, "--status", "dropped", ACTION).exit_code == 0
    assert run("push", mine, "--workspace", stored).exit_code == 1
    listed = [
        f"Action:{ACTION}: changed on the server by li-na (version 1 → 2): status",
        f"Interaction:{theirs}: added on the server by li-na",
    ]
    # --force alone, with nobody to answer: the list, then nothing pushed
    refused = run("--lang", "en", "push", mine, "--workspace", stored, "--force")
    assert refused.exit_code == 1
    assert "push --force overwrites 2 write(s) of colleagues" in refused.output
    assert all(line in refused.output for line in listed)
    assert "needs a confirmation" in refused.output
    assert _server(env, stored).actions[ACTION].status.value == "in_progress"
    # confirmed: the files' values are on the server, the versions one on
    forced = run("--lang", "en", "push", mine, "--workspace", stored, "--force", "--yes",
                 "--json")  # fmt: skip
    assert forced.exit_code == 0, forced.output
    assert all(line in forced.stderr for line in listed)
    overwritten = json.loads(forced.stdout)["overwritten"]
    assert [(c["record"], c["change"], c["by"], c["fields"]) for c in overwritten] == [
        (f"Action:{ACTION}", "changed", "li-na", ["status"]),
        (f"Interaction:{theirs}", "added", "li-na", []),
    ]
    ws = _server(env, stored)
    assert ws.actions[ACTION].status.value == "dropped" and theirs not in ws.interactions
    versions = pull_with_versions_of(env, stored)
    assert versions[f"Action:{ACTION}"] == 3
    sidecar = json.loads((mine / ".stakegraph-versions.json").read_text(encoding="utf-8"))
    assert sidecar["versions"] == versions
    # in step with the server now: a plain push goes through, --yes alone is refused
    assert run("push", mine, "--workspace", stored).exit_code == 0
    assert run("push", mine, "--workspace", stored, "--yes").exit_code == 1


def test_team_write_lines_speak_the_workspaces_language(env, stored):
    """Each line a team write prints: Chinese for the Chinese example, English with --lang en,
    and no sentence of the other language (as tests/views/test_language.py checks views)."""
    where = ("--neo4j", "--workspace", stored)
    day = "2026-12-06"
    writes = [
        ("log", *where, "--kind", "call", "--owner", "liu-kai", "--person", "xu-zhiheng",
         "--date", day),
        ("assess", *where, "--owner", "liu-kai", "--person", "xu-zhiheng", "--support", "4",
         "--date", day),
        ("assess", *where, "--owner", "liu-kai", "--person", "xu-zhiheng", "--support", "5",
         "--date", day),
        ("act", *where, "--owner", "qin-lang", "--org", "jc-fin", "--action", "压测",
         "--date", day, "--due", "2026-12-20"),
        ("act", *where, "--status", "in_progress", ACTION),
        ("act", *where, "--done", ACTION, "--date", day),
        ("plan", *where, "-o", "smart-city", "--as-of", day, "--save"),
        ("plan", *where, "-o", "smart-city", "--as-of", day, "--save"),
        ("surveys", *where, "--import", EXAMPLES / "imports" / "survey-results.csv",
         "--as-of", "2026-12-31"),
    ]  # fmt: skip
    said = {}
    for language, args in [("zh", ()), ("en", ("--lang", "en"))]:
        lines = []
        for write in writes:
            if write[0] == "surveys" and language == "en":
                continue  # the same ids again would be refused
            result = run(*args, *write)
            assert result.exit_code == 0, result.output
            ours = [
                x for x in result.output.splitlines() if stored in x or x[:3] in ("已记录", "Log")
            ]
            assert ours, result.output
            lines += ours
        said[language] = lines
    zh, en = said["zh"], said["en"]
    assert all(CJK.search(line) for line in zh)
    assert not [line for line in en if CJK.search(without(line, ["压测", "秦朗", "江川市财政局"]))]
    names = [stored, str(EXAMPLES / "imports" / "survey-results.csv")]
    assert not [line for line in zh if ENGLISH_RUN.search(without(line, names))]
    assert any(line.startswith("已记录电话") for line in zh)
    assert any(line.startswith("Logged call") for line in en)
    assert any("已更新当天的评估" in line and "第 2 版" in line for line in zh)
    assert any("Updated that day's assessment" in line for line in en)
    assert any(line.startswith("已保存") and "其中" in line for line in zh)
    assert any(line.startswith("Saved") and "of them updated" in line for line in en)


def test_a_stale_change_is_refused_in_the_workspaces_language(env, stored, monkeypatch):
    """A colleague's write lands between our read and our write (injected after the pull)."""
    from stakegraph.engines import neo4j_journal

    read = neo4j_journal.pull_with_versions
    colleague = iter(["in_progress", "dropped"])

    def pull_then_a_colleague_writes(store, workspace_id):
        pulled = read(store, workspace_id)
        ws, versions = read(store, workspace_id)
        old = ws.actions[ACTION]
        action = type(old).model_validate({**old.model_dump(), "status": next(colleague)})
        update_record(store, workspace_id, action, versions[f"Action:{ACTION}"])
        return pulled

    monkeypatch.setattr(neo4j_journal, "pull_with_versions", pull_then_a_colleague_writes)
    refused = run("act", "--neo4j", "--workspace", stored, "--done", ACTION)
    assert refused.exit_code == 1
    assert f"措施 '{ACTION}' 在你读取后已被 li-na 修改（第 1 版 → 第 2 版）" in refused.output
    assert "status: planned → in_progress" in refused.output
    refused = run("--lang", "en", "act", "--neo4j", "--workspace", stored, "--done", ACTION)
    assert refused.exit_code == 1
    assert f"action '{ACTION}' was changed by li-na since you read it (version 2 → 3)" in (
        refused.output
    )
    assert "status: in_progress → dropped" in refused.output
    monkeypatch.undo()
    # nothing of ours was written: the colleague's last change stands
    assert _server(env, stored).actions[ACTION].status.value == "dropped"
