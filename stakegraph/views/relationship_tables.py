"""Tables of our relationships: the six scores now, the log's evidence, the history.

Defined once as :class:`~stakegraph.views.tables.Table` so the terminal renders them
as the report's tables are rendered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stakegraph.records.model import SCORE_DIMENSIONS
from stakegraph.views.phrases import disagreement_phrase
from stakegraph.views.tables import Cell, Table, channel_text

#: Each score dimension in two characters, for narrow columns (the full names are
#: in :data:`stakegraph.records.model.DIMENSION_LABELS`).
SCORE_SHORT_LABELS = {
    "acceptance": "接受",
    "participation": "参与",
    "information": "信息",
    "guidance": "指导",
    "support": "支持",
    "preference": "偏向",
}


def relationships_table(rows: list[dict[str, Any]]) -> Table:
    """关系: each relationship's six scores, strength and levels (★ responsible owner)."""
    table = Table(
        key="relationships",
        title="关系 relationships",
        columns=[
            "owner",
            "person",
            *(SCORE_SHORT_LABELS[d] for d in SCORE_DIMENSIONS),
            "strength",
            "computed",
            "stated",
            "target",
            "last contact",
        ],
        numeric=frozenset(range(2, 9)),
    )
    for row in rows:
        scores = row["scores"]
        table.rows.append(
            [
                Cell(row["owner_name"] + (" ★" if row["responsible"] else "")),
                Cell(row["person_name"]),
                *(Cell(f"{scores[d]:g}") for d in SCORE_DIMENSIONS),
                Cell(f"{row['strength']:.2f}"),
                Cell(row["computed_level"]),
                Cell(row["stated_level"] or ""),
                Cell(row["target_level"] or ""),
                Cell(str(row["last_contact"] or "")),
            ]
        )
    return table


def evidence_table(rows: list[Any], day: dt.date) -> Table:
    """互动证据: typed participation and information scores beside what the log suggests."""
    table = Table(
        key="evidence",
        title=f"互动证据 evidence from the log — {day}",
        columns=[
            "owner",
            "person",
            "接触 contacts",
            "传递信息 shared",
            "每90天 per 90d",
            "最近 last logged",
            "参与 typed→log",
            "信息 typed→log",
            "不一致 flags",
        ],
        numeric=frozenset({2, 3, 4}),
    )
    for r in rows:
        table.rows.append(
            [
                Cell(r.owner_name),
                Cell(r.person_name),
                Cell(str(r.contacts)),
                Cell(str(r.shared)),
                Cell(f"{r.per_90_days:g}"),
                Cell(r.last_logged.isoformat() if r.last_logged else "—"),
                Cell(f"{r.typed['participation']:g} → {r.suggested['participation']}"),
                Cell(f"{r.typed['information']:g} → {r.suggested['information']}"),
                Cell("\n".join(disagreement_phrase(f) for f in r.flags), "bad" if r.flags else ""),
            ]
        )
    return table


def history_table(rows: list[dict[str, Any]], person_name: str) -> Table:
    """关系趋势: every assessment of a person's relationships, oldest first per owner."""
    table = Table(
        key="history",
        title=f"关系趋势 history — {person_name}",
        columns=[
            "owner",
            "date",
            *(SCORE_SHORT_LABELS[d] for d in SCORE_DIMENSIONS),
            "mean",
            "level",
            "stated",
            "",
        ],
        numeric=frozenset(range(2, 9)),
    )
    for r in rows:
        scores = r["scores"]
        table.rows.append(
            [
                Cell(r["owner_name"]),
                Cell(r["date"].isoformat() if r["date"] else "(first typed)"),
                *(Cell(f"{scores[d]:g}") for d in SCORE_DIMENSIONS),
                Cell(f"{r['mean']:.2f}"),
                Cell(r["level"]),
                Cell(r["stated_level"] or ""),
                Cell(r["change"]),
            ]
        )
    return table


def warm_channels_table(rows: list[dict[str, Any]], target_name: str) -> Table:
    """关系通道: the most reliable channels from our owners to one official, strongest first."""
    table = Table(
        key="warm-channels",
        title=f"warm channels to {target_name}",
        columns=["#", "channel", "strength", "ties"],
        numeric=frozenset({0, 2, 3}),
    )
    for number, row in enumerate(rows, start=1):
        table.rows.append(
            [
                Cell(str(number)),
                Cell(channel_text(row["owner_name"], row["person_names"], row.get("steps"))),
                Cell(f"{row['strength']:.3f}"),
                Cell(str(row["hops"])),
            ]
        )
    return table
