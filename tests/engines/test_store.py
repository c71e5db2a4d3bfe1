"""The Neo4j store against a real server (see tests/neo4j_fixture.py)."""

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

from stakegraph.engines.neo4j import (
    AuthError,
    DatabaseNotFound,
    IncompletePush,
    ServerUnreachable,
    StoreError,
    WorkspaceNotStored,
    connect,
    password_from_environment,
)
from stakegraph.engines.queries import run_query
from stakegraph.io import load_workspace
from stakegraph.records.model import (
    Action,
    Assessment,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Survey,
    Tenure,
    Tie,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DATA, ROOT
from tests.neo4j_fixture import neo4j_variables

pytestmark = pytest.mark.neo4j

EXAMPLES = ROOT / "examples"
HOSTILE = "'); MATCH (n) DETACH DELETE n //"


@pytest.fixture(scope="module")
def store(neo4j_connection):
    with connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password) as s:
        yield s


@pytest.fixture(scope="module")
def synthetic():
    from benchmarks.synthetic import generate_workspace

    return generate_workspace(2000, seed=3)


def fingerprint(store, workspace_id: str) -> tuple[str, int, int]:
    """A hash of every node and relationship of a workspace, with the counts."""
    nodes = store.driver.execute_query(
        "MATCH (n) WHERE n.workspace = $ws RETURN labels(n) AS labels, properties(n) AS props",
        ws=workspace_id,
        database_=store.database,
    ).records
    rels = store.driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE a.workspace = $ws "
        "RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props",
        ws=workspace_id,
        database_=store.database,
    ).records
    items = sorted(json.dumps(r.data(), sort_keys=True, default=str) for r in [*nodes, *rels])
    digest = hashlib.sha256("\n".join(items).encode()).hexdigest()
    return digest, len(nodes), len(rels)


def duplicates(store, workspace_id: str) -> int:
    """Nodes sharing (label, id) plus relationships sharing (ends, type, key)."""
    nodes = store.driver.execute_query(
        "MATCH (n) WHERE n.workspace = $ws WITH labels(n) AS l, n.id AS id, count(*) AS c "
        "WHERE c > 1 RETURN count(*) AS n",
        ws=workspace_id,
    ).records[0]["n"]
    rels = store.driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE a.workspace = $ws "
        "WITH elementId(a) AS a, type(r) AS t, elementId(b) AS b, r.key AS k, count(*) AS c "
        "WHERE c > 1 RETURN count(*) AS n",
        ws=workspace_id,
    ).records[0]["n"]
    return nodes + rels


@pytest.mark.parametrize("example", ["smart-city", "harbor-county"])
def test_examples_round_trip(store, example):
    ws = load_workspace(EXAMPLES / example)
    counts = store.push(ws)
    assert counts["nodes"] > 0 and counts["relationships"] > 0
    assert example in store.workspaces()
    pulled = store.pull(example)
    assert pulled == ws
    assert pulled.name == ws.name
    # equality ignores order, but analyses break ties by record order
    for kind in ("relationships", "ties", "persons", "interactions"):
        assert list(getattr(pulled, kind)) == list(getattr(ws, kind)), kind
    assert pulled.settings_text == ws.settings_text


def test_lifetimes_and_tenure_fields_round_trip(store):
    ws = load_workspace(DATA / "structure")
    store.push(ws, "structure")
    pulled = store.pull("structure")
    assert pulled == ws
    liu = pulled.persons["liu"].tenures[1]
    assert (liu.acting, liu.concurrent, liu.title) == (True, True, "副局长（主持工作）")
    assert pulled.persons["zhao"].tenures[1].on_leave
    assert pulled.organisations["xxzx"].end == dt.date(2019, 3, 1)
    assert pulled.posts["sjys"].start == dt.date(2024, 1, 1)
    store.drop("structure")


