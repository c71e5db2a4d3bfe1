"""Results as DataFrames: one row per item of the command's --json, ids and exact numbers.

The JSON adds names and labels and rounds (influence ×100); the frames keep the ids
and the numbers as computed, so each test compares them through that rounding.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys

import pytest

import stakegraph as sg
from stakegraph.analysis.frames import PANDAS_HINT, flatten, rows_to_frame
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, run_cli

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def net():
    return sg.build_network(sg.load(SMART_CITY), DAY)


def _records(frame) -> list[dict]:
    """The frame's rows as plain Python values (NaN and numpy scalars undone)."""
    out = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                value = None
            elif hasattr(value, "item") and not isinstance(value, list):
                value = value.item()
            clean[key] = value
        out.append(clean)
    return out


def _json(*args) -> object:
    result = run_cli([*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _same(frame, json_rows: list[dict], columns: list[str] | None = None) -> None:
    """Every row of the frame equals the flattened JSON row, column by column."""
    expected = [flatten(row) for row in json_rows]
    got = _records(frame)
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        for name in columns or list(theirs):
            assert mine.get(name) == theirs.get(name), name


def _r(value, scale=1.0):
    return None if value is None else round(scale * value, 4)


def test_influence_frame_is_the_json(net):
    result = sg.influence(net, "smart-city")
    frame = result.to_pandas()
    assert len(frame) == net.size  # every person, rank 1 first
    assert list(frame["rank"]) == list(range(1, net.size + 1))
    assert frame["score"].sum() == pytest.approx(1.0)
    parts = frame[["formal", "informal", "position", "decision"]].sum(axis=1)
    assert list(parts) == pytest.approx(list(frame["score"]))
    rows = _json("influence", SMART_CITY, "-o", "smart-city", "--as-of", DAY, "--top", 5)["rows"]
    for mine, theirs in zip(_records(frame.head(5)), rows, strict=True):
        assert (mine["rank"], mine["person"]) == (theirs["rank"], theirs["person"])
        assert _r(mine["score"], 100) == theirs["score"]
        for part in ("formal", "informal", "position", "decision"):
            assert _r(mine[part], 100) == theirs["parts"][part], part


def test_coverage_frames_are_the_chain_and_the_gaps_of_the_json(net):
    cov = sg.coverage(net, "smart-city")
    data = _json("gaps", SMART_CITY, "-o", "smart-city", "--as-of", DAY)
    roles = [(s["id"], s["coverage"], r) for s in data["chain"] for r in s["roles"]]
    holders = _records(cov.to_pandas())
    assert len(holders) == len(roles)
    for mine, (step, step_coverage, theirs) in zip(holders, roles, strict=True):
        assert (mine["step"], _r(mine["step_coverage"])) == (step, step_coverage)
        for name in ("role", "post", "person", "stance", "gaps", "low_confidence"):
            assert mine[name] == theirs[name], name
        for name in ("weight", "cover", "direct", "influence_share"):
            assert _r(mine[name]) == theirs[name], name
    gaps = _records(cov.gaps_to_pandas())
    assert len(gaps) == len(data["gaps"]) > 0
    for mine, theirs in zip(gaps, data["gaps"], strict=True):
        for name in ("kind", "step", "person", "post", "owner", "reason"):
            assert mine[name] == theirs[name], name
        assert _r(mine["severity"]) == theirs["severity"]


def test_plan_frame_is_the_json(net):
    plan = sg.engagement_plan(net, "smart-city")
    assert isinstance(plan, list) and plan == list(plan)
    rows = _json("plan", SMART_CITY, "-o", "smart-city", "--as-of", DAY)["rows"]
    frame = plan.to_pandas()
    assert "channel.owner" in frame.columns
    got = _records(frame)
    assert len(got) == len(rows) > 0
    for mine, theirs in zip(got, rows, strict=True):
        for name in ("phase", "target", "name", "responsible", "introducer", "action"):
            assert mine[name] == theirs[name], name
        assert _r(mine["influence"], 100) == theirs["influence"]
        assert _r(mine["cover"]) == theirs["cover"]
        channel = theirs["channel"] or {}
        assert mine.get("channel.owner") == channel.get("owner")
        assert _r(mine.get("channel.strength")) == channel.get("strength")


def test_warm_channel_frame_is_the_json(net):
    channels = sg.warm_channels(net, "he-jing", k=3)
    rows = _json("paths", SMART_CITY, "--to", "he-jing", "--as-of", DAY)["rows"]
    got = _records(channels.to_pandas())
    assert len(got) == len(rows) > 0
    for mine, theirs in zip(got, rows, strict=True):
        for name in ("rank", "owner", "persons", "hops"):
            assert mine[name] == theirs[name], name
        assert mine["relationship_id"] == theirs["relationship"]
        assert _r(mine["strength"]) == theirs["strength"]


def test_relationship_frame_is_the_json(net):
    rows = _json("relationships", SMART_CITY, "--as-of", DAY)
    frame = sg.relationships(net).to_pandas()
    assert "scores.support" in frame.columns
    mine = {row["id"]: row for row in _records(frame)}
    assert sorted(mine) == sorted(r["id"] for r in rows)
    for theirs in rows:
        row = mine[theirs["id"]]
        for name in ("owner", "person", "computed_level", "stated_level", "target_level"):
            assert row[name] == theirs[name], name
        assert _r(row["strength"]) == theirs["strength"]
        assert {k: row[f"scores.{k}"] for k in theirs["scores"]} == theirs["scores"]


@pytest.mark.parametrize("example", [SMART_CITY, HARBOR_COUNTY])
def test_dark_horse_frame_is_the_json(example):
    net = sg.build_network(sg.load(example), DAY)
    data = _json("darkhorses", example, "--as-of", DAY)
    frame = sg.dark_horses(net).to_pandas()
    _same(frame, data["dark_horses"])
    assert list(frame.columns[:3]) == ["person", "name", "grade"] or frame.empty


def test_portfolio_frame_is_the_accounts_of_the_json():
    net = sg.build_network(sg.load(HARBOR_COUNTY), DAY)
    data = _json("portfolio", HARBOR_COUNTY, "--as-of", DAY)
    frame = sg.portfolio(net).to_pandas()
    assert len(frame) == len(data["accounts"]) > 0
    # the frame keeps the codes; the JSON also names each account's stance
    assert "stance" not in frame.columns and data["accounts"][0]["stance"]
    _same(frame, data["accounts"], [name for name in data["accounts"][0] if name != "stance"])


def test_diff_frame_stacks_every_change_of_the_json():
    ws = sg.load(SMART_CITY)
    start = dt.date(2026, 5, 28)
    data = _json("diff", SMART_CITY, "--from", start, "--to", DAY)
    frame = sg.diff(ws, start, DAY).to_pandas()
    sections = ["rotations", "level_changes", "relationships_added", "opportunities"]
    for section in sections:
        assert (frame["section"] == section).sum() == len(data[section]), section
    rotations = frame[frame["section"] == "rotations"].dropna(axis=1, how="all")
    # the frame keeps the codes; the JSON also labels them (change_label)
    assert "change_label" not in rotations.columns and data["rotations"][0]["change_label"]
    codes = [name for name in data["rotations"][0] if name != "change_label"]
    _same(rotations, data["rotations"], codes)


def test_an_empty_result_still_has_its_columns():
    frame = rows_to_frame([], ["rank", "person"])
    assert list(frame.columns) == ["rank", "person"] and frame.empty


def test_without_pandas_the_error_names_the_extra(net, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=r"pip install stakegraph\[pandas\]"):
        sg.influence(net, "smart-city").to_pandas()
    assert "stakegraph[pandas]" in PANDAS_HINT
