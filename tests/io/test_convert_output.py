"""convert never replaces a workbook silently, and sweeps what a killed convert left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import EXAMPLES, cli_runner

SOURCE = EXAMPLES / "harbor-county"


run = cli_runner(catch_exceptions=False)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_an_existing_workbook_is_refused_without_force(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"someone's workbook")
    result = run("convert", SOURCE, book)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert book.read_bytes() == b"someone's workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_force_replaces_the_workbook(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"old")
    result = run("convert", SOURCE, book, "--force")
    assert result.exit_code == 0, result.output
    assert book.read_bytes()[:2] == b"PK"  # a zip: the new workbook
    assert run("check", book).exit_code == 0


def test_a_new_workbook_needs_no_force(tmp_path: Path) -> None:
    assert run("convert", SOURCE, tmp_path / "new.xlsx").exit_code == 0


def test_a_folder_is_not_overwritten_even_with_force(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "mine.txt").write_text("mine")
    result = run("convert", SOURCE, dest, "--force")
    assert result.exit_code == 1
    assert [p.name for p in dest.iterdir()] == ["mine.txt"]


def test_leftovers_of_a_killed_convert_are_swept(tmp_path: Path) -> None:
    dead = _dead_pid()
    half_book = tmp_path / f".book.xlsx.{dead}.a1b2c3.tmp"
    half_book.write_bytes(b"PK half")
    half_folder = tmp_path / f".out.{dead}.d4e5f6.tmp"
    half_folder.mkdir()
    (half_folder / "persons.yaml").write_text("- id: half\n")
    assert run("convert", SOURCE, tmp_path / "book.xlsx").exit_code == 0
    assert run("convert", SOURCE, tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "out"]
