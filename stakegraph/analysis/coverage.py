"""Coverage of a decision chain and its gaps: who on the chain we can reach, how well.

``cover(r)`` is the best of our direct relationships with a role holder r and of
the warm paths owner → person → … → r through informal ties (the product of the
strengths along the path, at most ``max_hops`` ties). One bounded max-product
propagation over the whole person network answers this for every person at once,
so coverage for many opportunities shares one search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypedDict

import numpy as np

from stakegraph.analysis.frames import Tabular, rows_to_frame
from stakegraph.analysis.influence import Influence, influence
from stakegraph.graph.chains import UnknownHolder, resolve_chain
from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork
from stakegraph.graph.tie_graph import channel_strength, pair_confidence, tie_confidence
from stakegraph.records.lineage import ancestors, career_start
from stakegraph.records.model import Relationship, Stance
from stakegraph.records.workspace import Workspace


class GapKind(StrEnum):
    UNCOVERED = "UNCOVERED"
    WEAK = "WEAK"
    STALE = "STALE"
    NO_OWNER = "NO_OWNER"
    SINGLE_THREADED = "SINGLE_THREADED"
    RANK_MISMATCH = "RANK_MISMATCH"
    OPPONENT = "OPPONENT"
    VACANT = "VACANT"
    ACTING = "ACTING"
    ROTATED = "ROTATED"
    UNKNOWN_HOLDER = "UNKNOWN_HOLDER"


@dataclass
class WarmCover:
    """Best cover of every person: value, and how to rebuild the path behind it.

    ``value[h][i]`` is the best product reaching person i with at most h ties;
    ``pred[h][i]`` the person before i on that path when layer h improved on
    layer h−1 (−1 otherwise); ``direct_owner[i]`` our owner with the strongest
    direct relationship (−1 when none).
    """

    value: list[np.ndarray]
    pred: list[np.ndarray]
    direct: np.ndarray
    direct_owner: np.ndarray

    @property
    def best(self) -> np.ndarray:
        return self.value[-1]

    def path(self, person: int) -> tuple[int, list[int]]:
        """(owner row, person rows from first contact to ``person``) of the best cover."""
        h = len(self.value) - 1
        rows = [person]
        current = person
        while h > 0:
            if self.pred[h][current] >= 0:
                current = int(self.pred[h][current])
                rows.append(current)
            h -= 1
        rows.reverse()
        return int(self.direct_owner[rows[0]]), rows


@dataclass(frozen=True)
class WarmCoverWithin(MemoKey[WarmCover]):
    """Memo key: the :func:`warm_cover` of a network through at most ``hops`` ties."""

    hops: int


@dataclass(frozen=True)
class RelationshipIndex(MemoKey[tuple[dict[str, list[Relationship]], dict[str, int]]]):
    """Memo key: relationships by person, and how many each owner is responsible for."""


@dataclass(frozen=True)
class ResponsibleLoad(MemoKey[dict[str, int]]):
    """Memo key: how many relationships on the day each owner is responsible for.

    Counted over the network's relationships unless a reader that holds only part of
    a workspace gave the count of the whole book (a database counts it where the
    relationships are; :mod:`stakegraph.engines.neo4j_subgraph`).
    """


def warm_cover(network: PersonNetwork, max_hops: int | None = None) -> WarmCover:
    """Max-product cover of every person through relationships then ≤ max_hops ties.

    Definition
    ----------
    ``c_0(i) = max_o s(o, i)`` over our owners o (direct relationship strength);
    ``c_h(i) = max(c_{h−1}(i), max_j c_{h−1}(j) · t(j, i))`` over ties j–i of
    strength t. Because every strength is ≤ 1 a cycle never raises a product, so
    ``c_h`` is the best *simple* path with at most h ties: a hop-bounded
    Bellman–Ford on costs −log s.

    Complexity O(ties log ties) for one sort of the ties by target, then
    O(max_hops × (ties + persons)) with numpy; kept in ``network.memo``.

    References
    ----------
    Bellman, "On a routing problem", Quarterly of Applied Mathematics 16, 1958.
    """
    hops = network.workspace.settings.coverage.max_hops if max_hops is None else max_hops
    return network.memo.get_or_build(WarmCoverWithin(hops), lambda: _warm_cover(network, hops))


def _warm_cover(network: PersonNetwork, hops: int) -> WarmCover:
    n = network.size
    rel = network.relationship.tocoo()
    direct, direct_owner = _best_per_target(rel.row, rel.col, rel.data, n)
    ties = channel_strength(network).tocoo()  # row u, column v: the step u → v
    steps = _ByTarget(ties.row, ties.col)  # sorted once: each hop only changes the values
    strength = ties.data[steps.order]
    values = [direct]
    preds = [np.full(n, -1, dtype=np.int64)]
    for _ in range(hops):
        prev = values[-1]
        best_val, best_src = steps.best(prev[steps.src] * strength, n)
        improved = best_val > prev + 1e-15
        values.append(np.where(improved, best_val, prev))
        preds.append(np.where(improved, best_src, -1))
    return WarmCover(values, preds, direct, direct_owner)


def _best_per_target(
    src: np.ndarray, dst: np.ndarray, value: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per target, the largest value and its source (lowest source row on ties).

    Targets with no entry get value 0 and source −1. O(E log E) for E entries (one
    sort); see :class:`_ByTarget`.
    """
    by_target = _ByTarget(src, dst)
    return by_target.best(value[by_target.order], n)


