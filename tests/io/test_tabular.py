"""CSV folders and xlsx workbooks: lossless round trips and located problems."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from stakegraph.errors import Problem, StakegraphError, WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.csv_folder import read_csv_folder, write_csv_folder
from stakegraph.io.tabular import TABLES, join_list, split_list
from stakegraph.io.xlsx_book import read_xlsx, write_xlsx
from stakegraph.io.xlsx_layout import SHEETS_ZH
from stakegraph.records.model import (
    RECORD_BY_COLLECTION,
    Action,
    ActionOrigin,
    ActionStatus,
    Assessment,
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
from tests.builders import DATA, EXAMPLES

EXAMPLES = EXAMPLES

FIXTURE = {
    "stakegraph.toml": "[strength]\nhalf_life_days = 120.0\n",
    "organisations.yaml": """\
- id: city
  name: 滨海市人民政府
  kind: government
  level: municipal
  aliases: [滨海市政府, "市府; 本级"]
- id: dsj
  name: 滨海市大数据局
  parent: city
  guided_by: [prov-dsj]
  tags: ['a\\b', 'c;d']
- id: prov-dsj
  name: 省大数据局
  level: provincial
""",
    "posts.yaml": """\
- {id: mayor, org: city, title: 市长, grade: 正厅, leadership: true}
- {id: vm, org: city, title: 副市长, grade: 副厅, leadership: true, reports_to: mayor,
   oversees: [dsj]}
- {id: jz, org: dsj, title: 局长, grade: 正处, leadership: true, notes: "多行\\n备注"}
- {id: fjz, org: dsj, title: 副局长, grade: 5, reports_to: jz, seats: 2}
""",
    "persons.yaml": """\
- id: li
  name: 李明
  aliases: [李市长]
  background: career
  born: 1968
  tenures: [{post: mayor, start: 2021-01-01}]
- id: wangfang
  name: 王芳
  notes: 喜欢安静; 不喝酒
  tenures:
    - {post: fjz, start: 2018-05-01, end: 2022-03-01}
    - {post: jz, start: 2022-03-01}
- id: zhao
  name: 赵强
  tenures: [{post: vm, start: 2020-01-01, end: 2026-09-01}]
- id: qian
  name: 钱伟
  tenures: [{post: vm, start: 2026-09-01}]
- id: sun
  name: 孙丽
""",
    "owners.yaml": """\
- {id: rep1, name: 张三, tier: rep, manager: vp1}
- {id: vp1, name: 陈总, title: 副总裁, tier: vp, capacity: 3}
""",
    "relationships.yaml": """\
- {owner: rep1, person: wangfang, acceptance: 4, participation: 3.5, information: 4,
   responsible: true, last_contact: 2026-10-01, level: partner, source: 拜访记录}
- {id: vp-zhao, owner: vp1, person: zhao, support: 5, confidence: 0.8, notes: 老同学}
""",
    "ties.yaml": """\
- {a: wangfang, b: qian, kind: classmate, strength: 0.7}
- {a: li, b: zhao, kind: former_colleague, directed: true, since: 2015-06-01}
""",
    "opportunities.yaml": """\
- id: sc
  name: 城市大脑
  client: dsj
  stage: pursuit
  value: 38000000.5
  close: 2027-01-15
  competitors: [华为, "阿里;腾讯"]
  chain:
    - name: 需求立项
      roles:
        - {post: jz, role: decision_maker, stance: champion}
        - {post: fjz, role: user, weight: 0.5, notes: 关注易用性}
    - id: review
      name: 技术评审
      roles: [{person: sun, role: evaluator, competitor_leaning: 华为}]
    - name: 分管领导审批
      roles: [{post: vm, role: approver, weight: 0.8}]
""",
    "interactions.yaml": """\
- {id: i1, date: 2026-10-01, kind: visit, owners: [rep1], persons: [wangfang, sun], orgs: [dsj],
   notes: 谈了预算}
""",
    "surveys.yaml": """\
