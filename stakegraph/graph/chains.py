"""Decision chains resolved on a day: who holds each role of an opportunity.

A role names a post or a person. A post resolves to whoever holds it on the
analysis day (rotation moves the decision right with the post, not the person);
a post with no holder is reported as vacant rather than dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stakegraph.records.model import Role, RoleKind, Stance
from stakegraph.records.workspace import Workspace


@dataclass(frozen=True)
class ResolvedRole:
    """One role of one step with the person(s) holding it on the day."""

    opportunity: str
    step: str
    step_name: str
    step_index: int
    role: RoleKind
    weight: float
    stance: Stance
    competitor_leaning: str | None
    post: str | None
    holders: tuple[str, ...]

    @property
    def vacant(self) -> bool:
        return not self.holders


@dataclass(frozen=True)
class ResolvedStep:
    id: str
    name: str
    index: int
    roles: list[ResolvedRole] = field(default_factory=list)


def resolve_role(workspace: Workspace, role: Role, day: dt.date) -> tuple[str, ...]:
    """The person ids holding a role on a day (a named person always holds it)."""
    if role.person:
        return (role.person,)
    return tuple(workspace.holders(role.post or "", day))


def resolve_chain(workspace: Workspace, opportunity_id: str, day: dt.date) -> list[ResolvedStep]:
    """Every step of an opportunity's chain with its role holders on ``day``.

    O(roles × holders of the post); the post index is built once per workspace.

    Examples
    --------
    The ``portal`` chain of the sample workspace (:mod:`stakegraph.records.sample`)
    has one step whose one role is the director's post, held by ``wang``:

    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> ws = sample_workspace()
    >>> steps = resolve_chain(ws, "portal", SAMPLE_DAY)
    >>> [(s.name, [(r.post, r.holders) for r in s.roles]) for s in steps]
    [('立项', [('director', ('wang',))])]
    """
    opp = workspace.get("opportunities", opportunity_id)
    steps = []
    for index, step in enumerate(opp.chain):
        roles = [
            ResolvedRole(
                opportunity=opp.id,
                step=step.id,
                step_name=step.name,
                step_index=index,
                role=role.role,
                weight=role.weight,
                stance=role.stance,
                competitor_leaning=role.competitor_leaning,
                post=role.post,
                holders=resolve_role(workspace, role, day),
            )
            for role in step.roles
        ]
        steps.append(ResolvedStep(step.id, step.name, index, roles))
    return steps
