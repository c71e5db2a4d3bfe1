"""stakegraph: map and analyse the decision chains of government accounts.

The public API in one import::

    import stakegraph as sg

    ws = sg.load("examples/smart-city")  # a folder, a workbook or a neo4j:// URI
    net = sg.build_network(ws, dt.date(2026, 11, 28))
    sg.influence(net, "smart-city").top(5)
    sg.coverage(net, "smart-city").to_pandas()  # with stakegraph[pandas]

Layers, lowest first: ``records`` (the model and validation) → ``io`` (files) →
``graph`` (the network on a day) → ``analysis`` (the algorithms) → ``engines``
(folder and Neo4j stores, named queries) and ``views`` (tables, figures, reports)
→ ``cli``. Each name below is imported from its layer on first use, so
``import stakegraph`` stays light.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_PUBLIC: dict[str, str] = {
    # records and files
    "Workspace": "stakegraph.records.workspace",
    "load": "stakegraph.engines.store",
    "load_workspace": "stakegraph.io",
    "save_workspace": "stakegraph.io",
    "build_graph": "stakegraph.io.property_graph",
    # the network on a day
    "PersonNetwork": "stakegraph.graph.network",
    "build_network": "stakegraph.graph.network",
    "workspace_on": "stakegraph.graph.timeline",
    "resolve_chain": "stakegraph.graph.chains",
    "relationship_strength": "stakegraph.graph.strength",
    "RelationFilter": "stakegraph.graph.relation_filter",
    "filtered_network": "stakegraph.graph.relation_filter",
    # analyses
    "influence": "stakegraph.analysis.influence",
    "coverage": "stakegraph.analysis.coverage",
    "warm_channels": "stakegraph.analysis.paths",
    "engagement_plan": "stakegraph.analysis.plan",
    "what_if": "stakegraph.analysis.whatif",
    "informal_circles": "stakegraph.analysis.circles",
    "betweenness": "stakegraph.analysis.brokerage",
    "brokerage": "stakegraph.analysis.brokerage",
    "constraint": "stakegraph.analysis.brokerage",
    "centrality": "stakegraph.analysis.centrality",
    "evidence": "stakegraph.analysis.evidence",
    "level_changes": "stakegraph.analysis.evidence",
    "relationship_kinds": "stakegraph.analysis.relationship_kinds",
    "dark_horses": "stakegraph.analysis.darkhorses",
    "formal_informal": "stakegraph.analysis.formal_informal",
    "relationships": "stakegraph.analysis.relationships",
    "portfolio": "stakegraph.analysis.portfolio",
    "satisfaction": "stakegraph.analysis.satisfaction",
    "review": "stakegraph.analysis.review",
    "diff": "stakegraph.analysis.diff",
    # figures and reports
    "plot_chain": "stakegraph.views.figures",
    "plot_influence": "stakegraph.views.figures",
    "plot_radar": "stakegraph.views.figures",
    "plot_coverage_heatmap": "stakegraph.views.figures",
    "plot_triangle": "stakegraph.views.figures",
    "plot_org_chart": "stakegraph.views.figures",
    "plot_portfolio_heatmap": "stakegraph.views.figures",
    "plot_funnel": "stakegraph.views.figures",
    "render_figure": "stakegraph.views.figures",
    "write_report": "stakegraph.views.report_writer",
    "write_map": "stakegraph.views.map",
    "brief_content": "stakegraph.views.brief",
    "write_brief": "stakegraph.views.brief",
    # where workspaces live: a folder or Neo4j, and the named queries
    "Store": "stakegraph.engines.store",
    "open_store": "stakegraph.engines.store",
}

__all__ = [
    "PersonNetwork",
    "RelationFilter",
    "Store",
    "Workspace",
    "__version__",
    "betweenness",
    "brief_content",
    "brokerage",
    "build_graph",
    "build_network",
    "centrality",
    "constraint",
    "coverage",
    "dark_horses",
    "diff",
    "engagement_plan",
    "evidence",
    "filtered_network",
    "formal_informal",
    "influence",
    "informal_circles",
    "level_changes",
    "load",
    "load_workspace",
    "open_store",
    "plot_chain",
    "plot_coverage_heatmap",
    "plot_funnel",
    "plot_influence",
    "plot_org_chart",
    "plot_portfolio_heatmap",
    "plot_radar",
    "plot_triangle",
    "portfolio",
    "relationship_kinds",
    "relationship_strength",
    "relationships",
    "render_figure",
    "resolve_chain",
    "review",
    "satisfaction",
    "save_workspace",
    "warm_channels",
    "what_if",
    "workspace_on",
    "write_brief",
    "write_map",
    "write_report",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'stakegraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__


def _show_in_notebooks() -> None:
    """Inside IPython, show results as the report's tables and figures as pictures.

    The formatters are registered by type name: nothing is imported until a
    result is displayed, so ``import stakegraph`` stays light.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    html = shell.display_formatter.formatters["text/html"]
    png = shell.display_formatter.formatters["image/png"]

    # loaded like the public names, on first use: the package itself imports no layer
    def _table(result: Any) -> str:
        return importlib.import_module("stakegraph.views.notebook").result_html(result)

    def _picture(ax: Any) -> bytes | None:
        return importlib.import_module("stakegraph.views.notebook").axes_png(ax)

    def _summary(result: Any, printer: Any, cycle: bool) -> None:
        printer.text(f"<{type(result).__name__}: to_pandas() for its rows>")

    # a notebook keeps the text beside the table: a short line, not every array
    plain = shell.display_formatter.formatters["text/plain"] if hasattr(shell, "kernel") else None
    for module, name in _RESULT_TYPES:
        html.for_type_by_name(module, name, _table)
        if plain is not None:
            plain.for_type_by_name(module, name, _summary)
    png.for_type_by_name("matplotlib.axes._axes", "Axes", _picture)


