"""Decision chains resolved on a day: who holds each role of an opportunity.

A role names a post or a person. A post resolves to whoever holds it on the
analysis day (rotation moves the decision right with the post, not the person);
a post with no holder is reported as vacant rather than dropped. An acting
holder (主持工作, 代理) fills the post and is flagged. A role on a post that does
not exist that day (not yet created, or abolished) is left out of the chain and
reported by :func:`chain_problems`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from stakegraph.errors import WARNING, Problem
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
    #: The holders who act for the post without being appointed to it.
    acting: tuple[str, ...] = ()

    @property
    def vacant(self) -> bool:
        return not self.holders

    @property
    def formally_vacant(self) -> bool:
        """Filled only by acting holders: nobody is appointed to the post."""
        return bool(self.holders) and len(self.acting) == len(self.holders)


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


def _acting(workspace: Workspace, role: Role, day: dt.date) -> tuple[str, ...]:
    if role.person:
        return ()
    return tuple(pid for pid, t in workspace.holder_tenures(role.post or "", day) if t.acting)


def resolve_chain(workspace: Workspace, opportunity_id: str, day: dt.date) -> list[ResolvedStep]:
    """Every step of an opportunity's chain with its role holders on ``day``.

    Roles on posts that do not exist on ``day`` are left out (see
    :func:`chain_problems`). O(roles × holders of the post); the post and
    lifetime indexes are built once per workspace.

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
                acting=_acting(workspace, role, day),
            )
            for role in step.roles
            if not role.post or workspace.post_live(role.post, day)
        ]
        steps.append(ResolvedStep(step.id, step.name, index, roles))
    return steps


def chain_problems(workspace: Workspace, opportunity_id: str, day: dt.date) -> list[Problem]:
    """Located warnings for the roles of a chain on posts that do not exist on ``day``.

    Each names the role's file and line, the post's lifetime and what to do.
    O(roles).
    """
    opp = workspace.get("opportunities", opportunity_id)
    raw = workspace.locations.get(("opportunities", opp.id))
    problems = []
    for s_index, step in enumerate(opp.chain):
        for r_index, role in enumerate(step.roles):
            if not role.post or workspace.post_live(role.post, day):
                continue
            start, end = workspace.post_lifetime(role.post)
            when = f"abolished on {end}" if end and day >= end else f"created on {start}"
            path = ("chain", s_index, "roles", r_index, "post")
            problems.append(
                Problem(
                    f"post '{role.post}' does not exist on {day} ({when}); the role is left "
                    "out of the chain that day.",
                    raw.locate(path) if raw else None,
                    "opportunity",
                    opp.id,
                    f"chain[{s_index}].roles[{r_index}].post",
                    "name the post that carries this decision right on that day, or "
                    "correct the post's dates.",
                    WARNING,
                )
            )
    return problems
