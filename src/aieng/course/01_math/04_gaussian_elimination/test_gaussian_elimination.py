"""Checks for `gaussian-elimination`, against numpy.linalg.solve (with numpy's solvers disabled while yours runs)."""


import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import forbid_linear_algebra
from aieng.grader.strategies import rngs, well_conditioned_matrices


def _solve_and_check(impl, a, b, what):
    """Run solve on copies of A and b (numpy's solvers disabled), compare with numpy.linalg.solve.

    Tolerance: relative 1e-8, plus absolute 1e-10 times the largest |x_i|.
    """
    expected = np.linalg.solve(a, b)
    with forbid_linear_algebra(impl):
        got = impl.solve(a.copy(), b.copy())
    scale = float(np.abs(expected).max()) if expected.size else 0.0
    assert_close(got, expected, rtol=1e-8, atol=1e-10 * scale, what=what)


def _rank_deficient(args):
    rng, n = args
    a = rng.standard_normal((n, n - 1)) @ rng.standard_normal((n - 1, n))
    return a * 10.0 ** rng.uniform(-8, 8), rng.standard_normal(n)


@given(well_conditioned_matrices(), rngs())
def test_solves_random_systems(impl, a, rng):
    """solve(A, b) equals numpy.linalg.solve(A, b) for random invertible A and random b."""
    b = rng.standard_normal(a.shape[0])
    _solve_and_check(impl, a, b, what=f"solve(A{a.shape}, b)")


@given(well_conditioned_matrices(), rngs(), st.integers(1, 4))
def test_solves_several_right_hand_sides_at_once(impl, a, rng, k):
    """With b of shape (n, k), solve returns x of shape (n, k): column j solves A x_j = b_j."""
    b = rng.standard_normal((a.shape[0], k))
    _solve_and_check(impl, a, b, what=f"solve(A{a.shape}, B{b.shape})")


def test_result_has_the_shape_of_b(impl):
    """x has the shape of b: (n,) for a vector b, (n, 1) for a one-column matrix b."""
    with forbid_linear_algebra(impl):
        vector = impl.solve(np.array([[4.0, 1.0], [2.0, 3.0]]), np.array([1.0, 2.0]))
        column = impl.solve(np.array([[4.0, 1.0], [2.0, 3.0]]), np.array([[1.0], [2.0]]))
    assert_close(vector, np.array([0.1, 0.6]), what="solve([[4, 1], [2, 3]], b) with b of shape (2,)")
    assert_close(column, np.array([[0.1], [0.6]]), what="solve([[4, 1], [2, 3]], b) with b of shape (2, 1)")


def test_tiny_leading_pivot_needs_a_row_swap(impl):
    """[[1e-20, 1], [1, 1]] x = [1, 2] has x close to [1, 1]: without pivoting, round-off returns x = [0, 1]."""
    a = np.array([[1e-20, 1.0], [1.0, 1.0]])
    b = np.array([1.0, 2.0])
    with forbid_linear_algebra(impl):
        x = impl.solve(a, b)
    assert_close(x, np.array([1.0, 1.0]), rtol=1e-12, what="solve([[1e-20, 1], [1, 1]], [1, 2])")


@given(well_conditioned_matrices(min_n=2), rngs())
def test_tiny_pivots_anywhere_are_swapped_away(impl, a, rng):
    """A random system whose first pivot is 1e-17 times its entries is still solved to full accuracy (pivot by size)."""
    a = a.copy()
    a[0, 0] = 1e-17 * np.abs(a).max()
    assume(np.linalg.cond(a) < 1e4)
    b = rng.standard_normal(a.shape[0])
    _solve_and_check(impl, a, b, what="solve(A with A[0,0] = 1e-17 * max|a_ij|, b)")


def test_zero_pivots_need_a_row_swap(impl):
    """A zero on the diagonal, at the start or midway through elimination, is swapped away, not divided by."""
    cases = [
        (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([2.0, 3.0])),
        (np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 2.0], [1.0, 2.0, 2.0]]), np.array([3.0, 4.0, 5.0])),
    ]
    for a, b in cases:
        _solve_and_check(impl, a, b, what=f"solve({a.tolist()}, {b.tolist()})")


@given(well_conditioned_matrices(), rngs(), st.sampled_from([1e-30, 1e-12, 1e12, 1e30]))
def test_scaling_the_matrix_scales_the_solution(impl, a, rng, s):
    """solve(s*A, b) works for s from 1e-30 to 1e30 (x scales by 1/s): judge a pivot 'zero' relative to A's entries."""
    b = rng.standard_normal(a.shape[0])
    _solve_and_check(impl, s * a, b, what=f"solve({s:g} * A, b)")


def test_singular_matrices_raise(impl):
    """solve raises ValueError for singular A: [[1, 2], [2, 4]] and the zero matrix have no unique solution."""
    with forbid_linear_algebra(impl):
        assert_raises_value_error(impl.solve, np.array([[1.0, 2.0], [2.0, 4.0]]), np.ones(2), why="A is singular")
        assert_raises_value_error(impl.solve, np.zeros((3, 3)), np.ones(3), why="the zero matrix is singular")


@given(st.tuples(rngs(), st.integers(2, 8)).map(_rank_deficient))
def test_numerically_singular_matrices_raise(impl, case):
    """A random n x n matrix of rank n-1 raises ValueError: round-off leaves a pivot ~1e-16 times the entries, not 0."""
    a, b = case
    with forbid_linear_algebra(impl):
        why = f"this {a.shape} matrix has rank {a.shape[0] - 1}; compare pivots with 1e-10 * max|a_ij|"
        assert_raises_value_error(impl.solve, a, b, why=why)


def test_bad_shapes_raise(impl):
    """solve raises ValueError for a non-square A, a b of the wrong length, or a 1-D or 3-D input."""
    assert_raises_value_error(impl.solve, np.ones((2, 3)), np.ones(2), why="A must be square")
    assert_raises_value_error(impl.solve, np.eye(2), np.ones(3), why="b has 3 entries but A has 2 rows")
    assert_raises_value_error(impl.solve, np.eye(2), np.ones((3, 2)), why="b has 3 rows but A has 2")
    assert_raises_value_error(impl.solve, np.ones(4), np.ones(2), why="A must be 2-D")
    assert_raises_value_error(impl.solve, np.eye(2), np.ones((2, 2, 2)), why="b must be 1-D or 2-D")


def test_inputs_are_not_modified(impl):
    """solve leaves A and b as they were: eliminate on a copy, never on the caller's arrays."""
    a = np.array([[2.0, 1.0, 1.0], [4.0, -6.0, 0.0], [-2.0, 7.0, 2.0]])
    b = np.array([5.0, -2.0, 9.0])
    a_before, b_before = a.copy(), b.copy()
    with forbid_linear_algebra(impl):
        impl.solve(a, b)
    assert_close(a, a_before, rtol=0, atol=0, what="A after solve(A, b)")
    assert_close(b, b_before, rtol=0, atol=0, what="b after solve(A, b)")


def test_integer_inputs_and_empty_system(impl):
    """Integer A and b work ([[2, 1], [1, 3]] x = [3, 5] gives [0.8, 1.4]); a 0x0 system has the empty solution."""
    with forbid_linear_algebra(impl):
        x = impl.solve(np.array([[2, 1], [1, 3]]), np.array([3, 5]))
        empty = impl.solve(np.zeros((0, 0)), np.zeros(0))
    assert_close(x, np.array([0.8, 1.4]), what="solve([[2, 1], [1, 3]], [3, 5]) with integer arrays")
    assert_close(empty, np.zeros(0), what="solve of the 0x0 system")