#: (module, class) of the results a notebook shows as tables
#: (the types :func:`stakegraph.views.notebook.result_tables` shows).
_RESULT_TYPES = (
    ("stakegraph.analysis.influence", "Influence"),
    ("stakegraph.analysis.coverage", "Coverage"),
    ("stakegraph.analysis.plan", "Plan"),
    ("stakegraph.analysis.paths", "Channels"),
    ("stakegraph.analysis.relationships", "Relationships"),
    ("stakegraph.analysis.darkhorses", "DarkHorses"),
    ("stakegraph.analysis.portfolio", "Portfolio"),
    ("stakegraph.analysis.diff", "Diff"),
)

_show_in_notebooks()


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from stakegraph.analysis.brokerage import betweenness, constraint
    from stakegraph.analysis.centrality import centrality
    from stakegraph.analysis.circles import informal_circles
    from stakegraph.analysis.coverage import coverage
    from stakegraph.analysis.darkhorses import dark_horses
    from stakegraph.analysis.diff import diff
    from stakegraph.analysis.evidence import evidence, level_changes
    from stakegraph.analysis.formal_informal import formal_informal
    from stakegraph.analysis.influence import influence
    from stakegraph.analysis.paths import warm_channels
    from stakegraph.analysis.plan import engagement_plan
    from stakegraph.analysis.portfolio import portfolio
    from stakegraph.analysis.relationship_kinds import relationship_kinds
    from stakegraph.analysis.relationships import relationships
    from stakegraph.analysis.review import review
    from stakegraph.analysis.satisfaction import satisfaction
    from stakegraph.analysis.whatif import what_if
    from stakegraph.engines.store import Store, load, open_store
    from stakegraph.graph.chains import resolve_chain
    from stakegraph.graph.network import PersonNetwork, build_network
    from stakegraph.graph.strength import relationship_strength
    from stakegraph.graph.timeline import workspace_on
    from stakegraph.io import load_workspace, save_workspace
    from stakegraph.io.property_graph import build_graph
    from stakegraph.records.workspace import Workspace
    from stakegraph.views.brief import brief_content, write_brief
    from stakegraph.views.figures import (
        plot_chain,
        plot_coverage_heatmap,
        plot_funnel,
        plot_influence,
        plot_org_chart,
        plot_portfolio_heatmap,
        plot_radar,
        plot_triangle,
        render_figure,
    )
    from stakegraph.views.map import write_map
    from stakegraph.views.report_writer import write_report
