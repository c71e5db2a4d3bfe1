"""The main job: one report per workspace, as plain data for tables, JSON and HTML.

Order: the chain with holders and cover, the gaps by severity, the influence top
list with its parts and brokerage, the informal circles, the plan; then the book of
accounts: the portfolio, relationships that changed level, dark horses, overdue
improvements and unanswered complaints. Every analysis shares one
:class:`~stakegraph.graph.network.PersonNetwork`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from stakegraph.analysis.brokerage import Brokerage, BrokerageGraph, brokerage
from stakegraph.analysis.coverage import Coverage, coverage
from stakegraph.analysis.formal_informal import FormalInformal, chain_persons, formal_informal
from stakegraph.analysis.influence import Influence, influence
from stakegraph.analysis.plan import Plan, engagement_plan
from stakegraph.analysis.portfolio import Portfolio
from stakegraph.analysis.rotation_risk import rotation_risk
from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork, build_network
from stakegraph.graph.relation_filter import RelationFilter, applied_filter, filtered_network
from stakegraph.records.workspace import Workspace
from stakegraph.views.chain_gaps import chain_rows, gap_rows
from stakegraph.views.formal_informal_rows import finding_rows, organisation_rows
from stakegraph.views.json_out import diff_document, portfolio_document, stated_document
from stakegraph.views.language import ShownRow, speaking
from stakegraph.views.phrases import circle_name, graph_phrase
from stakegraph.views.rotation_tables import rotation_data
from stakegraph.views.rows import influence_score_rows, plan_rows

#: Above this many persons, betweenness is estimated from sampled sources.
EXACT_BETWEENNESS_LIMIT = 5000
BETWEENNESS_SAMPLES = 256


@dataclass(frozen=True)
class BrokerageScores(MemoKey[Brokerage]):
    """Memo key: the report's brokerage of every person on one graph."""

    graph: BrokerageGraph


@dataclass(frozen=True)
class ReportPortfolio(MemoKey[Portfolio]):
    """Memo key: the portfolio of the report's accounts section, drawn again by its heatmap."""


@dataclass(frozen=True)
class ReportPlan(MemoKey[Plan]):
    """Memo key: an opportunity's plan as the report lists it, drawn again by its triangle
    figure (in the book's workers too, which inherit the memo)."""

    opportunity: str


def brokerage_scores(network: PersonNetwork, graph: BrokerageGraph | None = None) -> Brokerage:
    """Betweenness and constraint of every person, with the graph used; kept in the memo.

    ``graph`` None follows the ``[ties] brokerage`` setting (default ``auto``).
    Above :data:`EXACT_BETWEENNESS_LIMIT` persons betweenness is estimated.
    """
    chosen = graph or network.workspace.settings.ties.brokerage

    def build() -> Brokerage:
        sampled = network.size > EXACT_BETWEENNESS_LIMIT
        return brokerage(network, chosen, samples=BETWEENNESS_SAMPLES if sampled else None)

    return network.memo.get_or_build(BrokerageScores(chosen), build)


def influence_rows(
    network: PersonNetwork, result: Influence, top: int, graph: BrokerageGraph | None = None
) -> list[dict[str, Any]]:
    """The top list of :func:`~stakegraph.views.rows.influence_score_rows` with brokerage."""
    scores = brokerage_scores(network, graph)
    rows = influence_score_rows(network, result, top)
    for row in rows:
        i = network.person_index[row["person"]]
        row["betweenness"] = round(float(scores.betweenness[i]), 4)
        c = scores.constraint[i]
        row["constraint"] = None if c is None or np.isnan(c) else round(float(c), 4)
    return rows


def influence_document(
    network: PersonNetwork, result: Influence, top: int, graph: BrokerageGraph | None = None
) -> dict[str, Any]:
    """``stakegraph influence --json``: the top list with the graph that produced it.

    ``graph`` states the deference graph (:func:`~stakegraph.analysis.stated_graph.
    deference_graph`) and, under ``brokerage``, the betweenness graph of
    :func:`graph_statement`.
    """
    from stakegraph.analysis.stated_graph import deference_graph

    return stated_document(
        deference_graph(network),
        influence_rows(network, result, top, graph),
        brokerage=graph_statement(network, graph)["brokerage"],
    )


