"""Checks for `matrix-operations`, against numpy (@, .T, trace) and numpy.linalg (det, matrix_rank, inv)."""

import ast
import inspect
import textwrap

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import forbid_linear_algebra
from aieng.grader.strategies import full_rank_matrices, matrices, rngs, well_conditioned_matrices


def _products_scale(a, b):
    return float((np.abs(a) @ np.abs(b)).max()) if a.size and b.size else 0.0


def _det_scale(a):
    """||A||_2^n: round-off of size eps*||A|| in the entries moves det A by about eps * n * ||A||^n."""
    return float(np.linalg.norm(a, 2) ** a.shape[0]) if a.size else 1.0


def _low_rank(args):
    rng, m, n, r = args
    r = min(r, m, n)
    scale = 10.0 ** rng.uniform(-12, 12)
    return scale * rng.standard_normal((m, r)) @ rng.standard_normal((r, n)), r


low_rank_matrices = st.tuples(rngs(), st.integers(1, 8), st.integers(1, 8), st.integers(0, 7)).map(_low_rank)


@st.composite
def multipliable_pairs(draw):
    m, k, n = (draw(st.integers(1, 6)) for _ in range(3))
    a = draw(matrices(m, m, k, k))
    b = draw(matrices(k, k, n, n))
    return a, b


@given(multipliable_pairs())
def test_matmul_matches_numpy(impl, pair):
    """matmul(A, B) equals A @ B for random (m, k) and (k, n) matrices, with shape (m, n)."""
    a, b = pair
    atol = 1e-12 * _products_scale(a, b)
    assert_close(impl.matmul(a, b), a @ b, rtol=1e-9, atol=atol, what=f"matmul(A{a.shape}, B{b.shape})")


def test_matmul_small_example_and_empty_inner_dimension(impl):
    """[[1, 2], [3, 4]] times [[5], [6]] is [[17], [39]]; a (2, 0) times a (0, 3) matrix is the 2x3 zero matrix."""
    got = impl.matmul(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0], [6.0]]))
    assert_close(got, np.array([[17.0], [39.0]]), what="matmul([[1, 2], [3, 4]], [[5], [6]])")
    assert_close(impl.matmul(np.ones((2, 0)), np.ones((0, 3))), np.zeros((2, 3)), what="matmul(ones(2, 0), ones(0, 3))")


def test_matmul_checks_shapes(impl):
    """matmul raises ValueError when A's columns differ from B's rows, or an input is not 2-D."""
    assert_raises_value_error(impl.matmul, np.ones((2, 3)), np.ones((2, 3)), why="(2, 3) @ (2, 3): 3 columns vs 2 rows")
    assert_raises_value_error(impl.matmul, np.ones(3), np.ones((3, 2)), why="a 1-D array is not a matrix")
    assert_raises_value_error(impl.matmul, np.ones((3, 2)), np.ones(2), why="a 1-D array is not a matrix")


def test_matmul_writes_the_sum_itself(impl):
    """matmul computes sum_k A[i,k] B[k,j] itself: no `@`, np.dot, np.matmul, np.einsum, np.tensordot or np.inner."""
    try:
        source = textwrap.dedent(inspect.getsource(impl.matmul))
    except (OSError, TypeError):
        return  # no source to read (e.g. a compiled module): nothing to check
    banned = {"dot", "matmul", "einsum", "tensordot", "inner", "vdot", "multi_dot", "vecdot"}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.MatMult):
            raise AssertionError("matmul uses the @ operator: write the sum over k with broadcasting instead")
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if name in banned:
            raise AssertionError(f"matmul uses {name}: write the sum over k with broadcasting instead")


@given(matrices())
def test_transpose_matches_numpy(impl, a):
    """transpose(A) equals A.T: shape (n, m), entry [i, j] is A[j, i]."""
    assert_close(impl.transpose(a), a.T, rtol=0, atol=0, what=f"transpose(A{a.shape})")


@given(multipliable_pairs())
def test_transpose_of_a_product_reverses_the_order(impl, pair):
    """(A B)^T = B^T A^T: transposing a product reverses the order of the factors."""
    a, b = pair
    got = impl.matmul(impl.transpose(b), impl.transpose(a))
    atol = 1e-12 * _products_scale(a, b)
    assert_close(got, (a @ b).T, rtol=1e-9, atol=atol, what="matmul(transpose(B), transpose(A))")


def test_transpose_rejects_1d(impl):
    """transpose raises ValueError for a 1-D array (numpy's .T would silently return it unchanged)."""
    assert_raises_value_error(impl.transpose, np.ones(3), why="a 1-D array has no rows and columns to swap")


@given(matrices(min_rows=1, max_rows=8, min_cols=1, max_cols=8).map(lambda a: a[: min(a.shape), : min(a.shape)]))
def test_trace_matches_numpy(impl, a):
    """trace(A) equals numpy.trace(A), the sum of the diagonal, on random square matrices."""
    assert_close(impl.trace(a), np.trace(a), rtol=1e-12, atol=1e-12 * np.abs(a).sum(), what="trace(A)")


def test_trace_rejects_non_square(impl):
    """trace raises ValueError for a non-square matrix, where the diagonal does not close a square."""
    assert_raises_value_error(impl.trace, np.ones((2, 3)), why="trace is defined for square matrices")


@given(well_conditioned_matrices())
def test_det_matches_numpy_on_invertible_matrices(impl, a):
    """det(A) equals numpy.linalg.det(A) on random invertible matrices, computed by your own elimination."""
    expected = np.linalg.det(a)
    with forbid_linear_algebra(impl):
        got = impl.det(a)
    assert_close(got, expected, rtol=1e-9, atol=1e-12 * _det_scale(a), what="det(A)")


