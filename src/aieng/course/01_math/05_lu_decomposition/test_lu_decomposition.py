"""Checks for `lu-decomposition`, against scipy.linalg.lu, scipy.linalg.solve_triangular and numpy.linalg.solve."""


import numpy as np
import scipy.linalg
from hypothesis import assume, given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import forbid_linear_algebra
from aieng.grader.strategies import matrices, rngs, well_conditioned_matrices


def _factors(result):
    """The learner's lu(A) must return a tuple (P, L, U)."""
    if not (isinstance(result, tuple | list) and len(result) == 3):
        raise AssertionError(f"lu(A) should return a tuple (P, L, U), got {type(result).__name__}")
    return tuple(np.asarray(f, dtype=float) for f in result)


def _has_distinct_pivots(lower):
    """Every pivot choice was clear-cut: all multipliers strictly inside (-1, 1), so no near-ties in the search."""
    return bool(np.all(np.abs(np.tril(lower, -1)) < 1 - 1e-9))


def _triangular(rng, n, lower):
    """A random triangular matrix with diagonal entries of size 1..2 (comfortably invertible)."""
    t = rng.standard_normal((n, n))
    t[np.diag_indices(n)] = rng.uniform(1.0, 2.0, n) * rng.choice([-1.0, 1.0], n)
    return np.tril(t) if lower else np.triu(t)


def _gaussian_square(args):
    rng, n = args
    return rng.standard_normal((n, n))


generic_square = st.tuples(rngs(), st.integers(1, 8)).map(_gaussian_square)


@given(st.one_of(generic_square, well_conditioned_matrices()))
def test_lu_matches_scipy(impl, a):
    """lu(A) returns the same P, L and U as scipy.linalg.lu(A) (A = P @ L @ U, largest pivot in each column)."""
    p, lower, upper = scipy.linalg.lu(a)
    assume(_has_distinct_pivots(lower))
    with forbid_linear_algebra(impl):
        got_p, got_l, got_u = _factors(impl.lu(a.copy()))
    scale = float(np.abs(a).max())
    assert_close(got_p, p, rtol=0, atol=0, what="P (which rows were swapped where)")
    assert_close(got_l, lower, rtol=1e-8, atol=1e-10, what="L (the multipliers)")
    assert_close(got_u, upper, rtol=1e-8, atol=1e-10 * scale, what="U (the eliminated matrix)")


@given(matrices(max_rows=6, max_cols=6).map(lambda a: a[: min(a.shape), : min(a.shape)]))
def test_lu_factors_any_square_matrix(impl, a):
    """For any square A, singular ones too: P a permutation, L unit lower with |L_ij| <= 1, U upper, and P L U = A."""
    n = a.shape[0]
    scale = float(np.abs(a).max())
    with forbid_linear_algebra(impl):
        p, lower, upper = _factors(impl.lu(a.copy()))
    for name, f in (("P", p), ("L", lower), ("U", upper)):
        if f.shape != (n, n):
            raise AssertionError(f"{name} has shape {f.shape}, expected {(n, n)}")
    is_permutation = np.isin(p, (0.0, 1.0)).all() and (p.sum(axis=0) == 1).all() and (p.sum(axis=1) == 1).all()
    if not is_permutation:
        raise AssertionError(f"P is not a permutation matrix (0/1 entries, a single 1 in each row and column): {p}")
    assert_close(np.diagonal(lower), np.ones(n), atol=1e-15, what="the diagonal of L (unit lower triangular)")
    assert_close(np.triu(lower, 1), np.zeros((n, n)), atol=0, what="L above its diagonal")
    if np.abs(lower).max() > 1 + 1e-12:
        raise AssertionError(f"L has an entry of size {np.abs(lower).max():.3g} > 1: pick the LARGEST |entry| as pivot")
    assert_close(np.tril(upper, -1), np.zeros((n, n)), atol=1e-12 * scale, what="U below its diagonal")
    assert_close(p @ lower @ upper, a, rtol=1e-9, atol=1e-12 * n * scale, what="P @ L @ U (should be A)")


def test_lu_small_example(impl):
    """lu([[0, 2], [3, 4]]) swaps the rows: P = [[0, 1], [1, 0]], L = I, U = [[3, 4], [0, 2]]."""
    with forbid_linear_algebra(impl):
        p, lower, upper = _factors(impl.lu(np.array([[0.0, 2.0], [3.0, 4.0]])))
    assert_close(p, np.array([[0.0, 1.0], [1.0, 0.0]]), what="P")
    assert_close(lower, np.eye(2), what="L")
    assert_close(upper, np.array([[3.0, 4.0], [0.0, 2.0]]), what="U")