class _ByTarget:
    """Entries (source, target) sorted by target, then source, to take each target's best.

    The sort is made once; :meth:`best` is then O(E) for any values on the same
    entries, so the hops of :func:`warm_cover` share it (sorting the values with
    the entries in every hop took a third of a warm ``gaps`` at 10^5 persons).
    """

    def __init__(self, src: np.ndarray, dst: np.ndarray) -> None:
        self.order = np.lexsort((src, dst))
        self.src = src[self.order]
        sorted_dst = dst[self.order]
        new_target = np.r_[True, sorted_dst[1:] != sorted_dst[:-1]] if len(dst) else []
        #: the first entry of each target that has one, and those targets
        self.starts = np.flatnonzero(np.asarray(new_target, dtype=bool))
        self.targets = sorted_dst[self.starts]
        #: for each entry, the index of its target among ``targets``
        self.segment = np.repeat(
            np.arange(len(self.starts), dtype=np.int32), np.diff(np.r_[self.starts, len(dst)])
        )

    def best(self, value: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Per target, the largest of ``value`` (given in this sorted order) and the lowest
        source holding it; 0 and −1 where a target has no entry."""
        best_val = np.zeros(n)
        best_src = np.full(n, -1, dtype=np.int64)
        if len(self.starts) == 0:
            return best_val, best_src
        top = np.maximum.reduceat(value, self.starts)
        at_top = np.flatnonzero(value == top[self.segment])
        # sources ascend within a target: its first entry at the top is the lowest source
        first = np.r_[True, self.segment[at_top][1:] != self.segment[at_top][:-1]]
        best_val[self.targets] = top
        best_src[self.targets] = self.src[at_top[first]]
        return best_val, best_src


@dataclass
class Gap:
    """One coverage gap of a role holder (or of a vacant post)."""

    kind: GapKind
    severity: float
    step: str
    step_name: str
    person: str | None
    post: str | None
    reason: str
    owner: str | None = None
    #: On an UNKNOWN_HOLDER gap: what we know of the holder (organisation, grade, description).
    unknown: UnknownHolder | None = None


class _RoleFields(TypedDict):
    """The fields of a HolderCover that every holder of one role shares."""

    step: str
    step_name: str
    role_index: int
    role: str
    post: str | None
    stance: str
    competitor_leaning: str | None


@dataclass
class HolderCover:
    """How well we cover one role holder of one step."""

    step: str
    step_name: str
    role_index: int
    role: str
    post: str | None
    person: str | None
    weight: float
    stance: str
    competitor_leaning: str | None
    influence: float
    influence_share: float
    cover: float
    direct: float
    direct_owner: str | None
    channel_owner: str | None
    channel: list[str]
    owners: list[str]
    responsible: list[str]
    low_confidence: bool
    gaps: list[Gap] = field(default_factory=list)
    #: The holder acts for the post (主持工作, 代理): it is formally vacant.
    acting: bool = False
    #: Backup owners (B角) named on the responsible relationships with the holder.
    backups: list[str] = field(default_factory=list)
    #: The role's holder is not known yet (人选未明): its organisation, grade, description.
    unknown: UnknownHolder | None = None


@dataclass
class Coverage(Tabular):
    """Coverage of one opportunity on one day.

    :meth:`rows` and :meth:`to_pandas` give one row per role holder of the chain
    (the fields of :class:`HolderCover`, the kinds of its gaps, and its step's
    coverage); :meth:`gap_rows` and :meth:`gaps_to_pandas` the gaps, most severe
    first. Ids and exact numbers: the names and rounding of ``--json`` belong to the
    views.
    """

    opportunity: str
    day: object
    overall: float
    steps: dict[str, float]
    holders: list[HolderCover]
    gaps: list[Gap]
    influence: Influence
    #: The network the cover was computed on: names and posts for the rows.
    network: PersonNetwork | None = field(default=None, repr=False, compare=False)

    frame_columns = ("step_coverage", "step", "step_name", "role", "post", "person", "cover")

    def rows(self) -> list[dict[str, Any]]:
        """One row per role holder, in chain order, with its step's coverage."""
        rows = []
        for h in self.holders:
            row = {k: v for k, v in vars(h).items() if k not in ("gaps", "unknown")}
            if h.unknown is not None:  # only on an unknown holder, so other rows read as before
                row["unknown"] = vars(h.unknown)
            row["channel"] = list(h.channel)
            row["gaps"] = sorted({g.kind.value for g in h.gaps})
            rows.append({"step_coverage": self.steps[h.step], **row})
        return rows

    def gap_rows(self) -> list[dict[str, Any]]:
        """The gaps, most severe first: kind, severity, step, person, post, reason, owner
        (and ``unknown``, what we know of an unknown holder, on its gap only)."""
        return [_gap_row(g) for g in self.gaps]

    def gaps_to_pandas(self) -> Any:
        """The gaps of :meth:`gap_rows` as a pandas DataFrame (needs ``stakegraph[pandas]``)."""
        return rows_to_frame(self.gap_rows(), ["kind", "severity", "step", "person", "reason"])


def _gap_row(gap: Gap) -> dict[str, Any]:
    row = {k: v for k, v in vars(gap).items() if k != "unknown"}
    if gap.unknown is not None:  # only on its own gap, so other rows read as before
        row["unknown"] = vars(gap.unknown)
    return {**row, "kind": gap.kind.value}


def coverage(
    network: PersonNetwork,
    opportunity: str,
    influence_result: Influence | None = None,
    baseline: Coverage | None = None,
) -> Coverage:
    """Cover of every role holder on an opportunity's chain, step and overall, and gaps.

    Definition
    ----------
    For each role holder r (a post resolves to its holders on the network's day;
    a post with several holders splits the role's weight between them):
    ``cover(r)`` as in :func:`warm_cover`. With w the role weight and I the
    influence of r (personalised by the opportunity unless given), normalised by
    the largest on the chain,

        coverage = Σ w·I·cover / Σ w·I   (per step and overall, 0–1).

    A vacant role counts with cover 0 and, for I, the mean over the chain's
    holders: a decision right nobody holds is ground we do not cover. Each gap has
    severity ``w·I·(1 − cover)``. With ``baseline`` (a what-if), every role keeps
    the I it had in the baseline, so the change in coverage is due to cover alone.
    Gap kinds and their tests:

    - UNCOVERED: cover = 0 (no relationship and no warm path);
    - WEAK: 0 < cover < ``weak_threshold``;
    - STALE: our latest contact with r is older than ``stale_days`` (or unrecorded);
    - NO_OWNER: none of our relationships with r is marked responsible (责任到人);
    - SINGLE_THREADED: only one of our owners knows r, that owner carries every
      directly covered holder of the step and no other owner is named as r's backup
      (B角, ``backup`` on the responsible relationship); or r's responsible owner is
      over capacity;
    - RANK_MISMATCH: our most senior owner relating to r is ``rank_mismatch_tiers`` or
      more tiers below the tier paired with r's grade (``[tier_grade]``);
    - OPPONENT: stance opponent or competitor leaning, with cover < ``strong_threshold``;
    - VACANT: a post on the chain has no holder;
    - UNKNOWN_HOLDER: the chain names a role whose holder we do not know yet
      (人选未明: an organisation, an expected grade, a description); it counts like
      a vacant role (cover 0, the chain's mean influence) until a post or a person
      is filled in;
    - ACTING: r acts for the post (主持工作, 代理) without being appointed to it. r
      fills the post and is covered like any holder, but the post is formally
      vacant and the right may move when someone is appointed;
    - ROTATED: r took the post over from a predecessor we related to, and we have no
      contact with r since their start (平调/轮岗: the right moved with the post).

    Complexity: O(roles × relationships of the holder) after the shared
    :func:`warm_cover` and influence computations.

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) the director ``wang``
    holds the only role. We reach him only through ``liu``'s relationship with
    ``zhao`` (all scores 4: strength 4/5 = 0.8) and ``zhao``'s classmate tie to him
    (0.5), so his cover, and the chain's, is 0.8 × 0.5 = 0.4. None of our owners
    relates to ``wang`` directly: a NO_OWNER gap.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> result = coverage(network, "portal")
    >>> [(h.person, round(h.cover, 9), h.channel) for h in result.holders]
    [('wang', 0.4, ['zhao', 'wang'])]
    >>> round(result.overall, 9), [(g.kind.value, g.person) for g in result.gaps]
    (0.4, [('NO_OWNER', 'wang')])
    """
    ws = network.workspace
    settings = ws.settings.coverage
    day = network.day
    infl = influence_result or influence(network, opportunity)
    cover_all = warm_cover(network)
    chain = resolve_chain(ws, opportunity, day)

    rels_of, responsible_load = _relationship_index(network)

    holders: list[HolderCover] = []
    for step in chain:
        for role_index, role in enumerate(step.roles):
            common: _RoleFields = {
                "step": step.id,
                "step_name": step.name,
                "role_index": role_index,
                "role": role.role.value,
                "post": role.post,
                "stance": role.stance.value,
                "competitor_leaning": role.competitor_leaning,
            }
            if role.vacant:
                holders.append(
                    HolderCover(
                        **common,
                        person=None,
                        weight=role.weight,
                        influence=0.0,
                        influence_share=0.0,
                        cover=0.0,
                        direct=0.0,
                        direct_owner=None,
                        channel_owner=None,
                        channel=[],
                        owners=[],
                        responsible=[],
                        low_confidence=False,
                        unknown=role.unknown,
                    )
                )
                continue
            share = role.weight / len(role.holders)
            for pid in role.holders:
                acting = pid in role.acting
                i = network.person_index[pid]
                owner_row, rows = cover_all.path(i)
                cover = float(cover_all.best[i])
                rels = rels_of.get(pid, [])
                holders.append(
                    HolderCover(
                        **common,
                        person=pid,
                        weight=share,
                        influence=float(infl.score[i]),
                        influence_share=0.0,
                        cover=cover,
                        direct=float(cover_all.direct[i]),
                        direct_owner=(
                            network.owners[cover_all.direct_owner[i]]
                            if cover_all.direct_owner[i] >= 0
                            else None
                        ),
                        channel_owner=network.owners[owner_row] if cover > 0 else None,
                        channel=[network.persons[r] for r in rows] if cover > 0 else [],
                        owners=sorted({r.owner for r in rels}),
                        responsible=sorted({r.owner for r in rels if r.responsible}),
                        low_confidence=_low_confidence(
                            network, rows, owner_row, settings.low_confidence
                        ),
                        acting=acting,
                        backups=sorted({r.backup for r in rels if r.responsible and r.backup}),
                    )
                )
    _set_shares(holders, baseline)

    def ratio(items: list[HolderCover]) -> float:
        den = sum(h.weight * h.influence_share for h in items)
        return sum(h.weight * h.influence_share * h.cover for h in items) / den if den else 0.0

    steps = {s.id: ratio([h for h in holders if h.step == s.id]) for s in chain}
    overall = ratio(holders)

    gaps: list[Gap] = []
    for h in holders:
        if h.unknown is not None:
            h.gaps = [_unknown_gap(ws, h)]
        elif h.person is None and h.post is not None:  # a vacant post
            post = ws.posts[h.post]
            org = ws.organisations[post.org].name
            h.gaps = [
                Gap(
                    GapKind.VACANT,
                    h.weight * h.influence_share,
                    h.step,
                    h.step_name,
                    None,
                    h.post,
                    f"{org}{post.title}空缺: no one holds this post on {day}; "
                    "find out who acts for it (主持工作) and who will be appointed.",
                )
            ]
        else:
            h.gaps = _holder_gaps(network, h, holders, rels_of, responsible_load)
            if h.acting:
                h.gaps.append(_acting_gap(ws, h, day))
        gaps += h.gaps
    gaps.sort(key=lambda g: (-g.severity, list(GapKind).index(g.kind), g.person or ""))
    return Coverage(opportunity, day, overall, steps, holders, gaps, infl, network)


def _unknown_gap(ws: Workspace, h: HolderCover) -> Gap:
    """The UNKNOWN_HOLDER gap of a role whose holder is not known yet: identify who."""
    assert h.unknown is not None
    known = h.unknown
    org = ws.organisations[known.org].name
    grade = ws.settings.grade_name(known.grade) if known.grade is not None else None
    what = ", ".join(x for x in (grade, known.description) if x)
    return Gap(
        GapKind.UNKNOWN_HOLDER,
        h.weight * h.influence_share,
        h.step,
        h.step_name,
        None,
        None,
        f"{org}{f' ({what})' if what else ''}: the holder of this role is not known yet "
        "(人选未明); identify who holds it and fill in the post or person.",
        unknown=known,
    )


def _acting_gap(ws: Workspace, h: HolderCover, day: dt.date) -> Gap:
    """The ACTING gap of a holder who acts for a post: who, since when, formally vacant."""
    # only a holder of a post acts for it: both are set on an acting holder
    assert h.post is not None and h.person is not None
    post = ws.posts[h.post]
    org = ws.organisations[post.org].name
    since = next(
        (t.start for pid, t in ws.holder_tenures(h.post, day) if pid == h.person and t.acting),
        None,
    )
    name = ws.persons[h.person].name
    when = f" since {since}" if since else ""
    return Gap(
        GapKind.ACTING,
        h.weight * h.influence_share * (1 - h.cover),
        h.step,
        h.step_name,
        h.person,
        h.post,
        f"{org}{post.title}: acting head {name}{when} (主持工作); the post is formally "
        "vacant: find out who will be appointed and when.",
    )


def _relationship_index(
    network: PersonNetwork,
) -> tuple[dict[str, list[Relationship]], dict[str, int]]:
    """Relationships by person and responsible load by owner, built once per network."""

    def build() -> tuple[dict[str, list[Relationship]], dict[str, int]]:
        rels_of: dict[str, list[Relationship]] = {}
        for rel in network.workspace.relationships.values():
            rels_of.setdefault(rel.person, []).append(rel)
        return rels_of, responsible_load(network)

    return network.memo.get_or_build(RelationshipIndex(), build)


def responsible_load(network: PersonNetwork) -> dict[str, int]:
    """Owner id → how many of the day's relationships name them responsible (责任到人).

    The load an owner's ``capacity`` is held against; owners responsible for none are
    absent. O(relationships) once per network (:class:`ResponsibleLoad`).
    """

    def build() -> dict[str, int]:
        load: dict[str, int] = {}
        for rel in network.workspace.relationships.values():
            if rel.responsible:
                load[rel.owner] = load.get(rel.owner, 0) + 1
        return load

    return network.memo.get_or_build(ResponsibleLoad(), build)


def _set_shares(holders: list[HolderCover], baseline: Coverage | None) -> None:
    """Influence normalised by the chain's largest; vacant roles get the mean.

    With a ``baseline`` (what-if), every role keeps the share it had there, so a
    change in the scenario moves coverage only through cover, never through a
    reshuffled denominator.
    """
    if baseline is not None:
        by_person = {h.person: h.influence_share for h in baseline.holders if h.person}
        by_role: dict[tuple, float] = {}
        for h in baseline.holders:
            by_role[(h.step, h.role_index)] = max(
                by_role.get((h.step, h.role_index), 0.0), h.influence_share
            )
        for h in holders:
            if h.person is not None and h.person in by_person:
                h.influence_share = by_person[h.person]
            else:
                h.influence_share = by_role.get((h.step, h.role_index), 0.0)
        return
    present = [h for h in holders if h.person is not None]
    top = max((h.influence for h in present), default=0.0) or 1.0
    for h in present:
        h.influence_share = h.influence / top
    mean = float(np.mean([h.influence_share for h in present])) if present else 1.0
    for h in holders:
        if h.person is None:
            h.influence_share = mean


def _low_confidence(
    network: PersonNetwork, rows: list[int], owner_row: int, threshold: float
) -> bool:
    """Does the best cover rest on a relationship or tie with confidence < threshold?"""
    ws = network.workspace
    if owner_row < 0:
        return False
    rel_id = network.relationship_id.get((owner_row, rows[0]))
    if rel_id and ws.relationships[rel_id].confidence < threshold:
        return True
    ties = tie_confidence(network)
    for a, b in zip(rows, rows[1:], strict=False):
        confidence = pair_confidence(ties, a, b)
        if confidence is not None and confidence < threshold:
            return True
    return False


def _holder_gaps(
    network,
    h: HolderCover,
    holders: list[HolderCover],
    rels_of: dict,
    responsible_load: dict[str, int],
) -> list[Gap]:
    ws = network.workspace
    settings = ws.settings
    cs = settings.coverage
    day = network.day
    person = ws.persons[h.person]
    name = person.name
    severity = h.weight * h.influence_share * (1.0 - h.cover)
    rels = rels_of.get(h.person, [])
    out: list[Gap] = []

    def add(kind: GapKind, reason: str, owner: str | None = None) -> None:
        out.append(Gap(kind, severity, h.step, h.step_name, h.person, h.post, reason, owner))

    def owner_name(oid: str | None) -> str:
        return ws.owners[oid].name if oid else "?"

    if h.cover <= 0:
        add(
            GapKind.UNCOVERED,
            f"{name}: none of us knows them and no tie leads to them; "
            "find an introducer or plan a first visit.",
        )
    elif h.cover < cs.weak_threshold:
        how = (
            "directly"
            if h.direct >= h.cover
            else "only through " + " → ".join(ws.persons[p].name for p in h.channel[:-1])
        )
        add(
            GapKind.WEAK,
            f"{name}: best cover {h.cover:.2f} ({how}) is below "
            f"{cs.weak_threshold:.2f}; deepen it with regular contact.",
            h.channel_owner,
        )
    if rels:
        contacts = [r.last_contact for r in rels if r.last_contact]
        last = max(contacts) if contacts else None
        if last is None or (day - last).days > cs.stale_days:
            since = (
                f"last contact {last} ({(day - last).days} days ago)"
                if last
                else "no contact date recorded"
            )
            add(
                GapKind.STALE,
                f"{name}: {since}; schedule a visit.",
                max(rels, key=lambda r: r.last_contact or day).owner,
            )
    if not any(r.responsible for r in rels):
        add(GapKind.NO_OWNER, f"{name}: no named owner (责任到人); assign one of us.")
    if len(h.owners) == 1 and not [b for b in h.backups if b != h.owners[0]]:
        sole = h.owners[0]
        step_holders = [x for x in holders if x.step == h.step and x.owners]
        if all(x.owners == [sole] for x in step_holders):
            add(
                GapKind.SINGLE_THREADED,
                f"{name}: only {owner_name(sole)} knows them, and "
                f"{owner_name(sole)} carries the whole step {h.step_name}; add a second contact.",
                sole,
            )
    for oid in h.responsible:
        load, capacity = responsible_load.get(oid, 0), ws.owners[oid].capacity
        if load > capacity:
            add(
                GapKind.SINGLE_THREADED,
                f"{name}: responsible owner {owner_name(oid)} owns "
                f"{load} key persons, over capacity {capacity}; share the load.",
                oid,
            )
    grade = int(network.grade[network.person_index[h.person]])
    if rels and grade:
        paired = _paired_tier(settings, grade)
        senior = max(ws.owners[r.owner].tier for r in rels)
        if paired is not None and paired - senior >= cs.rank_mismatch_tiers:
            top_owner = max(rels, key=lambda r: ws.owners[r.owner].tier).owner
            add(
                GapKind.RANK_MISMATCH,
                f"{name} ({settings.grade_name(grade)}): our most senior "
                f"contact is {owner_name(top_owner)} ({settings.tier_name(senior)}); "
                f"pair a {settings.tier_name(paired)} (高层对接).",
                top_owner,
            )
    leaning = h.stance == Stance.OPPONENT.value or h.competitor_leaning
    if leaning and h.cover < cs.strong_threshold:
        why = (
            "opposes us"
            if h.stance == Stance.OPPONENT.value
            else f"leans to {h.competitor_leaning}"
        )
        add(
            GapKind.OPPONENT,
            f"{name} {why} and our cover is only {h.cover:.2f}; "
            "win them over or balance them on the step.",
        )
    if h.post:
        rotated = _rotation(network, h, rels, rels_of)
        if rotated:
            add(GapKind.ROTATED, rotated)
    return out


def _paired_tier(settings, grade: int) -> int | None:
    """The most senior tier whose paired grade is at or below ``grade``.

    Grades below every paired grade pair with the most junior paired tier.
    """
    best = None
    for tier_name, tier_grade in settings.tier_grade.items():
        tier = settings.tiers[tier_name]
        if tier_grade <= grade and (best is None or tier > best):
            best = tier
    if best is None and settings.tier_grade:
        best = min(settings.tiers[name] for name in settings.tier_grade)
    return best


def _rotation(network, h: HolderCover, rels: list, rels_of: dict) -> str | None:
    ws = network.workspace
    day = network.day
    if h.post is None or h.person is None:
        return None
    start = None
    predecessors = []
    # the holders of the posts a reform merged into this one went before its holder
    # too; a holder who continues on it across a reform is still the same holder
    earlier = ancestors(ws, h.post) if ws.reforms else []
    for post in (h.post, *earlier):
        for pid, tenure in ws.tenures_of_post(post):
            if post == h.post and pid == h.person and tenure.active_on(day):
                start = career_start(ws, pid, post, tenure)
            elif tenure.end is not None and tenure.end <= day and pid != h.person:
                predecessors.append((tenure.end, pid))
    if start is None or not predecessors:
        return None
    if earlier:
        # the right passed to the holder when the last predecessor left, if later
        start = max([start, *(end for end, pid in predecessors)])
    known = [p for _, p in sorted(predecessors, reverse=True) if p in rels_of]
    if not known:
        return None
    contacts = [r.last_contact for r in rels if r.last_contact]
    if contacts and max(contacts) >= start:
        return None
    before = ws.persons[known[0]].name
    post = ws.posts[h.post]
    return (
        f"{ws.persons[h.person].name} took over {post.title} on {start} (轮岗); our relationship "
        f"is with the predecessor {before}; get introduced to the new holder."
    )
