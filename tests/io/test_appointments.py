"""Importing appointment tables: ids, matching, re-runs, updates and located errors."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from stakegraph.errors import ImportInvalid, StakegraphError
from stakegraph.io import load_workspace
from stakegraph.io.appointments import Mapping, header_key, load_mapping, parse_day
from stakegraph.io.appointments_import import import_appointments
from stakegraph.records.naming import person_slug, text_slug
from tests.builders import DATA, snapshot

HERE = DATA / "appointments"
CABINET = HERE / "cabinet.csv"


def _copy(tmp_path: Path, name: str = "cabinet.csv") -> Path:
    target = tmp_path / name
    shutil.copyfile(HERE / name, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _imported(tmp_path: Path, fmt: str = "yaml") -> Path:
    ws = tmp_path / ("ws.xlsx" if fmt == "xlsx" else "ws")
    import_appointments(ws, CABINET, fmt=fmt)
    return ws


# --- ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("刘德华", "liu-dehua"),
        ("欧阳修", "ouyang-xiu"),
        ("单雪梅", "shan-xuemei"),
        ("吕布", "lv-bu"),
        ("王 伟", "wang-wei"),
        ("Nancy Pelosi", "nancy-pelosi"),
        ("José Álvarez", "jose-alvarez"),
    ],
)
def test_person_ids_are_pinyin_surname_then_given_name(name: str, slug: str) -> None:
    assert person_slug(name) == slug


def test_other_names_get_one_syllable_per_hyphen() -> None:
    assert text_slug("工业和信息化部") == "gong-ye-he-xin-xi-hua-bu"
    assert text_slug("Ministry of Finance") == "ministry-of-finance"
    assert len(text_slug("国家发展和改革委员会" * 5)) <= 60


def test_header_names_and_dates() -> None:
    assert header_key("任职开始（年月）") == "任职开始"
    assert parse_day("1998.03.10") == (dt.date(1998, 3, 10), None)
    assert parse_day("20180316") == (dt.date(2018, 3, 16), None)
    assert parse_day("2018年3月") == (dt.date(2018, 3, 1), "month")
    assert parse_day("2018") == (dt.date(2018, 1, 1), "year")
    assert parse_day("2018-13-01") == (None, None)
    assert parse_day("soon") == (None, None)


# --- a new workspace ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_import_into_an_empty_workspace(tmp_path: Path, fmt: str) -> None:
    ws_path = _imported(tmp_path, fmt)
    ws = load_workspace(ws_path)
    assert ws.counts()["organisations"] == 4
    assert ws.counts()["posts"] == 6
    assert ws.counts()["persons"] == 8
    assert sum(len(p.tenures) for p in ws.persons.values()) == 15
    # one minister moving between ministries stays one person
    keane = ws.persons["robert-keane"]
    assert [t.post for t in keane.tenures] == [
        "ministry-of-posts-and-telecommunications~minister",
        "ministry-of-information-industry~minister",
    ]
    assert keane.born == 1941
    acting = [t for t in ws.persons["samuel-reyes"].tenures if t.acting]
    assert [(t.post, t.start, t.end) for t in acting] == [
        ("ministry-of-finance~minister", dt.date(2003, 3, 17), dt.date(2003, 6, 30))
    ]
    assert ws.posts["ministry-of-finance~minister"].grade == 9
    assert ws.posts["ministry-of-finance~deputy-minister"].grade == 8
    # two deputies at once: two seats; the handover and the acting minister add none
    assert ws.posts["ministry-of-finance~deputy-minister"].seats == 2
    assert ws.posts["ministry-of-posts-and-telecommunications~minister"].seats == 1
    assert ws.posts["ministry-of-finance~minister"].seats == 1
    # the only warning is the handover of 1993-03-15/16
    assert len(ws.warnings) == 1
    assert "handover overlap of 1 day" in ws.warnings[0].message


def test_gb18030_and_xlsx_read_the_same_rows(tmp_path: Path) -> None:
    zh = import_appointments(tmp_path / "zh", HERE / "cabinet-gb18030.csv")
    book = import_appointments(tmp_path / "book", HERE / "cabinet.xlsx")
    plain = import_appointments(tmp_path / "plain", CABINET)
    assert zh.counts() == book.counts() == plain.counts()
    ws = load_workspace(tmp_path / "zh")
    assert set(ws.organisations) == {
        "you-dian-bu",
        "xin-xi-chan-ye-bu",
        "gong-ye-he-xin-xi-hua-bu",
        "cai-zheng-bu",
    }
    assert ws.persons["shan-xuemei"].name == "单雪梅"
    zhang = ws.persons["zhang-wei"]
    assert [t.acting for t in zhang.tenures] == [False, True, False]  # 主持工作
    assert "hometown:山东烟台" in zhang.tags and "school:中国人民大学" in zhang.tags
    assert ws.persons["zeng-zhigang"].tenures[0].end is None  # 至今
    assert snapshot(tmp_path / "book") == snapshot(tmp_path / "plain")


def test_legislature_with_committees_and_a_mapping(tmp_path: Path) -> None:
    mapping = load_mapping(HERE / "legislature.toml")
    result = import_appointments(tmp_path / "hill", HERE / "legislature.csv", mapping=mapping)
    ws = load_workspace(tmp_path / "hill")
    assert result.counts()["tenure"]["added"] == 10
    assert ws.organisations["committee-on-appropriations"].kind.value == "committee"
    assert ws.organisations["house-of-representatives"].kind.value == "congress"
    assert ws.posts["committee-on-appropriations~member"].seats == 3
    assert ws.posts["house-of-representatives~representative"].grade == 7
    titles = [(t.title, t.start) for t in ws.persons["ben-douglas"].tenures if t.title]
    assert titles == [("Ranking Member", dt.date(2013, 1, 3)), ("Chair", dt.date(2017, 1, 3))]


# --- re-runs and updates ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, fmt: str) -> None:
    ws = _imported(tmp_path, fmt)
    before = snapshot(ws)
    again = import_appointments(ws, CABINET)
    assert again.changes == [] and again.written == []
    assert snapshot(ws) == before


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_an_updated_file_adds_and_ends_what_changed(tmp_path: Path, fmt: str) -> None:
    ws_path = _imported(tmp_path, fmt)
    updated = _copy(tmp_path)
    _edit(
        updated,
        "Tom Becker,Minister,Ministry of Industry and Information Technology,2013-03-16,,,9,1958",
        "Tom Becker,Minister,Ministry of Industry and Information Technology,2013-03-16,"
        "2018-03-19,,9,1958\n"
        "Nina Park,Minister,Ministry of Industry and Information Technology,2018-03-19,,,9,1964",
    )
    dry = import_appointments(ws_path, updated, dry_run=True)
    assert (
        dry.written == [] and load_workspace(ws_path).persons["tom-becker"].tenures[0].end is None
    )
    result = import_appointments(ws_path, updated)
    assert result.counts()["person"] == {"added": 1, "changed": 1, "removed": 0}
    assert result.counts()["tenure"] == {"added": 1, "changed": 1, "removed": 0}
    assert result.counts()["organisation"]["added"] == result.counts()["post"]["changed"] == 0
    changed = [c for c in result.changes if c.action == "changed" and c.kind == "tenure"]
    assert [(c.id, c.fields) for c in changed] == [
        ("tom-becker~ministry-of-industry-and-information-technology~minister~2013-03-16", ("end",))
    ]
    ws = load_workspace(ws_path)
    assert ws.persons["tom-becker"].tenures[0].end == dt.date(2018, 3, 19)
    assert ws.persons["nina-park"].tenures[0].start == dt.date(2018, 3, 19)
    # ids made in the first run are reused, none doubled
    assert ws.counts()["persons"] == 9 and ws.counts()["posts"] == 6
    assert import_appointments(ws_path, updated).changes == []


def test_existing_records_are_matched_by_id_else_by_name(tmp_path: Path) -> None:
    ws_path = _imported(tmp_path)
    table = tmp_path / "more.csv"
    table.write_text(
        "name,person id,post,organisation,org id,start,rank\n"
        "Helen Ashford,,Adviser,Ministry of Finance,,2004-01-01,8\n"
        "Someone Else,robert-keane,Adviser,,ministry-of-finance,2004-01-01,8\n",
        encoding="utf-8",
    )
    result = import_appointments(ws_path, table)
    ws = load_workspace(ws_path)
    assert ws.counts()["persons"] == 8  # both rows named existing persons
    assert "ministry-of-finance~adviser" in ws.posts
    assert ws.posts["ministry-of-finance~adviser"].seats == 2
    assert {c.id for c in result.changes if c.kind == "person"} == {
        "helen-ashford",
        "robert-keane",
    }


def test_a_name_taken_by_another_record_gets_a_suffix(tmp_path: Path) -> None:
    ws_path = _imported(tmp_path)
    table = tmp_path / "more.csv"
    table.write_text(
        "name,post,organisation,start,rank\nGrace-Lin,Minister,Ministry of Trade,1980-01-01,9\n",
        encoding="utf-8",
    )
    import_appointments(ws_path, table)
    ws = load_workspace(ws_path)
    assert ws.persons["grace-lin"].name == "Grace Lin"
    assert ws.persons["grace-lin-2"].name == "Grace-Lin"


def test_two_persons_of_one_name_need_an_id(tmp_path: Path) -> None:
    ws_path = _imported(tmp_path)
    table = tmp_path / "more.csv"
    table.write_text(
        "name,person id,post,organisation,start,rank\n"
        "Grace Lin,grace-lin-senior,Minister,Ministry of Trade,1980-01-01,9\n",
        encoding="utf-8",
    )
    import_appointments(ws_path, table)
    # the one who served at Finance is found by her organisation
    table.write_text(
        "name,post,organisation,start,rank\nGrace Lin,Adviser,Ministry of Finance,1999-01-01,8\n",
        encoding="utf-8",
    )
    result = import_appointments(ws_path, table)
    assert [c.id for c in result.changes if c.kind == "person"] == ["grace-lin"]
    table.write_text(
        "name,post,organisation,start,rank\nGrace Lin,Adviser,Ministry of Health,1999-01-01,8\n",
        encoding="utf-8",
    )
    error = _fails(ws_path, table, "several persons named 'Grace Lin'")
    assert str(error.problems[0].location) == "more.csv, row 2, column A"


# --- bad input: located, and nothing written ----------------------------------------------


def _fails(ws: Path, table: Path, *message: str, mapping: Mapping | None = None) -> ImportInvalid:
    before = snapshot(ws) if ws.exists() else None
    with pytest.raises(ImportInvalid) as caught:
        import_appointments(ws, table, mapping=mapping)
    text = str(caught.value)
    for part in message:
        assert part in text, text
    if before is None:
        assert not ws.exists()
    else:
        assert snapshot(ws) == before
    return caught.value


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        (
            ",1998-05-01,2003-03-17,,8,1950",
            ",1998-05-32,2003-03-17,,8,1950",
            "row 5, column D",
            "'1998-05-32' is not a date",
        ),
        (
            ",1990-01-01,1998-03-10,,9,1935",
            ",1990-01-01,1989-03-10,,9,1935",
            "row 9, column E",
            "the end 1989-03-10 is before the start 1990-01-01",
        ),
        (
            ",2003-03-17,2003-06-30,yes,9,1952",
            ",2003-03-17,2003-06-30,perhaps,9,1952",
            "row 12, column F",
            "'perhaps' is not yes or no",
        ),
        (
            ",2013-03-16,,,9,1958",
            ",2013-03-16,,,Cabinet,1958",
            "row 8, column G",
            "unknown rank 'Cabinet'",
        ),
    ],
)
def test_a_bad_cell_is_located(tmp_path: Path, old: str, new: str, where: str, what: str) -> None:
    table = _copy(tmp_path)
    _edit(table, old, new)
    error = _fails(tmp_path / "new", table, what)
    assert [str(p.location) for p in error.problems] == [f"cabinet.csv, {where}"]
    ws = _imported(tmp_path)
    _fails(ws, table, what)


def test_two_rows_contradicting_each_other(tmp_path: Path) -> None:
    table = _copy(tmp_path)
    _edit(
        table,
        "Grace Lin,Minister,Ministry of Finance,1990-01-01,1998-03-10,,9,1935",
        "Grace Lin,Minister,Ministry of Finance,1990-01-01,1998-03-10,,9,1935\n"
        "Grace Lin,Minister,Ministry of Finance,1991-01-01,1994-01-01,,9,1935",
    )
    error = _fails(tmp_path / "ws", table, "contradicts row 9", "overlapping periods")
    assert str(error.problems[0].location) == "cabinet.csv, row 10"
    # an exact repeat is read once
    repeat = _copy(tmp_path, "cabinet.csv")
    _edit(
        repeat,
        "Grace Lin,Minister,Ministry of Finance,1990-01-01,1998-03-10,,9,1935",
        "Grace Lin,Minister,Ministry of Finance,1990-01-01,1998-03-10,,9,1935\n"
        "Grace Lin,Minister,Ministry of Finance,1990-01-01,1998-03-10,,9,1935",
    )
    result = import_appointments(tmp_path / "ok", repeat)
    assert result.counts()["tenure"]["added"] == 15
    assert any("repeats row 9" in n.message for n in result.notes)


def test_contradicting_years_of_birth(tmp_path: Path) -> None:
    table = _copy(tmp_path)
    _edit(
        table,
        "Helen Ashford,Minister,Ministry of Finance,1998-03-10,2003-03-17,,9,1938",
        "Helen Ashford,Minister,Ministry of Finance,1998-03-10,2003-03-17,,9,1939",
    )
    error = _fails(tmp_path / "ws", table, "year of birth 1939 against 1938")
    assert str(error.problems[0].location) == "cabinet.csv, row 10, column H"


def test_a_mapping_naming_a_missing_column(tmp_path: Path) -> None:
    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text('[columns]\nperson = "Member"\npost = "post"\n', encoding="utf-8")
    error = _fails(
        tmp_path / "ws",
        CABINET,
        "the column 'Member' named for 'person' is not in the table",
        mapping=load_mapping(mapping_file),
    )
    assert str(error.problems[0].location) == "map.toml:2"


def test_a_bad_mapping_file(tmp_path: Path) -> None:
    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text('[columns]\nperzon = "Name"\n[extra]\n', encoding="utf-8")
    with pytest.raises(ImportInvalid) as caught:
        load_mapping(mapping_file)
    assert [str(p.location) for p in caught.value.problems] == ["map.toml:3", "map.toml:2"]


def test_a_missing_column_and_a_post_without_rank(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("name,post,start\nA B,Minister,2001-01-01\n", encoding="utf-8")
    _fails(tmp_path / "ws", table, "there is no organisation column")
    table.write_text("name,post,organisation,start\nA B,Minister,X,2001-01-01\n", encoding="utf-8")
    error = _fails(tmp_path / "ws", table, "has no rank in any of its rows")
    assert str(error.problems[0].location) == "t.csv, row 2"
    result = import_appointments(tmp_path / "ws", table, default_grade="正处")
    assert result.counts()["post"]["added"] == 1


def test_a_problem_of_the_merged_workspace_points_at_the_row(tmp_path: Path) -> None:
    table = _copy(tmp_path)
    # an acting minister named while the minister is still in post
    _edit(
        table,
        "Samuel Reyes,Minister,Ministry of Finance,2003-03-17,2003-06-30,yes,9,1952",
        "Samuel Reyes,Minister,Ministry of Finance,2002-03-17,2003-06-30,yes,9,1952",
    )
    error = _fails(tmp_path / "ws", table)
    assert any(str(p.location) == "cabinet.csv, row 12" for p in error.problems), error


def test_a_workspace_in_a_file_of_sections_is_refused(tmp_path: Path) -> None:
    ws = _imported(tmp_path)
    text = "persons:\n" + "".join(
        "  " + line + "\n" for line in (ws / "persons.yaml").read_text().splitlines()
    )
    (ws / "persons.yaml").unlink()
    (ws / "account.yaml").write_text(text, encoding="utf-8")
    before = snapshot(ws)
    updated = _copy(tmp_path)
    _edit(updated, "2013-03-16,,,9,1958", "2013-03-16,2018-03-19,,9,1958")
    with pytest.raises(StakegraphError, match="the persons are kept in account.yaml"):
        import_appointments(ws, updated)
    assert snapshot(ws) == before


def test_options_for_a_new_workspace_are_refused_for_an_existing_one(tmp_path: Path) -> None:
    ws = _imported(tmp_path)
    before = snapshot(ws)
    with pytest.raises(StakegraphError, match="--to applies to a new workspace only"):
        import_appointments(ws, CABINET, fmt="csv")
    settings = tmp_path / "stakegraph.toml"
    settings.write_text("", encoding="utf-8")
    with pytest.raises(StakegraphError, match="--settings applies to a new workspace only"):
        import_appointments(ws, CABINET, settings_file=settings)
    assert snapshot(ws) == before


def test_partial_dates_are_read_with_a_note(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "姓名,职务,单位,任职开始,任职结束,职级\n"
        "王伟,局长,市数据局,2018.3,2021年6月,正处\n"
        "李娜,局长,市数据局,2021年6月,至今,正处\n",
        encoding="utf-8",
    )
    result = import_appointments(tmp_path / "ws", table)
    ws = load_workspace(tmp_path / "ws")
    assert ws.persons["wang-wei"].tenures[0].start == dt.date(2018, 3, 1)
    assert ws.persons["li-na"].tenures[0].end is None
    assert [n.message for n in result.notes] == [
        "3 dates given as a month (first here) read as the first day of that month."
    ]
    assert str(result.notes[0].location) == "t.csv, row 2, column D"


def test_a_changed_rank_and_a_second_holder_change_the_post(tmp_path: Path) -> None:
    ws_path = _imported(tmp_path)
    table = tmp_path / "more.csv"
    table.write_text(
        "name,post,organisation,start,end,rank\n"
        "Daniel Ortiz,Deputy Minister,Ministry of Information Industry,1998-05-01,2003-03-17,7\n"
        "Ada Stone,Deputy Minister,Ministry of Information Industry,2000-01-01,2002-01-01,7\n",
        encoding="utf-8",
    )
    result = import_appointments(ws_path, table)
    post = "ministry-of-information-industry~deputy-minister"
    assert [(c.id, c.fields) for c in result.changes if c.kind == "post"] == [
        (post, ("grade", "seats"))
    ]
    ws = load_workspace(ws_path)
    assert (ws.posts[post].grade, ws.posts[post].seats) == (7, 2)
    assert any("has 2 holders at once" in n.message for n in result.notes)


def test_an_id_with_a_space_is_located(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "name,person id,post,organisation,start,rank\nA B,a b,Minister,Trade,2001-01-01,9\n",
        encoding="utf-8",
    )
    error = _fails(tmp_path / "ws", table, "'a b' is not a valid id")
    assert str(error.problems[0].location) == "t.csv, row 2, column B"


def test_a_default_grade_off_the_scale_is_located(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("name,post,organisation,start\nA B,Minister,X,2001-01-01\n", encoding="utf-8")
    before = list(tmp_path.iterdir())
    with pytest.raises(ImportInvalid) as caught:
        import_appointments(tmp_path / "ws", table, default_grade="大官")
    assert "unknown grade '大官'" in str(caught.value)
    assert str(caught.value.problems[0].location) == "t.csv, row 2"
    assert list(tmp_path.iterdir()) == before


def test_a_column_given_twice(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "姓名,name,post,organisation,start,rank\n王伟,Wang Wei,部长,X,2001-01-01,9\n",
        encoding="utf-8",
    )
    error = _fails(
        tmp_path / "ws", table, "column 'name' gives the person again (first in column A)"
    )
    assert str(error.problems[0].location) == "t.csv, row 1, column B"


def test_a_person_is_found_by_an_earlier_name(tmp_path: Path) -> None:
    ws_path = _imported(tmp_path)
    persons = ws_path / "persons.yaml"
    text = persons.read_text(encoding="utf-8")
    old = "- id: grace-lin\n  name: Grace Lin\n"
    assert old in text
    persons.write_text(
        text.replace(
            old,
            "- id: grace-lin\n  name: Grace Lin\n  names:\n  - name: Grace Chen\n"
            "    end: 1995-06-01\n",
        ),
        encoding="utf-8",
    )
    table = tmp_path / "more.csv"
    table.write_text(
        "name,post,organisation,start,rank\nGrace Chen,Adviser,Ministry of Trade,1980-01-01,8\n",
        encoding="utf-8",
    )
    result = import_appointments(ws_path, table)
    assert [c.id for c in result.changes if c.kind == "person"] == ["grace-lin"]
