"""`stakegraph import appointments` and `stakegraph derive-ties` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakegraph.io import load_workspace
from tests.builders import DATA, EXAMPLES, ROOT, run_cli, snapshot

HERE = DATA / "appointments"
CABINET = HERE / "cabinet.csv"


def test_import_then_check_warns_only_about_the_handover(tmp_path: Path) -> None:
    ws = tmp_path / "cabinet"
    result = run_cli(["import", "appointments", CABINET, ws])
    assert result.exit_code == 0, result.output
    assert "organisations: 4 added; posts: 6 added; persons: 8 added; tenures: 15 added" in (
        result.output
    )
    check = run_cli(["check", ws])
    assert check.exit_code == 0
    assert "with 1 warning" in check.output and "handover overlap of 1 day" in check.output
    strict = run_cli(["check", ws, "--strict"])
    assert strict.exit_code == 1
    again = run_cli(["import", "appointments", CABINET, ws])
    assert "nothing new or changed" in again.output


def test_dry_run_and_json(tmp_path: Path) -> None:
    ws = tmp_path / "cabinet"
    dry = run_cli(["import", "appointments", CABINET, ws, "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert data["dry_run"] is True and data["written"] == []
    assert data["counts"]["person"]["added"] == 8
    assert not ws.exists()


def test_options_name_columns_and_ranks(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "Official,Job,Ministry,From,Level\nA Person,Minister,Trade,2001-01-01,Cabinet\n",
        encoding="utf-8",
    )
    args = ["import", "appointments", table, tmp_path / "ws"]
    bad = run_cli(args)
    assert bad.exit_code == 1
    assert "there is no person column" in bad.output and "nothing was written" in bad.output
    ok = run_cli(
        [
            *args,
            "--column",
            "person=Official",
            "--column",
            "post=Job",
            "--column",
            "rank=Level",
            "--rank",
            "Cabinet=正部",
        ]
    )
    assert ok.exit_code == 0, ok.output
    assert load_workspace(tmp_path / "ws").posts["trade~minister"].grade == 9
    assert run_cli([*args, "--column", "persn=Official"]).exit_code == 2


def test_a_bad_row_is_one_located_line_and_nothing_is_written(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(["import", "appointments", CABINET, ws]).exit_code == 0
    before = snapshot(ws)
    table = tmp_path / "bad.csv"
    table.write_text(
        CABINET.read_text(encoding="utf-8").replace(
            "2013-03-16,,,9,1958", "2013-03-16,someday,,9,1958"
        ),
        encoding="utf-8",
    )
    result = run_cli(["import", "appointments", table, ws])
    assert result.exit_code == 1
    assert "bad.csv, row 8, column E: 'someday' is not a date." in result.output
    assert "Traceback" not in result.output
    assert snapshot(ws) == before


def test_derive_ties_lists_writes_keeps_typed_ties_and_removes(tmp_path: Path) -> None:
    ws = tmp_path / "cabinet"
    result = run_cli(["import", "appointments", CABINET, ws, "--derive-ties"])
    assert result.exit_code == 0, result.output
    assert "Derived ties: 6 added" in result.output
    ties = load_workspace(ws).ties
    assert {t.source for t in ties.values()} == {"derived"}
    before = snapshot(ws)
    again = run_cli(["derive-ties", ws])
    assert "no change" in again.output and snapshot(ws) == before
    listed = run_cli(["derive-ties", ws, "--list"])
    assert (
        "daniel-ortiz – robert-keane  former_colleague  strength 0.5, confidence 0.6: colleagues "
        "at Ministry of Information Industry (ministry-of-information-industry) 1998-05-01 – "
        "2003-03-17, 1781 days" in listed.output
    )
    assert snapshot(ws) == before
    # a tie a person typed wins over the derived one
    with (ws / "ties.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "- a: robert-keane\n  b: daniel-ortiz\n  kind: former_colleague\n  strength: 0.9\n"
        )
    typed = run_cli(["derive-ties", ws, "--json"])
    data = json.loads(typed.stdout)
    assert data["counts"] == {"added": 0, "changed": 0, "removed": 1}
    ties = load_workspace(ws).ties
    assert ties["robert-keane~daniel-ortiz~former_colleague"].strength == 0.9
    assert "daniel-ortiz~robert-keane~former_colleague" not in ties
    removed = run_cli(["derive-ties", ws, "--remove"])
    assert "5 removed" in removed.output
    assert list(load_workspace(ws).ties) == ["robert-keane~daniel-ortiz~former_colleague"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_derive_ties_in_tables(tmp_path: Path, fmt: str) -> None:
    ws = tmp_path / ("ws.xlsx" if fmt == "xlsx" else "ws")
    assert run_cli(["import", "appointments", CABINET, ws, "--to", fmt]).exit_code == 0
    assert run_cli(["derive-ties", ws]).exit_code == 0
    before = snapshot(ws)
    assert len(load_workspace(ws).ties) == 6
    assert "no change" in run_cli(["derive-ties", ws]).output
    assert snapshot(ws) == before


def test_help_gives_examples_that_write_outside_examples() -> None:
    for args in (["import", "appointments", "--help"], ["derive-ties", "--help"]):
        result = run_cli(args)
        assert result.exit_code == 0 and "Example" in result.output
        for line in result.output.splitlines():
            if line.strip().startswith("stakegraph "):
                target = line.split()[-1] if not line.split()[-1].startswith("-") else ""
                assert not target.startswith("examples/"), line


def test_the_readme_example_table_imports(tmp_path: Path) -> None:
    table = EXAMPLES / "imports" / "cabinet-appointments.csv"
    result = run_cli(["import", "appointments", table, tmp_path / "cabinet"])
    assert result.exit_code == 0, result.output
    assert "cabinet-appointments.csv" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_legislature_with_committees_gives_fellow_member_ties(tmp_path: Path) -> None:
    ws = tmp_path / "hill"
    args = ["import", "appointments", HERE / "legislature.csv", ws]
    result = run_cli([*args, "--mapping", HERE / "legislature.toml", "--derive-ties"])
    assert result.exit_code == 0, result.output
    assert run_cli(["check", ws, "--strict"]).exit_code == 0
    ties = load_workspace(ws).ties
    tie = ties["cara-ellis~dev-farmer~former_colleague"]
    # four years on one committee and six in the House: peers, no grade term
    assert tie.strength == 1 and tie.confidence == 0.6
    assert tie.notes == (
        "served together on Committee on Foreign Affairs (committee-on-foreign-affairs) "
        "2015-01-03 – 2019-01-03, 1461 days; served together on House of Representatives "
        "(house-of-representatives) 2015-01-03 – 2021-01-03, 2192 days"
    )
