"""Structure over time on the command line: show, gaps, report and check on a workspace
whose bureau was formed in a reform, whose head acts (主持工作) and whose post was renamed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stakegraph.io import load_workspace
from stakegraph.views.report import build_report
from stakegraph.views.tables import chain_table
from tests.builders import DATA, DAY, run_cli

STRUCTURE = DATA / "structure"


def _json(*args: object) -> dict:
    result = run_cli(args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_show_lists_only_live_posts_and_flags_the_acting_head() -> None:
    data = _json("show", STRUCTURE, "--as-of", DAY, "--json")
    assert data["vacant_posts"] == []  # the abolished centre's director is not vacant
    gov = data["organisations"][0]
    assert [c["id"] for c in gov["children"]] == ["dsj"]  # the centre is gone
    assert gov["children"][0]["posts"] == 3  # 局长, 副局长, the renamed 数据要素科科长
    roles = data["opportunities"][0]["steps"][0]["roles"]
    assert [r["post"] for r in roles] == ["jz", "sjys"]
    assert roles[0]["holders"] == [{"id": "liu", "name": "刘某", "acting": True}]
    assert roles[1]["holders"] == [{"id": "sun", "name": "孙科长"}]
    assert data["problems"] == [
        {
            "file": "opportunities.yaml",
            "line": 11,
            "sheet": None,
            "row": None,
            "column": None,
            "record_type": "opportunity",
            "record_id": "sc",
            "field": "chain[0].roles[1].post",
            "message": "post 'xxzx-zr' does not exist on 2026-11-28 (abolished on "
            "2019-03-01); the role is left out of the chain that day.",
            "hint": "name the post that carries this decision right on that day, or correct "
            "the post's dates.",
            "severity": "warning",
        }
    ]
    line = (STRUCTURE / "opportunities.yaml").read_text(encoding="utf-8").splitlines()[10]
    assert "post: xxzx-zr" in line


def test_show_before_the_reform_has_the_old_structure() -> None:
    data = _json("show", STRUCTURE, "--as-of", "2018-06-01", "--json")
    assert data["vacant_posts"] == ["vm"]  # only posts that existed then
    assert [c["id"] for c in data["organisations"][0]["children"]] == ["xxzx"]
    roles = data["opportunities"][0]["steps"][0]["roles"]
    assert [(r["post"], [h["name"] for h in r["holders"]]) for r in roles] == [
        ("xxzx-zr", ["王局长"])
    ]
    assert [p["field"] for p in data["problems"]] == [
        "chain[0].roles[0].post",
        "chain[0].roles[2].post",
    ]
    assert "(created on 2019-03-01)" in data["problems"][0]["message"]


@pytest.mark.parametrize(
    ("day", "post"), [("2023-12-31", "sjzy"), ("2024-01-01", "sjys")], ids=["before", "on"]
)
def test_a_renamed_post_is_shown_under_the_name_of_the_day(day: str, post: str) -> None:
    data = _json("show", STRUCTURE, "--as-of", day, "--json")
    roles = [r["post"] for r in data["opportunities"][0]["steps"][0]["roles"]]
    # the chain names the new post; before the renaming it is left out, not vacant
    assert ("sjys" in roles) is (post == "sjys")
    assert "sjzy" not in data["vacant_posts"] and "sjys" not in data["vacant_posts"]


def test_show_prints_the_acting_flag_and_the_warning() -> None:
    result = run_cli(["show", STRUCTURE, "--as-of", DAY])
    assert result.exit_code == 0
    assert "刘某 (主持工作 acting)" in result.stdout
    assert "warning: opportunities.yaml:11: post 'xxzx-zr' does not exist" in result.stdout
    assert "空缺" not in result.stdout


def test_gaps_say_the_post_is_formally_vacant() -> None:
    data = _json("gaps", STRUCTURE, "--as-of", DAY, "-o", "sc", "--json")
    acting = [g for g in data["gaps"] if g["kind"] == "ACTING"]
    assert [(g["person"], g["label"]) for g in acting] == [("liu", "主持工作 acting head")]
    assert acting[0]["reason"] == (
        "江川市大数据管理局局长: acting head 刘某 since 2026-03-01 (主持工作); the post is "
        "formally vacant: find out who will be appointed and when."
    )
    assert "VACANT" not in {g["kind"] for g in data["gaps"]}  # the acting head fills it
    first = data["chain"][0]["roles"][0]
    assert first["acting"] is True and first["cover"] > 0 and "ACTING" in first["gaps"]
    assert "acting" not in data["chain"][0]["roles"][1]
    assert [p["record_id"] for p in data["problems"]] == ["sc"]


def test_gaps_on_the_terminal_print_the_missing_post_as_a_warning() -> None:
    result = run_cli(["gaps", STRUCTURE, "--as-of", DAY, "-o", "sc"])
    assert result.exit_code == 0, result.output
    assert "1 warning:" in result.stderr
    assert "post 'xxzx-zr' does not exist on 2026-11-28" in result.stderr
    assert "主持工作 acting head" not in result.stderr and "ACTING" in result.stdout


def test_before_the_acting_head_the_director_is_no_gap() -> None:
    data = _json("gaps", STRUCTURE, "--as-of", "2026-02-28", "-o", "sc", "--json")
    assert "ACTING" not in {g["kind"] for g in data["gaps"]}
    assert data["chain"][0]["roles"][0]["name"] == "王局长"


def test_the_report_chain_table_flags_the_acting_head() -> None:
    ws = load_workspace(STRUCTURE)
    report = build_report(ws, DAY, "sc")
    table = chain_table(report["opportunities"][0])
    holders = [row[3].text for row in table.rows]
    assert holders[0] == "刘某 (主持工作 acting)"
    assert holders[1] == "孙科长"


def test_check_prints_warnings_apart_and_strict_fails_on_them(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    shutil.copytree(STRUCTURE, folder)
    persons = folder / "persons.yaml"
    # 刘某 is named acting head two days before 王局长 leaves: a handover overlap
    text = persons.read_text(encoding="utf-8")
    persons.write_text(
        text.replace(
            "{post: jz, start: 2026-03-01, acting", "{post: jz, start: 2026-02-27, acting"
        ),
        encoding="utf-8",
    )
    result = run_cli(["check", folder])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: {folder} is valid (") and "with 1 warning." in (
        result.stdout
    )
    assert result.stderr.splitlines() == [
        "1 warning:",
        "persons.yaml:19: person 'liu' field 'tenures[1]': handover overlap of 2 days: takes "
        "over single-seat post 'jz' on 2026-02-27 while wang still holds it (end 2026-03-01). "
        "Fix: if the handover was on one day, write that day as wang's 'end' and this "
        "'start'; otherwise nothing to fix.",
    ]
    strict = run_cli(["check", folder, "--strict"])
    assert strict.exit_code == 1
    assert strict.stdout == f"FAILED: {folder} has 1 warning, and --strict makes them fail.\n"
    data = json.loads(run_cli(["check", folder, "--json"]).stdout)
    assert data["ok"] is True and [w["severity"] for w in data["warnings"]] == ["warning"]
    strict_json = run_cli(["check", folder, "--json", "--strict"])
    assert strict_json.exit_code == 1 and json.loads(strict_json.stdout)["ok"] is False
    clean = run_cli(["check", STRUCTURE, "--strict"])
    assert clean.exit_code == 0 and clean.stderr == ""


@pytest.mark.parametrize(
    ("day", "vacant"),
    [("2025-04-30", []), ("2025-05-01", ["vm"]), ("2025-07-31", ["vm"]), ("2025-08-01", [])],
)
def test_a_holder_on_leave_leaves_the_post_vacant(day: str, vacant: list[str]) -> None:
    data = _json("show", STRUCTURE, "--as-of", day, "--json")
    assert [p for p in data["vacant_posts"] if p == "vm"] == vacant
