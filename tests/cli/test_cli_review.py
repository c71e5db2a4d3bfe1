"""The review, diff and plan --save commands on small saved workspaces and the example."""

import datetime as dt
import json

import pytest

from stakegraph.io import load_workspace, save_workspace
from tests.analysis.test_diff import diff_workspace
from tests.analysis.test_review import review_workspace
from tests.builders import DAY, EXAMPLES, cli_runner, snapshot


@pytest.fixture
def run():
    return cli_runner(catch_exceptions=False)


@pytest.fixture
def review_dir(tmp_path):
    path = tmp_path / "review"
    save_workspace(review_workspace(), path)
    return path


@pytest.fixture
def diff_dir(tmp_path):
    path = tmp_path / "diff"
    save_workspace(diff_workspace(), path)
    return path


def test_help_has_examples(run):
    for name in ("review", "diff", "plan"):
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output and f"stakegraph {name} " in result.output


def test_review_json_matches_the_library(run, review_dir):
    result = run("review", review_dir, "--as-of", DAY, "--json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {r["id"]: r for r in data["actions"]}
    assert "a-future" not in rows
    assert rows["a-overdue"]["overdue"] and rows["a-overdue"]["evidence_count"] == 2
    assert [r["kind"] for r in rows["a-flat"]["reasons"]] == ["NOT_IMPROVED", "NO_CONTACT"]
    assert data["totals"]["planned"] == 8 and data["totals"]["executed"] == 6


def test_review_table(run, review_dir):
    result = run("review", review_dir, "--as-of", DAY, "-o", "opp", "-q")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "progress against the plan" in out and "executed vs planned" in out
    assert "逾期 overdue" in out and "对象轮岗 target rotated" in out
    assert "0.20 → 0.80" in out  # a-improved: cover then → now
    assert "do a-org" not in out  # not of this opportunity


def test_review_lists_what_to_correct_with_names_as_written(run, tmp_path):
    ws = review_workspace()
    flat = ws.actions["a-flat"]
    ws.persons[flat.person].name = "[red]王[/red]"
    path = tmp_path / "review"
    save_workspace(ws, path)
    result = run("review", path, "--as-of", DAY, "-o", "opp", "-q")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "需纠偏 what to correct" in out
    lines = [line for line in out.splitlines() if "(" in line and "a-flat)" in line]
    assert len(lines) == 2  # NOT_IMPROVED and NO_CONTACT
    assert all(line.startswith("  • [red]王[/red] (") for line in lines)


def test_review_without_actions_says_how_to_start(run, diff_dir):
    result = run("review", diff_dir, "--as-of", DAY, "-q")
    assert result.exit_code == 0 and "--save" in result.output


def test_review_unknown_opportunity_is_one_clear_line(run, review_dir):
    result = run("review", review_dir, "-o", "nope", "-q")
    assert result.exit_code == 1 and 'no 商机 opportunity "nope"' in result.output


def test_diff_two_days_tables_and_json(run, diff_dir):
    result = run("diff", diff_dir, "--from", "2026-06-30", "--to", DAY, "-q")
    assert result.exit_code == 0, result.output
    out = result.output
    for title in ("轮岗 rotations", "关系层级变化", "新增关系", "新增非正式关系", "role holders"):
        assert title in out
    assert "离任 out" in out and "大数据局副局长" in out
    data = json.loads(run("diff", diff_dir, "--from", "2026-06-30", "--to", DAY, "--json").output)
    assert [x["id"] for x in data["ties_added"]] == ["xu~zhou~classmate"]
    opp2 = next(o for o in data["opportunities"] if o["opportunity"] == "opp2")
    assert opp2["coverage_before"] == pytest.approx(0.2)


def test_diff_against_an_older_version(run, diff_dir, tmp_path):
    new = load_workspace(diff_dir)
    new.remove("relationships", "liu~ma")
    newer = tmp_path / "newer"
    save_workspace(new, newer)
    result = run("diff", newer, "--against", diff_dir, "--as-of", DAY, "--json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mode"] == "workspaces" and data["before"] == "diff" and data["after"] == "newer"
    assert [x["id"] for x in data["relationships_removed"]] == ["liu~ma"]
    assert data["rotations"] == []
    same = run("diff", diff_dir, "--against", diff_dir, "--as-of", DAY, "-q")
    assert "Nothing changed." in same.output


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "give --from DATE"),
        (("--from", DAY, "--to", "2026-06-30"), "is not before"),
        (("--from", "2026-06-30", "--against", "."), "not both"),
        (("--from", "2026-06-30", "--to", DAY, "--as-of", "2026-11-01"), "different days"),
        (("--from", "2026-06-30", "-o", "nope"), 'no 商机 opportunity "nope"'),
    ],
)
def test_diff_bad_input_is_one_clear_line(run, diff_dir, args, message):
    result = run("diff", diff_dir, *args, "-q")
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_plan_due_without_save_is_refused(run, review_dir):
    result = run("plan", review_dir, "-o", "opp", "--due", "2026-12-31", "-q")
    assert result.exit_code == 1 and "--due applies to --save only" in result.output


