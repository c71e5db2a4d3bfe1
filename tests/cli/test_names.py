"""Options that name a person, owner, organisation, post or opportunity take its id, name,
alias or pinyin, on the bundled example; the output is the same as with the id."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.builders import DAY, SMART_CITY, run_cli, snapshot

AS_OF = ("--as-of", DAY.isoformat())

EXTRA_POSTS = """
- id: jc-fin-counsel
  org: jc-fin
  title: 副调研员
  grade: 副处
- id: jc-bdb-counsel
  org: jc-bdb
  title: 副调研员
  grade: 副处
"""

# two officials of one name, and one whose name is another person's id
EXTRA_PERSONS = """
- id: wang-wei
  name: 王伟
  tenures:
    - post: jc-fin-counsel
      start: 2020-01-01
- id: wang-wei-2
  name: 王伟
  tenures:
    - post: jc-bdb-counsel
      start: 2020-01-01
- id: hj-latin
  name: he-jing
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    folder = tmp_path / "city"
    shutil.copytree(SMART_CITY, folder)
    with open(folder / "posts.yaml", "a", encoding="utf-8") as f:
        f.write(EXTRA_POSTS)
    with open(folder / "persons.yaml", "a", encoding="utf-8") as f:
        f.write(EXTRA_PERSONS)
    return folder


