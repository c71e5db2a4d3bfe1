"""Relationships on a day (re-assessments, logged contacts) and accounts: hand-computed."""

import datetime as dt

import pytest

from stakegraph.graph.accounts import (
    account_persons,
    accounts,
    person_accounts,
    persons_by_account,
)
from stakegraph.graph.network import build_network
from stakegraph.graph.strength import relationship_strength
from stakegraph.graph.timeline import history, relationship_on, workspace_on
from stakegraph.io import load_workspace
from stakegraph.records.model import (
    Assessment,
    Interaction,
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    RelationshipLevel,
    Tie,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY


def _ws() -> Workspace:
    ws = Workspace()
    ws.add(Organisation(id="gov", name="市政府", kind="government"))
    ws.add(Organisation(id="bdb", name="大数据局", parent="gov"))
    ws.add(Organisation(id="bdb-div", name="建设科", parent="bdb", kind="division"))
    ws.add(Organisation(id="fin", name="财政局", parent="gov"))
    ws.add(Post(id="director", org="bdb", title="局长", grade=5, leadership=True))
    ws.add(Post(id="chief", org="bdb-div", title="科长", grade=3, reports_to="director"))
    ws.add(Post(id="fin-head", org="fin", title="局长", grade=5, leadership=True))
    ws.add(Person(id="xu", name="许", tenures=[{"post": "director"}]))
    ws.add(Person(id="he", name="何", tenures=[{"post": "chief", "end": dt.date(2026, 9, 1)}]))
    ws.add(Person(id="gao", name="高", tenures=[{"post": "fin-head"}]))
    ws.add(Owner(id="liu", name="刘", tier=3))
    ws.add(
        Relationship(
            owner="liu",
            person="xu",
            acceptance=2,
            participation=2,
            information=2,
            guidance=2,
            support=2,
            preference=2,
            level="preferred",
            since=dt.date(2025, 1, 1),
            last_contact=dt.date(2026, 5, 1),
        )
    )
    ws.add(Relationship(owner="liu", person="gao", support=5, since=dt.date(2026, 12, 1)))
    ws.add(Tie(a="xu", b="gao", since=dt.date(2026, 12, 24)))
    ws.add(
        Opportunity(
            id="brain",
            name="城市大脑",
            client="bdb",
            chain=[{"name": "预算", "roles": [{"post": "fin-head", "role": "budget_holder"}]}],
        )
    )
    return ws


def test_assessments_overlay_in_date_order_and_carry_over_left_out_scores():
    ws = _ws()
    rel = ws.relationships["liu~xu"]
    first = Assessment(owner="liu", person="xu", date=dt.date(2026, 6, 30), participation=4)
    second = Assessment(
        owner="liu", person="xu", date=dt.date(2026, 10, 31), support=5, level="partner"
    )
    snaps = history(rel, [first, second])
    assert [s.date for s in snaps] == [dt.date(2025, 1, 1), first.date, second.date]
    assert snaps[1].scores["participation"] == 4 and snaps[1].scores["support"] == 2
    assert snaps[2].scores["participation"] == 4 and snaps[2].scores["support"] == 5
    assert snaps[1].level == RelationshipLevel.PREFERRED  # carried over
    assert snaps[2].level == RelationshipLevel.PARTNER
    # Between the two assessments only the first applies.
    mid = relationship_on(rel, dt.date(2026, 8, 1), [first, second])
    assert (mid.participation, mid.support) == (4, 2)
    # Before both: the record itself, unchanged.
    assert relationship_on(rel, dt.date(2026, 1, 1), [first, second]) is rel


def test_logged_contact_refreshes_last_contact_only_when_later_and_not_in_the_future():
    rel = _ws().relationships["liu~xu"]
    contacts = [dt.date(2026, 3, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 5)]
    assert relationship_on(rel, DAY, contacts=contacts).last_contact == dt.date(2026, 11, 1)
    assert relationship_on(rel, dt.date(2026, 4, 1), contacts=contacts).last_contact == dt.date(
        2026, 5, 1
    )


def test_workspace_on_applies_log_and_leaves_out_future_relationships_and_ties():
    ws = _ws()
    ws.add(
        Interaction(
            id="v1", date=dt.date(2026, 11, 10), kind="visit", owners=["liu"], persons=["xu"]
        )
    )
    ws.add(Assessment(owner="liu", person="xu", date=dt.date(2026, 10, 31), support=5))
    view = workspace_on(ws, DAY)
    assert set(view.relationships) == {"liu~xu"}  # liu~gao starts 2026-12-01
    assert view.ties == {}  # the tie starts 2026-12-24
    rel = view.relationships["liu~xu"]
    assert rel.last_contact == dt.date(2026, 11, 10) and rel.support == 5
    # (5·2 + 5) / 30 = 0.5, decayed over 18 days with a half-life of 180
    assert relationship_strength(rel, DAY) == pytest.approx(0.5 * 0.5 ** (18 / 180))
    # The files' records are untouched, and the network sees the view.
    assert ws.relationships["liu~xu"].support == 2
    net = build_network(ws, DAY)
    assert net.relationship[net.owner_index["liu"], net.person_index["xu"]] == pytest.approx(
        0.5 * 0.5 ** (18 / 180)
    )
    assert net.relationship[net.owner_index["liu"], net.person_index["gao"]] == 0
    later = build_network(ws, dt.date(2026, 12, 31))
    assert later.relationship[later.owner_index["liu"], later.person_index["gao"]] > 0


def test_workspace_without_history_is_returned_as_it_is():
    ws = _ws()
    ws.remove("relationships", "liu~gao")
    ws.remove("ties", "xu~gao~other")
    assert workspace_on(ws, DAY) is ws


def test_accounts_take_suborganisations_and_chain_role_holders():
    ws = _ws()
    found = accounts(ws)
    assert [(a.org, a.orgs, a.opportunities) for a in found] == [
        ("bdb", ["bdb", "bdb-div"], ["brain"])
    ]
    # he left the division on 2026-09-01; gao is on the chain from the finance bureau.
    assert account_persons(ws, found[0], DAY) == ["xu", "gao"]
    assert account_persons(ws, found[0], dt.date(2026, 8, 1)) == ["xu", "he", "gao"]
    assert person_accounts(ws, DAY) == {"xu": ["bdb"], "gao": ["bdb"]}
    assert persons_by_account(ws, found, dt.date(2026, 8, 1)) == {"bdb": ["xu", "he", "gao"]}


def test_example_has_two_assessment_dates_and_they_change_the_analysis():
    ws = load_workspace("examples/smart-city")
    dates = {a.date for a in ws.assessments.values()}
    assert len(dates) >= 2
    before = build_network(ws, dt.date(2026, 6, 29)).workspace.relationships["zhang-lei~sun-wei"]
    mid = build_network(ws, dt.date(2026, 7, 1)).workspace.relationships["zhang-lei~sun-wei"]
    now = build_network(ws, DAY).workspace.relationships["zhang-lei~sun-wei"]
    assert (before.acceptance, mid.acceptance, now.acceptance) == (2, 3, 2)
    assert mid.level == RelationshipLevel.PREFERRED and now.level == RelationshipLevel.VENDOR
