"""In Jupyter, results show as the report's HTML tables and figures as pictures."""

from __future__ import annotations

import datetime as dt

import pytest

import stakegraph as sg
from stakegraph.views import notebook
from stakegraph.views.html import table_html
from stakegraph.views.tables import Table
from tests.builders import DAY, SMART_CITY

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def ws():
    return sg.load(SMART_CITY)


@pytest.fixture(scope="module")
def net(ws):
    return sg.build_network(ws, DAY)


@pytest.fixture(scope="module")
def results(ws, net):
    return {
        "Influence": sg.influence(net, "smart-city"),
        "Coverage": sg.coverage(net, "smart-city"),
        "Plan": sg.engagement_plan(net, "smart-city"),
        "Channels": sg.warm_channels(net, "he-jing"),
        "Relationships": sg.relationships(net),
        "DarkHorses": sg.dark_horses(net),
        "Portfolio": sg.portfolio(net),
        "Diff": sg.diff(ws, dt.date(2026, 5, 28), DAY),
    }


def test_every_registered_type_has_tables_and_back():
    registered = {name for _, name in sg._RESULT_TYPES}
    assert registered == {kind.__name__ for kind in notebook._TABLES}
    for module, name in sg._RESULT_TYPES:
        kind = next(k for k in notebook._TABLES if k.__name__ == name)
        assert kind.__module__ == module


def test_each_result_shows_the_report_tables(results):
    for name, result in results.items():
        page = notebook.result_html(result)
        assert page.startswith('<div class="stakegraph"><style>'), name
        tables = [t for t in notebook.result_tables(result) if isinstance(t, Table)]
        assert tables, name
        for table in tables:  # the same definition the report renders
            assert table_html(table) in page, name


def test_influence_shows_the_top_and_says_how_many_more(results, net):
    page = notebook.result_html(results["Influence"])
    assert page.count("<tr>") == notebook.SHOWN_INFLUENCE + 1  # the header and the top rows
    assert f"of {net.size}; to_pandas()" in page


def test_the_chain_names_its_holders_in_chinese(results):
    page = notebook.result_html(results["Coverage"])
    assert "决策链 decision chain" in page and "许志恒" in page and "缺口 gaps" in page


def test_styles_stay_inside_the_result():
    from stakegraph.views.html import table_css

    for rule in table_css().split("}"):
        selector = rule.split("{")[0].strip()
        assert not selector or all(
            part.strip().startswith(".stakegraph") for part in selector.split(",")
        ), selector


def test_a_figure_of_ours_shows_as_a_picture_and_others_do_not(net, results):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = sg.plot_chain(net, results["Coverage"])
    assert notebook.axes_png(ax).startswith(PNG)
    _, theirs = plt.subplots()  # pyplot shows its own figures: no second copy
    assert notebook.axes_png(theirs) is None
    plt.close("all")


def test_ipython_displays_results_as_html_and_axes_as_png(net, results):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        sg._show_in_notebooks()
        shown, _ = shell.display_formatter.format(results["Plan"])
        assert shown["text/html"] == notebook.result_html(results["Plan"])
        picture, _ = shell.display_formatter.format(sg.plot_influence(net, results["Influence"]))
        assert picture["image/png"].startswith(PNG)
        assert "text/html" not in shell.display_formatter.format([1, 2])[0]
        assert shown["text/plain"].startswith("[PlanRow(")  # a terminal keeps the repr
        shell.kernel = object()  # a notebook's kernel: a short line beside the table
        sg._show_in_notebooks()
        shown, _ = shell.display_formatter.format(results["Plan"])
        assert shown["text/plain"] == "<Plan: to_pandas() for its rows>"
    finally:
        InteractiveShell.clear_instance()
