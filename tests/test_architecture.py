"""Guards that keep the package's shape: layers one way down, no cycles, short modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

from tests.builders import ROOT

MAX_MODULE_LINES = 800


def _import_graph() -> nx.DiGraph:
    imports = grimp.build_graph("stakegraph", exclude_type_checking_imports=True)
    graph = nx.DiGraph()
    for module in imports.modules:
        graph.add_node(module)
        for imported in imports.find_modules_directly_imported_by(module):
            if imported.startswith("stakegraph"):
                graph.add_edge(module, imported)
    return graph


def test_the_layer_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_import_cycle_between_modules():
    graph = _import_graph()
    # a package's __init__ re-exporting its own modules is not a cycle of meaning
    for module in list(graph):
        for imported in list(graph.successors(module)):
            if module.startswith(imported + "."):
                graph.remove_edge(module, imported)
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert cycles == []


def test_a_module_that_imports_an_upper_layer_is_caught():
    """The contract is live: a layer order that the code breaks is reported."""
    graph = _import_graph()
    assert graph.has_edge("stakegraph.cli.main", "stakegraph.cli.analyse")
    assert not any(
        m.startswith("stakegraph.records") for m in graph.successors("stakegraph.cli.main")
    )
    upward = [
        (a, b)
        for a, b in graph.edges
        if a.startswith("stakegraph.records.") and b.startswith("stakegraph.analysis")
    ]
    assert upward == []


def test_no_module_is_longer_than_the_budget():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "stakegraph").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