def test_reforms_round_trip(store):
    ws = load_workspace(DATA / "structure" / "cabinet")
    ws.reforms["r-info-vice"].continued_by = "digital-vice-data"
    ws.reforms["r-info-vice"].functions = "数据管理职责"
    store.push(ws, "cabinet")
    pulled = store.pull("cabinet")
    assert pulled == ws
    assert list(pulled.reforms) == list(ws.reforms)
    assert pulled.reforms["r-hr"].predecessors == ["m-labour", "m-personnel"]
    assert pulled.reforms["r-info-vice"].continued_by == "digital-vice-data"
    store.drop("cabinet")


def test_dated_structure_and_names_round_trip(store):
    ws = load_workspace(DATA / "structure" / "dated")
    store.push(ws, "dated")
    pulled = store.pull("dated")
    assert pulled == ws
    assert pulled.posts["dsj-jz"].reports_to_on(dt.date(2026, 6, 1)) == "vm-li"
    assert pulled.persons["chen"].name_on(dt.date(2026, 4, 14)) == "陈小红"
    store.drop("dated")


def test_backup_owner_round_trips(store):
    from tests.io.test_backup_formats import backed_up

    ws = backed_up()
    store.push(ws, "backups")
    pulled = store.pull("backups")
    assert pulled == ws
    assert pulled.relationships["zhang-wei~li-ming"].backup == "wang-li"
    assert pulled.relationships["wang-li~li-ming"].backup is None
    store.drop("backups")


def test_unknown_holder_round_trips(store):
    from tests.io.test_unknown_holder_formats import with_unknown_holder

    ws = with_unknown_holder()
    store.push(ws, "unknown-holders")
    pulled = store.pull("unknown-holders")
    assert pulled == ws
    first, second = pulled.opportunities["opp"].chain[1].roles
    assert (first.unknown_org, first.unknown_grade) == ("fin", 3)
    assert first.unknown_description == "预算评审中心一位评审"
    assert (second.unknown_org, second.unknown_grade, second.post) == ("fin", None, None)
    store.drop("unknown-holders")


def test_synthetic_round_trip(store, synthetic):
    counts = store.push(synthetic, "synthetic", batch_size=3000)
    assert counts["nodes_created"] == counts["nodes"]
    assert counts["relationships_created"] == counts["relationships"]
    assert store.pull("synthetic") == synthetic
    store.drop("synthetic")
    assert "synthetic" not in store.workspaces()


def test_stored_form(store):
    """Dates are DATEs, lists are lists, survey scores parallel lists, enums strings."""
    ws = load_workspace(EXAMPLES / "smart-city")
    store.push(ws, "form")
    survey = next(iter(ws.surveys.values()))
    row = store.driver.execute_query(
        "MATCH (s:Survey {workspace: 'form', id: $id}) "
        "RETURN s.date AS date, s.scores__keys AS keys, s.scores__values AS values",
        id=survey.id,
    ).records[0]
    assert row["date"].to_native() == survey.date
    assert dict(zip(row["keys"], row["values"], strict=True)) == survey.scores
    tie = next(iter(ws.ties.values()))
    kind = store.driver.execute_query(
        "MATCH (:Person {workspace: 'form', id: $a})-[t:TIE {key: $id}]->"
        "(:Person {workspace: 'form', id: $b}) RETURN t.kind AS kind",
        a=tie.a,
        b=tie.b,
        id=tie.id,
    ).records[0]["kind"]
    assert kind == tie.kind.value
    store.drop("form")


def test_push_twice_is_idempotent(store):
    ws = load_workspace(EXAMPLES / "smart-city")
    first = store.push(ws, "twice")
    before = fingerprint(store, "twice")
    second = store.push(ws, "twice")
    after = fingerprint(store, "twice")
    assert before == after
    assert (first["nodes"], first["relationships"]) == (second["nodes"], second["relationships"])
    assert second["nodes_created"] == second["relationships_created"] == 0
    assert second["nodes_deleted"] == second["relationships_deleted"] == 0
    assert before[1] == first["nodes"] and before[2] == first["relationships"]
    store.drop("twice")


