"""The one-page brief: what it says, and that every format carries it legibly.

The PDF is rasterised with pdftoppm (poppler-utils) and the PPTX converted by
LibreOffice headless (libreoffice-impress-nogui), both installed by ``make sysdeps``;
without them those tests are skipped, and on CI (CI=true) they fail.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from stakegraph.errors import FigureError, StakegraphError, UnknownRecord
from stakegraph.graph.network import build_network
from stakegraph.io import load_workspace
from stakegraph.views.brief import Brief, brief_content, write_brief
from stakegraph.views.brief.slide import render_slide, wrap
from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY

EXAMPLES = {"zh": (SMART_CITY, "smart-city"), "en": (HARBOR_COUNTY, "records-digitisation")}


def missing(what: str, package: str) -> None:
    """Skip a test for a missing system package; on CI that is a failure."""
    message = f"{what} not found: install it (make sysdeps, or apt-get install {package})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (required on CI)")
    pytest.skip(message)


def need(tool: str, package: str) -> str:
    """The path of a system tool; skip without it, fail on CI."""
    found = shutil.which(tool)
    if found is None:
        missing(tool, package)
    return str(found)


def need_impress() -> str:
    """LibreOffice with its presentation module (a bare soffice cannot open a .pptx)."""
    soffice = need("soffice", "libreoffice-impress-nogui")
    home = Path(soffice).resolve().parent.parent
    if not (home / "share" / "registry" / "impress.xcd").exists():
        missing("LibreOffice Impress", "libreoffice-impress-nogui")
    return soffice


@contextmanager
def no_missing_glyphs():
    """Every warning is an error while drawing: 'Glyph … missing from font(s)' included."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def pixel_spread(png: Path) -> float:
    """Standard deviation of the grey levels: near 0 for a blank page."""
    from matplotlib.image import imread

    image = imread(io.BytesIO(png.read_bytes()), format="png")[..., :3]
    return float(np.std(image.mean(axis=2)))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def networks():
    return {
        lang: (build_network(load_workspace(path), DAY), opp)
        for lang, (path, opp) in EXAMPLES.items()
    }


@pytest.fixture(scope="module")
def briefs(networks) -> dict[str, Brief]:
    return {lang: brief_content(net, opp) for lang, (net, opp) in networks.items()}


# --- what the brief says -----------------------------------------------------------------


def test_the_language_follows_the_workspace(briefs):
    assert briefs["zh"].language == "zh" and briefs["en"].language == "en"
    assert briefs["zh"].title == "江川市城市大脑一期"
    assert "客户：江川市大数据管理局" in briefs["zh"].subtitle
    assert "3,800 万元" in briefs["zh"].subtitle and "2026-11-28" in briefs["zh"].subtitle
    assert briefs["en"].subtitle.startswith("Client: Harbor County")
    assert "Stage: pursuit" in briefs["en"].subtitle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gaps_are_the_most_severe_and_actions_the_plans_first_three(networks, briefs, lang):
    from stakegraph.analysis.coverage import coverage
    from stakegraph.analysis.plan import engagement_plan

    network, opp = networks[lang]
    brief = briefs[lang]
    cov = coverage(network, opp)
    top = sorted((g.severity for g in cov.gaps), reverse=True)[: len(brief.gaps)]
    assert 3 <= len(brief.gaps) <= 5
    assert [g.severity for g in brief.gaps] == pytest.approx(top)
    plan = engagement_plan(network, opp, coverage_result=cov)
    assert [a.target for a in brief.actions] == [r.name for r in plan[:3]]
    if lang == "en":  # the analysis' own words, without their Chinese glosses
        assert [a.text for a in brief.actions] == [
            re.sub(r" \([\u4e00-\u9fff/]+\)", "", r.action) for r in plan[:3]
        ]
        assert not any(re.search(r"[\u4e00-\u9fff]", a.text) for a in brief.actions)
    else:
        assert all(re.search(r"[\u4e00-\u9fff]", g.reason) for g in brief.gaps)
    assert all(a.owner for a in brief.actions)


def test_an_unknown_opportunity_names_the_known_ones(networks):
    network, _ = networks["zh"]
    with pytest.raises(UnknownRecord, match="no opportunity with id 'nope'.*smart-city"):
        brief_content(network, "nope")


def test_latin_words_wrap_whole_and_chinese_anywhere():
    assert wrap("deepen it with regular contact", 6) == ["deepen it", "with", "regular", "contact"]
    assert wrap("以定期接触加深关系", 4) == ["以定期接", "触加深关", "系"]


# --- PowerPoint ----------------------------------------------------------------------------


def deck_texts(path: Path) -> tuple[list[str], list[object]]:
    """Every text of the slide's text frames and table cells, and its pictures."""
    from pptx import Presentation

    slide = Presentation(str(path)).slides[0]
    texts, pictures = [], []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            texts += [cell.text_frame.text for row in shape.table.rows for cell in row.cells]
        if shape.shape_type == 13:  # picture
            pictures.append(shape)
    return texts, pictures


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_deck_is_editable_text(tmp_path, networks, briefs, lang):
    network, opp = networks[lang]
    out = write_brief(network, opp, tmp_path / "brief.pptx")
    texts, pictures = deck_texts(out)
    brief = briefs[lang]
    assert brief.title in texts and brief.subtitle in texts
    for gap in brief.gaps:
        assert gap.reason in texts and gap.label in texts and gap.who in texts
    for action in brief.actions:
        assert action.text in texts and action.owner in texts
    assert len(pictures) == 2  # the chain and the coverage bars only
    from pptx import Presentation

    deck = Presentation(str(out))
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, abs=1e-3)


