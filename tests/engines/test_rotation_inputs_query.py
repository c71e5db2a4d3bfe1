"""The rotation_risk_inputs query gives what the rotation risk is estimated from, on the
server as in the embedded engine: hand-read values of the reform of
tests/data/structure/timed (careers run back across it, the recent reform named), the
reform window checked the day it closes and the day before, and its bound refused before
anything is sent."""

from __future__ import annotations

import datetime as dt

import pytest

from stakegraph.analysis.rotation_risk import rotation_inputs
from stakegraph.engines.equivalents import answer
from stakegraph.engines.neo4j import connect
from stakegraph.engines.queries import ParamOutOfRange, run_query
from stakegraph.io import load_workspace
from tests.builders import DATA, run_cli

TIMED = DATA / "structure" / "timed"
REFORM = dt.date(2018, 3, 20)
AFTER = REFORM + dt.timedelta(days=1)


def _read(rows: list[dict]) -> list[tuple]:
    return [(r["post"], r["person"], r["start"], r["reform"]) for r in rows]


#: Hand-read from the timed workspace: gao and he go on across the reform, so their
#: careers start on their predecessor posts; xu comes to his post that day; the adviser's
#: post and its cabinet were not reformed.
EXPECTED = [
    ("digital-min", "gao", dt.date(2015, 6, 1), "r-digital-min"),
    ("digital-vice-infra", "xu", REFORM, "r-info-vice"),
    ("digital-vice-data", "he", dt.date(2016, 9, 1), "r-info-vice"),
    ("adviser", "sun", dt.date(2018, 1, 15), None),
    ("hr-min", "qian", dt.date(2017, 1, 1), "r-hr-min"),
]


@pytest.fixture(scope="module")
def timed(neo4j_connection):
    ws = load_workspace(TIMED)
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        s.push(ws, "q-rotation-timed")
        yield s, ws
        s.drop("q-rotation-timed")


def _params(day: dt.date, **extra) -> dict:
    return {"workspace": "q-rotation-timed", "opportunity": "egov", "as_of": day, **extra}


@pytest.mark.neo4j
def test_careers_run_back_across_the_reform_on_the_server(timed) -> None:
    store, ws = timed
    assert _read(run_query(store, "rotation_risk_inputs", _params(AFTER))) == EXPECTED
    assert _read(answer(ws, "rotation_risk_inputs", _params(AFTER))) == EXPECTED


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("reform_days", "recent"),
    [(0, False), (1, False), (2, True)],  # the window (day − reform_days, day]
)
def test_the_reform_counts_inside_its_window_only(timed, reform_days, recent) -> None:
    store, ws = timed
    params = _params(AFTER, reform_days=reform_days)
    rows = run_query(store, "rotation_risk_inputs", params)
    assert rows == answer(ws, "rotation_risk_inputs", params)
    gao = next(r for r in rows if r["person"] == "gao")
    assert (gao["reform"], gao["reform_day"]) == (
        ("r-digital-min", REFORM) if recent else (None, None)
    )


def test_the_rows_are_the_inputs_of_the_rotation_risk() -> None:
    ws = load_workspace(TIMED)
    facts = rotation_inputs(ws, AFTER, ["egov"])
    rows = answer(ws, "rotation_risk_inputs", {"opportunity": "egov", "as_of": AFTER})
    assert sorted((f["post"], f["person"], f["start"], f["born"], f["grade"]) for f in facts) == (
        sorted((r["post"], r["person"], r["start"], r["born"], r["grade"]) for r in rows)
    )


@pytest.mark.parametrize("value", ["-1", "3651"])
def test_reform_days_out_of_range_is_refused_before_anything_is_sent(monkeypatch, value):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # nothing listens there
    args = ["query", "rotation_risk_inputs", "--neo4j", "--workspace", "w"]
    result = run_cli(
        [*args, "-p", "opportunity=o", "-p", "as_of=2018-03-21", "-p", f"reform_days={value}"]
    )
    assert result.exit_code == 2, result.output
    assert "parameter reform_days of query rotation_risk_inputs must be from 0 to 3650" in (
        result.output
    )
    with pytest.raises(ParamOutOfRange):
        answer(load_workspace(TIMED), "rotation_risk_inputs", _params(AFTER, reform_days=value))


def test_the_browser_block_prints_the_default_window() -> None:
    result = run_cli(["query", "rotation_risk_inputs", "--browser"])
    assert result.exit_code == 0, result.output
    assert ":param reform_days => 365;" in result.output
