"""A private copy of a workspace seeded with personal data everywhere holds none of it,
in every format, and every analysis gives the same figures on it once ids are mapped."""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.influence import influence
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.io.pseudonymise import pseudonymise, settings_without_comments
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, SMART_CITY, run_cli, snapshot
from tests.io.test_pseudonymise import id_maps

KEY = bytes(range(32))

#: People (Chinese and English names, pinyin ids), phone numbers, WeChat ids and e-mail
#: addresses; the workspace below puts them in every field that takes text.
SEEDS = [
    "徐志恒",
    "李晓梅",
    "Helen Whitaker",
    "Tom Baker",
    "王磊",
    "xu-zhiheng",
    "li-xiaomei",
    "helen-whitaker",
    "tom-baker",
    "wang-lei",
    "13912345678",
    "+86 138-0013-8000",
    "wxid_k9z2m4q7",
    "zhiheng_xu88",
    "xzh@jcs.gov.cn",
    "helen.whitaker@example.org",
]

SEEDED = {
    "stakegraph.toml": """\
# 联系人 徐志恒 13912345678, xzh@jcs.gov.cn (微信 zhiheng_xu88)
[strength]
half_life_days = 120.0  # Helen Whitaker asked for a shorter memory

[coverage]
# tom-baker: +86 138-0013-8000
stale_days = 60
""",
    "organisations.yaml": """\
- id: jcs
  name: 江川市人民政府
  kind: government
  level: municipal
  region: 江川 (Helen Whitaker 辖区)
  aliases: [徐志恒的老单位, 江川市府]
  tags: [zhiheng_xu88, 市级]
  notes: 联系 13912345678
- id: xu-zhiheng-office
  name: 徐志恒办公室
  kind: division
  parent: jcs
  aliases: ["wxid_k9z2m4q7"]
  tags: [helen.whitaker@example.org]
  notes: xzh@jcs.gov.cn
""",
    "reforms.yaml": """\
- id: xu-zhiheng-office-2020
  kind: transfer
  day: 2020-01-01
  predecessors: [xu-zhiheng-office]
  successors: [jcs]
  functions: 徐志恒分管的审批职责
  aliases: [李晓梅牵头的调整]
  tags: [wxid_k9z2m4q7]
  notes: 经办人 Tom Baker
""",
    "posts.yaml": """\
- id: jcs-mayor
  org: jcs
  title: 市长
  grade: 正厅
  leadership: true
  aliases: [李晓梅的上级]
  tags: [+86 138-0013-8000]
  notes: wxid_k9z2m4q7
- id: li-xiaomei-secretary
  org: xu-zhiheng-office
  title: Helen Whitaker's secretary
  grade: 正处
  reports_to: jcs-mayor
  oversees: [xu-zhiheng-office]
  notes: 李晓梅 tel 13912345678
""",
    "persons.yaml": """\
- id: xu-zhiheng
  name: 徐志恒
  aliases: [徐市长, Zhiheng Xu]
  tags: ["13912345678", zhiheng_xu88, xzh@jcs.gov.cn]
  notes: 微信 wxid_k9z2m4q7; Helen Whitaker 的同学
  background: career
  born: 1970
  tenures: [{post: jcs-mayor, start: 2021-01-01}]
- id: li-xiaomei
  name: 李晓梅
  aliases: [小梅]
  tags: [+86 138-0013-8000]
  notes: helen.whitaker@example.org
  background: academia
  born: 1981
  tenures: [{post: li-xiaomei-secretary, start: 2020-03-01}]
- id: helen-whitaker
  name: Helen Whitaker
  aliases: [Mrs Whitaker]
  tags: [helen.whitaker@example.org]
  background: business
  tenures: [{post: li-xiaomei-secretary, start: 2015-01-01, end: 2020-03-01}]
""",
    "owners.yaml": """\
- id: tom-baker
  name: Tom Baker
  title: Account lead for xu-zhiheng
  tier: rep
  manager: wang-lei
  aliases: [汤姆]
  tags: ["13912345678"]
  notes: Tom Baker's WeChat is zhiheng_xu88
- id: wang-lei
  name: 王磊
  title: 副总裁 王磊
  tier: vp
  capacity: 3
  notes: 王磊 xzh@jcs.gov.cn
""",
    "relationships.yaml": """\
- owner: tom-baker
  person: xu-zhiheng
  acceptance: 4
  participation: 3
  information: 3.5
  guidance: 2
  support: 4
  preference: 3
  level: partner
  responsible: true
  since: 2022-01-01
  last_contact: 2026-11-01
  confidence: 0.9
  source: 李晓梅 told us (13912345678)
  aliases: [徐志恒 relationship]
  tags: [wxid_k9z2m4q7]
  notes: Helen Whitaker
- id: wang-lei~li-xiaomei-handwritten
  owner: wang-lei
  person: li-xiaomei
  support: 5
  acceptance: 3
  confidence: 0.7
  source: helen.whitaker@example.org
- owner: tom-baker
  person: helen-whitaker
  acceptance: 2
  since: 2016-05-01
""",
    "ties.yaml": """\
- a: xu-zhiheng
  b: li-xiaomei
  kind: classmate
  strength: 0.8
  since: 1990-09-01
  confidence: 0.6
  source: 徐志恒 himself, +86 138-0013-8000
  aliases: [li-xiaomei and xu-zhiheng]
  tags: [zhiheng_xu88]
  notes: 李晓梅
- id: helen-whitaker-mentors-xu-zhiheng
  a: xu-zhiheng
  b: helen-whitaker
  kind: mentor
  directed: true
  strength: 0.6
""",
    "opportunities.yaml": """\
- id: xu-zhiheng-city-brain
  name: 徐志恒的城市大脑
  client: xu-zhiheng-office
  stage: pursuit
  value: 38000000
  close: 2027-03-31
  competitors: [Helen Whitaker Consulting, 华为]
  aliases: [李晓梅项目]
  tags: [xzh@jcs.gov.cn]
  notes: ask 13912345678
  chain:
    - id: li-xiaomei-review
      name: 李晓梅审批
      roles:
        - post: li-xiaomei-secretary
          role: approver
          stance: supporter
          weight: 0.7
          competitor_leaning: Helen Whitaker Consulting
          notes: 微信 wxid_k9z2m4q7
    - name: 立项
      roles:
        - {person: xu-zhiheng, role: decision_maker, stance: champion}
        - {post: jcs-mayor, role: budget_holder, stance: neutral}
- id: plain-project
  name: 政务云
  client: jcs
  chain:
    - name: 预算审批
      roles: [{post: jcs-mayor, role: decision_maker}]
""",
    "interactions.yaml": """\
- id: 2026-11-01-visit-xu-zhiheng
  date: 2026-11-01
  kind: visit
  owners: [tom-baker]
  persons: [xu-zhiheng]
  orgs: [jcs]
  information_shared: true
  aliases: [Helen Whitaker visit]
  tags: [zhiheng_xu88]
  notes: 徐志恒 gave us +86 138-0013-8000
- id: 2026-10-02-complaint-li-xiaomei
  date: 2026-10-02
  kind: complaint
  owners: [wang-lei]
  persons: [li-xiaomei]
  notes: helen.whitaker@example.org complained
""",
    "surveys.yaml": """\
- id: 2026-11-05-xu-zhiheng
  date: 2026-11-05
  person: xu-zhiheng
  scores: {徐志恒满意度: 4, overall: 5}
  tags: ["13912345678"]
  notes: 李晓梅 filled it in
- id: 2026-11-05-jcs
  date: 2026-11-05
  org: jcs
  scores: {overall: 3}
""",
    "assessments.yaml": """\
- owner: tom-baker
  person: xu-zhiheng
  date: 2026-06-01
  acceptance: 3
  support: 3
  source: 王磊 xzh@jcs.gov.cn
  tags: [wxid_k9z2m4q7]
  notes: Tom Baker
- id: li-xiaomei-review-2026
  owner: wang-lei
  person: li-xiaomei
  date: 2026-07-01
  support: 4
  level: preferred
""",
    "actions.yaml": """\
- id: improve-2026-10-02-complaint-li-xiaomei-2026-10-05
  owner: tom-baker
  action: 打电话给李晓梅 13912345678
  origin: improvement
  person: li-xiaomei
  created: 2026-10-05
  due: 2026-10-20
  status: done
  done: 2026-10-15
  complaint: 2026-10-02-complaint-li-xiaomei
  survey: 2026-11-05-xu-zhiheng
  baseline_cover: 0.3
  tags: [helen.whitaker@example.org]
  notes: Helen Whitaker
- id: visit-xu-zhiheng
  owner: wang-lei
  action: visit 徐志恒 at xu-zhiheng-office
  org: xu-zhiheng-office
  opportunity: xu-zhiheng-city-brain
  created: 2026-11-20
""",
}


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    folder = tmp_path / "seeded"
    folder.mkdir()
    for name, text in SEEDED.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def every_byte(path: Path) -> str:
    """All that was written, as text: every file of a folder, every part of a workbook."""
    if path.is_file():
        with zipfile.ZipFile(path) as book:
            return "\n".join(book.read(n).decode("utf-8") for n in book.namelist())
    return "\n".join(
        p.read_bytes().decode("utf-8-sig") for p in sorted(path.rglob("*")) if p.is_file()
    )


