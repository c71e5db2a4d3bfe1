"""A team writing to one Neo4j workspace, against a real server (tests/neo4j_fixture.py)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest

from benchmarks.bench_team import run_writers
from stakegraph.engines import neo4j_journal
from stakegraph.engines.neo4j import connect
from stakegraph.engines.neo4j_team import (
    FilesBehind,
    IdTaken,
    StaleWrite,
    Update,
    append_records,
    pull_with_versions,
    read_record,
    read_versions,
    update_record,
    write_records,
    write_versions,
    writer_name,
)
from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.property_graph import LABELS, build_graph
from stakegraph.records.model import Action, ActionStatus, Assessment, Interaction
from stakegraph.records.validate import check_workspace
from tests.builders import ROOT

pytestmark = pytest.mark.neo4j

EXAMPLE = ROOT / "examples" / "smart-city"
ACTION = "plan-smart-city-du-mingchuan"


@pytest.fixture(scope="module")
def store(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        yield s


@pytest.fixture(scope="module")
def example():
    return load_workspace(EXAMPLE)


@pytest.fixture
def stored(store, example, request):
    """A fresh copy of the example on the server, under this test's own id."""
    workspace_id = f"team-{request.node.name}"[:60]
    store.push(example, workspace_id, force=True)
    yield workspace_id
    store.drop(workspace_id)


def _call(record_id: str, owner: str = "liu-kai", person: str = "xu-zhiheng") -> Interaction:
    return Interaction(
        id=record_id, date=dt.date(2026, 12, 1), kind="call", owners=[owner], persons=[person]
    )


def test_an_append_is_one_versioned_node_with_its_links(store, stored):
    done = append_records(store, stored, [_call("t-1")])
    assert done.ids == ["t-1"] and done.versions == {"t-1": 1}
    rows = store.read(
        "MATCH (i:Interaction {workspace: $w, id: 't-1'})-[r:INVOLVES]->(x) "
        "RETURN i._version AS version, i._by AS by, x.id AS target, r._version AS rv "
        "ORDER BY target",
        w=stored,
    )
    assert [(r["target"], r["version"], r["rv"]) for r in rows] == [
        ("liu-kai", 1, 1),
        ("xu-zhiheng", 1, 1),
    ]
    assert rows[0]["by"]
    ws = store.pull(stored)
    assert ws.interactions["t-1"] == _call("t-1")
    assert list(ws.interactions)[-1] == "t-1"  # after every record pushed before it


def test_an_append_on_a_taken_id_is_refused_and_nothing_is_written(store, stored, example):
    taken = next(iter(example.interactions))
    with pytest.raises(IdTaken, match=f"interaction '{taken}' already exists"):
        append_records(store, stored, [_call("t-new"), _call(taken)])
    assert "t-new" not in store.pull(stored).interactions
    # asked to, the write takes the next free id in the same transaction
    done = append_records(store, stored, [_call(taken)], allocate_ids=True)
    assert done.ids == [f"{taken}-2"]


def test_a_missing_reference_is_refused_with_the_check_message(store, stored):
    with pytest.raises(WorkspaceInvalid) as caught:
        append_records(store, stored, [_call("t-bad", owner="liu-kai", person="nobody")])
    (problem,) = caught.value.problems
    assert problem.record_id == "t-bad" and problem.field == "persons[0]"
    assert problem.message == "refers to person 'nobody', which does not exist."
    assert f"workspace '{stored}'" in str(problem.location)
    assert "t-bad" not in store.pull(stored).interactions


def test_a_stale_update_is_refused_naming_the_change(store, stored, example):
    fields, version = read_record(store, stored, "Action", ACTION)
    assert fields["status"] == "planned"
    action = example.actions[ACTION]
    # a colleague marks it done first
    done = Action.model_validate(
        {**action.model_dump(), "status": "done", "done": dt.date(2026, 11, 29)}
    )
    assert update_record(store, stored, done, version, fields).versions == {ACTION: version + 1}
    # our change, based on the version we read, is refused and names theirs
    dropped = Action.model_validate({**action.model_dump(), "status": "dropped"})
    with pytest.raises(StaleWrite) as caught:
        update_record(store, stored, dropped, version, fields)
    message = str(caught.value)
    assert f"action '{ACTION}' was changed by " in message
    assert f"(version {version} → {version + 1})" in message
    assert "status: planned → done" in message and "done: (none) → 2026-11-29" in message
    assert store.pull(stored).actions[ACTION].status == ActionStatus.DONE
    # read again, the change goes through
    assert neo4j_journal.set_action_status(store, stored, ACTION, status="dropped")[2].versions == {
        ACTION: version + 2
    }


