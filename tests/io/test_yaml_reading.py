"""Reading YAML one record at a time gives what a whole-file parse gives, with lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stakegraph.io.yaml_folder import read_yaml_file, yaml_files
from tests.builders import EXAMPLES


@pytest.mark.parametrize("example", ["smart-city", "harbor-county"])
def test_records_equal_a_whole_file_parse_and_start_on_their_dash(example: str) -> None:
    for path in yaml_files(EXAMPLES / example):
        raws, problems = read_yaml_file(path, path.name)
        assert problems == []
        whole = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        assert [r.data for r in raws] == whole, path.name
        lines = path.read_text(encoding="utf-8").splitlines()
        for raw in raws:
            assert lines[raw.location.line - 1].startswith("- "), (path.name, raw.location)


def _read(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_yaml_file(path, name)


def test_aliases_reach_across_records(tmp_path: Path) -> None:
    raws, problems = _read(
        tmp_path,
        "ties.yaml",
        "- {id: t1, a: x, b: y, since: &day 2026-01-05}\n- {id: t2, a: y, b: z, since: *day}\n",
    )
    assert problems == []
    assert raws[1].data["since"] == raws[0].data["since"]
    assert [r.location.line for r in raws] == [1, 2]


def test_sections_file_streams_each_list_and_reports_the_rest(tmp_path: Path) -> None:
    text = (
        "# one account in one file\n"
        "persons:\n"
        "  - id: a\n"
        "    name: 甲\n"
        "owners: not a list\n"
        "people:\n"
        "  - id: b\n"
        "ties:\n"
        "  - {id: t, a: a, b: a}\n"
    )
    raws, problems = _read(tmp_path, "account.yaml", text)
    assert [(r.collection, r.data["id"], r.location.line) for r in raws] == [
        ("persons", "a", 3),
        ("ties", "t", 9),
    ]
    assert raws[0].locate(("name",)).line == 4
    assert [(p.message, p.location.line) for p in problems] == [
        ("owners must be a list of records (each starting with '- id: ...').", 5),
        ("unknown section 'people'.", 6),
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("- id: a\n---\n- id: b\n", "is not valid YAML: but found another document.", 2),
        ("- id: a\n- {id: b, name: *nowhere}\n", "is not valid YAML: found undefined alias", 2),
        ("- id: a\n  name: [unclosed\n", "is not valid YAML:", 3),
        ("just text\n", "persons must be a list of records", 1),
    ],
)
def test_broken_files_give_one_located_problem_and_no_records(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    raws, problems = _read(tmp_path, "persons.yaml", text)
    assert raws == []
    assert len(problems) == 1
    assert problems[0].message.startswith(message)
    assert problems[0].location.line == line


def test_comments_only_or_empty_is_no_records(tmp_path: Path) -> None:
    assert _read(tmp_path, "persons.yaml", "# nobody yet\n") == ([], [])
    assert _read(tmp_path, "persons.yaml", "") == ([], [])
