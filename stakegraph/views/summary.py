"""What ``stakegraph show`` tells: counts, the organisation tree, the chains.

Plain data (dicts and lists) so the same content prints as tables or as JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stakegraph.graph.chains import UnknownHolder, chain_problems, resolve_chain
from stakegraph.graph.timeline import structure_on
from stakegraph.records.lineage import reforms_between, stands_for
from stakegraph.records.model import ReformScope
from stakegraph.records.naming import describe_reform, post_label
from stakegraph.records.periods import every_value
from stakegraph.records.workspace import Workspace
from stakegraph.views.phrases import unknown_holder_label


def organisation_tree(workspace: Workspace, day: dt.date | None = None) -> list[dict[str, Any]]:
    """Organisations nested by ``parent`` (块), each with its ``guided_by`` (条) and posts.

    An organisation some post oversees (分管) lists those posts as ``overseen_by``,
    in force on ``day`` (a 分工调整 moves it from one post's list to another's).

    Roots are organisations without a parent (or whose parent is outside the
    workspace, or not live). Children keep file order. With ``day``, only the
    organisations and posts that exist that day are counted, and the tree is the
    one in force that day (dated ``parent`` and ``guided_by``); without ``day`` a
    dated parent or guide is read as on every day it held. O(organisations + posts).
    """
    if day is not None:
        workspace = structure_on(workspace, day)
    orgs = {o.id: o for o in workspace.organisations.values() if day is None or o.live_on(day)}
    children: dict[str | None, list[str]] = {}
    for org in orgs.values():
        parent = next((p for p in every_value(org.parent) if p in orgs), None)
        children.setdefault(parent, []).append(org.id)
    posts_of: dict[str, list[str]] = {}
    overseen_by: dict[str, list[str]] = {}
    posts = workspace.posts.values() if day is None else workspace.live_posts(day)
    for post in posts:
        posts_of.setdefault(post.org, []).append(post.id)
        for org_id in every_value(post.oversees):
            overseen_by.setdefault(org_id, []).append(post.id)

    def node(org_id: str) -> dict[str, Any]:
        org = workspace.organisations[org_id]
        return {
            "id": org.id,
            "name": org.name,
            "kind": org.kind.value,
            "level": org.level.value if org.level else None,
            "guided_by": every_value(org.guided_by),
            # only when some post oversees it (分管), so trees without oversight read as before
            **({"overseen_by": overseen_by[org.id]} if org.id in overseen_by else {}),
            "posts": len(posts_of.get(org.id, [])),
            "children": [node(c) for c in children.get(org_id, [])],
        }

    return [node(root) for root in children.get(None, [])]


def _unknown_fields(workspace: Workspace, unknown: UnknownHolder) -> dict[str, Any]:
    """A role whose holder is not known yet (人选未明): its organisation, grade, description."""
    grade = workspace.settings.grade_name(unknown.grade) if unknown.grade is not None else None
    return {
        "org": workspace.organisations[unknown.org].name,
        "grade": grade,
        "unknown": vars(unknown),
        "unknown_label": unknown_holder_label(workspace, unknown),
    }


def chain_table(workspace: Workspace, opportunity_id: str, day: dt.date) -> dict[str, Any]:
    """An opportunity with each step's roles and their holders on ``day``.

    Holders are named by the name in force on ``day``.
    """
    workspace = structure_on(workspace, day)
    opp = workspace.get("opportunities", opportunity_id)
    steps = []
    for step in resolve_chain(workspace, opportunity_id, day):
        roles = []
        for role in step.roles:
            post = workspace.posts.get(role.post) if role.post else None
            roles.append(
                {
                    "role": role.role.value,
                    "post": role.post,
                    "post_title": post.title if post else None,
                    "post_label": post_label(workspace, post.id) if post else None,
                    "org": workspace.organisations[post.org].name if post else None,
                    "grade": workspace.settings.grade_name(post.grade) if post else None,
                    "holders": [
                        {"id": pid, "name": workspace.persons[pid].name}
                        | ({"acting": True} if pid in role.acting else {})
                        for pid in role.holders
                    ],
                    "vacant": role.vacant,
                    "weight": role.weight,
                    "stance": role.stance.value,
                    "competitor_leaning": role.competitor_leaning,
                }
                | (
                    {
                        "named_post": role.named_post,
                        "named_post_label": post_label(workspace, role.named_post),
                    }
                    if role.named_post
                    else {}
                )
                | (_unknown_fields(workspace, role.unknown) if role.unknown else {})
            )
        steps.append({"id": step.id, "name": step.name, "roles": roles})
    # a client renamed or merged in a reform is shown under the name of the day
    client = (stands_for(workspace, opp.client, day, ReformScope.ORGANISATIONS) or (opp.client,))[0]
    return {
        "id": opp.id,
        "name": opp.name,
        "client": opp.client,
        "client_name": workspace.organisations[client].name,
        "stage": opp.stage.value,
        "value": opp.value,
        "close": opp.close.isoformat() if opp.close else None,
        "steps": steps,
    }


def workspace_summary(workspace: Workspace, day: dt.date) -> dict[str, Any]:
    """Counts, organisation tree and every decision chain as of ``day``."""
    vacant = [p.id for p in workspace.live_posts(day) if not workspace.holders(p.id, day)]
    problems = [
        p.to_dict() for o in workspace.opportunities for p in chain_problems(workspace, o, day)
    ]
    return {
        "workspace": workspace.name,
        "as_of": day.isoformat(),
        "counts": workspace.counts(),
        "vacant_posts": vacant,
        **({"problems": problems} if problems else {}),
        "organisations": organisation_tree(workspace, day),
        **({"reforms": reforms_until(workspace, day)} if workspace.reforms else {}),
        "opportunities": [chain_table(workspace, o, day) for o in workspace.opportunities],
    }


def reforms_until(workspace: Workspace, day: dt.date) -> list[dict[str, Any]]:
    """The reforms dated on or before ``day``, oldest first, each with its sentences."""
    return [
        {
            "id": r.id,
            "kind": r.kind.value,
            "of": r.of.value,
            "day": r.day.isoformat(),
            "predecessors": list(r.predecessors),
            "successors": list(r.successors),
            **dict(zip(("zh", "en"), describe_reform(workspace, r), strict=True)),
        }
        for r in reforms_between(workspace, dt.date.min, day)
    ]
