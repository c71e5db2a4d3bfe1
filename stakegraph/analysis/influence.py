"""Influence: who matters, and why (weighted, personalised PageRank with parts).

The deference graph has an edge u → v when u defers to v: the holder of a post
defers to the holder of the post it reports to (formal), a bureau's leaders defer
to the leader whose post oversees the bureau (分管, oversight), and informal ties
carry deference both ways (or one way when directed) with their strength.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from stakegraph.analysis.frames import Tabular
from stakegraph.graph.chains import resolve_chain
from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork


@dataclass
class Influence(Tabular):
    """Influence scores of every person with their additive parts.

    ``score[i] = formal[i] + informal[i] + position[i] + decision[i]`` exactly,
    and the scores sum to 1. ``rank[i]`` is 1 for the most influential person.
    :meth:`rows` and :meth:`to_pandas` list every person from rank 1 down with the
    exact score and parts (``stakegraph influence --json`` shows them ×100, rounded).
    """

    persons: list[str]
    score: np.ndarray
    formal: np.ndarray
    informal: np.ndarray
    position: np.ndarray
    decision: np.ndarray
    iterations: int
    opportunity: str | None = None
    #: id → row; pass the network's ``person_index`` to share it (a book of accounts
    #: computes one result per opportunity, and 10^5 ids per result add up); left
    #: empty, it is built from ``persons``.
    index: dict[str, int] = field(default_factory=dict)
    #: The network the scores were computed on (names and posts for the views).
    network: PersonNetwork | None = field(default=None, repr=False, compare=False)

    frame_columns = ("rank", "person", "score")

    def rows(self) -> list[dict[str, Any]]:
        """Every person from rank 1 down: rank, person, score and its four parts (0–1)."""
        return [
            {"rank": int(self.rank[self.index[pid]]), "person": pid, "score": self.of(pid)}
            | self.parts_of(pid)
            for pid in self.top()
        ]

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {pid: i for i, pid in enumerate(self.persons)}

    # Sorted on first use: coverage reads scores only, and a book of accounts makes
    # one result per opportunity.
    @cached_property
    def order(self) -> np.ndarray:
        """Rows from the most influential down, ties broken by row."""
        return np.lexsort((np.arange(len(self.score)), -self.score))

    @cached_property
    def rank(self) -> np.ndarray:
        """rank[i] is 1 for the most influential person."""
        rank = np.empty(len(self.score), dtype=np.int64)
        rank[self.order] = np.arange(1, len(self.score) + 1)
        return rank

    def of(self, person_id: str) -> float:
        return float(self.score[self.index[person_id]])

    def parts_of(self, person_id: str) -> dict[str, float]:
        i = self.index[person_id]
        return {
            "formal": float(self.formal[i]),
            "informal": float(self.informal[i]),
            "position": float(self.position[i]),
            "decision": float(self.decision[i]),
        }

    def top(self, n: int | None = None) -> list[str]:
        """Person ids from the most influential down (ties broken by index order).

        The first ``n`` without sorting everyone: the n-th largest score is found by
        selection (O(persons)) and only those at or above it are sorted, so a book of
        accounts asking each opportunity's top ten does not sort the region each time.
        """
        if n is None or n >= len(self.score) or "order" in self.__dict__:
            rows = self.order if n is None else self.order[:n]
            return [self.persons[i] for i in rows]
        if n <= 0:
            return []
        cut = len(self.score) - n
        threshold = np.partition(self.score, cut)[cut]
        candidates = np.flatnonzero(self.score >= threshold)
        chosen = candidates[np.lexsort((candidates, -self.score[candidates]))][:n]
        return [self.persons[i] for i in chosen]

    def rank_of(self, person_id: str) -> int:
        """``rank`` of one person, counted in O(persons) without sorting everyone."""
        i = self.index[person_id]
        if "rank" in self.__dict__:
            return int(self.rank[i])
        value = self.score[i]
        above = int(np.count_nonzero(self.score > value))
        tied_before = int(np.count_nonzero(self.score[:i] == value))
        return above + tied_before + 1


def decision_weights(network: PersonNetwork, opportunity_id: str) -> np.ndarray:
    """Σ of the weights of the chain roles each person holds on the network's day."""
    weights = np.zeros(network.size)
    for step in resolve_chain(network.workspace, opportunity_id, network.day):
        for role in step.roles:
            for pid in role.holders:
                weights[network.person_index[pid]] += role.weight
    return weights


