"""The surveys, kinds and darkhorses commands: output, JSON, errors, and the example."""

import json
import textwrap

import pytest

from stakegraph.io import save_workspace
from tests.analysis import test_darkhorses
from tests.analysis import test_relationship_kinds as test_kinds
from tests.builders import DAY, EXAMPLES, cli_runner

SMART_CITY = EXAMPLES / "smart-city"


@pytest.fixture
def run():
    return cli_runner(catch_exceptions=False)


FILES = {
    "organisations.yaml": """
        - {id: gov, name: 市政府, kind: 政府}
        - {id: bdb, name: 大数据局, parent: gov}
        - {id: fin, name: 财政局, parent: gov}
    """,
    "posts.yaml": """
        - {id: head, org: bdb, title: 局长, grade: 正处, leadership: true}
        - {id: chief, org: bdb, title: 科长, grade: 正科, reports_to: head}
    """,
    "persons.yaml": """
        - {id: xu, name: 许志恒, tenures: [{post: head}]}
        - {id: he, name: 何静, tenures: [{post: chief}]}
    """,
    "owners.yaml": """
        - {id: qiu, name: 邱实, tier: rep}
    """,
    "opportunities.yaml": """
        - {id: p1, name: 平台, client: bdb}
        - {id: p2, name: 预算, client: fin}
    """,
    "surveys.yaml": """
        - {id: s1, date: 2026-06-30, org: bdb, scores: {产品质量: 4, 交付及时性: 2}}
        - {id: s2, date: 2026-11-26, person: he, scores: {产品质量: 5, 交付及时性: 4}}
    """,
    "interactions.yaml": """
        - {id: c1, date: 2026-07-06, kind: 投诉, owners: [qiu], persons: [he]}
        - {id: c2, date: 2026-11-24, kind: complaint, orgs: [fin]}
        - {id: e1, date: 2026-09-15, kind: 签约, owners: [qiu], orgs: [bdb]}
    """,
    "actions.yaml": """
        - id: fix-1
          owner: qiu
          action: 接口扩容
          origin: 整改
          complaint: c1
          created: 2026-07-07
          due: 2026-07-14
          status: 完成
          done: 2026-07-13
        - id: fix-2
          owner: qiu
          action: 交付每周通报
          origin: improvement
          survey: s1
          created: 2026-07-05
          due: 2026-09-30
          status: 进行中
    """,
}