def _normal(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def leaked(text: str) -> list[str]:
    """The seeds found in ``text``, as written or in any case, spacing or punctuation."""
    flat = _normal(text)
    return [s for s in SEEDS if s.casefold() in text.casefold() or _normal(s) in flat]


def test_the_seeded_workspace_carries_every_seed_in_every_file(seeded: Path) -> None:
    """The grep below can fail: the original holds each seed, and each file holds some."""
    ws = load_workspace(seeded)
    assert all(ws.counts().values())
    original = every_byte(seeded)
    assert leaked(original) == SEEDS
    assert all(leaked(p.read_text(encoding="utf-8")) for p in seeded.iterdir())


@pytest.mark.parametrize("fmt, name", [("yaml", "copy"), ("csv", "copy"), ("xlsx", "copy.xlsx")])
def test_a_private_copy_holds_none_of_the_seeds(seeded: Path, tmp_path: Path, fmt, name) -> None:
    key, dest = tmp_path / "secret.key", tmp_path / name
    result = run_cli(["convert", seeded, dest, "--to", fmt, "--pseudonymise", key])
    assert result.exit_code == 0, result.output
    text = every_byte(dest)
    assert re.search(r"p-[0-9a-f]{12}", text)
    assert leaked(text) == []
    # the copy is a workspace of its own, with every record and the same settings
    copy = load_workspace(dest)
    original = load_workspace(seeded)
    assert copy.counts() == original.counts()
    assert copy.settings == original.settings


def test_kept_fields_are_copied_as_they_are(seeded: Path, tmp_path: Path) -> None:
    key, dest = tmp_path / "secret.key", tmp_path / "copy"
    args = ["convert", seeded, dest, "--pseudonymise", key, "--keep", "tags, notes,comments"]
    assert run_cli(args).exit_code == 0
    copy, original = load_workspace(dest), load_workspace(seeded)
    persons = id_maps(original, copy)["persons"]
    xu = copy.persons[persons["xu-zhiheng"]]
    assert xu.tags == original.persons["xu-zhiheng"].tags
    assert xu.notes == original.persons["xu-zhiheng"].notes
    assert xu.name != "徐志恒" and xu.born is None
    assert (dest / "stakegraph.toml").read_text(encoding="utf-8") == SEEDED["stakegraph.toml"]


def test_an_unknown_keep_name_or_keep_alone_writes_nothing(seeded: Path, tmp_path: Path) -> None:
    key, dest = tmp_path / "secret.key", tmp_path / "copy"
    typo = run_cli(["convert", seeded, dest, "--pseudonymise", key, "--keep", "tags,name"])
    assert typo.exit_code == 1 and "'name'" in typo.output and "tags, notes" in typo.output
    alone = run_cli(["convert", seeded, dest, "--keep", "tags"])
    assert alone.exit_code == 2 and "--pseudonymise" in alone.output
    assert not dest.exists() and not key.exists()
    assert snapshot(seeded) == {n: t.encode() for n, t in sorted(SEEDED.items())}


def test_settings_are_written_again_without_comments() -> None:
    text = settings_without_comments(SEEDED["stakegraph.toml"])
    assert "#" not in text and not leaked(text)
    assert tomllib.loads(text) == tomllib.loads(SEEDED["stakegraph.toml"])
    odd = '[grades]\n"正 处" = 5\n"科员" = 1\n[a.b]\nx = [1, 2.5, true, "引号\\"q"]\n'
    assert tomllib.loads(settings_without_comments(odd)) == tomllib.loads(odd)


def _figures(ws: Workspace, ids: dict[str, dict[str, str]]) -> dict:
    """Influence, coverage and gaps of every opportunity, in the copy's ids."""
    person = lambda p: ids["persons"].get(p, p) if p else p  # noqa: E731
    owner = lambda o: ids["owners"].get(o, o) if o else o  # noqa: E731
    network = build_network(ws, DAY)
    result = influence(network)
    scores = {
        person(p): round(float(s), 9) for p, s in zip(result.persons, result.score, strict=True)
    }
    out: dict = {"influence": scores}
    for opp_id in ws.opportunities:
        cover = coverage(network, opp_id)
        out[ids["opportunities"].get(opp_id, opp_id)] = {
            "overall": round(cover.overall, 9),
            "steps": sorted(round(v, 9) for v in cover.steps.values()),
            "gaps": sorted(
                (
                    g.kind.value,
                    round(g.severity, 9),
                    person(g.person) or "",
                    ids["posts"].get(g.post, g.post) if g.post else "",
                    owner(g.owner) or "",
                )
                for g in cover.gaps
            ),
        }
    return out


@pytest.mark.parametrize("example", ["seeded", "smart-city"])
def test_every_figure_is_the_same_on_the_copy(seeded: Path, example: str) -> None:
    original = load_workspace(seeded if example == "seeded" else SMART_CITY)
    copy = pseudonymise(original, KEY)
    ids = id_maps(original, copy)
    assert ids["persons"] and all(old != new for old, new in ids["persons"].items())
    before, after = _figures(original, ids), _figures(copy, {c: {} for c in ids})
    assert before == after
    assert any(cover["gaps"] for key, cover in before.items() if key != "influence")
