"""Results as DataFrames: the same rows and numbers as the command's --json."""

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


def test_influence_frame_is_the_json(net):
    result = sg.influence(net, "smart-city")
    frame = result.to_pandas()
    assert len(frame) == net.size  # every person, rank 1 first
    assert list(frame["rank"]) == list(range(1, net.size + 1))
    assert {"parts.formal", "parts.decision", "name", "posts"} <= set(frame.columns)
    rows = _json("influence", SMART_CITY, "-o", "smart-city", "--as-of", DAY, "--top", 5)
    shown = ["rank", "person", "name", "posts", "grade", "score", "parts.formal", "parts.decision"]
    _same(frame.head(5), rows, shown)


def test_coverage_frames_are_the_chain_and_the_gaps_of_the_json(net):
    cov = sg.coverage(net, "smart-city")
    data = _json("gaps", SMART_CITY, "-o", "smart-city", "--as-of", DAY)
    roles = [
        {"step": s["id"], "step_name": s["name"], "step_coverage": s["coverage"], **role}
        for s in data["chain"]
        for role in s["roles"]
    ]
    _same(cov.to_pandas(), roles)
    _same(cov.gaps_to_pandas(), data["gaps"])
    assert cov.gaps_to_pandas()["severity"].is_monotonic_decreasing


def test_plan_frame_is_the_json(net):
    plan = sg.engagement_plan(net, "smart-city")
    assert isinstance(plan, list) and plan == list(plan)
    rows = _json("plan", SMART_CITY, "-o", "smart-city", "--as-of", DAY)
    frame = plan.to_pandas()
    _same(frame, rows)
    assert "channel.owner_name" in frame.columns


def test_warm_channel_frame_is_the_json(net):
    channels = sg.warm_channels(net, "he-jing", k=3)
    rows = _json("paths", SMART_CITY, "--to", "he-jing", "--as-of", DAY)
    assert rows, "the example has channels to he-jing"
    _same(channels.to_pandas(), rows)


def test_relationship_frame_is_the_json(net):
    rows = _json("relationships", SMART_CITY, "--as-of", DAY)
    frame = sg.relationships(net).to_pandas()
    _same(frame, rows)
    assert "scores.support" in frame.columns


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
    _same(frame, data["accounts"])


def test_diff_frame_stacks_every_change_of_the_json():
    ws = sg.load(SMART_CITY)
    start = dt.date(2026, 5, 28)
    data = _json("diff", SMART_CITY, "--from", start, "--to", DAY)
    frame = sg.diff(ws, start, DAY).to_pandas()
    sections = ["rotations", "level_changes", "relationships_added", "opportunities"]
    for section in sections:
        assert (frame["section"] == section).sum() == len(data[section]), section
    rotations = frame[frame["section"] == "rotations"].dropna(axis=1, how="all")
    _same(rotations, data["rotations"])


def test_an_empty_result_still_has_its_columns():
    frame = rows_to_frame([], ["rank", "person"])
    assert list(frame.columns) == ["rank", "person"] and frame.empty


def test_without_pandas_the_error_names_the_extra(net, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=r"pip install stakegraph\[pandas\]"):
        sg.influence(net, "smart-city").to_pandas()
    assert "stakegraph[pandas]" in PANDAS_HINT
