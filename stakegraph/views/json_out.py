"""The ``--json`` documents of the results that carry labels.

The analyses return codes and numbers (:meth:`to_dict` of a result is plain data:
ids, codes, dates as text). The documents the commands print, the report's JSON and
the tables built from them also name each code in words (``"status_label": "逾期
overdue"``); this module adds those labels from :mod:`stakegraph.views.labels`,
each right after the code it names, so the documents read as they always have.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from stakegraph.views.labels import (
    CHANGE_LABELS,
    CORRECTION_LABELS,
    LEVEL_LABELS,
    NO_OPPORTUNITY_LABEL,
    ROTATION_LABELS,
    STAGE_LABELS,
    STANCES,
    STATUS_LABELS,
    STRUCTURE_LABELS,
)

if TYPE_CHECKING:
    from stakegraph.analysis.diff import Diff
    from stakegraph.analysis.evidence import Evidence
    from stakegraph.analysis.portfolio import Portfolio
    from stakegraph.analysis.review import Review
    from stakegraph.analysis.stated_graph import StatedGraph


def with_after(row: dict[str, Any], key: str, extra: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the items of ``extra`` placed right after ``key`` (kept order otherwise).

    Examples
    --------
    >>> with_after({"a": 1, "b": 2}, "a", {"a_label": "one"})
    {'a': 1, 'a_label': 'one', 'b': 2}
    >>> with_after({"a": 1}, "missing", {"x": 0})
    {'a': 1, 'x': 0}
    """
    out: dict[str, Any] = {}
    for name, value in row.items():
        out[name] = value
        if name == key:
            out.update(extra)
    if key not in row:
        out.update(extra)
    return out


def stated_document(stated: StatedGraph, rows: list[Any], **graph: Any) -> dict[str, Any]:
    """An answer with the graph that produced it: ``{"day", "graph", "rows"}``.

    ``graph`` is :meth:`StatedGraph.to_dict` (its name, direction, n and isolates,
    normalisation, relation filter, weights and ``[ties]`` settings) with the extra
    items given (influence adds its ``brokerage``), so ``influence``, ``paths`` and
    ``plan`` state what they read under the same keys as ``centrality`` and the
    report.

    >>> from stakegraph.analysis.stated_graph import channel_graph
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> document = stated_document(channel_graph(network), [{"rank": 1}])
    >>> list(document), document["graph"]["n"], document["graph"]["relations"]
    (['day', 'graph', 'rows'], 3, None)
    """
    return {"day": stated.day, "graph": stated.to_dict() | graph, "rows": rows}


def evidence_document(rows: list[Evidence]) -> list[dict[str, Any]]:
    """The relationships as ``stakegraph evidence --json`` prints them: each flag a sentence."""
    from stakegraph.views.phrases import disagreement_phrase

    out = []
    for row in rows:
        data = asdict(row)
        data["flags"] = [disagreement_phrase(flag) for flag in row.flags]
        out.append(data)
    return out


def portfolio_document(result: Portfolio) -> dict[str, Any]:
    """The portfolio as ``stakegraph portfolio --json`` prints it, labelled.

    Each account and quadrant gets the ``stance`` its cell calls for, each funnel
    stage its ``label``.
    """
    data = result.to_dict()
    for section in ("accounts", "quadrants"):
        data[section] = [
            with_after(row, "covered", {"stance": STANCES[(row["segment"], row["covered"])]})
            for row in data[section]
        ]
    data["funnel"] = [
        with_after(stage, "stage", {"label": STAGE_LABELS[stage["stage"]]})
        for stage in data["funnel"]
    ]
    return data


def review_document(result: Review) -> dict[str, Any]:
    """The review as ``stakegraph review --json`` prints it: statuses and reasons labelled."""
    data = result.to_dict()
    for row in data["actions"]:
        labelled = with_after(row, "status", {"status_label": STATUS_LABELS[row["status"]]})
        labelled["reasons"] = [
            with_after(reason, "kind", {"label": CORRECTION_LABELS[reason["kind"]]})
            for reason in row["reasons"]
        ]
        row.clear()
        row.update(labelled)
    for group in data["by_opportunity"]:
        if group["opportunity"] is None:
            group["name"] = NO_OPPORTUNITY_LABEL
    return data


def diff_document(result: Diff) -> dict[str, Any]:
    """The comparison as ``stakegraph diff --json`` prints it, every change labelled.

    Rotations get ``change_label``, level changes ``before_label`` and
    ``after_label``, structural lines ``kind_label`` and ``change_label``, and each
    relationship or tie added or removed its one-line ``detail``.
    """
    data = result.to_dict()
    data["rotations"] = [
        {**row, "change_label": ROTATION_LABELS[row["change"]]} for row in data["rotations"]
    ]
    if "structure" in data:
        data["structure"] = [
            with_after(
                with_after(row, "kind", {"kind_label": STRUCTURE_LABELS[row["kind"]]}),
                "change",
                {"change_label": CHANGE_LABELS[row["change"]]},
            )
            for row in data["structure"]
        ]
    data["level_changes"] = [
        with_after(
            row,
            "after",
            {
                "before_label": LEVEL_LABELS[row["before"]],
                "after_label": LEVEL_LABELS[row["after"]],
            },
        )
        for row in data["level_changes"]
    ]
    for section in ("relationships_added", "relationships_removed", "ties_added", "ties_removed"):
        data[section] = [_link(row) for row in data[section]]
    return data


def _link(row: dict[str, Any]) -> dict[str, Any]:
    """A relationship or tie added or removed, its details folded into one ``detail``.

    A relationship reads as its level (★ when the owner is responsible), a tie as
    its kind and strength (→ when directed).
    """
    details = row.pop("details")
    if row["kind"] == "relationship":
        detail = LEVEL_LABELS[details["level"]] + (" ★" if details["responsible"] else "")
    else:
        detail = f"{details['tie_kind']} {details['strength']:g}" + (
            " →" if details["directed"] else ""
        )
    return {**row, "detail": detail}
