"""One source for every read-only command, and bounded work on the server, on a real server.

The commands that read a folder only until now (map, plot, relationships) and
`query` on a folder give what they give with --neo4j; a query parameter out of its
bounds is refused before anything is sent; a query that outlives its timeout is
stopped by the server, which is idle afterwards.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest

from stakegraph.engines.neo4j import connect
from stakegraph.engines.queries import DEFAULT_TIMEOUT
from stakegraph.engines.store import FolderStore, Neo4jStore, open_store
from stakegraph.errors import IncompletePush, QueryTimedOut
from stakegraph.io import load_workspace
from tests.builders import DAY, SMART_CITY, cli_runner

#: The folder's own name, so a pulled workspace is named as the folder is.
WS = "smart-city"
GAPS = ("coverage_gaps", "-p", "opportunity=smart-city", "-p", f"as_of={DAY}")


invoke = cli_runner()


@pytest.fixture(scope="module")
def database(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as db:
        db.push(load_workspace(SMART_CITY), WS)
        yield db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _close(got: Any, want: Any, tolerance: float = 1e-9) -> bool:
    """Equal JSON, numbers within ``tolerance`` (Java and Python round alike, not equally)."""
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and list(got) == list(want)
            and all(_close(got[k], want[k], tolerance) for k in want)
        )
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_close(g, w, tolerance) for g, w in zip(got, want, strict=True))
        )
    if isinstance(want, float) or isinstance(got, float):
        return got == pytest.approx(want, abs=tolerance)
    return got == want


# --- the same answer from a folder and from the server -----------------------------------
@pytest.mark.neo4j
def test_query_on_a_folder_gives_the_rows_of_neo4j(neo4j_env, database):
    local = invoke("query", *GAPS[:1], SMART_CITY, *GAPS[1:], "--json")
    remote = invoke("query", *GAPS, "--neo4j", "--workspace", WS, "--json")
    old_flags = invoke("query", *GAPS, "--workspace", WS, "--json")  # no --neo4j, as before
    for result in (local, remote, old_flags):
        assert result.exit_code == 0, result.output
    rows = json.loads(local.output)
    assert rows and {r["kind"] for r in rows} >= {"UNCOVERED", "STALE", "VACANT"}
    assert _close(json.loads(remote.output), rows)
    assert old_flags.output == remote.output


@pytest.mark.neo4j
def test_relationships_on_neo4j_equals_the_folder(neo4j_env, database):
    args = ("--as-of", DAY, "--json")
    local = invoke("relationships", SMART_CITY, *args)
    remote = invoke("relationships", "--neo4j", "--workspace", WS, *args)
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    # our part is read, not the whole book, and the answer says so
    read = {"engine": "neo4j", "read": "targeted"}
    assert json.loads(local.output)
    assert json.loads(remote.output) == {"source": read, "rows": json.loads(local.output)}
    owner = invoke("relationships", "--neo4j", "--workspace", WS, "--owner", "liu-kai", *args)
    mine = invoke("relationships", SMART_CITY, "--owner", "liu-kai", *args)
    assert json.loads(owner.output) == {"source": read, "rows": json.loads(mine.output)}


@pytest.mark.neo4j
def test_map_on_neo4j_writes_the_same_file(neo4j_env, database, tmp_path):
    mine, theirs = tmp_path / "local.html", tmp_path / "remote.html"
    local = invoke("map", SMART_CITY, "--as-of", DAY, "--out", mine, "-q")
    remote = invoke("map", "--neo4j", "--workspace", WS, "--as-of", DAY, "--out", theirs, "-q")
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert mine.read_bytes() == theirs.read_bytes()


@pytest.mark.neo4j
@pytest.mark.parametrize("kind", ["chain", "influence", "orgchart"])
def test_plot_on_neo4j_draws_the_same_figure(neo4j_env, database, tmp_path, kind):
    mine, theirs = tmp_path / "local.png", tmp_path / "remote.png"
    args = (kind, "-o", "smart-city", "--as-of", DAY)
    local = invoke("plot", SMART_CITY, *args, "--out", mine)
    remote = invoke("plot", "--neo4j", "--workspace", WS, *args, "--out", theirs)
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert mine.read_bytes() == theirs.read_bytes()


@pytest.mark.neo4j
def test_show_and_export_on_neo4j_equal_the_folder(neo4j_env, database, tmp_path):
    args = ("--as-of", DAY, "-o", "smart-city", "--json")
    local = invoke("show", SMART_CITY, *args)
    remote = invoke("show", "--neo4j", "--workspace", WS, *args)
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert json.loads(local.output) and remote.output == local.output
    for fmt, name in (("graphml", "g.graphml"), ("popolo", "p.json")):
        mine, theirs = tmp_path / f"local-{name}", tmp_path / f"remote-{name}"
        assert invoke("export", SMART_CITY, "--format", fmt, "--out", mine).exit_code == 0
        remote = invoke("export", "--neo4j", "--workspace", WS, "--format", fmt, "--out", theirs)
        assert remote.exit_code == 0, remote.output
        assert mine.read_bytes() == theirs.read_bytes(), fmt


def test_plot_names_a_wrong_kind_and_a_missing_folder():
    wrong = invoke("plot", SMART_CITY, "pie", "--out", "x.png")
    assert wrong.exit_code == 2 and "'pie' is not a figure kind" in wrong.output
    missing = invoke("plot", "no/such/folder", "chain", "--out", "x.png")
    assert missing.exit_code == 2 and "Path 'no/such/folder' does not exist" in missing.output


@pytest.mark.parametrize("command", ["map", "plot", "relationships", "show", "export"])
def test_the_new_sources_refuse_a_folder_with_neo4j(command, tmp_path):
    extra = {
        "map": ["--out", tmp_path / "m.html"],
        "plot": ["chain", "--out", tmp_path / "p.png"],
        "export": ["--format", "graphml", "--out", tmp_path / "g.graphml"],
    }
    result = invoke(command, SMART_CITY, "--neo4j", *extra.get(command, []))
    assert result.exit_code == 1 and "not both" in result.output
    assert not list(tmp_path.iterdir())


# --- the store interface ------------------------------------------------------------------
@pytest.mark.neo4j
def test_open_store_gives_a_store_that_answers_as_the_folder(neo4j_connection, database):
    params = {"opportunity": "smart-city", "as_of": DAY.isoformat()}
    with open_store(SMART_CITY) as folder:
        assert isinstance(folder, FolderStore) and folder.workspaces() == [WS]
        want = folder.query("decision_chain", params)
    with open_store(
        neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password
    ) as server:
        assert isinstance(server, Neo4jStore) and WS in server.workspaces()
        got = server.query("decision_chain", params, WS)
        assert server.load(WS) == load_workspace(SMART_CITY)
    assert want and _close(got, want)


class _Database:
    """Stands in for a Neo4j database holding the folder's workspace."""

    uri = "neo4j://stand-in:7687"

    def __init__(self) -> None:
        self.pulled: list[str] = []

    def workspaces(self) -> list[str]:
        return [WS]

    def pull(self, workspace_id: str):
        self.pulled.append(workspace_id)
        return load_workspace(SMART_CITY)


