"""The tie matrices built from arrays are those built tie by tie, entry for entry."""

from __future__ import annotations

import numpy as np
import pytest

from stakegraph.config import TieSettings
from stakegraph.graph.arrays import DayStructure, held_posts
from stakegraph.graph.network import tie_matrices_of_arrays, weighted_tie_matrices

COMBINE = [
    TieSettings(deference=deference, strength=strength)
    for deference in ("sum", "max")
    for strength in ("max", "noisy_or")
]


def _both(a, b, s, d, n, combine):
    by_tie = weighted_tie_matrices(
        ((int(x), int(y), float(w), bool(k)) for x, y, w, k in zip(a, b, s, d, strict=True)),
        n,
        combine,
    )
    return by_tie, tie_matrices_of_arrays(np.asarray(a), np.asarray(b), s, d, n, combine)


def _identical(p, q) -> bool:
    return (
        p.shape == q.shape
        and np.array_equal(p.indptr, q.indptr)
        and np.array_equal(p.indices, q.indices)
        and np.array_equal(p.data, q.data)
    )


def test_two_parallel_ties_combine_as_hand_computed():
    """x–y twice (0.5 undirected, 0.4 directed x → y) and y → z (0.8 directed)."""
    a, b = [0, 0, 1], [1, 1, 2]
    s, d = np.array([0.5, 0.4, 0.8]), np.array([False, True, True])
    summed, strongest = tie_matrices_of_arrays(np.array(a), np.array(b), s, d, 3, TieSettings())
    assert summed.toarray().tolist() == [[0, 0.9, 0], [0.5, 0, 0.8], [0, 0, 0]]
    assert strongest.toarray().tolist() == [[0, 0.5, 0], [0.5, 0, 0.8], [0, 0.8, 0]]
    noisy = TieSettings(deference="max", strength="noisy_or")
    most, chance = tie_matrices_of_arrays(np.array(a), np.array(b), s, d, 3, noisy)
    assert most.toarray().tolist() == [[0, 0.5, 0], [0.5, 0, 0.8], [0, 0, 0]]
    assert chance[0, 1] == chance[1, 0] == pytest.approx(1 - 0.5 * 0.6)
    assert chance[1, 2] == chance[2, 1] == pytest.approx(0.8)


@pytest.mark.parametrize("combine", COMBINE, ids=lambda c: f"{c.deference}-{c.strength}")
@pytest.mark.parametrize(("n", "m"), [(1, 0), (4, 40), (60, 500), (3000, 30000)])
def test_arrays_give_the_matrices_tie_by_tie_gives(combine, n, m):
    rng = np.random.default_rng(n + m)
    a = rng.integers(0, n, m)
    b = (a + rng.integers(1, n, m)) % n if n > 1 else a
    s, d = rng.random(m), rng.random(m) < 0.3
    by_tie, by_arrays = _both(a, b, s, d, n, combine)
    assert _identical(by_tie[0], by_arrays[0])
    assert _identical(by_tie[1], by_arrays[1])


def test_held_posts_keep_the_highest_grade_and_never_below_zero():
    structure = DayStructure(
        holders={"a": ["x"], "b": ["x", "y"], "c": ["y"], "d": []},
        grade={"a": 3, "b": 5, "c": -1, "d": 9},
    )
    grade, posts = held_posts(structure, {"x": 0, "y": 1, "z": 2})
    assert grade.tolist() == [5, 5, 0]
    assert grade.dtype == np.int64
    assert posts == {"x": ["a", "b"], "y": ["b", "c"]}
