"""Results and figures in Jupyter: the report's HTML tables, and axes as pictures.

A notebook shows an analysis result as the same table the report and the terminal
show (one definition in :mod:`stakegraph.views.tables`, rendered by
:func:`stakegraph.views.html.table_html`), so Chinese names line up, and shows the
axes a ``plot_*`` function returns as its picture rather than ``<Axes: …>``.

The analyses know nothing of HTML: ``import stakegraph``, inside IPython, hands it a
formatter per result type by name (``stakegraph._show_in_notebooks``) that calls
:func:`result_html` or :func:`axes_png`, so this module is imported only when a
result is displayed.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes

from stakegraph.analysis.coverage import Coverage
from stakegraph.analysis.darkhorses import DarkHorses
from stakegraph.analysis.diff import Diff
from stakegraph.analysis.influence import Influence
from stakegraph.analysis.paths import Channels
from stakegraph.analysis.plan import Plan
from stakegraph.analysis.portfolio import Portfolio
from stakegraph.analysis.relationships import Relationships
from stakegraph.views.figures.common import is_stakegraph_figure
from stakegraph.views.followup_tables import diff_heading, diff_tables
from stakegraph.views.html import table_css, table_html
from stakegraph.views.json_out import diff_document, portfolio_document
from stakegraph.views.relationship_tables import relationships_table, warm_channels_table
from stakegraph.views.report import chain_rows, gap_rows
from stakegraph.views.rows import (
    channel_rows,
    influence_score_rows,
    plan_rows,
    relationship_rows,
)
from stakegraph.views.tables import (
    Table,
    chain_table,
    dark_horses_table,
    gaps_table,
    influence_command_table,
    plan_table,
    portfolio_tables,
)

if TYPE_CHECKING:
    from stakegraph.graph.network import PersonNetwork

#: Rows of the influence list shown in a notebook (``to_pandas()`` has them all).
SHOWN_INFLUENCE = 20


def _network(result: Any) -> PersonNetwork:
    network = getattr(result, "network", None)
    if network is None and isinstance(result, Coverage):
        network = result.influence.network
    if network is None:
        raise TypeError(f"this {type(result).__name__} has no network to name its people")
    return network


def _influence(result: Influence) -> list[Table | str]:
    rows = influence_score_rows(_network(result), result, SHOWN_INFLUENCE)
    table = influence_command_table(rows)
    if len(result.persons) > SHOWN_INFLUENCE:
        shown = f"top {SHOWN_INFLUENCE} of {len(result.persons)}"
        table.note = f"{shown}; to_pandas() has every person."
    return [table]


def _coverage(result: Coverage) -> list[Table | str]:
    network = _network(result)
    opp = {
        "name": network.workspace.opportunities[result.opportunity].name,
        "coverage": result.overall,
        "chain": chain_rows(network, result),
        "gaps": gap_rows(network, result),
    }
    return [chain_table(opp), gaps_table(opp)]


def _channels(result: Channels) -> list[Table | str]:
    rows = channel_rows(_network(result), list(result))
    if not rows:
        return ["no channel within the hop bound"]
    return [warm_channels_table(rows, rows[0]["person_names"][-1])]


def _portfolio(result: Portfolio) -> list[Table | str]:
    data = portfolio_document(result)
    for owner in data["owners"]:
        owner["key_person_names"] = list(owner["key_persons"])
    return list(portfolio_tables(data))


def _diff(result: Diff) -> list[Table | str]:
    data = diff_document(result)
    return [diff_heading(data), *diff_tables(data)]


_TABLES: dict[type, Callable[[Any], list[Table | str]]] = {
    Influence: _influence,
    Coverage: _coverage,
    Plan: lambda result: [plan_table(plan_rows(_network(result), list(result)))],
    Channels: _channels,
    Relationships: lambda result: [
        relationships_table(relationship_rows(_network(result), list(result)))
    ],
    DarkHorses: lambda result: [dark_horses_table(result.rows(), detail=True)],
    Portfolio: _portfolio,
    Diff: _diff,
}


def result_tables(result: Any) -> list[Table | str]:
    """The tables (and lines between them) that show ``result``, as the report has them.

    Raises
    ------
    TypeError
        ``result`` is not one of the results shown as tables.
    """
    for kind, tables in _TABLES.items():
        if isinstance(result, kind):
            return tables(result)
    raise TypeError(f"no table shows a {type(result).__name__}")


def result_html(result: Any) -> str:
    """One HTML fragment: a small style, then each table of :func:`result_tables`."""
    parts = [f'<div class="stakegraph"><style>{table_css()}</style>']
    for item in result_tables(result):
        parts.append(table_html(item) if isinstance(item, Table) else f"<p>{html.escape(item)}</p>")
    return "".join(parts) + "</div>"


def axes_png(ax: Axes) -> bytes | None:
    """The figure of axes a ``plot_*`` function drew, as PNG; None for other axes.

    Figures of stakegraph are made without pyplot (so nothing leaks between
    calls), which is why Jupyter does not show them by itself.
    """
    figure = ax.get_figure(root=True)
    if figure is None or not is_stakegraph_figure(figure):
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()
