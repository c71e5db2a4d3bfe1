"""`check` on generated workspaces, valid and broken in every format: a verdict, never
a traceback, and every problem located at a file."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.fuzz.strategies import (
    HOSTILE,
    assert_located,
    fuzz_settings,
    hostile_text,
    run,
    snapshot_tree,
    workspace_data,
    write_yaml_workspace,
)

#: Values a broken field may hold: hostile text, numbers, nothing, nested data.
BAD_VALUES = st.one_of(
    hostile_text(),
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.dates(),
)
FIELDS = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "grade",
        "tier",
        "org",
        "post",
        "person",
        "owner",
        "parent",
        "date",
        "start",
        "kind",
        "acceptance",
        "strength",
        "tenures",
        "chain",
        "scores",
        "tags",
        "notes",
        "unknown_field",
        "reports_to",
        "manager",
        "client",
        "since",
    ]
)


def _files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()] + ["stakegraph.toml", "workspace:"]


@st.composite
def broken_yaml(draw: st.DrawFn) -> dict[str, Any]:
    """A valid workspace with one record's field set to a bad value (or removed)."""
    data = draw(workspace_data())
    collection = draw(st.sampled_from([c for c, records in data.items() if records]))
    record = draw(st.sampled_from(data[collection]))
    field = draw(FIELDS)
    if draw(st.booleans()) and field in record:
        del record[field]
    else:
        record[field] = draw(BAD_VALUES)
    return data


@fuzz_settings()
@given(broken_yaml())
def test_check_judges_broken_yaml_without_a_traceback(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_yaml_workspace(data, Path(tmp) / "ws")
        before = snapshot_tree(folder)
        result = run(["check", folder])
        if result.exit_code:
            assert_located_problems(result, folder)
        assert snapshot_tree(folder) == before


def assert_located_problems(result, folder: Path) -> None:
    """Every problem names a file of the workspace (or says it is about the workspace)."""
    assert_located(result, _files(folder))


@fuzz_settings()
@given(workspace_data(), st.binary(max_size=200), st.integers(0, 10_000), st.booleans())
def test_check_judges_damaged_files(data, garbage: bytes, at: int, replace: bool) -> None:
    """Bytes spliced into or written over one file: truncation, NUL, bad UTF-8, binary."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_yaml_workspace(data, Path(tmp) / "ws")
        target = sorted(folder.iterdir())[at % len(list(folder.iterdir()))]
        body = target.read_bytes()
        cut = at % (len(body) + 1)
        target.write_bytes(garbage if replace else body[:cut] + garbage + body[cut:])
        result = run(["check", folder])
        if result.exit_code:
            assert_located_problems(result, folder)


@fuzz_settings(0.5)
@given(workspace_data(), st.integers(0, 10_000), st.integers(0, 40), hostile_text())
def test_check_judges_a_bad_csv_cell(data, pick: int, column: int, value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_yaml_workspace(data, Path(tmp) / "ws")
        dest = Path(tmp) / "csv"
        assert run(["convert", folder, dest, "--to", "csv"]).exit_code == 0
        target = sorted(dest.glob("*.csv"))[pick % len(list(dest.glob("*.csv")))]
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        row = rows[pick % len(rows)]
        row[column % len(row)] = value
        with target.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        before = snapshot_tree(dest)
        result = run(["check", dest])
        if result.exit_code:
            assert_located_problems(result, dest)
        assert snapshot_tree(dest) == before


_XLSX_VALUES = st.one_of(
    hostile_text().filter(lambda s: not any(ord(c) < 32 and c not in "\t\n\r" for c in s)),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.just("=1/0"),
    st.just("=A1"),
)


@fuzz_settings(0.5)
@given(
    workspace_data(), st.integers(0, 10_000), st.integers(1, 40), st.integers(1, 6), _XLSX_VALUES
)
def test_check_judges_a_bad_xlsx_cell(data, pick: int, column: int, row: int, value) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_yaml_workspace(data, Path(tmp) / "ws")
        book_path = Path(tmp) / "book.xlsx"
        assert run(["convert", folder, book_path]).exit_code == 0
        book = load_workbook(book_path)
        sheet = book.worksheets[pick % len(book.worksheets)]
        sheet.cell(row=row, column=column % (sheet.max_column + 1) + 1, value=value)
        book.save(book_path)
        before = book_path.read_bytes()
        result = run(["check", book_path])
        if result.exit_code:
            assert_located_problems(result, Path(tmp))
        assert book_path.read_bytes() == before


PINNED = [v for v in HOSTILE]


@pytest.mark.parametrize("value", PINNED, ids=range(len(HOSTILE)))
def test_every_pinned_value_in_a_name_is_judged(tmp_path: Path, value: str) -> None:
    """Each pinned hostile value, in a person's name: accepted or a located problem."""
    base = {
        "organisations": [{"id": "city", "name": "市政府"}],
        "posts": [{"id": "mayor", "org": "city", "title": "市长", "grade": 7}],
        "persons": [{"id": "li", "name": value, "tenures": [{"post": "mayor"}]}],
        "owners": [{"id": "rep", "name": "小刘", "tier": 1}],
    }
    folder = write_yaml_workspace(base, tmp_path / "ws")
    result = run(["check", folder])
    if result.exit_code:
        assert_located_problems(result, folder)
    (folder / "persons.yaml").write_text(
        yaml.safe_dump([{"id": value, "name": "李明"}], allow_unicode=True), encoding="utf-8"
    )
    result = run(["check", folder])
    if result.exit_code:
        assert_located_problems(result, folder)


def _bomb(levels: int, width: int) -> str:
    lines = ["- id: li", "  name: 李明", f"  l0: &l0 [{', '.join(['x'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]")
    lines.append(f"  notes: *l{levels - 1}")
    return "\n".join(lines) + "\n"


#: Whole YAML files that a reader must refuse at a line, in few words.
YAML_FILES = {
    "deep-nesting": "- id: li\n  name: " + "[" * 600 + "]" * 600 + "\n",
    "alias-expansion": _bomb(5, 10),
    "duplicate-key": "- id: li\n  name: 李明\n  name: 王芳\n",
    "integer-date": "- id: li\n  name: 李明\n  tenures: [{post: mayor, start: 1700006400}]\n",
    "tab-indent": "- id: li\n\tname: 李明\n",
    "nul-byte": "- id: li\n  name: 李\x00明\n",
    "python-tag": "- id: li\n  name: !!python/object/apply:os.system ['true']\n",
    "document-stream": "- id: li\n  name: 李明\n---\n- id: wang\n  name: 王芳\n",
}
#: Read today without the located refusal a strict reader gives (being made strict).
YAML_SILENT: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=YAML_SILENT[n]))
        if n in YAML_SILENT
        else n
        for n in YAML_FILES
    ],
)
def test_hostile_yaml_files_are_refused_at_a_line(tmp_path: Path, name: str) -> None:
    base = {
        "organisations": [{"id": "city", "name": "市政府"}],
        "posts": [{"id": "mayor", "org": "city", "title": "市长", "grade": 7}],
        "owners": [{"id": "rep", "name": "小刘", "tier": 1}],
    }
    folder = write_yaml_workspace(base, tmp_path / "ws")
    (folder / "persons.yaml").write_text(YAML_FILES[name], encoding="utf-8")
    result = run(["check", folder])
    assert result.exit_code == 1, result.output
    assert_located_problems(result, folder)
    assert all(len(line) <= 1000 for line in result.output.splitlines())
    assert "persons.yaml:" in result.output
