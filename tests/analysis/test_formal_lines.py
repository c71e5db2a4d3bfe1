"""Reporting and oversight lines as channels: paths, introducers and the plan's action.

A small government by hand: a vice-mayor oversees a bureau whose head (局长甲) sits
on no committee and has no informal tie; the deputy (副局长乙) reports to the head
and the section chief (科长丙) to the deputy. Relationship strengths are exact: all
six scores 5, contact on DAY, so the strength is the relationship's confidence.
Then a property test against brute force over every simple path on small random
hierarchies.
"""

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakegraph.analysis.paths import best_introducer, step_kind, warm_channels
from stakegraph.analysis.plan import engagement_plan
from stakegraph.config import CoverageSettings, FormalLineSettings, Settings
from stakegraph.graph.network import build_network
from stakegraph.records.model import (
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Tenure,
    Tie,
)
from stakegraph.records.workspace import Workspace
from stakegraph.views.phrases import plan_action
from tests.builders import DAY

SCORES = ("acceptance", "participation", "information", "guidance", "support", "preference")
START = DAY.replace(year=DAY.year - 3)


def knows(owner: str, person: str, strength: float) -> Relationship:
    return Relationship(
        owner=owner,
        person=person,
        last_contact=DAY,
        confidence=strength,
        **dict.fromkeys(SCORES, 5),
    )


def government(relationships=(), ties=(), lines=None, vacant_deputy=False, max_hops=2):
    ws = Workspace(
        Settings(
            formal_lines=lines or FormalLineSettings(),
            coverage=CoverageSettings(max_hops=max_hops),
        ),
        name="gov",
    )
    ws.add(Organisation(id="city", name="市政府"))
    ws.add(Organisation(id="bureau", name="数据局"))
    ws.add(Post(id="mayor", org="city", title="市长", grade=7, leadership=True))
    ws.add(
        Post(
            id="vm",
            org="city",
            title="副市长",
            grade=6,
            leadership=True,
            reports_to="mayor",
            oversees=["bureau"],
        )
    )
    ws.add(Post(id="head", org="bureau", title="局长", grade=5, leadership=True))
    ws.add(Post(id="deputy", org="bureau", title="副局长", grade=4, reports_to="head"))
    ws.add(Post(id="chief", org="bureau", title="科长", grade=3, reports_to="deputy"))
    ws.add(Person(id="v", name="副市长丁", tenures=[Tenure(post="vm", start=START)]))
    ws.add(Person(id="h", name="局长甲", tenures=[Tenure(post="head", start=START)]))
    if not vacant_deputy:
        ws.add(Person(id="d", name="副局长乙", tenures=[Tenure(post="deputy", start=START)]))
    ws.add(Person(id="c", name="科长丙", tenures=[Tenure(post="chief", start=START)]))
    ws.add(Person(id="x", name="朋友戊"))
    ws.add(Owner(id="rep", name="小刘", tier="rep"))
    ws.add(Owner(id="rep2", name="小张", tier="rep"))
    for rel in relationships:
        ws.add(knows(*rel))
    for a, b, s in ties:
        ws.add(Tie(a=a, b=b, strength=s))
    ws.add(
        Opportunity(
            id="opp",
            name="平台",
            client="bureau",
            chain=[{"name": "审批", "roles": [{"post": "head", "role": "decision_maker"}]}],
        )
    )
    return build_network(ws, DAY)


def head_row(net):
    (row,) = [r for r in engagement_plan(net, "opp") if r.target == "h"]
    return row


def test_the_plan_names_the_subordinate_of_a_head_with_no_informal_tie():
    net = government(relationships=[("rep", "d", 0.7)])
    assert warm_channels(net, "h", formal_lines=False) == []
    row = head_row(net)
    assert row.channel is not None
    assert (row.channel.persons, row.channel.steps) == (("d", "h"), ("up",))
    # 0.7 × upward 0.5
    assert row.channel.strength == pytest.approx(0.35)
    assert plan_action(net, row, "zh") == (
        "引荐：小刘请副局长乙（其下属，我方关系 0.70）引荐/汇报局长甲（渠道 0.35）。"
    )
    assert plan_action(net, row, "en") == (
        "Introduction: 小刘 asks 副局长乙 (their subordinate, our relationship 0.70) to "
        "introduce or report to 局长甲 (channel 0.35); 小刘 owns the follow-up."
    )


