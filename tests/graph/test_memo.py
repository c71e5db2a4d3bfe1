"""The network's memo: one build per key, parameters apart, kinds apart, clearing."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import pytest

from stakegraph.analysis.brokerage import PersonGraphEdges, constraint
from stakegraph.analysis.coverage import WarmCoverWithin, warm_cover
from stakegraph.analysis.influence import TransitionMatrices, influence
from stakegraph.graph.memo import Memo, MemoKey
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
from tests.builders import DAY, SMART_CITY


@dataclass(frozen=True)
class Squares(MemoKey[list[int]]):
    up_to: int


@dataclass(frozen=True)
class Cubes(MemoKey[list[int]]):
    up_to: int


@dataclass(frozen=True)
class Nothing(MemoKey[None]):
    pass


class Counting:
    """A builder that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_build_is_called_once_per_key_and_the_same_object_comes_back():
    memo = Memo()
    build = Counting([0, 1, 4])
    first = memo.get_or_build(Squares(3), build)
    again = memo.get_or_build(Squares(3), build)
    assert build.calls == 1
    assert first is again is build.value
    assert Squares(3) in memo and len(memo) == 1


def test_distinct_parameters_and_distinct_kinds_are_distinct_entries():
    memo = Memo()
    squares3, squares4, cubes3 = Counting([0, 1, 4]), Counting([0, 1, 4, 9]), Counting([0, 1, 8])
    assert memo.get_or_build(Squares(3), squares3) == [0, 1, 4]
    assert memo.get_or_build(Squares(4), squares4) == [0, 1, 4, 9]
    # equal fields, another kind: never the squares' entry
    assert memo.get_or_build(Cubes(3), cubes3) == [0, 1, 8]
    assert (squares3.calls, squares4.calls, cubes3.calls) == (1, 1, 1)
    assert len(memo) == 3
    assert set(memo) == {Squares(3), Squares(4), Cubes(3)}


def test_a_value_of_none_is_kept_and_not_built_again():
    memo = Memo()
    build = Counting(None)
    assert memo.get_or_build(Nothing(), build) is None
    assert memo.get_or_build(Nothing(), build) is None
    assert build.calls == 1


def test_get_does_not_build():
    memo = Memo()
    assert memo.get(Squares(2)) is None
    assert len(memo) == 0
    memo.get_or_build(Squares(2), lambda: [0, 1])
    assert memo.get(Squares(2)) == [0, 1]
    assert memo.get(Cubes(2)) is None


def test_a_failing_build_keeps_nothing():
    memo = Memo()

    def broken() -> list[int]:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        memo.get_or_build(Squares(1), broken)
    assert Squares(1) not in memo
    assert memo.get_or_build(Squares(1), lambda: [0]) == [0]


def test_clear_forgets_everything_or_one_kind_whatever_its_parameters():
    memo = Memo()
    for n in (2, 3):
        memo.get_or_build(Squares(n), lambda: [])
        memo.get_or_build(Cubes(n), lambda: [])
    memo.clear(Squares)
    assert set(memo) == {Cubes(2), Cubes(3)}
    memo.clear(Squares)  # nothing of that kind left: no error
    assert len(memo) == 2
    build = Counting([0, 1, 4])
    memo.get_or_build(Squares(3), build)
    assert build.calls == 1  # built again after clearing
    memo.clear()
    assert len(memo) == 0 and list(memo) == []


def test_keys_are_frozen_and_compare_by_kind_and_parameters():
    key = Squares(3)
    with pytest.raises(FrozenInstanceError):
        key.up_to = 4  # type: ignore[misc]
    assert key == Squares(3) and hash(key) == hash(Squares(3))
    assert key != Cubes(3) and key != Squares(4)


def test_the_network_keeps_what_the_analyses_derive():
    network = build_network(sample_workspace(), SAMPLE_DAY)
    assert len(network.memo) == 0
    cover = warm_cover(network, max_hops=1)
    assert warm_cover(network, max_hops=1) is cover
    assert warm_cover(network, max_hops=2) is not cover  # another hop bound, another entry
    assert {WarmCoverWithin(1), WarmCoverWithin(2)} <= set(network.memo)
    influence(network)
    s = network.workspace.settings.influence
    assert TransitionMatrices(s.formal, s.oversight, s.tie) in network.memo
    before = constraint(network)
    edges = network.memo.get(PersonGraphEdges())
    assert edges is not None
    network.memo.clear(PersonGraphEdges)
    assert PersonGraphEdges() not in network.memo
    assert WarmCoverWithin(1) in network.memo  # other kinds stay
    assert constraint(network).tolist() == pytest.approx(before.tolist(), nan_ok=True)
    assert network.memo.get(PersonGraphEdges()) is not edges  # rebuilt


def test_the_network_carries_the_workspace_as_handed_in():
    workspace = load_workspace(SMART_CITY)  # re-assessed relationships: an overlay applies
    network = build_network(workspace, DAY)
    assert network.source_workspace is workspace
    assert network.workspace is not workspace  # the as-of view of that day
    changed = [
        rid
        for rid, rel in workspace.relationships.items()
        if rel != network.workspace.relationships[rid]
    ]
    assert changed  # the source keeps them as typed
    assert "memo" not in repr(network) and "source_workspace" not in repr(network)