def test_lu_rejects_non_square(impl):
    """lu raises ValueError for a non-square matrix or a 1-D array (this exercise factors square matrices)."""
    assert_raises_value_error(impl.lu, np.ones((2, 3)), why="the matrix is not square")
    assert_raises_value_error(impl.lu, np.ones(3), why="a 1-D array is not a matrix")


@given(rngs(), st.integers(1, 8), st.sampled_from([None, 1, 3]))
def test_forward_substitution_matches_scipy(impl, rng, n, k):
    """forward_substitution(L, b) solves L y = b for lower-triangular L, as scipy's solve_triangular(lower=True)."""
    lower = _triangular(rng, n, lower=True)
    b = rng.standard_normal(n if k is None else (n, k))
    expected = scipy.linalg.solve_triangular(lower, b, lower=True)
    with forbid_linear_algebra(impl):
        got = impl.forward_substitution(lower, b.copy())
    scale = float(np.abs(expected).max())
    assert_close(got, expected, rtol=1e-9, atol=1e-11 * scale, what=f"forward_substitution(L, b{b.shape})")


@given(rngs(), st.integers(1, 8), st.sampled_from([None, 1, 3]))
def test_back_substitution_matches_scipy(impl, rng, n, k):
    """back_substitution(U, b) solves U x = b for upper-triangular U, as scipy's solve_triangular(lower=False)."""
    upper = _triangular(rng, n, lower=False)
    b = rng.standard_normal(n if k is None else (n, k))
    expected = scipy.linalg.solve_triangular(upper, b, lower=False)
    with forbid_linear_algebra(impl):
        got = impl.back_substitution(upper, b.copy())
    scale = float(np.abs(expected).max())
    assert_close(got, expected, rtol=1e-9, atol=1e-11 * scale, what=f"back_substitution(U, b{b.shape})")


def test_triangular_solvers_refuse_zero_diagonal_and_bad_shapes(impl):
    """A zero on the diagonal makes the triangular system singular (ValueError), as does a b of the wrong length."""
    assert_raises_value_error(impl.forward_substitution, np.array([[1.0, 0.0], [2.0, 0.0]]), np.ones(2),
                              why="L has a 0 on its diagonal")
    assert_raises_value_error(impl.back_substitution, np.array([[0.0, 1.0], [0.0, 1.0]]), np.ones(2),
                              why="U has a 0 on its diagonal")
    assert_raises_value_error(impl.forward_substitution, np.eye(2), np.ones(3), why="b has 3 entries, L has 2 rows")
    assert_raises_value_error(impl.back_substitution, np.eye(2), np.ones(3), why="b has 3 entries, U has 2 rows")
    assert_raises_value_error(impl.back_substitution, np.ones((2, 3)), np.ones(2), why="U must be square")


@given(well_conditioned_matrices(), rngs(), st.sampled_from([None, 1, 4]))
def test_lu_solve_with_scipy_factors_matches_numpy(impl, a, rng, k):
    """lu_solve(P, L, U, b) with scipy's factors of A equals numpy.linalg.solve(A, b): y = L^-1 P^T b, x = U^-1 y."""
    p, lower, upper = scipy.linalg.lu(a)
    b = rng.standard_normal(a.shape[0] if k is None else (a.shape[0], k))
    expected = np.linalg.solve(a, b)
    with forbid_linear_algebra(impl):
        got = impl.lu_solve(p, lower, upper, b.copy())
    scale = float(np.abs(expected).max())
    assert_close(got, expected, rtol=1e-8, atol=1e-10 * scale, what=f"lu_solve(P, L, U, b{b.shape})")


@given(well_conditioned_matrices(), rngs())
def test_factor_once_solve_many(impl, a, rng):
    """Your own lu(A) then lu_solve for three different b: each equals numpy.linalg.solve(A, b)."""
    with forbid_linear_algebra(impl):
        p, lower, upper = _factors(impl.lu(a.copy()))
    for i in range(3):
        b = rng.standard_normal(a.shape[0])
        expected = np.linalg.solve(a, b)
        with forbid_linear_algebra(impl):
            got = impl.lu_solve(p, lower, upper, b)
        scale = float(np.abs(expected).max())
        assert_close(got, expected, rtol=1e-8, atol=1e-10 * scale, what=f"lu_solve(*lu(A), b_{i})")


def test_lu_solve_refuses_a_singular_matrix(impl):
    """lu_solve raises ValueError when U has a zero pivot (A = [[1, 2], [2, 4]] is singular); lu itself still works."""
    p, lower, upper = scipy.linalg.lu(np.array([[1.0, 2.0], [2.0, 4.0]]))
    with forbid_linear_algebra(impl):
        why = "U has a 0 on its diagonal: A is singular"
        assert_raises_value_error(impl.lu_solve, p, lower, upper, np.ones(2), why=why)
    assert_raises_value_error(impl.lu_solve, np.eye(2), np.eye(2), np.eye(3), np.ones(2), why="P, L, U differ in size")
