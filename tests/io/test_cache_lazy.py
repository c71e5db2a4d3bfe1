"""Records read from the cache only when a command first asks for their collection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
import yaml

from stakegraph.graph.network import build_network
from stakegraph.graph.stored_network import network_on
from stakegraph.graph.tie_graph import channel_strength, pair_confidence, tie_confidence
from stakegraph.io import load_workspace
from stakegraph.records.model import RECORD_TYPES, Person, Tie
from stakegraph.records.record_collections import RecordCollections
from stakegraph.records.workspace import Workspace
from stakegraph.views.chain_gaps import gaps_report
from tests.builders import DAY

pytestmark = pytest.mark.usefixtures("own_cache_secret")

ORDER = [t.collection for t in RECORD_TYPES]


def _warm(path: Path) -> Workspace:
    load_workspace(path, cache=True)  # the first read stores every entry
    return load_workspace(path, cache=True)


def _same_matrix(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(a, part), getattr(b, part)), part


def test_a_warm_read_leaves_every_collection_pending(city: Path) -> None:
    ws = _warm(city)
    assert isinstance(ws.records, RecordCollections)
    plain = load_workspace(city)
    held = {c for c in ORDER if plain.records[c]}
    assert ws.records.pending == held
    assert len(ws.records) == len(ORDER) and all(c in ws.records for c in ORDER)


def test_a_collection_read_on_demand_is_the_one_read_at_once(city: Path) -> None:
    ws, plain = _warm(city), load_workspace(city)
    assert list(ws.persons) == list(plain.persons)  # the same ids in file order
    assert "persons" not in ws.records.pending and "ties" in ws.records.pending
    assert ws.persons is ws.records["persons"]  # read once, the same dict after
    assert [p.model_dump() for p in ws.persons.values()] == [
        p.model_dump() for p in plain.persons.values()
    ]
    assert list(ws.records) == ORDER  # listing reads the rest, in the record types' order
    assert not ws.records.pending
    assert ws == plain and ws.counts() == plain.counts()


def test_a_warm_gaps_reads_no_tie_and_answers_as_without_the_cache(city: Path) -> None:
    network_on(load_workspace(city, cache=True), DAY)  # stores the day's network
    ws = _warm(city)
    got = gaps_report(network_on(ws, DAY), "smart-city")
    assert "ties" in ws.records.pending
    assert got == gaps_report(build_network(load_workspace(city), DAY), "smart-city")


def test_ties_that_start_later_are_read_and_left_out_of_the_day(city: Path) -> None:
    early = dt.date(2012, 1, 1)  # after some ties' since, before others'
    network_on(load_workspace(city, cache=True), early)
    ws = _warm(city)
    network = network_on(ws, early)
    expected = build_network(load_workspace(city), early)
    assert 0 < len(expected.workspace.ties) < len(load_workspace(city).ties)
    assert list(network.workspace.ties) == list(expected.workspace.ties)


def test_the_kept_channel_steps_and_confidences_are_those_built(city: Path) -> None:
    network_on(load_workspace(city, cache=True), DAY)
    kept = network_on(_warm(city), DAY)
    built = build_network(load_workspace(city), DAY)
    _same_matrix(channel_strength(kept), channel_strength(built))
    _same_matrix(tie_confidence(kept), tie_confidence(built))


def test_with_every_step_read_alike_the_channel_steps_are_the_tie_strengths(city: Path) -> None:
    (city / "stakegraph.toml").write_text("[ties]\nagainst_deference = 1.0\n", encoding="utf-8")
    network_on(load_workspace(city, cache=True), DAY)
    kept = network_on(_warm(city), DAY)
    assert channel_strength(kept) is kept.tie_strength


def test_a_repeated_id_is_still_located_from_the_cache(city: Path) -> None:
    text = (city / "owners.yaml").read_text(encoding="utf-8")
    first = text.index("\n- ", text.index("\n- ") + 1)
    (city / "owners.yaml").write_text(text + text[text.index("\n- ") : first], encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(Exception) as caught:
            load_workspace(city, cache=True)
        messages.append(str(caught.value))
    assert "duplicate id" in messages[0] and messages[0] == messages[1]


# --- the mapping itself ----------------------------------------------------------------------
def _person(pid: str) -> Person:
    return Person(id=pid, name=pid)


def _tie(a: str, b: str, confidence: float) -> Tie:
    return Tie(a=a, b=b, kind="friend", confidence=confidence)


def _collections(calls: list[str]) -> RecordCollections:
    def read_both() -> dict:
        calls.append("both")
        return {"persons": {"p1": _person("p1")}, "ties": {}}

    pending = {"persons": read_both, "ties": read_both}
    return RecordCollections({"posts": {}}, pending, ["persons", "posts", "ties"])


def test_one_read_fills_every_collection_it_holds_once() -> None:
    calls: list[str] = []
    records = _collections(calls)
    assert list(records["persons"]) == ["p1"] and records.pending == frozenset()
    assert records["ties"] == {} and records.get("ties") == {} and calls == ["both"]
    assert records.get("absent") is None and "absent" not in records
    with pytest.raises(KeyError):
        records["absent"]  # noqa: B018


def test_collections_read_one_by_one_are_listed_in_the_record_types_order() -> None:
    def one(name: str) -> Any:
        return lambda: {name: {}}

    order = ["persons", "posts", "ties"]
    records = RecordCollections({}, {c: one(c) for c in order}, order)
    records["ties"], records["persons"], records["posts"]  # noqa: B018 - read, in this order
    assert records.pending == frozenset()
    assert list(records) == order and list(records.items()) == [(c, {}) for c in order]


def test_setting_or_deleting_a_pending_collection_never_reads_it() -> None:
    calls: list[str] = []
    records = _collections(calls)
    records["persons"] = {}
    del records["ties"]
    assert calls == [] and records.pending == frozenset()
    assert dict(records) == {"posts": {}, "persons": {}}


def test_a_shared_view_reads_through_its_source_and_keeps_the_order() -> None:
    calls: list[str] = []
    source = _collections(calls)
    view = source.shared({"posts": {"x": None}})  # type: ignore[dict-item]
    assert calls == [] and view.pending == {"persons", "ties"}
    assert view["ties"] is source["ties"] and calls == ["both"]
    assert list(view) == ["persons", "posts", "ties"] and view["posts"] == {"x": None}
    assert source["posts"] == {}


def test_pair_confidence_is_the_highest_of_the_pair_either_way() -> None:
    ws = Workspace()
    for pid in ("a", "b", "c"):
        ws.add(_person(pid))
    ws.add(_tie("a", "b", 0.6))
    ws.add(Tie(a="b", b="a", kind="classmate", confidence=0.9))
    ws.add(_tie("b", "c", 0.3))
    network = build_network(ws, DAY)
    matrix = tie_confidence(network)
    a, b, c = (network.person_index[p] for p in ("a", "b", "c"))
    assert pair_confidence(matrix, a, b) == pair_confidence(matrix, b, a) == 0.9
    assert pair_confidence(matrix, c, b) == 0.3
    assert pair_confidence(matrix, a, c) is None  # no tie: not a low confidence


@pytest.mark.parametrize(("threshold", "low"), [(0.89, False), (0.9, False), (0.91, True)])
def test_a_channel_is_of_low_confidence_just_above_its_ties(threshold: float, low: bool) -> None:
    from stakegraph.analysis.coverage import _low_confidence

    ws = Workspace()
    for pid in ("a", "b", "c"):
        ws.add(_person(pid))
    ws.add(_tie("a", "b", 0.9))
    network = build_network(ws, DAY)
    a, b, c = (network.person_index[p] for p in ("a", "b", "c"))
    assert _low_confidence(network, [a, b], 0, threshold) is low
    assert _low_confidence(network, [a, c], 0, threshold) is False  # no tie a–c


def _count_tie_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from stakegraph.graph import network as network_module

    calls: list[int] = []
    original = network_module.tie_matrices

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(network_module, "tie_matrices", counted)
    return calls


def test_an_edit_of_another_file_keeps_the_tie_matrices(city: Path, monkeypatch) -> None:
    from tests.io.test_cache_network import assert_same_network

    network_on(load_workspace(city, cache=True), DAY)
    calls = _count_tie_builds(monkeypatch)
    for name in ("interactions.yaml", "relationships.yaml", "posts.yaml"):
        with (city / name).open("a", encoding="utf-8") as out:
            out.write("\n# edited\n")
        got = network_on(load_workspace(city, cache=True), DAY)
        assert calls == [], name  # the rest of the network is built, the ties are kept
        built = build_network(load_workspace(city), DAY)
        assert_same_network(got, built)
        _same_matrix(tie_confidence(got), tie_confidence(built))
        calls.clear()


@pytest.mark.parametrize("name", ["ties.yaml", "persons.yaml", "stakegraph.toml"])
def test_an_edit_of_the_persons_ties_or_settings_builds_the_tie_matrices(
    city: Path, monkeypatch, name: str
) -> None:
    from tests.io.test_cache_network import assert_same_network

    network_on(load_workspace(city, cache=True), DAY)
    calls = _count_tie_builds(monkeypatch)
    with (city / name).open("a", encoding="utf-8") as out:
        out.write("\n# edited\n")
    got = network_on(load_workspace(city, cache=True), DAY)
    assert len(calls) >= 1
    assert_same_network(got, build_network(load_workspace(city), DAY))


def _count_structure_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from stakegraph.graph import network as network_module

    calls: list[int] = []
    original = network_module._structure

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(network_module, "_structure", counted)
    return calls


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("interactions.yaml", True),
        ("relationships.yaml", True),
        ("ties.yaml", True),
        ("assessments.yaml", True),
        ("persons.yaml", False),
        ("posts.yaml", False),
        ("organisations.yaml", False),
        ("owners.yaml", False),
        ("stakegraph.toml", False),
    ],
)
def test_the_formal_structure_is_kept_unless_its_files_change(
    city: Path, monkeypatch, name: str, kept: bool
) -> None:
    from tests.io.test_cache_network import assert_same_network

    network_on(load_workspace(city, cache=True), DAY)
    calls = _count_structure_builds(monkeypatch)
    with (city / name).open("a", encoding="utf-8") as out:
        out.write("\n# edited\n")
    got = network_on(load_workspace(city, cache=True), DAY)
    assert calls == ([] if kept else [1])
    assert_same_network(got, build_network(load_workspace(city), DAY))


def test_a_new_holder_builds_the_structure_again(city: Path) -> None:
    from tests.io.test_cache_network import assert_same_network

    before = network_on(load_workspace(city, cache=True), DAY)
    path = city / "persons.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    post = records[0]["tenures"][-1]["post"]
    records[0]["tenures"][-1]["end"] = dt.date(2026, 1, 1)
    records[1]["tenures"].append({"post": post, "start": dt.date(2026, 1, 1)})
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), "utf-8")
    got = network_on(load_workspace(city, cache=True), DAY)
    assert got.posts != before.posts and not np.array_equal(got.grade, before.grade)
    assert_same_network(got, build_network(load_workspace(city), DAY))
