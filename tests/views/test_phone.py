"""The report and the map on a phone held upright (390×844) and on a desktop (1440×900).

Headless Chromium measures the pages: the page never scrolls sideways, the chain
and gap tables become cards on the phone and stay tables on the desktop and in
print, figures fill the width, text stays legible; on the map a tap on a person
opens the details, a swipe pans and a pinch zooms. Screenshots must not be blank.
"""

from __future__ import annotations

import time

import pytest

from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.map import write_map
from stakegraph.views.report_writer import write_report
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY
from tests.views.browser import Browser, chromium_or_skip, pixel_spread

PHONE = (390, 844)
DESKTOP = (1440, 900)
#: The tables a phone reader needs most; they must read as cards there.
CARD_KEYS = {"t-chain", "t-gaps"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """report.html of both examples and the smart-city map, written once."""
    out = tmp_path_factory.mktemp("phone")
    smart = build_network(load_workspace(SMART_CITY), DAY)
    write_report(smart, DAY, out / "smart")
    write_report(load_workspace(HARBOR_COUNTY), DAY, out / "harbor")
    write_map(smart, DAY, out / "map.html")
    return {
        "smart": out / "smart" / "report.html",
        "harbor": out / "harbor" / "report.html",
        "map": out / "map.html",
        "shots": out,
    }


@pytest.fixture(scope="module")
def phone():
    b = Browser(chromium_or_skip(), *PHONE, mobile=True)
    yield b
    b.close()


@pytest.fixture(scope="module")
def desktop():
    b = Browser(chromium_or_skip(), *DESKTOP)
    yield b
    b.close()


def _shot(browser: Browser, path) -> bytes:
    png = browser.screenshot()
    path.write_bytes(png)
    return png


# ---------------------------------------------------------------------------
# the report

WIDTHS = "[document.scrollingElement.scrollWidth, innerWidth]"

TABLES = """[...document.querySelectorAll('main table')].map(t => {
  const td = t.querySelector('tbody td[data-label]:not(.step)');
  const wrap = t.parentElement.getBoundingClientRect();
  return {
    key: [...t.classList].find(c => c.startsWith('t-')),
    cards: t.classList.contains('cards'),
    display: getComputedStyle(t).display,
    row: getComputedStyle(t.querySelector('tbody tr')).display,
    label: td ? getComputedStyle(td, '::before').content : null,
    name: td ? td.dataset.label : null,
    overflow: getComputedStyle(t.parentElement).overflowX,
    inside: wrap.left >= -0.5 && wrap.right <= innerWidth + 0.5,
  };
})"""

FIGURES = """[...document.querySelectorAll('main figure img')].map(i => {
  const r = i.getBoundingClientRect();
  return [r.width, r.height, i.naturalWidth, i.naturalHeight,
          i.closest('figure').getBoundingClientRect().width];
})"""

#: Smallest font of body text, and of any element holding text of its own.
FONTS = """(() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const shown = e => e.getClientRects().length > 0;
  const body = [...document.querySelectorAll(
    'main p, main li, main td, main caption, main figcaption, main nav, footer')]
    .filter(e => shown(e) && !e.closest('.sg-map'));
  const texts = [...document.querySelectorAll('main *')].filter(e => shown(e) &&
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  return [Math.min(...body.map(size)), Math.min(...texts.map(size))];
})()"""


@pytest.mark.parametrize("name", ["smart", "harbor"])
def test_report_on_a_phone(phone, pages, name):
    phone.open(pages[name], settle=1.5)
    assert phone.errors() == []
    scroll_width, inner = phone.evaluate(WIDTHS)
    assert inner == PHONE[0] and scroll_width <= inner, "the page scrolls sideways"

    tables = phone.evaluate(TABLES)
    assert {t["key"] for t in tables if t["cards"]} >= CARD_KEYS
    for t in tables:
        assert t["inside"], t
        if t["cards"]:
            # each row a block, each cell led by its column's name
            assert (t["display"], t["row"]) == ("block", "block"), t
            if t["name"] is not None:  # an empty table has only its "none" line
                assert t["label"] == f'"{t["name"]}"', t
        else:
            assert t["display"] == "table" and t["overflow"] == "auto", t

    figures = phone.evaluate(FIGURES)
    assert figures
    for width, height, natural_w, natural_h, frame in figures:
        assert width <= frame + 0.5 and width >= 0.95 * frame  # fills the width, no more
        assert width / height == pytest.approx(natural_w / natural_h, rel=0.02)

    body, smallest = phone.evaluate(FONTS)
    assert body >= 14 and smallest >= 12

    png = _shot(phone, pages["shots"] / f"{name}-390.png")
    assert pixel_spread(png) > 0.05
    assert pixel_spread(phone.screenshot(full_page=True)) > 0.05


@pytest.mark.parametrize("name", ["smart", "harbor"])
def test_report_on_a_desktop_keeps_its_tables(desktop, pages, name):
    desktop.open(pages[name], settle=1.5)
    assert desktop.errors() == []
    scroll_width, inner = desktop.evaluate(WIDTHS)
    assert scroll_width <= inner
    for t in desktop.evaluate(TABLES):
        assert (t["display"], t["row"]) == ("table", "table-row"), t
        assert t["label"] in (None, "none"), t
    assert desktop.evaluate(FONTS)[0] >= 12.5  # the footer; the desktop page is as it was
    assert pixel_spread(_shot(desktop, pages["shots"] / f"{name}-1440.png")) > 0.05


def test_print_layout_keeps_tables_on_a_narrow_page(phone, pages):
    """The cards are for screens: printed, even from a phone, every table is a table."""
    phone.open(pages["smart"], settle=1.0)
    phone.call("Emulation.setEmulatedMedia", media="print")
    try:
        for t in phone.evaluate(TABLES):
            assert (t["display"], t["row"]) == ("table", "table-row"), t
            assert t["label"] in (None, "none"), t
        assert phone.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    finally:
        phone.call("Emulation.setEmulatedMedia", media="")


# ---------------------------------------------------------------------------
# the map

MAP = "document.querySelector('#sg-map')"
STATE = f"""(() => {{
  const root = {MAP}, m = window.stakegraphMaps['sg-map'];
  const box = e => {{ const r = e.getBoundingClientRect();
    return {{left: r.left, top: r.top, right: r.right, bottom: r.bottom, height: r.height}}; }};
  const fonts = m.nodes.map(n => (n.font && n.font.size) || 14);
  return {{
    canvas: box(root.querySelector('.sg-canvas')),
    panel: box(root.querySelector('.sg-panel')),
    panelShown: getComputedStyle(root.querySelector('.sg-panel')).display !== 'none',
    controlsShown: getComputedStyle(root.querySelector('.sg-controls')).display === 'flex',
    toggleShown: getComputedStyle(root.querySelector('.sg-toggle')).display !== 'none',
    selectShown: !!root.querySelector('select') && root.querySelector('select').offsetParent !== null,
    expanded: root.querySelector('.sg-toggle').getAttribute('aria-expanded'),
    detail: root.querySelector('.sg-panel').innerText,
    label: m.network.getScale() * Math.min(...fonts),
    scale: m.network.getScale(),
    view: m.network.getViewPosition(),
    page: [document.scrollingElement.scrollWidth, innerWidth,
           document.scrollingElement.scrollHeight, innerHeight],
  }};
}})()"""


def _node_on_screen(browser: Browser, node: str) -> tuple[float, float]:
    return browser.evaluate(
        f"""(() => {{ const m = window.stakegraphMaps['sg-map'];
        const p = m.network.canvasToDOM(m.network.getPositions(['{node}'])['{node}']);
        const r = {MAP}.querySelector('.sg-canvas').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }})()"""
    )


def _empty_spot(browser: Browser, below: float) -> tuple[float, float]:
    """A point of the canvas, above ``below``, with no person or owner under it."""
    return browser.evaluate(
        f"""(() => {{ const m = window.stakegraphMaps['sg-map'];
        const r = {MAP}.querySelector('.sg-canvas').getBoundingClientRect();
        for (let y = r.top + 20; y < Math.min(r.bottom, {below}) - 10; y += 17)
          for (let x = r.left + 10; x < r.right - 10; x += 23)
            if (m.network.getNodeAt({{x: x - r.left, y: y - r.top}}) === undefined) return [x, y];
        return null; }})()"""
    )


def _centre(browser: Browser, selector: str) -> tuple[float, float]:
    return browser.evaluate(
        f"""(() => {{ const r = {MAP}.querySelector('{selector}').getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2]; }})()"""
    )


def _open_map(browser: Browser, page) -> None:
    browser.open(page, settle=1.5)
    browser.evaluate(f"{MAP}.scrollIntoView()")
    time.sleep(0.3)
    assert browser.evaluate(f"{MAP}.getAttribute('data-drawn')") == "1"


@pytest.mark.parametrize("name", ["map", "smart"])
def test_map_by_touch_on_a_phone(phone, pages, name):
    _open_map(phone, pages[name])
    width, height = PHONE
    state = phone.evaluate(STATE)
    assert state["page"][0] <= state["page"][1] == width, "the page scrolls sideways"
    canvas = state["canvas"]
    assert canvas["left"] == 0 and canvas["right"] == width  # edge to edge
    if name == "map":  # the map's own page is the map: it fills the screen, nothing scrolls
        assert canvas["bottom"] == pytest.approx(height, abs=1)
        assert canvas["height"] >= 0.75 * height and state["page"][2] <= height
    else:
        assert canvas["height"] >= 0.6 * height
    # the controls and the details are folded away; the names drawn are legible
    assert state["toggleShown"] and not state["controlsShown"] and not state["panelShown"]
    assert state["label"] >= 12 - 1e-6

    # the controls unfold over the map's top and fold again
    phone.tap(*_centre(phone, ".sg-toggle"))
    time.sleep(0.2)
    state = phone.evaluate(STATE)
    assert state["controlsShown"] and state["selectShown"] and state["expanded"] == "true"
    png = _shot(phone, pages["shots"] / f"{name}-390-controls.png")
    assert pixel_spread(png) > 0.02
    phone.tap(*_centre(phone, ".sg-toggle"))
    time.sleep(0.2)
    assert not phone.evaluate(STATE)["controlsShown"]

    # a tap on a person opens its details over the map's foot
    x, y = _node_on_screen(phone, "p:lin-shuyuan")
    assert canvas["top"] < y < canvas["bottom"] and 0 < x < width
    phone.tap(x, y)
    time.sleep(0.5)
    state = phone.evaluate(STATE)
    assert state["panelShown"], "a tap on a person shows no details"
    assert "林书远" in state["detail"] and "影响力" in state["detail"]
    panel = state["panel"]
    assert panel["bottom"] <= canvas["bottom"] + 1 and panel["height"] <= 0.6 * canvas["height"]
    png = _shot(phone, pages["shots"] / f"{name}-390-tapped.png")
    assert pixel_spread(png) > 0.02

    # a swipe above the details pans, a pinch zooms
    cx = width / 2
    cy = (canvas["top"] + panel["top"]) / 2
    phone.swipe((cx + 80, cy + 40), (cx - 40, cy - 40))
    time.sleep(0.3)
    moved = phone.evaluate(STATE)
    assert moved["view"] != state["view"], "a swipe did not pan the map"
    phone.pinch(cx, cy, 2.0)
    time.sleep(0.5)
    assert phone.evaluate(STATE)["scale"] > 1.5 * moved["scale"], "a pinch did not zoom"

    # a tap on an empty spot folds the details away, and so does ×
    spot = _empty_spot(phone, panel["top"])
    assert spot is not None
    phone.tap(*spot)
    time.sleep(0.3)
    assert not phone.evaluate(STATE)["panelShown"]
    phone.evaluate(
        "(() => { const m = window.stakegraphMaps['sg-map'];"
        " m.network.body.emitter.emit('click', {nodes: ['p:lin-shuyuan'], edges: []}); })()"
    )
    assert phone.evaluate(STATE)["panelShown"]
    phone.tap(*_centre(phone, ".sg-close"))
    time.sleep(0.3)
    assert not phone.evaluate(STATE)["panelShown"]
    assert phone.errors() == []


def test_map_search_and_filter_on_a_phone(phone, pages):
    _open_map(phone, pages["map"])
    phone.evaluate(
        f"(() => {{ const s = {MAP}.querySelector('.sg-search'); s.value = '许志恒';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    time.sleep(0.3)
    state = phone.evaluate(STATE)
    assert state["panelShown"] and "许志恒" in state["detail"]
    assert state["label"] >= 12 - 1e-6
    x, y = _node_on_screen(phone, "p:xu-zhiheng")
    assert 0 < x < PHONE[0] and state["canvas"]["top"] < y < state["canvas"]["bottom"]

    # narrowing the map to a circle opens it at a readable size too
    phone.evaluate(
        f"(() => {{ const s = {MAP}.querySelector('select'); s.value = 'circle:circle-1';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    time.sleep(0.3)
    assert phone.evaluate(STATE)["label"] >= 12 - 1e-6
    assert phone.errors() == []


@pytest.mark.parametrize("name", ["map", "smart"])
def test_map_on_a_desktop(desktop, pages, name):
    _open_map(desktop, pages[name])
    state = desktop.evaluate(STATE)
    assert state["page"][0] <= state["page"][1]
    # everything in view at once: menu and legend in the bar, details at the side
    assert not state["toggleShown"] and state["selectShown"] and state["panelShown"]
    assert state["panel"]["left"] >= state["canvas"]["right"] - 1
    assert state["canvas"]["right"] - state["canvas"]["left"] >= 0.6 * DESKTOP[0] * 0.85
    x, y = _node_on_screen(desktop, "p:lin-shuyuan")
    for kind in ("mousePressed", "mouseReleased"):
        desktop.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    time.sleep(0.4)
    assert "林书远" in desktop.evaluate(STATE)["detail"]
    png = _shot(desktop, pages["shots"] / f"{name}-map-1440.png")
    assert pixel_spread(png) > 0.02
    assert desktop.errors() == []
