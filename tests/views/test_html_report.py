"""report.html, report.md and the interactive map: content, safety, and a real browser.

The browser tests open the files in headless Chromium and talk to it over the
DevTools protocol (a websocket): they collect console errors, uncaught
exceptions and every network request, take screenshots, and count the nodes the
map has drawn. On CI (CI=true) a missing Chromium is a failure, not a skip.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time

import numpy as np
import pytest

from stakegraph.analysis.circles import InformalCircles
from stakegraph.errors import MapError
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views import report_writer as writer_module
from stakegraph.views.labels import holder_name
from stakegraph.views.language import shown
from stakegraph.views.map import map_data, write_map
from stakegraph.views.markdown import unescape_cell
from stakegraph.views.report import build_report
from stakegraph.views.report_writer import write_report
from tests.builders import DAY, EXAMPLES
from tests.views.browser import Browser, chromium_or_skip, pixel_spread

SMART = EXAMPLES / "smart-city"
HARBOR = EXAMPLES / "harbor-county"
HOSTILE = "<script>window.__pwned=1</script>\"&'|*_`[x](y)"


@pytest.fixture(scope="module")
def browser():
    b = Browser(chromium_or_skip())
    yield b
    b.close()


# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def smart():
    return load_workspace(SMART)


@pytest.fixture(scope="module")
def smart_network(smart):
    return build_network(smart, DAY)


@pytest.fixture(scope="module")
def written(smart, smart_network, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    files = write_report(smart_network, DAY, out)
    return out, files


# ---------------------------------------------------------------------------
# the detector itself: it must see a deliberate error


def test_browser_catches_console_errors_and_requests(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('deliberate failure');"
        "</script><script>undefinedFunction();</script>"
        "<img src='http://192.0.2.1/none.png'></body></html>"
    )
    browser.open(page)
    errors = browser.errors()
    assert any("deliberate failure" in e for e in errors), errors
    assert any("undefinedFunction" in e for e in errors), errors
    assert any("192.0.2.1" in url for url in browser.requests())

    clean = tmp_path / "clean.html"
    clean.write_text("<!DOCTYPE html><html><body><p>fine</p></body></html>")
    browser.open(clean)
    assert browser.errors() == []
    assert browser.requests() == []


# ---------------------------------------------------------------------------
# report.html in a browser


def test_report_html_renders_without_errors_or_network(browser, written):
    out, _ = written
    browser.open(out / "report.html", settle=1.5)
    assert browser.errors() == []
    assert browser.requests() == [], "report.html must not need the network"
    assert pixel_spread(browser.screenshot()) > 0.05
    full = browser.screenshot(full_page=True)
    assert pixel_spread(full) > 0.05
    # every figure decoded, every table present, the gap kinds coloured
    assert browser.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 100)")
    assert browser.evaluate("document.images.length") == len(
        [p for p in written[1] if p.suffix == ".png"]
    )
    colour = browser.evaluate(
        "getComputedStyle(document.querySelector('.gap-VACANT')).backgroundColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    font = browser.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in font


def _expected_map_nodes(data) -> int:
    # persons, owners, vacant posts and unknown holders (人选未明)
    placeholders = ("o:", "v:", "u:")
    return data.persons_shown + sum(1 for n in data.nodes if n["id"].startswith(placeholders))


def test_map_in_report_draws_every_node(browser, written, smart_network):
    out, _ = written
    browser.open(out / "report.html", settle=1.5)
    expected = map_data(smart_network)
    drawn = browser.evaluate(
        "(() => { const m = window.stakegraphMaps['sg-map'];"
        " return [m.network.body.data.nodes.length,"
        " Object.keys(m.network.getPositions()).length,"
        " m.network.body.nodeIndices.length]; })()"
    )
    assert drawn == [len(expected.nodes)] * 3
    assert len(expected.nodes) == _expected_map_nodes(expected)
    assert browser.errors() == []


def test_map_file_filters_and_draws(browser, smart, smart_network, tmp_path):
    out = write_map(smart_network, DAY, tmp_path / "map.html")
    browser.open(out, settle=1.5)
    assert browser.errors() == []
    assert browser.requests() == []
    count = "window.stakegraphMaps['sg-map'].network.body.nodeIndices.length"
    everyone = len(smart.persons) + len(
        {o for o in smart.owners if any(r.owner == o for r in smart.relationships.values())}
    )
    # vacant posts and unknown holders (人选未明) are boxes of their own
    vacant = sum(1 for n in map_data(smart_network).nodes if n["id"].startswith(("v:", "u:")))
    assert browser.evaluate(count) == everyone + vacant
    assert pixel_spread(browser.screenshot()) > 0.02

    # the in-page menu narrows the map to one circle
    circle = map_data(smart_network, circle="circle-1")
    browser.evaluate(
        "(() => { const s = document.querySelector('#sg-map select');"
        " s.value = 'circle:circle-1'; s.dispatchEvent(new Event('change')); })()"
    )
    time.sleep(0.3)
    assert browser.evaluate(count) == len(circle.nodes)
    # clicking a person fills the detail panel (post, grade, influence, cover)
    browser.evaluate(
        "(() => { const m = window.stakegraphMaps['sg-map']; const id = 'p:xu-zhiheng';"
        " const p = m.network.canvasToDOM(m.network.getPositions([id])[id]);"
        " m.network.selectNodes([id]); m.network.body.emitter.emit('click', {nodes: [id]}); })()"
    )
    panel = browser.evaluate("document.querySelector('#sg-map .sg-panel').innerText")
    assert "许志恒" in panel and "正处" in panel and "影响力" in panel and "覆盖" in panel
    assert browser.errors() == []


def test_hostile_names_stay_text_in_the_browser(browser, tmp_path):
    ws = _hostile_workspace()
    out = tmp_path / "hostile"
    write_report(ws, DAY, out)
    write_map(ws, DAY, out / "map.html")
    for page in ("report.html", "map.html"):
        browser.open(out / page)
        assert browser.evaluate("window.__pwned === undefined"), page
        assert browser.errors() == [], page
        assert HOSTILE[:20] in browser.evaluate("document.body.innerText"), page


# ---------------------------------------------------------------------------
# files, content, safety (no browser needed)


def test_report_files_and_figures(written, smart):
    out, files = written
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"report.html", "report.md"} <= names
    for opp in smart.opportunities:
        for kind in ("chain", "heatmap", "influence", "triangle"):
            assert f"figures/{opp}-{kind}.png" in names
    for path in files:
        assert path.exists() and path.stat().st_size > 0
    md = (out / "report.md").read_text(encoding="utf-8")
    for path in names - {"report.html", "report.md"}:
        assert f"]({path})" in md  # every figure is referenced
    html_text = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html_text)
    assert html_text.count('<img src="data:image/png;base64,') == len(names) - 2
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"' in html_text


def _md_tables(md: str) -> list[tuple[str, list[list[str]]]]:
    """Markdown tables in order, as (bold title line, rows of unescaped cells)."""
    tables: list[tuple[str, list[list[str]]]] = []
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("**") and i + 2 < len(lines) and lines[i + 2].startswith("|"):
            rows = []
            for row in lines[i + 4 :]:
                if not row.startswith("|"):
                    break
                cells = re.split(r"(?<!\\)\|", row.strip()[1:-1])
                rows.append([unescape_cell(c) for c in cells])
            tables.append((unescape_cell(line.strip("*")), rows))
    return tables


def test_markdown_tables_match_report_data(written, smart, smart_network):
    out, _ = written
    report = build_report(smart, DAY, network=smart_network)
    tables = _md_tables((out / "report.md").read_text(encoding="utf-8"))
    # seven tables per opportunity (the rotation risk, then the formal-versus-informal
    # findings last), then six on the book of accounts and the change since the last
    # review (the saved plan of 2026-10-08), then the findings by organisation
    assert all(opp["formal_informal"] for opp in report["opportunities"])
    n = 7 * len(report["opportunities"])
    assert len(tables) == n + 8
    assert tables[n][0] == "客户组合 portfolio (value 万元)"
    assert (
        tables[-2][0].startswith("上次复盘以来的变化")
        and "2026-10-08 → 2026-11-28" in tables[-2][0]
    )
    org_title, org_rows = tables[-1]
    assert org_title == "正式与非正式（按单位） formal versus informal by organisation"
    assert [r[2] for r in org_rows] == [
        f["name"] for org in report["formal_informal"] for f in org["findings"]
    ]
    portfolio_rows = tables[n][1]
    assert [r[0] for r in portfolio_rows] == [
        a["name"] for a in report["accounts"]["portfolio"]["accounts"]
    ]
    changes = tables[n + 3][1]
    assert [(r[0], r[1]) for r in changes] == [
        (c["owner_name"], c["person_name"]) for c in report["accounts"]["level_changes"]
    ]
    assert any(r[3].startswith("↓") for r in changes)  # the report flags a dropped level
    for number, opp in enumerate(report["opportunities"]):
        (chain_title, chain), (gaps_title, gaps), (infl_title, infl), (_, circles), (_, plan) = (
            tables[7 * number : 7 * number + 5]
        )
        rotation_title, rotation = tables[7 * number + 5]
        findings_title, findings = tables[7 * number + 6]
        assert findings_title == "正式与非正式 formal versus informal"
        assert [(r[0], r[1], r[4]) for r in findings] == [
            (f["kind_label"], f["name"], f["reason_zh"]) for f in opp["formal_informal"]
        ]
        assert rotation_title.startswith("轮岗预警 rotation risk ahead (6m)")
        assert [(r[0], r[5]) for r in rotation] == [
            (holder_name(h["name"], h["acting"]), f"{100 * h['probability']:.0f}%")
            for h in opp["rotation"]["holders"]
        ]
        # the acting head of the trading centre is flagged in the table that reads the flag
        assert any(h["acting"] for h in opp["rotation"]["holders"]) is (opp["id"] == "smart-city")
        assert gaps_title == f"缺口 gaps by severity — {opp['name']}"
        assert [(r[0], r[1], r[2], r[3], r[4]) for r in gaps] == [
            (f"{g['severity']:.3f}", g["kind"], g["step_name"], g["who"], shown(g, "reason"))
            for g in opp["gaps"]
        ]
        assert chain_title == (
            f"决策链 decision chain — {opp['name']} (coverage {100 * opp['coverage']:.0f}%)"
        )
        roles = [r for step in opp["chain"] for r in step["roles"]]
        assert len(chain) == len(roles)
        for row, role in zip(chain, roles, strict=True):
            assert row[3].startswith(role["name"] or ("人选未明" if "unknown" in role else "空缺"))
            assert row[5] == f"{role['weight']:.2f}" and row[6] == f"{role['cover']:.2f}"
            assert row[8].split() == role["gaps"]
        assert [r[1] for r in plan] == [
            holder_name(p["name"], p.get("acting", False)) for p in opp["plan"]
        ]
        assert [r[5] for r in plan] == [p["responsible_name"] or "—" for p in opp["plan"]]
        assert infl_title.startswith("影响力")
        assert [r[1] for r in infl] == [row["name"] for row in opp["influence"]]
        assert [r[4] for r in infl] == [f"{row['score']:.2f}" for row in opp["influence"]]
        assert [r[5] for r in infl] == [f"{row['parts']['formal']:.2f}" for row in opp["influence"]]
        assert [r[1] for r in circles] == [", ".join(c["member_names"]) for c in opp["circles"]]


def _hostile_workspace():
    ws = load_workspace(SMART)
    person = ws.persons["xu-zhiheng"]
    ws.persons["xu-zhiheng"] = person.model_copy(update={"name": HOSTILE})
    owner = ws.owners["liu-kai"]
    ws.owners["liu-kai"] = owner.model_copy(update={"name": "<img src=x onerror=alert(1)>"})
    opp = ws.opportunities["smart-city"]
    ws.opportunities["smart-city"] = opp.model_copy(update={"name": "</script><b>opp</b>"})
    return ws


def test_hostile_names_are_escaped(tmp_path):
    ws = _hostile_workspace()
    write_report(ws, DAY, tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page and "</script><b>" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img" not in md
    chain = next(t for k, t in _md_tables(md) if k.startswith("决策链"))
    assert chain[0][3] == HOSTILE  # escaped, and reads back exactly
    map_page = write_map(ws, DAY, tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in map_page and "<img src=x" not in map_page


def test_report_writes_all_or_nothing(smart, smart_network, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("previous")
    (out / "notes.txt").write_text("mine")

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(writer_module, "report_markdown", broken)
    with pytest.raises(RuntimeError):
        write_report(smart_network, DAY, out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.html"]
    assert (out / "report.html").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no scratch folder left behind

    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError):
        write_report(smart_network, DAY, fresh)
    assert not fresh.exists()


def test_the_map_and_report_are_handed_a_workspace_not_a_path(smart_network, tmp_path):
    with pytest.raises(TypeError, match=r"not PosixPath; load a folder first"):
        write_map(SMART, DAY, tmp_path / "map.html")
    with pytest.raises(TypeError, match=r"not str; load a folder first"):
        write_report(str(SMART), DAY, tmp_path / "report")
    with pytest.raises(ValueError, match=f"the network is of {DAY}, not 2026-06-01"):
        write_map(smart_network, dt.date(2026, 6, 1), tmp_path / "map.html")
    assert list(tmp_path.iterdir()) == []
    # None: the network's own day
    assert write_map(smart_network, None, tmp_path / "map.html").stat().st_size > 10_000


def test_failed_move_restores_previous_files(smart, smart_network, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_report(smart_network, DAY, out, opportunity="smart-city")
    # a file of the user's own: the new files are moved in one by one, not swapped
    (out / "notes.txt").write_text("mine")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_replace = os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 7:  # part-way through moving the new files in
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr("stakegraph.io.atomic.os.replace", flaky)
    with pytest.raises(OSError):
        write_report(smart, dt.date(2026, 6, 1), out, opportunity="smart-city")
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_english_example_report(tmp_path):
    ws = load_workspace(HARBOR)
    files = write_report(ws, DAY, tmp_path)
    report = build_report(ws, DAY)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for opp in report["opportunities"]:
        assert opp["name"] in md and opp["name"] in page
        for gap in opp["gaps"]:
            assert gap["reason"].split(":")[0] in md
    assert any(p.name.endswith("-chain.png") for p in files)


def test_map_filters_and_errors(smart, smart_network):
    full = map_data(smart_network)
    assert full.left_out == 0 and full.note is None
    opp = map_data(smart_network, opportunity="smart-city")
    holders = {
        r["person"]
        for s in build_report(smart, DAY, "smart-city", network=smart_network)["opportunities"][0][
            "chain"
        ]
        for r in s["roles"]
        if r["person"]
    }
    drawn = {n["id"][2:] for n in opp.nodes if n["id"].startswith("p:")}
    assert holders <= drawn
    assert any(n["id"].startswith("v:") for n in opp.nodes)  # the vacant post is shown
    circle = map_data(smart_network, circle="circle-1")
    members = {n["id"][2:] for n in circle.nodes if n["id"].startswith("p:")}
    kept = smart_network.memo.get(InformalCircles())
    assert kept is not None  # the map keeps the circles it draws
    assert members == set(next(c for c in kept if c.id == "circle-1").members)
    with pytest.raises(MapError, match="circle-9"):
        map_data(smart_network, circle="circle-9")
    # levels put seniors above juniors and our owners in the bottom row
    levels = {n["id"]: n["level"] for n in full.nodes}
    assert levels["p:lin-shuyuan"] < levels["p:xu-zhiheng"] < levels["p:he-jing"]
    assert max(levels.values()) == min(v for k, v in levels.items() if k.startswith("o:"))


@pytest.mark.slow
def test_large_map_is_trimmed_not_a_hairball():
    from benchmarks.synthetic import generate_workspace

    ws = generate_workspace(1500, seed=3)
    network = build_network(ws, DAY)
    data = map_data(network)
    persons = [n for n in data.nodes if n["id"].startswith("p:")]
    assert len(persons) <= 250
    assert data.left_out == 1500 - len(persons) > 0
    assert data.note and str(data.left_out) in data.note
    from stakegraph.analysis.coverage import coverage

    chain = {h.person for o in ws.opportunities for h in coverage(network, o).holders if h.person}
    assert chain <= {n["id"][2:] for n in persons} or len(chain) > 250


def test_figures_are_compacted_to_a_palette_without_losing_the_picture():

    import matplotlib.pyplot as plt
    from PIL import Image

    from stakegraph.views.figures.report import compact_png

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.imshow(np.linspace(0, 1, 400).reshape(20, 20), cmap="RdYlGn")
    ax.set_title("coverage")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    plt.close(fig)
    original = buffer.getvalue()
    small = compact_png(original)
    assert len(small) < len(original) / 2
    before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(small)).convert("RGB"), dtype=float)
    assert Image.open(io.BytesIO(small)).mode == "P" and after.shape == before.shape
    assert np.abs(after - before).mean() < 2.0  # on a 0-255 scale: the same picture


def _labelled_figure(far_note: bool = False):
    """A bar chart whose long labels stick out left of the figure, as a heatmap's do."""
    from stakegraph.views.figures.common import new_figure
    from stakegraph.views.fonts import use_cjk_font

    use_cjk_font()
    fig = new_figure((5.0, 3.0))
    ax = fig.add_subplot()
    ax.barh(range(4), [3, 1, 4, 2], color=["#c0392b", "#27ae60", "#2980b9", "#f1c40f"])
    ax.set_yticks(range(4), [f"江川市发展和改革委员会第{i}处处长" for i in range(4)])
    ax.set_title("覆盖 coverage")
    if far_note:  # further left than the drawing margin reaches
        ax.annotate("far", (0, 0), xytext=(-9.0, 0.5), textcoords="figure fraction")
    return fig


