"""Analysis results as JSON rows: names, labels and rounding added on the views side."""

from __future__ import annotations

from stakegraph.analysis.influence import influence
from stakegraph.analysis.paths import warm_channels
from stakegraph.analysis.plan import engagement_plan
from stakegraph.analysis.relationships import relationship_levels
from stakegraph.graph.network import build_network
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
from stakegraph.views.labels import PHASE_LABELS
from stakegraph.views.rows import (
    channel_rows,
    influence_score_rows,
    plan_rows,
    relationship_rows,
)


def _network():
    return build_network(sample_workspace(), SAMPLE_DAY)


def test_channel_rows_name_every_step_and_round_to_four_places():
    network = _network()
    rows = channel_rows(network, warm_channels(network, "wang", k=3))
    assert rows == [
        {
            "rank": 1,
            "owner": "liu",
            "owner_name": "小刘",
            "persons": ["zhao", "wang"],
            "person_names": ["赵强", "王芳"],
            "strength": 0.4,
            "links": [0.8, 0.5],
            "hops": 1,
            "relationship": "liu~zhao",
        },
        # 李明 reports to 王芳: a report up the line, the only rows with ``steps``
        {
            "rank": 2,
            "owner": "chen",
            "owner_name": "陈总",
            "persons": ["li", "wang"],
            "person_names": ["李明", "王芳"],
            "strength": 0.3,
            "links": [0.6, 0.5],
            "hops": 1,
            "relationship": "chen~li",
            "steps": ["up"],
        },
        {
            "rank": 3,
            "owner": "liu",
            "owner_name": "小刘",
            "persons": ["zhao", "li", "wang"],
            "person_names": ["赵强", "李明", "王芳"],
            "strength": 0.2,
            "links": [0.8, 0.5, 0.5],
            "hops": 2,
            "relationship": "liu~zhao",
            "steps": ["up", "up"],
        },
    ]
    assert channel_rows(network, []) == []


def test_relationship_rows_show_levels_as_codes_and_dates_as_text():
    network = _network()
    standings = relationship_levels(network)
    rows = relationship_rows(network, standings)
    assert [(r["id"], r["strength"]) for r in rows] == [("liu~zhao", 0.8), ("chen~li", 0.6)]
    first = rows[0]
    assert first["owner_name"] == "小刘" and first["person_name"] == "赵强"
    assert first["computed_level"] == standings[0].computed_level.value
    assert first["last_contact"] == SAMPLE_DAY.isoformat()
    assert first["responsible"] is True
    assert relationship_rows(network, relationship_levels(network, person="wang")) == []


def test_relationship_rows_order_by_the_strength_shown_then_id():
    network = _network()
    a, b = relationship_levels(network)
    # equal once rounded to four places: the id decides, whatever order they came in
    close = [
        type(b)(**{**b.__dict__, "id": "b", "strength": 0.70001}),
        type(a)(**{**a.__dict__, "id": "a", "strength": 0.70004}),
    ]
    assert [r["id"] for r in relationship_rows(network, close)] == ["a", "b"]
    close[1] = type(a)(**{**a.__dict__, "id": "a", "strength": 0.69996})
    assert [r["id"] for r in relationship_rows(network, close)] == ["a", "b"]
    close[1] = type(a)(**{**a.__dict__, "id": "a", "strength": 0.69994})
    assert [r["id"] for r in relationship_rows(network, close)] == ["b", "a"]


def test_influence_score_rows_give_scores_and_parts_times_100():
    network = _network()
    result = influence(network, "portal")
    rows = influence_score_rows(network, result, top=2)
    assert [r["rank"] for r in rows] == [1, 2]
    for row in rows:
        assert row["name"] == network.workspace.persons[row["person"]].name
        assert row["score"] == round(100 * result.of(row["person"]), 4)
        assert abs(sum(row["parts"].values()) - row["score"]) < 1e-3
    assert len(influence_score_rows(network, result, top=None)) == network.size


def test_plan_rows_label_each_phase_and_name_the_owner():
    network = _network()
    targets = engagement_plan(network, "portal")
    rows = plan_rows(network, targets)
    assert [r["target"] for r in rows] == [t.target for t in targets]
    for row, target in zip(rows, targets, strict=True):
        assert row["phase_label"] == PHASE_LABELS[target.phase]
        assert row["action"] == target.action
        if target.responsible:
            assert row["responsible_name"] == network.workspace.owners[target.responsible].name
