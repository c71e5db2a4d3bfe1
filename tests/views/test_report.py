"""The main job on the bundled example: content, order, JSON stability, and CLI commands."""

import json

import pytest

from stakegraph.io import load_workspace
from stakegraph.io.pseudonymise import pseudonymise
from stakegraph.views.report import build_report
from tests.builders import DAY, EXAMPLES, cli_runner

SMART = EXAMPLES / "smart-city"


@pytest.fixture(scope="module")
def smart():
    return load_workspace(SMART)


@pytest.fixture(scope="module")
def report(smart):
    return build_report(smart, DAY, "smart-city")


run = cli_runner(catch_exceptions=False)


def test_report_tells_the_story_of_the_example(report):
    (opp,) = report["opportunities"]
    gaps = {(g["kind"], g["person"] or g["post"]) for g in opp["gaps"]}
    assert ("ROTATED", "zhou-weiran") in gaps
    assert ("VACANT", "jc-bdb-deputy-data") in gaps
    assert ("OPPONENT", "sun-wei") in gaps
    severities = [g["severity"] for g in opp["gaps"]]
    assert severities == sorted(severities, reverse=True)
    assert [s["name"] for s in opp["chain"]] == [
        "需求立项",
        "技术评审",
        "预算审批",
        "分管领导审批",
        "招标采购",
    ]
    assert 0 < opp["coverage"] < 1
    assert opp["plan"][0]["phase"] == "senior"
    assert opp["circles"] and all(c["name"] for c in opp["circles"])
    top = opp["influence"][0]
    assert abs(sum(top["parts"].values()) - top["score"]) < 1e-3


def test_report_lists_formal_versus_informal_findings_on_the_chain(report):
    (opp,) = report["opportunities"]
    findings = {(f["kind"], f["person"], f["superior"]) for f in opp["formal_informal"]}
    # 孙伟, the section chief leaning to the competitor, is consulted more (0.94) than
    # 周蔚然, the newly arrived deputy he reports to (0.25)
    assert ("consulted_over_superior", "sun-wei", "zhou-weiran") in findings
    sun = next(
        f
        for f in opp["formal_informal"]
        if (f["kind"], f["person"]) == ("consulted_over_superior", "sun-wei")
    )
    assert "0.94" in sun["reason_en"] and "0.94" in sun["reason_zh"]
    # a report on one opportunity has no organisation list; the full report has one
    assert report["formal_informal"] is None


def test_terminal_report_sections_in_order():
    result = run("report", SMART, "--as-of", "2026-11-28", "-o", "smart-city")
    assert result.exit_code == 0, result.output
    out = result.output
    marks = ["决策链", "缺口", "影响力", "非正式组织", "倒三角"]
    positions = [out.index(m) for m in marks]
    assert positions == sorted(positions)
    assert "周蔚然" in out and "ROTATED" in out


def test_json_is_one_stable_document():
    one = run("report", SMART, "--as-of", "2026-11-28", "--json").output
    two = run("report", SMART, "--as-of", "2026-11-28", "--json").output
    assert one == two
    data = json.loads(one)
    assert [o["id"] for o in data["opportunities"]] == [
        "smart-city",
        "gov-cloud",
        "fin-budget-ops",
        "province-catalogue",
    ]
    organisations = data["formal_informal"]
    assert organisations and all(org["findings"] for org in organisations)
    assert {f["kind"] for org in organisations for f in org["findings"]} == {
        "bare_line",
        "consulted_over_superior",
        "sought_junior",
    }


def test_pseudonymised_copy_gives_the_same_numbers(smart, report):
    copy = pseudonymise(smart, b"0123456789abcdef0123456789abcdef")
    other = build_report(copy, DAY, "smart-city")["opportunities"][0]
    mine = report["opportunities"][0]
    assert other["coverage"] == mine["coverage"]
    assert [g["severity"] for g in other["gaps"]] == [g["severity"] for g in mine["gaps"]]
    assert [r["score"] for r in other["influence"]] == [r["score"] for r in mine["influence"]]


@pytest.mark.parametrize(
    "args",
    [
        ("gaps", SMART, "-o", "smart-city"),
        ("influence", SMART, "-o", "smart-city", "--top", "5"),
        ("paths", SMART, "--to", "zhou-weiran", "-k", "2"),
        ("plan", SMART, "-o", "smart-city"),
        ("relationships", SMART, "--person", "xu-zhiheng"),
        ("whatif", SMART, "-o", "smart-city", "--owner-leaves", "meng-xiaodong"),
        ("whatif", SMART, "-o", "smart-city", "--rotate", "xu-zhiheng:jc-bdb-deputy-data"),
    ],
)
def test_analysis_commands_print_tables_and_json(args):
    table = run(*args, "--as-of", "2026-11-28")
    assert table.exit_code == 0, table.output
    assert table.output.strip()
    data = json.loads(run(*args, "--as-of", "2026-11-28", "--json").output)
    assert data


