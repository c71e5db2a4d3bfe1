"""A region streamed from Neo4j in columns is the network the folder builds.

Against a real server: for both examples, the dated and reformed structures of
``tests/data/structure`` (a reform day, an acting holder, a holder on leave, dated
reporting lines and oversight) and a synthetic province, on several days, the
streamed persons, grades, posts and four matrices equal
:func:`~stakegraph.graph.network.build_network`'s on the folder, entry for entry, and
so do the decision weights and influence scores of every opportunity.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from stakegraph.analysis.influence import decision_weights, influence
from stakegraph.engines.neo4j import connect
from stakegraph.engines.neo4j_columns import (
    SCANS,
    decision_weights_of,
    paged,
    read_columns,
    region_network,
)
from stakegraph.engines.queries import _stored_settings
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace, save_workspace
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, cli_runner

invoke = cli_runner()

STRUCTURE = Path(__file__).resolve().parents[1] / "data" / "structure"
FOLDERS = {
    "rc-smart-city": SMART_CITY,
    "rc-harbor-county": HARBOR_COUNTY,
    "rc-dated": STRUCTURE / "dated",
    "rc-timed": STRUCTURE / "timed",
}
#: The analysis day, a day before and on the 2018 reform of ``timed`` (an acting holder
#: until 2019, a holder on leave in late 2018), and both sides of the 2026-06-01 change
#: of ``dated``'s reporting lines and oversight.
DAYS = (
    DAY,
    dt.date(2018, 3, 19),
    dt.date(2018, 3, 20),
    dt.date(2018, 11, 1),
    dt.date(2026, 5, 31),
    dt.date(2026, 6, 1),
)
MATRICES = ("formal", "oversight", "tie_deference", "tie_strength")


@pytest.fixture(scope="module")
def stored(neo4j_connection, tmp_path_factory):
    from benchmarks.synthetic import generate_workspace

    province = tmp_path_factory.mktemp("province") / "province"
    save_workspace(generate_workspace(3000, seed=5), province)
    folders = {**FOLDERS, "rc-province": province}
    workspaces = {wid: load_workspace(folder) for wid, folder in folders.items()}
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as db:
        for wid, ws in workspaces.items():
            db.push(ws, wid)
        yield db, workspaces, folders


@pytest.fixture
def env(neo4j_connection, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_connection.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_connection.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_connection.password)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)


def _same_network(streamed, local) -> None:
    assert streamed.persons == local.persons
    assert streamed.grade.tolist() == local.grade.tolist()
    assert streamed.posts == local.posts
    for name in MATRICES:
        a, b = getattr(streamed, name), getattr(local, name)
        assert a.shape == b.shape, name
        assert (a != b).nnz == 0, name


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", [*sorted(FOLDERS), "rc-province"])
def test_the_streamed_region_is_the_folders_network_on_every_day(stored, wid):
    db, workspaces, _ = stored
    ws = workspaces[wid]
    settings = _stored_settings(db, wid)
    told: list[str] = []

    def tell(scan: str, done: int, total: int) -> None:
        if done == total:  # the scan's last page
            told.append(scan)

    for day in DAYS:
        streamed = region_network(read_columns(db, wid, day, tell), settings, day)
        local = build_network(ws, day)
        _same_network(streamed, local)
        for opportunity in list(ws.opportunities)[:3]:
            weights = decision_weights_of(db, wid, streamed, opportunity, settings)
            assert np.allclose(weights, decision_weights(local, opportunity)), opportunity
            ranked = influence(streamed, opportunity, weights=weights)
            expected = influence(local, opportunity)
            assert np.array_equal(ranked.score, expected.score), (wid, day, opportunity)
            assert np.array_equal(ranked.decision, expected.decision)
    assert told == [name for name, _ in SCANS] * len(DAYS)


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", ["rc-smart-city", "rc-province"])
def test_pages_smaller_than_a_scan_give_the_columns_of_one_page(stored, wid):
    """Each scan read in pages of a few rows gives the columns read in one page, and
    its progress counts every row, page by page, up to the scan's rows."""
    db, _, _ = stored
    whole = read_columns(db, wid, DAY, page_rows=10**9)
    told: list[tuple[str, int, int]] = []
    pages = read_columns(db, wid, DAY, lambda *page: told.append(page), page_rows=7)
    assert pages.persons == whole.persons
    assert pages.structure == whole.structure
    assert pages.ties == whole.ties
    assert len(whole.ties["a"]) > 7  # more than one page, so the pages were joined
    for name, _ in SCANS:
        counts = [(done, total) for scan, done, total in told if scan == name]
        total = counts[-1][1]
        # pages of 7 rows, the last one short; an empty scan tells (0, 0) once
        expected = [(min(done, total), total) for done in range(7, total + 7, 7)] or [(0, 0)]
        assert counts == expected, name
    assert [name for name, _ in SCANS] == list(dict.fromkeys(scan for scan, _, _ in told))


