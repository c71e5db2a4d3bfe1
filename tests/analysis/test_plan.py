"""The inverted-triangle plan: order, pairing, channels, named owners within capacity."""

import datetime as dt

from stakegraph.analysis.plan import engagement_plan
from stakegraph.config import FormalLineSettings, Settings
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
from tests.builders import DAY, full_scores

START = dt.date(2020, 1, 1)


def build(owners, relationships=(), ties=(), settings=None):
    ws = Workspace(settings)
    ws.add(Organisation(id="gov", name="市政府"))
    ws.add(Post(id="mayor", org="gov", title="市长", grade=7, leadership=True))
    ws.add(Post(id="director", org="gov", title="局长", grade=5, reports_to="mayor"))
    ws.add(Post(id="chief", org="gov", title="科长", grade=3, reports_to="director"))
    ws.add(Person(id="m", name="市长甲", tenures=[Tenure(post="mayor", start=START)]))
    ws.add(Person(id="d", name="局长乙", tenures=[Tenure(post="director", start=START)]))
    ws.add(Person(id="c", name="科长丙", tenures=[Tenure(post="chief", start=START)]))
    ws.add(Person(id="x", name="同学丁"))
    for owner in owners:
        ws.add(owner)
    for rel in relationships:
        ws.add(Relationship(**rel))
    for tie in ties:
        ws.add(tie)
    ws.add(
        Opportunity(
            id="opp",
            name="项目",
            client="gov",
            chain=[
                {"name": "评审", "roles": [{"post": "chief", "role": "evaluator", "weight": 0.5}]},
                {
                    "name": "审批",
                    "roles": [{"post": "director", "role": "approver", "weight": 0.8}],
                },
                {
                    "name": "签批",
                    "roles": [{"post": "mayor", "role": "decision_maker", "weight": 1.0}],
                },
            ],
        )
    )
    return build_network(ws, DAY)


#: Settings with formal lines turned off: channels along informal ties only.
INFORMAL_ONLY = Settings(formal_lines=FormalLineSettings(upward=0, downward=0))

OWNERS = [
    Owner(id="ceo", name="总裁", tier="executive", capacity=2),
    Owner(id="dir", name="总监", tier="director", capacity=2),
    Owner(id="rep", name="代表", tier="rep", capacity=1),
]


def test_targets_top_down_with_phases_and_grade_matched_pairing():
    net = build(OWNERS)
    rows = engagement_plan(net, "opp")
    assert [r.target for r in rows] == ["m", "d", "c"]
    assert [r.phase for r in rows] == ["senior", "middle", "base"]
    tiers = net.workspace.settings.tiers
    # 正厅 (7) pairs with executive, 正处 (5) with director, 正科 (3) with rep
    assert [r.paired_tier for r in rows] == [tiers["executive"], tiers["director"], tiers["rep"]]


def test_channel_from_the_paired_tier_and_introduction_action():
    net = build(
        OWNERS,
        relationships=[
            full_scores(5, owner="ceo", person="x", last_contact=DAY),
            full_scores(4, owner="rep", person="m", last_contact=DAY),
        ],
        ties=[Tie(a="x", b="m", kind="classmate", strength=0.9)],
    )
    mayor = engagement_plan(net, "opp")[0]
    # the executive's warm channel (1.0 × 0.9) is preferred over the rep's direct 0.8
    assert mayor.channel.owner == "ceo"
    assert mayor.channel.persons == ("x", "m")
    assert abs(mayor.channel.strength - 0.9) < 1e-12
    assert "同学丁" in mayor.action and "High-level pairing" in mayor.action


def test_existing_responsible_owner_is_kept_and_capacity_is_respected():
    # informal ties only: with formal lines the rep's line up to the mayor would
    # make the rep responsible for the mayor first
    net = build(
        OWNERS,
        relationships=[
            full_scores(3, owner="rep", person="d", last_contact=DAY, responsible=True),
            full_scores(3, owner="rep", person="c", last_contact=DAY, responsible=True),
        ],
        settings=INFORMAL_ONLY,
    )
    rows = {r.target: r for r in engagement_plan(net, "opp")}
    # rep has capacity 1: d comes first (higher grade) and keeps rep; c must go elsewhere
    assert rows["d"].responsible == "rep" and rows["d"].kept_responsible
    assert rows["c"].responsible != "rep"
    load = {}
    for row in rows.values():
        load[row.responsible] = load.get(row.responsible, 0) + 1
    capacity = {o.id: o.capacity for o in OWNERS}
    assert all(n <= capacity[o] for o, n in load.items())


