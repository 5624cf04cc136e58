"""Checks for `svd-low-rank`, against numpy.linalg.svd and the Eckart-Young theorem.

While `svd` and `low_rank_approximation` run, numpy.linalg.svd (and scipy.linalg.svd) are switched off;
numpy.linalg.eigh, qr and norm stay available. Singular vectors are compared up to sign, flipping u_j and
v_j together (flipping both leaves u_j s_j v_j^T unchanged).
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_close_up_to_sign, assert_raises_value_error
from aieng.grader.guards import forbid
from aieng.grader.strategies import matrices, random_orthogonal, rngs


def _call(impl, name, *args):
    """impl.<name>(*args) with numpy.linalg.svd and scipy.linalg.svd switched off (aliases in `impl` too)."""
    with forbid(impl, "numpy.linalg.svd", "scipy.linalg.svd"):
        return getattr(impl, name)(*args)


def _separated(rng, m, n):
    """A matrix with singular values at least 20% apart (so U and V are unique up to sign), and them."""
    k = min(m, n)
    s = np.sort(np.cumprod(rng.uniform(1.2, 2.0, size=k)))[::-1]
    return (random_orthogonal(rng, m)[:, :k] * s) @ random_orthogonal(rng, n)[:k], s


def _low_rank(rng, m, n, r):
    return rng.standard_normal((m, r)) @ rng.standard_normal((r, n))


def _tolerance(a):
    """Absolute slack for singular values and reconstructions: 1e-7 of the largest singular value."""
    return 1e-7 * np.linalg.norm(a, 2) + 1e-12


SHAPES = st.tuples(st.integers(1, 8), st.integers(1, 8))


# ----------------------------------------------------------------------------- svd


@given(matrices(1, 8, 1, 8))
def test_singular_values_match_numpy(impl, a):
    """svd(A) returns the singular values of numpy.linalg.svd(A): non-negative, in descending order."""
    _, s, _ = _call(impl, "svd", a)
    expected = np.linalg.svd(a, compute_uv=False)
    assert_close(s, expected, rtol=1e-9, atol=_tolerance(a), what="singular values s")


@given(matrices(1, 8, 1, 8))
def test_svd_reconstructs_the_matrix_with_thin_shapes(impl, a):
    """U (m, k), s (k,), Vt (k, n) with k = min(m, n), and U @ diag(s) @ Vt gives A back."""
    u, s, vt = _call(impl, "svd", a)
    m, n = a.shape
    k = min(m, n)
    u, s, vt = np.asarray(u, dtype=float), np.asarray(s, dtype=float), np.asarray(vt, dtype=float)
    if (u.shape, s.shape, vt.shape) != ((m, k), (k,), (k, n)):
        raise AssertionError(
            f"for A of shape {a.shape} expected shapes U {(m, k)}, s {(k,)}, Vt {(k, n)} (the thin SVD), "
            f"got U {u.shape}, s {s.shape}, Vt {vt.shape}"
        )
    assert_close((u * s) @ vt, a, rtol=0, atol=_tolerance(a), what="U @ diag(s) @ Vt")


@given(matrices(1, 8, 1, 8))
def test_singular_vectors_are_orthonormal(impl, a):
    """U^T U = I and Vt Vt^T = I, for every matrix, including rank-deficient ones."""
    u, _, vt = _call(impl, "svd", a)
    k = min(a.shape)
    assert_close(np.asarray(u).T @ u, np.eye(k), atol=1e-8, what="U^T U")
    assert_close(np.asarray(vt) @ np.asarray(vt).T, np.eye(k), atol=1e-8, what="Vt Vt^T")


@given(rngs(), SHAPES)
def test_singular_vectors_match_numpy_up_to_sign(impl, rng, shape):
    """With distinct singular values, each u_j and v_j equals numpy.linalg.svd's, up to one shared sign."""
    a, s_true = _separated(rng, *shape)
    u, s, vt = (np.asarray(x, dtype=float) for x in _call(impl, "svd", a))
    assert_close(s, s_true, rtol=1e-9, atol=1e-9, what="singular values")
    u_np, _, vt_np = np.linalg.svd(a, full_matrices=False)
    signs = assert_close_up_to_sign(vt.T, vt_np.T, atol=1e-7, what="columns of V = rows of Vt (each up to sign)")
    assert_close(u * signs, u_np, atol=1e-7, what="columns of U (with the same signs as Vt's rows)")


@given(rngs(), SHAPES, st.integers(0, 3))
def test_rank_deficient_matrices(impl, rng, shape, r):
    """A rank-r matrix has min(m, n) - r zero singular values; U and V still have orthonormal columns."""
    m, n = shape
    r = min(r, m, n)
    a = _low_rank(rng, m, n, r)
    u, s, vt = (np.asarray(x, dtype=float) for x in _call(impl, "svd", a))
    assert_close(s, np.linalg.svd(a, compute_uv=False), rtol=1e-9, atol=_tolerance(a), what="singular values")
    k = min(m, n)
    assert_close(u.T @ u, np.eye(k), atol=1e-8, what="U^T U (complete U when some s_j = 0)")
    assert_close(vt @ vt.T, np.eye(k), atol=1e-8, what="Vt Vt^T")
    assert_close((u * s) @ vt, a, atol=_tolerance(a), what="U @ diag(s) @ Vt")


