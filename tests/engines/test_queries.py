"""The named Cypher queries give the answers of the Python algorithms, on a real server.

Each workspace is pushed once per module; every query is then compared with the
embedded engine on the same records, which takes relationships as they stood on the
day (re-assessments, logged contacts and `since` applied); a small hand-computed
workspace checks each part of that rule. Tolerances: 1e-9 for strengths and covers
(products of the same factors, computed in Java and in Python), 1e-6 for PageRank.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from stakegraph.analysis.coverage import GapKind, coverage
from stakegraph.analysis.influence import influence
from stakegraph.analysis.paths import warm_channels
from stakegraph.analysis.relationships import relationship_levels
from stakegraph.engines.equivalents import REGISTRY, answer, missing_equivalents
from stakegraph.engines.neo4j import connect
from stakegraph.engines.queries import (
    ParamOutOfRange,
    QueryError,
    _native,
    bind_params,
    browser_script,
    get_query,
    influence_from_neo4j,
    list_queries,
    parse_query,
    run_query,
    workspace_from_neo4j,
)
from stakegraph.engines.store import open_store
from stakegraph.errors import WorkspaceNotStored
from stakegraph.graph.chains import resolve_chain
from stakegraph.graph.network import build_network
from stakegraph.graph.strength import relationship_strength
from stakegraph.io import load_workspace
from stakegraph.records.model import (
    SCORE_DIMENSIONS,
    Assessment,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Tenure,
    Tie,
)
from stakegraph.records.validate import check_workspace
from stakegraph.records.workspace import Workspace
from stakegraph.views.report import build_report
from tests.builders import DAY, ROOT, run_cli

EXAMPLES = ROOT / "examples"
STRENGTH_TOL = 1e-9
PAGERANK_TOL = 1e-6
#: Gap kinds the coverage_gaps query answers (the rest need the Python engine).
QUERY_GAP_KINDS = {
    GapKind.UNCOVERED,
    GapKind.WEAK,
    GapKind.STALE,
    GapKind.NO_OWNER,
    GapKind.OPPONENT,
    GapKind.VACANT,
    GapKind.UNKNOWN_HOLDER,
    GapKind.ROTATED,
}
EXPECTED = {
    "decision_chain",
    "coverage_gaps",
    "warm_paths",
    "who_covers",
    "owner_portfolio",
    "vacancies_and_rotations",
    "rotation_risk_inputs",
    "influence_ranking",
    "influence_pagerank",
}


# --- the loader (no server needed) ---------------------------------------------------------
def test_every_query_has_a_complete_header():
    queries = {q.name: q for q in list_queries()}
    assert set(queries) >= EXPECTED
    for q in queries.values():
        assert q.description and q.returns, q.name
        assert q.param("workspace") is not None and q.param("workspace").required, q.name
        for p in q.params:
            assert p.meaning, (q.name, p.name)
        # parameters only: every $name in the text is declared, and vice versa
        import re

        used = set(re.findall(r"\$(\w+)", q.text))
        assert used == {p.name for p in q.params}, q.name


def test_queries_live_once_at_the_top_of_the_repository():
    assert sorted(p.name for p in (ROOT / "queries").glob("*.cypher")) == sorted(
        f"{q.name}.cypher" for q in list_queries()
    )
    assert not list((ROOT / "stakegraph").rglob("*.cypher"))


@pytest.mark.slow
def test_a_built_wheel_ships_the_queries_and_lists_them_outside_the_repository(tmp_path):
    """A normal (non-editable) install finds queries/ inside the package."""
    import subprocess
    import sys

    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("stakegraph-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in (target / "stakegraph" / "queries").glob("*.cypher"))
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import stakegraph; "
        "assert stakegraph.__file__.startswith(sys.argv[1]), stakegraph.__file__; "
        "from stakegraph.cli.main import main; main(['query', '--list'])"
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    listed = [line for line in done.stdout.splitlines() if line and not line.startswith(" ")]
    assert listed == sorted(q.name for q in list_queries())


def test_bind_params_converts_and_validates():
    q = get_query("warm_paths")
    bound = bind_params(
        q, {"workspace": "w", "person": "p", "as_of": "2026-11-28", "k": "5", "max_hops": "1"}
    )
    assert bound["k"] == 5 and bound["max_hops"] == 1 and bound["as_of"] == "2026-11-28"
    assert bound["half_life_days"] == 180.0 and bound["owner"] is None
    assert bind_params(q, {"workspace": "w", "person": "p", "as_of": DAY})["as_of"] == "2026-11-28"
    with pytest.raises(QueryError, match="needs person, as_of"):
        bind_params(q, {"workspace": "w"})
    with pytest.raises(QueryError, match="no parameter colour"):
        bind_params(q, {"workspace": "w", "person": "p", "as_of": "2026-11-28", "colour": "x"})
    with pytest.raises(QueryError, match="k must be an int"):
        bind_params(q, {"workspace": "w", "person": "p", "as_of": "2026-11-28", "k": "three"})
    with pytest.raises(QueryError, match="as_of must be a date"):
        bind_params(q, {"workspace": "w", "person": "p", "as_of": "28/11/2026"})
    with pytest.raises(ParamOutOfRange, match="max_hops of query warm_paths must be from 0 to 6"):
        bind_params(q, {"workspace": "w", "person": "p", "as_of": "2026-11-28", "max_hops": 9})
    with pytest.raises(QueryError, match="no query named 'nope'"):
        get_query("nope")


def _outside(p) -> tuple[float, float]:
    """The nearest values just below and just above a parameter's bounds."""
    step = 1 if p.type == "int" else 1e-9
    low, high = p.low - step, p.high + step
    return (int(low), int(high)) if p.type == "int" else (low, high)


