"""write_report: render everything first, then move the files in together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stakegraph.graph.network import PersonNetwork, network_of
from stakegraph.io.atomic import commit, staging_dir
from stakegraph.records.workspace import Workspace
from stakegraph.views.book import (
    BOOK_DRAWN,
    PAGES_DIR,
    book_layout,
    draw_figures,
    drawing,
    figure_links,
    page_path,
)
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
    overlap: bool = True,
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
    parallel worker processes (:func:`~stakegraph.views.book.drawing`), only the
    chain and the plan: the pages show the coverage heat map and the influence bars as
    HTML (:mod:`stakegraph.views.html_charts`), and report.md of a book links the two
    drawn figures. While the workers draw, this process writes the map, the portfolio
    figure, the index and report.md, then each page as its figures come back.

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
    overlap : bool
        For a book, do this process's own work (map, index, report.md, the pages of
        the figures already back) while the workers draw (default), or only after
        every figure is back; the files are the same bytes either way.

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
    if book:
        figures, extra, portfolio, html_text, md_text, pages = _book_while_drawing(
            report, network, opportunity, progress, overlap
        )
    else:
        ids = [opp["id"] for opp in report["opportunities"]]
        figures = draw_figures(network, ids, progress, workers=1)
        org_chart = org_chart_figure(network)
        extra = [org_chart] if org_chart else []
        the_map = map_data(network, opportunity)
        portfolio = portfolio_figure(report.get("accounts"), network)
        html_text = report_page(report, figures, extra, the_map, portfolio)
        md_text = report_markdown(report, figures, extra, portfolio)
        pages = []
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


def _book_while_drawing(
    report: dict[str, Any],
    network: PersonNetwork,
    opportunity: str | None,
    progress: Callable[[int], None] | None,
    overlap: bool,
) -> tuple[
    dict[str, dict[str, Figure]], list[Figure], Figure | None, str, str, list[tuple[str, str]]
]:
    """A book's figures, org chart, portfolio figure, index, report.md and pages.

    With ``overlap`` this process does its own work (map, portfolio figure, index,
    report.md, then each page as its figures come back) while the workers draw;
    without, it waits for every figure first. The files are the same bytes either way.
    """
    ids = [opp["id"] for opp in report["opportunities"]]
    by_id = {opp["id"]: opp for opp in report["opportunities"]}
    drawn: dict[str, dict[str, Figure]] = {}
    pages: dict[str, str] = {}
    with drawing(network, ids, progress, kinds=BOOK_DRAWN) as arriving:
        if not overlap:
            drawn = dict(arriving)
        org_chart = org_chart_figure(network)
        extra = [org_chart] if org_chart else []
        the_map = map_data(network, opportunity)
        portfolio = portfolio_figure(report.get("accounts"), network)
        owners = {o.id: o.name for o in network.workspace.owners.values()}
        # the index holds no opportunity's figure, and report.md only links them
        html_text = report_page(report, {}, extra, the_map, portfolio, owner_names=owners)
        links = drawn if not overlap else figure_links(ids, BOOK_DRAWN)
        md_text = report_markdown(report, links, extra, portfolio)
        for done, figures in arriving if overlap else list(drawn.items()):
            drawn[done] = figures
            pages[done] = opportunity_page_html(report, by_id[done], figures, network)
    ordered = [(page_path(o), pages[o]) for o in ids]
    return {o: drawn[o] for o in ids}, extra, portfolio, html_text, md_text, ordered


def opportunity_page_html(
    report: dict[str, Any], opp: dict[str, Any], figures: dict[str, Figure], network: PersonNetwork
) -> str:
    """One opportunity's own page, its heat map and influence bars written as HTML
    (:mod:`stakegraph.views.html_charts`)."""
    from stakegraph.views.html_charts import opportunity_charts

    return opportunity_page(report, opp, figures, opportunity_charts(network, opp["id"]))