def test_two_writer_processes_lose_nothing(store, stored, neo4j_connection, tmp_path):
    connection = (neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password)
    latencies, _ = run_writers(connection, stored, 2, 100, "liu-kai", "xu-zhiheng")
    assert [len(x) for x in latencies] == [100, 100]
    ws = store.pull(stored)
    written = sorted(i for i in ws.interactions if i.startswith("w2-"))
    assert written == sorted(f"w2-{k}-{n:04d}" for k in range(2) for n in range(100))
    # the workspace's counts followed every write
    assert store.info(stored)["nodes"] == build_graph(ws).number_of_nodes()
    save_workspace(ws, tmp_path / "pulled")
    again = load_workspace(tmp_path / "pulled")
    assert check_workspace(again) == []
    assert len(again.interactions) == len(ws.interactions)


def test_pull_after_team_writes_equals_the_server(store, stored, tmp_path):
    append_records(store, stored, [_call("t-pull")])
    neo4j_journal.set_action_status(store, stored, ACTION, mark_done=True, day=dt.date(2026, 12, 2))
    ws, versions = pull_with_versions(store, stored)
    save_workspace(ws, tmp_path / "pulled")
    write_versions(tmp_path / "pulled", stored, versions)
    assert load_workspace(tmp_path / "pulled").records == store.pull(stored).records
    assert versions["Interaction:t-pull"] == 1 and versions[f"Action:{ACTION}"] == 2
    assert read_versions(tmp_path / "pulled", stored) == versions
    # the bookkeeping stays out of the records and their files
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "pulled").glob("*.yaml"))
    assert not re.search(r"^[\s-]*_(version|hash|by|seq):", text, re.MULTILINE)
    # pushing the pulled files back changes no record and no version
    pushed: dict[str, int] = {}
    again = load_workspace(tmp_path / "pulled")
    store.push(again, stored, base_versions=versions, pushed_versions=pushed)
    assert pushed == versions
    assert pull_with_versions(store, stored)[1] == versions


def test_a_push_of_files_behind_the_server_is_refused_with_the_conflicts(
    store, stored, example, tmp_path
):
    ws, versions = pull_with_versions(store, stored)
    append_records(store, stored, [_call("t-theirs")])
    neo4j_journal.set_action_status(store, stored, ACTION, status="in_progress")
    # our files, pulled before those writes, with a change of our own
    mine = Interaction(id="t-mine", date=dt.date(2026, 12, 3), kind="visit", owners=["liu-kai"])
    ws.add(mine)
    with pytest.raises(FilesBehind) as caught:
        store.push(ws, stored, base_versions=versions)
    conflicts = [(c.record, c.change) for c in caught.value.conflicts]
    assert conflicts == [(f"Action:{ACTION}", "changed"), ("Interaction:t-theirs", "added")]
    assert f"Action:{ACTION}: changed on the server by " in str(caught.value)
    assert "(version 1 → 2)" in str(caught.value)
    after = store.pull(stored)
    assert "t-theirs" in after.interactions and "t-mine" not in after.interactions
    assert after.actions[ACTION].status == ActionStatus.IN_PROGRESS
    assert store.info(stored)["complete"] is True
    # files never pulled: refused when team writes happened since the last push
    with pytest.raises(FilesBehind, match="Interaction:t-theirs: added on the server by "):
        store.push(example, stored)
    # pulled again, with our change carried over, the push goes through
    fresh, versions = pull_with_versions(store, stored)
    fresh.add(mine)
    store.push(fresh, stored, base_versions=versions)
    assert {"t-theirs", "t-mine"} <= set(store.pull(stored).interactions)


