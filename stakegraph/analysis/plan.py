"""The inverted-triangle engagement plan (造神策略与"倒三角"法).

Start at the top: pair our executives with their senior leaders (高层对接), then
build channels to the middle of the chain, then name one responsible owner for
every person on it (责任到人), within each owner's capacity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from stakegraph.analysis.coverage import Coverage, _paired_tier, coverage, responsible_load
from stakegraph.analysis.frames import ResultList
from stakegraph.analysis.influence import Influence
from stakegraph.analysis.paths import TIE, Channel, best_introducer, step_kind, warm_channels
from stakegraph.config import Settings
from stakegraph.graph.chains import ResolvedRole, UnknownHolder, resolve_chain
from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.strength import relationship_strength


@dataclass
class PlanRow:
    """One target of the plan and what to do next."""

    phase: str
    target: str
    name: str
    posts: list[str]
    grade: int
    influence: float
    cover: float
    paired_tier: int | None
    paired_owner: str | None
    channel: Channel | None
    alternatives: list[Channel] = field(default_factory=list)
    introducer: str | None = None
    introducer_step: str = TIE
    responsible: str | None = None
    kept_responsible: bool = False
    action: str = ""
    #: The backup owner (B角) beside the responsible one: the one named on the
    #: responsible relationship, else proposed (``backup_proposed``).
    backup: str | None = None
    backup_proposed: bool = False
    #: Senior targets: how ``paired_owner`` was chosen: ``"channel"`` (they own the
    #: strongest channel of the paired tier) or ``"formal"`` (no one of that tier has a
    #: channel: they are offered for a formal first meeting); None below senior.
    pairing: str | None = None
    #: Whether we have an owner of exactly the paired tier (else the nearest one).
    paired_exact: bool = True
    #: Whether the target fills a chain post only as its acting head (主持工作).
    acting: bool = False


@dataclass
class UnknownTarget:
    """A role of the chain whose holder is not known yet (人选未明): identify who first."""

    phase: str
    step: str
    step_name: str
    role: str
    unknown: UnknownHolder
    action: str = ""


class Plan(ResultList[PlanRow]):
    """The rows of :func:`engagement_plan` in order; a list that is also a table.

    :meth:`rows` and :meth:`to_pandas` give one row per target with the fields of
    :class:`PlanRow` (the best channel as ``channel.owner``, ``channel.strength`` …);
    ``network`` is the network it was made on, for the views' names; ``unknown``
    the chain's roles whose holder is not known yet, each with its next action
    (identify who), which no person row stands for.
    """

    frame_columns = ("phase", "target", "name", "influence", "cover", "responsible", "action")

    def __init__(
        self,
        rows: Iterable[PlanRow] = (),
        network: PersonNetwork | None = None,
        unknown: Iterable[UnknownTarget] = (),
    ):
        super().__init__(rows)
        self.network = network
        self.unknown = list(unknown)

    def rows(self) -> list[dict[str, Any]]:
        """One row per target, in plan order; channels as dicts, ids as they are."""
        return [_row_dict(row) for row in self]


def _row_dict(row: PlanRow) -> dict[str, Any]:
    data = asdict(row)
    # the flag only on an acting head, so other plans read as before
    if not data.pop("acting"):
        return data
    return {**data, "acting": True}


def _tier_candidates(network: PersonNetwork, tier: int | None) -> list[str]:
    """Owners of the paired tier; if we have none, the nearest tiers above, then below."""
    ws = network.workspace
    if tier is None:
        return list(ws.owners)
    tiers = sorted({o.tier for o in ws.owners.values()})
    order = sorted(tiers, key=lambda t: (abs(t - tier), -t))
    for t in order:
        chosen = [o.id for o in ws.owners.values() if o.tier == t]
        if chosen:
            return chosen
    return []


def engagement_plan(
    network: PersonNetwork,
    opportunity: str,
    influence_result: Influence | None = None,
    coverage_result: Coverage | None = None,
    k: int | None = None,
) -> Plan:
    """Top-down plan for an opportunity's chain: pairing, channels, named owners.

    Definition
    ----------
    1. Targets: the chain's role holders on the network's day, ordered by grade
       (senior first), then influence, then id. Phases: ``senior`` for grade ≥
       ``[plan] senior_grade``, ``middle`` for grade ≥ ``middle_grade``, else ``base``.
    2. Pairing: the tier paired with the target's grade by ``[tier_grade]`` (the
       most senior tier whose paired grade is at or below it); the candidates are
       our owners of that tier (or the nearest tier we have). The paired owner is
       the candidate owning the strongest channel (``pairing = "channel"``); when
       no candidate has one, the candidate with most spare capacity, then id, who
       is offered for a formal first meeting (``pairing = "formal"``). A senior
       target's next action says which, and why.
    3. Channels: the k most reliable warm channels from the candidates
       (:func:`~stakegraph.analysis.paths.warm_channels`, Yen's algorithm on −log
       strength, ≤ ``max_hops`` steps); when none, from any owner; when still none,
       the best introducer (:func:`~stakegraph.analysis.paths.best_introducer`).
       Channels and introducers may step along reporting and oversight lines
       (``[formal_lines]``: a subordinate introduces us or reports upward, a
       superior refers us down), but only where no informal channel from any owner
       is as strong: when one is, the channels are searched again on informal ties
       alone.
    4. Responsible owner: an existing responsible relationship is kept while the
       owner has capacity; otherwise the owner of the best channel with spare
       capacity, else the paired owner with most spare capacity. Capacity counts
       every person an owner is responsible for, in the workspace and in the plan.
    5. Backup owner (B角): the one named on the kept responsible relationship;
       otherwise one is proposed, the first owner other than the responsible one,
       with spare capacity, among the owners of the target's channels (best first),
       then our other owners who relate to the target (strongest first), then the
       paired tier's owners and then everyone (most spare capacity, then senior
       tier, then id). A backup stands in; it does not count against capacity.
    6. Unknown holders (人选未明): a role whose holder we do not know yet has no
       person to pair or reach; it is listed in ``Plan.unknown`` in the phase of
       its expected grade (base without one), with the next action "identify who".

    Parameters
    ----------
    network : PersonNetwork
    opportunity : str
    influence_result, coverage_result : optional precomputed results to reuse.
    k : int, optional
        Channels per target (default ``[plan] channels``).

    Returns
    -------
    list of PlanRow, in plan order.

    Complexity
    ----------
    O(targets × Yen(k)) where each Yen run explores only the ``max_hops``
    neighbourhood of the target's candidate owners.

    References
    ----------
    The inverted-triangle method of ToG key-account practice (GLOSSARY: 倒三角,
    高层对接, 责任到人); Yen, Management Science 17(11), 1971, for the channels.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) the only target is
    the director ``wang``. None of our owners relates to him, so the plan goes
    through the best warm channel, ``liu`` → ``zhao`` → ``wang``, and ``liu``, who
    owns that channel's first link, is named for the follow-up.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> [(r.target, r.channel.persons, r.responsible) for r in engagement_plan(network, "portal")]
    [('wang', ('zhao', 'wang'), 'liu')]
    """
    ws = network.workspace
    settings = ws.settings
    k = k or settings.plan.channels
    cov = coverage_result or coverage(network, opportunity, influence_result)
    infl = cov.influence
    cover_of = {h.person: h.cover for h in cov.holders if h.person}

    targets: list[str] = []
    acting: set[str] = set()
    unknown: list[UnknownTarget] = []
    for step in resolve_chain(ws, opportunity, network.day):
        for role in step.roles:
            if role.unknown is not None:
                unknown.append(_unknown_target(network, step.id, step.name, role))
            acting.update(role.acting)
            for pid in role.holders:
                if pid not in targets:
                    targets.append(pid)
    grade = {pid: int(network.grade[network.person_index[pid]]) for pid in targets}
    targets.sort(key=lambda p: (-grade[p], -infl.of(p), p))

    responsible_of = _responsible_owners(network)
    backups_of = {
        (r.person, r.owner): r.backup
        for r in ws.relationships.values()
        if r.responsible and r.backup and r.backup != r.owner and r.backup in ws.owners
    }
    # an owner's load: every person they are responsible for outside this plan (all
    # they are responsible for, less the targets: a partial read knows only the count)
    load = dict(responsible_load(network))
    for pid in targets:
        for owner_id in responsible_of.get(pid, []):
            load[owner_id] = load.get(owner_id, 0) - 1

    def spare(owner_id: str) -> int:
        return ws.owners[owner_id].capacity - load.get(owner_id, 0)

    rows: list[PlanRow] = []
    for pid in targets:
        g = grade[pid]
        phase = _phase(settings, g)
        tier = _paired_tier(settings, g) if g else None
        candidates = _tier_candidates(network, tier)
        channels, paired_owner, pairing = _channels(network, pid, k, candidates, True, spare)
        if channels and channels[0].formal_steps:
            informal = warm_channels(network, pid, k=1, formal_lines=False)
            if informal and informal[0].strength >= channels[0].strength:
                channels, paired_owner, pairing = _channels(
                    network, pid, k, candidates, False, spare
                )
        introducer, introducer_step = None, TIE
        if not channels:
            found = best_introducer(network, pid)
            if found is not None:
                introducer = found[0]
                introducer_step = step_kind(network, introducer, pid)

        responsible, kept = None, False
        for owner_id in sorted(responsible_of.get(pid, []), key=lambda o: (-ws.owners[o].tier, o)):
            if spare(owner_id) > 0:
                responsible, kept = owner_id, True
                break
        if responsible is None:
            for channel in channels:
                if spare(channel.owner) > 0:
                    responsible = channel.owner
                    break
        if responsible is None:
            pool = [o for o in candidates if spare(o) > 0] or [o for o in ws.owners if spare(o) > 0]
            if pool:
                responsible = max(pool, key=lambda o: (spare(o), ws.owners[o].tier, o))
        if responsible is not None:
            load[responsible] = load.get(responsible, 0) + 1
        named = backups_of.get((pid, responsible)) if kept and responsible else None
        backup = named or _propose_backup(network, pid, responsible, channels, candidates, spare)

        row = PlanRow(
            phase=phase,
            target=pid,
            name=ws.persons[pid].name,
            posts=network.posts.get(pid, []),
            grade=g,
            influence=infl.of(pid),
            cover=cover_of.get(pid, 0.0),
            paired_tier=tier,
            paired_owner=paired_owner,
            channel=channels[0] if channels else None,
            alternatives=channels[1:],
            introducer=introducer,
            introducer_step=introducer_step,
            responsible=responsible,
            kept_responsible=kept,
            backup=backup,
            backup_proposed=backup is not None and not named,
            pairing=pairing if phase == "senior" and paired_owner else None,
            paired_exact=tier is None
            or paired_owner is None
            or ws.owners[paired_owner].tier == tier,
            acting=pid in acting,
        )
        row.action = _next_action(network, row)
        rows.append(row)
    order = {"senior": 0, "middle": 1, "base": 2}
    rows.sort(key=lambda r: order[r.phase])  # stable: keeps grade/influence order inside
    unknown.sort(key=lambda u: order[u.phase])
    return Plan(rows, network, unknown)


def _phase(settings: Settings, grade: int) -> str:
    """The plan's phase of a grade: senior, middle or base (``[plan]`` grades)."""
    if grade >= settings.plan.senior_grade:
        return "senior"
    return "middle" if grade >= settings.plan.middle_grade else "base"