- {id: s2026, date: 2026-11-01, person: wangfang, scores: {响应速度: 4, 质量: 5}}
- {id: s2026-org, date: 2026-11-02, org: dsj}
""",
}


@pytest.fixture
def yaml_path(tmp_path: Path) -> Path:
    folder = tmp_path / "account"
    folder.mkdir()
    for name, text in FIXTURE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def account(yaml_path: Path) -> Workspace:
    return load_workspace(yaml_path)


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(WorkspaceInvalid) as info:
        load_workspace(path)
    return info.value.problems


def _located(problems: list[Problem], **where) -> list[Problem]:
    return [
        p
        for p in problems
        if p.location is not None
        and all(getattr(p.location, key) == value for key, value in where.items())
    ]


# --- round trips -----------------------------------------------------------------------


def _round_trip(workspace: Workspace, root: Path) -> Workspace:
    """YAML → CSV → xlsx → YAML, checking each step against the original."""
    save_workspace(workspace, root / "csv", "csv")
    from_csv = load_workspace(root / "csv")
    assert from_csv == workspace
    save_workspace(from_csv, root / "book.xlsx")
    from_xlsx = load_workspace(root / "book.xlsx")
    assert from_xlsx == workspace
    save_workspace(from_xlsx, root / "yaml")
    back = load_workspace(root / "yaml")
    assert back == workspace
    assert back.settings_text == workspace.settings_text
    assert back.settings == workspace.settings
    return back


def test_round_trip_yaml_csv_xlsx_yaml(account: Workspace, tmp_path: Path) -> None:
    back = _round_trip(account, tmp_path)
    assert back.persons["wangfang"].name == "王芳"
    assert back.organisations["city"].aliases == ["滨海市政府", "市府; 本级"]
    assert back.organisations["dsj"].tags == ["a\\b", "c;d"]
    assert back.opportunities["sc"].competitors == ["华为", "阿里;腾讯"]
    assert [s.id for s in back.opportunities["sc"].chain] == ["s1", "review", "s3"]
    assert back.posts["jz"].notes == "多行\n备注"
    assert back.settings.strength.half_life_days == 120


def test_round_trip_keeps_the_bundled_test_workspace(tmp_path: Path) -> None:
    mini = load_workspace(DATA / "mini")
    _round_trip(mini, tmp_path)


@pytest.mark.parametrize("name", ["smart-city", "harbor-county"])
def test_round_trip_bundled_examples(name: str, tmp_path: Path) -> None:
    if not (EXAMPLES / name).is_dir():
        pytest.skip(f"examples/{name} is not there")
    _round_trip(load_workspace(EXAMPLES / name), tmp_path)


def test_csv_layout_is_utf8_with_bom_and_chinese_intact(account: Workspace, tmp_path: Path) -> None:
    written = write_csv_folder(account, tmp_path)
    assert [p.stem for p in written] == list(TABLES)
    raw = (tmp_path / "persons.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "id,name,background,born,aliases,tags,notes"
    assert "王芳" in text and "李市长" in text
    tenures = (tmp_path / "tenures.csv").read_text(encoding="utf-8-sig").splitlines()
    assert tenures[:3] == [
        "person,post,start,end,title,acting,concurrent,on_leave",
        "li,mayor,2021-01-01,,,,,",
        "wangfang,fjz,2018-05-01,2022-03-01,,,,",
    ]
    # Defaults are left empty; grades and tiers are written by name.
    posts = (tmp_path / "posts.csv").read_text(encoding="utf-8-sig").splitlines()
    assert posts[1] == "mayor,市长,city,正厅,true,,,,,,,,"
    assert (tmp_path / "roles.csv").read_text(encoding="utf-8-sig").splitlines()[1:3] == [
        "sc,s1,1,jz,,,,,decision_maker,,champion,,",
        "sc,s1,2,fjz,,,,,user,0.5,,,关注易用性",
    ]
    scores = (tmp_path / "survey_scores.csv").read_text(encoding="utf-8-sig").splitlines()
    assert scores == ["survey,item,score", "s2026,响应速度,4", "s2026,质量,5"]


def test_csv_without_bom_and_in_gb18030_reads_the_same(account: Workspace, tmp_path: Path) -> None:
    plain, gbk = tmp_path / "plain", tmp_path / "gbk"
    plain.mkdir()
    gbk.mkdir()
    for path in write_csv_folder(account, tmp_path):
        text = path.read_text(encoding="utf-8-sig")
        (plain / path.name).write_text(text, encoding="utf-8")
        (gbk / path.name).write_bytes(text.encode("gb18030"))
    (plain / "stakegraph.toml").write_text(FIXTURE["stakegraph.toml"], encoding="utf-8")
    assert load_workspace(plain) == account
    assert load_workspace(gbk) == account


def test_list_cells_escape_separators() -> None:
    items = ["a;b", "c\\d", "中；文", "e\\", " f "]
    cell = join_list(items)
    assert cell == "a\\;b; c\\\\d; 中\\；文; e\\\\;  f "
    assert split_list(cell) == ["a;b", "c\\d", "中；文", "e\\", "f"]
    # what people type: full-width separators, stray spaces, a trailing separator
    assert split_list("张三；李四 ;王五;") == ["张三", "李四", "王五"]
    assert split_list("trailing\\") == ["trailing\\"]


def test_cells_typed_the_way_excel_users_type_them(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "organisations"
    sheet.append(["id", "name", "kind"])
    sheet.append([2024, "二〇二四办", "局"])
    posts = book.create_sheet("posts")
    posts.append(["id", "org", "title", "grade", "leadership", "oversees"])
    posts.append(["p1", 2024, "主任", 5, "是", 2024])
    posts.append(["p2", 2024, "副主任", "副处", False, None])
    persons = book.create_sheet("persons")
    persons.append(["id", "name", "born"])
    persons.append(["x", "某人", "1970"])
    tenures = book.create_sheet("tenures")
    tenures.append(["person", "post", "start", "end"])
    tenures.append(["x", "p1", dt.datetime(2020, 1, 2), "2021/3/4"])
    book.create_sheet("Sheet2")  # an empty extra sheet is ignored
    book.save(tmp_path / "typed.xlsx")
    ws = load_workspace(tmp_path / "typed.xlsx")
    assert ws.organisations["2024"].kind == OrgKind.BUREAU
    assert ws.posts["p1"].leadership is True and ws.posts["p1"].oversees == ["2024"]
    assert ws.posts["p2"].grade == 4
    assert ws.persons["x"].born == 1970
    assert ws.persons["x"].tenures[0] == Tenure(
        post="p1", start=dt.date(2020, 1, 2), end=dt.date(2021, 3, 4)
    )


def test_xlsx_is_pleasant_to_edit(account: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(account, path, "[strength]\n\nhalf_life_days = 120.0\n")
    book = load_workbook(path)
    assert book.sheetnames == ["说明", *(SHEETS_ZH[t] for t in TABLES), "设置", "列表"]
    persons = book["人员"]
    assert persons.freeze_panes == "B2"
    assert all(cell.font.bold for cell in persons[1])
    assert persons.column_dimensions["B"].width >= 8
    assert [c.value for c in book["设置"]["A"]] == [
        "[strength]",
        None,
        "half_life_days = 120.0",
    ]
    tenure_start = book["任职"]["E2"]  # person, its name, post, its name, start
    assert tenure_start.is_date and tenure_start.number_format == "yyyy-mm-dd"
    assert book["岗位"]["F2"].value is True  # id, title, org, its name, grade, leadership
    _, _, settings_text = read_xlsx(path)
    assert settings_text == "[strength]\n\nhalf_life_days = 120.0\n"


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    ws = Workspace()
    ws.add(Organisation(id="o", name="=SUM(A1:A2)", notes="#N/A", aliases=["=1+1"]))
    path = tmp_path / "book.xlsx"
    write_xlsx(ws, path, None)
    raws, problems, settings_text = read_xlsx(path)
    assert not problems and settings_text is None
    assert raws[0].data == {
        "id": "o",
        "name": "=SUM(A1:A2)",
        "aliases": ["=1+1"],
        "notes": "#N/A",
    }


# --- generated workspaces --------------------------------------------------------------

_ID_CHARS = "abcxyz019-_.;；\\王李"
ids = st.text(alphabet=_ID_CHARS, min_size=1, max_size=6)
# Any text except control characters (a workbook cannot hold them; \r would become \n),
# surrogates and unassigned code points; plus the characters cells treat specially.
texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn"))
        | st.sampled_from(";；\\\n=# 王"),
        min_size=1,
        max_size=10,
    )
    .map(str.strip)
    .filter(bool)
)
words = st.lists(texts, max_size=3)
id_lists = st.lists(ids, max_size=3)
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2300, 12, 31))
units = st.floats(0, 1, allow_nan=False)
scores = st.floats(0, 5, allow_nan=False) | st.integers(0, 5)
maybe = st.none().__or__


def _common() -> dict:
    return {"id": ids, "aliases": words, "tags": words, "notes": maybe(texts)}


def _maybe_derived_id(cls, **fields):
    """Records whose id is either written or derived from their fields."""
    common = _common()
    ident = common.pop("id")
    return st.fixed_dictionaries({**common, **fields}, optional={"id": ident}).map(
        lambda kwargs: cls(**kwargs)
    )


@st.composite
def tenures(draw) -> Tenure:
    start, end = draw(maybe(dates)), draw(maybe(dates))
    if start and end and end < start:
        start, end = end, start
    return Tenure(
        post=draw(ids),
        start=start,
        end=end,
        title=draw(maybe(texts)),
        acting=draw(st.booleans()),
        concurrent=draw(st.booleans()),
        on_leave=draw(st.booleans()),
    )


@st.composite
def lifetimes(draw) -> dict:
    """An optional start and end, the end after the start."""
    start, end = draw(maybe(dates)), draw(maybe(dates))
    if start and end and end <= start:
        start, end = min(start, end), max(start, end) + dt.timedelta(days=1)
    return {"start": start, "end": end}


@st.composite
def roles(draw) -> Role:
    holder = draw(st.sampled_from(["post", "person"]))
    return draw(
        st.builds(
            Role,
            **{holder: ids},
            role=st.sampled_from(RoleKind),
            weight=units,
            stance=st.sampled_from(Stance),
            competitor_leaning=maybe(texts),
            notes=maybe(texts),
        )
    )


@st.composite
def chains(draw) -> list[Step]:
    steps = draw(
        st.lists(
            st.builds(Step, id=st.just("") | ids, name=texts, roles=st.lists(roles(), max_size=3)),
            max_size=3,
        )
    )
    for index, step in enumerate(steps, start=1):
        step.id = step.id or f"s{index}"
    # roles find their step by id, which only a valid chain makes unique
    unique = {}
    for step in steps:
        unique.setdefault(step.id, step)
    return list(unique.values())


RECORDS = {
    "organisations": st.builds(
        lambda life, **fields: Organisation(**fields, **life),
        lifetimes(),
        **_common(),
        name=texts,
        kind=st.sampled_from(OrgKind),
        level=maybe(st.sampled_from(Level)),
        region=maybe(texts),
        parent=maybe(ids),
        guided_by=id_lists,
    ),
    "posts": st.builds(
        lambda life, **fields: Post(**fields, **life),
        lifetimes(),
        **_common(),
        org=ids,
        title=texts,
        grade=st.integers(1, 10),
        leadership=st.booleans(),
        reports_to=maybe(ids),
        oversees=id_lists,
        seats=st.integers(1, 3),
    ),
    "persons": st.builds(
        Person,
        **_common(),
        name=texts,
        background=maybe(st.sampled_from(Background)),
        born=maybe(st.integers(1900, 2100)),
        tenures=st.lists(tenures(), max_size=3),
    ),
    "owners": st.builds(
        Owner,
        **_common(),
        name=texts,
        title=maybe(texts),
        tier=st.integers(1, 5),
        capacity=st.integers(0, 9),
        manager=maybe(ids),
    ),
    "relationships": _maybe_derived_id(
        Relationship,
        owner=ids,
        person=ids,
        acceptance=scores,
        support=scores,
        level=maybe(st.sampled_from(RelationshipLevel)),
        responsible=st.booleans(),
        last_contact=maybe(dates),
        confidence=units,
        source=maybe(texts),
    ),
    "ties": _maybe_derived_id(
        Tie,
        a=ids,
        b=ids,
        kind=st.sampled_from(TieKind),
        strength=units,
        directed=st.booleans(),
        since=maybe(dates),
    ),
    "opportunities": st.builds(
        Opportunity,
        **_common(),
        name=texts,
        client=ids,
        stage=st.sampled_from(Stage),
        value=maybe(st.floats(0, 1e12, allow_nan=False)),
        close=maybe(dates),
        competitors=words,
        chain=chains(),
    ),
    "interactions": st.builds(
        Interaction,
        **_common(),
        date=dates,
        kind=st.sampled_from(InteractionKind),
        owners=id_lists,
        persons=id_lists,
        orgs=id_lists,
        information_shared=st.booleans(),
    ),
    "surveys": st.builds(
        Survey,
        **_common(),
        date=dates,
        person=ids,
        org=maybe(ids),
        scores=st.dictionaries(texts, st.integers(1, 5), max_size=3),
    ),
    "assessments": _maybe_derived_id(
        Assessment,
        owner=ids,
        person=ids,
        date=dates,
        participation=maybe(scores),
        preference=maybe(scores),
        level=maybe(st.sampled_from(RelationshipLevel)),
        source=maybe(texts),
    ),
    "actions": st.builds(
        Action,
        **_common(),
        owner=ids,
        action=texts,
        origin=st.sampled_from(ActionOrigin),
        person=maybe(ids),
        org=maybe(ids),
        opportunity=maybe(ids),
        created=st.just(dt.date(2026, 1, 1)),
        due=maybe(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 1, 1))),
        status=st.sampled_from([s for s in ActionStatus if s is not ActionStatus.DONE]),
        complaint=maybe(ids),
        survey=maybe(ids),
        baseline_cover=maybe(units),
    ),
}


@st.composite
def workspaces(draw) -> Workspace:
    ws = Workspace()
    for records in RECORDS.values():
        for record in draw(st.lists(records, max_size=3)):
            ws.add(record)
    return ws


def _validated(raws, problems) -> dict:
    """Records read back, validated one by one (generated references need not resolve)."""
    assert problems == []
    out: dict = {c: {} for c in RECORD_BY_COLLECTION}
    for raw in raws:
        record = RECORD_BY_COLLECTION[raw.collection].model_validate(raw.data)
        out[raw.collection][record.id] = record.model_dump(mode="json")
    return out


def _dumped(ws: Workspace) -> dict:
    return {
        c: {i: r.model_dump(mode="json") for i, r in recs.items()} for c, recs in ws.records.items()
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces())
def test_generated_workspaces_round_trip_through_csv_and_xlsx(ws: Workspace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_csv_folder(ws, folder)
        assert _validated(*read_csv_folder(folder)) == _dumped(ws)
        write_xlsx(ws, folder / "book.xlsx", None)
        raws, problems, _ = read_xlsx(folder / "book.xlsx")
        assert _validated(raws, problems) == _dumped(ws)


# --- located problems ------------------------------------------------------------------


def test_csv_problems_point_at_file_row_and_column(account: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    save_workspace(account, folder, "csv")
    persons = folder / "persons.csv"
    lines = persons.read_text(encoding="utf-8-sig").splitlines()
    lines[0] += ",nickname,"
    lines[2] += ",小王,"  # row 3: wangfang gets an unknown field
    assert lines[3].startswith("zhao,")
    lines[3] = "zhao,赵强,,nineteen,,,,,stray"  # row 4: a bad year, a value without header
    persons.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with (folder / "tenures.csv").open("a", encoding="utf-8") as handle:
        handle.write("nobody,jz,2020-01-01,\n")
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")

    problems = _problems(folder)
    unknown = _located(problems, file="persons.csv", row=3, column="H")
    assert unknown and unknown[0].field == "nickname" and "unknown field" in unknown[0].message
    born = _located(problems, file="persons.csv", row=4, column="D")
    assert born and born[0].field == "born" and born[0].record_id == "zhao"
    headerless = _located(problems, file="persons.csv", row=1, column="I")
    assert headerless and "no field name" in headerless[0].message
    orphan = _located(problems, file="tenures.csv", row=7, column="A")
    assert orphan and "'nobody'" in orphan[0].message
    unknown_file = _located(problems, file="notes.csv")
    assert unknown_file and "unknown file 'notes.csv'" in unknown_file[0].message
    assert len(problems) == 5, [p.format() for p in problems]


def test_csv_nested_fields_are_located_at_the_child_row(account: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    save_workspace(account, folder, "csv")
    tenures = folder / "tenures.csv"
    text = tenures.read_text(encoding="utf-8-sig")
    tenures.write_text(text.replace("wangfang,jz,2022-03-01,", "wangfang,jz,2022-03-01,2019-01-01"))
    roles = folder / "roles.csv"
    text = roles.read_text(encoding="utf-8-sig")
    roles.write_text(text.replace("sc,s3,1,vm,,,,,approver,0.8", "sc,s3,1,vm,,,,,boss,0.8"))
    problems = _problems(folder)
    end = _located(problems, file="tenures.csv", row=4)
    assert end and end[0].field == "tenures[1]" and "before start" in end[0].message
    role = _located(problems, file="roles.csv", row=5, column="I")
    assert role and role[0].field == "chain[2].roles[0].role"
    assert str(role[0].location) == "roles.csv, row 5, column I"


def test_xlsx_problems_point_at_sheet_row_and_column(account: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    save_workspace(account, path)
    book = load_workbook(path)
    book["岗位"]["E3"] = "大官"  # vm's grade
    book["决策角色"].append(["sc", None, "nope", 1, "jz", None, None, None, "user"])
    book["调查得分"].append(["s2026", "质量", 3])  # scored twice
    book["调查得分"].append(["s2026", "速度", 9])
    notes = book.create_sheet("Notes")
    notes["A1"] = "remember to call"
    book["非正式关系"]["P1"] = None
    book["非正式关系"]["P2"] = "orphan value"
    book.save(path)

    problems = _problems(path)
    grade = _located(problems, sheet="岗位", row=3, column="E")
    assert grade and grade[0].field == "grade" and "大官" in grade[0].message
    assert str(grade[0].location) == "book.xlsx, sheet 岗位, row 3, column E"
    step = _located(problems, sheet="决策角色", row=6, column="C")
    assert step and "step 'nope'" in step[0].message
    twice = _located(problems, sheet="调查得分", row=4, column="B")
    assert twice and "scored twice" in twice[0].message
    score = _located(problems, sheet="调查得分", row=5, column="C")
    assert score and score[0].field == "scores.速度"
    assert _located(problems, file="book.xlsx", sheet="Notes")
    assert _located(problems, sheet="非正式关系", row=1, column="P")
    assert len(problems) == 6, [p.format() for p in problems]


def test_child_table_without_its_key_column(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "persons.csv").write_text("id,name\nx,某人\n", encoding="utf-8")
    (folder / "tenures.csv").write_text("who,post\nx,p\n", encoding="utf-8")
    problems = _problems(folder)
    assert "no column 'person'" in problems[0].message
    assert problems[0].location.row == 1


def test_nested_list_in_a_cell_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "persons.csv").write_text("id,name,tenures\nx,某人,mayor\n", encoding="utf-8")
    problems = _problems(folder)
    assert len(problems) == 1 and "tenures" in problems[0].hint
    assert problems[0].location.column == "C"


def test_text_a_workbook_cannot_hold_is_refused(tmp_path: Path) -> None:
    ws = Workspace()
    ws.add(Organisation(id="o", name="bell\x07"))
    with pytest.raises(StakegraphError, match="sheet 组织机构, row 2"):
        save_workspace(ws, tmp_path / "book.xlsx")
    assert not (tmp_path / "book.xlsx").exists()
    save_workspace(ws, tmp_path / "csv", "csv")  # CSV holds any text
    assert load_workspace(tmp_path / "csv") == ws


def test_a_damaged_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(StakegraphError, match="cannot open the workbook"):
        load_workspace(path)


def test_an_empty_workspace_round_trips(tmp_path: Path) -> None:
    save_workspace(Workspace(), tmp_path / "csv", "csv")
    assert load_workspace(tmp_path / "csv") == Workspace()
    save_workspace(Workspace(), tmp_path / "book.xlsx")
    assert load_workspace(tmp_path / "book.xlsx") == Workspace()


def test_column_letters_are_openpyxl_s() -> None:
    from openpyxl.utils import get_column_letter

    from stakegraph.io.cells import column_letter

    # every column of a worksheet (A to XFD), each side of each extra letter
    assert [column_letter(n) for n in range(1, 16385)] == [
        get_column_letter(n) for n in range(1, 16385)
    ]
