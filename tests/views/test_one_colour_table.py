"""Every colour of the views is defined once, in stakegraph/views/labels.py, and used from there."""

from __future__ import annotations

import ast
import colorsys
import re
from pathlib import Path

import pytest
from rich.style import Style

from stakegraph.analysis.coverage import GapKind
from stakegraph.records.model import OrgKind, Stance
from stakegraph.views import labels
from stakegraph.views.figures.common import COVER_CMAP
from stakegraph.views.html import _gap_css
from stakegraph.views.map import EDGE_STYLES, MapData
from stakegraph.views.map_assets import MAP_CSS, MAP_JS
from stakegraph.views.styles import BASE_CSS
from stakegraph.views.tables import GAP_ORDER
from stakegraph.views.terminal import CELL_STYLE, GAP_STYLE

VIEWS = Path(labels.__file__).parent

HEX = re.compile(r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![0-9A-Za-z_])")
FUNCTIONAL = re.compile(r"\b(?:rgba?|hsla?)\(")
#: CSS, matplotlib and rich colour names a concept could be given instead of a table entry.
COLOUR_NAMES = (
    "red|green|blue|yellow|cyan|magenta|white|black|grey|gray|orange|purple|brown|pink|violet"
    "|navy|teal|maroon|olive|lime|aqua|fuchsia|silver|gold|crimson|tab:\\w+|xkcd:\\w+"
)
NAMED = re.compile(rf"(?<![A-Za-z_-])(?:bright_)?(?:{COLOUR_NAMES})(?![A-Za-z_-])", re.IGNORECASE)


def colour_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every colour written in the code's strings, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in docstrings:
            continue
        for pattern in (HEX, FUNCTIONAL, NAMED):
            found += [(node.lineno, m.group(0)) for m in pattern.finditer(node.value)]
    return found


def test_the_scan_finds_every_way_of_writing_a_colour():
    source = '''
"""A docstring may say red → green and #fff."""
A = "#c0392b"
B = {"face": "#FFF", "edge": "rgba(1,2,3,0.5)"}
C = f"td.bad {{ color: #abcdef80; }} and [bold red]x[/]"
D = "white"
E = "tab:blue"
F = "#map #opp-1 bold underline dim reduce coloured"
'''
    found = sorted(text for _, text in colour_literals(source))
    assert found == sorted(["#c0392b", "#FFF", "rgba(", "#abcdef80", "red", "white", "tab:blue"])


def test_no_colour_is_written_outside_labels():
    modules = sorted(p for p in VIEWS.rglob("*.py") if p.name != "labels.py")
    assert len(modules) > 20
    offenders = [
        f"{path.relative_to(VIEWS.parent.parent)}:{line}: {text}"
        for path in modules
        for line, text in colour_literals(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "define these colours in stakegraph/views/labels.py:\n" + "\n".join(
        offenders
    )


def test_labels_writes_each_hex_colour_one_way():
    hexes = HEX.findall(Path(labels.__file__).read_text(encoding="utf-8"))
    assert hexes
    assert [h for h in hexes if not re.fullmatch(r"#[0-9a-f]{6}", h)] == []


def test_every_gap_kind_has_one_colour_in_every_view():
    kinds = {k.value for k in GapKind}
    assert set(labels.GAP_COLOURS) == kinds == set(labels.GAP_TERMINAL) == set(GAP_ORDER)
    css = _gap_css()
    for kind, colour in labels.GAP_COLOURS.items():
        assert f".gap-{kind} {{ background: {colour}; }}" in css
    assert MapData(title="", subtitle="").to_json()["gapColours"] == labels.GAP_COLOURS
    assert GAP_STYLE == labels.GAP_TERMINAL


def test_every_coloured_cell_class_has_a_page_colour_and_a_terminal_style():
    page = set(re.findall(r"td\.([\w-]+) \{ (?:color|background): #", BASE_CSS))
    expected = (
        set(labels.CELL_SIGNALS)
        | {f"stance-{s}" for s in labels.STANCE_COLOURS}
        | {f"cover-{c}" for c in labels.COVER_LEVEL_COLOURS}
    )
    assert page == expected
    assert expected <= set(CELL_STYLE)
    assert set(labels.STANCE_COLOURS) < {s.value for s in Stance}
    for stance, colour in labels.STANCE_COLOURS.items():
        assert f"td.stance-{stance} {{ color: {colour}; }}" in BASE_CSS


def test_the_page_takes_its_colours_from_labels():
    assert f"border-top: 3px solid {labels.ACCENT}" in BASE_CSS
    assert f"background: {labels.NOTE_FILL}" in MAP_CSS
    assert labels.LABEL_HALO in MAP_JS and labels.GAP_FALLBACK in MAP_JS
    assert "@TAG_FALLBACK@" not in MAP_JS and "@LABEL_HALO@" not in MAP_JS
    assert [s["color"] for s in EDGE_STYLES.values()] == list(labels.LINK_COLOURS.values())


def test_org_kinds_and_cover_scale_come_from_labels():
    assert set(labels.ORG_KIND_COLOURS) == {k.value for k in OrgKind}
    assert COVER_CMAP(0.0)[:3] == pytest.approx(_rgb(labels.COVER_STOPS[0]))
    assert COVER_CMAP(1.0)[:3] == pytest.approx(_rgb(labels.COVER_STOPS[-1]))


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


#: The hue in degrees of the six chromatic ANSI colours.
ANSI_HUES = {"red": 0, "yellow": 60, "green": 120, "cyan": 180, "blue": 240, "magenta": 300}

PAIRED_TABLES = [
    ("gap kinds", labels.GAP_COLOURS, labels.GAP_TERMINAL),
    ("signals", labels.SIGNAL_COLOURS, labels.SIGNAL_TERMINAL),
    ("stances", labels.STANCE_COLOURS, labels.STANCE_TERMINAL),
    ("cover levels", labels.COVER_LEVEL_COLOURS, labels.COVER_LEVEL_TERMINAL),
    ("org links", labels.ORG_LINK_COLOURS, labels.ORG_LINK_TERMINAL),
]


@pytest.mark.parametrize(("name", "colours", "terminal"), PAIRED_TABLES, ids=lambda x: x)
def test_the_terminal_shows_each_colour_in_its_own_hue(name, colours, terminal):
    assert set(terminal) <= set(colours)
    for key, style in terminal.items():
        colour = Style.parse(style).color
        assert colour is not None, f"{name}: {key} has no colour on the terminal"
        hue = colorsys.rgb_to_hsv(*_rgb(colours[key]))[0] * 360
        distance = abs(hue - ANSI_HUES[colour.name]) % 360
        assert min(distance, 360 - distance) <= 45, f"{name}: {key} {colours[key]} vs {style}"