def test_team_writes_wait_for_no_half_pushed_workspace(store, stored):
    store._write("MATCH (w:StakegraphWorkspace {id: $w}) SET w.complete = false", w=stored)
    with pytest.raises(Exception, match="is being pushed"):
        append_records(store, stored, [_call("t-during")])
    store._write("MATCH (w:StakegraphWorkspace {id: $w}) SET w.complete = true", w=stored)
    assert "t-during" not in store.pull(stored).interactions


def test_a_pull_while_a_colleague_writes_is_a_valid_workspace(store, stored, neo4j_connection):
    import multiprocessing

    from benchmarks.bench_team import write_interactions

    connection = (neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password)
    writer = multiprocessing.get_context("spawn").Process(
        target=write_interactions,
        args=(connection, stored, "busy", 60, "liu-kai", "xu-zhiheng"),
    )
    writer.start()
    pulls = []
    try:
        while writer.is_alive() or not pulls:
            ws = store.pull(stored)
            assert check_workspace(ws) == []
            # every interaction pulled has its participants: none half-read
            assert all(
                i.owners and i.persons for i in ws.interactions.values() if i.id[:4] == "busy"
            )
            pulls.append(sum(i.startswith("busy-") for i in ws.interactions))
    finally:
        writer.join(120)
    assert writer.exitcode == 0
    assert store.pull(stored).interactions.keys() >= {f"busy-{n:04d}" for n in range(60)}
    assert pulls == sorted(pulls)  # each pull saw at least what the one before saw


def _assessment(support: float | None = None, **scores: float) -> Assessment:
    return Assessment(
        owner="liu-kai", person="xu-zhiheng", date=dt.date(2026, 12, 4), support=support, **scores
    )


def test_a_second_assessment_that_day_updates_the_first_and_pulls_back(store, stored, tmp_path):
    ws, versions = pull_with_versions(store, stored)
    before = len(ws.assessments)
    first, done, updated = neo4j_journal.record_assessment(
        store, stored, ws, versions, _assessment(support=3, acceptance=2)
    )
    assert not updated and done.versions == {first.id: 1}
    ws, versions = pull_with_versions(store, stored)
    again, done, updated = neo4j_journal.record_assessment(
        store, stored, ws, versions, _assessment(support=5)
    )
    # the score given replaces that day's, the one left out stays
    assert updated and done.versions == {first.id: 2}
    assert (again.support, again.acceptance) == (5, 2)
    ws, versions = pull_with_versions(store, stored)
    assert versions[f"Assessment:{first.id}"] == 2
    assert len(ws.assessments) == before + 1
    # pulled into files, the updated record is there, once, and the folder checks
    folder = tmp_path / "pulled"
    save_workspace(ws, folder)
    pulled = load_workspace(folder)
    assert check_workspace(pulled) == []
    assert pulled.assessments[first.id] == again
    assert pulled.records == store.pull(stored).records