@pytest.mark.parametrize(
    ("informal", "formal_wins"),
    [(0.34, True), (0.35, False), (0.36, False)],
)
def test_a_formal_line_only_where_no_informal_channel_is_as_strong(informal, formal_wins):
    # formal: 0.7 × 0.5 = 0.35; informal: rep2 → 朋友戊 (1.0) → 局长甲 (tie ``informal``)
    net = government(
        relationships=[("rep", "d", 0.7), ("rep2", "x", 1.0)], ties=[("x", "h", informal)]
    )
    row = head_row(net)
    assert row.channel is not None
    assert row.channel.persons == (("d", "h") if formal_wins else ("x", "h"))
    assert ("副局长乙（其下属" in plan_action(net, row, "zh")) is formal_wins
    assert ("their subordinate" in row.action) is formal_wins


@pytest.mark.parametrize(("upward", "formal_wins"), [(0.42, False), (0.43, True)])
def test_the_upward_strength_setting_is_the_threshold(upward, formal_wins):
    # formal 0.7 × upward against an informal channel of 0.3: 0.294 below, 0.301 above
    net = government(
        relationships=[("rep", "d", 0.7), ("rep2", "x", 1.0)],
        ties=[("x", "h", 0.3)],
        lines=FormalLineSettings(upward=upward),
    )
    channel = head_row(net).channel
    assert channel is not None
    assert channel.steps == (("up",) if formal_wins else ("tie",))
    assert channel.strength == pytest.approx(0.7 * upward if formal_wins else 0.3)


def test_a_referral_down_from_the_overseeing_vice_mayor():
    # the vice-mayor oversees the bureau: 0.9 × downward 0.6 = 0.54 beats 0.7 × 0.5
    net = government(relationships=[("rep", "d", 0.7), ("rep2", "v", 0.9)])
    channels = warm_channels(net, "h")
    assert [(c.persons, c.steps) for c in channels[:2]] == [
        (("v", "h"), ("down",)),
        (("d", "h"), ("up",)),
    ]
    assert [c.strength for c in channels[:2]] == pytest.approx([0.54, 0.35])
    assert step_kind(net, "v", "h") == "down" and step_kind(net, "h", "v") == "up"
    row = head_row(net)
    assert "副市长丁（其上级，我方关系 0.90）转介局长甲" in plan_action(net, row, "zh")
    assert "副市长丁 (their superior, our relationship 0.90) to refer us to 局长甲" in row.action


def test_zero_strengths_turn_formal_lines_off():
    off = FormalLineSettings(upward=0, downward=0)
    net = government(relationships=[("rep", "d", 0.7), ("rep2", "v", 0.9)], lines=off)
    assert warm_channels(net, "h") == []
    row = head_row(net)
    assert row.channel is None and row.introducer is None
    assert "formal visit" in row.action
    assert step_kind(net, "d", "h") == "tie"


def test_an_informal_tie_as_strong_as_the_line_is_the_step_used():
    net = government(relationships=[("rep", "d", 0.7)], ties=[("d", "h", 0.5)])
    (channel,) = warm_channels(net, "h")
    assert channel.steps == ("tie",) and channel.strength == pytest.approx(0.35)
    net = government(relationships=[("rep", "d", 0.7)], ties=[("d", "h", 0.49)])
    (channel,) = warm_channels(net, "h")
    assert channel.steps == ("up",)


def test_a_line_past_a_vacant_post_reaches_the_nearest_holder():
    # 科长丙 reports to the vacant deputy post, which reports to the head
    net = government(relationships=[("rep", "c", 0.7)], vacant_deputy=True)
    (channel,) = warm_channels(net, "h")
    assert (channel.persons, channel.steps) == (("c", "h"), ("up",))


def test_the_introducer_may_be_a_subordinate():
    # direct relationships only: 副局长乙 is the introducer, one report up
    net = government(relationships=[("rep", "d", 0.7)], max_hops=0)
    assert warm_channels(net, "h") == []
    assert best_introducer(net, "h") == ("d", pytest.approx(0.35))
    assert best_introducer(net, "h", formal_lines=False) is None
    row = head_row(net)
    assert (row.introducer, row.introducer_step) == ("d", "up")
    assert plan_action(net, row, "zh").startswith(
        "暂无渠道：先接触副局长乙（其下属），请其引荐/汇报局长甲；"
    )
    assert row.action.startswith(
        "No channel yet: reach 副局长乙 first (their subordinate) and ask them to "
        "introduce or report to 局长甲;"
    )


# --- property: agree with brute force on small random hierarchies ---------------


