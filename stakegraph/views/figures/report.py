"""The report's pictures: each opportunity's figures drawn once, as PNG bytes.

The same bytes go into ``figures/<opportunity>-<kind>.png`` beside report.md and,
base64-encoded, into report.html, so both show exactly the same picture.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.figure import Figure as MplFigure

from stakegraph.analysis.coverage import coverage
from stakegraph.analysis.influence import influence
from stakegraph.analysis.plan import engagement_plan
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.chain import plot_chain
from stakegraph.views.figures.common import DPI, root_figure
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


#: Room drawn around a figure beyond its own size, in inches (left and right, bottom and
#: top). Labels may stick out of a figure (long post names left of a heatmap); drawn on
#: this wider canvas they are still on it, so one drawing is cut to its content.
DRAW_MARGIN = (3.0, 1.0)

#: Space kept around the content when it is cut, in inches (matplotlib's savefig default).
PAD_INCHES = 0.1


def _png(ax) -> bytes:
    """The figure of ``ax`` as a compact PNG cut to its content; the figure is cleared."""
    fig = root_figure(ax)
    try:
        pixels = draw_cut(fig)
        if pixels is None:
            # content beyond the margin: matplotlib's tight save, which draws twice
            buffer = io.BytesIO()
            # stored uncompressed: compact_png reads it straight back and compresses once
            fig.savefig(
                buffer,
                dpi=DPI,
                bbox_inches="tight",
                pad_inches=PAD_INCHES,
                format="png",
                facecolor=PAPER,
                pil_kwargs={"compress_level": 0},
            )
            return compact_png(buffer.getvalue())
    finally:
        fig.clear()
    return palette_png(pixels)


def draw_cut(fig: MplFigure, dpi: float = DPI) -> np.ndarray | None:
    """The figure drawn once and cut to its content: RGB pixels, or None if it cannot be.

    What ``savefig(bbox_inches="tight")`` shows, from one drawing instead of two.
    Matplotlib's tight save draws the figure once without pixels to find its extent
    (laying out every label: most of a figure's cost), then again on a canvas of that
    size. Here the figure is drawn once on a canvas :data:`DRAW_MARGIN` larger on
    every side, its tight box (every artist's extent, :meth:`Figure.get_tightbbox`,
    plus :data:`PAD_INCHES`) is measured on that drawing and the pixels inside it
    are cut out. The picture is the same but for the sub-pixel position of the
    content, so edges may differ by one pixel.

    Parameters
    ----------
    fig : matplotlib Figure
        A figure on the Agg canvas, without a layout engine (one would lay the figure
        out again on the wider canvas); its dpi and face colour are set here.
    dpi : float
        Pixels per inch.

    Returns
    -------
    numpy array of shape (height, width, 3) or None
        None when the content reaches beyond the margin or the figure has a layout
        engine; the caller then saves it the usual way.

    Complexity: one drawing, O(artists + canvas pixels); the tight box reuses the
    drawing's text measurements. Reference: matplotlib's ``Figure.savefig`` with
    ``bbox_inches="tight"`` and ``matplotlib._tight_bbox.adjust_bbox``, whose
    canvas shift this uses.
    """
    from matplotlib import _tight_bbox
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    if fig.get_layout_engine() is not None or not isinstance(fig.canvas, FigureCanvasAgg):
        return None
    fig.set_dpi(dpi)
    fig.patch.set_facecolor(PAPER)
    width, height = fig.get_size_inches()
    margin_x, margin_y = DRAW_MARGIN
    canvas = fig.canvas
    wider = Bbox.from_extents(-margin_x, -margin_y, width + margin_x, height + margin_y)
    restore = _tight_bbox.adjust_bbox(fig, wider, canvas.get_renderer(), dpi)
    try:
        canvas.draw()
        renderer = canvas.get_renderer()
        tight = fig.get_tightbbox(renderer).padded(PAD_INCHES)
        canvas_w, canvas_h = fig.bbox.width, fig.bbox.height
        x0, y0, x1, y1 = (v * dpi for v in tight.extents)
        if x0 < 0 or y0 < 0 or x1 > canvas_w or y1 > canvas_h:
            return None
        rgba = np.asarray(renderer.buffer_rgba())
        left, top = round(x0), round(canvas_h - y1)
        cut = rgba[top : top + int(tight.height * dpi), left : left + int(tight.width * dpi), :3]
        return np.ascontiguousarray(cut)
    finally:
        restore()


def palette_png(pixels: np.ndarray) -> bytes:
    """RGB pixels as a PNG in a 256-colour palette (see :func:`compact_png`)."""
    from PIL import Image

    image = Image.fromarray(pixels)
    # the fast octree palette: 0.04 s a figure where median cut with optimize takes 0.16
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png")
    return out.getvalue()


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
    return palette_png(np.asarray(flat))


def opportunity_figures(
    network: PersonNetwork, opportunity: str, kinds: tuple[str, ...] = OPPORTUNITY_FIGURES
) -> dict[str, Figure]:
    """Chain, coverage heatmap, influence and plan figures of one opportunity, by kind
    (only ``kinds``, in report order)."""
    infl = influence(network, opportunity)
    cov = coverage(network, opportunity, infl)
    from stakegraph.views.report import ReportPlan

    # the report listed this plan already: its figure reuses it
    plan = network.memo.get(ReportPlan(opportunity))
    if plan is None:
        plan = engagement_plan(network, opportunity, coverage_result=cov)
    axes = {
        "chain": lambda: plot_chain(network, cov),
        "heatmap": lambda: plot_coverage_heatmap(network, cov),
        "influence": lambda: plot_influence(network, infl),
        "triangle": lambda: plot_triangle(network, plan),
    }
    return {
        kind: replace(planned_figure(opportunity, kind), png=_png(axes[kind]()))
        for kind in OPPORTUNITY_FIGURES
        if kind in kinds
    }


def planned_figure(opportunity: str, kind: str) -> Figure:
    """An opportunity's figure of ``kind`` before it is drawn: its name and caption,
    no PNG bytes yet."""
    return Figure(
        f"{file_stem(opportunity)}-{kind}", kind, figure_help(kind, current_language()), b""
    )


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
