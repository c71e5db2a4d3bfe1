"""Appending records keeps the user's text, validates first and writes all or nothing."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.errors import StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.append import append_records
from stakegraph.model import Assessment, Interaction

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


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def yaml_ws(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(EXAMPLE, folder)
    return folder


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
    before = _snapshot(yaml_ws)
    with pytest.raises((WorkspaceInvalid, StakegraphError)):
        append_records(yaml_ws, [bad])
    assert _snapshot(yaml_ws) == before


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
    assert book["interactions"].freeze_panes == "A2"  # the sheet's formatting is kept


def test_inline_lists_keep_tricky_text(yaml_ws: Path) -> None:
    tricky = _visit(tags=["a, b", "yes", "[x]", "王 芳", "#1", "null", "3"])
    append_records(yaml_ws, [tricky])
    assert load_workspace(yaml_ws).interactions[tricky.id] == tricky
