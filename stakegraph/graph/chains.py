"""Decision chains resolved on a day: who holds each role of an opportunity.

A role names a post, a person or an unknown holder (人选未明: the organisation,
expected grade and description of a role whose holder we do not know yet). An
unknown holder resolves to no one and carries what we know of it. A post resolves to whoever holds it on the
analysis day (rotation moves the decision right with the post, not the person);
a post with no holder is reported as vacant rather than dropped. An acting
holder (主持工作, 代理) fills the post and is flagged.

A chain written before a reform (机构改革) still resolves after it: a role on a
post that ceased in a reform resolves to the live post(s) that stand for it
that day (:func:`stakegraph.records.lineage.stands_for`, transitively). When a
split gives the post to several successors without naming the one that
continues it, the role resolves to each of them, its weight shared equally.
A role on a post that does not exist that day and has no live successor (not
yet created, or abolished without successor) is left out of the chain and
reported by :func:`chain_problems`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from stakegraph.errors import WARNING, Problem
from stakegraph.records.lineage import stands_for
from stakegraph.records.model import Role, RoleKind, Stance, Step
from stakegraph.records.workspace import Workspace


@dataclass(frozen=True)
class UnknownHolder:
    """What we know of a role whose holder is not known yet (人选未明)."""

    org: str
    grade: int | None = None
    description: str | None = None


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
    #: The post the chain names, when a reform put ``post`` in its place.
    named_post: str | None = None
    #: The role's place in its step as written (a split post gives one role several).
    written_index: int = 0
    #: The role's holder is not known yet: what we know of it (no post, no holders).
    unknown: UnknownHolder | None = None

    @property
    def vacant(self) -> bool:
        """Nobody holds the role: a post without holder, or an unknown holder."""
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
    """The person ids holding a role on a day (a named person always holds it; an
    unknown holder, nobody).

    A role on a post that ceased in a reform is held by the holders of the
    posts that stand for it that day, in order, without repeats.
    """
    if role.person:
        return (role.person,)
    holders: dict[str, None] = {}
    for post in role_posts(workspace, role, day):
        holders.update(dict.fromkeys(workspace.holders(post, day)))
    return tuple(holders)


def role_posts(workspace: Workspace, role: Role, day: dt.date) -> tuple[str, ...]:
    """The live posts a role names on ``day``: its own post, or what stands for it.

    Empty for a role naming a person, and for a post not created yet or
    abolished without successor. O(1) for a live post, O(reforms) otherwise.
    """
    if not role.post:
        return ()
    if workspace.post_live(role.post, day):
        return (role.post,)
    return stands_for(workspace, role.post, day)


def _acting(workspace: Workspace, post: str, day: dt.date) -> tuple[str, ...]:
    return tuple(pid for pid, t in workspace.holder_tenures(post, day) if t.acting)


def _resolve_roles(
    workspace: Workspace, opp_id: str, step: Step, index: int, day: dt.date
) -> list[ResolvedRole]:
    out = []
    for written, role in enumerate(step.roles):
        base = ResolvedRole(
            opportunity=opp_id,
            step=step.id,
            step_name=step.name,
            step_index=index,
            role=role.role,
            weight=role.weight,
            stance=role.stance,
            competitor_leaning=role.competitor_leaning,
            post=None,
            holders=(role.person,) if role.person else (),
            written_index=written,
        )
        if role.person:
            out.append(base)
            continue
        if role.unknown_org is not None:
            holder = UnknownHolder(role.unknown_org, role.unknown_grade, role.unknown_description)
            out.append(replace(base, unknown=holder))
            continue
        posts = role_posts(workspace, role, day)
        for post in posts:
            out.append(
                replace(
                    base,
                    weight=role.weight / len(posts),
                    post=post,
                    holders=tuple(workspace.holders(post, day)),
                    acting=_acting(workspace, post, day),
                    named_post=role.post if post != role.post else None,
                )
            )
    return out


def resolve_chain(workspace: Workspace, opportunity_id: str, day: dt.date) -> list[ResolvedStep]:
    """Every step of an opportunity's chain with its role holders on ``day``.

    A role on a post that ceased in a reform resolves to the posts that stand
    for it (one resolved role each, the weight shared); roles on posts that do
    not exist on ``day`` and have no successor are left out (see
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
    return [
        ResolvedStep(step.id, step.name, index, _resolve_roles(workspace, opp.id, step, index, day))
        for index, step in enumerate(opp.chain)
    ]


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
            if not role.post or role.post not in workspace.posts:
                continue
            if role_posts(workspace, role, day):
                continue
            start, end = workspace.post_lifetime(role.post)
            when = (
                f"abolished on {end} without a successor"
                if end and day >= end
                else f"created on {start}"
            )
            path = ("chain", s_index, "roles", r_index, "post")
            problems.append(
                Problem(
                    f"post '{role.post}' does not exist on {day} ({when}); the role is left "
                    "out of the chain that day.",
                    raw.locate(path) if raw else None,
                    "opportunity",
                    opp.id,
                    f"chain[{s_index}].roles[{r_index}].post",
                    "name the post that carries this decision right on that day, record "
                    "the reform that gave it to a successor (reforms), or correct the "
                    "post's dates.",
                    WARNING,
                )
            )
    return problems
