"""Formal versus informal findings: bare lines, people consulted over their superior,
juniors sought out for their grade; each threshold just below, at and just above.

A small bureau by hand: 局长甲 (head) ← 副局长乙 (deputy) ← three section chiefs
丙, 丁, 戊 (正科); 科员己 reports to 丙. Ties are undirected, so each counts as
deference both ways. Then the figures of the smart-city example against networkx.
"""

import networkx as nx
import pytest

from stakegraph.analysis.darkhorses import dark_horses
from stakegraph.analysis.formal_informal import (
    FindingKind,
    chain_persons,
    formal_informal,
)
from stakegraph.config import FormalInformalSettings, Settings
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.records.model import Opportunity, Organisation, Person, Post, Tenure, Tie
from stakegraph.records.workspace import Workspace
from stakegraph.views.formal_informal_rows import finding_rows, organisation_rows
from tests.builders import DAY, SMART_CITY

START = DAY.replace(year=DAY.year - 2)


def bureau(ties=(), **thresholds):
    ws = Workspace(Settings(formal_informal=FormalInformalSettings(**thresholds)), name="bureau")
    ws.add(Organisation(id="bureau", name="数据局"))
    ws.add(Organisation(id="outside", name="外单位"))
    ws.add(Post(id="head", org="bureau", title="局长", grade=5, leadership=True))
    ws.add(Post(id="deputy", org="bureau", title="副局长", grade=4, reports_to="head"))
    for i in "123":
        ws.add(Post(id=f"chief{i}", org="bureau", title=f"科长{i}", grade=3, reports_to="deputy"))
    ws.add(Post(id="clerk", org="bureau", title="科员", grade=1, reports_to="chief1"))
    holders = {
        "jia": ("局长甲", "head"),
        "yi": ("副局长乙", "deputy"),
        "bing": ("科长丙", "chief1"),
        "ding": ("科长丁", "chief2"),
        "wu": ("科长戊", "chief3"),
        "ji": ("科员己", "clerk"),
    }
    for pid, (name, post) in holders.items():
        ws.add(Person(id=pid, name=name, tenures=[Tenure(post=post, start=START)]))
    for pid in ("x", "y", "z"):
        ws.add(Person(id=pid, name=f"外人{pid}"))
    for a, b, s in ties:
        ws.add(Tie(a=a, b=b, strength=s))
    ws.add(
        Opportunity(
            id="opp",
            name="平台",
            client="bureau",
            chain=[{"name": "审批", "roles": [{"post": "chief1", "role": "evaluator"}]}],
        )
    )
    return build_network(ws, DAY)


def found(network, kind):
    return [
        (f.person, f.superior, f.value, f.reference)
        for f in formal_informal(network)
        if f.kind is kind
    ]


@pytest.mark.parametrize(("tie", "bare"), [(0.29, True), (0.3, False), (0.31, False)])
def test_a_line_is_bare_below_line_tie(tie, bare):
    network = bureau(ties=[("yi", "jia", tie)])
    lines = found(network, FindingKind.BARE_LINE)
    assert (("yi", "jia", tie, 0.3) in lines) is bare
    # the other four lines have no tie at all
    assert ("ding", "yi", 0.0, 0.3) in lines and len(lines) == 4 + bare


@pytest.mark.parametrize(("ratio", "consulted"), [(1.19, True), (1.2, False), (1.21, False)])
def test_consulted_over_the_superior_above_the_ratio(ratio, consulted):
    # 副局长乙 is turned to at 0.6 (by 外人x), 局长甲 at 0.5 (by 外人y): 0.6 > ratio × 0.5?
    network = bureau(ties=[("x", "yi", 0.6), ("y", "jia", 0.5)], consulted_ratio=ratio)
    assert (("yi", "jia", 0.6, 0.5) in found(network, FindingKind.CONSULTED_OVER_SUPERIOR)) is (
        consulted
    )


def test_nobody_consulted_is_no_finding_even_over_a_superior_never_consulted():
    network = bureau()
    assert found(network, FindingKind.CONSULTED_OVER_SUPERIOR) == []
    network = bureau(ties=[("x", "ding", 0.2)])
    assert found(network, FindingKind.CONSULTED_OVER_SUPERIOR) == [("ding", "yi", 0.2, 0.0)]


# 科长丙 is turned to by 外人x, 外人y, 外人z; 丁 and 戊 by one each: the 正科 median is 1
SOUGHT = [("x", "bing", 0.5), ("y", "bing", 0.5), ("z", "bing", 0.5), ("x", "ding", 0.5)]
SOUGHT += [("y", "wu", 0.5)]


@pytest.mark.parametrize(("ratio", "sought"), [(2.99, True), (3.0, True), (3.01, False)])
def test_a_junior_is_sought_out_at_the_ratio_of_the_grade_median(ratio, sought):
    network = bureau(ties=SOUGHT, indegree_ratio=ratio)
    juniors = found(network, FindingKind.SOUGHT_JUNIOR)
    assert juniors == ([("bing", None, 3.0, 1.0)] if sought else [])


