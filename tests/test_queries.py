"""The named Cypher queries give the answers of the Python algorithms, on a real server.

Each workspace is pushed once per module; every query is then compared with the
embedded engine on the same records. Tolerances: 1e-9 for strengths and covers
(products of the same factors, computed in Java and in Python), 1e-6 for PageRank.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from stakegraph.analysis.coverage import GapKind, coverage
from stakegraph.analysis.influence import influence
from stakegraph.analysis.network import build_network
from stakegraph.analysis.paths import warm_channels
from stakegraph.analysis.strength import level_from_scores, relationship_strength
from stakegraph.chain import resolve_chain
from stakegraph.io import load_workspace
from stakegraph.query import (
    QueryError,
    bind_params,
    get_query,
    influence_from_neo4j,
    list_queries,
    run_query,
    workspace_from_neo4j,
)
from stakegraph.report import build_report
from stakegraph.store import WorkspaceNotStored, connect

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DAY = dt.date(2026, 11, 28)
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
    GapKind.ROTATED,
}
EXPECTED = {
    "decision_chain",
    "coverage_gaps",
    "warm_paths",
    "who_covers",
    "owner_portfolio",
    "vacancies_and_rotations",
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


def test_queries_are_package_data():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"queries/*.cypher"' in text


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
    with pytest.raises(QueryError, match="max_hops must be between 0 and 6"):
        bind_params(q, {"workspace": "w", "person": "p", "as_of": "2026-11-28", "max_hops": 9})
    with pytest.raises(QueryError, match="no query named 'nope'"):
        get_query("nope")


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


@pytest.mark.neo4j
def test_warm_paths_match_warm_channels(store, pushed):
    wid, ws, network = pushed
    targets = _targets(ws, network)
    assert targets
    empty_seen = False
    owner = network.owners[0]
    for target in targets:
        for k, hops, owners in (
            (3, 2, None),
            (5, 1, None),
            (2, 3, None),
            (3, 2, owner),
            (4, 0, None),
        ):
            expected = warm_channels(network, target, k, owners, hops)
            rows = run_query(
                store,
                "warm_paths",
                {
                    "workspace": wid,
                    "person": target,
                    "as_of": DAY,
                    "k": k,
                    "max_hops": hops,
                    "owner": owners,
                },
            )
            empty_seen |= not expected
            assert [r["rank"] for r in rows] == list(range(1, len(expected) + 1))
            assert [(r["owner"], tuple(r["persons"]), r["hops"]) for r in rows] == [
                (c.owner, c.persons, c.hops) for c in expected
            ], (target, k, hops, owners)
            for row, channel in zip(rows, expected, strict=True):
                assert row["strength"] == pytest.approx(channel.strength, abs=STRENGTH_TOL)
                assert row["links"] == pytest.approx(list(channel.links), abs=STRENGTH_TOL)
                assert row["relationship"] == channel.relationship_id
    assert empty_seen, "no target without a channel was checked"


@pytest.mark.neo4j
def test_decision_chain_matches_resolve_chain(store, pushed):
    wid, ws, network = pushed
    direct = network.relationship.toarray()
    for opp in _opportunities(ws):
        expected = []
        for step in resolve_chain(ws, opp, DAY):
            for index, role in enumerate(step.roles):
                holders = sorted(role.holders) or [None]
                for pid in holders:
                    cover = (
                        0.0
                        if pid is None
                        else float(direct[:, network.person_index[pid]].max(initial=0.0))
                    )
                    expected.append(
                        (
                            step.index,
                            step.id,
                            index,
                            role.role.value,
                            role.post,
                            pid,
                            pid is None,
                            cover,
                            role.weight / max(len(role.holders), 1),
                        )
                    )
        rows = run_query(
            store, "decision_chain", {"workspace": wid, "opportunity": opp, "as_of": DAY}
        )
        got = [
            (
                r["step_index"],
                r["step"],
                r["role_index"],
                r["role"],
                r["post"],
                r["holder"],
                r["vacant"],
                r["direct_cover"],
                r["share"],
            )
            for r in rows
        ]
        assert [g[:7] for g in got] == [e[:7] for e in expected], opp
        for g, e in zip(got, expected, strict=True):
            assert g[7] == pytest.approx(e[7], abs=STRENGTH_TOL)
            assert g[8] == pytest.approx(e[8], abs=1e-12)
        for r in rows:
            if r["holder"] is None:
                assert r["direct_owner"] is None
                continue
            column = direct[:, network.person_index[r["holder"]]]
            best = [
                network.owners[o]
                for o in range(len(column))
                if column[o] == column.max() and column[o] > 0
            ]
            if best:
                assert r["direct_owner"] == min(best)
            else:
                assert r["direct_owner"] is None or r["direct_cover"] == 0


@pytest.mark.neo4j
def test_coverage_gaps_match_coverage(store, pushed):
    wid, ws, network = pushed
    checked = 0
    for opp in _opportunities(ws):
        cov = coverage(network, opp)
        cover_of = {h.person: h.cover for h in cov.holders if h.person}
        expected = sorted(
            (g.step, g.person or "", g.post or "", g.kind.value)
            for g in cov.gaps
            if g.kind in QUERY_GAP_KINDS
        )
        rows = run_query(
            store, "coverage_gaps", {"workspace": wid, "opportunity": opp, "as_of": DAY}
        )
        got = sorted((r["step"], r["person"] or "", r["post"] or "", r["kind"]) for r in rows)
        assert got == expected, opp
        stale = {(g.step, g.person): g.owner for g in cov.gaps if g.kind == GapKind.STALE}
        for r in rows:
            if r["person"] is not None:
                assert r["cover"] == pytest.approx(cover_of[r["person"]], abs=STRENGTH_TOL)
            if r["kind"] == "STALE":
                rels = [x for x in ws.relationships.values() if x.person == r["person"]]
                key = max(x.last_contact or DAY for x in rels)
                candidates = {x.owner for x in rels if (x.last_contact or DAY) == key}
                assert r["owner"] in candidates
                if len(candidates) == 1:
                    assert r["owner"] == stale[(r["step"], r["person"])]
        checked += len(rows)
    assert checked


@pytest.mark.neo4j
def test_who_covers_and_owner_portfolio_match_relationships(store, pushed):
    wid, ws, network = pushed
    persons = sorted({r.person for r in ws.relationships.values()})[:6]
    for pid in persons:
        rels = [r for r in ws.relationships.values() if r.person == pid]
        expected = sorted(
            (-relationship_strength(r, DAY, ws.settings), r.owner, r.id) for r in rels
        )
        rows = run_query(store, "who_covers", {"workspace": wid, "person": pid, "as_of": DAY})
        assert [(r["owner"], r["relationship"]) for r in rows] == [(e[1], e[2]) for e in expected]
        by_id = {r.id: r for r in rels}
        for row in rows:
            rel = by_id[row["relationship"]]
            assert row["strength"] == pytest.approx(
                relationship_strength(rel, DAY, ws.settings), abs=STRENGTH_TOL
            )
            assert row["level"] == level_from_scores(rel.scores(), ws.settings).value
            assert row["stated_level"] == (rel.level.value if rel.level else None)
            assert row["responsible"] == rel.responsible
            assert row["last_contact"] == rel.last_contact
    for oid in list(ws.owners)[:5]:
        rels = [r for r in ws.relationships.values() if r.owner == oid]
        rows = run_query(store, "owner_portfolio", {"workspace": wid, "owner": oid, "as_of": DAY})
        expected = sorted(
            (-relationship_strength(r, DAY, ws.settings), r.person, r.id) for r in rels
        )
        assert [(r["person"], r["relationship"]) for r in rows] == [(e[1], e[2]) for e in expected]
        load = sum(r.responsible for r in rels)
        for row in rows:
            assert row["responsible_count"] == load
            assert row["capacity"] == ws.owners[oid].capacity
            assert row["over_capacity"] == (load > ws.owners[oid].capacity)


@pytest.mark.neo4j
@pytest.mark.parametrize("days", [30, 90, 400])
def test_vacancies_and_rotations_match_holders(store, pushed, days):
    wid, ws, _ = pushed
    rows = run_query(
        store, "vacancies_and_rotations", {"workspace": wid, "as_of": DAY, "days": days}
    )
    vacant = [r["post"] for r in rows if r["kind"] == "VACANT"]
    assert vacant == sorted(p for p in ws.posts if not ws.holders(p, DAY))
    expected = set()
    for person in ws.persons.values():
        for tenure in person.tenures:
            if tenure.start and tenure.active_on(DAY) and (DAY - tenure.start).days <= days:
                before = sorted(
                    (t.end, pid)
                    for pid, t in ws.tenures_of_post(tenure.post)
                    if pid != person.id and t.end is not None and t.end <= tenure.start
                )
                expected.add(
                    (tenure.post, person.id, tenure.start, before[-1][1] if before else None)
                )
    got = {
        (r["post"], r["person"], r["start"], r["predecessor"])
        for r in rows
        if r["kind"] == "ROTATION"
    }
    assert got == expected


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
        rel = next(r for r in ws.relationships.values() if r.last_contact)
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


@pytest.mark.neo4j
@pytest.mark.parametrize("which", ["city", "synthetic"])
def test_influence_pagerank_matches_influence(store, request, which):
    import time

    wid, ws, network = request.getfixturevalue(which)
    for opp in [None, *_opportunities(ws, 1)]:
        expected = influence(network, opp)
        started = time.perf_counter()
        rows = run_query(
            store, "influence_pagerank", {"workspace": wid, "as_of": DAY, "opportunity": opp}
        )
        elapsed = time.perf_counter() - started
        worst = _assert_pagerank_rows_match(rows, expected)
        names = {pid: p.name for pid, p in ws.persons.items()}
        assert all(r["name"] == names[r["person"]] for r in rows)
        print(f"influence_pagerank {which} opp={opp}: max |Δ|={worst:.2e} in {elapsed:.2f}s")
