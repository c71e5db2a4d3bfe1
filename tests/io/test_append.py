"""Appending records keeps the user's text, validates first and writes all or nothing."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.append import append_records
from stakegraph.records.model import Assessment, Interaction
from tests.builders import snapshot

EXAMPLE = Path("examples/smart-city")


def _visit(**extra) -> Interaction:
    fields = dict(
        id="2026-11-27-visit",
        date=dt.date(2026, 11, 27),
        kind="拜访",
        owners=["liu-kai"],
        persons=["xu-zhiheng"],
        information_shared=True,
        notes="汇报一期范围：许局要求 12 月底前完成可研。",
    )
    return Interaction(**{**fields, **extra})


def test_yaml_append_keeps_every_existing_byte_and_loads_back(yaml_ws: Path) -> None:
    before = (yaml_ws / "interactions.yaml").read_bytes()
    written = append_records(
        yaml_ws,
        [
            _visit(),
            Assessment(owner="liu-kai", person="xu-zhiheng", date=dt.date(2026, 11, 27), support=5),
        ],
    )
    assert [p.name for p in written] == ["interactions.yaml", "assessments.yaml"]
    after = (yaml_ws / "interactions.yaml").read_bytes()
    assert after.startswith(before)
    tail = after[len(before) :].decode("utf-8")
    assert "汇报一期范围" in tail and "\\u" not in tail  # Chinese written as it is
    assert "date: 2026-11-27" in tail and "information_shared: true" in tail
    ws = load_workspace(yaml_ws)
    assert ws.interactions["2026-11-27-visit"] == _visit()
    assert ws.assessments["liu-kai~xu-zhiheng~2026-11-27"].support == 5
    # the derived id is not written out
    assert "id: liu-kai~xu-zhiheng~2026-11-27" not in (yaml_ws / "assessments.yaml").read_text(
        encoding="utf-8"
    )


def test_a_missing_file_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    shutil.copytree(EXAMPLE, folder)
    (folder / "interactions.yaml").unlink()
    (folder / "actions.yaml").unlink()  # actions refer to a logged complaint
    append_records(folder, [_visit()])
    assert list(load_workspace(folder).interactions) == ["2026-11-27-visit"]


@pytest.mark.parametrize(
    "bad",
    [
        _visit(persons=["nobody"]),  # unknown person
        _visit(id="2026-07-06-complaint"),  # id taken
    ],
)
def test_nothing_is_written_when_anything_is_wrong(yaml_ws: Path, bad) -> None:
    before = snapshot(yaml_ws)
    with pytest.raises((WorkspaceInvalid, StakegraphError)):
        append_records(yaml_ws, [bad])
    assert snapshot(yaml_ws) == before


def test_invalid_record_message_names_record_and_fix(yaml_ws: Path) -> None:
    with pytest.raises(WorkspaceInvalid) as info:
        append_records(yaml_ws, [_visit(persons=["nobody"])])
    text = info.value.problems[0].format()
    assert "2026-11-27-visit" in text and "nobody" in text and "Fix:" in text


def test_csv_and_xlsx_append(tmp_path: Path) -> None:
    ws = load_workspace(EXAMPLE)
    save_workspace(ws, tmp_path / "csv", "csv")
    save_workspace(ws, tmp_path / "book.xlsx")
    for path in (tmp_path / "csv", tmp_path / "book.xlsx"):
        append_records(path, [_visit()])
        again = load_workspace(path)
        assert again.interactions["2026-11-27-visit"] == _visit()
        assert len(again.interactions) == len(ws.interactions) + 1
        assert again.relationships == ws.relationships
    book = load_workbook(tmp_path / "book.xlsx")
    assert book["互动记录"].freeze_panes == "B2"  # the sheet's formatting is kept


def test_inline_lists_keep_tricky_text(yaml_ws: Path) -> None:
    tricky = _visit(tags=["a, b", "yes", "[x]", "王 芳", "#1", "null", "3"])
    append_records(yaml_ws, [tricky])
    assert load_workspace(yaml_ws).interactions[tricky.id] == tricky


# --- small hand-written workspaces in each format ---------------------------------------

_SMALL = {
    "organisations.yaml": "- {id: dsj, name: 市大数据局}\n",
    "owners.yaml": "- {id: liu, name: 刘凯, tier: rep}\n",
    "persons.yaml": "- {id: xu, name: 许志恒}\n",
    "relationships.yaml": "- {owner: liu, person: xu, participation: 3}\n",
}
# the user's own layout: a comment, a list indented by two, a literal block, no final newline
_TYPED = (
    "# 拜访记录，按日期排\n"
    "  - id: v1\n"
    "    date: 2026-03-02\n"
    "    kind: visit   # 第一次见面\n"
    "    owners: [liu]\n"
    "    persons: [xu]\n"
    "    notes: |\n"
    "      谈了一期范围。\n"
    "\n"
    "      下次带方案。\n"
    "  # 以下待补"
)


def _small(tmp_path: Path, interactions: str | None = _TYPED) -> Path:
    folder = tmp_path / "small"
    folder.mkdir()
    for name, text in _SMALL.items():
        (folder / name).write_text(text, encoding="utf-8")
    if interactions is not None:
        (folder / "interactions.yaml").write_text(interactions, encoding="utf-8")
    return folder


def _call(**extra) -> Interaction:
    fields = dict(
        id="c1",
        date=dt.date(2026, 11, 27),
        kind="电话",
        owners=["liu"],
        persons=["xu"],
        orgs=["dsj"],
        information_shared=True,
        notes="=1+1 不是公式；#N/A 也不是",
    )
    return Interaction(**{**fields, **extra})


def test_yaml_append_lines_up_with_an_indented_list_and_keeps_comments(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    append_records(folder, [_call()])
    text = (folder / "interactions.yaml").read_text(encoding="utf-8")
    assert text.startswith(_TYPED + "\n")
    tail = text[len(_TYPED) :]
    # indented by two like the record above, only the fields given, dates as typed
    assert "\n  - id: c1\n    date: 2026-11-27\n    kind: call\n" in tail
    assert "    orgs: [dsj]\n    information_shared: true\n" in tail
    assert "tags" not in tail and "aliases" not in tail
    ws = load_workspace(folder)
    assert list(ws.interactions) == ["v1", "c1"]
    assert ws.interactions["c1"] == _call()
    assert ws.interactions["v1"].notes.startswith("谈了一期范围。\n\n下次带方案。")


def test_a_new_yaml_file_starts_with_a_bilingual_comment(tmp_path: Path) -> None:
    folder = _small(tmp_path, interactions=None)
    (written,) = append_records(folder, [_call()])
    assert written == folder / "interactions.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# 互动记录 interactions") and "\n- id: c1\n" in text


@pytest.mark.parametrize(
    "ending", ["- {id: v1, date: 2026-03-02, kind: visit}\n...\n", "[{id: v1, date: 2026-03-02}]\n"]
)
def test_a_yaml_file_that_cannot_take_more_records_is_left_alone(
    tmp_path: Path, ending: str
) -> None:
    folder = _small(tmp_path, interactions=ending)
    with pytest.raises(StakegraphError, match="interactions.yaml"):
        append_records(folder, [_call()])
    assert (folder / "interactions.yaml").read_text(encoding="utf-8") == ending


def _saved(tmp_path: Path, fmt: str) -> Path:
    ws = load_workspace(_small(tmp_path))
    if fmt == "yaml":
        return tmp_path / "small"
    target = tmp_path / ("book.xlsx" if fmt == "xlsx" else "csv")
    save_workspace(ws, target, fmt)
    return target


def _bytes(path: Path) -> dict[str, bytes]:
    return snapshot(path) if path.is_dir() else {path.name: path.read_bytes()}


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_every_format_validates_first_and_writes_nothing_on_a_problem(
    tmp_path: Path, fmt: str
) -> None:
    path = _saved(tmp_path, fmt)
    before = _bytes(path)
    with pytest.raises(WorkspaceInvalid) as info:
        append_records(path, [_call(persons=["nobody"])])
    assert "nobody" in info.value.problems[0].format()
    with pytest.raises(StakegraphError, match="already exists"):
        append_records(path, [_call(id="v1")])
    assert _bytes(path) == before
    append_records(path, [_call()])
    again = load_workspace(path)
    assert again.interactions["c1"] == _call()
    assert len(again.interactions) == 2 and len(again.relationships) == 1


def test_csv_rows_are_appended_under_the_existing_header(tmp_path: Path) -> None:
    folder = _saved(tmp_path, "csv")
    before = (folder / "interactions.csv").read_bytes()
    (written,) = append_records(folder, [_call()])
    after = written.read_bytes()
    assert after.startswith(before)  # byte-order mark, header and rows untouched
    assert after[len(before) :].decode("utf-8") == (
        "c1,2026-11-27,call,liu,xu,dsj,true,,,'=1+1 不是公式；#N/A 也不是\r\n"
    )


def test_csv_keeps_the_users_encoding_line_endings_and_cells(tmp_path: Path) -> None:
    folder = _saved(tmp_path, "csv")
    # typed in Chinese Excel: GB18030, LF, a loose date, full-width list separators and
    # no information_shared column, no final newline
    typed = "id,date,kind,owners,persons,notes\nv1,2026/3/2,拜访,liu；,xu,谈了一期"
    (folder / "interactions.csv").write_bytes(typed.encode("gb18030"))
    append_records(folder, [_call()])
    raw = (folder / "interactions.csv").read_bytes()
    text = raw.decode("gb18030")
    lines = text.split("\n")
    assert "\r" not in text
    assert lines[0] == "id,date,kind,owners,persons,notes,orgs,information_shared"
    assert lines[1] == "v1,2026/3/2,拜访,liu；,xu,谈了一期"
    assert lines[2] == "c1,2026-11-27,call,liu,xu,'=1+1 不是公式；#N/A 也不是,dsj,true"
    ws = load_workspace(folder)
    assert ws.interactions["v1"].date == dt.date(2026, 3, 2)
    assert ws.interactions["c1"] == _call()


def test_xlsx_rows_go_under_the_last_row_and_stay_text_and_dates(tmp_path: Path) -> None:
    book_path = _saved(tmp_path, "xlsx")
    book = load_workbook(book_path)
    sheet = book["互动记录"]
    sheet.title = "log"  # openpyxl refuses a title differing only in case from the old one
    sheet.title = "Interactions"  # a renamed sheet is still the table
    book.save(book_path)
    book_path.chmod(0o600)
    append_records(book_path, [_call()])
    assert book_path.stat().st_mode & 0o777 == 0o600
    book = load_workbook(book_path)
    assert "interactions" not in book.sheetnames and "互动记录" not in book.sheetnames
    sheet = book["Interactions"]
    assert sheet.freeze_panes == "B2" and sheet.max_row == 3
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[3], strict=False)}
    assert row["id"].value == "c1"
    assert row["notes"].data_type == "s" and row["notes"].value.startswith("=1+1")
    assert row["date"].number_format == "yyyy-mm-dd"
    assert row["owners"].value == "liu"
    assert load_workspace(book_path).interactions["c1"] == _call()


def test_files_are_restored_when_the_result_does_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stakegraph.io import append

    folder = _small(tmp_path, interactions=None)
    before = snapshot(folder)
    monkeypatch.setattr(append, "_differs", lambda path, records: "interaction 'c1'")
    with pytest.raises(StakegraphError, match="restored"):
        append_records(
            folder,
            [_call(), Assessment(owner="liu", person="xu", date=dt.date(2026, 11, 27), support=4)],
        )
    assert snapshot(folder) == before


def test_appended_records_are_separated_by_a_blank_line(yaml_ws: Path) -> None:
    before = (yaml_ws / "interactions.yaml").read_text(encoding="utf-8")
    second = _visit().model_copy(update={"id": "2026-11-27-visit-2"})
    append_records(yaml_ws, [_visit(), second])
    tail = (yaml_ws / "interactions.yaml").read_text(encoding="utf-8")[len(before) :]
    assert tail.startswith("\n- id: 2026-11-27-visit\n")
    assert "\n\n- id: 2026-11-27-visit-2\n" in tail
    assert list(load_workspace(yaml_ws).interactions)[-2:] == [_visit().id, second.id]