def _required(query) -> dict:
    values = {"str": "x", "date": "2026-11-28", "int": 1, "float": 0.5, "bool": True}
    return {p.name: values[p.type] for p in query.params if p.required}


def test_every_number_declares_bounds_that_hold_its_default():
    for q in list_queries():
        for p in q.params:
            if p.type in ("int", "float"):
                assert p.bounded, (q.name, p.name)
                assert p.low <= p.default <= p.high, (q.name, p.name)
                assert f"[{p.low:g}, {p.high:g}]" in p.describe(), (q.name, p.name)


@pytest.mark.parametrize("name", sorted(q.name for q in list_queries()))
def test_each_bound_admits_its_edge_and_refuses_just_beyond(name):
    q = get_query(name)
    checked = 0
    for p in q.params:
        if not p.bounded:
            continue
        for edge in (p.low, p.high):
            value = int(edge) if p.type == "int" else edge
            assert bind_params(q, {**_required(q), p.name: value})[p.name] == value
        for beyond in _outside(p):
            with pytest.raises(ParamOutOfRange) as caught:
                bind_params(q, {**_required(q), p.name: str(beyond)})
            message = str(caught.value)
            assert f"{p.name} of query {name} must be from {p.low:g} to {p.high:g}" in message
            assert f"queries/{name}.cypher" in message and "--param" in message
            assert caught.value.exit_code == 2
        checked += 1
    assert checked or all(p.type not in ("int", "float") for p in q.params)


def test_a_setting_out_of_bounds_is_refused_and_named():
    from stakegraph.io import load_settings_text

    settings = load_settings_text("[coverage]\nstale_days = 40000\n", "test")
    q = get_query("coverage_gaps")
    with pytest.raises(ParamOutOfRange, match="stale_days .*got 40000 .*stakegraph.toml"):
        bind_params(q, {"workspace": "w", "opportunity": "o", "as_of": DAY}, settings)


def test_a_header_with_bad_bounds_is_an_error(tmp_path):
    path = tmp_path / "q.cypher"
    head = "// name: q\n// description: d\n// returns: a\n// params:\n"
    with pytest.raises(QueryError, match="only numbers take bounds"):
        parse_query(head + "//   who: str = x [1, 2] — who\nRETURN 1\n", path)
    with pytest.raises(QueryError, match="bounds of k fall"):
        parse_query(head + "//   k: int = 3 [5, 1] — k\nRETURN 1\n", path)
    q = parse_query(head + "//   k: int = 3 [1, 5] — k\nRETURN 1\n", path)
    assert (q.params[0].low, q.params[0].high, q.params[0].meaning) == (1, 5, "k")


