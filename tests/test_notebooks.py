"""The notebooks in notebooks/ run top to bottom, and are committed with stable outputs.

Each notebook is executed with nbclient in a fresh kernel running this interpreter
(a kernelspec named ``python3`` written for the test, so a ``python3`` kernel
installed elsewhere on the machine cannot take its place), with ``notebooks/`` as
the working directory; any cell error fails the test. The Neo4j notebook gets the
session's test server through ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``.
The committed outputs come from ``python tools/notebooks.py``, which runs them the
same way (:mod:`tools/notebooks.py` is loaded here, as a script).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Notebooks that talk to a Neo4j server.
NEEDS_NEO4J = {"03-neo4j"}


def _load_tool():
    name = "stakegraph_notebooks_tool"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "notebooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()
MACHINE_PATH = tool.MACHINE_PATH

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
    monkeypatch.setenv("JUPYTER_PATH", str(tool.write_kernelspec(tmp_path / "jupyter")))
    return "python3"


@pytest.mark.parametrize("path", _cases())
def test_notebook_runs(path: Path, kernel: str, request, monkeypatch):
    if path.stem in NEEDS_NEO4J:
        request.getfixturevalue("neo4j_driver")  # skips (or fails on CI) without a server
        request.getfixturevalue("neo4j_env")
    tool.execute(path, kernel)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_is_committed_with_stable_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: run it with tools/notebooks.py"
    assert tool.volatile(notebook) == [], path.name
    assert notebook.metadata["language_info"] == {"name": "python"}


def _outputs(path: Path) -> list:
    notebook = nbformat.read(path, as_version=4)
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def test_the_first_notebook_shows_tables_and_pictures():
    outputs = _outputs(NOTEBOOKS / "01-getting-started.ipynb")
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any(page.startswith('<div class="stakegraph">') and "许志恒" in page for page in html)
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 6
    for o in outputs:  # a figure shows as itself, never only as its text
        text = o.get("data", {}).get("text/plain", "")
        if text.startswith(("<Axes", "<Figure")):
            assert "image/png" in o.data, text


def test_volatile_output_is_caught():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(x)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="/tmp/x at 0x7f12ab34cd")]
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    notebook.cells.append(cell)
    found = tool.volatile(notebook)
    assert len(found) == 3 and "timings" in found[0]


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
