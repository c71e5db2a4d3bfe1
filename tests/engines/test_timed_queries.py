"""The named queries honour time on the server as the embedded engine does: the reform
of tests/data/structure/timed (a chain written before it names a renamed, a merged, a
split and an abolished post), a post whose lifetime ends, an acting holder, a holder on
leave and a person who changed name, each on the days either side of the change."""

from __future__ import annotations

import datetime as dt

import pytest

from stakegraph.engines.equivalents import REGISTRY, answer
from stakegraph.engines.neo4j import connect
from stakegraph.engines.queries import get_query, run_query
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from tests.builders import DATA
from tests.engines.test_queries import _cases, assert_same_rows

TIMED = DATA / "structure" / "timed"
REFORM = dt.date(2018, 3, 20)
RENAMED = dt.date(2018, 6, 1)  # xu goes by a new name from this day
LEAVE = dt.date(2018, 10, 1)  # he is on leave from this day ...
BACK = dt.date(2019, 1, 1)  # ... until this one, the day the adviser's post ends
ONE = dt.timedelta(days=1)
DAYS = [
    REFORM - ONE,
    REFORM,
    REFORM + ONE,
    RENAMED - ONE,
    RENAMED,
    LEAVE,
    BACK - ONE,
    BACK,
]


@pytest.fixture(scope="module")
def folder():
    return load_workspace(TIMED)


@pytest.fixture(scope="module")
def timed(neo4j_connection):
    ws = load_workspace(TIMED)
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        s.push(ws, "q-timed")
        yield s, ws
        s.drop("q-timed")


@pytest.mark.neo4j
def test_the_pushed_workspace_reads_back_the_same(timed) -> None:
    store, ws = timed
    assert store.pull("q-timed") == ws


@pytest.mark.neo4j
def test_lifetimes_and_dated_names_are_stored_for_the_queries(timed) -> None:
    store, _ = timed
    rows = store._read(
        "MATCH (n {workspace: $workspace}) WHERE n.id IN ['adviser', 'labour-min', 'hr-min', 'xu']"
        " RETURN n.id AS id, n.live_start AS start, n.live_end AS end,"
        " n.name_history AS names, n.name_starts AS starts, n.name_ends AS ends ORDER BY id",
        workspace="q-timed",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("adviser", None, BACK, None, None, None),
        ("hr-min", REFORM, None, None, None, None),
        ("labour-min", None, REFORM, None, None, None),  # its ministry's end
        ("xu", None, None, ["徐晓"], [""], ["2018-06-01"]),
    ]


@pytest.mark.neo4j
@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_query_gives_the_rows_of_its_python_equivalent_on_the_day(timed, name, day) -> None:
    store, ws = timed
    query, entry = get_query(name), REGISTRY[name]
    network = build_network(ws, day)
    # xu, renamed, is known to rep only: the cases of the test take the first owner
    extra = {"warm_paths": [{"person": "xu", "owner": None}], "owner_portfolio": [{"owner": "rep"}]}
    for params in [*_cases(query, ws, network), *extra.get(name, [])]:
        params = {k: v for k, v in {**params, "workspace": "q-timed"}.items() if v is not None}
        params["as_of"] = day
        assert_same_rows(
            run_query(store, name, params), answer(ws, name, params), entry, query, params
        )


def _chain(store, day: dt.date) -> list[tuple]:
    rows = run_query(
        store, "decision_chain", {"workspace": "q-timed", "opportunity": "egov", "as_of": day}
    )
    return [(r["post"], r["holder"], r["holder_name"], r["share"], r["acting"]) for r in rows]


