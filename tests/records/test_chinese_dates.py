"""Dates typed the Chinese way read as the day they name, in every format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stakegraph.errors import WorkspaceInvalid
from stakegraph.io import load_workspace
from stakegraph.records.fields import parse_day
from stakegraph.records.model import Interaction
from tests.builders import run_cli

NOV_4 = dt.date(2019, 11, 4)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2019年11月4日", NOV_4),
        ("2019 年 11 月 4 日", NOV_4),
        ("2019年11月4号", NOV_4),
        ("２０１９年１１月４日", NOV_4),
        ("2019年11月", dt.date(2019, 11, 1)),
        ("2019.11.04", NOV_4),
        ("2019/11/4", NOV_4),
        ("2019-11-04", NOV_4),
    ],
)
def test_parse_day_reads_the_forms_people_type(text: str, day: dt.date) -> None:
    assert parse_day(text) == day
    assert Interaction.model_validate({"id": "v", "date": text, "kind": "visit"}).date == day


@pytest.mark.parametrize("text", ["yesterday", "11/4/2019", "2019年", "20191104", "2019-11"])
def test_parse_day_leaves_other_text_alone(text: str) -> None:
    assert parse_day(text) is None


def test_an_impossible_chinese_date_is_explained_in_plain_words(tmp_path: Path) -> None:
    (tmp_path / "interactions.yaml").write_text(
        "- id: v\n  date: 2019年2月30日\n  kind: visit\n", encoding="utf-8"
    )
    with pytest.raises(WorkspaceInvalid) as caught:
        load_workspace(tmp_path)
    text = str(caught.value)
    assert "2019年2月30日 is not a real date (day is out of range for month)" in text
    assert "interactions.yaml:2" in text
    assert "datetime_from_date_parsing" not in text and "invalid character" not in text


def test_yaml_and_csv_take_chinese_dates(tmp_path: Path) -> None:
    yaml_dir = tmp_path / "y"
    yaml_dir.mkdir()
    (yaml_dir / "interactions.yaml").write_text(
        "- id: a\n  date: 2019年11月4日\n  kind: visit\n"
        "- id: b\n  date: 2019.11.04\n  kind: call\n",
        encoding="utf-8",
    )
    days = {i.id: i.date for i in load_workspace(yaml_dir).records["interactions"].values()}
    assert days == {"a": NOV_4, "b": NOV_4}
    csv_dir = tmp_path / "c"
    csv_dir.mkdir()
    (csv_dir / "interactions.csv").write_text(
        "id,date,kind\na,2019年11月4日,visit\nb,2019年11月,call\n", encoding="utf-8"
    )
    days = {i.id: i.date for i in load_workspace(csv_dir).records["interactions"].values()}
    assert days == {"a": NOV_4, "b": dt.date(2019, 11, 1)}


def test_the_command_line_takes_a_chinese_date() -> None:
    from stakegraph.cli.common import DATE

    assert DATE.convert("2026年11月28日", None, None) == dt.date(2026, 11, 28)
    result = run_cli(["gaps", "examples/smart-city", "--as-of", "2026年13月1日"])
    assert result.exit_code != 0 and "is not a date" in result.output


def test_organisation_and_post_lifetimes_take_chinese_dates_in_yaml(tmp_path: Path) -> None:
    (tmp_path / "organisations.yaml").write_text(
        "- id: o\n  name: 某局\n  start: 2019年11月4日\n  end: 2024.1.1\n", encoding="utf-8"
    )
    (tmp_path / "posts.yaml").write_text(
        "- id: p\n  org: o\n  title: 局长\n  grade: 正处\n  start: 2019年12月\n", encoding="utf-8"
    )
    ws = load_workspace(tmp_path)
    assert (ws.organisations["o"].start, ws.organisations["o"].end) == (NOV_4, dt.date(2024, 1, 1))
    assert ws.posts["p"].start == dt.date(2019, 12, 1)
