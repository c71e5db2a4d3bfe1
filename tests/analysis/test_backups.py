"""Backup owners (B角) beside the responsible owner (A角): coverage, the SINGLE_THREADED
gap, an owner leaving in a what-if, and the backup the plan proposes."""

from __future__ import annotations

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.plan import engagement_plan
from stakegraph.analysis.whatif import Change, apply_changes, what_if
from stakegraph.graph.network import build_network
from stakegraph.records.model import (
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Relationship,
    Tenure,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, full_scores


@pytest.fixture
def ws() -> Workspace:
    """One step, one evaluator, known only by ``a`` (responsible); ``b`` and ``c`` know
    nobody on the chain."""
    w = Workspace()
    w.add(Organisation(id="o", name="局"))
    w.add(Post(id="eval", org="o", title="科长", grade=3))
    w.add(Person(id="ev", name="评估者", tenures=[Tenure(post="eval")]))
    w.add(Owner(id="a", name="甲", tier=1, capacity=5))
    w.add(Owner(id="b", name="乙", tier=1, capacity=5))
    w.add(Owner(id="c", name="丙", tier=1, capacity=5))
    w.add(
        Relationship(**full_scores(4, owner="a", person="ev", responsible=True, last_contact=DAY))
    )
    w.add(
        Opportunity(
            id="opp",
            name="项目",
            client="o",
            chain=[{"name": "评审", "roles": [{"post": "eval", "role": "evaluator"}]}],
        )
    )
    return w


def _gaps(ws: Workspace, person: str = "ev") -> set[str]:
    result = coverage(build_network(ws, DAY), "opp")
    return {g.kind.value for g in result.gaps if g.person == person}


def test_a_sole_owner_without_a_backup_is_single_threaded_and_a_backup_ends_it(ws):
    assert "SINGLE_THREADED" in _gaps(ws)
    ws.relationships["a~ev"].backup = "b"
    assert "SINGLE_THREADED" not in _gaps(ws)
    holder = coverage(build_network(ws, DAY), "opp").holders[0]
    assert holder.backups == ["b"] and holder.owners == ["a"]
    # the backup adds no cover: it is a name, not a relationship
    assert holder.cover == pytest.approx(0.8)


def test_over_capacity_stays_single_threaded_with_a_backup(ws):
    ws.relationships["a~ev"].backup = "b"
    ws.owners["a"].capacity = 0  # one responsible person: load 1 > capacity 0
    assert "SINGLE_THREADED" in _gaps(ws)
    ws.owners["a"].capacity = 1  # load 1 = capacity 1: not over
    assert "SINGLE_THREADED" not in _gaps(ws)


def test_the_backup_takes_over_when_the_responsible_owner_leaves(ws):
    without = what_if(ws, "opp", DAY, [Change("owner_leaves", "a")])
    assert "NO_OWNER" in {g.kind.value for g in without.gap_moves.opened}
    ws.relationships["a~ev"].backup = "b"
    changed = apply_changes(ws, [Change("owner_leaves", "a")], DAY)
    taken = changed.relationships["b~ev"]
    assert taken.responsible and taken.backup is None and taken.acceptance == 0
    result = what_if(ws, "opp", DAY, [Change("owner_leaves", "a")])
    opened = {g.kind.value for g in result.gap_moves.opened}
    assert (
        "NO_OWNER" not in opened
        and "UNCOVERED" in {c.after.kind.value for c in result.gap_moves.changed_kind} | opened
    )


def test_a_backup_who_knows_the_person_keeps_their_scores_when_taking_over(ws):
    ws.relationships["a~ev"].backup = "b"
    ws.add(Relationship(**full_scores(2, owner="b", person="ev", last_contact=DAY)))
    changed = apply_changes(ws, [Change("owner_leaves", "a")], DAY)
    taken = changed.relationships["b~ev"]
    assert taken.responsible and taken.acceptance == 2
    assert ws.relationships["b~ev"].responsible is False  # the original is untouched


def test_a_leaving_backup_is_dropped_from_the_relationship(ws):
    ws.relationships["a~ev"].backup = "b"
    changed = apply_changes(ws, [Change("owner_leaves", "b")], DAY)
    assert changed.relationships["a~ev"].backup is None
    assert changed.relationships["a~ev"].responsible


def test_the_plan_keeps_a_named_backup_and_proposes_one_where_missing(ws):
    (row,) = engagement_plan(build_network(ws, DAY), "opp")
    assert row.responsible == "a" and row.backup_proposed
    # no channel but a's: the owners by spare capacity, tier, then id
    assert row.backup == "b"
    ws.relationships["a~ev"].backup = "c"
    (row,) = engagement_plan(build_network(ws, DAY), "opp")
    assert (row.backup, row.backup_proposed) == ("c", False)


def test_the_proposed_backup_prefers_an_owner_who_knows_the_target_and_has_capacity(ws):
    ws.add(Relationship(**full_scores(1, owner="c", person="ev", last_contact=DAY)))
    (row,) = engagement_plan(build_network(ws, DAY), "opp")
    assert row.backup == "c"  # the second channel's owner, before b who knows nobody
    # spare capacity 0 (capacity 1, already responsible for someone else) skips c
    ws.add(Person(id="other", name="其他"))
    ws.add(Relationship(**full_scores(1, owner="c", person="other", responsible=True)))
    ws.owners["c"].capacity = 1
    (row,) = engagement_plan(build_network(ws, DAY), "opp")
    assert row.backup == "b"
    ws.owners["c"].capacity = 2  # spare 1: c again
    (row,) = engagement_plan(build_network(ws, DAY), "opp")
    assert row.backup == "c"


def test_no_backup_is_proposed_when_nobody_else_has_capacity(ws):
    ws.owners["b"].capacity = 0
    ws.owners["c"].capacity = 0
    (row,) = engagement_plan(build_network(ws, DAY), "opp")
    assert row.backup is None and not row.backup_proposed