def _unknown_target(
    network: PersonNetwork, step: str, step_name: str, role: ResolvedRole
) -> UnknownTarget:
    """The plan's line for an unknown holder: its phase by the expected grade (base
    when none is given) and the next action, identify who."""
    assert role.unknown is not None
    ws = network.workspace
    known = role.unknown
    grade = known.grade
    where = ws.organisations[known.org].name
    expected = f" (expected grade {ws.settings.grade_name(grade) or grade})" if grade else ""
    return UnknownTarget(
        phase=_phase(ws.settings, grade) if grade is not None else "base",
        step=step,
        step_name=step_name,
        role=role.role.value,
        unknown=known,
        action=(
            f"Identify who: find out who holds the {role.role.value.replace('_', ' ')} role "
            f"of step '{step_name}' at {where}{expected}, then fill in the post or person."
        ),
    )


def _propose_backup(
    network: PersonNetwork,
    target: str,
    responsible: str | None,
    channels: list[Channel],
    candidates: list[str],
    spare: Any,
) -> str | None:
    """A backup owner (B角) for ``target``: step 5 of :func:`engagement_plan`."""
    ws = network.workspace

    def by_capacity(owners: Iterable[str]) -> list[str]:
        return sorted(owners, key=lambda o: (-spare(o), -ws.owners[o].tier, o))

    related = sorted(
        (r for r in ws.relationships.values() if r.person == target),
        key=lambda r: (-relationship_strength(r, network.day, ws.settings), r.owner),
    )
    for owner in [
        *(c.owner for c in channels),
        *(r.owner for r in related),
        *by_capacity(candidates),
        *by_capacity(ws.owners),
    ]:
        if owner != responsible and owner in ws.owners and spare(owner) > 0:
            return owner
    return None