def test_every_run_names_an_east_asian_font(tmp_path, networks):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    network, opp = networks["zh"]
    out = write_brief(network, opp, tmp_path / "brief.pptx")
    runs = Presentation(str(out)).slides[0].shapes._spTree.iter(qn("a:r"))
    props = [run.find(qn("a:rPr")) for run in runs]
    assert props and all(p is not None for p in props)
    assert {p.find(qn("a:ea")).get("typeface") for p in props} == {"Microsoft YaHei"}
    assert {p.get("lang") for p in props} == {"zh-CN"}


def test_a_deck_without_python_pptx_says_how_to_install_it(tmp_path, networks, monkeypatch):
    network, opp = networks["en"]
    monkeypatch.setitem(sys.modules, "pptx", None)
    out = tmp_path / "brief.pptx"
    with pytest.raises(StakegraphError, match=r"pip install 'stakegraph\[pptx\]'"):
        write_brief(network, opp, out)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def office_pdfs(tmp_path_factory, networks):
    """Both decks converted to PDF by LibreOffice headless, in one run."""
    soffice = need_impress()
    folder = tmp_path_factory.mktemp("office")
    decks = [
        write_brief(net, opp, folder / f"{lang}.pptx") for lang, (net, opp) in networks.items()
    ]
    profile = folder / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, decks),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {lang: folder / f"{lang}.pdf" for lang in networks}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_office_shows_the_deck(tmp_path, office_pdfs, briefs, lang):
    pdftotext = need("pdftotext", "poppler-utils")
    page = raster(office_pdfs[lang], tmp_path)
    assert pixel_spread(page) > 0.05
    text = squeeze(
        subprocess.run(
            [pdftotext, str(office_pdfs[lang]), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    brief = briefs[lang]
    for expected in [
        brief.title,
        *(g.reason for g in brief.gaps),
        *(a.owner for a in brief.actions),
    ]:
        assert squeeze(expected) in text, expected


# --- PDF, PNG, SVG -------------------------------------------------------------------------


def raster(pdf: Path, folder: Path) -> Path:
    pdftoppm = need("pdftoppm", "poppler-utils")
    stem = folder / pdf.stem
    subprocess.run([pdftoppm, "-r", "60", "-png", "-singlefile", str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_is_a_drawn_page_without_missing_glyphs(tmp_path, briefs, lang):
    pdf = tmp_path / "brief.pdf"
    with no_missing_glyphs():
        pdf.write_bytes(render_slide(briefs[lang], "pdf"))
    assert pixel_spread(raster(pdf, tmp_path)) > 0.05
    # the text is embedded as text (TrueType), so it can be searched and copied
    pdftotext = need("pdftotext", "poppler-utils")
    text = squeeze(
        subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert squeeze(briefs[lang].title) in text
    assert squeeze(briefs[lang].actions[0].owner) in text


def test_the_png_is_a_16_by_9_page(tmp_path, networks):
    network, opp = networks["en"]
    with no_missing_glyphs():
        out = write_brief(network, opp, tmp_path / "brief.png")
    from matplotlib.image import imread

    height, width = imread(out).shape[:2]
    assert width / height == pytest.approx(16 / 9, abs=0.01)
    assert pixel_spread(out) > 0.05


def test_the_svg_keeps_chinese_text_as_text(tmp_path, networks, briefs):
    network, opp = networks["zh"]
    out = write_brief(network, opp, tmp_path / "brief.svg")
    svg = out.read_text(encoding="utf-8")
    brief = briefs["zh"]
    assert f">{brief.title}<" in svg
    for expected in ("决策链（按覆盖着色）", brief.actions[0].owner, brief.gaps[0].who):
        assert expected in svg


# --- writing -------------------------------------------------------------------------------


def test_a_failed_drawing_leaves_the_old_file_and_no_leftover(tmp_path, networks, monkeypatch):
    import stakegraph.views.brief.slide as slide

    network, opp = networks["en"]
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"the old brief")

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(slide, "render_slide", broken)
    with pytest.raises(RuntimeError):
        write_brief(network, opp, out)
    assert out.read_bytes() == b"the old brief"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_an_unknown_suffix_is_refused(tmp_path, networks):
    network, opp = networks["en"]
    with pytest.raises(FigureError, match=r"\.pptx, \.pdf, \.png, \.svg"):
        write_brief(network, opp, tmp_path / "brief.docx")


@pytest.mark.parametrize("opp", ["gov-cloud", "fin-budget-ops", "province-catalogue"])
def test_every_opportunity_of_the_example_gets_a_page(tmp_path, networks, opp):
    network, _ = networks["zh"]
    with no_missing_glyphs():
        out = write_brief(network, opp, tmp_path / "brief.png")
    assert pixel_spread(out) > 0.05
    brief = brief_content(network, opp)
    assert brief.language == "zh" and len(brief.actions) <= 3
