"""The bulk first push (Neo4j's importer) leaves what a transactional push leaves.

Two stopped servers of their own: one filled by :func:`bulk_push` with both examples, a
synthetic province and a workspace of values CSV cannot carry; one whose import is
killed half-way, then imported again and left unfinished. The session's server holds
the same workspaces pushed the transactional way, for comparison.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from stakegraph.engines.neo4j import connect
from stakegraph.engines.neo4j_bulk import (
    ARRAY_DELIMITER,
    bulk_push,
    import_workspaces,
    server_folder,
    start_server,
    stop_server,
)
from stakegraph.engines.queries import list_queries, run_query
from stakegraph.errors import IncompletePush, StoreError
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.records.model import Organisation, Person, Post, Survey, Tenure
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, ROOT, run_cli
from tests.neo4j_fixture import load_tool

pytestmark = pytest.mark.neo4j

EXAMPLES = ROOT / "examples"
PASSWORD = "bulk-test-password"


def awkward_workspace() -> Workspace:
    """Values the importer's CSV cannot carry as they are, so they are set afterwards."""
    ws = Workspace(name="awkward")
    ws.add(Organisation(id="o", name='a "quoted", multi\nline name ', aliases=[]))
    ws.add(Post(id="p", org="o", title="; , \t", grade=3))
    ws.add(
        Person(
            id="x",
            name="许",
            aliases=["", f"split{ARRAY_DELIMITER}here", "plain"],
            tenures=[Tenure(post="p", start=dt.date(2020, 1, 1))],
        )
    )
    ws.add(Survey(id="s", date=dt.date(2026, 1, 2), person="x", scores={"a": 1, "b": 5}))
    return ws


def workspaces() -> dict[str, Workspace]:
    from benchmarks.synthetic import generate_workspace

    return {
        "bulk-smart-city": load_workspace(EXAMPLES / "smart-city"),
        "bulk-harbor-county": load_workspace(EXAMPLES / "harbor-county"),
        "bulk-province": generate_workspace(600, seed=3),
        "bulk-awkward": awkward_workspace(),
    }


def new_server_folder(tmp_path_factory, name: str):
    """A configured, never started server folder with the test password; its Bolt URI."""
    tool = load_tool()
    missing = tool.missing_prerequisites()
    if missing:
        pytest.skip("no Java or Maven: " + " and ".join(missing))
    home = tool.build_home(tool.DEFAULT_HOME)
    folder = tmp_path_factory.mktemp(name)
    bolt = tool.free_port()
    tool.write_config(home, folder, bolt, tool.free_port())
    tool.set_initial_password(home, folder, PASSWORD)
    return folder, f"bolt://127.0.0.1:{bolt}"


@pytest.fixture(scope="module")
def pushed(tmp_path_factory, neo4j_connection):
    """(bulk store, transactional store, workspaces, bulk result, server folder)."""
    wanted = workspaces()
    folder, uri = new_server_folder(tmp_path_factory, "bulk")
    try:
        imported = bulk_push(folder, wanted, lambda: connect(uri, "neo4j", PASSWORD))
        with (
            connect(uri, "neo4j", PASSWORD) as bulk,
            connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as tx,
        ):
            for workspace_id, ws in wanted.items():
                tx.push(ws, workspace_id)
            yield bulk, tx, wanted, imported, folder
            for workspace_id in wanted:
                tx.drop(workspace_id)
    finally:
        stop_server(server_folder_unchecked(folder))


def server_folder_unchecked(folder):
    from stakegraph.engines.neo4j_bulk import ServerFolder, _read_settings

    return ServerFolder(folder, _read_settings(folder / "conf" / "neo4j.conf"))


def stored(store, workspace_id: str, counted: bool = True) -> tuple[str, int, int]:
    """A hash of every node and relationship of a workspace and its marker, with counts
    (without ``counted``, leaving out the marker's count of pushes)."""
    nodes = store.read(
        "MATCH (n) WHERE n.workspace = $ws OR (n:StakegraphWorkspace AND n.id = $ws) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        ws=workspace_id,
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) WHERE a.workspace = $ws "
        "RETURN type(r) AS type, labels(a) AS a, a.id AS aid, labels(b) AS b, b.id AS bid, "
        "properties(r) AS props",
        ws=workspace_id,
    )
    if not counted:
        for row in nodes:
            row["props"].pop("pushes", None)
    items = sorted(json.dumps(row, sort_keys=True, default=repr) for row in [*nodes, *rels])
    return hashlib.sha256("\n".join(items).encode()).hexdigest(), len(nodes), len(rels)


def test_every_node_and_relationship_is_stored_as_a_transactional_push_stores_it(pushed):
    bulk, tx, wanted, _, _ = pushed
    for workspace_id in wanted:
        digest, nodes, rels = stored(bulk, workspace_id)
        assert nodes > 1 and rels > 0
        assert (digest, nodes, rels) == stored(tx, workspace_id), workspace_id