def _removable_person(ws: Workspace) -> str:
    """A person named by no opportunity, interaction or survey."""
    named = {r.person for o in ws.opportunities.values() for s in o.chain for r in s.roles}
    named |= {p for i in ws.interactions.values() for p in i.persons}
    named |= {s.person for s in ws.surveys.values()}
    return next(p for p in ws.persons if p not in named)


def _without_person(ws: Workspace, person_id: str) -> Workspace:
    changed = ws.copy()
    changed.remove("persons", person_id)
    for rel in list(changed.relationships.values()):
        if rel.person == person_id:
            changed.remove("relationships", rel.id)
    for tie in list(changed.ties.values()):
        if person_id in (tie.a, tie.b):
            changed.remove("ties", tie.id)
    return changed


def test_changed_workspace_updates_and_removes(store):
    ws = load_workspace(EXAMPLES / "smart-city")
    store.push(ws, "changing")
    store.push(ws, "bystander")
    bystander = fingerprint(store, "bystander")

    gone = _removable_person(ws)
    changed = _without_person(ws, gone)
    rel = next(iter(changed.relationships.values()))
    changed.add(rel.model_copy(update={"support": 5 - rel.support if rel.support != 2.5 else 1.0}))
    counts = store.push(changed, "changing")

    assert counts["nodes_deleted"] == 1
    assert counts["relationships_deleted"] > 0
    pulled = store.pull("changing")
    assert pulled == changed
    assert gone not in pulled.persons
    assert pulled.relationships[rel.id].support != rel.support
    left = store.driver.execute_query(
        "MATCH (p:Person {workspace: 'changing', id: $id}) RETURN count(p) AS n", id=gone
    ).records[0]["n"]
    assert left == 0
    # the other workspace, holding the same ids, is untouched
    assert fingerprint(store, "bystander") == bystander
    assert store.pull("bystander") == ws
    store.drop("changing")
    store.drop("bystander")


def test_workspaces_share_a_database(store):
    city = load_workspace(EXAMPLES / "smart-city")
    county = load_workspace(EXAMPLES / "harbor-county")
    store.push(city, "shared-a")
    store.push(county, "shared-b")
    assert {"shared-a", "shared-b"} <= set(store.workspaces())
    assert store.pull("shared-a") == city
    assert store.pull("shared-b") == county
    store.drop("shared-b")
    assert "shared-b" not in store.workspaces()
    assert store.pull("shared-a") == city
    with pytest.raises(WorkspaceNotStored, match="shared-b"):
        store.pull("shared-b")
    store.drop("shared-a")


def hostile_workspace() -> Workspace:
    """Ids and names made of quotes, backticks, braces and Cypher keywords."""
    ws = Workspace(name="hostile")
    # ids may not hold spaces, '/' or ':'; names and workspace ids may
    org_id, post_id = "o'\"{a=1}", "`x`"
    ids = ["');MATCH(n)DETACH_DELETE_n;", "`x`", "{a}", "a\\'b", "RETURN", "$param"]
    ws.add(Organisation(id=org_id, name=HOSTILE, notes="}{`'\""))
    ws.add(Post(id=post_id, org=org_id, title="`title` {b:2}", grade=5))
    for n, pid in enumerate(ids):
        ws.add(
            Person(
                id=pid,
                name=f"{HOSTILE} {n}",
                aliases=["`x`", "{a:1}", HOSTILE],
                tenures=[Tenure(post=post_id)] if n == 0 else [],
            )
        )
    ws.add(Owner(id="o`wn'er", name="MERGE (x) //", tier=3))
    ws.add(Relationship(owner="o`wn'er", person=ids[0], support=4, notes=HOSTILE))
    ws.add(Tie(a=ids[1], b=ids[2], source="{a:1}"))
    ws.add(Survey(id="s'1", date="2026-01-02", person=ids[3], scores={"q'`{1}": 3, HOSTILE: 5}))
    return ws


