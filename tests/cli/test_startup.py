"""``stakegraph --help`` stays instant: listing the commands imports no heavy library.

The wall time is measured by benchmarks/bench_startup.py; this test pins the cause
of a slow start (a command module importing pydantic, numpy, openpyxl or matplotlib
at the top), which a timing could not tell apart from a busy machine.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "pydantic",
    "numpy",
    "scipy",
    "openpyxl",
    "matplotlib",
    "networkx",
    "yaml",
    "neo4j",
    "rich",
    "pandas",
    "pptx",
)


def _loaded_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from stakegraph.cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split()[-1000:])


def test_the_command_list_imports_no_heavy_library():
    loaded = _loaded_after(["--help"])
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize(
    "command", ["assess", "report", "query", "plot", "brief", "review", "portfolio"]
)
def test_a_command_help_imports_no_heavy_library(command):
    loaded = _loaded_after([command, "--help"])
    assert loaded.isdisjoint(HEAVY), (command, sorted(loaded & set(HEAVY)))


@pytest.mark.parametrize("command", ["log", "act"])
def test_help_that_lists_the_accepted_words_reads_only_the_records(command):
    """These help texts list the words of the records' vocabulary tables, and load at
    most the records (pydantic), nothing heavier."""
    loaded = _loaded_after([command, "--help"])
    assert loaded & set(HEAVY) <= {"pydantic"}, (command, sorted(loaded & set(HEAVY)))


def test_the_guard_sees_a_heavy_import():
    """The check itself works: running a command that reads a workspace loads pydantic."""
    from tests.builders import SMART_CITY

    loaded = _loaded_after(["check", str(SMART_CITY)])
    assert "pydantic" in loaded


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from stakegraph.cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split("\n")[-2].split())


#: What a warm ``gaps --json`` does not need: the analyses and views of the whole
#: report, the terminal tables, and the parts of scipy beyond its sparse matrices.
NOT_ON_THE_GAPS_PATH = (
    "stakegraph.views.report",
    "stakegraph.views.tables",
    "stakegraph.views.terminal",
    "stakegraph.analysis.brokerage",
    "stakegraph.analysis.formal_informal",
    "stakegraph.analysis.plan",
    "stakegraph.analysis.portfolio",
    "stakegraph.analysis.rotation_risk",
    "stakegraph.analysis.evidence",
    "stakegraph.analysis.stated_graph",
    "stakegraph.io.xlsx_book",
    "stakegraph.io.appointments",
    "scipy.sparse.linalg",
    "scipy.sparse.csgraph",
    "rich",
)


def test_a_warm_gaps_imports_only_what_it_shows(tmp_path, monkeypatch):
    """A second ``gaps --json`` on an unchanged folder (read from the cache) imports
    coverage and its phrases, not the report's other analyses and views: importing
    those cost the warm command about a twentieth of its time."""
    import shutil

    from tests.builders import SMART_CITY

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # a secret of its own
    monkeypatch.delenv("STAKEGRAPH_NO_CACHE", raising=False)
    folder = tmp_path / "city"
    shutil.copytree(SMART_CITY, folder, ignore=shutil.ignore_patterns(".stakegraph-cache"))
    args = ["gaps", str(folder), "-o", "smart-city", "--as-of", "2026-11-28", "--json"]
    _modules_after(args)  # fills the cache
    assert (folder / ".stakegraph-cache").is_dir()
    loaded = _modules_after(args)
    assert {"stakegraph.analysis.coverage", "stakegraph.views.chain_gaps"} <= loaded
    unwanted = {m for m in loaded if m.startswith(NOT_ON_THE_GAPS_PATH)}
    assert not unwanted, sorted(unwanted)


def test_an_analysis_of_a_folder_imports_neither_openpyxl_nor_networkx():
    """``gaps`` on a YAML folder leaves out the workbook reader and the circles' graph
    library: each costs a warm command a tenth of a second to import."""
    from tests.builders import SMART_CITY

    args = ["gaps", str(SMART_CITY), "-o", "smart-city", "--as-of", "2026-11-28", "--json"]
    loaded = _loaded_after(args)
    assert {"numpy", "scipy", "pydantic"} <= loaded  # the analysis ran
    assert loaded.isdisjoint({"openpyxl", "networkx"}), sorted(loaded & {"openpyxl", "networkx"})
