"""Lifetimes and the tenure fields (title, acting, concurrent, on_leave) survive every
format: YAML, CSV, xlsx, GraphML, Popolo; and the Popolo importer leaves handover
overlaps visible instead of turning them into seats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest

from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.graphml import read_graphml, write_graphml
from stakegraph.io.popolo import from_popolo, max_overlap, popolo_part, to_popolo
from stakegraph.io.property_graph import as_of_view, build_graph, node_key
from stakegraph.records.workspace import Workspace
from tests.builders import DATA

STRUCTURE = DATA / "structure"


@pytest.fixture(scope="module")
def structure() -> Workspace:
    return load_workspace(STRUCTURE)


def test_the_fixture_uses_every_new_field(structure: Workspace) -> None:
    orgs, posts = structure.organisations, structure.posts
    assert orgs["xxzx"].end and orgs["dsj"].start and posts["sjzy"].end and posts["sjys"].start
    tenures = [t for p in structure.persons.values() for t in p.tenures]
    assert any(t.title for t in tenures) and any(t.acting for t in tenures)
    assert any(t.concurrent for t in tenures) and any(t.on_leave for t in tenures)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_lifetimes_and_tenures_round_trip_through_files(
    structure: Workspace, tmp_path: Path, fmt: str
) -> None:
    dest = tmp_path / ("book.xlsx" if fmt == "xlsx" else "out")
    save_workspace(structure, dest, fmt)
    back = load_workspace(dest)
    assert back == structure
    liu = back.persons["liu"].tenures[1]
    assert (liu.acting, liu.concurrent, liu.title) == (True, True, "副局长（主持工作）")
    assert back.organisations["xxzx"].end == dt.date(2019, 3, 1)


def test_lifetimes_and_tenures_round_trip_through_graphml(
    structure: Workspace, tmp_path: Path
) -> None:
    path = write_graphml(structure, tmp_path / "g.graphml")
    assert read_graphml(path) == structure


def test_lifetimes_and_tenures_round_trip_through_popolo(structure: Workspace) -> None:
    data = json.loads(json.dumps(to_popolo(structure), ensure_ascii=False))
    centre = next(o for o in data["organizations"] if o["id"] == "xxzx")
    assert centre["dissolution_date"] == "2019-03-01" and "stakegraph:end" not in centre
    renamed = next(p for p in data["posts"] if p["id"] == "sjys")
    assert renamed["start_date"] == "2024-01-01"
    acting = next(m for m in data["memberships"] if m["id"] == "liu~jz~1")
    assert acting["role"] == "副局长（主持工作）"
    assert acting["stakegraph:acting"] is True and acting["stakegraph:concurrent"] is True
    assert "stakegraph:on_leave" not in acting  # defaults are not written
    notes: list = []
    back = from_popolo(data, notes=notes)
    assert popolo_part(back) == popolo_part(structure)
    assert notes == []


def test_an_as_of_graph_honours_lifetimes_and_leave(structure: Workspace) -> None:
    G = build_graph(structure, as_of=dt.date(2025, 6, 1))
    centre = G.nodes[node_key("Post", "xxzx-zr")]
    assert (centre["live"], centre["vacant"], centre["holders"]) == (False, False, [])
    vm = G.nodes[node_key("Post", "vm")]
    assert (vm["live"], vm["vacant"]) == (True, True)  # its holder is on leave
    full = build_graph(structure)
    view = as_of_view(full, dt.date(2025, 6, 1))
    for post in ("xxzx-zr", "vm", "jz", "sjys"):
        key = node_key("Post", post)
        assert {k: view.nodes[key][k] for k in ("live", "vacant", "holders")} == {
            k: G.nodes[key][k] for k in ("live", "vacant", "holders")
        }
    assert isinstance(view, nx.MultiDiGraph)


# --- Popolo overlaps --------------------------------------------------------------------


def _directory(*memberships: tuple[str, str, str | None]) -> dict:
    return {
        "organizations": [{"id": "gov", "name": "江川市人民政府"}],
        "posts": [{"id": "mayor", "label": "市长", "organization_id": "gov"}],
        "persons": [{"id": pid, "name": pid} for pid, *_ in memberships],
        "memberships": [
            {"person_id": pid, "post_id": "mayor", "start_date": start}
            | ({"end_date": end} if end else {})
            for pid, start, end in memberships
        ],
    }


@pytest.mark.parametrize("end", ["2024-06-02", "2024-06-03"], ids=["1-day", "2-days"])
def test_popolo_import_keeps_a_handover_overlap_as_a_warning(end: str) -> None:
    data = _directory(("li", "2020-01-01", end), ("wang", "2024-06-01", None))
    ws = from_popolo(data, default_grade="正厅", source="jc.json")
    assert ws.posts["mayor"].seats == 1  # not an extra seat
    days = (dt.date.fromisoformat(end) - dt.date(2024, 6, 1)).days
    assert [(str(w.location), w.severity) for w in ws.warnings] == [
        ("jc.json at $.memberships[1]", "warning")
    ]
    assert f"handover overlap of {days} day" in ws.warnings[0].message
    assert max_overlap([(dt.date(2020, 1, 1), dt.date.fromisoformat(end))] * 2) == 2


def test_popolo_import_still_counts_real_co_holders_as_seats() -> None:
    data = _directory(("li", "2020-01-01", None), ("wang", "2024-06-01", None))
    ws = from_popolo(data, default_grade="正厅")
    assert ws.posts["mayor"].seats == 2 and ws.warnings == []


def test_popolo_import_of_a_long_overlap_gives_seats() -> None:
    # beyond [structure] handover_days it is two holders at once, as before
    data = _directory(("li", "2020-01-01", "2024-09-01"), ("wang", "2024-06-01", None))
    ws = from_popolo(data, default_grade="正厅")
    assert ws.posts["mayor"].seats == 2 and ws.warnings == []
