"""A report for a whole book: an index page and one page per opportunity.

One page with every opportunity's tables and four figures each stops being
readable (and openable) beyond a dozen opportunities: a book of a hundred embeds
four hundred pictures in one file. For a book the report folder therefore holds

- ``report.html``, the index: one row per opportunity (coverage, gaps, worst gap and
  the owner who holds it), sortable by any column and searchable as one types, then
  the book-wide sections (influence, portfolio, relationship health, map, org chart);
- ``opportunities/<id>.html``, one self-contained page per opportunity with its
  tables and figures, linking back to the index. The chain and the plan are drawn
  as pictures; the coverage heat map and the influence bars are written as HTML
  tables and bars (:mod:`stakegraph.views.html_charts`).

Every page is self-contained (inline CSS, figures as base64 PNG, no network), so the
folder can be zipped, mailed or opened from a USB stick.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any

from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.report import (
    OPPORTUNITY_FIGURES,
    Figure,
    file_stem,
    opportunity_figures,
    planned_figure,
)
from stakegraph.views.language import LANGUAGE, MONEY, current_language
from stakegraph.views.tables import Table

#: Up to this many opportunities a report is one page; beyond it, an index and pages.
ONE_PAGE_MAX = 12

#: Below this many opportunities the figures are drawn in this process: starting
#: worker processes costs more than it saves.
PARALLEL_FROM = 4

#: The opportunity pages' folder inside the report folder.
PAGES_DIR = "opportunities"

#: The figures a book draws as pictures; the heat map and the influence bars are
#: tables at heart and go on its pages as HTML (:mod:`stakegraph.views.html_charts`),
#: which halves the drawing.
BOOK_DRAWN = ("chain", "triangle")


def book_layout(layout: str, opportunities: int, single: bool) -> bool:
    """Whether a report is written as an index and pages (``layout`` auto, page or book).

    ``auto`` chooses pages beyond :data:`ONE_PAGE_MAX` opportunities; a report of one
    opportunity asked for by name is always one page.

    >>> book_layout("auto", 12, False), book_layout("auto", 13, False)
    (False, True)
    >>> book_layout("book", 2, False), book_layout("book", 40, True), book_layout("page", 40, False)
    (True, False, False)
    """
    if single or layout == "page":
        return False
    return layout == "book" or opportunities > ONE_PAGE_MAX


def page_path(opportunity: str) -> str:
    """An opportunity's page relative to the report folder, with forward slashes."""
    return f"{PAGES_DIR}/{file_stem(opportunity)}.html"


# --- figures, drawn in worker processes for a book ---------------------------------------
_WORKER_NETWORK: PersonNetwork | None = None


def _draw(
    opportunity: str, language: str, money: Any, kinds: tuple[str, ...]
) -> tuple[str, dict[str, Figure]]:
    """One opportunity's figures in a worker forked with the network in memory."""
    assert _WORKER_NETWORK is not None
    LANGUAGE.set(language)
    MONEY.set(money)
    return opportunity, opportunity_figures(_WORKER_NETWORK, opportunity, kinds)


def draw_figures(
    network: PersonNetwork,
    opportunities: list[str],
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    kinds: tuple[str, ...] = OPPORTUNITY_FIGURES,
) -> dict[str, dict[str, Figure]]:
    """Every opportunity's figures (of ``kinds``) by id, in report order, drawn in
    parallel processes when it pays (see :func:`drawing`)."""
    with drawing(network, opportunities, progress, workers, kinds) as arriving:
        drawn = dict(arriving)
    return {o: drawn[o] for o in opportunities}  # report order


