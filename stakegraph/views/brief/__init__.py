"""The one-page brief of an opportunity: PowerPoint, PDF, PNG or SVG.

:func:`brief_content` says what the page holds (in the workspace's language);
:func:`write_brief` lays it out on a 16:9 page and writes it all or nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stakegraph.errors import FigureError
from stakegraph.graph.network import PersonNetwork, network_of
from stakegraph.io.atomic import write_file_atomically
from stakegraph.records.workspace import Workspace
from stakegraph.views.brief.content import Brief, brief_content, workspace_language

#: The files a brief can be written to, by suffix.
BRIEF_FORMATS = (".pptx", ".pdf", ".png", ".svg")


def write_brief(
    source: Workspace | PersonNetwork,
    opportunity: str,
    out: Path | str,
    as_of: dt.date | None = None,
    language: str | None = None,
) -> Path:
    """Write the one-page brief of an opportunity to ``out`` (format by its suffix).

    A .pptx gets editable text boxes and tables (python-pptx); .pdf, .png and .svg
    are drawn by matplotlib with the same layout, the SVG keeping its text as text.
    The file is written through a temporary file and a rename, so a failure leaves
    no half-written brief.

    Parameters
    ----------
    source : Workspace or PersonNetwork
        A loaded workspace, or a network already built for it.
    opportunity : str
        The opportunity's id.
    out : path
        The file to write: .pptx, .pdf, .png or .svg.
    as_of : date, optional
        The analysis day (default: the network's day, or today).
    language : {"zh", "en"}, optional
        Default: Chinese when the opportunity is named in Chinese, else English.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    FigureError
        An unsupported suffix.
    UnknownRecord
        No opportunity with that id.
    StakegraphError
        A .pptx without python-pptx installed.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in BRIEF_FORMATS:
        raise FigureError(
            f"{out}: cannot tell the format from the suffix '{out.suffix}'; "
            f"use {', '.join(BRIEF_FORMATS)}."
        )
    if suffix == ".pptx":
        from stakegraph.views.brief.deck import require_pptx

        require_pptx()  # before the analysis, so a missing library is said at once
    network = network_of(source, as_of)
    brief = brief_content(network, opportunity, language)
    if suffix == ".pptx":
        from stakegraph.views.brief.deck import render_deck

        data = render_deck(brief)
    else:
        from stakegraph.views.brief.slide import render_slide

        data = render_slide(brief, suffix[1:])
    write_file_atomically(out, data)
    return out


__all__ = ["BRIEF_FORMATS", "Brief", "brief_content", "workspace_language", "write_brief"]