def graph_statement(network: PersonNetwork, graph: BrokerageGraph | None = None) -> dict[str, Any]:
    """Which ties were read and which graph brokerage used, for headings and ``--json``.

    ``relations``: the relation filter (None: every tie); ``brokerage``: directed or
    not, n, isolates (counted in n) and the normalisation of betweenness.
    """
    scores = brokerage_scores(network, graph)
    relations = applied_filter(network)
    return {
        "relations": relations.to_dict() if relations.active else None,
        "brokerage": {
            "graph": "directed ties" if scores.directed else "undirected persons",
            "directed": scores.directed,
            "n": scores.n,
            "isolates": scores.isolates,
            "isolates_counted": True,
            "normalisation": scores.normalisation,
            "samples": scores.samples,
        },
    }


def circle_rows(
    network: PersonNetwork, opportunity: str | None, cov: Coverage | None
) -> list[dict[str, Any]]:
    """Informal circles with their weight on the chain and our way in."""
    # networkx is imported only by a view that shows circles, not by every command
    from stakegraph.analysis.circles import circle_reach, kept_circles

    ws = network.workspace
    circles = kept_circles(network)
    weights: dict[str, float] = {}
    if cov is not None:
        for h in cov.holders:
            if h.person:
                weights[h.person] = weights.get(h.person, 0.0) + h.weight
    rows: list[dict[str, Any]] = []
    for circle, reach in zip(circles, circle_reach(network, circles, weights), strict=True):
        way_in = None
        if reach["owner"] is not None:
            way_in = {
                "owner": reach["owner"],
                "owner_name": ws.owners[reach["owner"]].name,
                "member": reach["member"],
                "member_name": ws.persons[reach["member"]].name,
                "strength": round(reach["way_in"], 4),
            }
        rows.append(
            ShownRow(
                {
                    "circle": circle.id,
                    "name": circle_name(circle, "zh"),
                    "members": list(circle.members),
                    "member_names": [ws.persons[p].name for p in circle.members],
                    "kinds": dict(sorted(circle.kinds.items())),
                    "strength": round(circle.strength, 4),
                    "low_confidence": circle.low_confidence,
                    "chain_weight": round(reach["weight"], 4),
                    "on_chain": [ws.persons[p].name for p in reach["on_chain"]],
                    "way_in": way_in,
                },
                {"name": circle_name(circle)},
            )
        )
    return rows


@speaking
def opportunity_report(
    network: PersonNetwork, opportunity: str, top: int = 10, graph: BrokerageGraph | None = None
) -> dict[str, Any]:
    """Everything the report says about one opportunity (``graph``: of brokerage)."""
    ws = network.workspace
    opp = ws.get("opportunities", opportunity)
    infl = influence(network, opportunity)
    cov = coverage(network, opportunity, infl)
    plan = network.memo.get_or_build(
        ReportPlan(opportunity),
        lambda: engagement_plan(network, opportunity, coverage_result=cov),
    )
    return {
        "id": opp.id,
        "name": opp.name,
        "client": opp.client,
        "client_name": ws.organisations[opp.client].name,
        "stage": opp.stage.value,
        "value": opp.value,
        "close": opp.close.isoformat() if opp.close else None,
        "coverage": round(cov.overall, 4),
        "chain": chain_rows(network, cov),
        "gaps": gap_rows(network, cov),
        "influence": influence_rows(network, infl, top, graph),
        "circles": circle_rows(network, opportunity, cov),
        "plan": plan_rows(network, plan),
        "low_confidence": [
            {"person": h.person, "name": ws.persons[h.person].name}
            for h in cov.holders
            if h.person and h.low_confidence
        ],
        "rotation": rotation_data(network, rotation_risk(network, opportunity)),
        "formal_informal": finding_rows(
            network, _findings(network).for_persons(chain_persons(network, opportunity))
        ),
    }


