"""``map`` and ``plot`` through the command line, as a user runs them."""

from __future__ import annotations

import pytest

from tests.builders import DAY, HARBOR_COUNTY, SMART_CITY, run_cli


def test_map_writes_one_page(tmp_path):
    out = tmp_path / "map.html"
    result = run_cli(["map", SMART_CITY, "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "许志恒" in page
    assert f"已写入 {out}" in result.output


@pytest.mark.parametrize("kind", ["chain", "influence", "heatmap", "triangle", "orgchart"])
def test_plot_writes_each_figure(tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    result = run_cli(["plot", SMART_CITY, kind, "-o", "smart-city", "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_brief_writes_an_editable_deck(tmp_path):
    from pptx import Presentation

    out = tmp_path / "brief.pptx"
    result = run_cli(["brief", SMART_CITY, "-o", "smart-city", "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    assert f"已写入 {out}" in result.output
    shapes = Presentation(str(out)).slides[0].shapes
    assert "江川市城市大脑一期" in [s.text_frame.text for s in shapes if s.has_text_frame]


def test_brief_of_the_only_opportunity_needs_no_id(tmp_path):
    out = tmp_path / "brief.svg"
    result = run_cli(["brief", HARBOR_COUNTY, "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    assert ">Records digitisation<" in out.read_text(encoding="utf-8")


def test_brief_of_an_unknown_opportunity_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "brief.pdf"
    result = run_cli(["brief", SMART_CITY, "-o", "nope", "--as-of", DAY, "--out", out])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        'error: --opportunity: no 商机 opportunity "nope" in smart-city (by id, name, alias or '
        "pinyin), and none is close (4 in all); check the spelling, or add the opportunity to "
        "opportunities first."
    ]
    assert list(tmp_path.iterdir()) == []


def test_brief_refuses_an_unknown_format(tmp_path):
    out = tmp_path / "brief.docx"
    result = run_cli(["brief", SMART_CITY, "-o", "smart-city", "--out", out])
    assert result.exit_code == 2
    assert "use one of .pptx, .pdf, .png, .svg" in result.output
    assert not out.exists()


@pytest.mark.parametrize(("example", "lang"), [(SMART_CITY, "zh-CN"), (HARBOR_COUNTY, "en")])
def test_the_map_page_is_marked_in_the_workspaces_language(tmp_path, example, lang):
    out = tmp_path / "map.html"
    result = run_cli(["map", example, "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
