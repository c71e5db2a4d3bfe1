"""Importing survey results (one row per respondent) into each workspace format."""

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from stakegraph.errors import Problem, StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.append import append_records
from stakegraph.io.survey_import import locate_problems, read_survey_results
from stakegraph.records.model import Person, Survey
from tests.builders import DAY, EXAMPLES, cli_runner, snapshot

EXAMPLE = EXAMPLES / "smart-city"
# he-jing belongs to the jc-bdb account; two of the items the example's surveys use
RESULTS = "日期,回答人,产品质量,服务态度,备注\n2026-11-27,he-jing,2,3,年度回访\n"


run = cli_runner(catch_exceptions=False)


def _results(tmp_path: Path, text: str = RESULTS, name: str = "results.csv", **kw) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(kw.get("encoding", "utf-8")))
    return path


def _bdb_q4(data: dict) -> dict:
    bdb = next(a for a in data["accounts"] if a["account"] == "jc-bdb")
    return bdb["periods"][-1]


# --- YAML, CSV and workbook workspaces ---------------------------------------------------


def test_yaml_keeps_the_old_bytes_and_the_summary_counts_the_new_survey(
    yaml_ws: Path, tmp_path: Path
) -> None:
    before = (yaml_ws / "surveys.yaml").read_bytes()
    q4_before = _bdb_q4(json.loads(run("surveys", yaml_ws, "--as-of", DAY, "--json").output))
    assert q4_before["items"]["产品质量"] == 4.0 and q4_before["overall"] == 4.2

    result = run("surveys", yaml_ws, "--import", _results(tmp_path), "--as-of", DAY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["imported"] == ["2026-11-27-he-jing"]
    assert data["files"] == [str(yaml_ws / "surveys.yaml")]

    after = (yaml_ws / "surveys.yaml").read_bytes()
    assert after.startswith(before)
    # written as people type it: the scores as an indented block, notes last
    assert after[len(before) :].decode("utf-8") == (
        "\n- id: 2026-11-27-he-jing\n"
        "  date: 2026-11-27\n"
        "  person: he-jing\n"
        "  scores:\n"
        "    产品质量: 2\n"
        "    服务态度: 3\n"
        "  notes: 年度回访\n"
    )
    survey = load_workspace(yaml_ws).surveys["2026-11-27-he-jing"]
    assert survey.scores == {"产品质量": 2, "服务态度": 3} and survey.notes == "年度回访"

    # 2026-Q4 held only 2026-11-bdb (产品质量 4, 服务态度 5, overall 4.2); with the new
    # answers: 产品质量 (4+2)/2 = 3, 服务态度 (5+3)/2 = 4, both ±0 on Q3's 3 and 4;
    # overall mean(4.2, 2.5) = 3.35, up 0.35 on Q3's 3.0; two respondents
    q4 = _bdb_q4(data["surveys"])
    assert q4["surveys"] == ["2026-11-bdb", "2026-11-27-he-jing"]
    assert q4["items"]["产品质量"] == 3.0 and q4["change"]["产品质量"] == 0.0
    assert q4["items"]["服务态度"] == 4.0 and q4["change"]["服务态度"] == 0.0
    assert q4["items"]["交付及时性"] == 4.0
    assert q4["overall"] == 3.35 and q4["overall_change"] == 0.35
    assert q4["respondents"] == 2
    # the summary keeps the shape plain `surveys --json` prints
    assert set(data["surveys"]) == {
        "day",
        "period",
        "account",
        "items",
        "accounts",
        "complaints",
        "improvements",
        "overdue",
    }


def test_the_table_summary_follows_the_import_line(yaml_ws: Path, tmp_path: Path) -> None:
    results = _results(tmp_path)
    result = run("surveys", yaml_ws, "--import", results, "--as-of", DAY)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == f"已从 {results} 导入 1 份满意度调查到 {yaml_ws / 'surveys.yaml'}。"
    # latest 3.35, up on Q3's 3.0; 产品质量 now 3.00 in Q4, level with Q3 (was 4.00 ▲1.00)
    assert "3.35 ▲0.35" in result.output
    (row,) = [line for line in result.output.splitlines() if line.startswith("│ 产品质量")]
    assert row.split("│")[-2].strip() == "3.00 (±0)"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_csv_folder_and_workbook_get_rows_in_both_tables(tmp_path: Path, fmt: str) -> None:
    ws = load_workspace(EXAMPLE)
    target = tmp_path / ("book.xlsx" if fmt == "xlsx" else "csv")
    save_workspace(ws, target, fmt)
    before = snapshot(target)
    result = run("surveys", target, "--import", _results(tmp_path), "--as-of", DAY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    again = load_workspace(target)
    assert again.surveys["2026-11-27-he-jing"] == Survey(
        id="2026-11-27-he-jing",
        date=dt.date(2026, 11, 27),
        person="he-jing",
        scores={"产品质量": 2, "服务态度": 3},
        notes="年度回访",
    )
    assert len(again.surveys) == len(ws.surveys) + 1 and again.persons == ws.persons
    assert _bdb_q4(data["surveys"])["overall"] == 3.35
    if fmt == "csv":
        assert data["files"] == [str(target / "surveys.csv"), str(target / "survey_scores.csv")]
        for name in ("surveys.csv", "survey_scores.csv"):
            assert (target / name).read_bytes().startswith(before[name])
        tail = (target / "survey_scores.csv").read_bytes()[len(before["survey_scores.csv"]) :]
        assert (
            tail.decode("utf-8")
            == "2026-11-27-he-jing,产品质量,2\r\n2026-11-27-he-jing,服务态度,3\r\n"
        )
        assert {k: v for k, v in snapshot(target).items() if not k.startswith("survey")} == {
            k: v for k, v in before.items() if not k.startswith("survey")
        }
    else:
        assert data["files"] == [str(target)]
        book = load_workbook(target)
        scores = book["调查得分"]
        assert scores.freeze_panes == "B2"
        assert [c.value for c in scores[scores.max_row]] == ["2026-11-27-he-jing", "服务态度", 3]
        assert book["满意度调查"][book["满意度调查"].max_row][1].number_format == "yyyy-mm-dd"


def test_a_csv_workspace_keeps_its_gb18030_and_line_endings(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    save_workspace(load_workspace(EXAMPLE), folder, "csv")
    typed = (folder / "survey_scores.csv").read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    (folder / "survey_scores.csv").write_bytes(typed.encode("gb18030"))
    assert run("surveys", folder, "--import", _results(tmp_path)).exit_code == 0
    raw = (folder / "survey_scores.csv").read_bytes()
    assert raw.startswith(typed.encode("gb18030")) and b"\r" not in raw
    assert raw.decode("gb18030").endswith("2026-11-27-he-jing,服务态度,3\n")


def test_a_missing_surveys_file_is_created_with_a_header(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "organisations.yaml").write_text("- {id: dsj, name: 市大数据局}\n", encoding="utf-8")
    (folder / "persons.yaml").write_text("- {id: xu, name: 许志恒}\n", encoding="utf-8")
    results = _results(tmp_path, "date,org,服务态度\n2026-03-02,dsj,4\n")
    assert run("surveys", folder, "--import", results).exit_code == 0
    text = (folder / "surveys.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 满意度调查 surveys")
    assert "\n- id: 2026-03-02-dsj\n  date: 2026-03-02\n  org: dsj\n" in text
    assert load_workspace(folder).surveys["2026-03-02-dsj"].scores == {"服务态度": 4}


def test_append_records_still_refuses_persons(yaml_ws: Path) -> None:
    with pytest.raises(StakegraphError, match="cannot be appended"):
        append_records(yaml_ws, [Person(id="new-person", name="新人")])


# --- the results file ------------------------------------------------------------------


def test_a_gb18030_file_and_a_bom_file(yaml_ws: Path, tmp_path: Path) -> None:
    text = "回答单位,日期,交付及时性,备注\njc-bdb,2026/11/20,5,中文备注\n"
    gbk = _results(tmp_path, text, "gbk.csv", encoding="gb18030")
    assert run("surveys", yaml_ws, "--import", gbk).exit_code == 0
    bom = _results(tmp_path, text.replace("11/20", "11/21"), "bom.csv", encoding="utf-8-sig")
    assert run("surveys", yaml_ws, "--import", bom).exit_code == 0
    ws = load_workspace(yaml_ws)
    assert ws.surveys["2026-11-20-jc-bdb"].notes == "中文备注"
    assert ws.surveys["2026-11-21-jc-bdb"].scores == {"交付及时性": 5}


def test_a_workbook_with_excel_dates_and_decimal_scores(yaml_ws: Path, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请在“满意度调查”页填写"])  # a cover sheet comes first
    sheet = book.create_sheet("满意度调查")
    sheet.append(["日期", "回答人", "回答单位", "产品质量", "服务态度", "响应速度", "备注"])
    sheet.append([dt.datetime(2026, 11, 27), "he-jing", None, 4.0, None, 5, 2024])
    sheet.append([dt.datetime(2026, 11, 27, 10, 21, 33), None, "jc-bdb", 3.0, 4.0, None, None])
    path = tmp_path / "results.xlsx"
    book.save(path)
    result = run("surveys", yaml_ws, "--import", path, "--json", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["imported"] == ["2026-11-27-he-jing", "2026-11-27-jc-bdb"]
    ws = load_workspace(yaml_ws)
    first = ws.surveys["2026-11-27-he-jing"]
    # 4.0 is a whole score; the empty 服务态度 cell was not asked; a number note is text
    assert first.scores == {"产品质量": 4, "响应速度": 5} and first.notes == "2024"
    second = ws.surveys["2026-11-27-jc-bdb"]
    assert second.date == dt.date(2026, 11, 27) and second.scores == {"产品质量": 3, "服务态度": 4}


def test_the_first_sheet_is_read_when_none_is_named(yaml_ws: Path, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["date", "person", "技术能力"])
    book.active.append(["2026-11-27", "he-jing", "5"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    assert run("surveys", yaml_ws, "--import", path).exit_code == 0
    assert load_workspace(yaml_ws).surveys["2026-11-27-he-jing"].scores == {"技术能力": 5}


def test_made_ids_are_unique_against_the_workspace_and_the_file(
    yaml_ws: Path, tmp_path: Path
) -> None:
    results = _results(tmp_path, "date,person,产品质量\n2026-11-27,he-jing,4\n")
    assert run("surveys", yaml_ws, "--import", results).exit_code == 0
    # the same respondent twice that day, and a row giving the id the second would get
    results = _results(
        tmp_path,
        "date,person,产品质量,id\n"
        "2026-11-27,he-jing,3,\n"
        "2026-11-27,he-jing,5,\n"
        "2026-11-27,he-jing,2,2026-11-27-he-jing-2\n",
    )
    result = run("surveys", yaml_ws, "--import", results, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["imported"] == [
        "2026-11-27-he-jing-3",
        "2026-11-27-he-jing-4",
        "2026-11-27-he-jing-2",
    ]
    made = {k: v.scores["产品质量"] for k, v in load_workspace(yaml_ws).surveys.items()}
    assert {k: v for k, v in made.items() if k.startswith("2026-11-27-he-jing")} == {
        "2026-11-27-he-jing": 4,
        "2026-11-27-he-jing-2": 2,
        "2026-11-27-he-jing-3": 3,
        "2026-11-27-he-jing-4": 5,
    }


# --- problems: located, and nothing written --------------------------------------------

HEAD = "id,date,person,org,产品质量,服务态度\n"


@pytest.mark.parametrize(
    ("rows", "where", "what"),
    [
        (",2026-11-27,nobody,,4,4\n", "row 2, column C", "person 'nobody', which does not exist"),
        (",2026-11-27,,nobody,4,4\n", "row 2, column D", "organisation 'nobody'"),
        (",2026-11-27,he-jing,,4,7\n", "row 2, column F", "score 7 is out of range 1–5"),
        (",2026-11-27,he-jing,,3.5,\n", "row 2, column E", "3.5 is not a whole number"),
        (",2026-11-27,he-jing,,好,\n", "row 2, column E", "'好' is not a score"),
        (",,he-jing,,4,4\n", "row 2, column B", "the date is missing"),
        (",2026-02-30,he-jing,,4,4\n", "row 2, column B", "'2026-02-30' is not a date"),
        (",2026-11-27,,,4,4\n", "row 2, column C", "names no respondent"),
        (",2026-11-27,he-jing,,,\n", "row 2, column E", "this row has no scores"),
        ("2026-h1-bdb,2026-11-27,he-jing,,4,\n", "row 2, column A", "already in the workspace"),
        ("x,2026-11-27,he-jing,,4,\nx,2026-11-28,he-jing,,4,\n", "row 3, column A", "row 2"),
        ("bad id,2026-11-27,he-jing,,4,\n", "row 2, column A", "must not contain spaces"),
        (",2026-11-27,he-jing,,4,4,5\n", "row 1, column G", "no item name in row 1"),
    ],
)
def test_each_bad_cell_is_located_and_nothing_is_written(
    yaml_ws: Path, tmp_path: Path, rows: str, where: str, what: str
) -> None:
    results = _results(tmp_path, HEAD + rows)
    before = snapshot(yaml_ws)
    result = run("surveys", yaml_ws, "--import", results)
    assert result.exit_code == 1
    assert "nothing was written" in result.output and "Fix:" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("results.csv, ")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"results.csv, {where}") and what in lines[0], lines[0]
    assert snapshot(yaml_ws) == before


def test_every_problem_is_reported_at_once_in_reading_order(yaml_ws: Path, tmp_path: Path) -> None:
    results = _results(
        tmp_path,
        HEAD + ",2026-11-27,nobody,,4,4\n,,he-jing,,9,\n2026-h1-bdb,2026-11-27,he-jing,,4,\n",
    )
    before = snapshot(yaml_ws)
    result = run("surveys", yaml_ws, "--import", results, "--json")
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert [(p["file"], p["row"], p["column"]) for p in problems] == [
        ("results.csv", 2, "C"),
        ("results.csv", 3, "B"),
        ("results.csv", 3, "E"),
        ("results.csv", 4, "A"),
    ]
    assert snapshot(yaml_ws) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_tabular_workspace_is_left_alone_on_a_problem(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / ("book.xlsx" if fmt == "xlsx" else "csv")
    save_workspace(load_workspace(EXAMPLE), target, fmt)
    before = snapshot(target)
    results = _results(tmp_path, HEAD + ",2026-11-27,he-jing,,4,4\n,2026-11-27,nobody,,4,6\n")
    result = run("surveys", target, "--import", results)
    assert result.exit_code == 1
    assert "results.csv, row 3, column C" in result.output
    assert "results.csv, row 3, column F" in result.output
    assert snapshot(target) == before


def test_problems_found_later_are_pointed_at_their_cell(yaml_ws: Path, tmp_path: Path) -> None:
    # what validating the combined workspace reports carries no location of its own
    results = _results(tmp_path, "date,person,a.b,c\n2026-11-27,he-jing,4,5\n")
    found = read_survey_results(results, load_workspace(yaml_ws))
    late = WorkspaceInvalid(
        [
            Problem("odd score.", None, "survey", "2026-11-27-he-jing", "scores.a.b"),
            Problem("odd respondent.", None, "survey", "2026-11-27-he-jing", "person"),
            Problem("elsewhere.", None, "interaction", "2026-11-27-he-jing", "person"),
        ]
    )
    located = [str(p.location) for p in locate_problems(late, found.rows).problems]
    assert located == ["results.csv, row 2, column C", "results.csv, row 2, column B", "None"]


def test_a_workbook_problem_names_its_sheet(yaml_ws: Path, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "surveys"
    book.active.append(["date", "person", "产品质量"])
    book.active.append([dt.datetime(2026, 11, 27), "he-jing", 6])
    path = tmp_path / "r.xlsx"
    book.save(path)
    result = run("surveys", yaml_ws, "--import", path)
    assert result.exit_code == 1
    assert "r.xlsx, sheet surveys, row 2, column C" in result.output and "score 6" in result.output


def test_a_header_without_date_or_respondent_is_explained(yaml_ws: Path, tmp_path: Path) -> None:
    results = _results(tmp_path, "回答时间,产品质量\n2026-11-27,4\n")
    result = run("surveys", yaml_ws, "--import", results)
    assert result.exit_code == 1
    assert "results.csv, row 1: there is no 'date' (日期) column." in result.output
    assert "there is no 'person' (回答人) or 'org' (回答单位) column." in result.output


def test_wrong_files_and_sources_are_one_clear_line(yaml_ws: Path, tmp_path: Path) -> None:
    text = tmp_path / "results.txt"
    text.write_text(RESULTS, encoding="utf-8")
    out = run("surveys", yaml_ws, "--import", text)
    assert out.exit_code == 1 and ".csv file or an .xlsx workbook" in out.output
    empty = _results(tmp_path, "date,person,产品质量\n", "empty.csv")
    out = run("surveys", yaml_ws, "--import", empty)
    assert out.exit_code == 1 and "no survey rows" in out.output
    # an import into Neo4j is a team write: a server that does not answer is one line
    nowhere = "bolt://127.0.0.1:9"
    out = run("surveys", "--neo4j", "--uri", nowhere, "--import", _results(tmp_path))
    assert out.exit_code == 1 and out.output.startswith("error: cannot reach Neo4j at")
    assert len(out.output.splitlines()) == 1


def test_help_shows_the_layout_and_an_example() -> None:
    out = run("surveys", "--help").output
    assert "--import" in out and "回答人" in out
    assert "stakegraph surveys my-city --import examples/imports/survey-results.csv" in out