@dataclass(frozen=True)
class ReportFindings(MemoKey[FormalInformal]):
    """Memo key: the formal-versus-informal findings the report lists, made once."""


def _findings(network: PersonNetwork) -> FormalInformal:
    return network.memo.get_or_build(ReportFindings(), lambda: formal_informal(network))


def accounts_report(network: PersonNetwork, top: int = 10) -> dict[str, Any]:
    """The book of accounts: portfolio, level changes, dark horses, the complaint loop."""
    from stakegraph.analysis.darkhorses import dark_horses
    from stakegraph.analysis.diff import changes_since_review
    from stakegraph.analysis.evidence import level_changes
    from stakegraph.analysis.portfolio import portfolio
    from stakegraph.analysis.satisfaction import satisfaction

    ws = network.workspace
    sat = satisfaction(ws, network.day)
    source = network.source_workspace
    # this network is the diff's later side when built from the workspace as loaded
    since = changes_since_review(
        source or ws, network.day, top=top, after=network if source is not None else None
    )
    # the report's heatmap figure draws the same result: computed once per network
    known = (
        {
            o.opportunity: o.coverage_after
            for o in since.opportunities
            if o.coverage_after is not None
        }
        if since is not None and source is not None
        else None
    )
    book = network.memo.get_or_build(
        ReportPortfolio(), lambda: portfolio(network, opportunity_coverage=known)
    )
    book_data = portfolio_document(book)
    for owner in book_data["owners"]:
        owner["key_person_names"] = [ws.persons[p].name for p in owner["key_persons"]]
    return {
        "since_review": diff_document(since) if since is not None else None,
        "portfolio": book_data,
        "level_changes": [c.to_dict() for c in level_changes(ws, network.day)],
        "dark_horses": [h.as_dict() for h in dark_horses(network, top=top)],
        "overdue": [
            {
                "id": i.id,
                "action": i.action,
                "owner_name": i.owner_name,
                "due": i.due,
                "days_overdue": i.days_overdue,
            }
            for i in sat.overdue
        ],
        "unanswered_complaints": [
            {
                "id": c.id,
                "date": c.date,
                "from": [ws.persons[p].name for p in c.persons]
                or [ws.organisations[o].name for o in c.orgs],
                "notes": c.notes,
            }
            for c in sat.complaints
            if c.without_action
        ],
    }


@speaking
def build_report(
    workspace: Workspace,
    day: dt.date,
    opportunity: str | None = None,
    top: int = 10,
    network: PersonNetwork | None = None,
    relations: RelationFilter | None = None,
    brokerage_graph: BrokerageGraph | None = None,
) -> dict[str, Any]:
    """The full report as one JSON-ready document (stable key and row order).

    ``relations`` restricts every analysis to the ties it keeps
    (:func:`~stakegraph.graph.relation_filter.filtered_network`); ``brokerage_graph``
    picks the betweenness graph. When either differs from the default, the document
    states them under ``relations`` and ``brokerage``; the headings always do
    (``shown["graph"]``).
    """
    network = filtered_network(network or build_network(workspace, day), relations)
    ids = [opportunity] if opportunity else list(workspace.opportunities)
    scores = brokerage_scores(network, brokerage_graph)
    statement = graph_statement(network, brokerage_graph)
    data: dict[str, Any] = {
        "workspace": workspace.name,
        "as_of": day.isoformat(),
        "persons": network.size,
        "betweenness": "sampled" if scores.samples else "exact",
    }
    if statement["relations"] is not None or brokerage_graph not in (None, "auto"):
        data.update(statement)
    data |= {
        "opportunities": [opportunity_report(network, o, top, brokerage_graph) for o in ids],
        "influence": (
            influence_rows(network, influence(network), top, brokerage_graph) if not ids else None
        ),
        "accounts": accounts_report(network, top) if opportunity is None else None,
        "formal_informal": organisation_rows(network, _findings(network))
        if opportunity is None
        else None,
    }
    return ShownRow(data, {"graph": graph_phrase(statement)})