def test_hostile_text_round_trips(store):
    store.push(load_workspace(EXAMPLES / "harbor-county"), "canary")
    canary = fingerprint(store, "canary")
    ws = hostile_workspace()
    for workspace_id in ("hostile", HOSTILE, "`x`", "{a:1}"):
        store.push(ws, workspace_id)
        assert store.pull(workspace_id) == ws
        assert workspace_id in store.workspaces()
        store.drop(workspace_id)
    assert fingerprint(store, "canary") == canary
    store.drop("canary")


def history_workspace() -> Workspace:
    """Re-assessments and actions with every field filled, in Chinese."""
    ws = Workspace(name="履历")
    ws.add(Organisation(id="bdb", name="江川市大数据局", notes="“城市大脑”牵头单位"))
    ws.add(Post(id="director", org="bdb", title="局长", grade=5, leadership=True))
    ws.add(Person(id="xu", name="许志恒", tenures=[Tenure(post="director")]))
    ws.add(Owner(id="liu", name="刘凯", title="大客户经理", tier=3, capacity=4))
    ws.add(Owner(id="wang", name="王莉", tier=4))
    ws.add(
        Relationship(
            owner="liu",
            person="xu",
            acceptance=2,
            participation=2,
            information=1,
            guidance=2,
            support=3,
            preference=2,
            level="被优先考虑的供应商",
            since=dt.date(2025, 3, 1),
            last_contact=dt.date(2026, 5, 20),
        )
    )
    ws.add(
        Assessment(
            owner="liu",
            person="xu",
            date=dt.date(2026, 6, 30),
            acceptance=3,
            participation=4,
            information=2.5,
            guidance=3,
            support=4,
            preference=3,
            level="合作伙伴关系",
            source="季度复盘：王莉、刘凯",
            aliases=["六月复评"],
            tags=["季度", "复评"],
            notes="项目立项后许局长态度明显转变。",
        )
    )
    ws.add(
        Assessment(
            id="liu~xu~第二次",
            owner="liu",
            person="xu",
            date=dt.date(2026, 10, 31),
            support=5,
            source="年度评估",
        )
    )
    ws.add(
        Opportunity(
            id="brain",
            name="城市大脑一期",
            client="bdb",
            chain=[{"name": "立项", "roles": [{"post": "director", "role": "decision_maker"}]}],
        )
    )
    ws.add(
        Interaction(
            id="投诉-1",
            date=dt.date(2026, 7, 2),
            kind="投诉",
            owners=["wang"],
            persons=["xu"],
            orgs=["bdb"],
            information_shared=True,
            notes="数据接口响应慢，许局长在例会上提出。",
        )
    )
    ws.add(Survey(id="满意度-2026", date=dt.date(2026, 9, 1), org="bdb", scores={"响应速度": 2}))
    ws.add(
        Action(
            id="整改-接口",
            owner="wang",
            action="优化数据接口并当面汇报整改结果",
            origin="整改",
            person="xu",
            org="bdb",
            opportunity="brain",
            created=dt.date(2026, 7, 3),
            due=dt.date(2026, 8, 15),
            status="已完成",
            done=dt.date(2026, 8, 10),
            complaint="投诉-1",
            survey="满意度-2026",
            baseline_cover=0.35,
            aliases=["接口整改"],
            tags=["改进", "投诉"],
            notes="由王莉牵头，技术部配合。",
        )
    )
    ws.add(
        Action(
            id="计划-拜访",
            owner="liu",
            action="季度拜访许局长",
            origin="行动计划",
            person="xu",
            created=dt.date(2026, 11, 1),
            due=dt.date(2026, 12, 31),
            status="进行中",
        )
    )
    return ws


