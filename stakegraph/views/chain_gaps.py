"""An opportunity's chain with its cover, and its gaps, as plain data (``stakegraph gaps``).

Apart from :mod:`stakegraph.views.report` so that ``gaps`` imports only coverage and
its phrases, not every analysis the report can show.
"""

from __future__ import annotations

from typing import Any

from stakegraph.analysis.coverage import Coverage, HolderCover, coverage
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.relation_filter import applied_filter
from stakegraph.records.naming import post_label
from stakegraph.records.workspace import Workspace
from stakegraph.views.labels import GAP_LABELS
from stakegraph.views.language import ShownRow, speaking
from stakegraph.views.phrases import gap_reason, unknown_holder_label


def chain_rows(network: PersonNetwork, cov: Coverage) -> list[dict[str, Any]]:
    """The chain, step by step, with holders, their cover and the gaps on them."""
    ws = network.workspace
    steps: list[dict[str, Any]] = []
    by_step: dict[str, dict[str, Any]] = {}
    for h in cov.holders:
        if h.step not in by_step:
            by_step[h.step] = {
                "id": h.step,
                "name": h.step_name,
                "coverage": round(cov.steps[h.step], 4),
                "roles": [],
            }
            steps.append(by_step[h.step])
        post = ws.posts.get(h.post) if h.post else None
        by_step[h.step]["roles"].append(
            {
                "role": h.role,
                "post": h.post,
                "post_title": post.title if post else None,
                "post_label": post_label(ws, post.id) if post else None,
                "org": ws.organisations[post.org].name if post else None,
                "grade": ws.settings.grade_name(post.grade) if post else None,
                "person": h.person,
                "name": ws.persons[h.person].name if h.person else None,
                "vacant": h.person is None,
                "weight": round(h.weight, 4),
                "stance": h.stance,
                "competitor_leaning": h.competitor_leaning,
                "influence_share": round(h.influence_share, 4),
                "cover": round(h.cover, 4),
                "direct": round(h.direct, 4),
                "channel_owner": h.channel_owner,
                "channel_owner_name": ws.owners[h.channel_owner].name if h.channel_owner else None,
                "via": [ws.persons[p].name for p in h.channel[:-1]],
                "responsible": [ws.owners[o].name for o in h.responsible],
                "low_confidence": h.low_confidence,
                "gaps": sorted({g.kind.value for g in h.gaps}),
                # only on an acting holder (主持工作), so other chains read as before
                **({"acting": True} if h.acting else {}),
                **_unknown_fields(ws, h),
            }
        )
    return steps


def _unknown_fields(ws: Workspace, h: HolderCover) -> dict[str, Any]:
    """An unknown holder's organisation, grade and description (人选未明); else nothing."""
    if h.unknown is None:
        return {}
    known = h.unknown
    return {
        "org": ws.organisations[known.org].name,
        "grade": ws.settings.grade_name(known.grade) if known.grade is not None else None,
        "unknown": vars(known),
        "unknown_label": unknown_holder_label(ws, known),
    }


def gap_rows(network: PersonNetwork, cov: Coverage) -> list[dict[str, Any]]:
    """The gaps by severity; tables show each reason in the run's language."""
    ws = network.workspace
    holder_of = {(h.step, h.person, h.post): h for h in cov.holders}
    return [
        ShownRow(
            {
                "kind": g.kind.value,
                "label": GAP_LABELS[g.kind],
                "severity": round(g.severity, 4),
                "step": g.step,
                "step_name": g.step_name,
                "person": g.person,
                "name": ws.persons[g.person].name if g.person else None,
                "post": g.post,
                "who": (
                    ws.persons[g.person].name
                    if g.person
                    else post_label(ws, g.post)
                    if g.post
                    else unknown_holder_label(ws, g.unknown)
                    if g.unknown
                    else None
                ),
                "owner": g.owner,
                "reason": g.reason,
                # only on an unknown holder's gap (人选未明), so other gaps read as before
                **({"unknown": vars(g.unknown)} if g.unknown else {}),
            },
            {"reason": gap_reason(network, g, holder_of.get((g.step, g.person, g.post)))},
        )
        for g in cov.gaps
    ]


@speaking
def gaps_report(network: PersonNetwork, opportunity: str) -> dict[str, Any]:
    """An opportunity's chain with its cover and its gaps (``stakegraph gaps``).

    Parameters
    ----------
    network : PersonNetwork
        The network on the day.
    opportunity : str
        The opportunity's id.

    Returns
    -------
    dict
        ``id``, ``name``, ``client_name``, ``stage``, ``coverage``, ``chain`` (as in
        :func:`chain_rows`) and ``gaps`` (as in :func:`gap_rows`), ``problems``
        when a role names a post that does not exist on the day, and ``relations``
        when the network keeps only some ties.
    """
    from stakegraph.graph.chains import chain_problems

    ws = network.workspace
    opp = ws.get("opportunities", opportunity)
    cov = coverage(network, opportunity)
    data: dict[str, Any] = {
        "id": opportunity,
        "name": opp.name,
        "client_name": ws.organisations[opp.client].name,
        "stage": opp.stage.value,
        "coverage": round(cov.overall, 4),
        "chain": chain_rows(network, cov),
        "gaps": gap_rows(network, cov),
    }
    problems = chain_problems(ws, opportunity, network.day)
    if problems:
        data["problems"] = [p.to_dict() for p in problems]
    relations = applied_filter(network)
    if relations.active:  # only when asked for, so the default document is unchanged
        data["relations"] = relations.to_dict()
    return data
