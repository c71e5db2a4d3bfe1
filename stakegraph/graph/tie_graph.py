"""The informal tie graph of a day as one sparse matrix, directed or not, by tie kind.

The person network keeps ties in two matrices (:attr:`PersonNetwork.tie_deference`,
summed over parallel ties, and :attr:`PersonNetwork.tie_strength`, symmetric). The
centralities and directed brokerage need the tie graph alone, possibly restricted to
some kinds of tie, with one edge per ordered (or unordered) pair; this module derives
it once per (direction, kinds) and keeps it in the network's memo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from stakegraph.graph.memo import MemoKey
from stakegraph.graph.network import PersonNetwork, channel_matrix
from stakegraph.graph.strength import tie_strength
from stakegraph.records.model import TieKind


@dataclass(frozen=True)
class TieMatrix(MemoKey[sp.csr_matrix]):
    """Memo key: the tie graph of :func:`tie_matrix` for one direction and set of kinds."""

    directed: bool
    kinds: frozenset[TieKind] | None


def tie_kinds(kinds: Iterable[TieKind | str] | None) -> frozenset[TieKind] | None:
    """A set of tie kinds as a frozenset of :class:`TieKind` (None: every kind).

    >>> sorted(k.value for k in tie_kinds(["friend", TieKind.FAMILY]))
    ['family', 'friend']
    >>> tie_kinds(None) is None
    True
    """
    if kinds is None:
        return None
    return frozenset(TieKind(k) for k in kinds)


def tie_matrix(
    network: PersonNetwork,
    directed: bool = False,
    kinds: Iterable[TieKind | str] | None = None,
) -> sp.csr_matrix:
    """The informal ties of the day as an n × n weighted adjacency matrix.

    Directed: ``u → v`` when a tie from ``u`` to ``v`` exists: a directed tie
    (``a`` defers to, seeks out, ``b``) gives ``a → b``, an undirected tie both
    directions, as in :attr:`PersonNetwork.tie_deference`. Undirected: the
    symmetric matrix of the pairs linked by any tie. The weight of an edge is the
    strongest tie giving it (``strength × confidence``); ties of weight 0 and
    self-loops are not edges. ``kinds`` keeps only ties of those kinds (None: all).

    Parameters
    ----------
    network : PersonNetwork
    directed : bool
    kinds : iterable of TieKind or str, optional

    Returns
    -------
    scipy.sparse.csr_matrix
        n × n, sorted indices, no explicit zeros; kept in ``network.memo`` under
        :class:`TieMatrix`. O(ties + n) to build.

    Examples
    --------
    >>> from stakegraph.graph.network import build_network
    >>> from stakegraph.records.sample import SAMPLE_DAY, sample_workspace
    >>> network = build_network(sample_workspace(), SAMPLE_DAY)
    >>> tie_matrix(network).toarray().tolist()
    [[0.0, 0.0, 0.5], [0.0, 0.0, 0.0], [0.5, 0.0, 0.0]]
    """
    key = TieMatrix(directed, tie_kinds(kinds))
    return network.memo.get_or_build(key, lambda: _tie_matrix(network, key))


def _tie_matrix(network: PersonNetwork, key: TieMatrix) -> sp.csr_matrix:
    best: dict[tuple[int, int], float] = {}
    index = network.person_index
    for tie in network.workspace.ties.values():
        if key.kinds is not None and tie.kind not in key.kinds:
            continue
        a, b, s = index[tie.a], index[tie.b], tie_strength(tie)
        if a == b or s <= 0:
            continue
        pairs = [(a, b)] if key.directed and tie.directed else [(a, b), (b, a)]
        for pair in pairs:
            if s > best.get(pair, 0.0):
                best[pair] = s
    n = network.size
    rows = np.fromiter((p[0] for p in best), dtype=np.int64, count=len(best))
    cols = np.fromiter((p[1] for p in best), dtype=np.int64, count=len(best))
    vals = np.fromiter(best.values(), dtype=float, count=len(best))
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    matrix.sort_indices()
    return matrix


@dataclass(frozen=True)
class ChannelMatrix(MemoKey[sp.csr_matrix]):
    """Memo key: the channel step strengths of :func:`channel_strength`."""


def channel_strength(network: PersonNetwork) -> sp.csr_matrix:
    """Strength of each channel step ``u → v`` (row u, column v), read in the direction of deference.

    :func:`~stakegraph.graph.network.channel_matrix` of the day's ties under the
    ``[ties]`` settings: a step along a directed tie (from the one who asks to the one
    asked) carries its strength, a step against it the strength times
    ``against_deference`` (default 0.5). With ``against_deference = 1`` it is
    :attr:`PersonNetwork.tie_strength` itself, every tie read both ways alike.
    Kept in ``network.memo``; O(ties + n) to build.
    """
    settings = network.workspace.settings.ties
    if settings.against_deference == 1.0:
        return network.tie_strength
    return network.memo.get_or_build(
        ChannelMatrix(),
        lambda: channel_matrix(network.workspace.ties.values(), network.person_index, settings),
    )


@dataclass(frozen=True)
class TieConfidenceMatrix(MemoKey[sp.csr_matrix]):
    """Memo key: the highest confidence of the day's ties between each pair of persons."""


def tie_confidence(network: PersonNetwork) -> sp.csr_matrix:
    """How sure we are of the ties between each pair of persons, as a sparse matrix.

    Definition: entry ``(a, b)`` = entry ``(b, a)`` = ``max confidence`` over the day's
    ties (``network.workspace.ties``) between persons ``a`` and ``b``, whatever their
    kind or direction; a pair without a tie has no entry, which
    :func:`pair_confidence` tells apart from a stored 0. Coverage flags a channel
    resting on a tie below ``[coverage] low_confidence`` by it. Kept in
    ``network.memo`` (and with the day's network in the cache, so a warm command
    never reads the ties for it).

    Parameters
    ----------
    network : PersonNetwork

    Returns
    -------
    scipy.sparse.csr_matrix
        n × n, sorted indices, symmetric. O(ties + n) to build.

    Reference: the same maximum as a dict keyed by the pair (the form it replaces),
    stored as CSR (Saad, *Iterative Methods for Sparse Linear Systems*, 2003, §3.4).
    """

    def build() -> sp.csr_matrix:
        best: dict[tuple[int, int], float] = {}
        index = network.person_index
        for tie in network.workspace.ties.values():
            a, b = index.get(tie.a), index.get(tie.b)
            if a is None or b is None:
                continue
            for pair in ((a, b), (b, a)):
                best[pair] = max(best.get(pair, 0.0), tie.confidence)
        n = network.size
        rows = np.fromiter((p[0] for p in best), dtype=np.int64, count=len(best))
        cols = np.fromiter((p[1] for p in best), dtype=np.int64, count=len(best))
        vals = np.fromiter(best.values(), dtype=float, count=len(best))
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
        matrix.sort_indices()
        return matrix

    return network.memo.get_or_build(TieConfidenceMatrix(), build)


def pair_confidence(matrix: sp.csr_matrix, a: int, b: int) -> float | None:
    """The entry ``(a, b)`` of :func:`tie_confidence` (None: no tie). O(log ties of a)."""
    start, end = matrix.indptr[a], matrix.indptr[a + 1]
    at = start + int(np.searchsorted(matrix.indices[start:end], b))
    if at < end and matrix.indices[at] == b:
        return float(matrix.data[at])
    return None
