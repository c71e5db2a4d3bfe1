"""The local push of the PageRank ideas benchmark against hand-computed values and a direct solve."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.local_push import SparseVector, local_resolvent, multiply_sparse
from stakegraph.analysis.influence import Influence

D = 0.85


def _seed(n, pairs):
    indices = np.array(sorted(pairs), dtype=np.int64)
    return SparseVector(n, indices, np.array([pairs[i] for i in indices.tolist()], dtype=float))


def _two_people():
    # person 0 defers to person 1, who defers to nobody (an empty column)
    return sp.csc_matrix(np.array([[0.0, 0.0], [1.0, 0.0]]))


def test_two_people_hand_computed_exact_when_the_walk_dies_out():
    # y = e0 + d e1: the walk from 0 reaches 1 and stops there
    solution = local_resolvent(_two_people(), D, _seed(2, {0: 1.0}), error=1e-12)
    assert solution.estimate.dense() == pytest.approx([1.0, D], abs=1e-15)
    assert solution.error_bound == 0.0 and solution.rounds == 2


def test_a_round_stops_just_inside_the_error_and_runs_on_just_outside():
    # after one round q = e0 and the frontier holds d; the bound is d / (1 − d)
    bound = D / (1 - D)
    inside = local_resolvent(_two_people(), D, _seed(2, {0: 1.0}), error=bound * (1 + 1e-9))
    assert inside.rounds == 1 and inside.estimate.dense() == pytest.approx([1.0, 0.0])
    assert inside.error_bound == pytest.approx(bound)
    outside = local_resolvent(_two_people(), D, _seed(2, {0: 1.0}), error=bound * (1 - 1e-9))
    assert outside.rounds == 2 and outside.estimate.dense() == pytest.approx([1.0, D])


def test_seeds_under_half_the_allowance_are_not_pushed_at_all():
    # nothing is pushed while ‖c‖₁ ≤ error (1 − d) / 2; the bound is then ‖c‖₁ / (1 − d)
    limit = 2 * 1.0 / (1 - D)
    skipped = local_resolvent(_two_people(), D, _seed(2, {0: 1.0}), error=limit * (1 + 1e-9))
    assert skipped.rounds == 0 and skipped.estimate.total() == 0
    assert skipped.error_bound == pytest.approx(1 / (1 - D))
    pushed = local_resolvent(_two_people(), D, _seed(2, {0: 1.0}), error=limit * (1 - 1e-9))
    assert pushed.rounds == 1 and pushed.estimate.total() == pytest.approx(1.0)


def test_multiply_sparse_is_the_matrix_product():
    rng = np.random.default_rng(3)
    matrix = sp.random(40, 40, density=0.1, random_state=rng, format="csc")
    indices = np.array([2, 7, 30], dtype=np.int64)
    values = np.array([0.5, 2.0, 1.5])
    vector = np.zeros(40)
    vector[indices] = values
    product = multiply_sparse(matrix, indices, values)
    np.testing.assert_allclose(product.dense(), matrix @ vector, atol=1e-15)
    assert np.all(np.diff(product.indices) > 0)


@st.composite
def walks(draw):
    """A random column-substochastic matrix (some columns empty) and sparse seeds."""
    n = draw(st.integers(2, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    dense = rng.random((n, n)) * (rng.random((n, n)) < draw(st.floats(0.05, 0.6)))
    np.fill_diagonal(dense, 0.0)
    sums = dense.sum(axis=0)
    dense = np.divide(dense, sums, out=np.zeros_like(dense), where=sums > 0)
    count = draw(st.integers(1, min(n, 4)))
    chosen = rng.choice(n, count, replace=False)
    seeds = {int(i): float(rng.uniform(0.1, 20.0)) for i in chosen}
    error = 10.0 ** draw(st.floats(-12, 0))
    return dense, seeds, error


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(walks())
def test_within_its_bound_of_a_direct_solve_and_never_above_it(case):
    dense, seeds, error = case
    n = dense.shape[0]
    c = _seed(n, seeds)
    exact = np.linalg.solve(np.eye(n) - D * dense, c.dense())
    solution = local_resolvent(sp.csc_matrix(dense), D, c, error)
    estimate = solution.estimate.dense()
    assert solution.error_bound <= error * (1 + 1e-12)
    assert np.abs(exact - estimate).sum() <= solution.error_bound + 1e-9 * exact.sum()
    assert np.all(estimate <= exact + 1e-12 * exact.sum())


@settings(max_examples=60, deadline=None)
@given(walks())
def test_agrees_with_power_iteration_on_the_same_system(case):
    dense, seeds, _ = case
    n = dense.shape[0]
    c = _seed(n, seeds).dense()
    # the Neumann series summed term by term until the terms vanish
    term, total = c.copy(), c.copy()
    while term.sum() > 1e-15 * total.sum():
        term = D * dense @ term
        total += term
    solution = local_resolvent(sp.csc_matrix(dense), D, _seed(n, seeds), 1e-10)
    np.testing.assert_allclose(solution.estimate.dense(), total, atol=1e-9)


def _influence(scores):
    scores = np.asarray(scores, dtype=float)
    persons = [f"p{i}" for i in range(len(scores))]
    zero = np.zeros_like(scores)
    return Influence(persons, scores, zero, zero, scores, zero, 1)


@pytest.mark.parametrize(
    "scores",
    [
        [0.1, 0.3, 0.3, 0.2, 0.1],
        [0.25, 0.25, 0.25, 0.25],
        [0.5, 0.1, 0.1, 0.1, 0.1, 0.1],
        [0.05, 0.4, 0.05, 0.05, 0.4, 0.05],
    ],
)
def test_top_and_rank_of_without_sorting_everyone_equal_the_full_order(scores):
    for n in range(len(scores) + 1):
        assert _influence(scores).top(n) == _influence(scores).top()[:n]
    fresh, full = _influence(scores), _influence(scores)
    for pid in fresh.persons:
        assert fresh.rank_of(pid) == int(full.rank[full.index[pid]])