def test_two_concurrent_updates_one_is_refused_and_nothing_is_lost(store, stored, example):
    fields, version = read_record(store, stored, "Action", ACTION)
    action = example.actions[ACTION]
    wanted = {"dropped": None, "in_progress": None}
    barrier = threading.Barrier(2)

    def write(status: str) -> None:
        changed = Action.model_validate({**action.model_dump(), "status": status})
        barrier.wait()
        try:
            wanted[status] = update_record(store, stored, changed, version, fields)
        except StaleWrite as exc:
            wanted[status] = exc

    threads = [threading.Thread(target=write, args=(s,)) for s in wanted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    refused = [s for s, r in wanted.items() if isinstance(r, StaleWrite)]
    written = [s for s, r in wanted.items() if not isinstance(r, StaleWrite)]
    assert len(refused) == 1 and len(written) == 1
    # the write that went through is on the server, one version on
    assert store.pull(stored).actions[ACTION].status.value == written[0]
    assert read_record(store, stored, "Action", ACTION)[1] == version + 1
    # the one refused names the change, its old and new value, and who made it
    (stale,) = wanted[refused[0]].stale  # type: ignore[union-attr]
    assert (stale.record_id, stale.base_version, stale.version) == (ACTION, version, version + 1)
    assert stale.changes == (("status", "planned", written[0]),)
    assert stale.by == writer_name()
    assert f"status: planned → {written[0]}" in str(wanted[refused[0]])


def test_a_plan_saved_again_updates_its_actions_unless_one_changed(store, stored):
    ws = store.pull(stored)
    old = ws.actions[ACTION]
    again = Action.model_validate({**old.model_dump(), "due": dt.date(2027, 1, 31)})
    written, updated, done = neo4j_journal.save_plan(store, stored, ws, [again])
    assert updated == [ACTION] and done.versions == {ACTION: 2}
    assert store.pull(stored).actions[ACTION].due == dt.date(2027, 1, 31)
    # a colleague starts on it; a plan computed before that is refused, naming it
    neo4j_journal.set_action_status(store, stored, ACTION, status="in_progress")
    later = Action.model_validate({**old.model_dump(), "due": dt.date(2027, 2, 28)})
    with pytest.raises(StaleWrite) as caught:
        neo4j_journal.save_plan(store, stored, ws, [later])
    assert "status: planned → in_progress" in str(caught.value)
    assert "due: 2026-11-15 → 2027-01-31" in str(caught.value)
    kept = store.pull(stored).actions[ACTION]
    assert (kept.status.value, kept.due) == ("in_progress", dt.date(2027, 1, 31))
    # read again, the plan saved again keeps the progress and takes the new due day
    fresh = store.pull(stored)
    written, updated, done = neo4j_journal.save_plan(store, stored, fresh, [later])
    assert done.versions == {ACTION: 4}
    assert written[0].status.value == "in_progress"
    kept = store.pull(stored).actions[ACTION]
    assert (kept.status.value, kept.due) == ("in_progress", dt.date(2027, 2, 28))


def test_a_forced_push_overwrites_only_the_writes_it_listed(store, stored, example):
    from stakegraph.engines.neo4j_push_check import preview_push

    ws, versions = pull_with_versions(store, stored)
    neo4j_journal.set_action_status(store, stored, ACTION, status="in_progress")
    ws.actions[ACTION] = ws.actions[ACTION].model_copy(update={"notes": "ours"})
    found, seen = preview_push(store, stored, build_graph(ws), versions)
    assert [(c.record, c.change, c.fields) for c in found] == [
        (f"Action:{ACTION}", "changed", ("notes", "status"))
    ]
    assert seen[f"Action:{ACTION}"] == 2
    # a write after the list was read: the forced push is refused, nothing overwritten
    append_records(store, stored, [_call("t-late")])
    with pytest.raises(FilesBehind, match="Interaction:t-late: added on the server"):
        store.push(ws, stored, base_versions=seen)
    assert "t-late" in store.pull(stored).interactions
    # listed again and confirmed, it goes through and bumps the version
    found, seen = preview_push(store, stored, build_graph(ws), versions)
    pushed: dict[str, int] = {}
    store.push(ws, stored, base_versions=seen, pushed_versions=pushed)
    after = store.pull(stored)
    assert after.actions[ACTION].notes == "ours" and "t-late" not in after.interactions
    assert pushed[f"Action:{ACTION}"] == 3


def _write_both(store: Any, workspace_id: str, n: int, action: Action) -> None:
    """One transaction touching two labels: interaction ``busy-n`` and the action's notes."""
    call = _call(f"busy-{n:04d}")
    noted = action.model_copy(update={"notes": f"busy {n}"})
    write_records(store, workspace_id, [call], [Update(noted, None)])


def _one_state(ws: Any, original_notes: str | None) -> int:
    """The writes a pulled workspace holds, checked to be all of the first k and no more."""
    busy = sorted(i for i in ws.interactions if i.startswith("busy-"))
    k = len(busy)
    assert busy == [f"busy-{n:04d}" for n in range(k)]
    assert all(ws.interactions[i].owners and ws.interactions[i].persons for i in busy)
    assert ws.actions[ACTION].notes == (f"busy {k - 1}" if k else original_notes)
    return k


def test_a_write_between_the_pages_of_a_pull_is_all_in_or_all_out(store, stored, example, tmp_path):
    import networkx as nx

    from stakegraph.engines.neo4j import SEQ
    from stakegraph.engines.neo4j_pull import read_graph
    from stakegraph.io import load_settings_text
    from stakegraph.io.property_graph import graph_to_workspace

    meta = store.info(stored)
    settings = load_settings_text(meta.get("settings_text"), "test")
    # the nodes of the labels read before the actions (interactions among them)
    labels = [data["label"] for _, data in build_graph(example).nodes(data=True)]
    before_actions = sum(labels.count(label) for label in LABELS[: LABELS.index("Action")])
    pages: list[int] = []
    written: list[None] = []

    def write_between_interactions_and_actions(rows: int) -> None:
        pages.append(rows)
        if sum(pages) == before_actions and not written:  # empty labels add empty pages
            written.append(_write_both(store, stored, 0, example.actions[ACTION]))

    G = nx.MultiDiGraph(name=meta["name"], as_of=None, settings=settings)
    read_graph(store, stored, G, SEQ, page=10, progress=write_between_interactions_and_actions)
    ws = graph_to_workspace(G)
    # read again after the write: the pulled state is the one after it, whole
    assert _one_state(ws, example.actions[ACTION].notes) == 1
    assert ws.records == store.pull(stored).records
    # it read the workspace again: more pages than one quiet pull reads
    quiet: list[int] = []
    read_graph(store, stored, nx.MultiDiGraph(settings=settings), SEQ, 10, quiet.append)
    assert len(pages) >= 2 * len(quiet) - 1
    save_workspace(ws, tmp_path / "pulled")
    assert check_workspace(load_workspace(tmp_path / "pulled")) == []


def test_pulls_while_a_colleague_writes_are_each_one_state(store, stored, example, tmp_path):
    original = example.actions[ACTION].notes
    done = threading.Event()
    failed: list[BaseException] = []

    def colleague() -> None:
        try:
            for n in range(30):
                _write_both(store, stored, n, example.actions[ACTION])
        except BaseException as exc:  # reported by the test below
            failed.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=colleague)
    writer.start()
    seen = []
    while not done.is_set() or not seen:
        ws, versions = pull_with_versions(store, stored)
        seen.append(_one_state(ws, original))
        assert versions[f"Action:{ACTION}"] == 1 + seen[-1]
    writer.join(120)
    assert not failed
    assert seen == sorted(seen)
    # the last pull, as files, is a valid workspace holding every write
    ws, _ = pull_with_versions(store, stored)
    assert _one_state(ws, original) == 30
    save_workspace(ws, tmp_path / "pulled")
    assert check_workspace(load_workspace(tmp_path / "pulled")) == []


