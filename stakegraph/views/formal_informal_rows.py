"""Formal versus informal findings (非正式组织) as JSON-ready rows.

:func:`finding_rows` names what :func:`~stakegraph.analysis.formal_informal.formal_informal`
finds (an opportunity's ``formal_informal`` key in ``report --json``);
:func:`organisation_rows` groups the findings by organisation (the report's top-level
``formal_informal`` key). The tables are defined once, for the terminal, HTML and
Markdown alike (:func:`stakegraph.views.tables.formal_informal_table` and
:func:`stakegraph.views.tables.organisation_findings_table`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stakegraph.analysis.formal_informal import Finding, FormalInformal
from stakegraph.graph.network import PersonNetwork
from stakegraph.views.labels import FORMAL_INFORMAL_LABELS, LINE_LABELS
from stakegraph.views.phrases import formal_informal_reason


def finding_rows(network: PersonNetwork, findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """One row per finding, in the findings' order.

    Parameters
    ----------
    network : PersonNetwork
        The network the findings were made on: names and labels come from it.
    findings : iterable of Finding
        Findings of :func:`~stakegraph.analysis.formal_informal.formal_informal`.

    Returns
    -------
    list of dict
        ``kind`` and ``kind_label``, ``person`` and ``name``, ``superior`` and
        ``superior_name`` (None for a junior), ``line`` and ``line_label``,
        ``organisations`` and their names, ``value`` and ``reference`` (4 digits),
        ``grade`` (its name), ``dark_horse_rank``, and the reason in Chinese and
        English.
    """
    ws = network.workspace
    rows = []
    for f in findings:
        rows.append(
            {
                "kind": f.kind.value,
                "kind_label": FORMAL_INFORMAL_LABELS[f.kind.value],
                "person": f.person,
                "name": ws.persons[f.person].name,
                "superior": f.superior,
                "superior_name": ws.persons[f.superior].name if f.superior else None,
                "line": f.line,
                "line_label": LINE_LABELS[f.line] if f.line else None,
                "organisations": list(f.organisations),
                "organisation_names": [ws.organisations[o].name for o in f.organisations],
                "value": round(f.value, 4),
                "reference": round(f.reference, 4),
                "grade": ws.settings.grade_name(f.grade) if f.grade else None,
                "dark_horse_rank": f.dark_horse_rank,
                "reason_zh": formal_informal_reason(network, f, "zh"),
                "reason_en": formal_informal_reason(network, f, "en"),
            }
        )
    return rows


def organisation_rows(network: PersonNetwork, findings: FormalInformal) -> list[dict[str, Any]]:
    """The findings per organisation, organisations by id.

    Returns
    -------
    list of dict
        ``organisation``, ``name`` and ``findings`` (rows of :func:`finding_rows`); an
        organisation without a finding is left out.
    """
    ws = network.workspace
    return [
        {
            "organisation": org,
            "name": ws.organisations[org].name,
            "findings": finding_rows(network, group),
        }
        for org, group in findings.by_organisation().items()
    ]