@dataclass(frozen=True)
class TransitionMatrices(MemoKey[tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]]):
    """Memo key: Pᵀ of formal+oversight, Pᵀ of ties and the dangling mask, for these weights."""

    formal: float
    oversight: float
    tie: float


@dataclass(frozen=True)
class DeferenceWalk(MemoKey[tuple[sp.csr_matrix, np.ndarray]]):
    """Memo key: Pᵀ of the whole deference graph and the dangling rows, for these weights."""

    formal: float
    oversight: float
    tie: float


@dataclass(frozen=True)
class UnpersonalisedScores(MemoKey[tuple[np.ndarray, int]]):
    """Memo key: PageRank scores without an opportunity and their iterations."""

    formal: float
    oversight: float
    tie: float
    damping: float
    tolerance: float
    max_iterations: int


@dataclass(frozen=True)
class RegionInfluence(MemoKey[Influence]):
    """Memo key: the scores of a region larger than the network, given from elsewhere.

    A network built from part of a book (a targeted read from Neo4j) cannot compute
    a PageRank of the whole region; the scores of its persons in the whole region are
    kept under this key and :func:`influence` returns them.
    """

    opportunity: str | None
    decision_boost: float = 3.0


def _transition(network: PersonNetwork) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Row-stochastic parts of the deference graph, transposed, built once per network.

    Returns (Pᵀ of formal+oversight, Pᵀ of ties, dangling mask).
    """
    s = network.workspace.settings.influence

    def build() -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        formal = s.formal * network.formal + s.oversight * network.oversight
        informal = s.tie * network.tie_deference
        out = np.asarray(formal.sum(axis=1)).ravel() + np.asarray(informal.sum(axis=1)).ravel()
        dangling = out <= 0
        inv = np.zeros_like(out)
        inv[~dangling] = 1.0 / out[~dangling]
        scale = sp.diags(inv)
        return (scale @ formal).T.tocsr(), (scale @ informal).T.tocsr(), dangling

    return network.memo.get_or_build(TransitionMatrices(s.formal, s.oversight, s.tie), build)


def _walk(network: PersonNetwork) -> tuple[sp.csr_matrix, np.ndarray]:
    """Pᵀ of the whole deference graph (one product per step) and the dangling rows."""
    s = network.workspace.settings.influence

    def build() -> tuple[sp.csr_matrix, np.ndarray]:
        formal_t, informal_t, dangling = _transition(network)
        return (formal_t + informal_t).tocsr(), np.flatnonzero(dangling)

    return network.memo.get_or_build(DeferenceWalk(s.formal, s.oversight, s.tie), build)


def _power_iteration(
    network: PersonNetwork, p: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, int]:
    """x = d Pᵀ x + (d Σ_dangling x + 1 − d) p from ``start`` until the L1 step < tolerance."""
    settings = network.workspace.settings.influence
    d = settings.damping
    walk, dangling = _walk(network)
    x = start
    iterations = 0
    while iterations < settings.max_iterations:
        iterations += 1
        nxt = walk @ x
        nxt *= d
        nxt += (d * x[dangling].sum() + 1.0 - d) * p
        nxt /= nxt.sum()
        delta = np.abs(nxt - x).sum()
        x = nxt
        if delta < settings.tolerance:
            break
    return x, iterations


def _unpersonalised(network: PersonNetwork) -> tuple[np.ndarray, int]:
    """Scores without an opportunity, cached: every personalised run starts from them."""
    s = network.workspace.settings.influence

    def build() -> tuple[np.ndarray, int]:
        grade = np.maximum(network.grade, 1).astype(float)
        start = np.full(network.size, 1.0 / network.size)
        return _power_iteration(network, grade / grade.sum(), start)

    key = UnpersonalisedScores(
        s.formal, s.oversight, s.tie, s.damping, s.tolerance, s.max_iterations
    )
    return network.memo.get_or_build(key, build)


def influence(
    network: PersonNetwork,
    opportunity: str | None = None,
    decision_boost: float = 3.0,
    weights: np.ndarray | None = None,
) -> Influence:
    """Personalised weighted PageRank on the deference graph, split into parts.

    Definition
    ----------
    With P the row-normalised deference matrix (formal + oversight + ties, weighted
    by ``[influence] formal / oversight / tie`` in stakegraph.toml), damping d and
    teleport vector p, the score x solves

        x = d Pᵀ x + (d · Σ_{dangling} x + 1 − d) p,

    where a dangling person (one who defers to nobody, e.g. the mayor) hands their
    walk back to p. The teleport p_i ∝ g_i (1 + β·w_i): g_i the person's grade
    (1 when they hold no post), w_i the sum of decision weights of the roles they
    hold on ``opportunity`` (0 without one) and β = ``decision_boost``.

    Parts: ``formal = d P_formalᵀ x``, ``informal = d P_tieᵀ x`` and the teleport
    term split in proportion g_i : g_i β w_i into ``position`` and ``decision``.
    They add up to x exactly, so a report can say *why* someone ranks high.

    Parameters
    ----------
    network : PersonNetwork
        Built once per day by :func:`~stakegraph.graph.network.build_network`;
        the transition matrix is kept in its memo and reused.
    opportunity : str, optional
        Personalise by the decision weights of this opportunity's chain.
    decision_boost : float
        β above.
    weights : array, optional
        w above, when the network does not hold the opportunity's chain (a region
        streamed from a database gives it); default the chain's
        (:func:`decision_weights`).

    Returns
    -------
    Influence

    Notes
    -----
    Power iteration on CSR matrices: O(iterations × edges) time, O(persons + edges)
    memory; converges geometrically with rate d (tolerance and iteration cap in
    ``[influence]``). The unpersonalised scores are computed once per network and
    a personalised run starts from them: the decision boost moves little mass, so
    it reaches the same fixed point (within the tolerance) in fewer steps.

    References
    ----------
    Page, Brin, Motwani, Winograd, "The PageRank citation ranking: bringing order
    to the web", Stanford InfoLab 1999; Haveliwala, "Topic-sensitive PageRank",
    WWW 2002 (personalisation).

    Examples
    --------
    In the sample workspace (:mod:`stakegraph.records.sample`) the director's post
    is the only role on the ``portal`` chain, so only its holder ``wang`` gets a
    decision part; the four parts add up to scores that sum to 1.

    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> result = influence(network, "portal")
    >>> [p for p, d in zip(result.persons, result.decision, strict=True) if d > 0]
    ['wang']
    >>> round(float(result.score.sum()), 9)
    1.0
    """
    given = network.memo.get(RegionInfluence(opportunity, decision_boost))
    if given is not None:  # the network is part of a region whose scores were given
        return given
    d = network.workspace.settings.influence.damping
    n = network.size
    if n == 0:
        empty = np.zeros(0)
        return Influence([], empty, empty, empty, empty, empty, 0, opportunity, network=network)
    formal_t, informal_t, _ = _transition(network)
    grade = np.maximum(network.grade, 1).astype(float)
    if weights is not None:
        w = weights
    else:
        w = decision_weights(network, opportunity) if opportunity else np.zeros(n)
    position_mass = grade
    decision_mass = grade * decision_boost * w
    base, base_iterations = _unpersonalised(network)
    if decision_mass.any():
        total = position_mass.sum() + decision_mass.sum()
        x, iterations = _power_iteration(network, (position_mass + decision_mass) / total, base)
    else:
        x, iterations = base.copy(), base_iterations
    formal = d * (formal_t @ x)
    informal = d * (informal_t @ x)
    teleport = x - formal - informal
    share = np.divide(position_mass, position_mass + decision_mass)
    position = teleport * share
    decision = teleport - position
    return Influence(
        network.persons,
        x,
        formal,
        informal,
        position,
        decision,
        iterations,
        opportunity,
        network.person_index,
        network,
    )
