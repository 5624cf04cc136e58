"""Checks for `least-squares`, against numpy.linalg.lstsq and numpy.linalg.qr."""


import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import forbid, present
from aieng.grader.strategies import full_rank_matrices, rngs

NUMPY_SHORTCUTS = ("lstsq", "pinv", "qr", "svd", "svdvals")
SCIPY_SHORTCUTS = ("lstsq", "pinv", "qr", "qr_multiply", "rq", "svd", "svdvals")


def no_shortcuts(impl):
    """Switch off numpy's/scipy's least-squares, QR and SVD routines (solve and cholesky stay allowed)."""
    return forbid(impl, *present("numpy.linalg", NUMPY_SHORTCUTS), *present("scipy.linalg", SCIPY_SHORTCUTS))


tall_full_rank = full_rank_matrices(max_rows=10, max_cols=6).filter(lambda a: a.shape[0] >= a.shape[1])
LINE_A = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])  # fit c0 + c1 t at t = 0, 1, 2
LINE_B = np.array([1.0, 2.0, 4.0])


def _fit(impl, name, a, b):
    with no_shortcuts(impl):
        return getattr(impl, name)(a.copy(), b.copy())


def _compare_with_lstsq(got, a, b, rtol, what):
    expected = np.linalg.lstsq(a, b, rcond=None)[0]
    assert_close(got, expected, rtol=rtol, atol=rtol * float(np.abs(expected).max()), what=what)


def _vandermonde_case(rng):
    """Degree-11 polynomial fit at 30 points in [0, 1]: cond(A) ~ 1e8, and b = A x_true exactly."""
    t = np.linspace(0.0, 1.0, 30)
    a = np.vander(t, 12, increasing=True)
    x_true = rng.standard_normal(12)
    return a, a @ x_true, x_true


@given(tall_full_rank, rngs())
def test_normal_equations_match_lstsq(impl, a, rng):
    """lstsq_normal(A, b) equals numpy.linalg.lstsq on random tall full-rank A (condition number 100) and random b."""
    b = rng.standard_normal(a.shape[0])
    _compare_with_lstsq(_fit(impl, "lstsq_normal", a, b), a, b, rtol=1e-8, what=f"lstsq_normal(A{a.shape}, b)")


@given(tall_full_rank, rngs())
def test_qr_solution_matches_lstsq(impl, a, rng):
    """lstsq_qr(A, b) equals numpy.linalg.lstsq on random tall full-rank A and random b."""
    b = rng.standard_normal(a.shape[0])
    _compare_with_lstsq(_fit(impl, "lstsq_qr", a, b), a, b, rtol=1e-9, what=f"lstsq_qr(A{a.shape}, b)")


@settings(max_examples=20)
@given(tall_full_rank, rngs(), st.integers(1, 3))
def test_normal_equations_with_several_right_hand_sides(impl, a, rng, k):
    """With b of shape (m, k), lstsq_normal returns x of shape (n, k), column j fitting b[:, j]."""
    b = rng.standard_normal((a.shape[0], k))
    _compare_with_lstsq(_fit(impl, "lstsq_normal", a, b), a, b, rtol=1e-8, what=f"lstsq_normal(A{a.shape}, B{b.shape})")


@settings(max_examples=20)
@given(tall_full_rank, rngs(), st.integers(1, 3))
def test_qr_with_several_right_hand_sides(impl, a, rng, k):
    """With b of shape (m, k), lstsq_qr returns x of shape (n, k), column j fitting b[:, j]."""
    b = rng.standard_normal((a.shape[0], k))
    _compare_with_lstsq(_fit(impl, "lstsq_qr", a, b), a, b, rtol=1e-9, what=f"lstsq_qr(A{a.shape}, B{b.shape})")


def test_fit_a_line(impl):
    """The best line through (0, 1), (1, 2), (2, 4) is 5/6 + 1.5 t, by both methods; its residuals are (1, -2, 1)/6."""
    expected = np.array([5 / 6, 1.5])
    assert_close(_fit(impl, "lstsq_normal", LINE_A, LINE_B), expected, what="lstsq_normal for the line fit")
    assert_close(_fit(impl, "lstsq_qr", LINE_A, LINE_B), expected, what="lstsq_qr for the line fit")
    assert_close(impl.residuals(LINE_A, expected, LINE_B), np.array([1.0, -2.0, 1.0]) / 6, what="residuals of the line")