def test_assessments_and_actions_round_trip(store):
    from stakegraph.records.validate import check_workspace

    ws = history_workspace()
    assert check_workspace(ws) == []
    store.push(ws, "履历")
    try:
        pulled = store.pull("履历")
        assert pulled == ws
        assert list(pulled.assessments) == list(ws.assessments)
        assert list(pulled.actions) == list(ws.actions)
        for collection in ("assessments", "actions", "interactions", "surveys"):
            for rid, record in getattr(ws, collection).items():
                assert getattr(pulled, collection)[rid].model_dump() == record.model_dump(), rid
        done = pulled.actions["整改-接口"]
        assert done.done == dt.date(2026, 8, 10) and done.baseline_cover == 0.35
        assert (done.complaint, done.survey, done.opportunity) == ("投诉-1", "满意度-2026", "brain")
        second = pulled.assessments["liu~xu~第二次"]
        assert second.support == 5 and second.acceptance is None and second.level is None
        # stored as the queries read them: dates as DATEs, links as relationships
        row = store.driver.execute_query(
            "MATCH (a:Assessment {workspace: $ws})-[:ASSESSED_BY]->(o:Owner), "
            "(a)-[:ASSESSES]->(p:Person) WHERE a.id = $id "
            "RETURN a.date AS date, a.level AS level, a.acceptance AS acceptance, "
            "o.id AS owner, p.id AS person",
            ws="履历",
            id="liu~xu~2026-06-30",
            database_=store.database,
        ).records[0]
        assert row["date"].to_native() == dt.date(2026, 6, 30)
        assert (row["level"], row["acceptance"], row["owner"], row["person"]) == (
            "partner",
            3,
            "liu",
            "xu",
        )
        links = store.driver.execute_query(
            "MATCH (a:Action {workspace: $ws, id: $id})-[r]->(x) "
            "RETURN type(r) AS type, labels(x)[0] AS label, x.id AS id ORDER BY type, label",
            ws="履历",
            id="整改-接口",
            database_=store.database,
        ).records
        assert [(r["type"], r["label"], r["id"]) for r in links] == [
            ("ADDRESSES", "Interaction", "投诉-1"),
            ("ADDRESSES", "Survey", "满意度-2026"),
            ("ASSIGNED_TO", "Owner", "wang"),
            ("ON", "Opportunity", "brain"),
            ("TARGETS", "Organisation", "bdb"),
            ("TARGETS", "Person", "xu"),
        ]
        # pushing again changes nothing
        again = store.push(ws, "履历")
        assert again["nodes_created"] == again["relationships_created"] == 0
        assert again["nodes_deleted"] == again["relationships_deleted"] == 0
    finally:
        store.drop("履历")


INTERRUPTED = textwrap.dedent(
    """
    import sys, time
    from benchmarks.synthetic import generate_workspace
    from stakegraph.engines.neo4j import connect

    ws = generate_workspace(600, seed=4)
    store = connect()

    def progress(n):
        print("batch", n, flush=True)
        time.sleep(0.3)

    store.push(ws, "interrupted", batch_size=200, progress=progress)
    print("finished", flush=True)
    """
)


