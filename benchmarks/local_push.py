"""The PageRank resolvent applied to a few seeds by a local push (an idea measured).

A personalised PageRank differs from the unpersonalised one only by the walk from
the few persons an opportunity personalises (its chain's role holders). Since the
unnormalised scores are linear in the teleport vector, that difference is the
resolvent ``(I − d A)⁻¹`` applied to a vector with a handful of non-zeros, which
this module pushes from them. :mod:`benchmarks.bench_pagerank_ideas` times it
against the library's power iteration: on the synthetic province the walk from a
chain reaches nearly every person above the drop threshold that the tolerance
needs, so the push is a slower power iteration, and the library does not use it
(benchmarks/README.md, "One personalised PageRank per opportunity").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class SparseVector:
    """Non-zero entries of a vector of length ``size``: ``indices`` ascending, ``values``."""

    size: int
    indices: np.ndarray
    values: np.ndarray

    def dense(self) -> np.ndarray:
        out = np.zeros(self.size)
        out[self.indices] = self.values
        return out

    def total(self) -> float:
        return float(self.values.sum())


@dataclass(frozen=True)
class LocalSolution:
    """What :func:`local_resolvent` returns.

    ``estimate`` never exceeds the exact vector in any entry, and the exact vector's
    L1 distance from it is at most ``error_bound``. ``rounds`` is the number of push
    rounds run and ``touched`` the number of distinct entries ever pushed.
    """

    estimate: SparseVector
    error_bound: float
    rounds: int
    touched: int


def multiply_sparse(
    columns: sp.csc_matrix, indices: np.ndarray, values: np.ndarray
) -> SparseVector:
    """``columns @ v`` for a sparse ``v``, reading only the columns of its non-zeros.

    O(k log k) for the k stored entries of those columns (the sort merges rows).
    """
    n = columns.shape[0]
    if len(indices) == 0:
        return SparseVector(n, np.zeros(0, dtype=np.int64), np.zeros(0))
    starts = columns.indptr[indices]
    lengths = columns.indptr[indices + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return SparseVector(n, np.zeros(0, dtype=np.int64), np.zeros(0))
    # positions of every stored entry of the chosen columns, without a Python loop
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    positions = offsets + np.arange(total)
    rows = columns.indices[positions]
    contributions = columns.data[positions] * np.repeat(values, lengths)
    unique_rows, inverse = np.unique(rows, return_inverse=True)
    return SparseVector(n, unique_rows.astype(np.int64), np.bincount(inverse, contributions))


def local_resolvent(
    columns: sp.csc_matrix,
    damping: float,
    seeds: SparseVector,
    error: float,
    max_rounds: int = 10_000,
) -> LocalSolution:
    """y = (I − d A)⁻¹ c = Σ_t (d A)^t c for a sparse c ≥ 0, to within ``error`` in L1.

    Definition
    ----------
    A is a non-negative matrix whose columns sum to at most 1 (here Pᵀ of the
    deference walk, with dangling persons' columns empty), d the damping and c the
    seeds. The push keeps an estimate q and a frontier v, starting from q = 0,
    v = c; each round adds v to q, replaces v by d A v and drops the frontier's
    smallest entries while their sum stays within the round's share of the budget.
    What is dropped or left in the frontier at the end is a residual r ≥ 0 with
    y = q + (I − d A)⁻¹ r, and since ‖d A‖₁ ≤ d, ‖y − q‖₁ ≤ ‖r‖₁ / (1 − d): the run
    stops when that bound is below ``error``; q ≤ y in every entry.

    Parameters
    ----------
    columns : scipy.sparse.csc_matrix
        A, stored by columns so that a push reads only the columns it spreads from.
    damping : float
        d, in (0, 1).
    seeds : SparseVector
        c, non-negative.
    error : float
        The L1 bound wanted on y − q (> 0).
    max_rounds : int
        A ceiling on the rounds; the returned bound says what was reached.

    Returns
    -------
    LocalSolution

    Complexity
    ----------
    Each round costs O(k log k) for the k stored entries of the frontier's columns.
    An entry stays in the frontier only while it is above the round's drop threshold,
    so the frontier holds at most ‖c‖₁ / threshold entries whatever the size of the
    graph, and the number of rounds is about log(‖c‖₁ / ((1 − d) error)) / log(1/d).
    Unlike power iteration, the cost does not grow with the number of persons.

    References
    ----------
    Andersen, Chung, Lang, "Local graph partitioning using PageRank vectors",
    FOCS 2006 (push with a residual; the invariant y = q + R r); Berkhin, "Bookmark-
    coloring algorithm for personalized PageRank computing", Internet Mathematics
    3(1), 2006 (the same for many sources, dropping small residual mass).
    """
    if not 0 < damping < 1:
        raise ValueError("damping must be in (0, 1)")
    if error <= 0:
        raise ValueError("error must be positive")
    n = seeds.size
    mass = seeds.total()
    allowance = error * (1.0 - damping)  # on ‖r‖₁
    if mass <= allowance / 2:
        empty = SparseVector(n, np.zeros(0, dtype=np.int64), np.zeros(0))
        return LocalSolution(empty, mass / (1.0 - damping), 0, 0)
    # the rounds needed to bring the frontier under half the allowance with nothing
    # dropped; each may drop its equal share of the other half
    expected = math.ceil(math.log(2.0 * mass / allowance) / math.log(1.0 / damping)) + 1
    per_round = allowance / 2.0 / expected
    pieces_rows: list[np.ndarray] = []
    pieces_values: list[np.ndarray] = []
    frontier_rows, frontier_values = seeds.indices, seeds.values
    dropped = 0.0
    rounds = 0
    while rounds < max_rounds:
        pieces_rows.append(frontier_rows)
        pieces_values.append(frontier_values)
        rounds += 1
        step = multiply_sparse(columns, frontier_rows, frontier_values)
        frontier_rows, frontier_values = step.indices, step.values * damping
        left = float(frontier_values.sum())
        if dropped + left <= allowance:
            dropped += left
            frontier_rows, frontier_values = frontier_rows[:0], frontier_values[:0]
            break
        # drop the smallest entries whose sum fits this round's share
        order = np.argsort(frontier_values, kind="stable")
        cumulative = np.cumsum(frontier_values[order])
        cut = int(np.searchsorted(cumulative, per_round, side="right"))
        if cut:
            dropped += float(cumulative[cut - 1])
            keep = np.sort(order[cut:])
            frontier_rows, frontier_values = frontier_rows[keep], frontier_values[keep]
    rows = np.concatenate(pieces_rows)
    values = np.concatenate(pieces_values)
    estimate_rows, inverse = np.unique(rows, return_inverse=True)
    estimate = np.bincount(inverse, values)
    residual = dropped + float(frontier_values.sum())
    return LocalSolution(
        SparseVector(n, estimate_rows.astype(np.int64), estimate),
        residual / (1.0 - damping),
        rounds,
        len(estimate_rows),
    )