def test_a_text_parameter_lists_its_values_and_other_values_are_refused(tmp_path):
    from stakegraph.io import load_settings_text

    path = tmp_path / "q.cypher"
    head = "// name: q\n// description: d\n// returns: a\n// params:\n"
    with pytest.raises(QueryError, match="only text takes a list of values"):
        parse_query(head + "//   k: int = 3 [1, 5] {3|4} — k\nRETURN 1\n", path)
    with pytest.raises(QueryError, match="its default among them"):
        parse_query(head + "//   how: str = sum {max|noisy_or} — how\nRETURN 1\n", path)
    q = parse_query(head + "//   how: str = max {max|noisy_or} — how\nRETURN 1\n", path)
    assert (q.params[0].choices, q.params[0].meaning) == (("max", "noisy_or"), "how")
    assert q.params[0].describe() == "how: str = max {max|noisy_or} — how"
    assert bind_params(q, {"how": "noisy_or"}) == {"how": "noisy_or"}
    with pytest.raises(ParamOutOfRange, match="how of query q must be one of max, noisy_or"):
        bind_params(q, {"how": "sum"})
    settings = load_settings_text('[ties]\nstrength = "noisy_or"\n', "test")
    assert (
        bind_params(
            get_query("warm_paths"), {"workspace": "w", "person": "p", "as_of": DAY}, settings
        )["tie_strength"]
        == "noisy_or"
    )


# --- against the server --------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        yield s


def _pushed(store, workspace, workspace_id):
    store.push(workspace, workspace_id)
    return workspace_id, workspace, build_network(workspace, DAY)


@pytest.fixture(scope="module")
def city(store):
    return _pushed(store, load_workspace(EXAMPLES / "smart-city"), "q-smart-city")


@pytest.fixture(scope="module")
def county(store):
    return _pushed(store, load_workspace(EXAMPLES / "harbor-county"), "q-harbor-county")


@pytest.fixture(scope="module")
def synthetic(store):
    from benchmarks.synthetic import generate_workspace

    return _pushed(store, generate_workspace(2000, seed=3), "q-synthetic")


@pytest.fixture(params=["city", "county", "synthetic"])
def pushed(request):
    return request.getfixturevalue(request.param)


def _opportunities(ws, limit=3):
    return list(ws.opportunities)[:limit]


def _targets(ws, network, limit=8):
    """Role holders of the chains, plus persons no channel reaches."""
    chosen: list[str] = []
    for opp in _opportunities(ws):
        for step in resolve_chain(ws, opp, DAY):
            for role in step.roles:
                chosen += [p for p in role.holders if p not in chosen]
    chosen = chosen[:limit]
    unreachable = [p for p in network.persons if not warm_channels(network, p, 1)][:2]
    return chosen + unreachable


# --- parity: every query against its Python equivalent, driven by the registry -----------
def _choices(ws, network) -> dict[str, list]:
    """Values of each query parameter to try on a workspace (None: the default)."""
    return {
        "opportunity": _opportunities(ws),
        "person": _targets(ws, network),
        "owner": list(ws.owners)[:5],
        "k": [None, 1, 5],
        "max_hops": [None, 0, 1, 3],
        "days": [None, 30, 400],
        "formal_lines": [None, False],
        "downward": [None, 0.0],
        # directed ties against deference dropped, read both ways alike; parallel ties combined
        "against_deference": [None, 0.0, 1.0],
        "tie_strength": [None, "noisy_or"],
        "tie_deference": [None, "max"],
        "reform_days": [None, 0, 3650],
    }


def _cases(query, ws, network) -> list[dict]:
    """Parameter sets for one query: every value of each parameter the test knows,
    one parameter varied at a time from the first values of the required ones."""
    choices = _choices(ws, network)
    base: dict = {"workspace": None, "as_of": DAY}
    varied: list[tuple[str, list]] = []
    for p in query.params:
        if p.name in ("workspace", "as_of"):
            continue
        if p.name in choices and choices[p.name]:
            values = choices[p.name] + ([None] if not p.required else [])
            base[p.name] = values[0]
            varied.append((p.name, values[1:]))
        elif p.required:
            pytest.fail(
                f"query {query.name} needs {p.name}: tell _choices in this test which values to try"
            )
    cases = [dict(base)]
    for name, values in varied:
        cases += [{**base, name: v} for v in values]
    return cases


def _same(got, want, tolerance: float) -> bool:
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(
            _same(g, w, tolerance) for g, w in zip(got, want, strict=True)
        )
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return got == want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return got == pytest.approx(want, abs=tolerance)
    return got == want