@given(tall_full_rank)
def test_householder_qr_matches_numpy(impl, a):
    """householder_qr(A) gives numpy.linalg.qr's reduced Q (m, n) and R (n, n), signs fixed so that diag(R) >= 0."""
    q, r = np.linalg.qr(a)
    signs = np.where(np.diagonal(r) < 0, -1.0, 1.0)
    q, r = q * signs, r * signs[:, None]
    with no_shortcuts(impl):
        result = impl.householder_qr(a.copy())
    if not (isinstance(result, tuple | list) and len(result) == 2):
        raise AssertionError(f"householder_qr(A) should return a tuple (Q, R), got {type(result).__name__}")
    got_q, got_r = (np.asarray(f, dtype=float) for f in result)
    scale = float(np.abs(a).max())
    assert_close(got_r, r, rtol=1e-8, atol=1e-10 * scale, what="R (upper triangular, diagonal >= 0)")
    assert_close(got_q, q, rtol=1e-8, atol=1e-10, what="Q (orthonormal columns)")
    n = a.shape[1]
    assert_close(got_q.T @ got_q, np.eye(n), atol=1e-12, what="Q^T Q (should be the identity)")
    assert_close(np.tril(got_r, -1), np.zeros((n, n)), atol=1e-12 * scale, what="R below its diagonal")


@settings(max_examples=10)
@given(rngs())
def test_qr_stays_accurate_on_an_ill_conditioned_design(impl, rng):
    """A degree-11 polynomial fit (cond(A) ~ 1e8) is recovered to 1e-6 by lstsq_qr (the normal equations cannot)."""
    a, b, x_true = _vandermonde_case(rng)
    got = np.asarray(_fit(impl, "lstsq_qr", a, b), dtype=float)
    if got.shape != x_true.shape:
        raise AssertionError(f"lstsq_qr returned shape {got.shape}, expected {x_true.shape}")
    error = np.linalg.norm(got - x_true) / np.linalg.norm(x_true)
    if not error <= 1e-6:
        raise AssertionError(
            f"lstsq_qr recovers the coefficients with relative error {error:.2g}; numpy.linalg.lstsq gets "
            f"{np.linalg.norm(np.linalg.lstsq(a, b, rcond=None)[0] - x_true) / np.linalg.norm(x_true):.1g}. "
            "Are you forming A^T A, or using Gram-Schmidt? Use Householder reflections."
        )


@given(tall_full_rank, rngs())
def test_residual_of_the_best_fit_is_orthogonal_to_the_columns(impl, a, rng):
    """residuals(A, x, b) is b - A x; at x = lstsq_qr(A, b) it is orthogonal to every column of A (A^T r = 0)."""
    b = rng.standard_normal(a.shape[0])
    x = rng.standard_normal(a.shape[1])
    atol = 1e-12 * np.abs(b).max()
    assert_close(impl.residuals(a, x, b), b - a @ x, rtol=1e-12, atol=atol, what="residuals(A, x, b)")
    r = np.asarray(impl.residuals(a, _fit(impl, "lstsq_qr", a, b), b))
    scale = np.linalg.norm(a, 2) * np.linalg.norm(b)
    assert_close(a.T @ r, np.zeros(a.shape[1]), atol=1e-10 * scale, what="A^T @ residuals at the least-squares fit")


def test_rank_deficient_designs_raise(impl):
    """Dependent columns (a duplicate or a zero column) have no unique fit: both methods raise ValueError."""
    b = np.array([1.0, 2.0, 3.0])
    for a, why in ((np.array([[1.0, 1.0], [2.0, 2.0], [2.0, 2.0]]), "column 2 repeats column 1"),
                   (np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]]), "column 2 is zero")):
        for name in ("lstsq_normal", "lstsq_qr"):
            with no_shortcuts(impl):
                assert_raises_value_error(getattr(impl, name), a, b, why=f"{why}: A is rank deficient")


def test_bad_shapes_raise(impl):
    """Wide A (fewer rows than columns), a b of the wrong length and 1-D A raise ValueError; so do misfit residuals."""
    for name in ("lstsq_normal", "lstsq_qr"):
        fit = getattr(impl, name)
        assert_raises_value_error(fit, np.ones((2, 3)), np.ones(2), why="A has fewer rows than columns")
        assert_raises_value_error(fit, LINE_A, np.ones(4), why="b has 4 entries but A has 3 rows")
        assert_raises_value_error(fit, np.ones(3), np.ones(3), why="A must be 2-D")
    assert_raises_value_error(impl.householder_qr, np.ones((2, 3)), why="householder_qr here needs m >= n")
    assert_raises_value_error(impl.residuals, LINE_A, np.ones(3), LINE_B, why="x has 3 entries but A has 2 columns")