@pytest.mark.parametrize("fmt", [None, "csv"])
def test_both_stores_pull_the_same_files(tmp_path, fmt):
    database = _Database()
    from_folder = FolderStore(SMART_CITY).pull(tmp_path / "folder", fmt=fmt)
    from_server = Neo4jStore(database).pull(tmp_path / "server", fmt=fmt)
    assert database.pulled == [WS]  # the only workspace stored, when none is named
    assert [p.name for p in from_folder] == [p.name for p in from_server]
    for a, b in zip(from_folder, from_server, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert load_workspace(tmp_path / "folder") == load_workspace(SMART_CITY)


def test_a_folder_store_pulls_only_its_own_workspace(tmp_path):
    from stakegraph.errors import WorkspaceNotHere

    with pytest.raises(WorkspaceNotHere, match="holds one workspace, 'smart-city', not 'other'"):
        FolderStore(SMART_CITY).pull(tmp_path / "out", "other")
    assert not (tmp_path / "out").exists()


def test_open_store_refuses_a_uri_that_is_not_neo4j():
    from stakegraph.errors import StakegraphError

    with pytest.raises(StakegraphError, match="http:// is not a Neo4j URI"):
        open_store("http://localhost:7474")


# --- bounded work ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "code"), [("500", None), ("501", 2), ("1", None), ("0", 2), ("100000000", 2)]
)
def test_an_out_of_range_parameter_is_refused_before_connecting(monkeypatch, value, code):
    """No server listens here: a refused value never gets as far as connecting."""
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_free_port()}")
    result = invoke(
        "query", "influence_pagerank", "--workspace", WS, "-p", f"iterations={value}",
        "-p", f"as_of={DAY}",
    )  # fmt: skip
    if code is None:  # in range: it tries the server, which is not there
        assert result.exit_code == 1 and "cannot reach Neo4j" in result.output
        return
    assert result.exit_code == 2, result.output
    assert (
        f"parameter iterations of query influence_pagerank must be from 1 to 500, got {value}"
        in result.output
    )
    assert "queries/influence_pagerank.cypher" in result.output
    assert "Traceback" not in result.output


