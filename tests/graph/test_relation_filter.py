"""Relation filters: each option at its boundary, the memo, and how parallel ties combine."""

import typing

import numpy as np
import pytest

from stakegraph.analysis.influence import influence
from stakegraph.config import Settings, TieKindName, TieSettings
from stakegraph.graph.network import build_network, tie_matrices
from stakegraph.graph.relation_filter import (
    ALL_TIES,
    FilteredNetwork,
    RelationFilter,
    applied_filter,
    filtered_network,
)
from stakegraph.records.model import Person, Tie, TieKind
from stakegraph.records.workspace import Workspace
from tests.builders import DAY, SMART_CITY


def workspace_of(ties: list[Tie], persons: list[str], settings: Settings | None = None):
    ws = Workspace(settings)
    for pid in persons:
        ws.add(Person(id=pid, name=pid.upper()))
    for tie in ties:
        ws.add(tie)
    return ws


TIES = [
    Tie(a="a", b="b", kind="mentor", confidence=0.6, tags=["audit"], source="interview"),
    Tie(a="b", b="c", kind="family", confidence=0.9, tags=["kin"], source="register"),
    Tie(a="c", b="d", kind="classmate", confidence=0.3),
]


def kept(relations: RelationFilter) -> list[str]:
    network = build_network(workspace_of(TIES, ["a", "b", "c", "d"]), DAY)
    return sorted(filtered_network(network, relations).workspace.ties)


@pytest.mark.parametrize(
    ("minimum", "expected"),
    [
        (0.59, ["a~b~mentor", "b~c~family"]),  # just below the mentor tie's 0.6: kept
        (0.6, ["a~b~mentor", "b~c~family"]),  # at it: kept
        (0.61, ["b~c~family"]),  # just above: dropped
        (0.9, ["b~c~family"]),
        (0.91, []),
    ],
)
def test_min_confidence_boundary(minimum, expected):
    assert kept(RelationFilter.of(min_confidence=minimum)) == expected


def test_kind_tag_and_source_each_keep_exactly_theirs():
    assert kept(RelationFilter.of(kinds=["mentor"])) == ["a~b~mentor"]
    assert kept(RelationFilter.of(kinds=["师生", "family"])) == ["a~b~mentor", "b~c~family"]
    assert kept(RelationFilter.of(tags=["kin"])) == ["b~c~family"]
    assert kept(RelationFilter.of(tags=["kin", "audit"])) == ["a~b~mentor", "b~c~family"]
    assert kept(RelationFilter.of(tags=["none-has-it"])) == []
    assert kept(RelationFilter.of(sources=["interview"])) == ["a~b~mentor"]
    # all restrictions at once: a tie must pass every one
    both = RelationFilter.of(kinds=["mentor", "family"], sources=["register"], min_confidence=0.5)
    assert kept(both) == ["b~c~family"]


def test_bad_values_are_refused():
    with pytest.raises(ValueError):
        RelationFilter.of(kinds=["enemy"])
    with pytest.raises(ValueError, match="min_confidence"):
        RelationFilter(min_confidence=1.01)


def test_no_filter_is_the_network_itself_and_a_filter_is_built_once():
    network = build_network(workspace_of(TIES, ["a", "b", "c", "d"]), DAY)
    assert filtered_network(network, None) is network
    assert filtered_network(network, RelationFilter()) is network
    assert applied_filter(network) is ALL_TIES
    mentor = RelationFilter.of(kinds=["mentor"])
    first = filtered_network(network, mentor)
    assert FilteredNetwork(mentor) in network.memo
    assert filtered_network(network, RelationFilter.of(kinds=[TieKind.MENTOR])) is first
    assert applied_filter(first) == mentor
    # the filtered network has a memo of its own; formal structure is shared
    assert first.memo is not network.memo
    assert first.person_index is network.person_index
    # only a–b remains, both ways (undirected), at strength × confidence = 0.5 × 0.6
    assert first.tie_strength.toarray()[0].tolist() == pytest.approx([0, 0.3, 0, 0])
    assert first.tie_deference.nnz == 2


def test_filtered_influence_equals_a_workspace_with_only_those_ties():
    """Independent construction: a workspace written with the kept ties only."""
    full = build_network(workspace_of(TIES, ["a", "b", "c", "d"]), DAY)
    kinship = RelationFilter.of(kinds=["family", "classmate"])
    by_filter = influence(filtered_network(full, kinship))
    written = build_network(workspace_of(TIES[1:], ["a", "b", "c", "d"]), DAY)
    assert by_filter.score == pytest.approx(influence(written).score, abs=1e-12)
    assert by_filter.score != pytest.approx(influence(full).score, abs=1e-6)


def test_filters_reach_the_example_commands_analyses():
    from stakegraph.io import load_workspace

    network = build_network(load_workspace(SMART_CITY), DAY)
    none = filtered_network(network, RelationFilter.of(min_confidence=1.0))
    confident = [t for t in network.workspace.ties.values() if t.confidence >= 1.0]
    assert len(none.workspace.ties) == len(confident) < len(network.workspace.ties)
    assert none.formal is network.formal and none.relationship is network.relationship


# --- parallel ties --------------------------------------------------------------------
PARALLEL = [Tie(a="x", b="y", kind="classmate", strength=0.5), Tie(a="x", b="y", strength=0.4)]


@pytest.mark.parametrize(
    ("deference", "strength", "expected_deference", "expected_strength"),
    [
        ("sum", "max", 0.9, 0.5),  # the defaults, unchanged
        ("max", "max", 0.5, 0.5),
        ("sum", "noisy_or", 0.9, 1 - 0.5 * 0.6),  # 0.7
    ],
)
def test_parallel_ties_combine_as_set(deference, strength, expected_deference, expected_strength):
    settings = TieSettings(deference=deference, strength=strength)
    dmat, smat = tie_matrices(PARALLEL, {"x": 0, "y": 1}, settings)
    assert dmat[0, 1] == pytest.approx(expected_deference)
    assert dmat[1, 0] == pytest.approx(expected_deference)
    assert smat[0, 1] == pytest.approx(expected_strength)
    assert smat[1, 0] == pytest.approx(expected_strength)


def test_default_settings_build_the_same_matrices_as_before():
    ws = workspace_of(PARALLEL, ["x", "y"])
    network = build_network(ws, DAY)
    assert network.tie_deference.toarray().tolist() == [[0, 0.9], [0.9, 0]]
    assert network.tie_strength.toarray().tolist() == [[0, 0.5], [0.5, 0]]
    noisy = Settings(ties=TieSettings(strength="noisy_or", deference="max"))
    other = build_network(workspace_of(PARALLEL, ["x", "y"], noisy), DAY)
    assert other.tie_strength.toarray()[0, 1] == pytest.approx(0.7)
    assert other.tie_deference.toarray()[0, 1] == pytest.approx(0.5)


def test_noisy_or_stays_in_unit_interval():
    ties = [Tie(a="x", b="y", kind=k, strength=1.0) for k in ("friend", "family", "other")]
    _, smat = tie_matrices(ties, {"x": 0, "y": 1}, TieSettings(strength="noisy_or"))
    assert smat[0, 1] == 1.0
    assert np.all(smat.data <= 1.0)


def test_settings_kind_names_are_the_tie_kinds():
    assert set(typing.get_args(TieKindName)) == {k.value for k in TieKind}
