"""Relationship kinds (关键 / 普遍 / 组织) and their coverage per account: hand-computed."""

import datetime as dt

import pytest

from stakegraph.analysis.relationship_kinds import (
    RelationshipKind,
    influence_ranks,
    is_org_exchange,
    key_persons,
    relationship_kinds,
)
from stakegraph.graph.network import build_network
from stakegraph.records.model import (
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Tie,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY

D = dt.date


def scores(value):
    keys = ("acceptance", "participation", "information", "guidance", "support", "preference")
    return {k: value for k in keys}


def build() -> Workspace:
    """City ``gov`` (mayor m) over bureau ``o`` (with division ``od``) and finance ``f``.

    Accounts: ``o`` (persons a, b, c, d and the outside expert x on its chain) and
    ``f`` (person e). Relationships: r1→b 0.8, r1→a 0.2, r2→e 0.4, and r2→c only from
    next year. A tie b–c of strength 1 gives c a warm cover but no relationship.
    """
    ws = Workspace()
    ws.add(Organisation(id="gov", name="市政府", kind="government"))
    ws.add(Organisation(id="o", name="大数据局", parent="gov"))
    ws.add(Organisation(id="od", name="数据科", parent="o", kind="division"))
    ws.add(Organisation(id="f", name="财政局", parent="gov"))
    posts = [
        Post(id="gov-head", org="gov", title="市长", grade=7, leadership=True),
        Post(id="o-head", org="o", title="局长", grade=5, leadership=True, reports_to="gov-head"),
        Post(id="od-chief", org="od", title="科长", grade=3, leadership=True, reports_to="o-head"),
        Post(id="od-staff1", org="od", title="科员", grade=1, reports_to="od-chief"),
        Post(id="od-staff2", org="od", title="科员", grade=1, reports_to="od-chief"),
        Post(id="f-head", org="f", title="局长", grade=5, leadership=True, reports_to="gov-head"),
    ]
    for post in posts:
        ws.add(post)
    for pid, post in (
        ("m", "gov-head"),
        ("a", "o-head"),
        ("b", "od-chief"),
        ("c", "od-staff1"),
        ("d", "od-staff2"),
        ("e", "f-head"),
    ):
        ws.add(Person(id=pid, name=pid.upper(), tenures=[{"post": post}]))
    ws.add(Person(id="x", name="专家"))
    ws.add(Owner(id="r1", name="代表一", tier=1))
    ws.add(Owner(id="r2", name="代表二", tier=1))
    ws.add(Relationship(owner="r1", person="b", last_contact=DAY, **scores(4)))
    ws.add(Relationship(owner="r1", person="a", last_contact=DAY, **scores(1)))
    ws.add(Relationship(owner="r2", person="e", last_contact=DAY, **scores(2)))
    ws.add(Relationship(owner="r2", person="c", since=D(2027, 1, 1), **scores(5)))
    ws.add(Tie(a="b", b="c", kind="former_colleague", strength=1.0))
    ws.add(
        Opportunity(
            id="opp-o",
            name="平台",
            client="o",
            chain=[
                {
                    "name": "评审",
                    "roles": [
                        {"post": "od-chief", "role": "evaluator"},
                        {"person": "x", "role": "evaluator"},
                    ],
                }
            ],
        )
    )
    ws.add(
        Opportunity(
            id="opp-f",
            name="预算",
            client="f",
            chain=[{"name": "预算审批", "roles": [{"post": "f-head", "role": "budget_holder"}]}],
        )
    )
    for item in (
        Interaction(id="i1", date=D(2026, 1, 10), kind="event", persons=["a"], orgs=["o"]),
        Interaction(id="i2", date=D(2025, 6, 1), kind="agreement", orgs=["od"]),
        Interaction(id="i3", date=D(2026, 11, 1), kind="visit", owners=["r2"], orgs=["f"]),
        Interaction(id="i4", date=D(2026, 10, 1), kind="visit", persons=["b"], orgs=["o"]),
        Interaction(id="i5", date=D(2026, 11, 2), kind="complaint", orgs=["f"]),
        Interaction(id="i6", date=D(2026, 12, 10), kind="agreement", orgs=["f"]),
        Interaction(id="i7", date=D(2026, 5, 5), kind="meeting", orgs=["gov"]),
        Interaction(id="i8", date=D(2025, 11, 28), kind="event", orgs=["od"]),
        Interaction(id="i9", date=D(2025, 11, 29), kind="event", owners=["r1"], orgs=["od"]),
    ):
        ws.add(item)
    return ws


def test_org_level_exchanges():
    def item(kind, persons=(), orgs=()):
        return Interaction(id="i", date=DAY, kind=kind, persons=list(persons), orgs=list(orgs))

    assert is_org_exchange(item("visit", orgs=["o"]))
    assert is_org_exchange(item("event", persons=["a"], orgs=["o"]))
    assert is_org_exchange(item("agreement", persons=["a"], orgs=["o"]))
    assert not is_org_exchange(item("visit", persons=["a"], orgs=["o"]))
    assert not is_org_exchange(item("event", persons=["a"]))
    assert not is_org_exchange(item("complaint", orgs=["o"]))


def test_key_persons_are_role_holders_and_the_top_share_by_influence():
    network = build_network(build(), DAY)
    ranks = influence_ranks(network)
    assert len(ranks) == 6 and ranks["m"] == 1 and ranks["a"] == 2  # everyone defers up to m
    key = key_persons(network)  # ceil(0.1 × 6) = 1 by influence
    assert list(key) == ["b", "x", "e", "m"]
    assert key["b"].roles == [("opp-o", "评审", "evaluator")]
    assert key["m"].roles == [] and key["m"].influence_rank == 1
    assert key["b"].influence_rank is None
    wider = key_persons(network, share=2 / 6)  # ceil(2) = 2: a joins
    assert set(wider) == {"b", "x", "e", "m", "a"} and wider["a"].influence_rank == 2
    assert set(key_persons(network, share=0)) == {"b", "x", "e"}
    with pytest.raises(ValueError):
        key_persons(network, share=1.5)


def test_each_relationship_gets_its_kind():
    result = relationship_kinds(build_network(build(), DAY))
    rels = {r.id: r for r in result.relationships}
    assert set(rels) == {"r1~b", "r1~a", "r2~e"}  # r2~c starts next year
    assert rels["r1~b"].kind == RelationshipKind.KEY
    assert rels["r1~a"].kind == RelationshipKind.GENERAL and rels["r1~a"].reasons == []
    assert rels["r2~e"].kind == RelationshipKind.KEY
    assert rels["r1~b"].strength == pytest.approx(0.8)
    assert rels["r1~a"].strength == pytest.approx(0.2)
    assert rels["r1~b"].reasons == ["角色 role: opp-o 评审 evaluator"]
    assert rels["r1~b"].accounts == ["o"]
    wider = relationship_kinds(build_network(build(), DAY), share=2 / 6)
    a = next(r for r in wider.relationships if r.id == "r1~a")
    assert a.kind == RelationshipKind.KEY and "influence rank 2 of 6" in a.reasons[0]


def test_coverage_per_account_and_kind():
    result = relationship_kinds(build_network(build(), DAY))
    o, f = result.accounts
    assert (o.account, f.account) == ("o", "f")
    assert o.key_persons == ["b", "x"]
    assert o.key_covered == ["b"]  # 0.8 ≥ 0.6
    assert o.key_uncovered == ["x"]
    assert o.key_share == pytest.approx(0.5)
    assert o.general_persons == ["a", "c", "d"]
    # c is reachable through b's tie, but we have no relationship with c yet
    assert o.general_reached == ["a"]
    assert o.penetration == pytest.approx(1 / 3)
    # i1 (event naming a person) and i9 (a day inside the window); i8 is 365 days back
    assert o.org_exchanges == 2 and o.org_exchange_ids == ["i9", "i1"]
    assert o.org_last == D(2026, 1, 10)
    assert o.relationships == {"key": 1, "general": 1, "organisational": 2}
    assert f.key_persons == ["e"] and f.key_covered == [] and f.key_uncovered == []
    assert f.key_share == 0.0
    assert f.general_persons == [] and f.penetration is None
    # i3 counts; the complaint i5 and the later agreement i6 do not
    assert f.org_exchanges == 1 and f.org_last == D(2026, 11, 1)


def test_organisational_relationships_per_organisation():
    result = relationship_kinds(build_network(build(), DAY))
    orgs = {o.org: o for o in result.organisational}
    assert set(orgs) == {"o", "od", "f", "gov"}
    assert orgs["od"].exchanges == 1 and orgs["od"].last == D(2025, 11, 29)
    assert orgs["od"].account == "o" and orgs["od"].owners == ["r1"]
    assert orgs["gov"].account is None and orgs["gov"].exchanges == 1
    assert [x.id for x in result.exchanges] == ["i2", "i8", "i9", "i1", "i7", "i3"]
    shorter = relationship_kinds(build_network(build(), DAY), window_days=30)
    assert [a.org_exchanges for a in shorter.accounts] == [0, 1]


def test_as_dict_is_plain():
    data = relationship_kinds(build_network(build(), DAY)).as_dict()
    assert data["relationships"][0]["kind"] in ("key", "general")
    assert data["key"]["b"]["roles"] == [["opp-o", "评审", "evaluator"]]
    assert data["accounts"][0]["penetration"] == 0.3333