def _ours(db) -> list[dict]:
    """Our PageRank queries running on the server (the query text carries its header)."""
    with db._session() as session:  # SHOW runs in a transaction of its own
        rows = session.run("SHOW TRANSACTIONS YIELD transactionId, currentQuery").data()
    return [r for r in rows if "// name: influence_pagerank" in (r["currentQuery"] or "")]


@pytest.fixture(scope="module")
def large(database):
    from benchmarks.synthetic import generate_workspace

    database.push(generate_workspace(2000, seed=5), "bounded-large")
    yield "bounded-large"
    database.drop("bounded-large")


@pytest.mark.neo4j
def test_a_slow_query_is_stopped_at_its_timeout_and_the_server_is_idle(database, large):
    import threading

    params = {"workspace": large, "as_of": DAY.isoformat(), "iterations": 500}
    seen: list[list[dict]] = []
    took: list[float] = []

    def run() -> None:
        started = time.perf_counter()
        Neo4jStore(database).query("influence_pagerank", params)
        took.append(time.perf_counter() - started)

    # First without a tight limit: SHOW TRANSACTIONS lists the query while it runs.
    worker = threading.Thread(target=run)
    worker.start()
    while worker.is_alive() and not seen:
        seen += [rows for rows in [_ours(database)] if rows]
        time.sleep(0.02)
    worker.join()
    assert seen, "SHOW TRANSACTIONS never listed the running query"
    tiny = min(0.05, took[0] / 10)
    with pytest.raises(QueryTimedOut, match="stopped the query at its time limit"):
        Neo4jStore(database).query("influence_pagerank", params, timeout=tiny)
    deadline = time.monotonic() + 10
    while _ours(database) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ours(database) == []


@pytest.mark.neo4j
def test_the_timeout_option_reaches_the_server(neo4j_env, large):
    args = ("influence_pagerank", "--workspace", large, "-p", f"as_of={DAY}")
    stopped = invoke("query", *args, "-p", "iterations=500", "--timeout", "0.01")
    assert stopped.exit_code == 1, stopped.output
    assert "stopped the query at its time limit" in stopped.output
    assert "Traceback" not in stopped.output
    refused = invoke("query", *args, "--timeout", "0")
    assert refused.exit_code == 2 and "--timeout" in refused.output
    assert f"(default: {DEFAULT_TIMEOUT:g})" in invoke("query", "--help").output