@st.composite
def hierarchies(draw):
    n = draw(st.integers(2, 7))
    persons = [f"p{i}" for i in range(n)]
    # post i reports to an earlier post (or to none): a forest
    bosses = [None] + [draw(st.none() | st.integers(0, i - 1)) for i in range(1, n)]
    pairs = [(a, b) for i, a in enumerate(persons) for b in persons[i + 1 :]]
    tie_pairs = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n))
    ties = [(a, b, draw(st.sampled_from([0.3, 0.5, 0.6, 0.9]))) for a, b in tie_pairs]
    rels = draw(
        st.lists(
            st.tuples(st.sampled_from(["o0", "o1"]), st.sampled_from(persons)),
            unique=True,
            min_size=1,
            max_size=n,
        )
    )
    rels = [(o, p, draw(st.sampled_from([0.4, 0.7, 1.0]))) for o, p in rels]
    up = draw(st.sampled_from([0.0, 0.5, 0.6, 0.8]))
    down = draw(st.sampled_from([0.0, 0.5, 0.7]))
    return persons, bosses, ties, rels, up, down


def hierarchy_network(persons, bosses, ties, rels, up, down):
    ws = Workspace(Settings(formal_lines=FormalLineSettings(upward=up, downward=down)))
    ws.add(Organisation(id="org", name="机关"))
    for i, pid in enumerate(persons):
        boss = None if bosses[i] is None else f"post{bosses[i]}"
        ws.add(Post(id=f"post{i}", org="org", title=f"岗{i}", grade=3, reports_to=boss))
        ws.add(Person(id=pid, name=f"名{pid}", tenures=[Tenure(post=f"post{i}", start=START)]))
    for oid in ("o0", "o1"):
        ws.add(Owner(id=oid, name=f"我{oid}", tier=1))
    for rel in rels:
        ws.add(knows(*rel))
    for a, b, s in ties:
        ws.add(Tie(a=a, b=b, strength=s))
    return build_network(ws, DAY)


def step_strengths(persons, bosses, ties, up, down):
    """(a, b) → strength of the step a → b: the strongest tie or line between them."""
    step: dict[tuple[str, str], float] = {}
    for a, b, s in ties:
        step[(a, b)] = max(s, step.get((a, b), 0.0))
        step[(b, a)] = max(s, step.get((b, a), 0.0))
    for i, boss in enumerate(bosses):
        if boss is not None:
            sub, sup = persons[i], persons[boss]
            step[(sub, sup)] = max(up, step.get((sub, sup), 0.0))
            step[(sup, sub)] = max(down, step.get((sup, sub), 0.0))
    return step


def brute_force_strengths(persons, bosses, ties, rels, up, down, target, max_hops, avoid=()):
    """Every simple channel's strength, strongest first, over an explicit step graph."""
    step = step_strengths(persons, bosses, ties, up, down)
    graph = nx.DiGraph()
    for (a, b), s in step.items():
        if s > 0 and a not in avoid and b not in avoid:
            graph.add_edge(a, b, s=s)
    for o, p, s in rels:
        if p not in avoid:
            graph.add_edge("S", o, s=1.0)
            graph.add_edge(o, p, s=s)
    if target not in graph or "S" not in graph:
        return []
    found = []
    for path in nx.all_simple_paths(graph, "S", target, cutoff=max_hops + 2):
        strength = 1.0
        for u, v in zip(path[1:], path[2:], strict=False):
            strength *= graph.edges[u, v]["s"]
        found.append(strength)
    return sorted(found, reverse=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hierarchies(), pick=st.data(), k=st.integers(1, 4), max_hops=st.integers(0, 3))
def test_channels_along_lines_match_brute_force(data, pick, k, max_hops):
    persons = data[0]
    target = pick.draw(st.sampled_from(persons))
    net = hierarchy_network(*data)
    got = [c.strength for c in warm_channels(net, target, k=k, max_hops=max_hops)]
    expected = brute_force_strengths(*data, target, max_hops)[:k]
    assert got == pytest.approx(expected, abs=1e-12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hierarchies(), pick=st.data(), max_hops=st.integers(0, 2))
def test_introducer_along_lines_matches_brute_force(data, pick, max_hops):
    persons, bosses, ties, rels, up, down = data
    target = pick.draw(st.sampled_from(persons))
    net = hierarchy_network(*data)
    step = step_strengths(persons, bosses, ties, up, down)
    scores = {}
    for (x, t), s in step.items():
        if t == target and s > 0:
            reach = brute_force_strengths(*data, x, max_hops + 1, avoid={target})
            if reach:
                scores[x] = s * reach[0]
    got = best_introducer(net, target, max_hops=max_hops)
    if not scores:
        assert got is None
    else:
        assert got is not None
        assert got[1] == pytest.approx(max(scores.values()), abs=1e-12)
