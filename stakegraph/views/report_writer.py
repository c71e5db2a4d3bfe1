"""write_report: render everything first, then move the files in together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from stakegraph.graph.network import PersonNetwork, network_of
from stakegraph.io.atomic import commit, staging_dir
from stakegraph.records.workspace import Workspace
from stakegraph.views.book import BOOK_DRAWN, PAGES_DIR, book_layout, draw_figures, page_path
from stakegraph.views.figures.report import (
    Figure,
    org_chart_figure,
    portfolio_figure,
)
from stakegraph.views.html import opportunity_page, report_page
from stakegraph.views.language import speaking
from stakegraph.views.map import map_data
from stakegraph.views.markdown import report_markdown
from stakegraph.views.report import build_report

#: What a report folder holds; a folder with nothing else is replaced as a whole.
REPORT_FILES = ("report.html", "report.md", "figures/*.png", f"{PAGES_DIR}/*.html")


@speaking
def write_report(
    source: Workspace | PersonNetwork,
    day: dt.date | None,
    out_dir: Path | str,
    opportunity: str | None = None,
    top: int = 10,
    report: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    layout: str = "auto",
) -> list[Path]:
    """Write report.html, report.md and figures/*.png into ``out_dir``.

    report.html is one self-contained file (CSS, figures as base64 PNG and the
    interactive map inline; opening it needs no network); report.md holds the same
    tables and links the figures, written as ``figures/<opportunity>-<kind>.png``
    (chain, heatmap, influence, triangle) and ``figures/orgchart.png`` for a
    workspace small enough to draw one.

    A book of more than :data:`~stakegraph.views.book.ONE_PAGE_MAX` opportunities
    (or any report with ``layout="book"``) is written as an index and one page per
    opportunity instead: report.html lists the opportunities (sortable, searchable)
    with the book-wide sections, and ``opportunities/<id>.html`` holds each one's
    tables and figures, every page self-contained. Figures are then drawn in
    parallel worker processes (:func:`~stakegraph.views.book.draw_figures`), only the
    chain and the plan: the pages show the coverage heat map and the influence bars as
    HTML (:mod:`stakegraph.views.html_charts`), and report.md of a book links the two
    drawn figures.

    The files are written all or nothing: everything is rendered into a scratch
    folder beside ``out_dir`` first. A folder holding nothing but an earlier report
    is then swapped with it in one step, so a process killed at any moment leaves
    either the old report or the new one (figures the new report does not draw go
    with the old). A folder that also holds other files keeps them: the new files
    are moved in one by one, and a failure puts the previous ones back. Leftovers
    of a killed run are removed by the next (:mod:`stakegraph.io.atomic`).

    Parameters
    ----------
    source : Workspace or PersonNetwork
        A loaded workspace, or a network already built for it (reused as it is).
    day : date or None
        The analysis date (``--as-of``); None means the network's day, or today for a
        workspace.
    out_dir : path
        Folder to write into; created when missing.
    opportunity : str, optional
        Report only this opportunity (default: all).
    top : int
        Rows of the influence lists.
    report : dict, optional
        The :func:`~stakegraph.views.report.build_report` result for the same workspace,
        day, opportunity and top, to reuse instead of computing it again.
    progress : callable, optional
        Called with 1 after each opportunity's figures are drawn (the slow part).
    layout : {"auto", "page", "book"}
        One page, an index with a page per opportunity, or (``auto``) pages beyond
        :data:`~stakegraph.views.book.ONE_PAGE_MAX` opportunities; a report of one
        named opportunity is always one page.

    Returns
    -------
    list of Path
        The files written: the figures, then report.md, then report.html.

    Raises
    ------
    TypeError, ValueError
        ``source`` is not a workspace or network, or is a network of another day.
    """
    network = network_of(source, day)
    if report is None:
        workspace = network.source_workspace or network.workspace
        report = build_report(workspace, network.day, opportunity, top=top, network=network)
    if layout not in ("auto", "page", "book"):
        raise ValueError(f"layout must be auto, page or book, not {layout!r}")
    book = book_layout(layout, len(report["opportunities"]), opportunity is not None)
    ids = [opp["id"] for opp in report["opportunities"]]
    if book:
        figures = draw_figures(network, ids, progress, kinds=BOOK_DRAWN)
    else:
        figures = draw_figures(network, ids, progress, workers=1)
    org_chart = org_chart_figure(network)
    extra = [org_chart] if org_chart else []
    the_map = map_data(network, opportunity)

    portfolio = portfolio_figure(report.get("accounts"), network)
    owners = {o.id: o.name for o in network.workspace.owners.values()} if book else None
    html_text = report_page(report, figures, extra, the_map, portfolio, owner_names=owners)
    md_text = report_markdown(report, figures, extra, portfolio)
    pages = list(opportunity_pages(report, figures, network)) if book else []
    all_figures = [f for by_kind in figures.values() for f in by_kind.values()] + extra
    if portfolio is not None:
        all_figures.append(portfolio)

    out_dir = Path(out_dir)
    with staging_dir(out_dir) as scratch:
        files: list[Path] = []
        for figure in all_figures:
            rel = Path(figure.path)
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            (scratch / rel).write_bytes(figure.png)
            files.append(rel)
        for rel_page, page in pages:
            (scratch / rel_page).parent.mkdir(parents=True, exist_ok=True)
            (scratch / rel_page).write_text(page, encoding="utf-8")
            files.append(Path(rel_page))
        (scratch / "report.md").write_text(md_text, encoding="utf-8")
        (scratch / "report.html").write_text(html_text, encoding="utf-8")
        files += [Path("report.md"), Path("report.html")]
        return commit(scratch, out_dir, files, owned=REPORT_FILES)


def opportunity_pages(
    report: dict[str, Any], figures: dict[str, dict[str, Figure]], network: PersonNetwork
) -> Iterator[tuple[str, str]]:
    """(path, HTML) of each opportunity's own page, its heat map and influence bars
    written as HTML (:mod:`stakegraph.views.html_charts`)."""
    from stakegraph.views.html_charts import opportunity_charts

    for opp in report["opportunities"]:
        charts = opportunity_charts(network, opp["id"])
        yield (
            page_path(opp["id"]),
            opportunity_page(report, opp, figures.get(opp["id"], {}), charts),
        )