def test_interrupted_push_resumes_without_duplicates(store, neo4j_connection):
    from benchmarks.synthetic import generate_workspace

    ws = generate_workspace(600, seed=4)
    env = {**os.environ, **neo4j_variables(neo4j_connection), "PYTHONPATH": str(ROOT)}
    env.pop("NEO4J_DATABASE", None)
    child = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = 0
        deadline = time.monotonic() + 120
        while seen < 12 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            seen += line.startswith("batch")
        assert seen == 12, child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(30)

    info = store.info("interrupted")
    assert info["complete"] is False
    with pytest.raises(IncompletePush):
        store.pull("interrupted")
    with pytest.raises(IncompletePush):  # a named query would answer from half the records
        run_query(
            store, "vacancies_and_rotations", {"workspace": "interrupted", "as_of": "2026-11-28"}
        )
    _, nodes, _ = fingerprint(store, "interrupted")
    assert 0 < nodes < len(list(ws.iter_records()))
    assert duplicates(store, "interrupted") == 0

    counts = store.push(ws, "interrupted", batch_size=200)
    assert duplicates(store, "interrupted") == 0
    _, nodes, rels = fingerprint(store, "interrupted")
    assert (nodes, rels) == (counts["nodes"], counts["relationships"])
    assert store.pull("interrupted") == ws
    store.drop("interrupted")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_is_a_clear_error():
    secret = "pw-never-shown-1"
    with pytest.raises(ServerUnreachable) as info:
        connect(f"bolt://127.0.0.1:{_free_port()}", "someone", secret)
    message = str(info.value)
    assert "cannot reach Neo4j at bolt://127.0.0.1:" in message
    assert "\n" not in message
    assert secret not in message and "someone" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_credentials_in_the_uri_are_not_shown():
    with pytest.raises(StoreError) as info:
        connect(f"bolt://someone:pw-in-uri-2@127.0.0.1:{_free_port()}", None, "x")
    message = str(info.value)
    assert "bolt://127.0.0.1:" in message
    assert "pw-in-uri-2" not in message and "someone" not in message


def test_wrong_password_is_a_clear_error(neo4j_connection):
    secret = "wrong-password-3"
    with pytest.raises(AuthError) as info:
        connect(neo4j_connection.uri, neo4j_connection.user, secret)
    message = str(info.value)
    assert "refused the login" in message and "\n" not in message
    assert secret not in message and neo4j_connection.password not in message


def test_the_password_may_come_from_a_file(neo4j_connection, monkeypatch, tmp_path):
    secret = tmp_path / "neo4j-password"
    secret.write_text(neo4j_connection.password + "\n", encoding="utf-8")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD_FILE", str(secret))
    assert password_from_environment() == neo4j_connection.password
    with connect(neo4j_connection.uri, neo4j_connection.user) as store:
        assert store.workspaces() is not None
    # the variable wins over the file; a file that is not there is one clear error
    monkeypatch.setenv("NEO4J_PASSWORD", "from-the-variable")
    assert password_from_environment() == "from-the-variable"
    monkeypatch.delenv("NEO4J_PASSWORD")
    monkeypatch.setenv("NEO4J_PASSWORD_FILE", str(tmp_path / "absent"))
    with pytest.raises(AuthError, match="NEO4J_PASSWORD_FILE names .*absent, which cannot be read"):
        connect(neo4j_connection.uri, neo4j_connection.user)


def test_missing_database_is_a_clear_error(neo4j_connection):
    with pytest.raises(DatabaseNotFound) as info:
        connect(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password, "nosuchdb")
    assert "no database 'nosuchdb'" in str(info.value)
    assert neo4j_connection.password not in str(info.value)


def test_credentials_from_the_environment(neo4j_env):
    with connect() as s:
        assert neo4j_env.password not in repr(s)
        assert isinstance(s.workspaces(), list)


def test_load_reads_a_folder_a_workbook_a_csv_folder_and_an_open_store(tmp_path):
    import stakegraph as sg
    from stakegraph.errors import StakegraphError
    from tests.builders import SMART_CITY

    expected = sg.load_workspace(SMART_CITY)
    sg.save_workspace(expected, tmp_path / "book.xlsx")
    sg.save_workspace(expected, tmp_path / "flat", "csv")
    assert sg.load(SMART_CITY) == expected
    assert sg.load(str(tmp_path / "book.xlsx")) == expected
    assert sg.load(tmp_path / "flat") == expected
    with sg.open_store(SMART_CITY) as store:
        assert sg.load(store) == expected
    with pytest.raises(StakegraphError, match="not a Neo4j URI"):
        sg.load("http://localhost:7474")