@pytest.mark.neo4j
def test_the_chain_follows_the_reform_on_the_server(timed) -> None:
    """Hand-read: the day before the reform as written; from it, the renamed and merged
    posts' successors, the split post's two successors with half the weight each, and
    no row for the abolished post."""
    store, _ = timed
    assert _chain(store, REFORM - ONE) == [
        ("info-min", "gao", "高部长", 1.0, False),
        ("info-vice", "he", "何副部长", 0.6, False),
        ("adviser", "sun", "孙参事", 0.4, True),
        ("labour-min", "lin", "林部长", 0.8, False),
        ("labour-vice", "luo", "罗副部长", 0.5, False),
        (None, "zhou", "周总理", 1.0, False),
    ]
    assert _chain(store, REFORM) == [
        ("digital-min", "gao", "高部长", 1.0, False),
        ("digital-vice-infra", "xu", "徐晓", 0.3, False),
        ("digital-vice-data", "he", "何副部长", 0.3, False),
        ("adviser", "sun", "孙参事", 0.4, True),
        ("hr-min", "qian", "钱部长", 0.8, False),
        (None, "zhou", "周总理", 1.0, False),
    ]
    on_leave = _chain(store, BACK - ONE)
    assert ("digital-vice-data", None, None, 0.3, False) in on_leave
    assert ("digital-vice-infra", "xu", "徐晓明", 0.3, False) in on_leave
    assert [row[0] for row in _chain(store, BACK)] == [
        "digital-min",
        "digital-vice-infra",
        "digital-vice-data",
        "hr-min",
        None,
    ]


@pytest.mark.neo4j
def test_a_post_whose_holder_is_on_leave_is_vacant_and_a_dead_post_is_not(timed) -> None:
    store, _ = timed

    def vacant(day: dt.date) -> list[str]:
        rows = run_query(store, "vacancies_and_rotations", {"workspace": "q-timed", "as_of": day})
        return [r["post"] for r in rows if r["kind"] == "VACANT"]

    assert vacant(LEAVE - ONE) == []
    assert vacant(LEAVE) == ["digital-vice-data"]
    assert vacant(BACK) == []  # he is back, and the adviser's post no longer exists


# --- the Python equivalents, without a server ------------------------------------------------
def test_the_folder_gives_the_name_in_force_on_the_day(folder) -> None:
    def names(day: dt.date) -> set[str]:
        rows = answer(folder, "decision_chain", {"opportunity": "egov", "as_of": day})
        return {r["holder_name"] for r in rows if r["holder"] == "xu"}

    assert names(RENAMED - ONE) == {"徐晓"}
    assert names(RENAMED) == {"徐晓明"}
    ranked = answer(folder, "influence_pagerank", {"as_of": RENAMED - ONE})
    assert next(r["name"] for r in ranked if r["person"] == "xu") == "徐晓"


def test_the_folder_flags_the_acting_holder_until_the_post_ends(folder) -> None:
    def adviser(day: dt.date) -> list[tuple]:
        rows = answer(folder, "decision_chain", {"opportunity": "egov", "as_of": day})
        return [(r["holder"], r["acting"]) for r in rows if r["post"] == "adviser"]

    assert adviser(BACK - ONE) == [("sun", True)]
    assert adviser(BACK) == []


def test_a_holder_on_leave_does_not_hold_the_post(folder) -> None:
    def kinds(day: dt.date) -> list[tuple]:
        rows = answer(folder, "vacancies_and_rotations", {"as_of": day, "days": 30})
        return [(r["kind"], r["post"], r["person"]) for r in rows]

    assert kinds(LEAVE - ONE) == []
    assert kinds(LEAVE) == [("VACANT", "digital-vice-data", None)]
    assert kinds(BACK - ONE) == [("VACANT", "digital-vice-data", None)]
    assert kinds(BACK) == []  # back from leave: the same holder, not a rotation


def test_a_holder_carried_across_the_reform_has_not_rotated(folder) -> None:
    rows = answer(folder, "vacancies_and_rotations", {"as_of": REFORM, "days": 30})
    assert [(r["kind"], r["post"], r["person"]) for r in rows] == [
        ("ROTATION", "digital-vice-infra", "xu"),
    ]