def assert_same_rows(got: list[dict], want: list[dict], entry, query, context) -> None:
    """The server's rows are the Python equivalent's: same columns, rows, order, values."""
    assert len(got) == len(want), (context, len(got), len(want))
    for row in want:
        assert list(row) == list(query.returns), (context, list(row))
    if entry.key:  # equal scores may be ordered differently: match rows by key

        def by_key(rows):
            return sorted(rows, key=lambda r: tuple(str(r[c]) for c in entry.key))

        got, want = by_key(got), by_key(want)
    for index, (g, w) in enumerate(zip(got, want, strict=True)):
        assert set(g) == set(w), (context, index)
        for column in w:
            if column in entry.loose:
                continue
            assert _same(g[column], w[column], entry.tolerance), (
                context,
                index,
                column,
                g[column],
                w[column],
            )


def test_every_query_gives_example_values_the_browser_block_uses():
    for query in list_queries():
        example = dict(query.example)
        assert {p.name for p in query.params if p.required} <= set(example), query.name
        lines = browser_script(query, {}).splitlines()
        params = [line for line in lines if line.startswith(":param ")]
        assert [line.split()[1] for line in params] == [p.name for p in query.params]
        assert all(line.endswith(";") for line in params)
        assert lines[len(params) + 1 :] == query.text.rstrip().splitlines()


def test_the_browser_block_takes_given_values_and_refuses_what_bind_params_refuses():
    query = get_query("warm_paths")
    text = browser_script(query, {"person": "o'brien", "k": "50", "as_of": "2027-01-02"})
    assert ":param person => 'o\\'brien';" in text
    assert ":param k => 50;" in text and ":param as_of => date('2027-01-02');" in text
    with pytest.raises(ParamOutOfRange):
        browser_script(query, {"k": "51"})


