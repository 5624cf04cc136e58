"""Matrix factorization for recommendations, by alternating least squares (ALS) with L2 regularization.

A ratings matrix ``R`` (m users x n items) is mostly missing; ``mask[i, j]`` says whether user i rated
item j. We look for user factors ``U`` (m x r) and item factors ``V`` (n x r), r small, such that
``R[i, j] ~ U[i] @ V[j]`` on the observed entries, by minimizing

    L(U, V) = sum_{(i, j) observed} (R[i, j] - U[i] @ V[j])^2 + reg * (||U||_F^2 + ||V||_F^2).

L is not convex in (U, V) together, but with V fixed it is a ridge regression for each user separately,
solved exactly by its normal equations; likewise for V with U fixed. ALS alternates the two exact
half-steps, so L never increases. A prediction for a missing entry is ``U[i] @ V[j]``.

With every entry observed and ``reg = 0``, ALS is subspace iteration and converges to the truncated SVD
``A_r``, the Eckart-Young optimum.

Left out: implicit feedback (confidence-weighted ALS), user/item biases, SGD-based factorization,
weighted-lambda regularization (reg scaled by each row's count), sparse storage for large matrices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _ratings_and_mask(ratings: ArrayLike, mask: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    ratings = np.asarray(ratings, dtype=np.float64)
    mask = np.asarray(mask)
    if ratings.ndim != 2:
        raise ValueError(f"ratings must be a 2-D (users x items) matrix, got shape {ratings.shape}")
    if mask.shape != ratings.shape:
        raise ValueError(f"mask has shape {mask.shape} but ratings has shape {ratings.shape}")
    if mask.dtype != bool:
        if not np.isin(mask, (0, 1)).all():
            raise ValueError("mask must be boolean (or 0/1): True where a rating is observed")
        mask = mask.astype(bool)
    if not np.isfinite(ratings[mask]).all():
        raise ValueError("an observed rating is NaN or infinite (only unobserved entries may be NaN)")
    return np.where(mask, ratings, 0.0), mask


def _check_reg(reg: float) -> float:
    reg = float(reg)
    if not (reg >= 0 and np.isfinite(reg)):
        raise ValueError(f"reg must be a finite number >= 0, got {reg}")
    return reg


def als_step(ratings: ArrayLike, mask: ArrayLike, fixed: ArrayLike, reg: float) -> np.ndarray:
    """One exact ALS half-step: the factors of every row of `ratings`, given the other side's `fixed`.

    For row i with observed columns O_i, solve the ridge normal equations
    ``(F_O^T F_O + reg I) x_i = F_O^T r_O`` with ``F = fixed`` (n, r); returns X (m, r). Pass
    ``(R, mask, V)`` to update users and ``(R.T, mask.T, U)`` to update items. All m systems are
    built with one einsum and solved as one batched ``numpy.linalg.solve``: O(m n r^2 + m r^3).
    Unobserved entries of `ratings` are ignored (they may be NaN). With ``reg = 0`` each row needs at
    least r observed entries (and independent factor rows), else the system is singular.

    >>> als_step([[2.0, np.nan]], [[True, False]], [[1.0], [5.0]], reg=1.0)   # (1*1 + 1) x = 1*2
    array([[1.]])
    """
    r0, mask = _ratings_and_mask(ratings, mask)
    fixed = np.asarray(fixed, dtype=np.float64)
    if fixed.ndim != 2 or fixed.shape[0] != r0.shape[1]:
        raise ValueError(f"fixed must have shape ({r0.shape[1]}, rank), one row per column of ratings; "
                         f"got {fixed.shape}")
    if not np.isfinite(fixed).all():
        raise ValueError("fixed contains NaN or infinity")
    reg = _check_reg(reg)
    rank = fixed.shape[1]
    if reg == 0 and (mask.sum(axis=1) < rank).any():
        raise ValueError(f"with reg = 0 every row needs at least rank = {rank} observed entries; "
                         "use reg > 0 for sparse rows")
    weights = mask.astype(np.float64)
    gram = np.einsum("ij,jk,jl->ikl", weights, fixed, fixed) + reg * np.eye(rank)  # (m, r, r)
    rhs = r0 @ fixed  # (m, r): F_O^T r_O, since unobserved entries are 0
    try:
        return np.linalg.solve(gram, rhs[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        raise ValueError("a normal-equation system is singular: use reg > 0") from None


def als(
    ratings: ArrayLike, mask: ArrayLike, rank: int, reg: float = 0.1, n_iter: int = 20, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Factor the observed part of `ratings` (m, n) as ``U @ V.T``: returns U (m, rank) and V (n, rank).

    V starts as ``default_rng(seed).normal(scale=1/sqrt(rank), size=(n, rank))``; each of the `n_iter`
    iterations does ``U = als_step(R, mask, V, reg)`` then ``V = als_step(R.T, mask.T, U, reg)``.
    The loss never increases. Predict every entry with ``U @ V.T``. Cost O(n_iter (m n r^2 + (m + n) r^3)).

    >>> r = np.outer([1.0, 2.0, 3.0], [1.0, 1.0, 2.0])
    >>> u, v = als(r, np.ones_like(r, dtype=bool), rank=1, reg=0.0, n_iter=5)
    >>> np.allclose(u @ v.T, r)
    True
    """
    r0, mask = _ratings_and_mask(ratings, mask)
    if isinstance(rank, bool) or not isinstance(rank, int | np.integer) or rank < 1:
        raise ValueError(f"rank must be a positive integer, got {rank!r}")
    if isinstance(n_iter, bool) or not isinstance(n_iter, int | np.integer) or n_iter < 1:
        raise ValueError(f"n_iter must be a positive integer, got {n_iter!r}")
    reg = _check_reg(reg)
    rng = np.random.default_rng(seed)
    v = rng.normal(scale=1.0 / np.sqrt(rank), size=(r0.shape[1], int(rank)))
    for _ in range(int(n_iter)):
        u = als_step(r0, mask, v, reg)
        v = als_step(r0.T, mask.T, u, reg)
    return u, v


def rmse(ratings: ArrayLike, predictions: ArrayLike, mask: ArrayLike) -> float:
    """Root mean squared error over the entries where `mask` is True: ``sqrt(mean((R - P)[mask]^2))``.

    `ratings`, `predictions` and `mask` share one shape; entries outside the mask are ignored (may be NaN).
    Raise ValueError when the mask selects nothing. O(m n).

    >>> rmse([[1.0, np.nan], [3.0, 4.0]], [[2.0, 0.0], [3.0, 4.0]], [[True, False], [True, True]])
    0.5773502691896257
    """
    r0, mask = _ratings_and_mask(ratings, mask)
    predictions = np.asarray(predictions, dtype=np.float64)
    if predictions.shape != r0.shape:
        raise ValueError(f"predictions have shape {predictions.shape}, ratings {r0.shape}")
    if not mask.any():
        raise ValueError("the mask selects no entry: RMSE of nothing is undefined")
    errors = r0[mask] - predictions[mask]
    if not np.isfinite(errors).all():
        raise ValueError("a prediction at an observed entry is NaN or infinite")
    return float(np.sqrt(np.mean(errors**2)))
