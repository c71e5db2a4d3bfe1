"""Names holding control characters are shown, not obeyed, on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakegraph.views.terminal_text import terminal_text
from tests.builders import cli_runner

# clear the screen, retitle the window, ring the bell, go back to the line start
HOSTILE = "韩志远\x1b[2J\r\x1b]0;pwned\x07"
SHOWN = "韩志远\\x1b[2J\\r\\x1b]0;pwned\\x07"
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e")


run = cli_runner(catch_exceptions=False)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (HOSTILE, SHOWN),
        ("\x00\x08\x7f", "\\x00\\x08\\x7f"),
        ("csi\x9b31m", "csi\\x9b31m"),  # the one-byte C1 form of ESC [
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("\u2066isolated\u2069", "\\u2066isolated\\u2069"),
    ],
)
def test_control_characters_become_visible_escapes(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


def test_text_people_write_is_left_alone() -> None:
    text = "李明 (Hélène)\n\tnotes — “quoted” 【注】 \u200b"
    assert terminal_text(text) == text


def _hostile_workspace(yaml_ws: Path) -> Path:
    persons = yaml_ws / "persons.yaml"
    text = persons.read_text(encoding="utf-8")
    assert "name: 韩志远\n" in text
    # YAML writes the control characters as escapes inside double quotes
    persons.write_text(
        text.replace("name: 韩志远\n", 'name: "韩志远\\e[2J\\r\\e]0;pwned\\a"\n'), encoding="utf-8"
    )
    return yaml_ws


def test_rich_tables_show_escapes(yaml_ws: Path) -> None:
    ws = _hostile_workspace(yaml_ws)
    result = run("show", ws, "--as-of", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert SHOWN in result.stdout
    assert not any(c in result.output for c in RAW)


def test_json_keeps_the_name_exactly(yaml_ws: Path) -> None:
    import json

    ws = _hostile_workspace(yaml_ws)
    result = run("show", ws, "--as-of", "2026-11-28", "--json")
    assert "\x1b" not in result.stdout  # the encoder escapes it
    # the name, escaped as JSON escapes it: read back, it is the name exactly
    assert json.dumps(HOSTILE, ensure_ascii=False)[1:-1] in result.stdout


def test_problem_lines_and_errors_show_escapes(tmp_path: Path) -> None:
    (tmp_path / "persons.yaml").write_text(
        '- id: p1\n  name: x\n  tenures:\n    - post: "post\\e[31m-red"\n', encoding="utf-8"
    )
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "post\\x1b[31m-red" in result.stderr
    assert not any(c in result.output for c in RAW)
    missing = run("history", tmp_path, "--person", "p\x1b[2J")
    assert "\x1b" not in missing.output
