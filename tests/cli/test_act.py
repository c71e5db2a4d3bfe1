"""``stakegraph act`` and ``update_record``: add an improvement, move an action along.

Every change is checked in the three workspace forms, against the commands that
read actions (``surveys``, ``review``), and byte for byte against the files: only
the lines of the changed record differ, and a refused change writes nothing.
"""

import codecs
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.cli.accounts import surveys
from stakegraph.cli.followup import act, review_command
from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.update import update_record
from tests.builders import DAY, cli_runner, run_cli, snapshot

EXAMPLE = Path("examples/smart-city")
COMPLAINT = "2026-11-24-fin-complaint"  # logged, nobody acted on it yet
PLANNED = "plan-smart-city-du-mingchuan"  # planned, created 2026-10-08
DONE = "plan-smart-city-sun-wei"  # done on 2026-10-20


_run = cli_runner(act)


def _json_of(command, path: Path) -> dict:
    result = run_cli([path, "--as-of", DAY, "--json"], command)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(params=["yaml", "csv", "xlsx"])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A copy of the example in one of the three forms."""
    if request.param == "yaml":
        return Path(shutil.copytree(EXAMPLE, tmp_path / "ws"))
    target = tmp_path / ("ws.xlsx" if request.param == "xlsx" else "ws")
    save_workspace(load_workspace(EXAMPLE), target, request.param)
    return target


# --- adding an improvement -------------------------------------------------------------


def _improve(path: Path, *extra: object):
    return _run(
        path,
        "--owner",
        "qin-lang",
        "--org",
        "jc-fin",
        "--action",
        "预算一体化系统扩容，年底编制高峰前完成压测",
        "--due",
        "2026-12-15",
        "--complaint",
        COMPLAINT,
        "--date",
        DAY,
        *extra,
    )


def test_an_improvement_answers_the_complaint(workspace: Path) -> None:
    before = _json_of(surveys, workspace)
    (complaint,) = [c for c in before["complaints"] if c["id"] == COMPLAINT]
    assert complaint["without_action"] and complaint["actions"] == []

    result = _improve(workspace)
    assert result.exit_code == 0, result.output
    new_id = f"improve-{COMPLAINT}-{DAY}"
    assert result.output.startswith(
        f"已新增措施 {new_id}，责任人 秦朗 → 江川市财政局，期限 2026-12-15。已写入 "
    )

    after = _json_of(surveys, workspace)
    (complaint,) = [c for c in after["complaints"] if c["id"] == COMPLAINT]
    assert not complaint["without_action"] and complaint["actions"] == [new_id]
    assert all(COMPLAINT not in a["complaints_without_action"] for a in after["accounts"])
    action = load_workspace(workspace).actions[new_id]
    assert action.origin == "improvement" and action.status == "planned"
    assert action.created == DAY and action.complaint == COMPLAINT


def test_a_second_improvement_gets_its_own_id_and_json_says_what_was_written(
    yaml_ws: Path,
) -> None:
    assert _improve(yaml_ws).exit_code == 0
    result = _improve(yaml_ws, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == {
        "added": f"improve-{COMPLAINT}-{DAY}-2",
        "files": [str(yaml_ws / "actions.yaml")],
    }


def test_the_new_improvement_is_appended_after_the_existing_text(yaml_ws: Path) -> None:
    before = (yaml_ws / "actions.yaml").read_text(encoding="utf-8")
    assert _improve(yaml_ws, "--person", "cao-yu").exit_code == 0
    after = (yaml_ws / "actions.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :] == (
        f"\n- id: improve-{COMPLAINT}-{DAY}\n"
        "  owner: qin-lang\n"
        "  action: 预算一体化系统扩容，年底编制高峰前完成压测\n"
        "  origin: improvement\n"
        "  person: cao-yu\n"
        "  org: jc-fin\n"
        f"  created: {DAY}\n"
        "  due: 2026-12-15\n"
        f"  complaint: {COMPLAINT}\n"
    )


# --- changing an action's status -------------------------------------------------------


def _review_row(path: Path, action_id: str) -> dict:
    return next(r for r in _json_of(review_command, path)["actions"] if r["id"] == action_id)


def test_marking_a_plan_action_done_shows_in_review(workspace: Path) -> None:
    row = _review_row(workspace, PLANNED)
    assert row["status"] == "planned" and row["overdue"]
    result = _run(workspace, PLANNED, "--done", "--date", DAY)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Action {PLANNED}: done on {DAY}. Wrote ")
    row = _review_row(workspace, PLANNED)
    assert row["status"] == "done" and row["done"] == DAY.isoformat()
    assert row["executed"] and not row["overdue"]


def test_status_takes_the_chinese_terms_and_json(workspace: Path) -> None:
    result = _run(workspace, "--status", "进行中", PLANNED, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["status"] == "in_progress"
    assert load_workspace(workspace).actions[PLANNED].status == "in_progress"
    assert _run(workspace, "--status", "取消", PLANNED).exit_code == 0
    assert load_workspace(workspace).actions[PLANNED].status == "dropped"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _index(lines: list[str], text: str, start: int = 0) -> int:
    return lines.index(text, start)


def test_yaml_edit_changes_only_the_status_line_and_inserts_the_done_line(
    yaml_ws: Path,
) -> None:
    old = _lines(yaml_ws / "actions.yaml")
    assert _run(yaml_ws, "--done", PLANNED, "--date", DAY).exit_code == 0
    new = _lines(yaml_ws / "actions.yaml")
    record = _index(old, f"- id: {PLANNED}")
    status = _index(old, "  status: planned", record)
    last = _index(old, "  baseline_cover: 0.052", record)  # the record's last key
    assert new == [
        *old[:status],
        "  status: done",
        *old[status + 1 : last + 1],
        f"  done: {DAY}",
        *old[last + 1 :],
    ]
    assert [line for line in new if line.startswith("#")] == [
        line for line in old if line.startswith("#")
    ]


def test_yaml_status_change_and_reopening_touch_only_their_lines(yaml_ws: Path) -> None:
    old = _lines(yaml_ws / "actions.yaml")
    result = _run(yaml_ws, "--status", "in_progress", DONE)
    assert result.exit_code == 0, result.output
    assert f"Action {DONE}: in_progress (was done on 2026-10-20)." in result.output
    new = _lines(yaml_ws / "actions.yaml")
    record = _index(old, f"- id: {DONE}")
    status = _index(old, "  status: done", record)
    assert old[status + 1] == "  done: 2026-10-20"
    # the done date goes with the done status: a reopened action was not done
    assert new == [*old[:status], "  status: in_progress", *old[status + 2 :]]
    assert load_workspace(yaml_ws).actions[DONE].done is None


def test_csv_changes_only_that_row_and_keeps_encoding_and_line_endings(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    save_workspace(load_workspace(EXAMPLE), folder, "csv")
    before = (folder / "actions.csv").read_bytes()
    assert before.startswith(codecs.BOM_UTF8)
    assert _run(folder, "--done", PLANNED, "--date", DAY).exit_code == 0
    after = (folder / "actions.csv").read_bytes()
    assert after.startswith(codecs.BOM_UTF8)
    old, new = before.split(b"\r\n"), after.split(b"\r\n")
    assert len(old) == len(new)
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    assert len(changed) == 1 and new[changed[0]].startswith(PLANNED.encode())
    assert b",done,2026-11-28," in new[changed[0]]
    assert load_workspace(folder).actions[PLANNED].done == DAY


def test_csv_typed_in_chinese_excel_gets_the_missing_column(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    save_workspace(load_workspace(EXAMPLE), folder, "csv")
    # GB18030, LF, no done column, the changed row last and without a final newline
    typed = (
        "id,owner,action,created,status\n"
        "a1,liu-kai,拜访许局,2026/10/8,计划\n"
        'a2,liu-kai,"汇报方案,\n第二行",2026-10-09,planned'
    )
    (folder / "actions.csv").write_bytes(typed.encode("gb18030"))
    assert _run(folder, "--done", "a2", "--date", DAY).exit_code == 0
    text = (folder / "actions.csv").read_bytes().decode("gb18030")
    assert "\r" not in text
    assert text == (
        "id,owner,action,created,status,done\n"
        "a1,liu-kai,拜访许局,2026/10/8,计划\n"
        f'a2,liu-kai,"汇报方案,\n第二行",2026-10-09,done,{DAY}'
    )
    actions = load_workspace(folder).actions
    assert actions["a2"].status == "done" and actions["a1"].status == "planned"


def test_xlsx_sets_the_cells_and_keeps_the_formatting(tmp_path: Path) -> None:
    book_path = tmp_path / "ws.xlsx"
    save_workspace(load_workspace(EXAMPLE), book_path)
    book = load_workbook(book_path)
    sheet = book["行动计划"]
    header = [c.value.split("\n")[-1] for c in sheet[1] if c.value]
    sheet.delete_cols(header.index("done") + 1)  # a column the user removed
    book.save(book_path)
    assert _run(book_path, "--done", PLANNED, "--date", DAY).exit_code == 0
    sheet = load_workbook(book_path)["行动计划"]
    assert sheet.freeze_panes == "B2"
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    assert header[-1] == "done" and sheet.cell(row=1, column=len(header)).font.bold
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == PLANNED)
    cells = dict(zip(header, row, strict=False))
    assert cells["status"].value == "完成 done"  # as the drop-down shows it
    # the name columns keep their formulas
    assert str(cells["owner"].offset(column=1).value).startswith("=IF(")
    assert cells["done"].number_format == "yyyy-mm-dd"
    assert cells["done"].value.date() == DAY
    assert load_workspace(book_path).actions[PLANNED].done == DAY


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--done", "plan-du", "--date", DAY],
            "no action 'plan-du' in .*; did you mean: plan-smart-city-du-mingchuan",
        ),
        (
            ["--done", PLANNED, "--date", "2026-10-01"],
            f"done date 2026-10-01 is before action '{PLANNED}' was created \\(2026-10-08\\)",
        ),
        (["--done", DONE], f"action '{DONE}' is already done on 2026-10-20; nothing was written"),
        (["--status", "finished", PLANNED], "unknown status 'finished'; use one of: planned"),
        (["--status", "planned", PLANNED], f"action '{PLANNED}' is already planned"),
        (["--done", PLANNED, "--owner", "liu-kai"], "--owner: only for a new action"),
        ([PLANNED], f"say what happened to action '{PLANNED}': --done, or --status"),
        (
            ["--owner", "nobody", "--org", "jc-fin", "--action", "扩容"],
            '--owner: no 我方人员 owner "nobody"',
        ),
        (
            ["--owner", "qin-lang", "--person", "no-one", "--action", "扩容"],
            '--person: no 人员 person "no-one"',
        ),
        (
            ["--owner", "qin-lang", "--action", "扩容", "--complaint", "2026-11-24"],
            f"no complaint '2026-11-24' in the interactions of .*; did you mean: {COMPLAINT}",
        ),
        (
            ["--owner", "qin-lang", "--action", "扩容", "--complaint", "2026-10-20-needs-forum"],
            "interaction '2026-10-20-needs-forum' is a meeting, not a complaint",
        ),
        (
            ["--owner", "qin-lang", "--action", "扩容", "--date", DAY, "--due", "2026-11-01"],
            "--due 2026-11-01 is before the day the action is set",
        ),
        (["--owner", "qin-lang", "--org", "jc-fin"], "say what is to be done with --action"),
    ],
)
def test_refusals_say_why_and_write_nothing(workspace: Path, args: list[str], message: str) -> None:
    before = snapshot(workspace)
    result = _run(workspace, *args)
    assert result.exit_code == 1
    assert re.search(message, result.output), result.output
    assert snapshot(workspace) == before


# --- update_record on hand-typed YAML --------------------------------------------------

_SMALL = {
    "organisations.yaml": "- {id: dsj, name: 市大数据局}\n",
    "owners.yaml": "- {id: liu, name: 刘凯, tier: rep}\n",
    "persons.yaml": "- {id: xu, name: 许志恒}\n",
    "relationships.yaml": "- {owner: liu, person: xu, participation: 3}   # 初评\n",
}
# indented by two, a trailing comment, a nested list, a literal block, no final newline
_ACTIONS = (
    "# 行动计划\n"
    "  - id: a1\n"
    "    owner: liu\n"
    "    action: 拜访许局\n"
    "    person: xu\n"
    "    created: 2026-03-01\n"
    "    status: planned   # 待办\n"
    "    tags:\n"
    "      - 首次\n"
    "\n"
    "  # 以下为改进措施\n"
    "  - id: a2\n"
    "    owner: liu\n"
    "    action: 回访\n"
    "    notes: |\n"
    "      先电话，\n"
    "      再上门。\n"
    "\n"
    "    created: 2026-03-02"
)


def _small(tmp_path: Path, actions: str = _ACTIONS, encoding: str = "utf-8") -> Path:
    folder = tmp_path / "small"
    folder.mkdir()
    for name, text in _SMALL.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "actions.yaml").write_bytes(actions.encode(encoding))
    return folder


def test_update_an_indented_record_keeps_its_comment_and_indentation(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    written = update_record(
        folder, "actions", "a1", {"status": "完成", "done": dt.date(2026, 3, 5)}
    )
    assert written == folder / "actions.yaml"
    assert written.read_text(encoding="utf-8") == _ACTIONS.replace(
        "    status: planned   # 待办\n    tags:\n      - 首次\n",
        "    status: done   # 待办\n    tags:\n      - 首次\n    done: 2026-03-05\n",
    )
    action = load_workspace(folder).actions["a1"]
    assert action.status == "done" and action.tags == ["首次"]


def test_update_the_last_record_of_a_file_without_a_final_newline(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    update_record(folder, "actions", "a2", {"status": "done", "done": dt.date(2026, 3, 6)})
    text = (folder / "actions.yaml").read_text(encoding="utf-8")
    assert text == _ACTIONS + "\n    status: done\n    done: 2026-03-06"
    assert load_workspace(folder).actions["a2"].notes == "先电话，\n再上门。"
    # and back: the done line goes, the file still ends without a newline
    update_record(folder, "actions", "a2", {"status": "in_progress", "done": None})
    text = (folder / "actions.yaml").read_text(encoding="utf-8")
    assert text == _ACTIONS + "\n    status: in_progress"


def test_update_keeps_a_byte_order_mark_and_windows_line_endings(tmp_path: Path) -> None:
    typed = _ACTIONS.replace("\n", "\r\n") + "\r\n"
    folder = _small(tmp_path, typed, encoding="utf-8-sig")
    update_record(folder, "actions", "a2", {"status": "dropped", "notes": "客户取消\n改期再议"})
    raw = (folder / "actions.yaml").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    bare = text.replace("\r\n", "")
    assert "\n" not in bare and "\r" not in bare  # every line break is CRLF
    assert text.endswith("    created: 2026-03-02\r\n    status: dropped\r\n")
    assert '    notes: "客户取消\\n改期再议"\r\n\r\n    created' in text
    assert load_workspace(folder).actions["a2"].notes == "客户取消\n改期再议"


def test_update_record_is_generic_and_edits_one_line_records(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    update_record(folder, "relationships", "liu~xu", {"support": 4.5, "participation": 4})
    assert (folder / "relationships.yaml").read_text(encoding="utf-8") == (
        "- {owner: liu, person: xu, participation: 4, support: 4.5}   # 初评\n"
    )
    with pytest.raises(StakegraphError, match="would make relationship 'liu~xu' into"):
        update_record(folder, "relationships", "liu~xu", {"person": "zhang"})
    with pytest.raises(StakegraphError, match="has no field 'colour'"):
        update_record(folder, "actions", "a1", {"colour": "red"})
    with pytest.raises(StakegraphError, match="only single values"):
        update_record(folder, "actions", "a1", {"tags": ["x"]})


def test_update_record_validates_first_and_writes_nothing(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    before = snapshot(folder)
    with pytest.raises(WorkspaceInvalid) as info:
        update_record(folder, "actions", "a1", {"owner": "nobody"})
    assert "nobody" in info.value.problems[0].format()
    with pytest.raises(WorkspaceInvalid) as info:
        # done is only for a done action
        update_record(folder, "actions", "a1", {"done": dt.date(2026, 3, 5)})
    assert "status" in info.value.problems[0].format()
    with pytest.raises(StakegraphError, match="no action with id 'zz'"):
        update_record(folder, "actions", "zz", {"status": "done"})
    assert snapshot(folder) == before


def test_files_are_restored_when_the_change_does_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stakegraph.io import update

    folder = _small(tmp_path)
    before = snapshot(folder)
    loads = []
    real = update.load_workspace

    def load_then_fail(path: Path):
        loads.append(path)
        if len(loads) > 1:  # the read-back
            raise StakegraphError("actions.yaml:3: is not valid YAML")
        return real(path)

    monkeypatch.setattr(update, "load_workspace", load_then_fail)
    with pytest.raises(StakegraphError, match="restored"):
        update_record(folder, "actions", "a1", {"status": "done", "done": dt.date(2026, 3, 5)})
    assert snapshot(folder) == before
