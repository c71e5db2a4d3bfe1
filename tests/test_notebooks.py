"""The notebooks in notebooks/ run top to bottom, and are committed clean.

Each notebook is executed with nbclient in a fresh kernel running this interpreter
(a kernelspec named ``python3`` written for the test, so a ``python3`` kernel
installed elsewhere on the machine cannot take its place), with ``notebooks/`` as
the working directory; any cell error fails the test. The Neo4j notebook gets the
session's test server through ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Notebooks that talk to a Neo4j server.
NEEDS_NEO4J = {"03-neo4j"}
#: Seconds any one cell may take.
CELL_TIMEOUT = 300

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _cases() -> list:
    cases = []
    for path in PATHS:
        marks = [pytest.mark.slow]
        if path.stem in NEEDS_NEO4J:
            marks.append(pytest.mark.neo4j)
        cases.append(pytest.param(path, id=path.stem, marks=marks))
    return cases


def test_notebooks_exist():
    assert {p.stem for p in PATHS} >= {
        "01-getting-started",
        "02-what-if-and-warm-paths",
        "03-neo4j",
        "04-history-and-portfolio",
    }


@pytest.fixture
def kernel(tmp_path, monkeypatch) -> str:
    """A ``python3`` kernelspec that runs this interpreter, first on the Jupyter path."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (stakegraph tests)",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return "python3"


def _execute(path: Path, kernel_name: str) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=kernel_name,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()


@pytest.mark.parametrize("path", _cases())
def test_notebook_runs(path: Path, kernel: str, request, monkeypatch):
    if path.stem in NEEDS_NEO4J:
        request.getfixturevalue("neo4j_driver")  # skips (or fails on CI) without a server
        user, password = request.getfixturevalue("neo4j_auth")
        monkeypatch.setenv("NEO4J_URI", request.getfixturevalue("neo4j_uri"))
        monkeypatch.setenv("NEO4J_USER", user)
        monkeypatch.setenv("NEO4J_PASSWORD", password)
        monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    _execute(path, kernel)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_committed_clean(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name} cell {index} has outputs: clear them"
        assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


MACHINE_PATH = re.compile(r"(/(home|Users|root|work|tmp)/|[A-Za-z]:\\\\)")


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_has_no_machine_paths(path: Path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        found = MACHINE_PATH.search(cell.source)
        assert found is None, f"{path.name} cell {index} names a machine path: {found.group()}"


def test_notebooks_are_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = subprocess.run(
            [ruff, *command, str(NOTEBOOKS)], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