def _channels(
    network: PersonNetwork,
    target: str,
    k: int,
    candidates: list[str],
    formal_lines: bool,
    spare: Any,
) -> tuple[list[Channel], str | None, str]:
    """The paired tier's channels to ``target``, else any owner's; the paired owner, and
    how it was chosen: ``channel`` (owns the strongest channel) or ``formal`` (none of the
    tier has one: the one with most spare capacity, then id, for a formal first meeting)."""
    channels: list[Channel] = (
        list(warm_channels(network, target, k=k, owners=candidates, formal_lines=formal_lines))
        if candidates
        else []
    )
    pairing = "channel" if channels else "formal"
    if channels:
        paired_owner: str | None = channels[0].owner
    else:
        paired_owner = max(candidates, key=lambda o: (spare(o), o)) if candidates else None
    if not channels:
        channels = list(warm_channels(network, target, k=k, formal_lines=formal_lines))
    return channels, paired_owner, pairing


@dataclass(frozen=True)
class ResponsibleOwners(MemoKey[dict[str, list[str]]]):
    """Memo key: person id → the owners marked responsible for them."""


def _responsible_owners(network: PersonNetwork) -> dict[str, list[str]]:
    """Person id → owners marked responsible for them, built once per network."""

    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for rel in network.workspace.relationships.values():
            if rel.responsible:
                out.setdefault(rel.person, []).append(rel.owner)
        return out

    return network.memo.get_or_build(ResponsibleOwners(), build)