def _tight_save(fig) -> np.ndarray:
    from PIL import Image

    from stakegraph.views.figures.common import DPI
    from stakegraph.views.labels import PAPER

    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=DPI, bbox_inches="tight", pad_inches=0.1, facecolor=PAPER)
    return np.asarray(Image.open(buffer).convert("RGB"), dtype=float)


def _blocks(pixels: np.ndarray, size: int = 6) -> np.ndarray:
    """Mean colour of size × size blocks: a one-pixel shift barely moves them."""
    h, w = (pixels.shape[0] // size) * size, (pixels.shape[1] // size) * size
    return pixels[:h, :w].reshape(h // size, size, w // size, size, 3).mean(axis=(1, 3))


def test_a_figure_drawn_once_and_cut_is_the_tight_save():
    from stakegraph.views.figures.report import draw_cut

    expected = _tight_save(_labelled_figure())
    fig = _labelled_figure()
    cut = draw_cut(fig)
    assert cut is not None  # the labels stick out, and the margin holds them
    assert fig.get_size_inches().tolist() == [5.0, 3.0]  # the figure is left as it was
    assert abs(cut.shape[0] - expected.shape[0]) <= 1
    assert abs(cut.shape[1] - expected.shape[1]) <= 1
    # wider than the figure itself: the labels left of it are in the picture
    assert cut.shape[1] > 5.0 * 150
    h, w = min(cut.shape[0], expected.shape[0]), min(cut.shape[1], expected.shape[1])
    difference = np.abs(_blocks(cut[:h, :w].astype(float)) - _blocks(expected[:h, :w]))
    assert difference.mean() < 3.0 and np.percentile(difference, 99) < 60


def test_a_figure_beyond_the_margin_is_saved_the_usual_way():
    from PIL import Image

    from stakegraph.views.figures.report import _png, draw_cut

    assert draw_cut(_labelled_figure(far_note=True)) is None
    expected = _tight_save(_labelled_figure(far_note=True))
    fig = _labelled_figure(far_note=True)
    drawn = np.asarray(Image.open(io.BytesIO(_png(fig.axes[0]))).convert("RGB"))
    assert drawn.shape == expected.shape and drawn.shape[1] > 9 * 5.0 * 150
