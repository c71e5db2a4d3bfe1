"""Formal versus informal: the chain's reporting lines and informal ties, drawn apart."""

from __future__ import annotations

from collections import defaultdict

from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from stakegraph.analysis.formal_informal import FindingKind, FormalInformal, chain_persons
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.figures.common import _prepare
from stakegraph.views.figures.language import grade_word, say
from stakegraph.views.labels import (
    ACCENT,
    BAD,
    FIGURE_LINE,
    FIGURE_TEXT,
    PAPER,
    SIGNAL_COLOURS,
)
from stakegraph.views.language import speaking

#: Legend of the figure: what each kind of line and ring means (keys of FIGURE_WORDS).
LEGEND = {
    "line": "有私交的正式线",
    "bare": "无私交的正式线",
    "tie": "非正式关系",
    "centre": "非正式中心",
}


@speaking
def plot_formal_informal(
    network: PersonNetwork,
    opportunity: str,
    findings: FormalInformal,
    ax: Axes | None = None,
) -> Axes:
    """The chain's holders and their line neighbours, formal lines and informal ties apart.

    Persons: the holders of the opportunity's chain roles and everyone on a reporting
    or oversight line with one of them, one row per grade (senior at the top).
    Formal lines are solid arrows up to the superior, grey when an informal tie
    backs them and red when none does (``BARE_LINE``); informal ties are dashed
    curves whose width grows with their strength; a person consulted over their
    superior or sought out for their grade has an amber ring.

    Parameters
    ----------
    network : PersonNetwork
    opportunity : str
        Whose chain to draw.
    findings : FormalInformal
        From :func:`stakegraph.analysis.formal_informal.formal_informal`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ws = network.workspace
    chain = chain_persons(network, opportunity)
    lines = (network.formal + network.oversight).tocoo()
    index = network.person_index
    on_chain = {index[p] for p in chain}
    pairs = sorted(
        {
            (int(s), int(u))
            for s, u in zip(lines.row, lines.col, strict=True)
            if int(s) in on_chain or int(u) in on_chain
        }
    )
    rows = sorted(on_chain | {r for pair in pairs for r in pair})
    by_grade: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_grade[int(network.grade[row])].append(row)
    grades = sorted(by_grade, reverse=True)
    widest = max((len(v) for v in by_grade.values()), default=1)
    ax = _prepare(ax, (max(8.0, 1.5 * widest), 1.6 + 1.1 * max(len(grades), 1)))
    pos: dict[int, tuple[float, float]] = {}
    for level, g in enumerate(grades):
        members = sorted(by_grade[g], key=lambda r: (network.posts.get(network.persons[r], []), r))
        for i, row in enumerate(members):
            pos[row] = (i - (len(members) - 1) / 2, -float(level))

    bare = {
        (index[f.person], index[f.superior])
        for f in findings
        if f.kind is FindingKind.BARE_LINE and f.superior
    }
    centres = {
        index[f.person]
        for f in findings
        if f.kind in (FindingKind.CONSULTED_OVER_SUPERIOR, FindingKind.SOUGHT_JUNIOR)
    }
    ties = network.tie_strength.tocoo()
    for row_a, row_b, strength in zip(ties.row, ties.col, ties.data, strict=True):
        a, b = int(row_a), int(row_b)
        if a < b and a in pos and b in pos and strength > 0:
            ax.annotate(
                "",
                xy=pos[b],
                xytext=pos[a],
                arrowprops={
                    "arrowstyle": "-",
                    "color": ACCENT,
                    "lw": 0.6 + 2.4 * float(strength),
                    "linestyle": "--",
                    "connectionstyle": "arc3,rad=0.25",
                    "alpha": 0.8,
                },
                zorder=1,
            )
    for s, u in pairs:
        ax.annotate(
            "",
            xy=pos[u],
            xytext=pos[s],
            arrowprops={
                "arrowstyle": "-|>",
                "color": BAD if (s, u) in bare else FIGURE_LINE,
                "lw": 1.4,
                "shrinkA": 14,
                "shrinkB": 14,
            },
            zorder=2,
        )
    for row, (x, y) in pos.items():
        ring = SIGNAL_COLOURS["warn"] if row in centres else FIGURE_LINE
        ax.text(
            x,
            y,
            ws.persons[network.persons[row]].name,
            ha="center",
            va="center",
            fontsize=9,
            color=FIGURE_TEXT,
            weight="bold" if row in on_chain else "normal",
            bbox={
                "boxstyle": "round,pad=0.35",
                "facecolor": PAPER,
                "edgecolor": ring,
                "linewidth": 2.2 if row in centres else 0.8,
            },
            zorder=3,
        )
    for level, g in enumerate(grades):
        ax.text(
            -widest / 2 - 0.4,
            -float(level),
            grade_word(ws, g) if g else say("无职级"),
            ha="right",
            va="center",
            fontsize=9,
            color=FIGURE_LINE,
        )
    ax.set_xlim(-widest / 2 - 1.3, widest / 2 + 0.5)
    ax.set_ylim(-len(grades) + 0.4, 0.6)
    ax.axis("off")
    handles = [
        Line2D([], [], color=FIGURE_LINE, lw=1.4, label=say(LEGEND["line"])),
        Line2D([], [], color=BAD, lw=1.4, label=say(LEGEND["bare"])),
        Line2D([], [], color=ACCENT, lw=1.5, linestyle="--", label=say(LEGEND["tie"])),
        Line2D(
            [],
            [],
            marker="s",
            color=PAPER,
            markeredgecolor=SIGNAL_COLOURS["warn"],
            markeredgewidth=2,
            label=say(LEGEND["centre"]),
        ),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        fontsize=8.5,
        frameon=False,
    )
    name = ws.opportunities[opportunity].name
    ax.set_title(say("正式与非正式：{name}", name=name), fontsize=12, weight="bold")
    return ax
