"""Analysis results as JSON-ready rows: names and labels added, numbers rounded.

These rows are the ``--json`` documents of the commands and the input of the table
definitions (:mod:`stakegraph.views.tables`); the analyses themselves return typed
results and know nothing of names shown or digits kept.
"""

from __future__ import annotations

from typing import Any

from stakegraph.analysis.influence import Influence
from stakegraph.analysis.paths import Channel
from stakegraph.analysis.plan import PlanRow, UnknownTarget
from stakegraph.analysis.relationships import RelationshipStanding
from stakegraph.graph.network import PersonNetwork
from stakegraph.records.naming import post_label
from stakegraph.views.labels import PHASE_LABELS
from stakegraph.views.language import ShownRow
from stakegraph.views.phrases import plan_action, unknown_action, unknown_holder_label


def influence_score_rows(
    network: PersonNetwork, result: Influence, top: int | None = 20
) -> list[dict[str, Any]]:
    """The ``top`` most influential: rank, person, posts, grade, score ×100 and its parts.

    Parameters
    ----------
    network : PersonNetwork
        The network ``result`` was computed on.
    result : Influence
        Scores from :func:`~stakegraph.analysis.influence.influence`.
    top : int, optional
        How many rows; None for everyone.

    Returns
    -------
    list of dict
        One row per person, most influential first.
    """
    ws = network.workspace
    rows = []
    for pid in result.top(top):
        i = result.index[pid]
        posts = network.posts.get(pid, [])
        rows.append(
            {
                "rank": int(result.rank[i]),
                "person": pid,
                "name": ws.persons[pid].name,
                "posts": [post_label(ws, p) for p in posts],
                "grade": ws.settings.grade_name(int(network.grade[i]))
                if network.grade[i]
                else None,
                "score": round(100 * float(result.score[i]), 4),
                "parts": {k: round(100 * v, 4) for k, v in result.parts_of(pid).items()},
            }
        )
    return rows


def plan_rows(network: PersonNetwork, rows: list[PlanRow]) -> list[dict[str, Any]]:
    """The plan of :func:`~stakegraph.analysis.plan.engagement_plan`, one row per target.

    Parameters
    ----------
    network : PersonNetwork
        The network the plan was made on.
    rows : list of PlanRow
        The plan, in its order.

    Returns
    -------
    list of dict
        Each row with its phase label, names, grade and tier names, influence ×100,
        cover, best channel and alternatives, responsible owner and next action.
    """
    ws = network.workspace
    settings = ws.settings
    out: list[dict[str, Any]] = []
    for row in rows:
        out.append(
            ShownRow(
                {
                    "phase": row.phase,
                    "phase_label": PHASE_LABELS[row.phase],
                    "target": row.target,
                    "name": row.name,
                    "posts": [post_label(ws, p) for p in row.posts],
                    "grade": settings.grade_name(row.grade) if row.grade else None,
                    "influence": round(100 * row.influence, 4),
                    "cover": round(row.cover, 4),
                    "paired_tier": settings.tier_name(row.paired_tier) if row.paired_tier else None,
                    "paired_owner": row.paired_owner,
                    "pairing": row.pairing,
                    "channel": _plan_channel(network, row.channel),
                    "alternatives": [_plan_channel(network, c) for c in row.alternatives],
                    "introducer": row.introducer,
                    "responsible": row.responsible,
                    "responsible_name": ws.owners[row.responsible].name
                    if row.responsible
                    else None,
                    "kept_responsible": row.kept_responsible,
                    "backup": row.backup,
                    "backup_name": ws.owners[row.backup].name if row.backup else None,
                    "backup_proposed": row.backup_proposed,
                    "action": row.action,
                    # only on an acting head (主持工作), so other plans read as before
                    **({"acting": True} if row.acting else {}),
                },
                {"action": plan_action(network, row)},
            )
        )
    return out + [_unknown_plan_row(network, u) for u in getattr(rows, "unknown", [])]


