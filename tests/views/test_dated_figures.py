"""The organisation chart of a day draws the 块 and 条 lines and the names in force then
(tests/data/structure/dated: the service office moves under the big-data bureau and the
provincial bureau starts guiding it on 2026-06-01; the director is renamed on 2026-04-15)."""

from __future__ import annotations

import datetime as dt

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from stakegraph.io import load_workspace
from stakegraph.views import figures as viz
from tests.builders import DATA

SWITCH = dt.date(2026, 6, 1)


def _chart(day: dt.date) -> tuple[str, int, list[tuple[float, float]]]:
    ws = load_workspace(DATA / "structure" / "dated")
    fig = Figure(figsize=(10, 6))
    ax = fig.add_subplot()
    viz.plot_org_chart(ws, as_of=day, ax=ax)
    fig.canvas.draw()
    text = "\n".join(t.get_text() for t in fig.findobj(Text))
    arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None)]
    dashed = [a for a in arrows if a.get_linestyle() not in ("-", "solid")]
    # the 块 lines: one polyline per child, its first point under the parent's box
    tops = [tuple(line.get_xydata()[0]) for line in ax.lines]
    return text, len(dashed), tops


@pytest.mark.parametrize(
    ("day", "guides", "name"),
    [
        (dt.date(2026, 4, 14), 0, "陈小红"),
        (SWITCH - dt.timedelta(days=1), 0, "陈晓"),
        (SWITCH, 1, "陈晓"),
    ],
)
def test_the_org_chart_holds_the_lines_and_names_of_the_day(day, guides, name) -> None:
    text, dashed, _ = _chart(day)
    assert dashed == guides
    assert name in text and ({"陈小红", "陈晓"} - {name}).pop() not in text


def test_the_service_office_hangs_under_the_bureau_from_the_day_it_moved() -> None:
    _, _, before = _chart(SWITCH - dt.timedelta(days=1))
    _, _, after = _chart(SWITCH)
    # before: every 块 line starts under the government; after: one starts lower down
    assert len({round(y, 3) for _, y in before}) == 1
    assert len({round(y, 3) for _, y in after}) == 2
