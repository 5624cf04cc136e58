"""Checks for `matrix-factorization`: ALS against the ridge normal equations (numpy.linalg.solve/lstsq),
the truncated SVD (numpy.linalg.svd, Eckart-Young) and the noise level of generated low-rank ratings.

While `als` and `als_step` run, numpy's SVD and eigen-solvers are switched off: the factors must come
from alternating least squares, not from a decomposition of the full matrix.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import forbid
from aieng.grader.strategies import rngs

# switched off while als / als_step run (with `forbid`, which also catches names you imported from them)
DECOMPOSITIONS = tuple(f"{owner}.{name}" for owner in ("numpy.linalg", "scipy.linalg")
                       for name in ("svd", "eig", "eigh"))


def _problem(rng, reg_zero=False):
    """Random ratings with a random mask (unobserved entries set to NaN) and a random fixed factor."""
    m, n, r = rng.integers(1, 9), rng.integers(2, 10), rng.integers(1, 4)
    if reg_zero:
        r = min(r, n - 1)
        mask = rng.random((m, n)) < 0.7
        for i in range(m):  # at least r + 1 observed entries per row, so the system is not singular
            mask[i, rng.choice(n, size=r + 1, replace=False)] = True
    else:
        mask = rng.random((m, n)) < 0.5
    ratings = np.where(mask, rng.uniform(1.0, 5.0, size=(m, n)), np.nan)
    fixed = rng.standard_normal((n, r))
    return ratings, mask, fixed


def _objective(ratings, mask, u, v, reg):
    residual = np.where(mask, ratings - u @ v.T, 0.0)
    return np.sum(residual**2) + reg * (np.sum(u**2) + np.sum(v**2))


def _noisy_low_rank(rng, m=60, n=40, rank=3, noise=0.1):
    truth = rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))
    return truth + noise * rng.standard_normal((m, n))


# ----------------------------------------------------------------------------- one half-step


@given(rngs(), st.floats(0.01, 10.0))
def test_als_step_solves_the_ridge_normal_equations(impl, rng, reg):
    """Row i of als_step(R, mask, F, reg) solves (F_O^T F_O + reg I) x = F_O^T r_O over its observed columns O.

    Oracle: numpy.linalg.solve, one row at a time. Unobserved ratings are NaN here and must be ignored.
    """
    ratings, mask, fixed = _problem(rng)
    with forbid(impl, *DECOMPOSITIONS):
        got = impl.als_step(ratings, mask, fixed, reg)
    rank = fixed.shape[1]
    expected = np.array([
        np.linalg.solve(fixed[o].T @ fixed[o] + reg * np.eye(rank), fixed[o].T @ ratings[i, o])
        for i, o in enumerate(mask)
    ])
    assert_close(got, expected, rtol=1e-8, atol=1e-10, what=f"als_step(R, mask, F, reg={reg:.3g})")


@given(rngs())
def test_als_step_without_regularization_is_least_squares(impl, rng):
    """With reg = 0 each row is the plain least-squares fit of its observed ratings (numpy.linalg.lstsq)."""
    ratings, mask, fixed = _problem(rng, reg_zero=True)
    with forbid(impl, *DECOMPOSITIONS):
        got = impl.als_step(ratings, mask, fixed, 0.0)
    expected = np.array([np.linalg.lstsq(fixed[o], ratings[i, o], rcond=None)[0] for i, o in enumerate(mask)])
    assert_close(got, expected, rtol=1e-7, atol=1e-8, what="als_step(R, mask, F, reg=0)")


def test_als_step_updates_items_through_the_transpose(impl):
    """The item half-step is the same function on the transposes: als_step(R.T, mask.T, U, reg) gives V."""
    rng = np.random.default_rng(5)
    ratings, mask, _ = _problem(rng)
    u = rng.standard_normal((ratings.shape[0], 2))
    with forbid(impl, *DECOMPOSITIONS):
        got = impl.als_step(ratings.T, mask.T, u, 0.5)
    expected = np.array([
        np.linalg.solve(u[o].T @ u[o] + 0.5 * np.eye(2), u[o].T @ ratings[o, j]) for j, o in enumerate(mask.T)
    ])
    assert_close(got, expected, rtol=1e-8, atol=1e-10, what="als_step(R.T, mask.T, U, 0.5)")


def test_als_step_edge_cases(impl):
    """A user with no ratings gets zero factors (reg > 0); with reg = 0 too few ratings raise ValueError."""
    ratings = np.array([[np.nan, np.nan, np.nan], [4.0, np.nan, 2.0]])
    mask = ~np.isnan(ratings)
    fixed = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    with forbid(impl, *DECOMPOSITIONS):
        got = impl.als_step(ratings, mask, fixed, 1.0)
    assert_close(got[0], [0.0, 0.0], atol=1e-12, what="factors of a user with no ratings")
    assert_raises_value_error(impl.als_step, ratings, mask, fixed, 0.0,
                              why="user 0 has 0 ratings, fewer than the rank 2, so with reg = 0 the system is singular")
    assert_raises_value_error(impl.als_step, ratings, mask, fixed, -1.0, why="reg must be >= 0")
    assert_raises_value_error(impl.als_step, ratings, mask, fixed[:2], 1.0,
                              why="fixed needs one row per column of ratings (3)")
    assert_raises_value_error(impl.als_step, ratings, mask[:1], fixed, 1.0, why="mask and ratings differ in shape")
    assert_raises_value_error(impl.als_step, ratings, np.ones_like(mask), fixed, 1.0,
                              why="an observed rating is NaN")


# ----------------------------------------------------------------------------- the full algorithm


@settings(max_examples=15)
@given(rngs(), st.integers(3, 10), st.integers(3, 10), st.integers(1, 3))
def test_als_reaches_the_truncated_svd_on_a_full_matrix(impl, rng, m, n, rank):
    """With every entry observed and reg = 0, ALS reaches the Eckart-Young optimum of numpy.linalg.svd.

    ||A - U V^T||_F must equal sqrt(sum of the discarded s_i^2) and U V^T the truncated SVD, for a
    matrix with a clear gap s_rank >= 3 s_(rank+1).
    """
    k = min(m, n)
    rank = min(rank, k - 1)
    s = np.concatenate([rng.uniform(3.0, 10.0, size=rank), rng.uniform(0.0, 1.0, size=k - rank)])
    a = (np.linalg.qr(rng.standard_normal((m, k)))[0] * s) @ np.linalg.qr(rng.standard_normal((n, k)))[0].T
    with forbid(impl, *DECOMPOSITIONS):
        u, v = impl.als(a, np.ones((m, n), dtype=bool), rank, reg=0.0, n_iter=50, seed=0)
    uu, ss, vt = np.linalg.svd(a)
    best = np.sqrt(np.sum(ss[rank:] ** 2))
    assert_close(np.linalg.norm(a - u @ v.T), best, rtol=1e-6, atol=1e-9, what="||A - U V^T||_F vs Eckart-Young")
    assert_close(u @ v.T, (uu[:, :rank] * ss[:rank]) @ vt[:rank], atol=1e-6, what="U V^T vs the truncated SVD")


@given(rngs())
def test_als_never_increases_the_loss(impl, rng):
    """Each ALS half-step minimizes exactly, so the regularized loss never goes up from one iteration to the next.

    Checked by running als with n_iter = 1, 2, ..., 5 and the same seed (the same start).
    """
    ratings, mask, _ = _problem(rng)
    rank = int(rng.integers(1, 4))
    losses = []
    for n_iter in range(1, 6):
        with forbid(impl, *DECOMPOSITIONS):
            u, v = impl.als(ratings, mask, rank, reg=0.3, n_iter=n_iter, seed=11)
        losses.append(_objective(ratings, mask, u, v, 0.3))
    if not np.isfinite(losses).all():
        raise AssertionError(f"the loss is not finite (NaN in U or V?): losses for n_iter = 1..5: {losses}")
    increases = [(i + 1, i + 2) for i in range(4) if losses[i + 1] > losses[i] * (1 + 1e-9) + 1e-12]
    if increases:
        raise AssertionError(f"the loss went up between n_iter = {increases[0]}: losses {np.round(losses, 8)}")


def test_als_predicts_held_out_ratings_to_the_noise_level(impl):
    """On rank-3 ratings plus noise of std 0.1, half observed, the RMSE on held-out entries is below 0.15.

    The noise itself cannot be predicted, so about 0.1 is the best possible; guessing the mean scores ~1.7.
    """
    for seed in (0, 1):
        rng = np.random.default_rng(seed)
        ratings = _noisy_low_rank(rng)
        split = rng.random(ratings.shape)
        train, test = split < 0.5, split >= 0.75
        with forbid(impl, *DECOMPOSITIONS):
            u, v = impl.als(np.where(train, ratings, np.nan), train, 3, reg=0.1, n_iter=30, seed=seed)
        u, v = np.asarray(u), np.asarray(v)
        if u.shape != (60, 3) or v.shape != (40, 3):
            raise AssertionError(f"als should return U of shape (60, 3) and V of shape (40, 3), got {u.shape}, "
                                 f"{v.shape}")
        held_out = np.sqrt(np.mean((ratings - u @ v.T)[test] ** 2))
        if not held_out < 0.15:
            raise AssertionError(f"held-out RMSE is {held_out:.4f} (seed {seed}); a rank-3 fit should reach ~0.11-0.13")


def test_als_is_reproducible_and_validates_arguments(impl):
    """The same seed gives the same factors; rank < 1, n_iter < 1 or reg < 0 raise ValueError."""
    ratings, mask, _ = _problem(np.random.default_rng(3))
    with forbid(impl, *DECOMPOSITIONS):
        first, second = impl.als(ratings, mask, 2, seed=4), impl.als(ratings, mask, 2, seed=4)
    assert_close(second[0], first[0], rtol=0, atol=0, what="U from a second run with the same seed")
    assert_close(second[1], first[1], rtol=0, atol=0, what="V from a second run with the same seed")
    assert_raises_value_error(impl.als, ratings, mask, 0, why="rank must be at least 1")
    assert_raises_value_error(impl.als, ratings, mask, 2, n_iter=0, why="n_iter must be at least 1")
    assert_raises_value_error(impl.als, ratings, mask, 2, reg=-0.1, why="reg must be >= 0")


# ----------------------------------------------------------------------------- evaluation


@given(rngs())
def test_rmse_over_the_masked_entries(impl, rng):
    """rmse(R, P, mask) is sqrt(mean((R - P)^2)) over the masked entries only; NaN elsewhere is ignored."""
    ratings, mask, _ = _problem(rng)
    mask[0, 0] = True
    ratings[0, 0] = 3.0
    predictions = rng.uniform(0.0, 6.0, size=ratings.shape)
    expected = np.sqrt(np.mean((ratings[mask] - predictions[mask]) ** 2))
    assert_close(impl.rmse(ratings, predictions, mask), expected, rtol=1e-12, what="rmse(R, P, mask)")


def test_rmse_rejects_an_empty_mask(impl):
    """An all-False mask or mismatched shapes raise ValueError: there is nothing (consistent) to average."""
    assert_raises_value_error(impl.rmse, np.ones((2, 2)), np.ones((2, 2)), np.zeros((2, 2), dtype=bool),
                              why="no entry is selected")
    assert_raises_value_error(impl.rmse, np.ones((2, 2)), np.ones((2, 3)), np.ones((2, 2), dtype=bool),
                              why="predictions and ratings differ in shape")