def test_smoke_on_the_example(run):
    example = EXAMPLES / "smart-city"
    result = run("diff", example, "--from", "2026-06-30", "--to", DAY, "--json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["opportunities"] and not data["empty"]
    for opp in data["opportunities"]:
        assert 0 <= opp["coverage_after"] <= 1
    assert run("diff", example, "--from", "2026-06-30", "--to", DAY, "-q").exit_code == 0
    result = run("review", example, "--as-of", DAY, "--json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    totals = data["totals"]
    assert (
        totals["executed"]
        <= totals["planned"]
        == len([a for a in data["actions"] if a["status"] != "dropped"])
    )
    assert run("review", example, "--as-of", DAY, "-q").exit_code == 0


def test_examples_are_left_as_they_were(run):
    # review and diff only read
    example = EXAMPLES / "smart-city"
    before = snapshot(example)
    run("review", example, "--as-of", DAY, "-q")
    run("diff", example, "--from", "2026-06-30", "--to", DAY, "-q")
    assert snapshot(example) == before


def test_dates_are_iso(run, review_dir):
    data = json.loads(run("review", review_dir, "--as-of", DAY, "--json", "-q").output)
    row = data["actions"][0]
    dt.date.fromisoformat(row["created"])
    assert data["as_of"] == DAY.isoformat()


# --- plan --save: step 4 written to the workspace, then reviewed ------------------------


def test_plan_save_round_trip_and_review(run, review_dir):
    result = run("plan", review_dir, "-o", "opp", "--as-of", DAY, "--save", "-q")
    assert result.exit_code == 0, result.output
    assert "已保存 2 项措施到" in result.output
    saved = load_workspace(review_dir).actions
    xu = saved["plan-opp-xu-2026-11-28"]
    assert (xu.owner, xu.person, xu.opportunity) == ("liu", "xu", "opp")
    assert xu.created == DAY and xu.due == dt.date(2026, 12, 28)
    assert xu.status.value == "planned" and xu.baseline_cover == pytest.approx(0.6)
    assert xu.origin.value == "plan" and "通道 channel" in xu.action
    zhou = saved["plan-opp-zhou-2026-11-28"]
    assert zhou.baseline_cover == 0 and zhou.owner in {"liu", "zhang"}
    assert len(saved) == len(review_workspace().actions) + 2  # the others kept

    data = json.loads(run("review", review_dir, "--as-of", DAY, "--since", DAY, "--json").output)
    rows = {r["id"]: r for r in data["actions"]}
    assert set(rows) == {"plan-opp-xu-2026-11-28", "plan-opp-zhou-2026-11-28"}
    assert rows["plan-opp-xu-2026-11-28"]["cover"] == pytest.approx(0.6)
    assert rows["plan-opp-xu-2026-11-28"]["reasons"] == []  # set today: nothing to correct yet
    assert data["totals"]["planned"] == 2 and data["totals"]["executed"] == 0


def test_plan_saved_twice_is_refused_and_nothing_written(run, review_dir):
    assert run("plan", review_dir, "-o", "opp", "--as-of", DAY, "--save", "-q").exit_code == 0
    before = snapshot(review_dir)
    again = run("plan", review_dir, "-o", "opp", "--as-of", DAY, "--save", "-q")
    assert again.exit_code == 1
    assert "already saved" in again.output and "plan-opp-xu-2026-11-28" in again.output
    assert snapshot(review_dir) == before
    # another day is another plan
    later = run("plan", review_dir, "-o", "opp", "--as-of", "2026-12-05", "--save", "-q")
    assert later.exit_code == 0, later.output


def test_plan_save_due_and_json(run, review_dir):
    before = snapshot(review_dir)
    early = run("plan", review_dir, "-o", "opp", "--as-of", DAY, "--save", "--due", "2026-11-01")
    assert early.exit_code == 1 and "is before the plan day" in early.output
    assert snapshot(review_dir) == before
    result = run(
        "plan", review_dir, "-o", "opp", "--as-of", DAY, "--save", "--due", "2026-12-31", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["saved"] == ["plan-opp-xu-2026-11-28", "plan-opp-zhou-2026-11-28"]
    assert [r["target"] for r in data["rows"]] == ["xu", "zhou"] and data["skipped"] == []
    assert data["graph"]["name"] == "channels" and data["day"] == str(DAY)
    dues = {a.due for a in load_workspace(review_dir).actions.values() if a.id in data["saved"]}
    assert dues == {dt.date(2026, 12, 31)}


def test_plan_save_into_a_workbook(run, tmp_path):
    book = tmp_path / "book.xlsx"
    save_workspace(review_workspace(), book)
    result = run("plan", book, "-o", "opp", "--as-of", DAY, "--save", "-q")
    assert result.exit_code == 0, result.output
    assert "plan-opp-zhou-2026-11-28" in load_workspace(book).actions
