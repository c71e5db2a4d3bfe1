"""A report of a book: report.html as a sortable, searchable index and one page per
opportunity, every page self-contained; figures drawn in worker processes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stakegraph.analysis.coverage import coverage
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.book import (
    BOOK_DRAWN,
    ONE_PAGE_MAX,
    PARALLEL_FROM,
    book_layout,
    draw_figures,
    index_table,
    page_path,
)
from stakegraph.views.html_charts import BAR_HEADROOM
from stakegraph.views.language import has_cjk
from stakegraph.views.report import build_report
from stakegraph.views.report_writer import write_report
from tests.builders import DAY, SMART_CITY, cli_runner
from tests.views.browser import Browser, chromium_or_skip

invoke = cli_runner()


@pytest.fixture(scope="module")
def network():
    return build_network(load_workspace(SMART_CITY), DAY)


@pytest.fixture(scope="module")
def book(network, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("book")
    return out, write_report(network, DAY, out, layout="book")


@pytest.mark.parametrize(
    ("layout", "count", "single", "pages"),
    [
        ("auto", ONE_PAGE_MAX, False, False),  # just at the limit: one page
        ("auto", ONE_PAGE_MAX + 1, False, True),  # just above: the book
        ("auto", 1, True, False),
        ("book", 2, False, True),
        ("book", 2, True, False),  # one named opportunity is always one page
        ("page", 400, False, False),
    ],
)
def test_layout_at_the_limit(layout, count, single, pages):
    assert book_layout(layout, count, single) is pages


def test_the_book_has_an_index_and_a_page_per_opportunity(book, network):
    out, files = book
    report = build_report(network.workspace, DAY)
    ids = [o["id"] for o in report["opportunities"]]
    pages = sorted(p.relative_to(out) for p in files if p.parent.name == "opportunities")
    assert pages == sorted(Path(page_path(i)) for i in ids)
    index = (out / "report.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(opportunities/[^"]+)">', index)
    assert sorted(links) == sorted(page_path(i) for i in ids)
    assert all((out / link).is_file() for link in links)
    # the index holds no opportunity's tables or figures: those are on the pages
    assert "t-chain" not in index and "t-gaps" not in index
    assert 'id="book-filter"' in index and "t-book-index" in index
    for path in pages:
        page = (out / path).read_text(encoding="utf-8")
        assert 'href="../report.html#index"' in page
        # the chain and the plan drawn; the heat map and the influence bars as HTML
        assert page.count("<img ") == len(BOOK_DRAWN) == 2 and "t-chain" in page
        assert page.count('<figure class="sg-chart') == 2 and "t-gaps" in page
        # self-contained: no file or network reference besides the way back
        assert not re.search(r'(src|href)="(?!data:|#|\.\./report\.html)', page)


def test_index_rows_give_cover_worst_gap_and_its_owner(network):
    report = build_report(network.workspace, DAY)
    owners = {o.id: o.name for o in network.workspace.owners.values()}
    table = index_table(report["opportunities"], owners)
    assert len(table.rows) == len(report["opportunities"])
    covers = [float(row[4].text.rstrip("%")) for row in table.rows]
    assert covers == sorted(covers), "weakest cover first"
    by_id = {o["id"]: o for o in report["opportunities"]}
    for row in table.rows:
        opp = by_id[re.search(r"\(([^()]+)\)$", row[0].text).group(1)]
        assert row[0].link == page_path(opp["id"])
        worst = max(opp["gaps"], key=lambda g: g["severity"])
        assert worst["who"] in row[6].text
        assert row[7].text == (owners[worst["owner"]] if worst["owner"] else "—")


def test_figures_drawn_in_workers_are_the_same_bytes(network):
    report = build_report(network.workspace, DAY)
    ids = [o["id"] for o in report["opportunities"]]
    assert len(ids) >= PARALLEL_FROM, "enough opportunities to start workers"
    ticks: list[int] = []
    parallel = draw_figures(network, ids, ticks.append, workers=2)
    serial = draw_figures(network, ids, workers=1)
    assert list(parallel) == ids and ticks == [1] * len(ids)
    assert {i: {k: f.png for k, f in by.items()} for i, by in parallel.items()} == {
        i: {k: f.png for k, f in by.items()} for i, by in serial.items()
    }


def test_english_book_pages_hold_no_fixed_chinese(tmp_path):
    out = tmp_path / "en"
    result = invoke(
        "--lang", "en", "report", SMART_CITY, "--as-of", str(DAY), "--layout", "book",
        "--out", out, "-q", "--summary",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    index = (out / "report.html").read_text(encoding="utf-8")
    head = index[index.index("<nav>") : index.index("<tbody>")]
    assert not has_cjk(re.sub(r"<[^>]+>", "", head)), head
    page = (out / page_path("smart-city")).read_text(encoding="utf-8")
    back = page[page.index("<main>") : page.index("</p>")]
    assert "back to the index" in back and not has_cjk(re.sub(r"<[^>]+>|smart-city", "", back))
    # marked as English, so a browser sets it in Latin fonts, not a CJK font's
    assert '<html lang="en">' in index and '<html lang="en">' in page
    # the heat map and the influence ranking are HTML: no PNG of them lies beside report.md
    assert "the heat map and the influence ranking are part of the page" in page
    assert "beside report.md." in index and "part of the page" not in index


def test_chinese_book_pages_are_marked_chinese(book):
    out, _ = book
    for page in (out / "report.html", out / page_path("smart-city")):
        assert '<html lang="zh-CN">' in page.read_text(encoding="utf-8")


def test_the_cli_writes_the_book_all_or_nothing_and_replaces_an_old_one(tmp_path):
    out = tmp_path / "r"
    first = invoke("report", SMART_CITY, "--as-of", str(DAY), "--out", out, "-q", "--summary")
    assert first.exit_code == 0 and not (out / "opportunities").exists()
    again = invoke(
        "report", SMART_CITY, "--as-of", str(DAY), "--layout", "book", "--out", out, "-q",
        "--summary",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert len(list((out / "opportunities").glob("*.html"))) == 4
    back = invoke("report", SMART_CITY, "--as-of", str(DAY), "--out", out, "-q", "--summary")
    assert back.exit_code == 0 and not (out / "opportunities").exists()


def test_the_index_sorts_and_searches_in_a_browser(book, network):
    out, _ = book
    browser = Browser(chromium_or_skip())
    try:
        browser.open(out / "report.html", settle=1.0)
        assert browser.errors() == [] and browser.requests() == []
        first_cells = "[...document.querySelectorAll('table.t-book-index tbody tr')]" \
            ".filter(r => !r.hidden).map(r => r.cells[0].textContent)"  # fmt: skip
        before = browser.evaluate(first_cells)
        assert len(before) == 4
        browser.evaluate("document.querySelectorAll('table.t-book-index th')[0].click()")
        ascending = browser.evaluate(first_cells)
        assert ascending == sorted(before)
        browser.evaluate("document.querySelectorAll('table.t-book-index th')[0].click()")
        assert browser.evaluate(first_cells) == sorted(before, reverse=True)
        browser.evaluate(
            "var b = document.getElementById('book-filter'); b.value = 'smart-city';"
            "b.dispatchEvent(new Event('input'))"
        )
        assert browser.evaluate(first_cells) == [c for c in before if "smart-city" in c]
        assert browser.evaluate("document.getElementById('book-count').textContent") == "1"
        browser.open(out / page_path("smart-city"), settle=1.0)
        assert browser.errors() == [] and browser.requests() == []
        assert browser.evaluate(
            "[...document.images].every(i => i.complete && i.naturalWidth > 100)"
        )
        # the HTML charts are laid out: the longest bar fills 1/1.12 of its track, and
        # the heat table has a row per holder
        share = browser.evaluate(
            "(() => { const t = document.querySelector('ol.sg-bars .sg-track');"
            " const w = [...t.querySelectorAll('span')]"
            ".reduce((s, e) => s + e.getBoundingClientRect().width, 0);"
            " return w / t.getBoundingClientRect().width; })()"
        )
        assert share == pytest.approx(1 / BAR_HEADROOM, abs=0.01)
        rows = browser.evaluate("document.querySelectorAll('table.sg-heat tbody tr').length")
        assert rows == len(coverage(network, "smart-city").holders)
    finally:
        browser.close()


def test_the_triangle_figure_reuses_the_plan_the_report_listed(network, monkeypatch):
    from stakegraph.views.figures import report as figures

    build_report(network.workspace, DAY, network=network)

    def planned_again(*args, **kwargs):
        raise AssertionError("the figure planned again")

    monkeypatch.setattr(figures, "engagement_plan", planned_again)
    assert set(figures.opportunity_figures(network, "smart-city")) == set(
        figures.OPPORTUNITY_FIGURES
    )


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in folder.rglob("*") if f.is_file()}


@pytest.mark.parametrize("source", ["smart-city", "province"])
def test_the_book_is_the_same_bytes_drawn_while_this_process_works(source, tmp_path):
    if source == "smart-city":
        network = build_network(load_workspace(SMART_CITY), DAY)
    else:
        from benchmarks.synthetic import generate_workspace

        network = build_network(generate_workspace(300, seed=1, opportunities=6), DAY)
    ticks: list[int] = []
    after = write_report(network, DAY, tmp_path / "after", layout="book", overlap=False)
    network.memo.clear()  # each way computes its own analyses
    while_drawing = write_report(
        network, DAY, tmp_path / "while", layout="book", overlap=True, progress=ticks.append
    )
    written = [str(f.relative_to(tmp_path / "after")) for f in after]
    assert [str(f.relative_to(tmp_path / "while")) for f in while_drawing] == written
    pages = [f for f in written if f.startswith("opportunities/")]
    assert len(pages) >= PARALLEL_FROM, "enough opportunities to start workers"
    assert ticks == [1] * len(pages)
    first, second = _folder_bytes(tmp_path / "after"), _folder_bytes(tmp_path / "while")
    assert sorted(first) == sorted(written)
    assert first == second
