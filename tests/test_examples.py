"""The bundled examples and the starter workspace load cleanly and tell their stories."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from stakegraph.config import DEFAULT_SETTINGS, Settings
from stakegraph.io import load_workspace
from stakegraph.records.model import RECORD_TYPES, Role, Step, Tenure
from tests.builders import DAY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
STARTER = ROOT / "stakegraph" / "starter"


@pytest.fixture(scope="module")
def smart_city():
    return load_workspace(EXAMPLES / "smart-city")


@pytest.mark.parametrize(
    "path",
    [EXAMPLES / "smart-city", EXAMPLES / "harbor-county", STARTER],
    ids=["smart-city", "harbor-county", "starter"],
)
def test_workspace_loads_without_problems(path):
    workspace = load_workspace(path)  # raises WorkspaceInvalid listing any problem
    assert workspace.persons and workspace.opportunities


@pytest.mark.parametrize("path", [EXAMPLES / "smart-city", EXAMPLES / "harbor-county", STARTER])
def test_every_record_file_starts_with_a_comment(path):
    for file in sorted(path.glob("*.yaml")):
        assert file.read_text(encoding="utf-8").startswith("#"), file.name


# --- smart-city ------------------------------------------------------------------------
def test_smart_city_sizes(smart_city):
    assert 25 <= len(smart_city.persons) <= 40
    assert 8 <= len(smart_city.owners) <= 12
    assert len(smart_city.relationships) >= 18
    assert len(smart_city.interactions) >= 12
    assert 2 <= len(smart_city.surveys) <= 3
    assert len(smart_city.opportunities) >= 2


def test_smart_city_chain_has_five_steps(smart_city):
    opp = smart_city.opportunities["smart-city"]
    assert [s.name for s in opp.chain] == [
        "需求立项",
        "技术评审",
        "预算审批",
        "分管领导审批",
        "招标采购",
    ]
    assert opp.stage.value == "pursuit" and opp.close.year == 2027
    roles = [r for step in opp.chain for r in step.roles]
    assert any(r.person for r in roles), "an external expert is named as a person"
    assert {r.role.value for r in roles} >= {
        "decision_maker",
        "approver",
        "budget_holder",
        "evaluator",
        "influencer",
        "user",
        "gatekeeper",
    }


def test_smart_city_has_exactly_one_competitor_leaning_role(smart_city):
    leaning = [
        (opp.id, role)
        for opp in smart_city.opportunities.values()
        for step in opp.chain
        for role in step.roles
        if role.competitor_leaning
    ]
    assert len(leaning) == 1
    opp_id, role = leaning[0]
    assert opp_id == "smart-city" and role.role.value == "evaluator"
    assert role.competitor_leaning in smart_city.opportunities["smart-city"].competitors


def test_smart_city_has_exactly_one_vacant_post(smart_city):
    # posts abolished in the 2019 reform do not exist on the day: they are not vacant
    vacant = [p.id for p in smart_city.live_posts(DAY) if not smart_city.holders(p.id, DAY)]
    assert vacant == ["jc-bdb-deputy-data"]
    # it was held before: the vacancy has a history
    assert smart_city.tenures_of_post("jc-bdb-deputy-data")


def test_smart_city_time(smart_city):
    """The 分工调整, the renamed division and the acting head of the trading centre."""
    exec_vice, vice = smart_city.posts["jc-exec-vice-mayor"], smart_city.posts["jc-vice-mayor"]
    before, after = dt.date(2026, 6, 14), dt.date(2026, 6, 15)
    assert "jc-ggzy" in vice.oversees_on(before) and "jc-ggzy" not in exec_vice.oversees_on(before)
    assert "jc-ggzy" in exec_vice.oversees_on(after) and "jc-ggzy" not in vice.oversees_on(after)
    # the renamed post: the same person on either side, the old post gone on the day
    renamed = dt.date(2026, 7, 1)
    assert smart_city.holders("jc-bdb-data-chief", renamed - dt.timedelta(days=1)) == ["he-jing"]
    assert not smart_city.post_live("jc-bdb-data-chief", renamed)
    assert smart_city.holders("jc-bdb-datasec-chief", renamed) == ["he-jing"]
    # the acting head fills the director's post, formally vacant
    assert [(pid, t.acting) for pid, t in smart_city.holder_tenures("jc-ggzy-director", DAY)] == [
        ("tian-tian", True)
    ]


def test_smart_city_time_reads_through_diff_plan_and_show(smart_city):
    """Across the reshuffle: diff names the 分工调整, the rename and the acting head; the
    plan flags her; the organisation tree moves the trading centre between two leaders."""
    from stakegraph.analysis.diff import diff
    from stakegraph.analysis.plan import engagement_plan
    from stakegraph.graph.network import build_network
    from stakegraph.views.rows import plan_rows
    from stakegraph.views.summary import organisation_tree

    data = diff(smart_city, dt.date(2026, 6, 14), DAY, opportunities=["smart-city"]).to_dict()
    assert [(c["source"], c["change"], c["target"]) for c in data["structure"]] == [
        ("jc-vice-mayor", "ends", "jc-ggzy"),
        ("jc-exec-vice-mayor", "begins", "jc-ggzy"),
    ]
    assert "jc-bdb-2026-datasec-chief" in [r["reform"] for r in data["reforms"]]
    # he-jing goes on across the rename: no rotation; tian-tian arrives as acting head
    assert "he-jing" not in [r["person"] for r in data["rotations"]]
    acting = [(r["person"], r["change"]) for r in data["rotations"] if r.get("acting")]
    assert acting == [("tian-tian", "in")]
    assert all("acting" not in r for r in data["rotations"] if r["person"] != "tian-tian")
    (tender,) = [h for h in data["opportunities"][0]["holders"] if h["step"] == "tender"]
    assert (tender["before"], tender["after"], tender["acting_after"]) == (
        ["潘国栋"],
        ["田甜"],
        ["田甜"],
    )
    assert "acting_before" not in tender

    network = build_network(smart_city, DAY)
    rows = plan_rows(network, engagement_plan(network, "smart-city"))
    assert [r["target"] for r in rows if r.get("acting")] == ["tian-tian"]

    def overseers(day: dt.date) -> list[str]:
        stack, found = organisation_tree(smart_city, day), {}
        while stack:
            node = stack.pop()
            found[node["id"]] = node.get("overseen_by", [])
            stack += node["children"]
        return found["jc-ggzy"]

    assert overseers(dt.date(2026, 6, 14)) == ["jc-vice-mayor"]
    assert overseers(dt.date(2026, 6, 15)) == ["jc-exec-vice-mayor"]


def test_smart_city_rotation(smart_city):
    rotated = []
    for person in smart_city.persons.values():
        for tenure in person.tenures:
            if not tenure.start or not (DAY - dt.timedelta(days=120) < tenure.start <= DAY):
                continue
            predecessors = [
                pid
                for pid, other in smart_city.tenures_of_post(tenure.post)
                if pid != person.id and other.end == tenure.start
            ]
            if predecessors:
                rotated.append((person.id, tenure.post, tenure.start, tenure.acting, predecessors))
    # the acting head of the trading centre took over on its director's departure: not an appointment
    acting = [r for r in rotated if r[3]]
    assert [(r[0], r[1], r[4]) for r in acting] == [
        ("tian-tian", "jc-ggzy-director", ["pan-guodong"])
    ]
    rotated = [
        (pid, post, start, before)
        for pid, post, start, is_acting, before in rotated
        if not is_acting
    ]
    assert len(rotated) == 1
    newcomer, post, start, (predecessor,) = rotated[0]
    assert (newcomer, post, predecessor) == ("zhou-weiran", "jc-bdb-deputy-build", "ma-jun")
    assert smart_city.holders(post, DAY) == [newcomer]
    # the predecessor now holds another post in the city
    assert smart_city.posts_of(predecessor, DAY) == ["jc-zwfw-deputy"]
    # one of our relationships still points at the predecessor, last touched before the handover
    to_predecessor = [r for r in smart_city.relationships.values() if r.person == predecessor]
    assert to_predecessor and all(r.last_contact < start for r in to_predecessor)
    # and none of our relationships reaches the newcomer yet
    assert not [r for r in smart_city.relationships.values() if r.person == newcomer]


def test_smart_city_ownership_is_consistent(smart_city):
    responsible = {}
    for rel in smart_city.relationships.values():
        if rel.responsible:
            assert rel.person not in responsible, f"{rel.person} has two named owners"
            responsible[rel.person] = rel.owner
    stale = [r for r in smart_city.relationships.values() if (DAY - r.last_contact).days > 90]
    assert stale, "some relationships are stale"
    assert [r for r in smart_city.relationships.values() if r.confidence < 1]
    levels = {r.level.value for r in smart_city.relationships.values() if r.level}
    assert {"strategic", "partner", "vendor"} <= levels
    # our own org chain reaches one executive at the top
    tops = [o for o in smart_city.owners.values() if o.manager is None]
    assert len(tops) == 1 and tops[0].tier == DEFAULT_SETTINGS.tiers["executive"]


def test_smart_city_line_and_territory(smart_city):
    bureau = smart_city.organisations["jc-bdb"]
    assert bureau.parent == "jc-gov" and bureau.guided_by == ["yl-bdb"]
    assert smart_city.organisations["yl-bdb"].level.value == "provincial"
    assert "jc-bdb" in smart_city.posts["jc-vice-mayor"].oversees


def test_smart_city_story_shows_in_the_gaps(smart_city):
    from stakegraph.analysis.coverage import coverage
    from stakegraph.graph.network import build_network

    result = coverage(build_network(smart_city, DAY), "smart-city")
    kinds = {(g.kind.value, g.person or g.post) for g in result.gaps}
    assert ("ROTATED", "zhou-weiran") in kinds
    assert ("VACANT", "jc-bdb-deputy-data") in kinds
    assert ("OPPONENT", "sun-wei") in kinds
    assert 0 < result.overall < 1


# --- harbor-county ---------------------------------------------------------------------
def test_harbor_county():
    ws = load_workspace(EXAMPLES / "harbor-county")
    assert 10 <= len(ws.persons) <= 15
    assert len(ws.owners) == 4
    (opp,) = ws.opportunities.values()
    assert len(opp.chain) == 3
    assert ws.ties


# --- starter ---------------------------------------------------------------------------
def test_starter_is_minimal():
    ws = load_workspace(STARTER)
    counts = {c: n for c, n in ws.counts().items() if n}
    assert counts == {
        "organisations": 2,
        "posts": 3,
        "persons": 3,
        "owners": 2,
        "relationships": 2,
        "ties": 1,
        "opportunities": 1,
    }
    (opp,) = ws.opportunities.values()
    assert len(opp.chain) == 2


def _fields(cls) -> set[str]:
    return set(cls.model_fields)


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=[t.collection for t in RECORD_TYPES])
def test_starter_comments_explain_every_field(cls):
    text = (STARTER / f"{cls.collection}.yaml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    nested = {"persons": [Tenure], "opportunities": [Step, Role]}
    for model in [cls, *nested.get(cls.collection, [])]:
        for name in _fields(model):
            assert re.search(rf"\b{name}\b", comments), (
                f"{cls.collection}.yaml: '{name}' unexplained"
            )
    assert re.search(r"[\u4e00-\u9fff]", comments) and re.search(r"[A-Za-z]{4}", comments)


def _uncommented(text: str, pattern: str) -> str:
    lines = [m.group(1) for line in text.splitlines() if (m := re.match(pattern, line))]
    return "\n".join(lines)


def test_starter_settings_list_every_setting_with_its_default():
    text = (STARTER / "stakegraph.toml").read_text(encoding="utf-8")
    # the one active line declares the words the workspace is written with (支持者 =
    # supporter), so a new workspace is never warned about their old meaning
    assert tomllib.loads(text) == {"vocabulary": 2}, "every other setting is commented out"
    active = _uncommented(text, r'^# (\[[a-z_]+\]|"?[\w\u4e00-\u9fff]+"?\s*=\s*\S.*)$')
    data = tomllib.loads(active)
    loaded = Settings.model_validate(data)
    # the language and the money unit have no fixed default (they follow the content);
    # the starter shows an example of each
    assert (loaded.language, loaded.workspace.unit) == ("zh", "万元")
    fixed = {"language": DEFAULT_SETTINGS.language, "workspace": DEFAULT_SETTINGS.workspace}
    assert loaded.model_copy(update=fixed) == DEFAULT_SETTINGS
    assert set(data) | {"vocabulary"} == set(Settings.model_fields)
    for section, info in Settings.model_fields.items():
        if section not in data:
            continue
        if isinstance(data[section], dict) and hasattr(info.annotation, "model_fields"):
            assert set(data[section]) == set(info.annotation.model_fields), section
    assert list(data["grades"].items()) == list(DEFAULT_SETTINGS.grades.items())
    assert list(data["tiers"].items()) == list(DEFAULT_SETTINGS.tiers.items())


def test_starter_commented_examples_load_when_uncommented(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(STARTER, folder)
    for name in ("interactions.yaml", "surveys.yaml", "assessments.yaml", "actions.yaml"):
        text = (folder / name).read_text(encoding="utf-8")
        example = text.rsplit("# ====", 1)[1].split("\n", 1)[1]  # after the header block
        body = _uncommented(example, r"^# (.*)$")
        (folder / name).write_text(body + "\n", encoding="utf-8")
    ws = load_workspace(folder)
    assert len(ws.interactions) == 1 and len(ws.surveys) == 1
    assert len(ws.assessments) == 1 and len(ws.actions) == 1


def test_init_copies_the_starter(tmp_path):
    from stakegraph.io.starter import write_starter

    written = write_starter(tmp_path / "new")
    assert {p.name for p in written} >= {"persons.yaml", "stakegraph.toml"}
    assert load_workspace(tmp_path / "new") == load_workspace(STARTER)


def test_a_workspace_named_by_dot_takes_its_folder_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "examples" / "smart-city")
    assert load_workspace(Path(".")).name == "smart-city"


def test_loading_lets_go_of_the_raw_records_and_keeps_their_locations():
    from stakegraph.io import drain_raw_records
    from stakegraph.io.yaml_folder import read_yaml_folder
    from stakegraph.records.workspace import build_workspace

    folder = EXAMPLES / "smart-city"
    raws, problems = read_yaml_folder(folder)
    first = [(r.collection, r.data.get("id")) for r in raws[:3]]
    seen = []

    def records():
        for raw in drain_raw_records(raws):
            seen.append((raw.collection, raw.data.get("id")))
            yield raw

    workspace = build_workspace(records(), extra_problems=problems)
    assert raws == [] and seen[:3] == first  # emptied, in file order
    assert workspace == load_workspace(folder)
    where = workspace.locations[("persons", "xu-zhiheng")]
    assert where.data == {} and where.location.file == "persons.yaml"
    assert where.locate(("tenures", 0, "post")).line > where.location.line
