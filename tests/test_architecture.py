"""Guards that keep the package's shape: layers one way down, no cycles, short modules."""

from __future__ import annotations

import ast
import re
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


# --- labels live in the views ------------------------------------------------------------

#: What turns codes into printed words: a label helper or any ``*_LABELS`` table.
_LABEL_HELPERS = {"labels", "zh_labels"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _is_display_text(node: ast.AST) -> bool:
    """A string constant (or f-string) with Chinese in it: words for a reader, not a code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_CJK.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_display_text(part) for part in node.values)
    return False


def label_tables(source: str) -> list[str]:
    """The label tables a module defines or imports, as ``line: what``.

    A label table is a module-level dict whose values are display text (Chinese
    words), a table built by a label helper (``labels("Stage")``), or a helper or
    ``*_LABELS`` table imported from elsewhere.

    >>> label_tables('X = {"a": "逾期 overdue"}\\nY = {"a": "a"}')
    ['1: X']
    >>> label_tables('from stakegraph.records.vocabulary import labels\\nZ = labels("Stage")')
    ['1: import labels', '2: Z']
    >>> label_tables('from stakegraph.views.labels import GAP_LABELS')
    ['1: import GAP_LABELS']
    """
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in _LABEL_HELPERS or alias.name.endswith("_LABELS"):
                    found.append(f"{node.lineno}: import {alias.name}")
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = ", ".join(t.id for t in targets if isinstance(t, ast.Name))
            value = node.value
            words = (isinstance(value, ast.Dict) and any(map(_is_display_text, value.values))) or (
                isinstance(value, ast.DictComp) and _is_display_text(value.value)
            )
            helper = any(
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in _LABEL_HELPERS
                for call in ast.walk(value)
            )
            if words or helper:
                found.append(f"{node.lineno}: {names}")
    return found


def test_the_analysis_defines_no_label_table():
    """Analyses (and the graph below them) return codes; label tables are in the views."""
    found = {
        str(path.relative_to(ROOT)): tables
        for layer in ("graph", "analysis")
        for path in sorted((ROOT / "stakegraph" / layer).rglob("*.py"))
        if (tables := label_tables(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_label_tables_are_in_the_views():
    """The check sees the tables where they belong (so an empty result above means something)."""
    views = label_tables((ROOT / "stakegraph" / "views" / "labels.py").read_text(encoding="utf-8"))
    named = {entry.split(": ")[1] for entry in views}
    assert {"GAP_LABELS", "STAGE_LABELS", "STATUS_LABELS", "STANCES", "CORRECTION_LABELS"} <= named


def titles_given(source: str) -> list[str]:
    """Calls of a ``*_table`` function that hand it words (a title) from the caller.

    >>> titles_given('rich_table(plan_table(rows, f"倒三角 plan — {name}"))')
    ['1: plan_table']
    >>> titles_given('from stakegraph.views.tables import plan_table as view\\nview(rows, "plan")')
    ['2: view']
    >>> titles_given('rich_table(plan_command_table(rows, name))')
    []
    """
    tree = ast.parse(source)
    # a table function may be imported under another name
    tables = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("tables")
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.func.id.endswith("_table") or node.func.id in tables)
            and any(isinstance(arg, ast.Constant | ast.JoinedStr) for arg in node.args)
        ):
            found.append(f"{node.lineno}: {node.func.id}")
    return found


def test_the_commands_leave_table_titles_to_the_views():
    found = {
        path.name: calls
        for path in sorted((ROOT / "stakegraph" / "cli").glob("*.py"))
        if (calls := titles_given(path.read_text(encoding="utf-8")))
    }
    assert found == {}