def test_svd_of_simple_matrices(impl):
    """diag(3, -2) has singular values (3, 2); the zero matrix has s = 0 with orthonormal U and V."""
    u, s, vt = _call(impl, "svd", np.array([[3.0, 0.0], [0.0, -2.0]]))
    assert_close(s, [3.0, 2.0], atol=1e-12, what="singular values of diag(3, -2)")
    assert_close((np.asarray(u) * s) @ vt, [[3.0, 0.0], [0.0, -2.0]], atol=1e-12, what="reconstruction")
    u, s, vt = _call(impl, "svd", np.zeros((3, 2)))
    assert_close(s, [0.0, 0.0], atol=0, what="singular values of the 3x2 zero matrix")
    assert_close(np.asarray(u).T @ u, np.eye(2), atol=1e-12, what="U^T U for the zero matrix")
    assert_close(np.asarray(vt) @ np.asarray(vt).T, np.eye(2), atol=1e-12, what="Vt Vt^T for the zero matrix")


def test_svd_rejects_bad_input(impl):
    """A 1-D array, an empty matrix or one with NaN raises ValueError."""
    assert_raises_value_error(impl.svd, np.ones(3), why="the SVD is for 2-D matrices")
    assert_raises_value_error(impl.svd, np.zeros((0, 3)), why="the matrix is empty")
    assert_raises_value_error(impl.svd, np.array([[1.0, np.nan]]), why="of the NaN")


# ----------------------------------------------------------------------------- low rank and Eckart-Young


@given(rngs(), SHAPES, st.integers(0, 8))
def test_low_rank_approximation_matches_truncated_numpy_svd(impl, rng, shape, k):
    """low_rank_approximation(A, k) is U_k diag(s_k) V_k^T built from numpy.linalg.svd's top k triplets."""
    a, _ = _separated(rng, *shape)
    got = _call(impl, "low_rank_approximation", a, k)
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    assert_close(got, (u[:, :k] * s[:k]) @ vt[:k], rtol=0, atol=1e-8 * s[0], what=f"rank-{k} approximation")


@given(matrices(1, 8, 1, 8), st.integers(0, 8))
def test_low_rank_error_is_the_eckart_young_optimum(impl, a, k):
    """||A - A_k||_F = sqrt(sum of the discarded s_i^2) and ||A - A_k||_2 = s_(k+1), with s from numpy.

    No matrix of rank <= k gets closer (Eckart-Young), so a larger error means a wrong A_k.
    """
    got = np.asarray(_call(impl, "low_rank_approximation", a, k), dtype=float)
    s = np.linalg.svd(a, compute_uv=False)
    if got.shape != a.shape:
        raise AssertionError(f"low_rank_approximation(A, {k}) should have A's shape {a.shape}, got {got.shape}")
    tol = _tolerance(a)
    assert_close(np.linalg.norm(a - got), np.sqrt(np.sum(s[k:] ** 2)), rtol=1e-6, atol=3 * tol,
                 what=f"||A - A_{k}||_F")
    assert_close(np.linalg.norm(a - got, 2), s[k] if k < s.size else 0.0, rtol=1e-6, atol=3 * tol,
                 what=f"||A - A_{k}||_2")
    kept = np.linalg.svd(got, compute_uv=False)[k:]
    assert_close(kept, np.zeros_like(kept), atol=3 * tol, what=f"singular values of A_{k} beyond the first {k}")


def test_low_rank_edge_cases(impl):
    """k = 0 gives the zero matrix, k >= min(m, n) gives A itself, k < 0 or a non-integer k raises ValueError."""
    a = np.arange(6.0).reshape(2, 3)
    assert_close(_call(impl, "low_rank_approximation", a, 0), np.zeros((2, 3)), atol=0, what="rank-0 approximation")
    assert_close(_call(impl, "low_rank_approximation", a, 2), a, atol=1e-12, what="rank-2 approximation of a 2x3")
    assert_close(_call(impl, "low_rank_approximation", a, 5), a, atol=1e-12, what="rank-5 approximation of a 2x3")
    assert_raises_value_error(impl.low_rank_approximation, a, -1, why="a rank cannot be negative")
    assert_raises_value_error(impl.low_rank_approximation, a, 1.5, why="a rank is a whole number")


@given(matrices(1, 8, 1, 8), st.integers(0, 9))
def test_eckart_young_error_matches_the_actual_error(impl, a, k):
    """eckart_young_error(s, k, ord) equals the norm of A - A_k with A_k from numpy's truncated SVD."""
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    residual = a - (u[:, :k] * s[:k]) @ vt[:k]
    tol = 1e-12 * max(1.0, s[0]) if s.size else 1e-12
    assert_close(impl.eckart_young_error(s, k), np.linalg.norm(residual, "fro"), rtol=1e-9, atol=10 * tol,
                 what=f"eckart_young_error(s, {k}) (Frobenius)")
    assert_close(impl.eckart_young_error(s, k, ord="fro"), np.linalg.norm(residual, "fro"), rtol=1e-9,
                 atol=10 * tol, what=f"eckart_young_error(s, {k}, ord='fro')")
    assert_close(impl.eckart_young_error(s, k, ord=2), np.linalg.norm(residual, 2), rtol=1e-9, atol=10 * tol,
                 what=f"eckart_young_error(s, {k}, ord=2)")


def test_eckart_young_error_rejects_bad_input(impl):
    """Unsorted or negative singular values, k < 0, or an unknown ord raise ValueError."""
    assert_raises_value_error(impl.eckart_young_error, np.array([1.0, 2.0]), 1, why="s must be descending")
    assert_raises_value_error(impl.eckart_young_error, np.array([2.0, -1.0]), 1, why="s must be non-negative")
    assert_raises_value_error(impl.eckart_young_error, np.array([2.0, 1.0]), -1, why="k must be non-negative")
    assert_raises_value_error(impl.eckart_young_error, np.array([2.0, 1.0]), 1, "nuc", why="ord is 'fro' or 2")