def _unknown_plan_row(network: PersonNetwork, target: UnknownTarget) -> dict[str, Any]:
    """A plan line for a role whose holder is not known yet: the person fields empty."""
    ws = network.workspace
    known = target.unknown
    grade = ws.settings.grade_name(known.grade) if known.grade is not None else None
    return ShownRow(
        {
            "phase": target.phase,
            "phase_label": PHASE_LABELS[target.phase],
            "target": None,
            "name": unknown_holder_label(ws, known),
            "posts": [],
            "grade": grade,
            "influence": 0.0,
            "cover": 0.0,
            "paired_tier": None,
            "paired_owner": None,
            "pairing": None,
            "channel": None,
            "alternatives": [],
            "introducer": None,
            "responsible": None,
            "responsible_name": None,
            "kept_responsible": False,
            "backup": None,
            "backup_name": None,
            "backup_proposed": False,
            "action": target.action,
            "unknown": {**vars(known), "step": target.step, "role": target.role},
        },
        {"action": unknown_action(network, target)},
    )


def _plan_channel(network: PersonNetwork, channel: Channel | None) -> dict[str, Any] | None:
    if channel is None:
        return None
    ws = network.workspace
    return {
        "owner": channel.owner,
        "owner_name": ws.owners[channel.owner].name,
        "persons": list(channel.persons),
        "names": [ws.persons[p].name for p in channel.persons],
        "strength": round(channel.strength, 4),
        "hops": channel.hops,
        **_formal_steps(channel),
    }


def _formal_steps(channel: Channel) -> dict[str, Any]:
    """``steps`` (tie, up, down per step) for a channel that goes along a formal line.

    Channels along informal ties alone keep the keys they always had.
    """
    return {"steps": list(channel.steps)} if channel.formal_steps else {}


def channel_rows(network: PersonNetwork, channels: list[Channel]) -> list[dict[str, Any]]:
    """The channels of :func:`~stakegraph.analysis.paths.warm_channels`, best first.

    Parameters
    ----------
    network : PersonNetwork
        The network the channels were found on.
    channels : list of Channel
        The channels, in their order.

    Returns
    -------
    list of dict
        Each row holds ``rank`` (1 = best), ``owner`` and ``owner_name``, ``persons``
        and ``person_names`` (first contact → target), ``strength`` and ``links``
        rounded to 4 decimals, ``hops`` and ``relationship`` (the first edge's id);
        a channel that steps along a reporting or oversight line also has ``steps``
        (``tie``, ``up`` or ``down`` for each step).
    """
    ws = network.workspace
    rows = []
    for rank, channel in enumerate(channels, start=1):
        owner = ws.owners.get(channel.owner)
        rows.append(
            {
                "rank": rank,
                "owner": channel.owner,
                "owner_name": owner.name if owner is not None else channel.owner,
                "persons": list(channel.persons),
                "person_names": [
                    ws.persons[p].name if p in ws.persons else p for p in channel.persons
                ],
                "strength": round(channel.strength, 4),
                "links": [round(s, 4) for s in channel.links],
                "hops": channel.hops,
                "relationship": channel.relationship_id,
                **_formal_steps(channel),
            }
        )
    return rows


def relationship_rows(
    network: PersonNetwork, standings: list[RelationshipStanding]
) -> list[dict[str, Any]]:
    """Relationships of :func:`~stakegraph.analysis.relationships.relationship_levels`.

    Parameters
    ----------
    network : PersonNetwork
        The network the standings were computed on.
    standings : list of RelationshipStanding
        The relationships.

    Returns
    -------
    list of dict
        One row per relationship with owner and person names, strength rounded to
        4 decimals and levels as their codes; ordered by the strength shown,
        strongest first, then by id.
    """
    ws = network.workspace
    rows: list[dict[str, Any]] = [
        {
            "id": r.id,
            "owner": r.owner,
            "owner_name": ws.owners[r.owner].name,
            "person": r.person,
            "person_name": ws.persons[r.person].name,
            "scores": dict(r.scores),
            "strength": round(r.strength, 4),
            "computed_level": r.computed_level.value,
            "stated_level": r.stated_level.value if r.stated_level else None,
            "target_level": r.target_level.value if r.target_level else None,
            "gap_to_target": r.gap_to_target,
            "responsible": r.responsible,
            "last_contact": r.last_contact.isoformat() if r.last_contact else None,
            "confidence": r.confidence,
        }
        for r in standings
    ]
    rows.sort(key=lambda r: (-r["strength"], r["id"]))
    return rows