@pytest.mark.neo4j
def test_query_refuses_a_workspace_whose_push_did_not_finish(neo4j_env, database):
    """The completion flag a push sets last is what report and pull check; so does query."""
    database.push(load_workspace(SMART_CITY), "half-pushed")
    try:
        database._write(
            "MATCH (w:StakegraphWorkspace {id: $id}) SET w.complete = false", id="half-pushed"
        )
        with pytest.raises(IncompletePush):
            Neo4jStore(database).query(
                "who_covers", {"person": "xu-zhiheng", "as_of": DAY.isoformat()}, "half-pushed"
            )
        result = invoke("query", "who_covers", "--workspace", "half-pushed", "-p",
                        "person=xu-zhiheng", "-p", f"as_of={DAY}")  # fmt: skip
        assert result.exit_code == 1
        assert "did not finish; push it again" in result.output
        report = invoke("report", "--neo4j", "--workspace", "half-pushed", "--as-of", DAY)
        assert report.exit_code == 1 and "did not finish" in report.output
    finally:
        database.drop("half-pushed")


@pytest.mark.neo4j
def test_check_on_neo4j_runs_the_cross_record_checks(neo4j_env, database):
    local = invoke("check", SMART_CITY, "--json")
    remote = invoke("check", "--neo4j", "--workspace", WS, "--json")
    assert remote.exit_code == 0 and remote.output == local.output
    text = invoke("check", "--neo4j", "--workspace", WS)
    assert f"OK: the stored workspace '{WS}' is valid" in text.output
    ws = load_workspace(SMART_CITY)
    post, boss = next(
        (p.id, p.reports_to)
        for p in ws.posts.values()
        if isinstance(p.reports_to, str) and not ws.posts[p.reports_to].reports_to
    )
    database.push(ws, "check-cycle")
    try:  # someone edits the shared graph: the superior now reports to its subordinate
        database._write(
            "MATCH (a:Post {workspace: $w, id: $boss}), (b:Post {workspace: $w, id: $post}) "
            "CREATE (a)-[:REPORTS_TO {key: ''}]->(b)",
            w="check-cycle",
            boss=boss,
            post=post,
        )
        broken = invoke("check", "--neo4j", "--workspace", "check-cycle")
        assert broken.exit_code == 1, broken.output
        assert "reports-to" in broken.output and post in broken.output
    finally:
        database.drop("check-cycle")


# --- records named by name, alias or pinyin in query parameters ----------------------------
WHO_COVERS = ("who_covers", "-p", f"as_of={DAY}", "--json")


@pytest.mark.neo4j
@pytest.mark.parametrize("typed", ["许志恒", "xu zhiheng", "xzh"])
def test_query_takes_a_name_on_the_server_as_on_a_folder(neo4j_env, database, typed):
    by_id = invoke("query", *WHO_COVERS, "--neo4j", "--workspace", WS, "-p", "person=xu-zhiheng")
    by_name = invoke("query", *WHO_COVERS, "--neo4j", "--workspace", WS, "-p", f"person={typed}")
    on_folder = invoke(
        "query", *WHO_COVERS[:1], SMART_CITY, *WHO_COVERS[1:], "-p", f"person={typed}"
    )
    for result in (by_id, by_name, on_folder):
        assert result.exit_code == 0, result.output
    assert json.loads(by_id.output), "xu-zhiheng is covered in the example"
    assert by_name.output == by_id.output
    assert _close(json.loads(on_folder.output), json.loads(by_id.output))


@pytest.mark.neo4j
def test_an_unknown_name_on_the_server_suggests_the_closest(neo4j_env, database):
    result = invoke("query", *WHO_COVERS, "--neo4j", "--workspace", WS, "-p", "person=许志")
    assert result.exit_code == 1
    assert "--param person" in result.output and "xu-zhiheng" in result.output, result.output


@pytest.mark.neo4j
def test_an_id_is_checked_on_the_server_without_pulling(neo4j_env, database, monkeypatch):
    def no_pull(*args: object, **kwargs: object) -> None:
        raise AssertionError("an id needs no pull")

    monkeypatch.setattr(Neo4jStore, "load", no_pull)
    with open_store(neo4j_env.uri) as store:
        assert store.named({"person": "xu-zhiheng", "as_of": DAY}, WS) == {
            "person": "xu-zhiheng",
            "as_of": DAY,
        }