def test_no_channel_gives_an_introducer_or_a_formal_visit():
    net = build(
        OWNERS,
        relationships=[full_scores(5, owner="dir", person="x", last_contact=DAY)],
        ties=[Tie(a="x", b="c", strength=0.2)],
        settings=INFORMAL_ONLY,
    )
    rows = {r.target: r for r in engagement_plan(net, "opp")}
    assert rows["m"].channel is None and rows["m"].introducer is None
    assert "formal visit" in rows["m"].action
    assert set(rows) == {"m", "d", "c"}
    assert all(row.action for row in rows.values())


def test_senior_pairing_says_why_the_owner_of_the_tiers_strongest_channel():
    net = build(
        [*OWNERS, Owner(id="ceo2", name="董事长", tier="executive", capacity=2)],
        relationships=[
            full_scores(2, owner="ceo", person="m", last_contact=DAY),
            full_scores(3, owner="ceo2", person="m", last_contact=DAY),
        ],
    )
    mayor = engagement_plan(net, "opp")[0]
    assert (mayor.pairing, mayor.paired_owner, mayor.paired_exact) == ("channel", "ceo2", True)
    assert mayor.action.endswith(
        "Pairing (高层对接): 正厅 pairs with our executive; 董事长 owns the strongest channel "
        "of that tier."
    )
    assert plan_action(net, mayor, "en").endswith(
        "director-general pairs with our executive; 董事长 owns the strongest channel of that tier."
    )
    assert plan_action(net, mayor, "zh").endswith(
        "高层对接：正厅对等我方总裁，董事长在该层级中渠道最强。"
    )
    # below the senior phase nothing is said about pairing
    assert all(r.pairing is None for r in engagement_plan(net, "opp")[1:])


def test_no_channel_offers_our_executive_for_a_formal_first_meeting():
    # the rep's direct relationship is a channel, but not from the paired tier
    net = build(OWNERS, relationships=[full_scores(4, owner="rep", person="m", last_contact=DAY)])
    mayor = engagement_plan(net, "opp")[0]
    assert (mayor.pairing, mayor.paired_owner) == ("formal", "ceo")
    assert mayor.channel.owner == "rep"
    assert "none of that tier has a channel to 市长甲: 总裁 to request a formal first meeting" in (
        mayor.action
    )
    assert "由总裁经组织渠道（函件/汇报）正式请求首次会面" in plan_action(net, mayor, "zh")


def test_without_an_owner_of_the_paired_tier_the_nearest_is_named_as_such():
    net = build(OWNERS[1:])  # no executive: the director is the nearest tier
    mayor = engagement_plan(net, "opp")[0]
    assert (mayor.pairing, mayor.paired_owner, mayor.paired_exact) == ("formal", "dir", False)
    assert "正厅 pairs with the executive tier; our nearest tier is director" in mayor.action
    assert "正厅应对等总裁，我方最接近的层级为总监" in plan_action(net, mayor, "zh")


def _with_unknown(*grades):
    """The plan's workspace with one unknown holder per grade on a step of its own."""
    network = build(OWNERS)
    ws = network.workspace
    roles = [{"unknown_org": "gov", "unknown_grade": g, "role": "evaluator"} for g in grades]
    opp = ws.opportunities["opp"]
    chain = [*opp.model_dump()["chain"], {"name": "未明", "roles": roles}]
    ws.opportunities["opp"] = Opportunity.model_validate({**opp.model_dump(), "chain": chain})
    return build_network(ws, DAY)


def test_unknown_holders_are_planned_by_expected_grade_with_identify_who():
    # [plan] middle_grade 4 and senior_grade 6: just below and at each threshold
    network = _with_unknown(3, 4, 5, 6, None)
    plan = engagement_plan(network, "opp")
    phases = {u.unknown.grade: u.phase for u in plan.unknown}
    assert phases == {3: "base", 4: "middle", 5: "middle", 6: "senior", None: "base"}
    assert [u.phase for u in plan.unknown] == ["senior", "middle", "middle", "base", "base"]
    assert all(u.action.startswith("Identify who:") and "市政府" in u.action for u in plan.unknown)
    # the person rows are the plan without unknown holders
    assert [r.target for r in plan] == [r.target for r in engagement_plan(build(OWNERS), "opp")]
