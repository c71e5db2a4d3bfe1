"""Workbooks saved by a spreadsheet application: read as it left them, written back intact.

The fixtures in tests/data/xlsx were saved by LibreOffice Calc (see the README
there), which stores every yes/no cell as a ``=TRUE()`` formula with its value.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from tests.builders import cli_runner

DATA = Path(__file__).resolve().parents[1] / "data" / "xlsx"
MINI = Path(__file__).resolve().parents[1] / "data" / "mini"
GAPS = ("gaps", "--opportunity", "smart-city", "--as-of", "2026-11-30", "--json")


run = cli_runner(catch_exceptions=False)


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(DATA / name, target)
    return target


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, data_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _trues(cells: dict[str, list[tuple[Any, ...]]]) -> int:
    return sum(v is True for rows in cells.values() for row in rows for v in row)


def _results(tmp_path: Path) -> Path:
    path = tmp_path / "results.csv"
    path.write_text("日期,回答人,产品质量,服务态度,备注\n2026-11-27,he-jing,2,3,年度回访\n")
    return path


def _visits(tmp_path: Path) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text(
        "id,date,kind,owners,persons,information_shared,notes\n"
        "v1,2026-11-25,visit,liu-kai,xu-zhiheng,true,汇报\n"
    )
    return path


#: Every command that writes into a workspace, and the record it changes in place.
COMMANDS = {
    "log": (
        lambda tmp: (
            "log", "--date", "2026-11-27", "--kind", "visit", "--owner", "liu-kai",
            "--person", "xu-zhiheng", "--information-shared", "--notes", "汇报",
        ),
        None,
    ),
    "log --import": (lambda tmp: ("log", "--import", _visits(tmp)), None),
    "assess": (
        lambda tmp: (
            "assess", "--owner", "li-an", "--person", "pan-guodong", "--date", "2026-11-28",
            "--accept-suggested", "--support", "3",
        ),
        None,
    ),
    "plan --save": (
        lambda tmp: ("plan", "-o", "smart-city", "--as-of", "2026-11-28", "--save", "-q"),
        None,
    ),
    "act": (
        lambda tmp: (
            "act", "--owner", "qin-lang", "--org", "jc-fin", "--action", "预算系统扩容",
            "--due", "2026-12-15", "--complaint", "2026-11-24-fin-complaint",
        ),
        None,
    ),
    "act --done": (
        lambda tmp: ("act", "--done", "plan-smart-city-du-mingchuan", "--date", "2026-11-28"),
        ("actions", "plan-smart-city-du-mingchuan"),
    ),
    "surveys --import": (
        lambda tmp: ("surveys", "--import", _results(tmp), "--as-of", "2026-11-28"),
        None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_writer_leaves_a_calc_workbook_as_it_was(command: str, tmp_path: Path) -> None:
    args, changed = COMMANDS[command]
    book = _copy(tmp_path, "smart-city.xlsx")
    # the same workspace as stakegraph writes it (the book was saved from an earlier
    # version of the example, so its own records, not today's example)
    ours = tmp_path / "ours.xlsx"
    save_workspace(load_workspace(book), ours)
    before_cells = _cells(book)
    before = load_workspace(book)
    assert _trues(before_cells) > 50  # Calc's =TRUE() cells, read through their values

    argv = args(tmp_path)
    result = run(argv[0], book, *argv[1:])
    assert result.exit_code == 0, result.output
    assert run(argv[0], ours, *argv[1:]).exit_code == 0

    # every cell that was there reads back the same, but the row of a changed record
    after_cells = _cells(book)
    skip = set()
    if changed:
        skip.add((changed[0], before.locations[changed].location.row))
    for title, rows in before_cells.items():
        for number, row in enumerate(rows, start=1):
            if (title, number) not in skip:
                assert after_cells[title][number - 1][: len(row)] == row, (title, number)
    assert _trues(after_cells) >= _trues(before_cells)
    # and every record, so every analysis, is as in a workbook stakegraph wrote
    after = load_workspace(book)
    for collection, records in before.records.items():
        for rid, record in records.items():
            if (collection, rid) != changed:
                assert after.records[collection][rid] == record, (collection, rid)
    assert run(*GAPS, book).output == run(*GAPS, ours).output


def test_a_formula_typed_in_a_score_keeps_its_value(tmp_path: Path) -> None:
    book = _copy(tmp_path, "score-formula.xlsx")
    survey = load_workbook(book)["survey_scores"]
    survey_id, item = survey["A2"].value, survey["B2"].value
    assert load_workspace(book).surveys[survey_id].scores[item] == 4
    result = run("log", book, "--date", "2026-11-27", "--kind", "call", "--owner", "liu-kai")
    assert result.exit_code == 0, result.output
    # the formula is written back as the value Calc saved with it
    assert load_workbook(book)["survey_scores"]["C2"].value == 4
    assert load_workspace(book).surveys[survey_id].scores[item] == 4


def test_a_formula_saved_without_its_value_is_a_located_problem(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(DATA / "uncached.xlsx")
    text = "\n".join(p.format() for p in caught.value.problems)
    assert "uncached.xlsx, sheet persons, row 3, column B: the formula" in text
    result = run("check", DATA / "uncached.xlsx")
    assert result.exit_code == 1 and "without its value" in result.output


def test_merged_cells_are_a_located_problem() -> None:
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(DATA / "merged.xlsx")
    (problem,) = caught.value.problems
    assert problem.format().startswith("merged.xlsx, sheet organisations, row 2, column C:")
    assert "C2:C3 are merged" in problem.message


def test_an_id_shown_with_leading_zeros_reads_as_shown() -> None:
    ws = load_workspace(DATA / "typed.xlsx")
    assert "0571" in ws.organisations


def test_a_day_in_a_text_field_reads_as_the_day() -> None:
    ws = load_workspace(DATA / "typed.xlsx")
    assert ws.organisations["0571"].name == "2026-11-20"


def test_text_that_looks_like_an_escape_reads_as_typed(tmp_path: Path) -> None:
    ws = load_workspace(DATA / "typed.xlsx")
    assert ws.organisations["0571"].notes == "plain _x0041_ text"
    book = _copy(tmp_path, "typed.xlsx")
    assert (
        run("log", book, "--date", "2026-11-27", "--kind", "call", "--owner", "ceo").exit_code == 0
    )
    assert load_workspace(book).organisations["0571"].notes == "plain _x0041_ text"


def test_text_columns_are_formatted_as_text_so_typed_ids_stay_text(tmp_path: Path) -> None:
    # "1-2" or "0571" typed later into these columns stays text in Excel, WPS and Calc
    save_workspace(load_workspace(MINI), tmp_path / "book.xlsx")
    sheet = load_workbook(tmp_path / "book.xlsx")["组织机构"]
    header = [c.value.split("\n")[-1] for c in sheet[1]]
    for column in ("id", "name", "notes", "guided_by"):
        letter = chr(ord("A") + header.index(column))
        assert sheet.column_dimensions[letter].number_format == "@", column


def test_crlf_in_a_note_is_kept(tmp_path: Path) -> None:
    # as Excel stores a Windows line break
    assert load_workspace(DATA / "crlf.xlsx").organisations["city"].notes == "第一行\r\n第二行"
    # and through stakegraph's own writers
    ws = load_workspace(MINI)
    ws.organisations["city"].notes = "第一行\r\n第二行"
    save_workspace(ws, tmp_path / "book.xlsx")
    assert load_workspace(tmp_path / "book.xlsx").organisations["city"].notes == "第一行\r\n第二行"
    note = "甲\r\n乙"
    result = run(
        "log", tmp_path / "book.xlsx", "--date", "2026-11-27", "--kind", "call",
        "--owner", "ceo", "--id", "call-1", "--notes", note,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert load_workspace(tmp_path / "book.xlsx").interactions["call-1"].notes == note


def test_an_over_long_cell_is_a_located_problem(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(DATA / "long.xlsx")
    (problem,) = caught.value.problems
    assert problem.format().startswith("long.xlsx, sheet organisations, row 2, column J:")
    assert "40,000 characters" in problem.message


def test_over_long_text_is_not_written_cut(tmp_path: Path) -> None:
    ws = load_workspace(MINI)
    ws.organisations["city"].notes = "长" * 40000
    with pytest.raises(StakegraphError, match="new.xlsx: sheet 组织机构, row 2, column M"):
        save_workspace(ws, tmp_path / "new.xlsx")
    book = tmp_path / "book.xlsx"
    save_workspace(load_workspace(MINI), book)
    before = book.read_bytes()
    result = run(
        "log", book, "--date", "2026-11-27", "--kind", "call", "--owner", "ceo",
        "--notes", "长" * 40000,
    )  # fmt: skip
    assert result.exit_code == 1 and "32,767" in result.output
    assert book.read_bytes() == before


def test_a_damaged_sheet_is_an_error_naming_it() -> None:
    result = run("check", DATA / "broken.xlsx")
    assert result.exit_code == 1
    assert "sheet 'persons' is damaged" in result.output
    assert "Traceback" not in result.output
