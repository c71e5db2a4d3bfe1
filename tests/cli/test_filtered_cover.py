"""gaps, whatif and brief read only the ties a relation filter keeps, and say so.

The sample (liu knows zhao at 0.8) with one warm tie, zhao–wang, of strength 1 and
confidence 0.6: the only way to wang, the portal's decision maker. Kept, wang is
covered at 0.8 × 1 × 0.6 = 0.48 (above the weak threshold 0.4); left out, wang is
UNCOVERED. A tie exactly at the minimum confidence is kept.
"""

import json

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.whatif import Change, what_if
from stakegraph.graph.network import build_network
from stakegraph.graph.relation_filter import RelationFilter, filtered_network
from stakegraph.io import save_workspace
from stakegraph.records.model import Tie
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
from tests.builders import cli_runner

run = cli_runner(env={"COLUMNS": "3000"})
AS_OF = ["--as-of", SAMPLE_DAY.isoformat()]
BOUNDARY = [(0.59, 0.48), (0.6, 0.48), (0.61, 0.0)]  # below, at, above the tie's 0.6


def one_warm_tie():
    ws = sample_workspace()
    tie = Tie(a="zhao", b="wang", kind="classmate", strength=1.0, confidence=0.6)
    ws.records["ties"] = {tie.id: tie}
    return ws


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("one-warm-tie") / "ws"
    save_workspace(one_warm_tie(), path)
    return path


def kinds_on_wang(gaps):
    return {g["kind"] for g in gaps if g["person"] == "wang"}


@pytest.mark.parametrize(("minimum", "cover"), BOUNDARY)
def test_the_filter_decides_the_cover(minimum, cover):
    network = filtered_network(
        build_network(one_warm_tie(), SAMPLE_DAY), RelationFilter.of(min_confidence=minimum)
    )
    result = coverage(network, "portal")
    assert result.overall == pytest.approx(cover)
    uncovered = {g.kind.value for g in result.gaps if g.person == "wang"} >= {"UNCOVERED"}
    assert uncovered == (cover == 0)


@pytest.mark.parametrize(("minimum", "cover"), BOUNDARY)
def test_gaps_json_turns_a_covered_role_into_a_gap(folder, minimum, cover):
    result = run("gaps", folder, *AS_OF, "--min-confidence", minimum, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coverage"] == pytest.approx(cover)
    assert ("UNCOVERED" in kinds_on_wang(data["gaps"])) == (cover == 0)
    assert data["relations"]["min_confidence"] == minimum


def test_gaps_without_a_filter_are_as_before(folder):
    data = json.loads(run("gaps", folder, *AS_OF, "--json").output)
    assert "relations" not in data and data["coverage"] == pytest.approx(0.48)
    plain = run("--lang", "en", "gaps", folder, *AS_OF).output
    assert "relations:" not in plain and "channel graph" not in plain


def test_gaps_heading_states_the_filter_in_both_languages(folder):
    english = run("--lang", "en", "gaps", folder, *AS_OF, "--min-confidence", "0.61").output
    assert "relations: confidence ≥ 0.61 · channel graph: informal ties" in english
    assert "no formal lines" in english  # cover steps along informal ties only
    chinese = run("--lang", "zh", "gaps", folder, *AS_OF, "--min-confidence", "0.61").output
    assert "关系筛选：置信度 ≥ 0.61 · 关系通道图：非正式关系" in chinese


@pytest.mark.parametrize(("minimum", "cover"), BOUNDARY)
def test_whatif_reads_the_filtered_ties(minimum, cover):
    # chen leaves: he knows li only, so the scenario moves nothing but states the filter
    result = what_if(
        one_warm_tie(),
        "portal",
        SAMPLE_DAY,
        [Change("owner_leaves", "chen")],
        RelationFilter.of(min_confidence=minimum),
    )
    assert result.before.overall == pytest.approx(cover)
    assert result.after.overall == pytest.approx(cover)


@pytest.mark.parametrize(("minimum", "cover"), BOUNDARY)
def test_whatif_cli_states_the_filter(folder, minimum, cover):
    args = ["whatif", folder, *AS_OF, "--remove", "zhao", "--min-confidence", minimum]
    data = json.loads(run(*args, "--json").output)
    assert data["coverage"]["before"] == pytest.approx(cover)
    assert data["coverage"]["after"] == 0  # zhao was the only way in
    assert data["relations"]["min_confidence"] == minimum
    text = run("--lang", "en", *args).output
    assert f"relations: confidence ≥ {minimum:g}" in text


def test_whatif_horizon_takes_the_filter(folder):
    args = ["whatif", folder, *AS_OF, "--horizon", "6m", "--min-confidence", "0.61", "--json"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scenario"]["coverage"]["before"] == 0
    assert data["scenario"]["relations"]["min_confidence"] == 0.61


@pytest.mark.parametrize(("minimum", "covered"), [(0.6, True), (0.61, False)])
def test_brief_states_the_filter(folder, tmp_path, minimum, covered):
    out = tmp_path / "brief.svg"
    args = ["--lang", "en", "brief", folder, *AS_OF, "--out", out, "--json"]
    data = json.loads(run(*args, "--min-confidence", minimum).output)
    assert data["relations"]["min_confidence"] == minimum
    page = out.read_text(encoding="utf-8")
    assert f"confidence ≥ {minimum:g}" in page
    assert ("48%" in page) == covered  # the overall coverage the page shows
    plain = json.loads(run(*args[:-1], "--json").output)
    assert "relations" not in plain
