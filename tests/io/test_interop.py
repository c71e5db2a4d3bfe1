"""GraphML and Popolo interchange: lossless round trips, imports and the commands."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakegraph.cli.workspace import export, import_popolo
from stakegraph.errors import Problem, StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.graphml import read_graphml, write_graphml
from stakegraph.io.popolo import (
    from_popolo,
    popolo_part,
    read_popolo,
    slugify,
    to_popolo,
    write_popolo,
)
from stakegraph.io.property_graph import build_graph
from stakegraph.records.model import (
    Background,
    Interaction,
    InteractionKind,
    Level,
    Opportunity,
    Organisation,
    OrgKind,
    Owner,
    Person,
    Post,
    Relationship,
    RelationshipLevel,
    Role,
    RoleKind,
    Stage,
    Stance,
    Step,
    Survey,
    Tenure,
    Tie,
    TieKind,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, EXAMPLES, cli_runner
from tests.io.test_tabular import maybe, texts, units, words

EXAMPLES = EXAMPLES
NAMES = ["smart-city", "harbor-county"]


@pytest.fixture(scope="module", params=NAMES)
def example(request) -> Workspace:
    return load_workspace(EXAMPLES / request.param)


# --- GraphML -------------------------------------------------------------------------------


def test_graphml_round_trips_the_examples(example: Workspace, tmp_path: Path) -> None:
    path = write_graphml(example, tmp_path / "g.graphml")
    back = read_graphml(path)
    assert back == example
    assert back.name == example.name
    for person in example.persons.values():
        assert back.persons[person.id].tenures == person.tenures


def test_graphml_is_well_formed_and_read_by_networkx(example: Workspace, tmp_path: Path) -> None:
    path = write_graphml(example, tmp_path / "g.graphml")
    raw = path.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    ET.fromstring(raw)
    G = build_graph(example)
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert set(H.nodes) == set(G.nodes)
    for node, data in H.nodes(data=True):
        assert data["label"], node  # what Gephi shows
        assert data["name"], node  # what Cytoscape shows
        assert data["kind"] == G.nodes[node]["label"]
        assert data["record_id"] == G.nodes[node]["id"]
    assert {d["type"] for *_, d in H.edges(data=True)} == {
        d["type"] for *_, d in G.edges(data=True)
    }


def test_graphml_values_are_typed_and_readable(tmp_path: Path) -> None:
    ws = load_workspace(EXAMPLES / "smart-city")
    path = write_graphml(ws, tmp_path / "g.graphml")
    H = nx.read_graphml(path, force_multigraph=True)
    text = path.read_text(encoding="utf-8")
    assert "云岭省大数据管理局" in text  # UTF-8, not escaped
    org = H.nodes["Organisation:yl-bdb"]
    assert org["label"] == "云岭省大数据管理局"
    assert org["record_kind"] == "bureau" and org["level"] == "provincial"
    assert json.loads(org["aliases"]) == ["省大数据局"]
    post = H.nodes["Post:yl-bdb-director"]
    assert post["label"] == "局长 · 云岭省大数据管理局"
    assert post["grade"] == 7 and post["leadership"] is True
    holds = [d for u, v, d in H.edges(data=True) if d["type"] == "HOLDS"]
    assert all("end" not in d or len(d["end"]) == 10 for d in holds)  # None left out
    assert any(d.get("start") == "2022-03-14" for d in holds)


def test_graphml_carries_the_settings(tmp_path: Path) -> None:
    folder = tmp_path / "hc"
    save_workspace(load_workspace(EXAMPLES / "harbor-county"), folder)
    (folder / "stakegraph.toml").write_text("[strength]\nhalf_life_days = 120.0\n")
    ws = load_workspace(folder)
    back = read_graphml(write_graphml(ws, tmp_path / "g.graphml"))
    assert back.settings_text == ws.settings_text
    assert back.settings.strength.half_life_days == 120.0
    assert back == ws


def test_graphml_keeps_parallel_edges(tmp_path: Path) -> None:
    ws = Workspace()
    ws.add(Organisation(id="bureau", name="市大数据局"))
    ws.add(Post(id="chief", org="bureau", title="局长", grade=5))
    ws.add(
        Person(
            id="zhang",
            name="张伟",
            tenures=[
                Tenure(post="chief", start=dt.date(2018, 1, 1), end=dt.date(2020, 1, 1)),
                Tenure(post="chief", start=dt.date(2023, 1, 1)),
            ],
        )
    )
    path = write_graphml(ws, tmp_path / "g.graphml")
    H = nx.read_graphml(path)
    assert isinstance(H, nx.MultiDiGraph)
    assert H.number_of_edges("Person:zhang", "Post:chief") == 2
    assert read_graphml(path) == ws


def test_graphml_as_of_marks_holders_and_keeps_active_tenures(tmp_path: Path) -> None:
    ws = load_workspace(EXAMPLES / "harbor-county")
    path = write_graphml(ws, tmp_path / "now.graphml", as_of=DAY)
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.graph["as_of"] == DAY.isoformat()
    for _, data in H.nodes(data=True):
        if data["kind"] == "Post":
            assert "vacant" in data
            assert json.loads(data["holders"]) == ws.holders(data["record_id"], DAY)
    back = read_graphml(path)
    for person in back.persons.values():
        assert all(t.active_on(DAY) for t in person.tenures)


def test_graphml_for_yed_has_node_labels(tmp_path: Path) -> None:
    ws = load_workspace(EXAMPLES / "smart-city")
    path = write_graphml(ws, tmp_path / "yed.graphml", yed=True)
    root = ET.parse(path).getroot()
    y = "{http://www.yworks.com/xml/graphml}"
    labels = [e.text for e in root.iter(f"{y}NodeLabel")]
    assert len(labels) == build_graph(ws).number_of_nodes() and "宋立群" in labels
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.nodes["Person:song-liqun"]["label"] == "宋立群"
    assert read_graphml(path) == ws


def test_graphml_write_is_all_or_nothing(tmp_path: Path) -> None:
    ws = load_workspace(EXAMPLES / "harbor-county")
    out = tmp_path / "g.graphml"
    out.write_text("previous", encoding="utf-8")
    person = next(iter(ws.persons.values()))
    ws.add(person.model_copy(update={"notes": "bell\x07"}))
    with pytest.raises(StakegraphError, match="U\\+0007"):
        write_graphml(ws, out)
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]


def test_read_graphml_reports_files_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><node>", encoding="utf-8")
    with pytest.raises(StakegraphError, match="not well-formed"):
        read_graphml(bad)
    foreign = tmp_path / "foreign.graphml"
    nx.write_graphml(nx.path_graph(3), foreign)
    with pytest.raises(StakegraphError, match="no 'kind'"):
        read_graphml(foreign)


# A small valid workspace: every reference resolves, no cycles, enough seats.
def _pick(draw, pool: list[str]) -> str:
    return draw(st.sampled_from(pool))


def _some(draw, pool: list[str], most: int = 2) -> list[str]:
    return draw(st.lists(st.sampled_from(pool), max_size=most)) if pool else []


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


#: Lifetimes drawn around the tenure dates, so every tenure lies inside its post's.
org_starts = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1949, 12, 31))
post_starts = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(1989, 12, 31))
post_ends = st.dates(min_value=dt.date(2041, 1, 1), max_value=dt.date(2060, 12, 31))
org_ends = st.dates(min_value=dt.date(2061, 1, 1), max_value=dt.date(2099, 12, 31))


@st.composite
def small_workspaces(draw) -> Workspace:
    ws = Workspace()
    orgs = [f"o{i}" for i in range(draw(st.integers(1, 3)))]
    parents: dict[str, str | None] = {}
    for index, org in enumerate(orgs):
        earlier = orgs[:index]
        parent = draw(st.sampled_from(earlier)) if earlier and draw(st.booleans()) else None
        parents[org] = parent
        ws.add(
            Organisation(
                id=org,
                name=draw(texts),
                aliases=draw(words),
                tags=draw(words),
                notes=draw(maybe(texts)),
                kind=draw(st.sampled_from(OrgKind)),
                level=draw(maybe(st.sampled_from(Level))),
                region=draw(maybe(texts)),
                parent=parent,
                guided_by=_some(draw, earlier),
                start=draw(maybe(org_starts)),
                end=draw(maybe(org_ends)),
            )
        )
    posts = [f"p{i}" for i in range(draw(st.integers(0, 3)))]
    for index, post in enumerate(posts):
        earlier = posts[:index]
        org = _pick(draw, orgs)
        ancestors = set()
        above = parents[org]
        while above is not None:
            ancestors.add(above)
            above = parents[above]
        ws.add(
            Post(
                id=post,
                org=org,
                title=draw(texts),
                grade=draw(st.integers(1, 10)),
                leadership=draw(st.booleans()),
                reports_to=draw(st.sampled_from(earlier))
                if earlier and draw(st.booleans())
                else None,
                # oversight runs down the hierarchy, never to an ancestor
                oversees=_some(draw, [o for o in orgs if o not in ancestors]),
                seats=9,
                notes=draw(maybe(texts)),
                start=draw(maybe(post_starts)),
                end=draw(maybe(post_ends)),
            )
        )
    persons = [f"h{i}" for i in range(draw(st.integers(0, 3)))]
    for person in persons:
        tenures = []
        # one tenure per post: two of one post may overlap, which is invalid
        held = draw(st.lists(st.sampled_from(posts), unique=True, max_size=3)) if posts else []
        for post in held:
            start, end = draw(maybe(dates)), draw(maybe(dates))
            if start and end and end < start:
                start, end = end, start
            tenures.append(
                Tenure(
                    post=post,
                    start=start,
                    end=end,
                    title=draw(maybe(texts)),
                    acting=draw(st.booleans()),
                    concurrent=draw(st.booleans()),
                    on_leave=draw(st.booleans()),
                )
            )
        ws.add(
            Person(
                id=person,
                name=draw(texts),
                aliases=draw(words),
                background=draw(maybe(st.sampled_from(Background))),
                born=draw(maybe(st.integers(1900, 2100))),
                tenures=tenures,
            )
        )
    owners = [f"w{i}" for i in range(draw(st.integers(0, 2)))]
    for index, owner in enumerate(owners):
        ws.add(
            Owner(
                id=owner,
                name=draw(texts),
                tier=draw(st.integers(1, 5)),
                manager=owners[index - 1] if index and draw(st.booleans()) else None,
            )
        )
    if owners and persons:
        for index in range(draw(st.integers(0, 2))):
            ws.add(
                Relationship(
                    id=f"r{index}",
                    owner=_pick(draw, owners),
                    person=_pick(draw, persons),
                    acceptance=draw(st.floats(0, 5, allow_nan=False)),
                    level=draw(maybe(st.sampled_from(RelationshipLevel))),
                    last_contact=draw(maybe(dates)),
                    confidence=draw(units),
                )
            )
    if len(persons) > 1:
        a, b = draw(st.permutations(persons))[:2]
        ws.add(
            Tie(
                a=a,
                b=b,
                kind=draw(st.sampled_from(TieKind)),
                strength=draw(units),
                directed=draw(st.booleans()),
                since=draw(maybe(dates)),
            )
        )
    holders = [("post", p) for p in posts] + [("person", p) for p in persons]
    if draw(st.booleans()):
        steps = []
        for index in range(draw(st.integers(0, 3))):
            roles = [
                Role(
                    **{field: ref},
                    role=draw(st.sampled_from(RoleKind)),
                    weight=draw(units),
                    stance=draw(st.sampled_from(Stance)),
                    notes=draw(maybe(texts)),
                )
                for field, ref in (
                    draw(st.lists(st.sampled_from(holders), max_size=2)) if holders else []
                )
            ]
            steps.append(Step(id=f"s{index + 1}", name=draw(texts), roles=roles))
        ws.add(
            Opportunity(
                id="opp",
                name=draw(texts),
                client=_pick(draw, orgs),
                stage=draw(st.sampled_from(Stage)),
                value=draw(maybe(st.floats(0, 1e12, allow_nan=False))),
                close=draw(maybe(dates)),
                competitors=draw(words),
                chain=steps,
            )
        )
    if draw(st.booleans()):
        ws.add(
            Interaction(
                id="visit",
                date=draw(dates),
                kind=draw(st.sampled_from(InteractionKind)),
                owners=_some(draw, owners),
                persons=_some(draw, persons),
                orgs=_some(draw, orgs),
            )
        )
    if persons and draw(st.booleans()):
        ws.add(
            Survey(
                id="survey",
                date=draw(dates),
                person=_pick(draw, persons),
                org=draw(maybe(st.sampled_from(orgs))),
                scores=draw(st.dictionaries(texts, st.integers(1, 5), max_size=3)),
            )
        )
    return ws


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_workspaces())
def test_generated_workspaces_round_trip_through_graphml(ws: Workspace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_graphml(ws, Path(tmp) / "g.graphml")
        ET.parse(path)
        nx.read_graphml(path, force_multigraph=True)
        assert read_graphml(path) == ws


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_workspaces())
def test_generated_workspaces_round_trip_through_popolo(ws: Workspace) -> None:
    data = json.loads(json.dumps(to_popolo(ws), ensure_ascii=False))
    assert popolo_part(from_popolo(data)) == popolo_part(ws)


# --- Popolo --------------------------------------------------------------------------------


def test_popolo_round_trips_organisations_posts_and_persons(
    example: Workspace, tmp_path: Path
) -> None:
    path = write_popolo(example, tmp_path / "officials.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    # the four Popolo collections, and the reforms joining them when there are any
    extra = {"stakegraph:reforms"} if example.reforms else set()
    assert set(data) == {"organizations", "posts", "persons", "memberships"} | extra
    assert len(data["memberships"]) == sum(len(p.tenures) for p in example.persons.values())
    notes: list[Problem] = []
    back = read_popolo(path, notes=notes)
    assert notes == []
    assert popolo_part(back) == popolo_part(example)
    assert not back.owners and not back.opportunities  # not Popolo-expressible


def test_popolo_document_shape() -> None:
    ws = load_workspace(EXAMPLES / "smart-city")
    data = to_popolo(ws)
    org = next(o for o in data["organizations"] if o["id"] == "yl-bdb")
    assert org["classification"] == "bureau" and org["parent_id"] == "yl-gov"
    assert org["other_names"] == [{"name": "省大数据局"}]
    post = next(p for p in data["posts"] if p["id"] == "yl-bdb-director")
    assert post["label"] == "局长" and post["organization_id"] == "yl-bdb"
    assert post["stakegraph:grade"] == "正厅"
    person = next(p for p in data["persons"] if p["id"] == "song-liqun")
    assert person["name"] == "宋立群" and person["birth_date"] == "1967"
    membership = next(m for m in data["memberships"] if m["person_id"] == "song-liqun")
    assert membership["post_id"] == "yl-bdb-director"
    assert membership["organization_id"] == "yl-bdb"
    assert membership["start_date"] == "2022-03-14" and "end_date" not in membership


# A public directory as a city might publish it (领导之窗): Popolo without stakegraph keys.
DIRECTORY = {
    "organizations": [
        {
            "id": "ocd-organization/jc-gov",
            "name": "江川市人民政府",
            "classification": "政府",
            "contact_details": [{"type": "url", "value": "https://example.org"}],
        },
        {
            "id": "ocd-organization/jc-bdb",
            "name": "江川市大数据局",
            "classification": "bureau",
            "parent_id": "ocd-organization/jc-gov",
            "other_names": [{"name": "市大数据局"}],
        },
        {"id": "jc-npc", "name": "江川市人民代表大会常务委员会", "classification": "legislature"},
    ],
    "posts": [
        {
            "id": "jc-mayor",
            "label": "市长",
            "organization_id": "ocd-organization/jc-gov",
            "stakegraph:grade": "正厅",
        },
        {"id": "jc-vice-mayor", "label": "副市长", "organization_id": "ocd-organization/jc-gov"},
        {
            "id": "jc-bdb-director",
            "label": "局长",
            "organization_id": "ocd-organization/jc-bdb",
            "other_label": ["大数据局局长"],
        },
    ],
    "persons": [
        {
            "id": "person 1",
            "name": "李明",
            "birth_date": "1968-04-02",
            "gender": "male",
            "other_names": [{"name": "李市长"}],
        },
        {"id": "person-2", "family_name": "王", "given_name": "芳", "email": "w@example.org"},
        {"id": "person-3", "name": "赵强"},
        {"id": "person-4", "name": "孙丽"},
    ],
    "memberships": [
        {"person_id": "person 1", "post_id": "jc-mayor", "start_date": "2021-01-08"},
        {"person_id": "person-2", "post_id": "jc-vice-mayor", "start_date": "2022"},
        {
            "person_id": "person-3",
            "post_id": "jc-vice-mayor",
            "start_date": "2023-06-01",
            "organization_id": "ocd-organization/jc-gov",
        },
        {
            "person_id": "person-4",
            "post_id": "jc-bdb-director",
            "start_date": "2019-03-01",
            "end_date": "2024-03-01",
        },
        {"person_id": "person-3", "post_id": "jc-bdb-director", "start_date": "2024-03-01"},
        {
            "person_id": "person-4",
            "organization_id": "jc-npc",
            "role": "代表",
            "start_date": "2023-01-01",
            "area_id": "ocd-division/jc",
        },
    ],
    "areas": [{"id": "ocd-division/jc", "name": "江川市"}],
}


def test_import_a_public_directory() -> None:
    notes: list[Problem] = []
    ws = from_popolo(DIRECTORY, default_grade="正处", notes=notes, source="jc.json")
    assert set(ws.organisations) == {"ocd-organization-jc-gov", "ocd-organization-jc-bdb", "jc-npc"}
    bdb = ws.organisations["ocd-organization-jc-bdb"]
    assert bdb.parent == "ocd-organization-jc-gov" and bdb.aliases == ["市大数据局"]
    assert ws.organisations["ocd-organization-jc-gov"].kind == OrgKind.GOVERNMENT
    assert ws.organisations["jc-npc"].kind == OrgKind.OTHER
    assert ws.posts["jc-mayor"].grade == 7  # its own grade
    assert ws.posts["jc-bdb-director"].grade == 5  # the default
    assert ws.posts["jc-bdb-director"].aliases == ["大数据局局长"]
    assert ws.posts["jc-vice-mayor"].seats == 2  # two deputy mayors at once
    li = ws.persons["person-1"]
    assert li.name == "李明" and li.born == 1968 and li.aliases == ["李市长"]
    assert ws.persons["person-2"].name == "王芳"
    assert ws.persons["person-2"].tenures[0].start == dt.date(2022, 1, 1)
    zhao = ws.persons["person-3"]
    assert [t.post for t in zhao.tenures] == ["jc-vice-mayor", "jc-bdb-director"]
    assert zhao.tenures[1].end is None  # still in post
    assert ws.holders("jc-bdb-director", DAY) == ["person-3"]
    assert ws.holders("jc-bdb-director", dt.date(2024, 2, 29)) == ["person-4"]
    made = ws.posts["jc-npc~dai-biao"]
    assert made.org == "jc-npc" and made.title == "代表"
    assert ws.persons["person-4"].tenures[-1].post == "jc-npc~dai-biao"

    text = "\n".join(n.format() for n in notes)
    assert "jc.json at $.persons[0].id" in text and "'person 1'" in text
    assert "field 'gender' of persons" in text and "field 'email' of persons" in text
    assert "field 'contact_details' of organizations" in text
    assert "field 'area_id' of memberships" in text
    assert "'areas' is not used" in text
    assert "classification 'legislature'" in text
    assert "has no day; read as 2022-01-01" in text


def test_import_without_grades_reports_located_problems() -> None:
    with pytest.raises(WorkspaceInvalid) as info:
        from_popolo(DIRECTORY, source="jc.json")
    problems = info.value.problems
    located = sorted(str(p.location) for p in problems)
    assert located == [
        "jc.json at $.memberships[5]",
        "jc.json at $.posts[1]",
        "jc.json at $.posts[2]",
    ]
    assert all(p.field == "grade" and "--default-grade" in (p.hint or "") for p in problems)


def test_import_reports_bad_references_and_dates_by_json_path() -> None:
    data = json.loads(json.dumps(DIRECTORY))
    data["memberships"][0]["post_id"] = "nowhere"
    data["memberships"][3]["end_date"] = "soon"
    data["organizations"][1]["parent_id"] = "missing-org"
    del data["posts"][0]["label"]
    with pytest.raises(WorkspaceInvalid) as info:
        from_popolo(data, default_grade=5, source="jc.json")
    text = str(info.value)
    assert "jc.json at $.memberships[0].post_id" in text and "'nowhere'" in text
    assert "jc.json at $.memberships[3].end_date" in text and "'soon'" in text
    assert "jc.json at $.organizations[1].parent_id" in text and "missing-org" in text
    assert "jc.json at $.posts[0].label" in text


def test_slugify_is_deterministic_and_clashes_get_numbers() -> None:
    assert slugify("ocd-person/1f3a:x y") == "ocd-person-1f3a-x-y"
    assert slugify(" / ") == ""
    data = {
        "persons": [
            {"id": "a b", "name": "甲"},
            {"id": "a/b", "name": "乙"},
            {"id": "a-b", "name": "丙"},
        ]
    }
    ws = from_popolo(data)
    assert {p.id: p.name for p in ws.persons.values()} == {
        "a-b": "甲",
        "a-b-2": "乙",
        "a-b-3": "丙",
    }


# --- commands ------------------------------------------------------------------------------


export_cli = cli_runner(export)
import_cli = cli_runner(import_popolo)


def test_cli_export_graphml_and_popolo(tmp_path: Path) -> None:
    src = EXAMPLES / "smart-city"
    out = tmp_path / "city.graphml"
    result = export_cli(src, "--format", "graphml", "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert read_graphml(out) == load_workspace(src)
    now = tmp_path / "now.graphml"
    result = export_cli(src, "--format", "graphml", "--out", now, "--as-of", DAY, "-q")
    # the example is written in Chinese, so the command says so in Chinese
    assert result.exit_code == 0 and f"已将 {DAY} 的关系图写入" in result.output
    js = tmp_path / "officials.json"
    result = export_cli(src, "--format", "popolo", "--out", js, "-q")
    assert result.exit_code == 0, result.output
    assert "persons" in json.loads(js.read_text(encoding="utf-8"))


def test_cli_export_errors(tmp_path: Path) -> None:
    src = EXAMPLES / "harbor-county"
    js = tmp_path / "x.json"
    result = export_cli(src, "--format", "popolo", "--out", js, "--as-of", "2026-01-01")
    assert result.exit_code == 1 and "graphml only" in result.output and not js.exists()
    result = export_cli(src, "--format", "gexf", "--out", js)
    assert result.exit_code == 2
    result = export_cli(src, "--format", "graphml", "--out", js, "--as-of", "someday")
    assert result.exit_code == 2 and "not a date" in result.output
    assert "Example" in export_cli("--help").output


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_cli_import_popolo(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "jc.json"
    source.write_text(json.dumps(DIRECTORY, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "jc"
    result = import_cli(source, out, "--to", fmt, "--default-grade", "正处")
    assert result.exit_code == 0, result.output
    assert "note:" in result.output and "Imported 3 organisations" in result.output
    target = out / "jc.xlsx" if fmt == "xlsx" else out
    ws = load_workspace(target)
    assert ws.persons["person-1"].name == "李明" and len(ws.posts) == 4


def test_cli_import_popolo_writes_nothing_on_problems(tmp_path: Path) -> None:
    source = tmp_path / "jc.json"
    source.write_text(json.dumps(DIRECTORY, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "jc"
    result = import_cli(source, out)
    assert result.exit_code == 1
    assert "3 problems found; nothing was written." in result.output
    assert "jc.json at $.posts[1]" in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jc.json"]
    broken = tmp_path / "broken.json"
    broken.write_text('{"persons": [', encoding="utf-8")
    result = import_cli(broken, out)
    assert result.exit_code == 1 and "not valid JSON" in result.output and not out.exists()
    assert "Example" in import_cli("--help").output


def test_cli_import_popolo_round_trips_an_export(tmp_path: Path) -> None:
    src = EXAMPLES / "harbor-county"
    js = tmp_path / "hc.json"
    assert export_cli(src, "--format", "popolo", "--out", js, "-q").exit_code == 0
    result = import_cli(js, tmp_path / "hc")
    assert result.exit_code == 0, result.output
    assert popolo_part(load_workspace(tmp_path / "hc")) == popolo_part(load_workspace(src))
