"""Dated structure and names survive every format: YAML, CSV, xlsx, GraphML, Popolo;
plain values keep their plain form, and bad rows of the new child tables are located."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace, save_workspace
from stakegraph.io.graphml import read_graphml, write_graphml
from stakegraph.io.popolo import from_popolo, to_popolo
from stakegraph.io.property_graph import build_graph, graph_to_workspace, node_key
from stakegraph.io.pseudonymise import pseudonymise
from stakegraph.records.workspace import Workspace
from tests.builders import DATA, SMART_CITY

DATED = DATA / "structure" / "dated"
SWITCH = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def dated() -> Workspace:
    return load_workspace(DATED)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_dated_structure_round_trips_through_files(
    dated: Workspace, tmp_path: Path, fmt: str
) -> None:
    dest = tmp_path / ("book.xlsx" if fmt == "xlsx" else "out")
    save_workspace(dated, dest, fmt)
    back = load_workspace(dest)
    assert back == dated
    assert back.posts["vm-li"].oversees_on(SWITCH) == ["jyj", "dsj"]
    assert back.persons["chen"].name_on(SWITCH) == "陈晓"


def test_yaml_writes_plain_values_plainly_and_dated_ones_as_lists(
    dated: Workspace, tmp_path: Path
) -> None:
    save_workspace(dated, tmp_path / "out", "yaml")
    text = (tmp_path / "out" / "posts.yaml").read_text(encoding="utf-8")
    assert "reports_to: mayor" in text
    assert "  reports_to:\n  - post: vm-wang\n    end: 2026-06-01\n" in text
    assert "  oversees:\n  - czj\n  - org: dsj\n    end: 2026-06-01\n" in text


def test_csv_puts_dated_fields_whole_in_their_child_table(dated: Workspace, tmp_path: Path) -> None:
    save_workspace(dated, tmp_path / "out", "csv")

    def rows(name: str) -> list[str]:
        return (tmp_path / "out" / name).read_text(encoding="utf-8-sig").splitlines()

    assert rows("post_lines.csv") == [
        "post,field,value,start,end",
        "vm-wang,oversees,czj,,",
        "vm-wang,oversees,dsj,,2026-06-01",
        "vm-li,oversees,jyj,,",
        "vm-li,oversees,dsj,2026-06-01,",
        "dsj-jz,reports_to,vm-wang,,2026-06-01",
        "dsj-jz,reports_to,vm-li,2026-06-01,",
    ]
    posts = rows("posts.csv")
    assert posts[0].startswith("id,title,org,grade,leadership,reports_to,oversees,")
    assert posts[2].startswith(
        "vm-wang,副市长,gov,副厅,true,mayor,,"
    )  # oversees in the child table
    assert rows("organisation_lines.csv")[1:] == [
        "dsj,guided_by,yl-dsj,2026-06-01,",
        "zwb,parent,gov,,2026-06-01",
        "zwb,parent,dsj,2026-06-01,",
    ]
    assert rows("names.csv") == ["person,name,start,end", "chen,陈小红,,2026-04-15"]


def test_a_hand_written_csv_may_keep_the_plain_value_in_the_cell(
    dated: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    save_workspace(dated, out, "csv")
    posts = (out / "posts.csv").read_text(encoding="utf-8-sig")
    posts = posts.replace(
        "vm-li,副市长,gov,副厅,true,mayor,,", "vm-li,副市长,gov,副厅,true,mayor,jyj,"
    )
    (out / "posts.csv").write_text(posts, encoding="utf-8-sig")
    lines = (out / "post_lines.csv").read_text(encoding="utf-8-sig")
    (out / "post_lines.csv").write_text(
        # the field may be written in Chinese: 分管 is oversees
        lines.replace("vm-li,oversees,jyj,,\n", "").replace("vm-li,oversees,", "vm-li,分管,"),
        encoding="utf-8-sig",
    )
    assert load_workspace(out) == dated


def test_a_bad_row_of_post_lines_is_located(dated: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    save_workspace(dated, out, "csv")
    with (out / "post_lines.csv").open("a", encoding="utf-8") as f:
        f.write("mayor,overseas,dsj,,\n")
    with pytest.raises(WorkspaceInvalid) as info:
        load_workspace(out)
    [problem] = info.value.problems
    assert problem.message == "'overseas' is not a field of a post that can be dated."
    assert problem.hint == "write one of: reports_to, oversees (or 汇报, 上级, 分管)."
    assert (problem.location.file, problem.location.row) == ("post_lines.csv", 8)


def test_graph_edges_carry_the_periods(dated: Workspace) -> None:
    G = build_graph(dated)
    lines = [
        (G.nodes[v]["id"], d.get("start"), d.get("end"))
        for _, v, d in G.out_edges(node_key("Post", "dsj-jz"), data=True)
        if d["type"] == "REPORTS_TO"
    ]
    assert lines == [("vm-wang", None, SWITCH), ("vm-li", SWITCH, None)]
    assert graph_to_workspace(G) == dated
    # a person without dated names has no 'names' attribute, as before
    assert "names" not in G.nodes[node_key("Person", "wang")]


def test_dated_structure_round_trips_through_graphml(dated: Workspace, tmp_path: Path) -> None:
    assert read_graphml(write_graphml(dated, tmp_path / "g.graphml")) == dated


def test_popolo_carries_dated_names_as_other_names(dated: Workspace) -> None:
    data = json.loads(json.dumps(to_popolo(dated), ensure_ascii=False))
    chen = next(p for p in data["persons"] if p["id"] == "chen")
    assert chen["other_names"] == [{"name": "陈小红", "end_date": "2026-04-15"}, {"name": "陈局"}]
    zwb = next(o for o in data["organizations"] if o["id"] == "zwb")
    assert "parent_id" not in zwb
    assert zwb["stakegraph:parent"] == [
        {"org": "gov", "end_date": "2026-06-01"},
        {"org": "dsj", "start_date": "2026-06-01"},
    ]
    back = from_popolo(data, dated.settings)
    for collection in ("organisations", "posts", "persons"):
        assert back.as_data()[collection] == dated.as_data()[collection]


def test_popolo_names_with_dates_from_a_directory_are_dated_names() -> None:
    data = {
        "organizations": [{"id": "gov", "name": "市政府"}],
        "posts": [{"id": "p", "label": "市长", "organization_id": "gov"}],
        "persons": [
            {
                "id": "a",
                "name": "新名",
                "other_names": [
                    {"name": "旧名", "start_date": "2001-01-01", "end_date": "2020-05-01"}
                ],
            }
        ],
        "memberships": [],
    }
    person = from_popolo(data, default_grade=5).persons["a"]
    assert (person.aliases, person.name_on(dt.date(2020, 4, 30))) == ([], "旧名")


def test_a_private_copy_replaces_dated_names(dated: Workspace) -> None:
    copy = pseudonymise(dated, b"k" * 16)
    texts = json.dumps(copy.as_data(), ensure_ascii=False)
    assert "陈小红" not in texts and "陈晓" not in texts
    chen = next(p for p in copy.persons.values() if p.names)
    assert chen.names[0].end == dt.date(2026, 4, 15)


def test_plain_workspaces_are_written_as_before(tmp_path: Path) -> None:
    # every file of the example, written back, is what was written before dated values
    ws = load_workspace(SMART_CITY)
    save_workspace(ws, tmp_path / "a", "yaml")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    again = load_workspace(tmp_path / "b")
    save_workspace(again, tmp_path / "c", "yaml")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "c" / path.name).read_bytes()
    assert "names" not in (tmp_path / "a" / "persons.yaml").read_text(encoding="utf-8")
