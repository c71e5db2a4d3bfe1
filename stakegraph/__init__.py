"""stakegraph: map and analyse the decision chains of government accounts.

The public API in one import::

    import stakegraph as sg

    ws = sg.load_workspace("examples/smart-city")
    net = sg.build_network(ws, dt.date(2026, 11, 28))
    sg.influence(net, "smart-city").top(5)
    sg.coverage(net, "smart-city").overall

Layers, lowest first: ``records`` (the model and validation) → ``io`` (files) →
``graph`` (the network on a day) → ``analysis`` (the algorithms) → ``engines``
(folder and Neo4j stores, named queries) and ``views`` (tables, figures, reports)
→ ``cli``. Each name below is imported from its layer on first use, so
``import stakegraph`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_PUBLIC: dict[str, str] = {
    # records and files
    "Workspace": "stakegraph.records.workspace",
    "load_workspace": "stakegraph.io",
    "save_workspace": "stakegraph.io",
    "build_graph": "stakegraph.io.property_graph",
    # the network on a day
    "PersonNetwork": "stakegraph.graph.network",
    "build_network": "stakegraph.graph.network",
    "workspace_on": "stakegraph.graph.timeline",
    "resolve_chain": "stakegraph.graph.chains",
    "relationship_strength": "stakegraph.graph.strength",
    # analyses
    "influence": "stakegraph.analysis.influence",
    "coverage": "stakegraph.analysis.coverage",
    "warm_channels": "stakegraph.analysis.paths",
    "engagement_plan": "stakegraph.analysis.plan",
    "what_if": "stakegraph.analysis.whatif",
    "informal_circles": "stakegraph.analysis.circles",
    "betweenness": "stakegraph.analysis.brokerage",
    "constraint": "stakegraph.analysis.brokerage",
    "centrality": "stakegraph.analysis.centrality",
    "evidence": "stakegraph.analysis.evidence",
    "level_changes": "stakegraph.analysis.evidence",
    "relationship_kinds": "stakegraph.analysis.relationship_kinds",
    "dark_horses": "stakegraph.analysis.darkhorses",
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
    "Store",
    "Workspace",
    "__version__",
    "betweenness",
    "brief_content",
    "build_graph",
    "build_network",
    "centrality",
    "constraint",
    "coverage",
    "dark_horses",
    "diff",
    "engagement_plan",
    "evidence",
    "influence",
    "informal_circles",
    "level_changes",
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


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from stakegraph.analysis.brokerage import betweenness, constraint
    from stakegraph.analysis.centrality import centrality
    from stakegraph.analysis.circles import informal_circles
    from stakegraph.analysis.coverage import coverage
    from stakegraph.analysis.darkhorses import dark_horses
    from stakegraph.analysis.diff import diff
    from stakegraph.analysis.evidence import evidence, level_changes
    from stakegraph.analysis.influence import influence
    from stakegraph.analysis.paths import warm_channels
    from stakegraph.analysis.plan import engagement_plan
    from stakegraph.analysis.portfolio import portfolio
    from stakegraph.analysis.relationship_kinds import relationship_kinds
    from stakegraph.analysis.review import review
    from stakegraph.analysis.satisfaction import satisfaction
    from stakegraph.analysis.whatif import what_if
    from stakegraph.engines.store import Store, open_store
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