@given(matrices(max_rows=6, max_cols=6).map(lambda a: a[: min(a.shape), : min(a.shape)]))
def test_det_matches_numpy_on_arbitrary_matrices(impl, a):
    """det(A) equals numpy.linalg.det(A) on arbitrary square matrices, singular ones included (det 0)."""
    expected = np.linalg.det(a)
    with forbid_linear_algebra(impl):
        got = impl.det(a)
    assert_close(got, expected, rtol=1e-8, atol=1e-12 * _det_scale(a), what="det(A)")


def test_det_small_cases(impl):
    """det needs row swaps ([[0, 2], [3, 4]] has det -6), a singular matrix has det 0, and det of 0x0 is 1."""
    with forbid_linear_algebra(impl):
        assert_close(impl.det(np.array([[0.0, 2.0], [3.0, 4.0]])), -6.0, what="det([[0, 2], [3, 4]])")
        assert_close(impl.det(np.array([[1.0, 2.0], [2.0, 4.0]])), 0.0, what="det([[1, 2], [2, 4]])")
        assert_close(impl.det(np.zeros((0, 0))), 1.0, what="det of the 0x0 matrix (the empty product)")
    assert_raises_value_error(impl.det, np.ones((2, 3)), why="det is defined for square matrices")


@given(full_rank_matrices())
def test_rank_of_full_rank_matrices(impl, a):
    """rank(A) equals numpy.linalg.matrix_rank(A) = min(m, n) for random full-rank matrices."""
    expected = int(np.linalg.matrix_rank(a))
    with forbid_linear_algebra(impl):
        got = impl.rank(a)
    if got != expected:
        raise AssertionError(f"rank(A{a.shape}) is {got!r}, expected {expected} (numpy.linalg.matrix_rank)")


@given(low_rank_matrices)
def test_rank_of_low_rank_matrices_at_any_scale(impl, case):
    """rank finds r for a product of (m, r) and (r, n) random factors scaled by 1e-12..1e12: use a relative tol."""
    a, r = case
    expected = int(np.linalg.matrix_rank(a))
    assert expected == r  # the oracle agrees with how the matrix was built
    with forbid_linear_algebra(impl):
        got = impl.rank(a)
    if got != expected:
        raise AssertionError(
            f"rank(A{a.shape}) is {got!r}, expected {expected} (entries up to {np.abs(a).max():.3g}); "
            "round-off leaves tiny non-zero 'pivots', so compare with a tolerance relative to max|a_ij|"
        )


def test_rank_edge_cases_and_explicit_tol(impl):
    """The zero and empty matrices have rank 0; an explicit tol decides whether the pivot 1e-3 counts."""
    small = np.array([[1.0, 0.0], [0.0, 1e-3]])
    cases = [
        (np.zeros((3, 4)), {}, 0, "the zero matrix has rank 0"),
        (np.zeros((0, 3)), {}, 0, "a matrix with no rows has rank 0"),
        (np.array([[1.0, 2.0], [2.0, 4.0]]), {}, 1, "[[1, 2], [2, 4]] has rank 1 (row 2 = 2 * row 1)"),
        (small, {"tol": 1e-2}, 1, "with tol=1e-2 the pivot 1e-3 of diag(1, 1e-3) counts as zero: rank 1"),
        (small, {"tol": 1e-4}, 2, "with tol=1e-4 the pivot 1e-3 of diag(1, 1e-3) counts: rank 2"),
    ]
    with forbid_linear_algebra(impl):
        for a, kwargs, expected, why in cases:
            got = impl.rank(a, **kwargs)
            if got != expected:
                raise AssertionError(f"rank returned {got!r}, expected {expected}: {why}")
    assert_raises_value_error(impl.rank, np.ones(3), why="rank is defined for 2-D matrices")


@given(well_conditioned_matrices())
def test_inverse_matches_numpy(impl, a):
    """inverse(A) equals numpy.linalg.inv(A) on random invertible matrices, computed by Gauss-Jordan."""
    expected = np.linalg.inv(a)
    with forbid_linear_algebra(impl):
        got = impl.inverse(a)
    assert_close(got, expected, rtol=1e-8, atol=1e-10 * np.abs(expected).max(), what="inverse(A)")
    n = a.shape[0]
    assert_close(a @ np.asarray(got), np.eye(n), atol=1e-9, what="A @ inverse(A) (should be the identity)")


def test_inverse_needs_pivoting(impl):
    """inverse([[0, 1], [1, 0]]) is itself: a zero on the diagonal needs a row swap, not a division by 0."""
    a = np.array([[0.0, 1.0], [1.0, 0.0]])
    with forbid_linear_algebra(impl):
        assert_close(impl.inverse(a), a, what="inverse([[0, 1], [1, 0]])")


@settings(max_examples=20)
@given(low_rank_matrices.filter(lambda case: case[0].shape[0] == case[0].shape[1] and case[1] < case[0].shape[0]))
def test_inverse_rejects_singular_matrices(impl, case):
    """inverse raises ValueError for a singular matrix (rank < n), even when round-off leaves a tiny pivot."""
    a, r = case
    with forbid_linear_algebra(impl):
        assert_raises_value_error(impl.inverse, a, why=f"this {a.shape} matrix has rank {r}: it has no inverse")


def test_inverse_rejects_bad_input(impl):
    """inverse raises ValueError for [[1, 2], [2, 4]], the zero matrix, and a non-square matrix."""
    with forbid_linear_algebra(impl):
        assert_raises_value_error(impl.inverse, np.array([[1.0, 2.0], [2.0, 4.0]]), why="it is singular (rank 1)")
        assert_raises_value_error(impl.inverse, np.zeros((3, 3)), why="the zero matrix is singular")
    assert_raises_value_error(impl.inverse, np.ones((2, 3)), why="only square matrices have inverses")
