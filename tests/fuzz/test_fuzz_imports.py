"""`log --import` and `surveys --import` with generated CSV files and workbooks: the rows
are appended, or nothing is written and every problem names the file and row."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from openpyxl import Workbook

from stakegraph.io import load_workspace
from tests.fuzz.strategies import (
    DATES,
    HOSTILE_DATES,
    HOSTILE_NUMBERS,
    fuzz_settings,
    hostile_text,
    one_line,
    run,
    snapshot_tree,
    workspace_data,
    write_yaml_workspace,
)

INTERACTION_COLUMNS = [
    "id",
    "date",
    "kind",
    "owners",
    "persons",
    "orgs",
    "information_shared",
    "notes",
]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030"]


def _hostile_cell() -> st.SearchStrategy[Any]:
    return st.one_of(
        hostile_text(),
        st.sampled_from(HOSTILE_NUMBERS + HOSTILE_DATES),
        st.integers(),
        st.floats(allow_nan=False),
        st.none(),
    )


@st.composite
def interaction_rows(draw: st.DrawFn, data: dict) -> list[dict[str, Any]]:
    """Rows that are mostly right, with now and then a hostile cell."""
    owners = [o["id"] for o in data["owners"]]
    persons = [p["id"] for p in data["persons"]] or [""]
    orgs = [o["id"] for o in data["organisations"]]
    rows = []
    for n in range(draw(st.integers(1, 4))):
        row: dict[str, Any] = {
            "id": f"import-{n}",
            "date": draw(DATES).isoformat(),
            "kind": draw(st.sampled_from(["visit", "meeting", "拜访", "call"])),
            "owners": draw(st.sampled_from(owners)),
            "persons": draw(st.sampled_from(persons)),
            "orgs": draw(st.sampled_from(orgs)),
            "information_shared": draw(st.sampled_from(["true", "", "false"])),
            "notes": draw(st.text(max_size=30).filter(one_line)),
        }
        if draw(st.integers(0, 2)) == 0:
            row[draw(st.sampled_from(INTERACTION_COLUMNS))] = draw(_hostile_cell())
        rows.append(row)
    return rows


@st.composite
def survey_rows(draw: st.DrawFn, data: dict) -> list[dict[str, Any]]:
    persons = [p["id"] for p in data["persons"]]
    orgs = [o["id"] for o in data["organisations"]]
    items = draw(
        st.lists(
            st.sampled_from(["产品质量", "服务态度", "overall", "响应"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row: dict[str, Any] = {"date": draw(DATES).isoformat()}
        if persons and draw(st.booleans()):
            row["person"] = draw(st.sampled_from(persons))
        else:
            row["org"] = draw(st.sampled_from(orgs))
        for item in items:
            row[item] = draw(st.integers(1, 5))
        if draw(st.integers(0, 2)) == 0:
            row[draw(st.sampled_from(["date", "person", "org", "id", "notes", *items]))] = draw(
                _hostile_cell()
            )
        rows.append(row)
    return rows


def _write_csv(rows: list[dict[str, Any]], path: Path, encoding: str) -> None:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    try:
        path.write_bytes(buffer.getvalue().encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(buffer.getvalue().encode("utf-8"))


def _write_xlsx(rows: list[dict[str, Any]], path: Path, sheet: str) -> None:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    book = Workbook()
    book.active.title = sheet
    book.active.append(columns)
    for row in rows:
        cells = [row.get(c) for c in columns]
        # a workbook cannot hold control characters; the CSV files try those
        cells = [c if not isinstance(c, str) or c.isprintable() else repr(c) for c in cells]
        book.active.append(cells)
    book.save(path)


def _target(data: dict, root: Path, fmt: str) -> Path:
    folder = write_yaml_workspace(data, root / "ws")
    if fmt == "yaml":
        return folder
    dest = root / ("book.xlsx" if fmt == "xlsx" else "csv")
    assert run(["convert", folder, dest, "--to", fmt]).exit_code == 0
    return dest


def _state(target: Path) -> dict[str, bytes]:
    return snapshot_tree(target.parent if target.is_file() else target)


def _check_import(command: str, target: Path, source: Path, collection: str, n_rows: int) -> None:
    before_records = load_workspace(target).counts()[collection]
    before = _state(target)
    result = run([command, target, "--import", source])
    event(f"exit {result.exit_code}")  # both outcomes should show in --hypothesis-show-statistics
    if result.exit_code == 0:
        after = load_workspace(target).counts()[collection]
        assert after == before_records + n_rows, result.output
    else:
        assert _state(target) == before, "a failed import changed the workspace"
        lines = [x for x in result.output.splitlines() if x.strip() and not x.startswith(" ")]
        problems = [x for x in lines if "problem" not in x or source.name in x]
        assert problems and all(
            source.name in x or "--import" in x or target.name in x for x in problems
        ), result.output


@st.composite
def imports(draw: st.DrawFn, rows_of):
    data = draw(workspace_data())
    rows = draw(rows_of(data))
    return data, rows, draw(st.sampled_from(["csv", "xlsx"])), draw(st.sampled_from(ENCODINGS))


@fuzz_settings(0.75)
@given(imports(interaction_rows), st.sampled_from(["yaml", "csv", "xlsx"]))
def test_log_import_appends_all_or_nothing(case, fmt: str) -> None:
    data, rows, kind, encoding = case
    with tempfile.TemporaryDirectory() as tmp:
        target = _target(data, Path(tmp), fmt)
        source = Path(tmp) / f"visits.{kind}"
        if kind == "csv":
            _write_csv(rows, source, encoding)
        else:
            _write_xlsx(rows, source, "interactions")
        _check_import("log", target, source, "interactions", len(rows))


@fuzz_settings(0.75)
@given(imports(survey_rows), st.sampled_from(["yaml", "csv", "xlsx"]))
def test_surveys_import_appends_all_or_nothing(case, fmt: str) -> None:
    data, rows, kind, encoding = case
    with tempfile.TemporaryDirectory() as tmp:
        target = _target(data, Path(tmp), fmt)
        source = Path(tmp) / f"results.{kind}"
        if kind == "csv":
            _write_csv(rows, source, encoding)
        else:
            _write_xlsx(rows, source, "surveys")
        _check_import("surveys", target, source, "surveys", len(rows))


#: Whole files a user may hand to --import by mistake.
DAMAGED_FILES = {
    "empty": b"",
    "bom-only": b"\xef\xbb\xbf",
    "header-only": b"date,person\n",
    "binary": bytes(range(256)),
    "nul-in-cell": b"date,org,overall\n2026-11-01,ci\x00ty,4\n",
    "unclosed-quote": b'date,org,overall,notes\n2026-11-01,city,4,"open\n2026-11-02,city,5,x\n',
    "windows-1252": "date,org,overall,notes\n2026-11-01,city,4,Hélène\n".encode("cp1252"),
    "utf-16": "date,org,overall\n2026-11-01,city,4\n".encode("utf-16"),
    "ragged": b"date,org,overall\n2026-11-01,city,4,5,6\n2026-11-02\n",
    "duplicate-header": b"date,date,org,overall\n2026-11-01,2026-11-02,city,4\n",
    "formula": b"date,org,overall\n2026-11-01,city,=1+1\n",
    "huge-score": b"date,org,overall\n2026-11-01,city,99999999999999999999\n",
    "negative-score": b"date,org,overall\n2026-11-01,city,-1\n",
    "date-at-limit": b"date,org,overall\n9999-12-31,city,4\n",
    "unix-seconds": b"date,org,overall\n1700000000,city,4\n",
    "not-csv.xlsx": b"PK\x03\x04 not a zip",
}
#: Files whose damage is read silently today (being made strict).
SILENT: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=SILENT[n]))
        if n in SILENT
        else n
        for n in DAMAGED_FILES
    ],
)
def test_damaged_survey_files_are_refused_where_they_break(tmp_path: Path, name: str) -> None:
    data = {
        "organisations": [{"id": "city", "name": "市政府"}],
        "owners": [{"id": "rep", "name": "小刘", "tier": 1}],
    }
    target = write_yaml_workspace(data, tmp_path / "ws")
    suffix = ".xlsx" if name.endswith(".xlsx") else ".csv"
    source = tmp_path / f"{name.removesuffix('.xlsx')}{suffix}"
    source.write_bytes(DAMAGED_FILES[name])
    before = snapshot_tree(target)
    result = run(["surveys", target, "--import", source])
    if name in SILENT:
        assert result.exit_code == 1  # what a strict reader does
    if result.exit_code:
        assert snapshot_tree(target) == before
        assert source.name in result.output, result.output