def test_a_push_since_the_workspace_was_read_refuses_the_pull(store, stored, example):
    import networkx as nx

    from stakegraph.engines.neo4j import SEQ
    from stakegraph.engines.neo4j_pull import read_graph
    from stakegraph.errors import IncompletePush

    meta = store.info(stored)
    assert read_graph(store, stored, nx.MultiDiGraph(), SEQ, meta=meta).number_of_nodes()
    store.push(example, stored, force=True)  # its settings may differ from those read
    with pytest.raises(IncompletePush, match="was pushed again while it was being pulled"):
        read_graph(store, stored, nx.MultiDiGraph(), SEQ, meta=meta)
    assert read_graph(store, stored, nx.MultiDiGraph(), SEQ, meta=store.info(stored))


def test_a_pull_that_writes_keep_interrupting_reads_once_holding_the_lock(store, stored, example):
    import networkx as nx

    from stakegraph.engines.neo4j import SEQ
    from stakegraph.engines.neo4j_pull import read_graph
    from stakegraph.io.property_graph import graph_to_workspace

    quiet: list[int] = []
    read_graph(store, stored, nx.MultiDiGraph(), SEQ, 10, quiet.append)
    pages: list[int] = []
    writes: list[None] = []

    def a_write_in_each_of_the_first_two_reads(rows: int) -> None:
        pages.append(rows)
        # the first page of each read; none in the third, which holds the lock
        if len(pages) % len(quiet) == 1 and len(writes) < 2:
            writes.append(_write_both(store, stored, len(writes), example.actions[ACTION]))

    G = read_graph(
        store,
        stored,
        nx.MultiDiGraph(),
        SEQ,
        10,
        a_write_in_each_of_the_first_two_reads,
        attempts=2,
    )
    assert len(writes) == 2 and 3 * len(quiet) <= len(pages) < 4 * len(quiet)  # three reads
    ws = graph_to_workspace(G)
    assert _one_state(ws, example.actions[ACTION].notes) == 2
    assert ws.interactions.keys() == store.pull(stored).interactions.keys()
