"""The lines a team write prints, in both languages (tests/views/test_language.py's rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from stakegraph.engines.neo4j_team import Conflict, StaleRecord
from stakegraph.views.write_lines import (
    TEAM_LINES,
    conflict_phrase,
    scores_phrase,
    stale_phrase,
    team_line,
    team_word,
)
from tests.views.test_language import CJK, ENGLISH_RUN

STALE = StaleRecord(
    "action", "plan-a", "li-na", 1, 2, (("status", "planned", "done"), ("done", None, "2026-12-01"))
)
CONFLICTS = [
    Conflict("Action:plan-a", "changed", 1, 3, "li-na", ("status",)),
    Conflict("Interaction:call-b", "added", None, 1, "wu"),
    Conflict("Assessment:c", "deleted", 2, None),
    Conflict("Action:d", "changed", None, 2, "wu"),
]
VALUES = {
    "kind": "call", "id": "x", "date": dt.date(2026, 12, 1), "workspace": "w", "uri": "u",
    "scores": "s", "wrote": "", "version": 2, "owner": "o", "target": "", "due": "",
    "day": dt.date(2026, 12, 1), "status": "done", "count": 2, "updated": "", "opp": "o",
    "source": "f", "noun": "n", "by": "", "versions": "", "changes": "", "old": 1, "new": 2,
    "who": "li-na", "record": "r", "fields": "", "files": "f.yaml", "surveys": "surveys",
    "path": "p.json", "destination": "d", "folder": "d", "counts": "", "nodes": 3,
    "relationships": 2, "nodes_created": 3, "relationships_created": 2, "nodes_deleted": 0,
    "relationships_deleted": 0, "organisations": 1, "posts": 2, "persons": 3,
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(TEAM_LINES))
def test_every_line_exists_in_both_languages_and_only_in_its_own(key):
    zh, en = team_line(key, "zh", **VALUES), team_line(key, "en", **VALUES)
    assert not CJK.search(en)
    assert not ENGLISH_RUN.search(zh.replace("push --force", ""))
    if key not in ("by",):  # a writer's name is all it holds
        assert CJK.search(zh)


def test_a_stale_change_names_the_record_fields_versions_and_writer():
    assert stale_phrase(STALE, "en") == (
        "action 'plan-a' was changed by li-na since you read it (version 1 → 2): "
        "status: planned → done; done: — → 2026-12-01; nothing was written. "
        "Read it again and redo your change."
    )
    zh = stale_phrase(STALE, "zh")
    assert zh.startswith("措施 'plan-a' 在你读取后已被 li-na 修改（第 1 版 → 第 2 版）：")
    assert "status: planned → done" in zh and not ENGLISH_RUN.search(zh)
    # read without a version, or at the one the server holds: the version now
    unversioned = StaleRecord("assessment", "a~b~2026-12-01", None, None, 3)
    assert "(now version 3); nothing" in stale_phrase(unversioned, "en")
    assert "现为第 3 版" in stale_phrase(unversioned, "zh")


def test_each_conflict_of_a_push_in_both_languages():
    assert [conflict_phrase(c, "en") for c in CONFLICTS] == [
        "Action:plan-a: changed on the server by li-na (version 1 → 3): status",
        "Interaction:call-b: added on the server by wu",
        "Assessment:c: deleted on the server",
        "Action:d: changed on the server by wu (now version 2)",
    ]
    # the English lines are those of the engine's own message
    assert [conflict_phrase(c, "en") for c in CONFLICTS] == [str(c) for c in CONFLICTS]
    zh = [conflict_phrase(c, "zh") for c in CONFLICTS]
    assert zh[0] == "Action:plan-a：服务器上 li-na 修改（第 1 版 → 第 3 版）：status"
    assert all(CJK.search(line) and not ENGLISH_RUN.search(line) for line in zh)


def test_kinds_statuses_and_scores_in_the_language():
    assert (
        team_word("InteractionKind", "call", "zh"),
        team_word("InteractionKind", "call", "en"),
    ) == ("电话", "call")
    assert team_word("ActionStatus", "in_progress", "en") == "in_progress"
    assert CJK.search(team_word("ActionStatus", "in_progress", "zh"))
    assert (
        scores_phrase({"support": 4.0, "acceptance": 2.5}, None, "en")
        == "support 4, acceptance 2.5"
    )
    assert scores_phrase({"support": 4.0}, None, "zh") == "项目支持度 4"
    assert scores_phrase({}, "partner", "en") == "level partner"


@pytest.mark.parametrize(
    ("example", "said", "wrote"),
    [("smart-city", "已记录拜访 ", "已写入 "), ("harbor-county", "Logged visit ", "Wrote ")],
)
def test_a_call_logged_in_files_is_said_in_the_workspaces_language(tmp_path, example, said, wrote):
    import shutil

    from tests.builders import HARBOR_COUNTY, SMART_CITY, cli_runner

    folder = tmp_path / example
    shutil.copytree(SMART_CITY if example == "smart-city" else HARBOR_COUNTY, folder)
    ws_person = "xu-zhiheng" if example == "smart-city" else "maria-santos"
    ws_owner = "liu-kai" if example == "smart-city" else "dana-whitfield"
    result = cli_runner()(
        "log", folder, "--kind", "visit", "--person", ws_person, "--owner", ws_owner,
        "--date", "2026-12-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(said) and lines[-1].startswith(wrote), result.output


def test_record_counts_are_named_in_each_language():
    from stakegraph.records.model import RECORD_TYPES
    from stakegraph.views.write_lines import RECORD_NOUNS, counts_phrase

    assert set(RECORD_NOUNS) == {t.collection for t in RECORD_TYPES}
    counts = {c: 1 for c in RECORD_NOUNS}
    assert not ENGLISH_RUN.search(counts_phrase(counts, "zh"))
    assert not CJK.search(counts_phrase(counts, "en"))


@pytest.mark.parametrize(
    ("example", "wrote", "graph", "popolo"),
    [
        ("smart-city", "已写入 ", "已将 2026-11-28 的关系图写入 ", "个组织、"),
        ("harbor-county", "Wrote ", "Wrote the graph as of 2026-11-28 to ", " organisations, "),
    ],
)
def test_copies_and_exports_say_what_they_wrote_in_the_workspaces_language(
    tmp_path, example, wrote, graph, popolo
):
    from tests.builders import EXAMPLES, cli_runner

    run = cli_runner()
    source = EXAMPLES / example
    copied = run("convert", source, tmp_path / "copy", "--to", "csv")
    assert copied.exit_code == 0, copied.output
    assert copied.output.startswith(wrote), copied.output
    exported = run(
        "export", source, "--format", "graphml", "--out", tmp_path / "g.graphml",
        "--as-of", "2026-11-28",
    )  # fmt: skip
    assert exported.output.startswith(graph), exported.output
    people = run("export", source, "--format", "popolo", "--out", tmp_path / "p.json")
    assert popolo in people.output, people.output
