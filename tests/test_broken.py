"""The corpus of broken workspaces: every kind of problem is found, located and explained.

Each folder in tests/broken holds one small workspace with one kind of problem
(a YAML folder, a CSV folder or a book.xlsx) and ``expected.txt``: the exact
lines ``stakegraph check`` prints on stderr after its "N problems found" line.
A folder with ``warnings.txt`` instead holds a workspace with warnings only: it
loads, and ``check`` prints those lines after its "N warnings:" line.
Besides the exact lines, the tests below read each file at the reported line,
row and column to make sure the location names the offending field.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.errors import Location
from tests.builders import run_cli

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p for p in BROKEN.iterdir() if (p / "expected.txt").is_file())
WARNING_CASES = sorted(p for p in BROKEN.iterdir() if (p / "warnings.txt").is_file())
BOOK = "book.xlsx"
#: The cases whose stakegraph.toml is invalid: a ConfigError, not a list of problems.
CONFIG_CASES = {
    "32-bad-toml",
    "50-weak-above-strong-threshold",
    "51-middle-grade-above-senior",
    "52-tier-grades-out-of-order",
    "53-negative-tier-grade",
    "86-ties-strength-unknown-mode",
    "87-ties-directed-kind-unknown",
    "88-formal-line-strength-above-one",
    "89-indegree-ratio-not-above-one",
}
#: Cases whose problem is the shape of a file, not one record in it.
FILE_LEVEL = {
    "28-yaml-syntax",
    "29-yaml-wrong-shape",
    "30-unknown-section",
    "31-unknown-sheet",
    "42-yaml-alias-bomb",
    "43-yaml-too-deep",
    "44-csv-unclosed-quote",
    "45-csv-western-encoding",
    "100-yaml-error-holds-back-references",
}
PROBLEM_CASES = [c for c in CASES if c.name not in CONFIG_CASES]
HEADER = re.compile(r"^(\d+) problems? found; nothing was written\.$")


def _format(case: Path) -> str:
    if (case / BOOK).is_file():
        return "xlsx"
    if any(case.glob("*.csv")):
        return "csv"
    return "yaml"


def _expected(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def run(monkeypatch):
    """Run the command line inside a case folder, so locations are bare file names."""

    def invoke(case: Path, command: str, *args: str):
        monkeypatch.chdir(case)
        target = BOOK if _format(case) == "xlsx" else "."
        return run_cli([command, target, *args], catch_exceptions=False)

    return invoke


def _problems(run, case: Path) -> list[dict]:
    result = run(case, "check", "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is False
    return data["problems"]


def test_the_corpus_covers_every_format() -> None:
    formats = [_format(c) for c in CASES]
    assert len(CASES) >= 24
    assert formats.count("csv") >= 4 and formats.count("xlsx") >= 4
    names = [c.name for c in CASES + WARNING_CASES]
    assert len({n.split("-")[0] for n in names}) == len(names), "two cases share a number"
    assert WARNING_CASES, "no warnings-only case"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_prints_exactly_the_expected_problems(run, case: Path) -> None:
    result = run(case, "check")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    expected = _expected(case)
    assert expected, "expected.txt is empty"
    if case.name in CONFIG_CASES:
        assert lines == expected
        return
    head = HEADER.match(lines[0])
    assert head, lines[0]
    assert int(head.group(1)) == len(expected) == len(lines) - 1
    for line in expected:
        assert line in lines[1:]
    assert lines[1:] == expected  # in the order they are found


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=lambda c: c.name)
def test_check_json_lists_the_located_problems(run, case: Path) -> None:
    problems = _problems(run, case)
    expected = _expected(case)
    assert len(problems) == len(expected)
    for problem, line in zip(problems, expected, strict=True):
        location = Location(
            problem["file"], problem["line"], problem["sheet"], problem["row"], problem["column"]
        )
        assert line.startswith(f"{location}: ")
        assert problem["line"] or problem["sheet"], "a problem without a line or a sheet"
        if problem["field"]:
            assert f"field '{problem['field']}'" in line
        if problem["record_id"]:
            assert f"{problem['record_type']} '{problem['record_id']}'" in line


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=lambda c: c.name)
def test_messages_name_the_record_the_field_and_a_fix(run, case: Path) -> None:
    for problem in _problems(run, case):
        assert problem["message"].endswith("."), problem
        assert problem["hint"] and problem["hint"].endswith("."), problem
        if case.name in FILE_LEVEL:
            continue
        assert problem["record_type"] and problem["record_id"], problem
        if problem["record_type"] != "survey":  # a missing respondent is the whole record
            assert problem["field"], problem


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=lambda c: c.name)
def test_locations_point_at_the_offending_field(run, case: Path) -> None:
    for problem in _problems(run, case):
        path = case / problem["file"]
        assert path.is_file(), problem
        if problem["line"] is not None:
            _check_yaml_line(path, problem)
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                _check_table_cell(list(csv.reader(handle)), problem)
        else:
            book = load_workbook(path, read_only=True)
            assert problem["sheet"] in book.sheetnames, problem
            rows = [list(r) for r in book[problem["sheet"]].iter_rows(values_only=True)]
            book.close()
            _check_table_cell(rows, problem)


def _last_key(field: str) -> str:
    """'chain[0].roles[0].post' -> 'post'; 'tenures[0]' -> '[0]' (a list item)."""
    last = field.rsplit(".", 1)[-1]
    return "[0]" if last.endswith("]") else last


def _check_yaml_line(path: Path, problem: dict) -> None:
    # errors="replace": a file refused for its encoding is still located by line
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    assert 1 <= problem["line"] <= len(lines), problem
    text = lines[problem["line"] - 1].strip()
    assert text and not text.startswith("#"), f"line {problem['line']} is blank or a comment"
    if problem["field"]:
        key = _last_key(problem["field"])
        if key == "[0]":
            assert text.startswith("- "), (text, problem)
        else:
            assert re.match(rf"^(- )?{re.escape(key)}:", text), (text, problem)
    elif "section" in problem["message"]:
        assert text.endswith(":") and text[:-1] in problem["message"], (text, problem)


#: A field whose cell sits in a key column of a child table.
_KEY_COLUMNS = {
    "id": {"id", "step"},
    # the id in a row of dated structure (post_lines, organisation_lines) is its 'value'
    "org": {"org", "value"},
    "post": {"post", "value"},
}


def _check_table_cell(rows: list[list], problem: dict) -> None:
    if problem["row"] is None:  # a whole sheet, such as an unknown one
        assert any(any(v not in (None, "") for v in row) for row in rows), problem
        return
    assert 2 <= problem["row"] <= len(rows), problem
    row = rows[problem["row"] - 1]
    assert any(v not in (None, "") for v in row), f"row {problem['row']} is empty"
    if problem["column"] is not None:
        index = ord(problem["column"]) - ord("A")
        header = str(rows[0][index]).split("\n")[-1]  # "序号\norder": label, then code
        assert row[index] not in (None, ""), f"cell {problem['column']} is empty"
        key = _last_key(problem["field"])
        # an item of a list of ids sits in its list's cell ("successors[0]": successors)
        listed = re.sub(r"\[\d+\]$", "", problem["field"].rsplit(".", 1)[-1])
        assert header in _KEY_COLUMNS.get(key, {key}) | {listed}, (header, problem)
    rid = problem["record_id"]
    if rid and "~" not in rid:  # a derived id (owner~person) is not in any cell
        assert rid in row, (row, problem)


@pytest.mark.parametrize("case", WARNING_CASES, ids=lambda c: c.name)
def test_warnings_alone_pass_check_and_fail_it_when_strict(run, case: Path) -> None:
    expected = (case / "warnings.txt").read_text(encoding="utf-8").splitlines()
    result = run(case, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: ")
    n = len(expected)
    assert result.stderr.splitlines() == [f"{n} warning{'s' if n != 1 else ''}:", *expected]
    strict = run(case, "check", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[1:] == expected
    data = json.loads(run(case, "check", "--json").stdout)
    assert data["ok"] is True and data["problems"] == []
    assert [w["severity"] for w in data["warnings"]] == ["warning"] * n
    for warning, line in zip(data["warnings"], expected, strict=True):
        assert line.startswith(f"{warning['file']}:{warning['line']}: ")
        assert warning["hint"].endswith(".") and warning["field"]
        _check_yaml_line(case / warning["file"], warning)


@pytest.mark.parametrize("case", WARNING_CASES, ids=lambda c: c.name)
def test_convert_writes_a_workspace_with_warnings(run, case: Path, tmp_path: Path) -> None:
    result = run(case, "convert", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "persons.yaml").is_file()


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_a_bad_setting_is_located_by_line(run, name: str) -> None:
    case = BROKEN / name
    result = run(case, "check", "--json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _expected(case)
    where = re.match(r"^error: stakegraph\.toml:(\d+): setting '([^']+)'", result.stderr)
    assert where, result.stderr
    line = (case / "stakegraph.toml").read_text(encoding="utf-8").splitlines()[int(where[1]) - 1]
    key = where[2].rsplit(".", 1)[-1]
    assert line.startswith(f"{key} ="), (line, key)


@pytest.mark.parametrize("to", ["out", "out.xlsx", "out-csv"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_convert_writes_nothing(run, case: Path, tmp_path: Path, to: str) -> None:
    dest = tmp_path / to
    args = ["--to", "csv"] if to == "out-csv" else []
    result = run(case, "convert", str(dest), *args)
    assert result.exit_code == 1
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary files left behind
    if case.name not in CONFIG_CASES:
        assert "nothing was written" in result.stderr
        assert result.stderr.splitlines()[1:] == _expected(case)


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_xlsx", BROKEN / "make_xlsx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    try:
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}
    finally:
        book.close()


def test_committed_workbooks_match_their_generator(tmp_path: Path) -> None:
    generator = _load_generator()
    written = generator.write_books(tmp_path)
    assert sorted(p.parent.name for p in written) == sorted(
        c.name for c in CASES if _format(c) == "xlsx"
    )
    for path in written:
        committed = BROKEN / path.parent.name / BOOK
        # cells, not bytes: openpyxl writes other XML spacing when lxml is installed
        assert _cells(path) == _cells(committed), f"{committed} differs; run make_xlsx.py"