#: Who the person on a formal line is to the target, and what we ask of them.
_LINE_ROLE_EN = {"up": "their subordinate", "down": "their superior"}
_LINE_ASK_EN = {"up": "introduce or report to", "down": "refer us to"}


def _next_action(network: PersonNetwork, row: PlanRow) -> str:
    action = _channel_action(network, row)
    pairing = _pairing_sentence(network, row)
    return f"{action} {pairing}" if pairing else action


def _pairing_sentence(network: PersonNetwork, row: PlanRow) -> str:
    """Why a senior target is paired with whom, and the formal meeting when no channel."""
    if row.pairing is None or row.paired_owner is None:
        return ""
    ws = network.workspace
    settings = ws.settings
    owner = ws.owners[row.paired_owner]
    tier = settings.tier_name(owner.tier) or str(owner.tier)
    paired = settings.tier_name(row.paired_tier) if row.paired_tier is not None else None
    grade = settings.grade_name(row.grade) or str(row.grade)
    why = (
        f"{grade} pairs with our {tier}"
        if row.paired_exact
        else f"{grade} pairs with the {paired} tier; our nearest tier is {tier}"
    )
    if row.pairing == "channel":
        return f"Pairing (高层对接): {why}; {owner.name} owns the strongest channel of that tier."
    return (
        f"Pairing (高层对接): {why}, and none of that tier has a channel to {row.name}: "
        f"{owner.name} to request a formal first meeting through the organisation (函件/汇报)."
    )


def _channel_action(network: PersonNetwork, row: PlanRow) -> str:
    ws = network.workspace
    strong = ws.settings.coverage.strong_threshold

    def owner(oid: str | None) -> str:
        return ws.owners[oid].name if oid else "(no owner with spare capacity)"

    def person(pid: str) -> str:
        return ws.persons[pid].name

    target = row.name
    if row.channel is None:
        if row.introducer and row.introducer_step != TIE:
            return (
                f"No channel yet: reach {person(row.introducer)} first ("
                f"{_LINE_ROLE_EN[row.introducer_step]}) and ask them to "
                f"{_LINE_ASK_EN[row.introducer_step]} {target}; {owner(row.responsible)} owns it."
            )
        if row.introducer:
            return (
                f"No channel yet: reach {person(row.introducer)} first and ask for an "
                f"introduction to {target}; {owner(row.responsible)} owns it."
            )
        return (
            f"No channel and no introducer: {owner(row.responsible)} to request a formal "
            f"visit to {target} through the organisation (函件/汇报)."
        )
    via = row.channel.persons[:-1]
    if not via:
        if row.channel.strength >= strong:
            return (
                f"Sustain: {owner(row.channel.owner)} keeps regular contact with {target} "
                f"(strength {row.channel.strength:.2f}); {owner(row.responsible)} is "
                "the named owner."
            )
        return (
            f"Deepen: {owner(row.channel.owner)} visits {target} (strength "
            f"{row.channel.strength:.2f}) with a concrete agenda; "
            f"{owner(row.responsible)} follows up."
        )
    intro = " → ".join(person(p) for p in via)
    lead = "High-level pairing" if row.phase == "senior" else "Introduction"
    last = row.channel.steps[-1] if row.channel.steps else TIE
    if last != TIE:
        # the last step is a formal line: name the person on it and what we ask of them
        how = (
            f"our relationship {row.channel.links[0]:.2f}"
            if len(via) == 1
            else "reached through " + " → ".join(person(p) for p in via[:-1])
        )
        return (
            f"{lead}: {owner(row.channel.owner)} asks {person(via[-1])} "
            f"({_LINE_ROLE_EN[last]}, {how}) to {_LINE_ASK_EN[last]} {target} "
            f"(channel {row.channel.strength:.2f}); {owner(row.responsible)} owns the follow-up."
        )
    return (
        f"{lead}: {owner(row.channel.owner)} asks {intro} to introduce them to {target} "
        f"(channel {row.channel.strength:.2f}); {owner(row.responsible)} owns the follow-up."
    )
