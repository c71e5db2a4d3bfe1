"""Guards on the code itself: the package type-checks and its functions stay small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_mypy_finds_no_type_errors() -> None:
    # settings (strictness, per-module exceptions) come from [tool.mypy] in pyproject.toml
    result = _run("mypy", "stakegraph")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_no_function_exceeds_the_complexity_budget() -> None:
    # [tool.ruff.lint] selects C90 with max-complexity 25
    result = _run("ruff", "check", "--select", "C90", "stakegraph")
    assert result.returncode == 0, result.stdout + result.stderr
