"""Rotation risk ahead (轮岗预警) as JSON documents and table definitions.

:func:`rotation_data` names what :func:`~stakegraph.analysis.rotation_risk.rotation_risk`
returns (the report's ``rotation`` key); :func:`outlook_data` the coverage at risk of
:func:`~stakegraph.analysis.rotation_risk.coverage_at_risk` (the ``--json`` of
``stakegraph whatif --horizon``). The tables are defined once, for the terminal, HTML
and Markdown alike; the risk table itself is the report's
(:func:`stakegraph.views.tables.rotation_risk_table`).
"""

from __future__ import annotations

from typing import Any

from stakegraph.analysis.rotation_risk import RotationOutlook, RotationRisk
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.naming import post_label
from stakegraph.views.labels import ROTATION_RULE_LABELS, SUCCESSOR_LINE_LABELS
from stakegraph.views.language import current_language, shown_label
from stakegraph.views.phrases import relations_phrase, rotation_reason, rotation_summary
from stakegraph.views.tables import Cell, Table, rotation_risk_table
from stakegraph.views.whatif_tables import steps_table, whatif_data


def rotation_data(network: PersonNetwork, risk: RotationRisk) -> dict[str, Any]:
    """The estimates as one JSON-ready document: the horizon and one row per holder.

    Parameters
    ----------
    network : PersonNetwork
        The network the estimate was made on: names and labels come from it.
    risk : RotationRisk

    Returns
    -------
    dict
        ``horizon`` (as written), ``until``, ``likely_threshold`` and ``holders``:
        ids, names, the post's label, years in post and age, the chance (4
        digits), the rule's code and label, and the reason in Chinese and English.
    """
    ws = network.workspace
    rows = []
    for h in risk.holders:
        rows.append(
            {
                "opportunity": h.opportunity,
                "step": h.step,
                "step_name": h.step_name,
                "role": h.role,
                "post": h.post,
                "post_label": post_label(ws, h.post),
                "person": h.person,
                "name": ws.persons[h.person].name,
                "acting": h.acting,
                "start": h.start.isoformat() if h.start else None,
                "years": None if h.years is None else round(h.years, 2),
                "term_years": h.term_years,
                "age": h.age,
                "retirement": h.retirement.isoformat() if h.retirement else None,
                "reform": h.reform,
                "probability": round(h.probability, 4),
                "rule": h.rule.value,
                "rule_label": ROTATION_RULE_LABELS[h.rule.value],
                "reason_zh": rotation_reason(network, h, risk.horizon.text, "zh"),
                "reason_en": rotation_reason(network, h, risk.horizon.text, "en"),
            }
        )
    return {
        "horizon": risk.horizon.text,
        "until": risk.until.isoformat(),
        "likely_threshold": risk.likely,
        "holders": rows,
    }


def outlook_data(network: PersonNetwork, outlook: RotationOutlook) -> dict[str, Any]:
    """Coverage at risk as one JSON-ready document (``whatif --horizon --json``).

    Parameters
    ----------
    network : PersonNetwork
        The network on the day, before anyone leaves: names come from it.
    outlook : RotationOutlook

    Returns
    -------
    dict
        ``opportunity``, ``as_of``, the estimates of :func:`rotation_data`,
        ``leaving`` (the likely holders), ``summary_zh`` and ``summary_en``,
        ``successors`` per post left, then the scenario as ``stakegraph whatif``
        gives it (``changes``, ``coverage``, ``steps``, gaps, rank and plan changes).
    """
    ws = network.workspace
    risk = outlook.risk
    until = risk.until.isoformat()
    leaving = list(dict.fromkeys((h.person, h.post) for h in outlook.leaving))
    successors = []
    for post, found in outlook.successors.items():
        successors.append(
            {
                "post": post,
                "post_label": post_label(ws, post),
                "leaving": [ws.persons[p].name for p, q in leaving if q == post],
                "candidates": [
                    {
                        "person": s.person,
                        "name": ws.persons[s.person].name,
                        "holds": s.holds,
                        "holds_label": post_label(ws, s.holds),
                        "line": s.line,
                        "line_label": SUCCESSOR_LINE_LABELS[s.line],
                        "cover": round(s.cover, 4),
                    }
                    for s in found
                ],
            }
        )
    return {
        "opportunity": outlook.opportunity,
        "as_of": risk.day.isoformat(),
        **rotation_data(network, risk),
        "leaving": [
            {
                "person": p,
                "name": ws.persons[p].name,
                "post": q,
                "post_label": post_label(ws, q),
            }
            for p, q in leaving
        ],
        "summary_zh": rotation_summary(outlook.before, outlook.after, len(leaving), until, "zh"),
        "summary_en": rotation_summary(outlook.before, outlook.after, len(leaving), until, "en"),
        "successors": successors,
        "scenario": whatif_data(ws, outlook.scenario),
    }


#: Candidates shown per post left (the JSON has them all).
SUCCESSORS_SHOWN = 5


def successors_table(successors: list[dict[str, Any]]) -> Table:
    """接替人选: for each post likely to be left, who could follow and how well we know them."""
    table = Table(
        key="rotation-successors",
        title="接替人选 likely successors",
        columns=[
            "岗位 post",
            "可能离任 leaving",
            "接替人选 successor",
            "现任 now holds",
            "来源 line",
            "覆盖 cover",
        ],
        numeric=frozenset({5}),
    )
    for item in successors:
        table.starts.add(len(table.rows))
        candidates = item["candidates"][:SUCCESSORS_SHOWN]
        if not candidates:
            table.rows.append(
                [
                    Cell(item["post_label"]),
                    Cell(", ".join(item["leaving"])),
                    Cell("—", "missing"),
                    Cell(""),
                    Cell(""),
                    Cell(""),
                ]
            )
        for index, c in enumerate(candidates):
            table.rows.append(
                [
                    Cell(item["post_label"] if index == 0 else ""),
                    Cell(", ".join(item["leaving"]) if index == 0 else ""),
                    Cell(c["name"]),
                    Cell(c["holds_label"]),
                    Cell(shown_label(c["line_label"])),
                    Cell(f"{c['cover']:.2f}"),
                ]
            )
    return table


def outlook_heading(data: dict[str, Any]) -> str:
    """The coverage at risk in the run's language, the line above the tables."""
    return data["summary_zh"] if current_language() == "zh" else data["summary_en"]


def outlook_tables(data: dict[str, Any]) -> list[Table]:
    """The tables of the coverage at risk: the estimates, the successors (when any post
    is likely to be left) and the coverage per step before and after they leave."""
    tables = [rotation_risk_table(data)]
    if data["successors"]:
        tables.append(successors_table(data["successors"]))
        tables.append(steps_table(data["scenario"]))
    return tables


def print_outlook(console: Any, data: dict[str, Any]) -> None:
    """Coverage at risk on a terminal: the heading sentence, then its tables."""
    from rich.text import Text

    from stakegraph.views.terminal import rich_table
    from stakegraph.views.terminal_text import terminal_text

    console.print(Text(terminal_text(shown_label("轮岗预警 rotation risk ahead")), style="bold"))
    console.print(outlook_heading(data), markup=False)
    if data["scenario"].get("relations"):
        relations = relations_phrase(data["scenario"]["relations"])
        console.print(relations, markup=False, highlight=False)
    for table in outlook_tables(data):
        console.print()
        console.print(rich_table(table))
