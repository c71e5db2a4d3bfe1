"""Generated valid workspaces go YAML → CSV → xlsx → YAML through `convert` unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from stakegraph.io import load_workspace
from tests.fuzz.strategies import fuzz_settings, run, workspace_data, write_yaml_workspace


def _round_trip(folder: Path, root: Path) -> None:
    original = load_workspace(folder)
    steps = [(folder, root / "csv", "csv"), (root / "csv", root / "book.xlsx", "xlsx")]
    steps.append((root / "book.xlsx", root / "yaml", "yaml"))
    for source, dest, fmt in steps:
        result = run(["convert", source, dest, "--to", fmt])
        assert result.exit_code == 0, result.output
        assert load_workspace(dest) == original, f"{fmt} differs"


@fuzz_settings(0.5)
@given(workspace_data())
def test_generated_workspaces_round_trip_through_every_format(data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_yaml_workspace(data, Path(tmp) / "ws")
        result = run(["check", folder])
        assert result.exit_code == 0, result.output  # the generator makes valid workspaces
        _round_trip(folder, Path(tmp))


def _lost(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


#: Values that must survive every format, in a person's name, notes and id.
ROUND_TRIP_CASES = [
    pytest.param("name", "0571", id="digits-as-name"),
    pytest.param("id", "0571", id="digits-as-id"),
    pytest.param("notes", "1-2", id="1-2-as-note"),
    pytest.param("notes", "2026-11-20", id="date-text-as-note"),
    pytest.param("notes", "第一行\r\n第二行", id="crlf-note"),
    pytest.param("notes", "第一行\n第二行", id="lf-note"),
    pytest.param(
        "notes",
        "长" * 40_000,
        marks=_lost("a workbook cell holds at most 32,767 characters: xlsx refuses it, located"),
        id="long-note",
    ),
    pytest.param("notes", '=HYPERLINK("http://x","y")', id="formula-note"),
    pytest.param("notes", "\u202eevil\u202c", id="rtl-note"),
    pytest.param("name", "a;b, c", id="separators-in-name"),
    pytest.param("notes", "true", id="boolean-word-note"),
    pytest.param("notes", "1e3", id="number-word-note"),
]


@pytest.mark.parametrize("field, value", ROUND_TRIP_CASES)
def test_pinned_values_round_trip(tmp_path: Path, field: str, value: str) -> None:
    person = {"id": "li", "name": "李明", field: value}
    data = {
        "organisations": [{"id": "city", "name": "市政府"}],
        "persons": [person],
        "owners": [{"id": "rep", "name": "小刘", "tier": 1}],
    }
    folder = write_yaml_workspace(data, tmp_path / "ws")
    assert run(["check", folder]).exit_code == 0
    _round_trip(folder, tmp_path)