def test_the_values_csv_cannot_carry_are_stored_exactly(pushed):
    bulk, _, wanted, imported, _ = pushed
    # empty lists by one scan per property; the split and empty aliases by id
    assert ("Organisation", "bulk-awkward", "aliases") in imported.patch.empty_lists
    assert ("Person", "bulk-awkward", "x") in {n[:3] for n in imported.patch.nodes}
    empty = bulk.read(
        "MATCH (n:Organisation {workspace: 'bulk-awkward', id: 'o'}) RETURN n.aliases AS aliases"
    )
    assert empty == [{"aliases": []}]
    row = bulk.read(
        "MATCH (n:Person {workspace: 'bulk-awkward', id: 'x'}) RETURN n.aliases AS aliases"
    )
    assert row == [{"aliases": ["", f"split{ARRAY_DELIMITER}here", "plain"]}]
    assert bulk.pull("bulk-awkward") == wanted["bulk-awkward"]


def test_pulls_give_back_the_workspaces(pushed):
    bulk, tx, wanted, imported, _ = pushed
    for workspace_id, ws in wanted.items():
        pulled = bulk.pull(workspace_id)
        assert pulled == ws == tx.pull(workspace_id)
        for kind in ("relationships", "ties", "persons", "interactions"):
            assert list(getattr(pulled, kind)) == list(getattr(ws, kind)), kind
        assert pulled.settings_text == ws.settings_text
        assert bulk.info(workspace_id)["complete"] is True
        counts = imported.counts[workspace_id]
        assert counts["nodes"] == bulk.info(workspace_id)["nodes"]
        assert set(imported.versions[workspace_id].values()) == {1}


def test_the_named_queries_answer_alike(pushed):
    """Every parameter case of the parity tests on the examples, the first on the province;
    rows compared as those tests compare them (by key where equal scores may swap)."""
    from stakegraph.engines.equivalents import REGISTRY
    from tests.engines.test_queries import _cases, assert_same_rows

    bulk, tx, wanted, _, _ = pushed
    answered = 0
    for workspace_id in ("bulk-smart-city", "bulk-harbor-county", "bulk-province"):
        ws = wanted[workspace_id]
        network = build_network(ws, DAY)
        for query in list_queries():
            cases = _cases(query, ws, network)
            for params in cases[:1] if workspace_id == "bulk-province" else cases:
                params = {
                    k: v for k, v in {**params, "workspace": workspace_id}.items() if v is not None
                }
                rows = run_query(bulk, query.name, params, timeout=900)
                want = run_query(tx, query.name, params, timeout=900)
                assert_same_rows(rows, want, REGISTRY[query.name], query, params)
                answered += bool(rows)
    assert answered > 20


def test_a_later_transactional_push_changes_nothing(pushed):
    bulk, _, wanted, _, _ = pushed
    before = stored(bulk, "bulk-harbor-county", counted=False)
    pushes = bulk.info("bulk-harbor-county").get("pushes")
    counts = bulk.push(wanted["bulk-harbor-county"], "bulk-harbor-county")
    assert counts["nodes_created"] == counts["nodes_deleted"] == 0
    assert counts["relationships_created"] == counts["relationships_deleted"] == 0
    assert stored(bulk, "bulk-harbor-county", counted=False) == before
    # the push is counted, so a pull that read across it tells
    assert bulk.info("bulk-harbor-county").get("pushes") == pushes + 1


def test_a_folder_with_a_database_or_a_running_server_is_refused(pushed, tmp_path):
    folder = pushed[4]
    with pytest.raises(StoreError, match="is running"):
        server_folder(folder)
    with pytest.raises(StoreError, match="no conf/neo4j.conf"):
        server_folder(tmp_path)


def test_push_bulk_refuses_a_running_server_in_one_line_and_writes_nothing(pushed):
    folder = pushed[4]
    before = sorted(p.name for p in (folder / "data" / "databases").iterdir())
    result = run_cli(["push", EXAMPLES / "smart-city", "--bulk", folder])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert "is running" in line and "stop it, or push without --bulk" in line
    assert sorted(p.name for p in (folder / "data" / "databases").iterdir()) == before
    assert not (folder / "data" / "stakegraph-import").exists()


KILLER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stakegraph.engines.neo4j_bulk import import_workspaces, server_folder
    from tests.engines.test_bulk_push import workspaces
    import_workspaces(server_folder(Path(sys.argv[1])), workspaces())
    """
)


def test_a_killed_import_leaves_nothing_and_an_unfinished_one_is_refused(tmp_path_factory, pushed):
    wanted = workspaces()
    home, uri = new_server_folder(tmp_path_factory, "killed")
    folder = server_folder(home)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    child = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(home)], env=env, start_new_session=True
    )
    staged = folder.staging / "data" / "databases" / folder.database
    deadline = time.monotonic() + 120
    while not staged.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the import ended before it could be killed"
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert staged.exists()  # the half-written store is there, in the staging folder only
    assert not (folder.data / "databases" / folder.database).exists()
    server_folder(home)  # still a new database: the bulk path may run again
    # run again, stopped before the constraints and the marker: refused until completed
    imported = import_workspaces(folder, {"bulk-harbor-county": wanted["bulk-harbor-county"]})
    assert not folder.staging.exists()
    try:
        with start_server(folder, lambda: connect(uri, "neo4j", PASSWORD)) as store:
            with pytest.raises(IncompletePush):
                store.pull("bulk-harbor-county")
            assert imported.counts["bulk-harbor-county"]["nodes"] > 0
            counts = store.push(wanted["bulk-harbor-county"], "bulk-harbor-county")
            assert counts["nodes_created"] == 0
            assert store.pull("bulk-harbor-county") == wanted["bulk-harbor-county"]
    finally:
        stop_server(folder)
