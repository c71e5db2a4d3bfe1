"""The workbook as account managers see it in Excel and WPS, and as it reads back."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.tabular import TABLES
from stakegraph.io.xlsx_layout import SHEETS_ZH, header_code
from stakegraph.records.workspace import Workspace
from tests.builders import DATA, HARBOR_COUNTY, SMART_CITY, run_cli, snapshot


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "smart-city.xlsx"
    save_workspace(load_workspace(SMART_CITY), path)
    return path


def _english(workspace: Workspace) -> Workspace:
    workspace.settings = workspace.settings.model_copy(update={"language": "en"})
    return workspace


def _validations(sheet) -> dict[str, object]:
    """First cell range of each validation -> the validation."""
    return {str(v.sqref).split()[0]: v for v in sheet.data_validations.dataValidation}


def test_sheets_are_chinese_with_help_first_and_lists_hidden(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames == ["说明", *(SHEETS_ZH[t] for t in TABLES), "列表"]
    assert wb["列表"].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in wb.sheetnames[:-1])
    help_rows = [tuple(c.value for c in row[:2]) for row in wb["说明"].iter_rows()]
    assert ("关系", help_rows[[r[0] for r in help_rows].index("关系")][1]) in help_rows
    about = dict(help_rows)["人员"]
    assert "客户方官员" in about and "Officials" in about


def test_headers_carry_label_code_and_explanation(book: Path) -> None:
    sheet = load_workbook(book)["人员"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["标识\nid", "姓名\nname"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref.startswith("A1:")
    comment = sheet["D1"].comment  # born
    assert header[3] == "出生年份\nborn"
    assert "出生年份" in comment.text and "year of birth" in comment.text
    assert all(
        header_code(TABLES["persons"], h) == c
        for h, c in zip(header, TABLES["persons"].columns, strict=True)
    )


def test_columns_are_sized_for_chinese_text(book: Path) -> None:
    sheet = load_workbook(book)["组织机构"]
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    name = sheet.column_dimensions[chr(ord("A") + header.index("name"))].width
    kind = sheet.column_dimensions[chr(ord("A") + header.index("kind"))].width
    # the longest name has 12 or more Chinese characters, two columns wide each
    assert name >= 24 and 8 <= kind <= 50


def test_every_enumeration_has_a_drop_down_of_labels(book: Path) -> None:
    wb = load_workbook(book)
    lists = wb["列表"]
    names = [c.value for c in lists[1]]
    stance = [c.value for c in lists[chr(ord("A") + names.index("Stance"))][1:] if c.value]
    assert stance[0] == "坚定支持者 champion" and len(stance) == 5
    roles = wb["决策角色"]
    header = [c.value.split("\n")[-1] for c in roles[1]]
    letter = chr(ord("A") + header.index("stance"))
    check = _validations(roles)[f"{letter}2:{letter}1048576"]
    assert check.type == "list" and check.formula1.startswith("'列表'!$")
    assert check.errorStyle == "warning"  # English codes and synonyms are read too
    # the written values are the labels of the list
    written = {r[header.index("stance")].value for r in roles.iter_rows(min_row=2)}
    assert written - {None} <= set(stance)  # a default stance is left empty
    for sheet, column in [("岗位", "grade"), ("我方人员", "tier"), ("关系", "level"),
                          ("商机", "stage"), ("组织机构", "kind"), ("非正式关系", "kind")]:  # fmt: skip
        header = [c.value.split("\n")[-1] for c in wb[sheet][1]]
        letter = chr(ord("A") + header.index(column))
        assert _validations(wb[sheet])[f"{letter}2:{letter}1048576"].type == "list", sheet


def test_scores_and_unit_fields_are_checked_as_numbers(book: Path) -> None:
    sheet = load_workbook(book)["关系"]
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    checks = _validations(sheet)
    for column, high in [("acceptance", "5"), ("preference", "5"), ("confidence", "1")]:
        letter = chr(ord("A") + header.index(column))
        check = checks[f"{letter}2:{letter}1048576"]
        assert (check.type, check.operator, check.formula1, check.formula2) == (
            "decimal",
            "between",
            "0",
            high,
        )
    scores = load_workbook(book)["调查得分"]
    assert _validations(scores)["C2:C1048576"].type == "whole"


def test_references_offer_the_ids_of_their_sheet_and_show_the_name(book: Path) -> None:
    wb = load_workbook(book)
    assert "ids_persons" in wb.defined_names
    assert "'人员'!$A$2" in wb.defined_names["ids_persons"].attr_text
    sheet = wb["关系"]
    header = [c.value for c in sheet[1]]
    person = header.index("人员\nperson")
    assert header[person + 1] == "人员（名称）"
    letter = chr(ord("A") + person)
    assert _validations(sheet)[f"{letter}2:{letter}1048576"].formula1 == "ids_persons"
    formula = sheet.cell(row=2, column=person + 2).value
    assert formula.startswith("=IF(") and "MATCH(" in formula and "'人员'!$B:$B" in formula


def test_dates_are_typed_dates(book: Path) -> None:
    sheet = load_workbook(book)["互动记录"]
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("date") + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("example", [SMART_CITY, HARBOR_COUNTY], ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_yaml_to_workbook_to_yaml_is_byte_identical(
    example: Path, language: str, tmp_path: Path
) -> None:
    workspace = load_workspace(example)
    save_workspace(workspace, tmp_path / "a")
    if language == "en":
        _english(workspace)
    save_workspace(workspace, tmp_path / "book.xlsx")
    again = load_workspace(tmp_path / "book.xlsx")
    assert again == load_workspace(example)
    save_workspace(again, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_an_english_workspace_gets_english_sheets_and_code_headers(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    save_workspace(_english(load_workspace(SMART_CITY)), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["help", *TABLES, "lists"]
    header = [c.value for c in wb["relationships"][1]]
    assert header[:3] == ["id", "owner", "owner (name)"]
    roles = wb["roles"]
    stances = {
        r[[c.value for c in roles[1]].index("stance")].value for r in roles.iter_rows(min_row=2)
    }
    assert "champion" in stances


def test_the_previous_layout_still_reads_losslessly(tmp_path: Path) -> None:
    # written by the previous version from the example, which then had no reforms sheet
    old = load_workspace(DATA / "xlsx" / "previous-layout.xlsx")
    now = load_workspace(SMART_CITY)  # its reforms have no sheet in that layout
    # the records the example's 2026 time line (分工调整, renamed division, acting head)
    # changed or added since; every other record must read back exactly
    later = {
        ("organisations", "jc-bdb-data"),
        ("organisations", "jc-bdb-datasec"),
        ("organisations", "jc-ggzy"),
        ("posts", "jc-exec-vice-mayor"),
        ("posts", "jc-vice-mayor"),
        ("posts", "jc-bdb-data-chief"),
        ("posts", "jc-bdb-data-staff"),
        ("posts", "jc-bdb-datasec-chief"),
        ("posts", "jc-bdb-datasec-staff"),
        ("posts", "jc-ggzy-director"),
        ("persons", "he-jing"),
        ("persons", "zhao-xiaochuan"),
        ("persons", "pan-guodong"),
        ("persons", "tian-tian"),
        ("opportunities", "gov-cloud"),  # now names a role whose holder is not known yet
    }
    for collection, records in now.records.items():
        if collection == "reforms":
            continue
        ids = {rid for rid in records if (collection, rid) not in later}
        assert ids == {r for r in old.records[collection] if (collection, r) not in later}
        for rid in ids:
            assert old.records[collection][rid] == records[rid], (collection, rid)
    assert {k for k in later if k[1] in old.records[k[0]]} == later - {
        ("organisations", "jc-bdb-datasec"),
        ("posts", "jc-bdb-datasec-chief"),
        ("posts", "jc-bdb-datasec-staff"),
    }
    wb = load_workbook(DATA / "xlsx" / "previous-layout.xlsx", read_only=True)
    assert "steps" in wb.sheetnames and "说明" not in wb.sheetnames


def test_sorting_the_chain_sheets_cannot_reorder_a_chain(book: Path, tmp_path: Path) -> None:
    path = tmp_path / "sorted.xlsx"
    wb = load_workbook(book)
    for name in ("决策链", "决策角色"):
        sheet = wb[name]
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
        random.Random(7).shuffle(rows)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                sheet.cell(row=number, column=column).value = value
    wb.save(path)
    assert load_workspace(path) == load_workspace(SMART_CITY)


def test_an_order_repeated_or_skipped_is_located(book: Path, tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    wb = load_workbook(book)
    steps = wb["决策链"]
    assert [c.value for c in steps[1]][2] == "序号\norder"
    steps["C3"] = steps["C2"].value  # the second step of the first chain repeats 1
    wb.save(path)
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(path)
    text = str(caught.value)
    assert "sheet 决策链, row 3, column C: opportunity 'smart-city' field 'order': " in text
    assert "step number 1 in its chain" in text
    assert "appears twice (first in row 2)" in text
    assert "number 2 is missing" in text


def test_headers_read_in_every_spelling(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "人员"
    sheet.append(["标识", "姓名 name", "出生年份\nborn", "人员（名称）"])
    sheet.append(["x", "某人", 1970, "=whatever()"])
    wb.save(tmp_path / "mixed.xlsx")
    person = load_workspace(tmp_path / "mixed.xlsx").persons["x"]
    assert (person.name, person.born) == ("某人", 1970)


def test_a_drop_down_word_typed_wrong_gets_a_suggestion(book: Path, tmp_path: Path) -> None:
    path = tmp_path / "typo.xlsx"
    wb = load_workbook(book)
    roles = wb["决策角色"]
    header = [c.value.split("\n")[-1] for c in roles[1]]
    roles.cell(row=2, column=header.index("stance") + 1).value = "坚定支持着"
    wb.save(path)
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(path)
    assert "did you mean '坚定支持者' (champion)?" in str(caught.value)


@pytest.mark.parametrize("args", [["starter.xlsx"], ["--xlsx", "starter.xlsx"]])
def test_init_writes_a_starter_workbook(args: list[str], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(["init", *args])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "starter.xlsx").is_file()
    assert load_workbook(tmp_path / "starter.xlsx").sheetnames[0] == "说明"
    assert load_workspace(tmp_path / "starter.xlsx").persons
    again = run_cli(["init", *args])
    assert again.exit_code != 0 and "already exists" in again.output


def test_init_in_english_says_so_in_its_settings(tmp_path: Path) -> None:
    result = run_cli(["init", "--xlsx", tmp_path / "en.xlsx", "--language", "en"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "en.xlsx")
    assert wb.sheetnames[:2] == ["help", "organisations"]
    settings = [c.value for c in wb["settings"]["A"]]
    assert 'language = "en"' in settings


def test_convert_to_xlsx_writes_the_new_layout(tmp_path: Path) -> None:
    result = run_cli(["convert", SMART_CITY, tmp_path / "out.xlsx"])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "out.xlsx").sheetnames[:2] == ["说明", "组织机构"]


def test_appending_keeps_the_chinese_sheets(book: Path, tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(book.read_bytes())
    result = run_cli(
        ["log", path, "--date", "2026年11月27日", "--kind", "call", "--owner", "chen-zhenhua"]
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(path)
    assert "interactions" not in wb.sheetnames
    sheet = wb["互动记录"]
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[header.index("date")] == dt.datetime(2026, 11, 27)
    assert str(wb["关系"]["C2"].value).startswith("=IF(")  # name formulas kept


def test_a_workbook_saved_by_calc_reads_back_with_its_names_computed() -> None:
    # tests/data/xlsx/chinese.xlsx: the Chinese layout opened and saved by LibreOffice Calc
    path = DATA / "xlsx" / "chinese.xlsx"
    assert load_workspace(path) == load_workspace(SMART_CITY)
    wb = load_workbook(path, data_only=True)
    assert [c.value for c in wb["关系"][2]][1:5] == [
        "chen-zhenhua",
        "陈振华",
        "lin-shuyuan",
        "林书远",
    ]
    assert wb["列表"].sheet_state == "hidden" and wb.sheetnames[0] == "说明"
    assert wb["关系"].data_validations.dataValidation
    assert "year of birth" in wb["人员"]["D1"].comment.text


@pytest.mark.parametrize(
    ("sheet", "column", "ids"),
    [
        ("岗位", "oversees", "ids_organisations"),
        ("组织机构", "guided_by", "ids_organisations"),
        ("互动记录", "owners", "ids_owners"),
        ("互动记录", "persons", "ids_persons"),
        ("互动记录", "orgs", "ids_organisations"),
    ],
)
def test_list_of_id_columns_offer_ids_and_let_several_be_typed(
    book: Path, sheet: str, column: str, ids: str
) -> None:
    wb = load_workbook(book)
    header = [c.value.split("\n")[-1] for c in wb[sheet][1]]
    letter = chr(ord("A") + header.index(column))
    check = _validations(wb[sheet])[f"{letter}2:{letter}1048576"]
    assert (check.type, check.formula1) == ("list", ids)
    # "a; b" must stay typeable: no error box, a prompt that says how
    assert check.showErrorMessage is False and check.showInputMessage is True
    assert "分号" in check.prompt


def test_cells_of_several_ids_read_back_with_their_drop_downs(book: Path) -> None:
    ws = load_workspace(book)
    several = [i for i in ws.interactions.values() if len(i.persons) > 1]
    assert several, "the example has interactions with several officials"
    assert ws.interactions == load_workspace(SMART_CITY).interactions