@pytest.mark.neo4j
def test_a_reform_day_moves_the_formal_lines_as_on_the_folder(stored):
    """On the day of the reform the renamed ministry's holder reports on the new post."""
    db, workspaces, _ = stored
    settings = _stored_settings(db, "rc-timed")
    before = region_network(
        read_columns(db, "rc-timed", dt.date(2018, 3, 19)), settings, dt.date(2018, 3, 19)
    )
    after = region_network(
        read_columns(db, "rc-timed", dt.date(2018, 3, 20)), settings, dt.date(2018, 3, 20)
    )
    # the structure changed that day, so a test comparing both days can fail
    assert before.posts != after.posts
    assert (before.formal != after.formal).nnz > 0


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("wid", "top"),
    [("rc-smart-city", 100), ("rc-harbor-county", 3), ("rc-timed", 100), ("rc-province", 25)],
)
def test_influence_of_the_whole_region_is_streamed_with_the_folders_answer(env, stored, wid, top):
    """``influence --neo4j``, without an opportunity and with each of the first ones,
    states a streamed read and the folder's ranking, names and parts, for everyone or
    the top few."""
    _, workspaces, folders = stored
    day = dt.date(2018, 11, 1) if wid == "rc-timed" else DAY
    common = ("--as-of", day.isoformat(), "--top", str(top), "--embedded", "--json")
    chosen = [[], *(["-o", o] for o in list(workspaces[wid].opportunities)[:2])]
    for opportunity in chosen:
        local = invoke("influence", folders[wid], *opportunity, *common)
        remote = invoke("influence", "--neo4j", "--workspace", wid, *opportunity, *common)
        assert local.exit_code == 0, local.output
        assert remote.exit_code == 0, remote.output
        mine, theirs = json.loads(local.output), json.loads(remote.output)
        assert theirs.pop("source") == {"engine": "neo4j", "read": "streamed"}
        assert "source" not in mine
        assert theirs == mine, opportunity
        assert len(mine["rows"]) == min(top, len(workspaces[wid].persons))
    # the opportunity moves the ranking, so a test that ignored it could fail
    if len(chosen) > 1 and top > 3:
        plain = invoke("influence", folders[wid], *common)
        assert json.loads(plain.output)["rows"] != mine["rows"]


@pytest.mark.neo4j
@pytest.mark.parametrize("wid", ["rc-smart-city", "rc-harbor-county", "rc-province"])
def test_centrality_of_the_whole_region_is_streamed_with_the_folders_answer(env, stored, wid):
    """``centrality --neo4j`` states a streamed read and the folder's graph, counts and
    ranking for each measure; with a relation filter it reads the book whole."""
    _, _, folders = stored
    common = ("--as-of", DAY.isoformat(), "--top", "15", "--json")
    measures = [
        ("--measure", "degree", "--weighted"),
        ("--measure", "in-degree"),
        ("--measure", "betweenness", "--directed"),
        ("--measure", "harmonic"),
        ("--measure", "eigenvector"),
    ]
    answers = []
    for measure in measures:
        local = invoke("centrality", folders[wid], *measure, *common)
        remote = invoke("centrality", "--neo4j", "--workspace", wid, *measure, *common)
        assert local.exit_code == 0, local.output
        assert remote.exit_code == 0, remote.output
        mine, theirs = json.loads(local.output), json.loads(remote.output)
        assert theirs.pop("source") == {"engine": "neo4j", "read": "streamed"}
        assert theirs == mine, measure
        answers.append([row["person"] for row in mine["rows"]])
    # the measures rank differently, so a test that mixed them up could fail
    assert len({tuple(a) for a in answers}) > 1
    kinds = ("--measure", "degree", "--kind", "classmate")
    local = invoke("centrality", folders[wid], *kinds, *common)
    remote = invoke("centrality", "--neo4j", "--workspace", wid, *kinds, *common)
    mine, theirs = json.loads(local.output), json.loads(remote.output)
    assert theirs.pop("source") == {"engine": "neo4j", "read": "whole"}
    assert theirs == mine


@pytest.mark.neo4j
def test_streamed_centrality_names_the_officials_it_lists(env, stored):
    _, workspaces, folders = stored
    args = ("centrality", "--measure", "degree", "--as-of", DAY.isoformat(), "--top", "3")
    local = invoke("--lang", "en", *args[:1], folders["rc-smart-city"], *args[1:])
    remote = invoke("--lang", "en", *args[:1], "--neo4j", "--workspace", "rc-smart-city", *args[1:])
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output
    names = [p.name for p in workspaces["rc-smart-city"].persons.values()]
    assert sum(name in remote.output for name in names) >= 3


def test_a_paged_scan_keeps_the_scan_and_slices_each_column():
    """No server needed: the paged text is the scan's own, its columns cut in pages."""
    for _, scan in SCANS:
        text = paged(scan)
        head = scan.rpartition(" RETURN ")[0]
        assert text.startswith(head + " WITH ")
        returned = text.rpartition(" RETURN ")[2]
        names = [part.rsplit(" AS ", 1)[1] for part in returned.split(", ")]
        assert names[-1] == "total" and len(names) >= 2
        for name in names[:-1]:
            assert f"{name}[at..at + $page] AS {name}" in returned


@pytest.mark.neo4j
def test_the_scans_show_progress_on_a_terminal_and_none_in_json(env, stored, tmp_path):
    from tests.cli.test_progress import _run_with_terminal_stderr

    args = ["influence", "--neo4j", "--workspace", "rc-province", "--as-of", DAY.isoformat()]
    shown = _run_with_terminal_stderr([*args, "--top", "3"], tmp_path / "out.txt")
    for name, _ in SCANS:
        assert f"reading Neo4j: {name}" in shown, name
    assert "reading Neo4j" not in (tmp_path / "out.txt").read_text(encoding="utf-8")
    quiet = _run_with_terminal_stderr([*args, "--json"], tmp_path / "out.json")
    assert "reading Neo4j" not in quiet
    assert json.loads((tmp_path / "out.json").read_text())["source"]["read"] == "streamed"
