"""No tracked text file keeps the markers of an unresolved merge."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def _tracked_text_files() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    files = []
    for name in filter(None, listing.split("\0")):
        path = ROOT / name
        if path.suffix in {
            ".py",
            ".md",
            ".toml",
            ".yaml",
            ".yml",
            ".cypher",
            ".csv",
            ".txt",
            ".cfg",
        }:
            files.append(path)
    return files


def test_no_merge_markers_in_tracked_files() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _tracked_text_files()
        if path.exists() and MARKER.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


def test_the_marker_pattern_finds_a_conflict() -> None:
    sample = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> main\n"
    assert len(MARKER.findall(sample)) == 3
    assert not MARKER.search("=========  =====\n")
