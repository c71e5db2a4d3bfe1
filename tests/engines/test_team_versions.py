"""Versions of a team's writes, without a server: conflicts, fingerprints, the sidecar."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stakegraph.engines.neo4j_push_check import changed_fields, conflicts
from stakegraph.engines.neo4j_team import (
    Conflict,
    fingerprint,
    read_versions,
    sidecar_path,
    write_versions,
)
from stakegraph.errors import StoreError


def test_files_at_the_servers_versions_have_no_conflict():
    server = {"Person:a": (1, "h", None), "Interaction:x": (3, "h", "lin")}
    assert conflicts(server, {"Person:a": 1, "Interaction:x": 3}) == []


def test_each_kind_of_conflict_against_the_pulled_versions():
    server = {
        "Person:a": (1, "h", None),  # as pulled
        "Action:b": (3, "h", "lin"),  # changed twice since: 1 → 3
        "Interaction:c": (1, "h", "lin"),  # added since
    }
    base = {"Person:a": 1, "Action:b": 1, "Assessment:d": 2}  # d deleted since
    assert conflicts(server, base) == [
        Conflict("Action:b", "changed", 1, 3, "lin"),
        Conflict("Assessment:d", "deleted", 2, None),
        Conflict("Interaction:c", "added", None, 1, "lin"),
    ]
    assert (
        str(conflicts(server, base)[0]) == "Action:b: changed on the server by lin (version 1 → 3)"
    )


def test_one_version_apart_is_a_conflict_and_equal_is_not():
    assert conflicts({"Action:b": (2, "h", None)}, {"Action:b": 1}) != []
    assert conflicts({"Action:b": (2, "h", None)}, {"Action:b": 2}) == []
    assert conflicts({"Action:b": (2, "h", None)}, {"Action:b": 3}) != []


def test_without_pulled_versions_only_team_writes_since_the_push_conflict():
    server = {
        "Person:a": (4, "h", None),
        "Action:b": (2, "h", "lin"),
        "Interaction:c": (1, "h", "wu"),
    }
    assert conflicts(server, None) == [
        Conflict("Action:b", "changed", None, 2, "lin"),
        Conflict("Interaction:c", "added", None, 1, "wu"),
    ]
    assert (
        str(conflicts(server, None)[0]) == "Action:b: changed on the server by lin (now version 2)"
    )


def test_the_fingerprint_ignores_position_and_bookkeeping_only():
    props = {"kind": "call", "date": dt.date(2026, 12, 1), "persons": ["a"]}
    same = {**props, "_seq": 9, "_version": 4, "_hash": "x", "_by": "lin"}
    assert fingerprint(props) == fingerprint(same)
    assert fingerprint(props) != fingerprint({**props, "persons": ["b"]})
    assert fingerprint(props) != fingerprint({**props, "notes": ""})


def test_the_sidecar_sits_in_the_folder_or_beside_a_workbook(tmp_path):
    assert sidecar_path(tmp_path) == tmp_path / ".stakegraph-versions.json"
    book = tmp_path / "city.xlsx"
    assert sidecar_path(book) == tmp_path / ".city.xlsx.stakegraph-versions.json"
    write_versions(tmp_path, "city", {"Interaction:a": 2})
    data = json.loads(sidecar_path(tmp_path).read_text(encoding="utf-8"))
    assert data == {"format": 1, "workspace": "city", "versions": {"Interaction:a": 2}}
    assert read_versions(tmp_path, "city") == {"Interaction:a": 2}
    assert read_versions(tmp_path, "other") is None  # pulled from another workspace
    assert read_versions(tmp_path / "none", "city") is None


def test_a_broken_sidecar_is_a_located_error(tmp_path):
    sidecar_path(tmp_path).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        read_versions(tmp_path, "city")
    message = str(caught.value)
    assert str(sidecar_path(tmp_path)) in message and "pull the workspace again" in message


def test_a_conflict_names_the_fields_a_push_would_replace():
    conflict = Conflict("Action:b", "changed", 1, 2, "lin", ("status",))
    assert str(conflict) == "Action:b: changed on the server by lin (version 1 → 2): status"
    stored = {"status": "done", "due": dt.date(2026, 12, 1), "scores__keys": ["a"],
              "scores__values": [1], "_version": 2, "_by": "lin", "id": "b"}  # fmt: skip
    mine = {**stored, "status": "planned", "scores__values": [2], "_version": 1}
    del mine["_by"]
    assert changed_fields(stored, mine) == ("scores", "status")
    assert changed_fields(stored, {**stored, "_seq": 4}) == ()
    assert changed_fields(stored, {k: v for k, v in stored.items() if k != "due"}) == ("due",)
