"""Hostile and mistaken YAML: limits on aliases and nesting, keys given twice, short messages."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from stakegraph.io import yaml_folder
from stakegraph.io.yaml_folder import MAX_ALIAS_VALUES, MAX_ALIASES, MAX_DEPTH, read_yaml_file
from tests.builders import run_cli

BROKEN = Path(__file__).resolve().parent.parent / "broken"


def _read(tmp_path: Path, text: str, name: str = "persons.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_yaml_file(path, name)


def _nested(levels: int) -> str:
    """A persons record whose lists and mappings nest ``levels`` deep (the record is 1)."""
    inner = levels - 1
    return f"- id: p1\n  name: x\n  notes: {'[' * inner}{']' * inner}\n"


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _nested(MAX_DEPTH))
    assert problems == []
    assert len(raws) == 1


def test_one_level_past_the_limit_is_a_located_problem(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _nested(MAX_DEPTH + 1))
    assert raws == []
    [problem] = problems
    assert problem.location.line == 3
    assert f"more than {MAX_DEPTH} levels" in problem.message


def test_nesting_600_deep_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _nested(600))
    assert raws == [] and len(problems) == 1


def test_aliases_cannot_nest_deeper_than_the_limit(tmp_path: Path) -> None:
    # each anchor is shallow, but every alias adds the depth of what it stands for
    lines = ["- id: p1", "  name: x", "  a0: &a0 [[[[[[[[[[x]]]]]]]]]]"]
    for i in range(1, 8):
        lines.append(f"  a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]")
    raws, problems = _read(tmp_path, "\n".join(lines) + "\n")
    assert raws == []
    [problem] = problems
    assert f"more than {MAX_DEPTH} levels" in problem.message
    assert problem.location.line in range(4, 11)


def _aliases(count: int) -> str:
    return "- id: p1\n  name: &n x\n  tags: [" + ", ".join(["*n"] * count) + "]\n"


def test_as_many_aliases_as_the_limit_are_read(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _aliases(MAX_ALIASES))
    assert problems == []
    assert raws[0].data["tags"] == ["x"] * MAX_ALIASES


def test_one_alias_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _aliases(MAX_ALIASES + 1))
    assert raws == []
    [problem] = problems
    assert f"more than {MAX_ALIASES} aliases" in problem.message
    assert problem.location.line == 3
    assert "aliases" in problem.hint


def _expanding(extra: int) -> str:
    """Aliases standing for exactly MAX_ALIAS_VALUES values, plus ``extra`` single values."""
    size = 1000  # an anchored list of 999 items is 1000 values
    assert MAX_ALIAS_VALUES % size == 0
    items = ", ".join(["y"] * (size - 1))
    uses = ", ".join(["*big"] * (MAX_ALIAS_VALUES // size) + ["*one"] * extra)
    return f"- id: p1\n  name: &one x\n  notes: &big [{items}]\n  tags: [{uses}]\n"


def test_aliases_expanding_to_the_limit_are_read(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _expanding(0))
    assert problems == []
    assert len(raws[0].data["tags"]) == MAX_ALIAS_VALUES // 1000


def test_aliases_expanding_past_the_limit_are_refused(tmp_path: Path) -> None:
    raws, problems = _read(tmp_path, _expanding(1))
    assert raws == []
    [problem] = problems
    assert f"more than {MAX_ALIAS_VALUES} values" in problem.message
    assert problem.location.line == 4


def test_a_billion_laughs_file_is_refused_fast_and_small() -> None:
    path = BROKEN / "42-yaml-alias-bomb" / "persons.yaml"
    assert path.stat().st_size < 1024
    started = time.perf_counter()
    raws, problems = read_yaml_file(path, path.name)
    assert time.perf_counter() - started < 5  # 9^9 values would take hours
    assert raws == [] and len(problems) == 1
    assert "the limit" in problems[0].message
    tracemalloc.start()  # slows the reading down, so timed apart
    try:
        read_yaml_file(path, path.name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 2**20


def test_limits_are_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_folder, "MAX_ALIASES", 3)
    (tmp_path / "persons.yaml").write_text(_aliases(3), encoding="utf-8")
    (tmp_path / "more.yaml").write_text("persons:\n" + _aliases(3), encoding="utf-8")
    raws, problems = yaml_folder.read_yaml_folder(tmp_path)
    assert problems == [] and len(raws) == 2


def test_a_key_twice_names_both_lines_and_keeps_the_first(tmp_path: Path) -> None:
    text = "- id: p1\n  name: 李明\n  tenures:\n    - post: a\n      post: b\n  name: 王强\n"
    raws, problems = _read(tmp_path, text)
    assert [(p.location.line, p.field, p.record_id) for p in problems] == [
        (5, "tenures[0].post", "p1"),
        (6, "name", "p1"),
    ]
    assert "lines 4 and 5" in problems[0].message
    assert "lines 2 and 6" in problems[1].message
    assert raws[0].data["name"] == "李明"
    assert raws[0].data["tenures"] == [{"post": "a"}]


def test_keys_twice_in_two_records_are_two_problems(tmp_path: Path) -> None:
    text = "- {id: p1, name: a, name: b}\n- {id: p2, name: c}\n- {id: p3, name: d, name: e}\n"
    raws, problems = _read(tmp_path, text)
    assert [(p.record_id, p.location.line) for p in problems] == [("p1", 1), ("p3", 3)]
    assert len(raws) == 3


def test_problem_lines_stay_readable_for_a_small_alias_bomb(tmp_path: Path) -> None:
    # 8 x 8 x 8 values: well inside the limits, but each alias is a long list
    (tmp_path / "persons.yaml").write_text(
        "- id: p1\n"
        "  name: &a [x, x, x, x, x, x, x, x]\n"
        "  notes: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "  tags: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
        "  aliases: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
        encoding="utf-8",
    )
    result = run_cli(["check", tmp_path])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) > 10
    assert max(len(line) for line in lines) < 300 + len(str(tmp_path))
    assert "characters)" in result.stderr
