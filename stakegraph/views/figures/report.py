"""The report's pictures: each opportunity's figures drawn once, as PNG bytes.

The same bytes go into ``figures/<opportunity>-<kind>.png`` beside report.md and,
base64-encoded, into report.html, so both show exactly the same picture.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.influence import influence
from stakegraph.analysis.plan import engagement_plan
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.chain import plot_chain
from stakegraph.views.figures.common import DPI
from stakegraph.views.figures.heatmap import plot_coverage_heatmap
from stakegraph.views.figures.influence import plot_influence
from stakegraph.views.figures.orgchart import plot_org_chart
from stakegraph.views.figures.render import figure_help
from stakegraph.views.figures.triangle import plot_triangle
from stakegraph.views.labels import (
    PAPER,
)
from stakegraph.views.language import current_language, shown_label

#: The figures of one opportunity, in report order; each follows the table it illustrates.
OPPORTUNITY_FIGURES = ("chain", "heatmap", "influence", "triangle")

#: Beyond this many organisations the org chart is too dense to read on a page.
ORG_CHART_LIMIT = 60


@dataclass(frozen=True)
class Figure:
    """One drawn figure: where it goes (``figures/<name>.png``), its caption, its PNG bytes."""

    name: str
    kind: str
    caption: str
    png: bytes

    @property
    def path(self) -> str:
        """Path relative to the report folder, with forward slashes (used in links)."""
        return f"figures/{self.name}.png"


_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def file_stem(record_id: str) -> str:
    """A file-name-safe stem for an id: the id itself when it is plain ASCII, else a
    cleaned form with a short hash (ids may hold any character but ``/``, ``:`` and spaces)."""
    if _SAFE_STEM.fullmatch(record_id):
        return record_id
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", record_id).strip("._") or "id"
    return f"{clean}-{hashlib.sha1(record_id.encode()).hexdigest()[:8]}"


def _png(ax) -> bytes:
    fig = ax.figure
    buffer = io.BytesIO()
    try:
        # stored uncompressed: compact_png reads it straight back and compresses once
        fig.savefig(
            buffer,
            dpi=DPI,
            bbox_inches="tight",
            format="png",
            facecolor=PAPER,
            pil_kwargs={"compress_level": 0},
        )
    finally:
        fig.clear()
    return compact_png(buffer.getvalue())


def compact_png(png: bytes) -> bytes:
    """The same chart in a 256-colour palette: about a third of the bytes.

    Charts are flat colours, text and thin lines, so an adaptive palette without
    dithering keeps them sharp; a report of a hundred opportunities embeds four
    hundred figures, and this is what keeps its page small enough to open.
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        flat = Image.new("RGB", image.size, PAPER)
        flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    # the fast octree palette: 0.04 s a figure where median cut with optimize takes 0.16
    palette = flat.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png")
    return out.getvalue()


def opportunity_figures(network: PersonNetwork, opportunity: str) -> dict[str, Figure]:
    """Chain, coverage heatmap, influence and plan figures of one opportunity, by kind."""
    infl = influence(network, opportunity)
    cov = coverage(network, opportunity, infl)
    plan = engagement_plan(network, opportunity, coverage_result=cov)
    axes = {
        "chain": lambda: plot_chain(network, cov),
        "heatmap": lambda: plot_coverage_heatmap(network, cov),
        "influence": lambda: plot_influence(network, infl),
        "triangle": lambda: plot_triangle(network, plan),
    }
    return {
        kind: Figure(
            f"{file_stem(opportunity)}-{kind}",
            kind,
            figure_help(kind, current_language()),
            _png(axes[kind]()),
        )
        for kind in OPPORTUNITY_FIGURES
    }


def org_chart_figure(network: PersonNetwork) -> Figure | None:
    """The workspace's org chart (``figures/orgchart.png``), or None when too large to read."""
    ws = network.workspace
    if not ws.organisations or len(ws.organisations) > ORG_CHART_LIMIT:
        return None
    ax = plot_org_chart(ws, as_of=network.day)
    return Figure("orgchart", "orgchart", figure_help("orgchart", current_language()), _png(ax))


def portfolio_figure(accounts: dict | None, network: PersonNetwork) -> Figure | None:
    """The accounts × stages heatmap (``figures/portfolio.png``), when there are accounts."""
    if not accounts or not accounts["portfolio"]["accounts"]:
        return None
    from stakegraph.analysis.portfolio import portfolio
    from stakegraph.views.figures.portfolio import plot_portfolio_heatmap
    from stakegraph.views.report import ReportPortfolio

    ax = plot_portfolio_heatmap(network.memo.get(ReportPortfolio()) or portfolio(network))
    return Figure(
        "portfolio",
        "portfolio",
        shown_label(
            "客户组合覆盖度 portfolio coverage: accounts × stages, mean coverage of the "
            "account's opportunities"
        ),
        _png(ax),
    )