def test_query_browser_prints_the_block_without_a_server(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = run_cli(["query", "who_covers", "--browser", "-p", "person=he-jing"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        ":param workspace => 'smart-city';\n:param person => 'he-jing';\n"
        ":param as_of => date('2026-11-28');\n"
    )
    assert "// name: who_covers" in result.output
    refused = run_cli(["query", "warm_paths", "--browser", "-p", "k=0"])
    assert refused.exit_code == 2 and "must be from 1 to 50, got 0" in refused.output


def test_an_example_line_missing_a_required_value_is_an_error(tmp_path):
    text = get_query("who_covers").text.replace(" person=xu-zhiheng", "")
    with pytest.raises(QueryError, match="no value for person"):
        parse_query(text, tmp_path / "who_covers.cypher")


def test_every_query_has_a_python_equivalent():
    assert missing_equivalents() == []
    assert sorted(REGISTRY) == sorted(q.name for q in list_queries())


def test_a_query_without_a_python_equivalent_is_found(monkeypatch):
    """The check above can fail: a new query file with no registry entry is named."""
    import stakegraph.engines.equivalents as equivalents

    extra = replace(get_query("who_covers"), name="who_else")
    monkeypatch.setattr(equivalents, "list_queries", lambda: [*list_queries(), extra])
    assert equivalents.missing_equivalents() == ["who_else"]


def test_a_folder_answers_every_query_without_a_server(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    ws = load_workspace(EXAMPLES / "smart-city")
    network = build_network(ws, DAY)
    with open_store(EXAMPLES / "smart-city") as store:
        for query in list_queries():
            answered = False
            for params in _cases(query, ws, network):
                params = {k: v for k, v in params.items() if k != "workspace" and v is not None}
                rows = store.query(query.name, params)
                assert rows == answer(ws, query.name, params)
                answered |= bool(rows)
            assert answered, f"{query.name} gave no rows on the example"


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_query_gives_the_rows_of_its_python_equivalent(store, pushed, name):
    """Parity, query by query, on the examples and a synthetic workspace of 2,000."""
    wid, ws, network = pushed
    query, entry = get_query(name), REGISTRY[name]
    nonempty = 0
    for params in _cases(query, ws, network):
        params = {k: v for k, v in {**params, "workspace": wid}.items() if v is not None}
        got = run_query(store, name, params)
        want = answer(ws, name, params)
        assert_same_rows(got, want, entry, query, (name, params))
        nonempty += bool(want)
    assert nonempty, f"{name}: every case was empty on {wid}"


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_the_browser_block_runs_as_pasted(store, city, name):
    """Each :param expression evaluated by the server, then the query: the same rows."""
    wid = city[0]
    query = get_query(name)
    lines = browser_script(query, {"workspace": wid}).splitlines()
    values = {}
    for line in lines:
        if line.startswith(":param "):
            key, _, literal = line[len(":param ") :].rstrip(";").partition(" => ")
            values[key] = store._read(f"RETURN {literal} AS v")[0]["v"]
    rows = [{k: _native(v) for k, v in row.items()} for row in store._read(query.text, **values)]
    assert rows and rows == run_query(store, name, {**dict(query.example), "workspace": wid})


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_parity_holds_on_the_day_rule_workspace(store, as_of, name):
    """The hand-built workspace of re-assessments, logged contacts and late `since`."""
    wid, ws, network = as_of
    query, entry = get_query(name), REGISTRY[name]
    for params in _cases(query, ws, network):
        params = {k: v for k, v in {**params, "workspace": wid}.items() if v is not None}
        assert_same_rows(
            run_query(store, name, params), answer(ws, name, params), entry, query, params
        )


@pytest.mark.neo4j
def test_influence_ranking_matches_influence(store, pushed):
    wid, ws, network = pushed
    for opp in [None, *_opportunities(ws, 1)]:
        expected = influence(network, opp)
        got = influence_from_neo4j(store, wid, DAY, opp)
        assert sorted(got.persons) == sorted(expected.persons)
        for pid in expected.persons:
            assert got.of(pid) == pytest.approx(expected.of(pid), abs=PAGERANK_TOL)
            for part, value in expected.parts_of(pid).items():
                assert got.parts_of(pid)[part] == pytest.approx(value, abs=PAGERANK_TOL)
        # same ranking, apart from the order of exactly equal scores
        top = expected.top(20)
        assert [round(got.of(p), 9) for p in got.top(20)] == [round(expected.of(p), 9) for p in top]


@pytest.mark.neo4j
def test_influence_ranking_rows_are_the_deference_edges(store, city):
    wid, ws, network = city
    rows = run_query(store, "influence_ranking", {"workspace": wid, "as_of": DAY})
    edges = {(r["source"], r["target"]) for r in rows if r["part"] == "formal"}
    formal = network.formal.tocoo()
    assert edges == {
        (network.persons[i], network.persons[j])
        for i, j in zip(formal.row, formal.col, strict=True)
    }
    grades = {r["source"]: r["weight"] for r in rows if r["part"] == "grade"}
    assert grades == {p: float(network.grade[i]) for i, p in enumerate(network.persons)}


@pytest.mark.neo4j
def test_report_on_pulled_workspace_equals_local(store, city):
    wid, ws, _ = city
    pulled = workspace_from_neo4j(store, wid)
    local = json.dumps(build_report(ws, DAY), sort_keys=True, ensure_ascii=False, default=str)
    remote = json.dumps(build_report(pulled, DAY), sort_keys=True, ensure_ascii=False, default=str)
    assert remote == local


@pytest.mark.neo4j
def test_unknown_workspace_is_a_clear_error(store, city):
    with pytest.raises(WorkspaceNotStored, match="no workspace 'no-such-ws'"):
        run_query(store, "who_covers", {"workspace": "no-such-ws", "person": "x", "as_of": DAY})


@pytest.mark.neo4j
def test_settings_of_the_stored_workspace_are_the_defaults(store):
    """Setting-like parameters default to the stored stakegraph.toml, not the header."""
    from stakegraph.io import load_settings_text

    ws = load_workspace(EXAMPLES / "smart-city")
    ws.settings_text = "[strength]\nhalf_life_days = 30.0\nsupport = 3.0\n"
    ws.settings = load_settings_text(ws.settings_text, "test")
    store.push(ws, "q-settings")
    try:
        on_day = build_network(ws, DAY).workspace  # re-assessments and logged contacts applied
        rel = next(r for r in on_day.relationships.values() if r.last_contact)
        rows = run_query(
            store, "who_covers", {"workspace": "q-settings", "person": rel.person, "as_of": DAY}
        )
        row = next(r for r in rows if r["relationship"] == rel.id)
        assert row["strength"] == pytest.approx(
            relationship_strength(rel, DAY, ws.settings), abs=STRENGTH_TOL
        )
        header_default = run_query(
            store,
            "who_covers",
            {"workspace": "q-settings", "person": rel.person, "as_of": DAY},
            use_settings=False,
        )
        assert next(r for r in header_default if r["relationship"] == rel.id)[
            "strength"
        ] == pytest.approx(relationship_strength(rel, DAY), abs=STRENGTH_TOL)
    finally:
        store.drop("q-settings")


def _assert_pagerank_rows_match(rows, expected, top=10):
    """Cypher PageRank rows equal the Python scores, and rank like them."""
    assert [r["rank"] for r in rows] == list(range(1, len(expected.persons) + 1))
    assert sorted(r["person"] for r in rows) == sorted(expected.persons)
    worst = max(abs(r["score"] - expected.of(r["person"])) for r in rows)
    assert worst < PAGERANK_TOL, worst
    want = expected.top(top)
    got = [r["person"] for r in rows[:top]]
    for k, (g, e) in enumerate(zip(got, want, strict=True)):
        if g != e:  # only exactly tied scores may be ordered differently
            assert expected.of(g) == pytest.approx(expected.of(e), abs=1e-12), (k, g, e)
    return worst


# --- relationships on the day: re-assessments, the interactions log, `since` ---------------
def _as_of_workspace() -> Workspace:
    """A bureau whose relationships only read right with the as-of rule.

    On DAY (2026-11-28): liu~xu is re-assessed twice before the day (two assessments
    share 2026-09-30; the larger id wins) and once after it (ignored), and a visit on
    2026-11-20 is newer than its typed last contact (a meeting after the day is
    ignored); liu~sun is refreshed by a call after sun took the deputy post; wang~he
    and the tie ma–xu start after the day, so he is reached only through ma.
    """
    ws = Workspace(name="as-of")
    ws.add(Organisation(id="gov", name="江川市政府", kind="government"))
    ws.add(Organisation(id="bdb", name="大数据局", parent="gov"))
    ws.add(Post(id="director", org="bdb", title="局长", grade=5, leadership=True))
    ws.add(Post(id="chief", org="bdb", title="建设科科长", grade=3, reports_to="director"))
    ws.add(Post(id="deputy", org="bdb", title="副局长", grade=4, reports_to="director"))
    ws.add(Person(id="xu", name="许", tenures=[Tenure(post="director")]))
    ws.add(Person(id="he", name="何", tenures=[Tenure(post="chief", start=dt.date(2026, 10, 1))]))
    ws.add(Person(id="zhao", name="赵", tenures=[Tenure(post="chief", end=dt.date(2026, 10, 1))]))
    ws.add(Person(id="sun", name="孙", tenures=[Tenure(post="deputy", start=dt.date(2026, 9, 1))]))
    ws.add(Person(id="qian", name="钱", tenures=[Tenure(post="deputy", end=dt.date(2026, 9, 1))]))
    ws.add(Person(id="ma", name="马"))
    ws.add(Owner(id="liu", name="刘", tier=3))
    ws.add(Owner(id="wang", name="王", tier=2))

    def scores(value: float) -> dict[str, float]:
        return {d: value for d in SCORE_DIMENSIONS}

    ws.add(
        Relationship(
            owner="liu",
            person="xu",
            **scores(2),
            level="preferred",
            responsible=True,
            since=dt.date(2025, 1, 1),
            last_contact=dt.date(2026, 5, 1),
        )
    )
    ws.add(
        Relationship(
            owner="wang", person="he", **scores(3), responsible=True, since=dt.date(2026, 12, 1)
        )
    )
    ws.add(
        Relationship(
            owner="wang",
            person="ma",
            **scores(4),
            since=dt.date(2024, 1, 1),
            last_contact=dt.date(2026, 10, 1),
        )
    )
    for person in ("zhao", "qian"):
        ws.add(
            Relationship(
                owner="liu",
                person=person,
                **scores(3),
                since=dt.date(2023, 1, 1),
                last_contact=dt.date(2026, 6, 1),
            )
        )
    ws.add(
        Relationship(
            owner="liu",
            person="sun",
            **scores(1),
            responsible=True,
            since=dt.date(2026, 1, 1),
            last_contact=dt.date(2026, 8, 1),
        )
    )
    ws.add(Assessment(owner="liu", person="xu", date=dt.date(2026, 6, 30), participation=4))
    ws.add(
        Assessment(
            owner="liu",
            person="xu",
            date=dt.date(2026, 9, 30),
            participation=3,
            information=4,
            level="partner",
        )
    )
    ws.add(
        Assessment(
            id="liu~xu~2026-09-30~b",
            owner="liu",
            person="xu",
            date=dt.date(2026, 9, 30),
            information=5,
        )
    )
    ws.add(
        Assessment(
            owner="liu",
            person="xu",
            date=dt.date(2026, 12, 15),
            support=5,
            preference=5,
            level="strategic",
        )
    )
    for iid, day, kind, owner, person in (
        ("visit-xu", dt.date(2026, 11, 20), "visit", "liu", "xu"),
        ("meeting-xu", dt.date(2026, 12, 10), "meeting", "liu", "xu"),
        ("call-sun", dt.date(2026, 11, 1), "call", "liu", "sun"),
    ):
        ws.add(Interaction(id=iid, date=day, kind=kind, owners=[owner], persons=[person]))
    ws.add(Tie(a="ma", b="he", kind="friend", strength=0.8, since=dt.date(2025, 1, 1)))
    ws.add(Tie(a="ma", b="xu", kind="classmate", strength=0.9, since=dt.date(2026, 12, 20)))
    ws.add(
        Opportunity(
            id="brain",
            name="城市大脑",
            client="bdb",
            chain=[
                {
                    "name": "立项",
                    "roles": [
                        {"post": "director", "role": "decision_maker"},
                        {"post": "chief", "role": "evaluator"},
                        {"post": "deputy", "role": "influencer"},
                    ],
                }
            ],
        )
    )
    return ws


#: Hand-computed on DAY: liu~xu scores 2, 3, 5, 2, 2, 2 (sum 16), contact 8 days ago;
#: wang~ma scores 4 (sum 24), contact 58 days ago; liu~sun scores 1, contact 27 days ago.
LIU_XU = 16 / 30 * 0.5 ** (8 / 180)
WANG_MA = 24 / 30 * 0.5 ** (58 / 180)
LIU_SUN = 6 / 30 * 0.5 ** (27 / 180)


@pytest.fixture(scope="module")
def as_of(store):
    ws = _as_of_workspace()
    assert check_workspace(ws) == []
    yield _pushed(store, ws, "q-as-of")
    store.drop("q-as-of")


@pytest.mark.neo4j
def test_who_covers_takes_relationships_as_of_the_day(store, as_of):
    wid, _, network = as_of
    rows = run_query(store, "who_covers", {"workspace": wid, "person": "xu", "as_of": DAY})
    table = relationship_levels(network, person="xu")
    assert [r["relationship"] for r in rows] == [t.id for t in table] == ["liu~xu"]
    row, expected = rows[0], table[0]
    assert row["strength"] == pytest.approx(LIU_XU, abs=STRENGTH_TOL)
    assert row["strength"] == pytest.approx(expected.strength, abs=5e-5)
    assert row["level"] == expected.computed_level == "preferred"
    # the level of the latest assessment up to the day; the one after it is ignored
    assert row["stated_level"] == expected.stated_level == "partner"
    assert row["last_contact"] == expected.last_contact == dt.date(2026, 11, 20)
    assert row["responsible"] is True
    # a relationship that starts after the day does not cover anyone yet
    assert run_query(store, "who_covers", {"workspace": wid, "person": "he", "as_of": DAY}) == []
    assert relationship_levels(network, person="he") == []
    # a day later than every record: the late assessment and meeting now count
    late = dt.date(2026, 12, 31)
    rows = run_query(store, "who_covers", {"workspace": wid, "person": "xu", "as_of": late})
    assert rows[0]["stated_level"] == "strategic" and rows[0]["level"] == "partner"
    assert rows[0]["last_contact"] == dt.date(2026, 12, 10)
    he = run_query(store, "who_covers", {"workspace": wid, "person": "he", "as_of": late})
    assert [r["owner"] for r in he] == ["wang"]


@pytest.mark.neo4j
def test_owner_portfolio_takes_relationships_as_of_the_day(store, as_of):
    wid, _, network = as_of
    for owner, load in (("liu", 2), ("wang", 0)):
        rows = run_query(store, "owner_portfolio", {"workspace": wid, "owner": owner, "as_of": DAY})
        table = relationship_levels(network, owner=owner)
        assert sorted(r["relationship"] for r in rows) == sorted(t.id for t in table)
        by_id = {t.id: t for t in table}
        for row in rows:
            assert row["strength"] == pytest.approx(by_id[row["relationship"]].strength, abs=5e-5)
            assert row["level"] == by_id[row["relationship"]].computed_level
            assert row["responsible_count"] == load
    liu = {
        r["person"]: r
        for r in run_query(
            store, "owner_portfolio", {"workspace": wid, "owner": "liu", "as_of": DAY}
        )
    }
    assert liu["sun"]["strength"] == pytest.approx(LIU_SUN, abs=STRENGTH_TOL)
    assert liu["sun"]["last_contact"] == dt.date(2026, 11, 1)


@pytest.mark.neo4j
def test_warm_paths_take_relationships_and_ties_as_of_the_day(store, as_of):
    wid, _, network = as_of
    expected_strength = {"he": WANG_MA * 0.8, "xu": LIU_XU}
    expected_route = {"he": ("wang", ("ma", "he")), "xu": ("liu", ("xu",))}
    for target in ("he", "xu", "sun"):
        for hops in (0, 1, 2, 3):
            rows = run_query(
                store,
                "warm_paths",
                {"workspace": wid, "person": target, "as_of": DAY, "k": 5, "max_hops": hops},
            )
            channels = warm_channels(network, target, 5, None, hops)
            assert [(r["owner"], tuple(r["persons"]), r["steps"]) for r in rows] == [
                (c.owner, c.persons, list(c.steps)) for c in channels
            ], (target, hops)
            for row, channel in zip(rows, channels, strict=True):
                assert row["strength"] == pytest.approx(channel.strength, abs=STRENGTH_TOL)
                assert row["relationship"] == channel.relationship_id
        rows = run_query(
            store,
            "warm_paths",
            {"workspace": wid, "person": target, "as_of": DAY, "k": 5, "formal_lines": False},
        )
        if target in expected_route:
            assert [(r["owner"], tuple(r["persons"])) for r in rows] == [expected_route[target]]
            assert rows[0]["strength"] == pytest.approx(expected_strength[target], abs=1e-12)


@pytest.mark.neo4j
def test_coverage_gaps_and_chain_take_relationships_as_of_the_day(store, as_of):
    wid, _, network = as_of
    cov = coverage(network, "brain")
    expected = sorted((g.person, g.kind.value) for g in cov.gaps if g.kind in QUERY_GAP_KINDS)
    # sun is refreshed by the call (no STALE, no ROTATED); he has no relationship yet
    assert expected == [("he", "NO_OWNER"), ("he", "ROTATED"), ("sun", "WEAK")]
    rows = run_query(
        store, "coverage_gaps", {"workspace": wid, "opportunity": "brain", "as_of": DAY}
    )
    assert sorted((r["person"], r["kind"]) for r in rows) == expected
    cover = {h.person: h.cover for h in cov.holders}
    assert cover["he"] == pytest.approx(WANG_MA * 0.8, abs=1e-12)
    assert cover["xu"] == pytest.approx(LIU_XU, abs=1e-12)
    for row in rows:
        assert row["cover"] == pytest.approx(cover[row["person"]], abs=STRENGTH_TOL)
    chain = run_query(
        store, "decision_chain", {"workspace": wid, "opportunity": "brain", "as_of": DAY}
    )
    direct = {r["holder"]: (r["direct_owner"], r["direct_cover"]) for r in chain}
    assert direct["xu"][0] == "liu" and direct["xu"][1] == pytest.approx(LIU_XU, abs=1e-12)
    assert direct["sun"][0] == "liu" and direct["sun"][1] == pytest.approx(LIU_SUN, abs=1e-12)
    assert direct["he"] == (None, 0.0)


@pytest.mark.neo4j
def test_influence_leaves_out_ties_that_start_after_the_day(store, as_of):
    wid, _, network = as_of
    rows = run_query(store, "influence_ranking", {"workspace": wid, "as_of": DAY})
    ties = {(r["source"], r["target"]) for r in rows if r["part"] == "tie"}
    assert ties == {("ma", "he"), ("he", "ma")}
    expected = influence(network, "brain")
    got = influence_from_neo4j(store, wid, DAY, "brain")
    for pid in expected.persons:
        assert got.of(pid) == pytest.approx(expected.of(pid), abs=PAGERANK_TOL)
    rows = run_query(
        store, "influence_pagerank", {"workspace": wid, "as_of": DAY, "opportunity": "brain"}
    )
    _assert_pagerank_rows_match(rows, expected)
