"""``map`` and ``plot`` through the command line, as a user runs them."""

from __future__ import annotations

import pytest

from tests.builders import DAY, SMART_CITY, run_cli


def test_map_writes_one_page(tmp_path):
    out = tmp_path / "map.html"
    result = run_cli(["map", SMART_CITY, "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "许志恒" in page
    assert f"Wrote {out}" in result.output


@pytest.mark.parametrize("kind", ["chain", "influence", "heatmap", "triangle", "orgchart"])
def test_plot_writes_each_figure(tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    result = run_cli(["plot", SMART_CITY, kind, "-o", "smart-city", "--as-of", DAY, "--out", out])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