@pytest.mark.parametrize(("least", "sought"), [(2, True), (3, True), (4, False)])
def test_a_junior_is_sought_out_by_min_indegree_people_or_more(least, sought):
    network = bureau(ties=SOUGHT, min_indegree=least)
    assert bool(found(network, FindingKind.SOUGHT_JUNIOR)) is sought


def test_a_lone_holder_of_a_grade_is_not_sought_and_juniors_link_to_the_dark_horses():
    # 局长甲 is turned to by three too, but is the only 正处: the median is 3, and
    # 3 < 2 × 3
    network = bureau(ties=[*SOUGHT, ("x", "jia", 0.5), ("y", "jia", 0.5), ("z", "jia", 0.5)])
    (junior,) = [f for f in formal_informal(network) if f.kind is FindingKind.SOUGHT_JUNIOR]
    assert junior.person == "bing" and junior.organisations == ("bureau",)
    # 丙 brokers between the outsiders and the bureau, weakly covered: dark horse #1
    ranks = {h.person: h.rank for h in dark_horses(network, top=network.size)}
    assert junior.dark_horse_rank == ranks["bing"] == 1
    assert "黑马第 1 名" in finding_rows(network, [junior])[0]["reason_zh"]
    assert "dark horse #1" in finding_rows(network, [junior])[0]["reason_en"]


def test_findings_per_opportunity_and_per_organisation():
    network = bureau(ties=[("x", "yi", 0.6), *SOUGHT])
    findings = formal_informal(network)
    assert chain_persons(network, "opp") == ["bing"]
    on_chain = findings.for_persons(["bing"])
    assert {(f.kind, f.person, f.superior) for f in on_chain} == {
        (FindingKind.BARE_LINE, "bing", "yi"),
        (FindingKind.BARE_LINE, "ji", "bing"),
        (FindingKind.CONSULTED_OVER_SUPERIOR, "bing", "yi"),
        (FindingKind.SOUGHT_JUNIOR, "bing", None),
    }
    assert list(findings.by_organisation()) == ["bureau"]
    assert len(findings.by_organisation()["bureau"]) == len(findings)
    # kinds in order, the largest departure first
    kinds = [f.kind for f in findings]
    assert kinds == sorted(kinds, key=list(FindingKind).index)
    rows = finding_rows(network, on_chain)
    assert {r["kind_label"] for r in rows} >= {"同级中受倚重 sought out for their grade"}
    consulted = next(r for r in rows if r["kind"] == "consulted_over_superior")
    assert consulted["reason_zh"] == (
        "被非正式请教的强度 1.50，其上级仅 0.60：上级之下的非正式中心。"
    )
    assert consulted["reason_en"] == (
        "Consulted informally at 1.50 against their superior's 0.60: an informal centre "
        "below the top."
    )
    (org,) = organisation_rows(network, findings)
    assert (org["organisation"], org["name"]) == ("bureau", "数据局")


def test_a_pair_on_both_lines_is_one_bare_line():
    ws = Workspace(name="city")
    ws.add(Organisation(id="city", name="市政府"))
    ws.add(Organisation(id="bureau", name="数据局"))
    ws.add(Post(id="vm", org="city", title="副市长", grade=6, leadership=True, oversees=["bureau"]))
    ws.add(Post(id="head", org="bureau", title="局长", grade=5, leadership=True, reports_to="vm"))
    ws.add(Person(id="v", name="副市长甲", tenures=[Tenure(post="vm", start=START)]))
    ws.add(Person(id="h", name="局长乙", tenures=[Tenure(post="head", start=START)]))
    findings = formal_informal(build_network(ws, DAY))
    assert [(f.person, f.superior, f.line) for f in findings] == [("h", "v", "reports_to")]


def test_the_smart_city_figures_agree_with_networkx():
    network = build_network(load_workspace(SMART_CITY), DAY)
    ws = network.workspace
    graph = nx.DiGraph()
    for tie in ws.ties.values():
        s = tie.strength * tie.confidence
        pairs = [(tie.a, tie.b)] if tie.directed else [(tie.a, tie.b), (tie.b, tie.a)]
        for a, b in pairs:
            if s > 0 and a != b:
                old = graph.get_edge_data(a, b, {"weight": 0.0})["weight"]
                graph.add_edge(a, b, weight=old + s)
    findings = formal_informal(network)
    assert findings, "the example has findings"
    for f in findings:
        if f.kind is FindingKind.CONSULTED_OVER_SUPERIOR:
            assert f.value == pytest.approx(graph.in_degree(f.person, weight="weight"))
            assert f.reference == pytest.approx(
                graph.in_degree(f.superior, weight="weight") if f.superior in graph else 0.0
            )
        if f.kind is FindingKind.SOUGHT_JUNIOR:
            assert f.value == graph.in_degree(f.person)
        if f.kind is FindingKind.BARE_LINE:
            assert not graph.has_edge(f.person, f.superior) or (
                graph.edges[f.person, f.superior]["weight"] < 0.3
            )