def _json(*args: object) -> object:
    result = run_cli([*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_paths_to_a_chinese_name_equals_paths_to_the_id():
    by_id = _json("paths", SMART_CITY, "--to", "zhou-weiran", *AS_OF)
    assert _json("paths", SMART_CITY, "--to", "周蔚然", *AS_OF) == by_id
    assert _json("paths", SMART_CITY, "--to", "Zhou Weiran", *AS_OF) == by_id
    assert _json("paths", SMART_CITY, "--to", "zwr", *AS_OF) == by_id


@pytest.mark.parametrize(
    "command, by_name, by_id",
    [
        ("relationships", ["--person", "何静"], ["--person", "he-jing"]),
        ("relationships", ["--owner", "刘凯"], ["--owner", "liu-kai"]),
        ("relationships", ["--owner", "liukai"], ["--owner", "liu-kai"]),
        ("evidence", ["--person", "he jing"], ["--person", "he-jing"]),
        ("paths", ["--to", "何静", "--from", "刘凯"], ["--to", "he-jing", "--from", "liu-kai"]),
        ("gaps", ["-o", "江川市城市大脑一期"], ["-o", "smart-city"]),
        ("influence", ["-o", "江川市城市大脑一期"], ["-o", "smart-city"]),
        ("plan", ["-o", "江川市城市大脑一期"], ["-o", "smart-city"]),
        ("report", ["-o", "江川市城市大脑一期"], ["-o", "smart-city"]),
        ("show", ["-o", "江川市城市大脑一期"], ["-o", "smart-city"]),
        ("review", ["-o", "江川市城市大脑一期"], ["-o", "smart-city"]),
        ("surveys", ["--account", "江川市大数据管理局"], ["--account", "jc-bdb"]),
        (
            "whatif",
            ["-o", "smart-city", "--remove", "周蔚然", "--owner-leaves", "刘凯"],
            ["-o", "smart-city", "--remove", "zhou-weiran", "--owner-leaves", "liu-kai"],
        ),
        (
            "whatif",
            [
                "-o",
                "smart-city",
                "--rotate",
                "许志恒:江川市大数据管理局副局长（分管数据资源与安全）",
            ],
            ["-o", "smart-city", "--rotate", "xu-zhiheng:jc-bdb-deputy-data"],
        ),
        (
            "whatif",
            ["-o", "smart-city", "--relationship", "刘凯:何静:4"],
            ["-o", "smart-city", "--relationship", "liu-kai:he-jing:4"],
        ),
    ],
)
def test_a_name_gives_what_the_id_gives(command, by_name, by_id):
    assert _json(command, SMART_CITY, *by_name, *AS_OF) == _json(
        command, SMART_CITY, *by_id, *AS_OF
    )


def test_history_takes_a_name():
    by_id = _json("history", SMART_CITY, "--person", "he-jing")
    assert _json("history", SMART_CITY, "--person", "何静") == by_id


def test_a_name_that_is_another_records_id_gives_that_record(city):
    by_id = _json("history", city, "--person", "he-jing")
    assert by_id and _json("history", city, "--person", "HE-JING") == by_id


def test_a_shared_name_is_one_line_with_the_candidates_and_their_posts(city):
    result = run_cli(["paths", city, "--to", "王伟", *AS_OF])
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert '--to: 人员 person "王伟" matches 2: ' in line
    assert "wang-wei 王伟 (江川市财政局副调研员)" in line
    assert "wang-wei-2 王伟 (江川市大数据管理局副调研员)" in line
    assert line.endswith("give the id.")
    assert run_cli(["paths", city, "--to", "wang-wei-2", *AS_OF]).exit_code == 0


def test_an_unknown_name_suggests_the_closest(city):
    result = run_cli(["paths", city, "--to", "周伟然", *AS_OF])
    assert result.exit_code == 1
    assert '--to: no 人员 person "周伟然"' in result.output
    assert "closest: zhou-weiran 周蔚然" in result.output
    assert "known ids" not in result.output


def test_log_act_and_assess_write_ids_for_names(city):
    result = run_cli(
        ["log", city, "--date", "2026-11-27", "--kind", "visit", "--owner", "刘凯"]
        + ["--person", "xu zhiheng", "--org", "江川市财政局", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == ["2026-11-27-visit-xu-zhiheng"]
    logged = (city / "interactions.yaml").read_text(encoding="utf-8")
    tail = logged[logged.index("2026-11-27-visit-xu-zhiheng") :]
    assert "liu-kai" in tail and "xu-zhiheng" in tail and "jc-fin" in tail
    assert "许志恒" not in tail

    result = run_cli(
        ["act", city, "--owner", "秦朗", "--org", "江川市财政局", "--action", "压测"]
        + ["--date", "2026-11-28", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == "improve-jc-fin-2026-11-28"

    result = run_cli(
        ["assess", city, "--owner", "刘凯", "--person", "许志恒", "--support", "4"]
        + ["--date", "2026-11-28", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == "liu-kai~xu-zhiheng~2026-11-28"


def test_a_shared_name_writes_nothing(city):
    before = snapshot(city)
    result = run_cli(["log", city, "--kind", "visit", "--person", "王伟", "--owner", "liu-kai"])
    assert result.exit_code == 1
    assert '--person: 人员 person "王伟" matches 2' in result.output
    assert snapshot(city) == before


def test_survey_import_reads_respondents_by_name(city, tmp_path):
    results = tmp_path / "results.csv"
    results.write_text(
        "日期,回答人,回答单位,产品质量\n2026-11-20,何静,,4\n2026-11-21,,江川市财政局,3\n"
        "2026-11-22,王伟,,5\n",
        encoding="utf-8",
    )
    before = snapshot(city)
    result = run_cli(["surveys", city, "--import", results])
    assert result.exit_code == 1 and snapshot(city) == before
    assert (
        "results.csv, row 4, column B: survey field 'person': 人员 person \"王伟\" matches 2"
        in (result.output)
    )
    results.write_text(results.read_text(encoding="utf-8").replace("王伟", "wang-wei-2"))
    result = run_cli(["surveys", city, "--import", results, *AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["imported"] == [
        "2026-11-20-he-jing",
        "2026-11-21-jc-fin",
        "2026-11-22-wang-wei-2",
    ]


@pytest.mark.parametrize(
    "command, option",
    [
        ("paths", "--to"),
        ("relationships", "--person"),
        ("whatif", "--remove"),
        ("log", "--person"),
        ("act", "--owner"),
        ("surveys", "--account"),
    ],
)
def test_help_says_names_are_taken(command, option):
    out = run_cli([command, "--help"]).output
    options = out[out.index("Options:") :]
    block = options[options.index(option) :]
    assert "id, name, alias or pinyin" in " ".join(block[:400].split())


def test_log_import_reads_participants_by_name(city, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text(
        "id,date,kind,owners,persons,orgs,information_shared,notes\n"
        "v1,2026-11-25,会议,刘凯; qin lang,何静,江川市财政局,是,\n"
        "v2,2026-11-26,电话,liu-kai,王伟,,,\n",
        encoding="utf-8",
    )
    before = snapshot(city)
    result = run_cli(["log", city, "--import", visits])
    assert result.exit_code == 1 and snapshot(city) == before
    assert "visits.csv, row 3" in result.output and '人员 person "王伟" matches 2' in result.output
    visits.write_text(visits.read_text(encoding="utf-8").replace("王伟", "wang-wei-2"))
    result = run_cli(["log", city, "--import", visits, "--json"])
    assert result.exit_code == 0, result.output
    logged = (city / "interactions.yaml").read_text(encoding="utf-8")
    tail = logged[logged.index("id: v1") :]
    for wanted in ("liu-kai", "qin-lang", "he-jing", "jc-fin", "wang-wei-2"):
        assert wanted in tail
    assert "何静" not in tail and "江川市财政局" not in tail
