"""A number where a date belongs is a located problem, never seconds since 1970."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace


def _yaml(tmp_path: Path, value: str) -> Path:
    (tmp_path / "interactions.yaml").write_text(
        f"- id: visit-1\n  kind: visit\n  date: {value}\n", encoding="utf-8"
    )
    return tmp_path


def _csv(tmp_path: Path, value: str) -> Path:
    (tmp_path / "interactions.csv").write_text(
        f"id,kind,date\nvisit-1,visit,{value}\n", encoding="utf-8"
    )
    return tmp_path


# 86400 and 1700006400 are whole days since 1970: pydantic alone made dates of them
@pytest.mark.parametrize(
    "value", ["0", "86400", "1700006400", "20240301", "1500000000.0", "-86400"]
)
@pytest.mark.parametrize("write", [_yaml, _csv], ids=["yaml", "csv"])
def test_a_number_is_not_a_date(tmp_path: Path, write, value: str) -> None:
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(write(tmp_path, value))
    [problem] = caught.value.problems
    assert problem.field == "date"
    assert "is a number, not a date" in problem.message
    assert problem.hint.startswith("write the date as YYYY-MM-DD")
    assert problem.location.line == 3 or problem.location.column == "C"


@pytest.mark.parametrize("value", ["2024-03-01", "1970-01-02"])
@pytest.mark.parametrize("write", [_yaml, _csv], ids=["yaml", "csv"])
def test_a_written_date_still_reads(tmp_path: Path, write, value: str) -> None:
    ws = load_workspace(write(tmp_path, value))
    [record] = ws.records["interactions"].values()
    assert record.date.isoformat() == value
