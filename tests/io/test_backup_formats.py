"""The backup owner (B角) survives every format: YAML, CSV, xlsx (with its drop-down of
owners), GraphML and the property graph that Neo4j stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.graphml import read_graphml, write_graphml
from stakegraph.records.model import Organisation, Owner, Person, Relationship
from stakegraph.records.workspace import Workspace


def backed_up() -> Workspace:
    ws = Workspace()
    ws.add(Organisation(id="o", name="局"))
    ws.add(Person(id="li-ming", name="李明"))
    ws.add(Owner(id="zhang-wei", name="张伟", tier=1))
    ws.add(Owner(id="wang-li", name="王丽", tier=1))
    ws.add(
        Relationship(
            owner="zhang-wei", person="li-ming", acceptance=3, responsible=True, backup="wang-li"
        )
    )
    ws.add(Relationship(owner="wang-li", person="li-ming", acceptance=1))
    return ws


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_the_backup_round_trips_through_files(tmp_path: Path, fmt: str) -> None:
    ws = backed_up()
    dest = tmp_path / ("book.xlsx" if fmt == "xlsx" else "out")
    save_workspace(ws, dest, fmt)
    back = load_workspace(dest)
    assert back == ws
    assert back.relationships["zhang-wei~li-ming"].backup == "wang-li"
    assert back.relationships["wang-li~li-ming"].backup is None


def test_the_workbook_offers_our_owners_for_the_backup(tmp_path: Path) -> None:
    save_workspace(backed_up(), tmp_path / "book.xlsx", "xlsx")
    book = load_workbook(tmp_path / "book.xlsx")
    sheet = book["关系"]  # the relationships sheet of the Chinese layout
    headers = [str(c.value) for c in sheet[1]]
    assert "B角\nbackup" in headers and "B角（名称）" in headers  # the id and its name
    letter = sheet.cell(row=1, column=headers.index("B角\nbackup") + 1).column_letter
    owner_letter = sheet.cell(row=1, column=headers.index("我方人员\nowner") + 1).column_letter

    def formula(col: str) -> str | None:
        for check in sheet.data_validations.dataValidation:
            if any(str(r).startswith(f"{col}2:") for r in check.sqref.ranges):
                return check.formula1
        return None

    # the same drop-down of owner ids as the owner column
    assert formula(letter) == formula(owner_letter) == "ids_owners"


def test_the_backup_round_trips_through_graphml(tmp_path: Path) -> None:
    ws = backed_up()
    write_graphml(ws, tmp_path / "ws.graphml")
    back = read_graphml(tmp_path / "ws.graphml")
    assert back.relationships["zhang-wei~li-ming"].backup == "wang-li"
    assert back.relationships == ws.relationships


def test_a_private_copy_keeps_the_backup_pointing_at_the_same_owner() -> None:
    from stakegraph.io.pseudonymise import pseudonymise
    from stakegraph.records.validate import check_workspace

    private = pseudonymise(backed_up(), b"k" * 32)
    (named,) = [r for r in private.relationships.values() if r.backup]
    assert named.responsible and named.backup in private.owners and named.backup != named.owner
    assert check_workspace(private) == []