@contextmanager
def drawing(
    network: PersonNetwork,
    opportunities: list[str],
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    kinds: tuple[str, ...] = OPPORTUNITY_FIGURES,
) -> Iterator[Iterator[tuple[str, dict[str, Figure]]]]:
    """Start drawing every opportunity's figures (of ``kinds``); the ``with`` block
    gets an iterator of (opportunity, figures by kind) in the order they come back.

    Worker processes start drawing on entry, so the caller can do its own work
    (analyses, map, pages) in the block before it takes the figures: the two run at
    the same time. Workers are forked, so each starts with the network already built
    and its memo (influence, coverage) as the parent left it at entry; only the PNG
    bytes travel back. The longest chains are handed out first, so no worker is left
    drawing a large figure alone at the end, and the CJK font is found and loaded
    before the fork, so no worker looks for it again. Where ``fork`` is not available
    (Windows, macOS defaults), or for fewer than :data:`PARALLEL_FROM` opportunities,
    each opportunity is drawn here when the iterator reaches it, in report order. The
    figures are the same bytes either way. ``progress`` is called with 1 as each
    opportunity's figures are done (from the pool's thread when drawn in workers).
    Leaving the block early cancels the figures not yet started.
    """
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if count < 2 or len(opportunities) < PARALLEL_FROM or not _can_fork():
        yield _one_after_another(network, opportunities, progress, kinds)
        return
    from stakegraph.analysis.coverage import coverage
    from stakegraph.views.fonts import use_cjk_font

    use_cjk_font()
    # a figure's cost grows with its chain; coverage is in the memo the workers inherit
    largest_first = sorted(opportunities, key=lambda o: -len(coverage(network, o).holders))
    global _WORKER_NETWORK
    _WORKER_NETWORK = network
    try:
        with ProcessPoolExecutor(count, mp_context=get_context("fork")) as pool:
            language, money = current_language(), MONEY.get()
            jobs = [pool.submit(_draw, o, language, money, kinds) for o in largest_first]
            if progress is not None:
                for job in jobs:
                    job.add_done_callback(lambda _job: progress(1))
            try:
                yield (job.result() for job in as_completed(jobs))
            finally:
                for job in jobs:
                    job.cancel()  # no-op for the figures already drawn
    finally:
        _WORKER_NETWORK = None


def _one_after_another(
    network: PersonNetwork,
    opportunities: list[str],
    progress: Callable[[int], None] | None,
    kinds: tuple[str, ...],
) -> Iterator[tuple[str, dict[str, Figure]]]:
    for opportunity in opportunities:
        figures = opportunity_figures(network, opportunity, kinds)
        if progress is not None:
            progress(1)
        yield opportunity, figures


def figure_links(opportunities: list[str], kinds: tuple[str, ...]) -> dict[str, dict[str, Figure]]:
    """What report.md needs of each figure before it is drawn: its path and caption
    (no picture; report.md only links the PNG files)."""
    return {o: {k: planned_figure(o, k) for k in kinds} for o in opportunities}


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# --- the index ----------------------------------------------------------------------------
def index_table(opportunities: list[dict[str, Any]], owner_names: dict[str, str]) -> Table:
    """商机索引: the report's summary of opportunities (weakest cover first) with the owner
    of each worst gap, each opportunity linking to its page."""
    from stakegraph.views.summary_tables import opportunities_summary_table

    table = opportunities_summary_table(
        opportunities, owner_names, {o["id"]: page_path(o["id"]) for o in opportunities}
    )
    table.key, table.title = "book-index", "商机索引 opportunities"
    return table


#: Sorting by a click on a column head and filtering as one types, for the index only.
INDEX_JS = """
(function () {
  var table = document.querySelector('table.t-book-index');
  var box = document.getElementById('book-filter');
  if (!table || !box) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit;
      if (hit) shown += 1;
    });
    document.getElementById('book-count').textContent = shown;
  });
  function key(row, column) {
    var text = row.cells[column].textContent.trim();
    var number = parseFloat(text.replace(/[,%]/g, ''));
    return isNaN(number) ? text : number;
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (head, column) {
    head.tabIndex = 0;
    head.setAttribute('aria-sort', 'none');
    function sort() {
      var up = head.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
        h.setAttribute('aria-sort', 'none');
      });
      head.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = key(a, column), y = key(b, column);
        var order = (typeof x === typeof y) ? (x < y ? -1 : x > y ? 1 : 0)
                                             : (typeof x === 'number' ? -1 : 1);
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    head.addEventListener('click', sort);
    head.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
  });
})();
"""

INDEX_CSS = (
    "table.t-book-index th{cursor:pointer;user-select:none}"
    "table.t-book-index th[aria-sort=ascending]::after{content:' ▲'}"
    "table.t-book-index th[aria-sort=descending]::after{content:' ▼'}"
    "#book-filter{font:inherit;padding:.4em .6em;width:min(28em,100%);box-sizing:border-box}"
)


__all__ = [
    "INDEX_CSS",
    "INDEX_JS",
    "BOOK_DRAWN",
    "ONE_PAGE_MAX",
    "PAGES_DIR",
    "book_layout",
    "draw_figures",
    "drawing",
    "figure_links",
    "index_table",
    "page_path",
]
