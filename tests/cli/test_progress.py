"""Progress bars: on a terminal's stderr only, never mixed into the results on stdout."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from tests.builders import EXAMPLES


def _run_with_terminal_stderr(args: list[str], out: Path) -> str:
    """Run the CLI with stderr on a pseudo-terminal and stdout to a file; return stderr."""
    leader, follower = pty.openpty()
    with out.open("wb") as stdout:
        child = subprocess.Popen(
            [str(Path(sys.executable).with_name("stakegraph")), *args],
            stdout=stdout,
            stderr=follower,
            stdin=subprocess.DEVNULL,
        )
        os.close(follower)
        seen = b""
        while True:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            elif child.poll() is not None:
                break
        assert child.wait(timeout=120) == 0
    os.close(leader)
    return seen.decode(errors="replace")


def test_the_diff_bar_goes_to_the_terminal_and_the_results_file_stays_clean(tmp_path: Path):
    out = tmp_path / "diff.txt"
    args = ["diff", str(EXAMPLES / "smart-city"), "--from", "2026-06-30", "--to", "2026-11-28"]
    shown = _run_with_terminal_stderr(args, out)
    assert "comparing opportunities" in shown
    text = out.read_text(encoding="utf-8")
    assert text.startswith("变化 what changed: 2026-06-30 → 2026-11-28\n")
    assert "comparing opportunities" not in text and "\x1b[" not in text
