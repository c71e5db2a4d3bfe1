"""The interactions log as evidence, level changes and trends; the log/assess/history CLI."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from stakegraph.analysis.evidence import (
    Disagreement,
    evidence,
    level_changes,
    score_from_count,
    trend,
)
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.records.model import Assessment, Interaction, Owner, Person, Relationship
from stakegraph.records.workspace import Workspace
from stakegraph.views.phrases import disagreement_phrase
from tests.builders import DAY, cli_runner


def _ws() -> Workspace:
    ws = Workspace()
    ws.add(Person(id="xu", name="许志恒"))
    ws.add(Person(id="he", name="何静"))
    ws.add(Owner(id="liu", name="刘凯", tier=3))
    ws.add(Owner(id="xie", name="谢婷", tier=2))
    six = dict(acceptance=3, guidance=3, support=3, preference=3)
    ws.add(Relationship(owner="liu", person="xu", participation=1, information=5, **six))
    ws.add(
        Relationship(
            owner="xie",
            person="he",
            participation=5,
            information=1,
            last_contact=DAY - dt.timedelta(days=200),
            **six,
        )
    )
    days = [dt.date(2026, m, 10) for m in (2, 4, 6, 8)] + [dt.date(2025, 6, 1)]
    for i, day in enumerate(days):
        ws.add(
            Interaction(
                id=f"i{i}",
                date=day,
                kind="visit",
                owners=["liu"],
                persons=["xu"],
                information_shared=i < 2,
            )
        )
    ws.add(
        Interaction(
            id="late", date=dt.date(2026, 12, 1), kind="call", owners=["liu"], persons=["xu"]
        )
    )
    return ws


def test_score_from_count_counts_steps_reached():
    steps = [1, 2, 3, 4, 6]
    assert [score_from_count(n, steps) for n in (0, 1, 3, 5, 6, 20)] == [0, 1, 3, 4, 5, 5]


def test_evidence_by_hand():
    rows = {r.relationship: r for r in evidence(build_network(_ws(), DAY))}
    xu = rows["liu~xu"]
    # four visits in the 365-day window (2025-06-01 is outside, 2026-12-01 is after the day)
    assert (xu.contacts, xu.shared) == (4, 2)
    assert xu.suggested == {"participation": 4, "information": 2}
    assert xu.per_90_days == round(4 * 90 / 365, 2)
    assert xu.last_logged == dt.date(2026, 8, 10) and xu.days_silent == 110
    # participation typed 1 vs 4 suggested: off by 3 = disagreement; information 5 vs 2: off by 3
    assert [disagreement_phrase(f) for f in xu.flags] == [
        "scored 1 on 活动参与度 participation; the log suggests 4 (4 contacts in 365 days)",
        "scored 5 on 信息传递度 information; the log suggests 2 "
        "(2 contacts sharing information in 365 days)",
    ]
    he = rows["xie~he"]
    assert he.contacts == 0 and he.days_silent == 200
    assert he.flags == [Disagreement("participation", 5, silent=True, days_silent=200)]
    assert [disagreement_phrase(f) for f in he.flags] == [
        "scored 5 on 活动参与度 participation, but no contact in 200 days"
    ]


def test_level_changes_and_trend_by_hand():
    ws = _ws()
    # mean 3 (partner) → all 1 (vendor) → mean 4, support and preference 4 (strategic)
    ws.add(
        Assessment(
            owner="xie",
            person="he",
            date=dt.date(2026, 6, 30),
            acceptance=1,
            participation=1,
            information=1,
            guidance=1,
            support=1,
            preference=1,
        )
    )
    ws.add(
        Assessment(
            owner="xie",
            person="he",
            date=dt.date(2026, 10, 31),
            acceptance=4,
            participation=4,
            information=4,
            guidance=4,
            support=4,
            preference=4,
        )
    )
    changes = level_changes(ws, dt.date(2026, 7, 1))
    assert [(c.relationship, c.before, c.after, c.direction) for c in changes] == [
        ("xie~he", "partner", "vendor", "down")
    ]
    assert [c.direction for c in level_changes(ws, DAY)] == ["up"]
    rows = trend(ws, "he")
    assert [(r["level"], r["change"], r["mean"]) for r in rows] == [
        ("partner", "", 3.0),
        ("vendor", "↓", 1.0),
        ("strategic", "↑", 4.0),
    ]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree("examples/smart-city", folder)
    return folder


run = cli_runner(catch_exceptions=False)


def test_log_appends_and_refreshes_the_relationship(copy: Path):
    before = build_network(load_workspace(copy), DAY).workspace.relationships["li-an~pan-guodong"]
    result = run(
        "log",
        copy,
        "--date",
        "2026-11-27",
        "--kind",
        "拜访",
        "--owner",
        "li-an",
        "--person",
        "pan-guodong",
        "--information-shared",
        "--notes",
        "回访交易中心",
    )
    assert result.exit_code == 0, result.output
    ws = load_workspace(copy)
    item = ws.interactions["2026-11-27-visit-pan-guodong"]
    assert item.kind.value == "visit" and item.information_shared
    after = build_network(ws, DAY).workspace.relationships["li-an~pan-guodong"]
    assert before.last_contact == dt.date(2026, 4, 15) and after.last_contact == dt.date(
        2026, 11, 27
    )
    # the same call again gets a fresh id instead of clashing
    assert (
        run(
            "log",
            copy,
            "--date",
            "2026-11-27",
            "--kind",
            "visit",
            "--owner",
            "li-an",
            "--person",
            "pan-guodong",
        ).exit_code
        == 0
    )
    assert "2026-11-27-visit-pan-guodong-2" in load_workspace(copy).interactions


def test_log_refuses_bad_input_and_writes_nothing(copy: Path):
    before = (copy / "interactions.yaml").read_bytes()
    bad = run("log", copy, "--kind", "visit", "--owner", "nobody")
    assert bad.exit_code == 1 and 'owner "nobody"' in bad.output
    assert "add the owner to owners first" in bad.output
    assert run("log", copy, "--kind", "party", "--owner", "li-an").exit_code == 1
    assert run("log", copy, "--owner", "li-an").exit_code == 1
    assert (copy / "interactions.yaml").read_bytes() == before


def test_log_imports_a_csv_and_points_at_bad_rows(copy: Path, tmp_path: Path):
    good = tmp_path / "visits.csv"
    good.write_text(
        "id,date,kind,owners,persons,orgs,information_shared,notes\n"
        "v1,2026-11-25,visit,liu-kai,xu-zhiheng,jc-bdb,true,汇报\n"
        "v2,2026-11-26,电话,qin-lang,cao-yu,,false,\n",
        encoding="utf-8",
    )
    result = run("log", copy, "--import", good, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == ["v1", "v2"]
    assert load_workspace(copy).interactions["v2"].kind.value == "call"
    bad = tmp_path / "more.csv"
    bad.write_text(
        "id,date,kind,owners,persons\nv3,2026-11-31,visit,liu-kai,xu-zhiheng\nv4,2026-11-27,visit,liu-kai,nobody\n",
        encoding="utf-8",
    )
    before = (copy / "interactions.yaml").read_bytes()
    out = run("log", copy, "--import", bad)
    assert out.exit_code == 1
    assert "more.csv, row 2, column B" in out.output  # the impossible date
    assert (copy / "interactions.yaml").read_bytes() == before
    bad.write_text(
        "id,date,kind,owners,persons\nv4,2026-11-27,visit,liu-kai,nobody\n", encoding="utf-8"
    )
    out = run("log", copy, "--import", bad)
    assert (
        out.exit_code == 1 and "more.csv, row 2, column E" in out.output and "nobody" in out.output
    )


def test_assess_accepts_the_suggestion_and_history_shows_it(copy: Path):
    result = run(
        "assess",
        copy,
        "--owner",
        "li-an",
        "--person",
        "pan-guodong",
        "--date",
        "2026-11-28",
        "--accept-suggested",
        "--support",
        "3",
    )
    assert result.exit_code == 0, result.output
    item = load_workspace(copy).assessments["li-an~pan-guodong~2026-11-28"]
    # one contact (2026-04-15) in the window, none sharing information
    assert (item.participation, item.information, item.support, item.source) == (
        1,
        0,
        3,
        "evidence",
    )
    again = run(
        "assess",
        copy,
        "--owner",
        "li-an",
        "--person",
        "pan-guodong",
        "--date",
        "2026-11-28",
        "--support",
        "4",
    )
    assert again.exit_code == 1 and "already assessed" in again.output
    history = json.loads(run("history", copy, "--person", "pan-guodong", "--json").output)
    assert [r["date"] for r in history] == ["2024-10-16", "2026-04-20", "2026-11-28"]
    assert history[-1]["scores"]["participation"] == 1


def test_example_evidence_flags_the_silent_high_score():
    out = json.loads(
        run(
            "evidence", "examples/smart-city", "--as-of", "2026-11-28", "--flagged", "--json"
        ).output
    )
    pan = next(r for r in out if r["relationship"] == "li-an~pan-guodong")
    assert pan["flags"][0].startswith(
        "scored 4 on 活动参与度 participation, but no contact in 227 days"
    )


def test_example_history_and_level_drops():
    out = run("history", "examples/smart-city", "--person", "he-jing")
    assert out.exit_code == 0 and "↓" in out.output and "↑" in out.output
    drops = level_changes(load_workspace("examples/smart-city"), DAY)
    assert ("zhang-lei~sun-wei", "down") in [(c.relationship, c.direction) for c in drops]


def test_assess_takes_a_level_in_either_language_and_refuses_an_unknown_one(copy: Path):
    before = (copy / "assessments.yaml").read_bytes()
    who = ("--owner", "li-an", "--person", "pan-guodong", "--date", "2026-11-28")
    bad = run("assess", copy, *who, "--level", "great")
    assert bad.exit_code == 1 and "unknown level 'great'" in bad.output
    assert "Traceback" not in bad.output and "strategic" in bad.output
    assert (copy / "assessments.yaml").read_bytes() == before
    good = run("assess", copy, *who, "--level", "合作伙伴关系")
    assert good.exit_code == 0, good.output
    assert load_workspace(copy).assessments["li-an~pan-guodong~2026-11-28"].level == "partner"