@pytest.fixture
def book(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", ["surveys", "kinds", "darkhorses"])
def test_help_has_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"stakegraph {command} " in result.output


def test_surveys_json(run, book):
    result = run("surveys", book, "--as-of", DAY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    bdb, fin = data["accounts"]
    assert bdb["account"] == "bdb" and bdb["surveys"] == ["s1", "s2"]
    assert [p["period"] for p in bdb["periods"]] == ["2026-Q2", "2026-Q4"]
    assert bdb["latest"] == 4.5 and bdb["change"] == 1.5  # mean(5, 4) − mean(4, 2)
    assert bdb["periods"][1]["change"] == {"产品质量": 1.0, "交付及时性": 2.0}
    assert fin["complaints_without_action"] == ["c2"]
    assert [c["actions"] for c in data["complaints"]] == [["fix-1"], []]
    assert [(i["id"], i["days_overdue"]) for i in data["overdue"]] == [("fix-2", 59)]


def test_surveys_table(run, book):
    result = run("surveys", book, "--as-of", DAY)
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("客户满意度", "各项得分", "总体 overall", "投诉 complaints", "改进措施"):
        assert text in out
    assert "无整改 no action" in out and "59 天 days" in out and "逾期 overdue: 1" in out


def test_surveys_per_date_and_one_account(run, book):
    data = json.loads(
        run(
            "surveys", book, "--as-of", DAY, "--account", "fin", "--period", "date", "--json"
        ).output
    )
    assert [a["account"] for a in data["accounts"]] == ["fin"]
    assert data["items"] == [] and [c["id"] for c in data["complaints"]] == ["c2"]


def test_surveys_unknown_account_is_one_clear_line(run, book):
    result = run("surveys", book, "--account", "nope")
    assert result.exit_code == 1
    assert "no organisation with id 'nope'" in result.output
    assert "accounts: bdb, fin" in result.output
    assert "Traceback" not in result.output


def test_bad_period_and_top_are_usage_errors(run, book):
    assert run("surveys", book, "--period", "week").exit_code == 2
    assert run("darkhorses", book, "--top", "0").exit_code == 2
    assert run("kinds", book, "--share", "2").exit_code == 2


def test_kinds_json_and_relationships(run, tmp_path):
    folder = tmp_path / "kinds"
    save_workspace(test_kinds.build(), folder)
    data = json.loads(run("kinds", folder, "--as-of", DAY, "--json").output)
    assert "relationships" not in data
    o = data["accounts"][0]
    assert (o["key_share"], o["penetration"], o["org_exchanges"]) == (0.5, 0.3333, 2)
    listed = json.loads(run("kinds", folder, "--as-of", DAY, "--relationships", "--json").output)
    assert {r["id"]: r["kind"] for r in listed["relationships"]} == {
        "r1~b": "key",
        "r1~a": "general",
        "r2~e": "key",
    }
    table = run("kinds", folder, "--as-of", DAY, "--relationships").output
    assert "关键 key" in table and "普遍 general" in table and "组织 organisational" in table
    assert "无覆盖的关键人 uncovered key persons" in table


def test_darkhorses_json_and_table(run, tmp_path):
    folder = tmp_path / "horses"
    save_workspace(test_darkhorses.build(), folder)
    data = json.loads(run("darkhorses", folder, "--as-of", DAY, "--json").output)
    assert [(d["rank"], d["person"]) for d in data["dark_horses"]] == [(1, "P1"), (2, "Q")]
    assert data["dark_horses"][0]["brokerage_ratio"] == 2.0
    assert data["dark_horses"][1]["promotion"]["date"] == "2026-05-10"
    top = json.loads(run("darkhorses", folder, "--as-of", DAY, "--top", "1", "--json").output)
    assert [d["person"] for d in top["dark_horses"]] == ["P1"]
    # the test workspace's names are Latin, so it speaks English unless told otherwise
    table = run("--lang", "zh", "darkhorses", folder, "--as-of", DAY).output
    assert "培养黑马" in table and "2026-05 晋升" in table and "promoted 2026-05" in table
    english = run("darkhorses", folder, "--as-of", DAY).output
    assert "dark horses" in english and "promoted 2026-05" in english
    assert "培养黑马" not in english


def test_darkhorses_none_found_says_why(run, book):
    result = run("darkhorses", book, "--as-of", DAY)
    assert result.exit_code == 0
    assert "No dark horses" in result.output


@pytest.mark.parametrize(
    "args, heading",
    [
        (("surveys",), "客户满意度"),
        (("kinds", "--relationships"), "关系类型覆盖"),
        (("darkhorses",), "2026-11-28"),
    ],
)
def test_smoke_on_the_smart_city_example(run, args, heading):
    result = run(args[0], SMART_CITY, *args[1:], "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert heading in result.output
    data = json.loads(run(args[0], SMART_CITY, *args[1:], "--as-of", DAY, "--json").output)
    assert data["day"] == DAY.isoformat()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["--person", "han-zhiyuan"],
            "我方尚无与韩志远的客户关系记录。用 stakegraph assess 记录一次评估。\n",
        ),
        (["--person", "han-zhiyuan", "--owner", "liu-kai"], "刘凯与韩志远尚无客户关系记录。"),
        (
            ["--lang", "en", "--person", "han-zhiyuan"],
            "None of us has a relationship with 韩志远 on record; record one with stakegraph assess.\n",
        ),
    ],
)
def test_an_official_without_a_relationship_is_said_not_tabled(run, args, said):
    if args[0] == "--lang":
        result = run("--lang", "en", "relationships", EXAMPLES / "smart-city", *args[2:])
    else:
        result = run("relationships", EXAMPLES / "smart-city", *args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(said) and "│" not in result.output, result.output
    listed = run("relationships", EXAMPLES / "smart-city", "--person", "han-zhiyuan", "--json")
    assert json.loads(listed.output) == []