def test_paths_to_the_rotated_deputy_go_through_their_superior():
    data = json.loads(
        run("paths", SMART, "--to", "zhou-weiran", "--as-of", "2026-11-28", "--json").output
    )["rows"]
    assert data and all(row["persons"][-1] == "zhou-weiran" for row in data)
    # nobody of ours knows the new deputy; 许志恒, the director they report to, refers us
    # down the line (downward 0.6), stronger than any informal channel
    assert data[0]["persons"] == ["xu-zhiheng", "zhou-weiran"]
    assert data[0]["steps"] == ["down"] and data[0]["links"][1] == 0.6


def test_whatif_owner_leaves_lowers_coverage():
    data = json.loads(
        run(
            "whatif",
            SMART,
            "-o",
            "smart-city",
            "--owner-leaves",
            "liu-kai",
            "--as-of",
            "2026-11-28",
            "--json",
        ).output
    )
    assert data["coverage"]["after"] < data["coverage"]["before"]
    assert data["gaps_added"]


def test_analysis_errors_are_one_line():
    result = run("gaps", SMART)
    assert result.exit_code == 1 and "--opportunity" in result.output
    result = run("paths", SMART, "--to", "nobody")
    assert result.exit_code == 1 and '--to: no 人员 person "nobody"' in result.output
    result = run("whatif", SMART, "-o", "smart-city")
    assert result.exit_code == 1 and "at least one change" in result.output
    assert "Traceback" not in result.output


def test_portfolio_section_in_html_and_markdown(tmp_path):
    """The 客户组合 Portfolio section on the three hand-built accounts of test_portfolio."""
    import base64
    import io
    import re

    import matplotlib.image as mpimg

    from stakegraph.views.report_writer import write_report
    from tests.analysis.test_portfolio import _ws

    write_report(_ws(), DAY, tmp_path)
    html_text = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="portfolio">(.*?)</section>', html_text, re.S)
    assert section is not None
    body = section.group(1)
    assert "<h2>客户组合 Portfolio</h2>" in body
    titles = ["客户组合 portfolio (value 万元)", "客户漏斗 funnel", "负责人负荷 owner load"]
    positions = [body.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "0 (+1 unknown)" in body and "200 (+1 unknown)" in body  # 局c, the delivery stage
    assert "人a, 人b" in body and "200% 超负荷 over" in body
    (png,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', body)
    pixels = mpimg.imread(io.BytesIO(base64.b64decode(png)), format="png")
    assert pixels.shape[0] > 300 and pixels[..., :3].std() > 0.05
    assert html_text.index('id="portfolio"') < html_text.index('<section id="health">')
    assert '<a href="#portfolio">客户组合 Portfolio</a>' in html_text

    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    part = md[md.index("## 客户组合 Portfolio") : md.index("## 关系健康 relationship health")]
    assert "| 局a | 关键 key | 2 | 400 | 75% | 守 defend" in part
    assert "| 中期 delivery | 2 | 200 (+1 unknown) |" in part
    assert "| 甲 | 2 | 人a, 人b | 1 | 200% 超负荷 over |" in part
    assert "the top 20% of accounts by value, at least one (1 of 3)" in part
    assert "](figures/portfolio.png)" in part and (tmp_path / "figures/portfolio.png").is_file()


def test_summary_prints_one_line_per_opportunity_weakest_first():
    out = run("report", SMART, "--as-of", "2026-11-28", "--summary")
    assert out.exit_code == 0
    assert "决策链 decision chain" not in out.output and "倒三角" not in out.output
    table = out.output[out.output.index("商机一览") : out.output.index("the book of accounts")]
    order = [table.index(f"({o})") for o in ("gov-cloud", "fin-budget-ops", "smart-city")]
    assert order == sorted(order)  # 26% < 30% < 52% coverage (gov-cloud: a holder unknown)
    assert "关系弱 weak: 林书远 (分管领导审批)" in table  # smart-city's most severe gap
    assert "客户漏斗 funnel" in out.output


def test_write_report_reuses_a_report_already_built(smart, tmp_path, monkeypatch):
    from stakegraph.graph.network import build_network
    from stakegraph.views import report_writer as writer

    network = build_network(smart, DAY)
    data = build_report(smart, DAY, "smart-city", network=network)
    expected = json.dumps(data, ensure_ascii=False, sort_keys=True)
    ticks = []

    def refuse(*args, **kwargs):
        raise AssertionError("the report was built a second time")

    monkeypatch.setattr(writer, "build_report", refuse)
    writer.write_report(network, DAY, tmp_path, "smart-city", report=data, progress=ticks.append)
    assert ticks == [1]  # one opportunity drawn
    assert json.dumps(data, ensure_ascii=False, sort_keys=True) == expected  # left unchanged
    assert "江川市城市大脑一期" in (tmp_path / "report.html").read_text(encoding="utf-8")
