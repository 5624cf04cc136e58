"""Matrix factorization by alternating least squares — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check matrix-factorization`.
`ratings` is an (m users x n items) matrix; `mask` (same shape, bool) is True where a rating is observed.
Unobserved entries of `ratings` may hold anything, NaN included, and must be ignored.
numpy.linalg.svd, eig and eigh are switched off while the tests run ALS; solve and lstsq are allowed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def als_step(ratings: ArrayLike, mask: ArrayLike, fixed: ArrayLike, reg: float) -> np.ndarray:
    """Return X (m, r): for each row i of `ratings` (m, n), the ridge solution given `fixed` = F (n, r).

    With O the observed columns of row i: (F_O^T F_O + reg I) x_i = F_O^T r_O.
    Raise ValueError if shapes disagree, an observed rating is not finite, reg < 0, or reg == 0 while
    some row has fewer than r observed entries.
    """
    raise NotImplementedError


def als(
    ratings: ArrayLike, mask: ArrayLike, rank: int, reg: float = 0.1, n_iter: int = 20, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return (U, V) with U (m, rank) and V (n, rank) so that U @ V.T fits the observed ratings.

    Start from V = np.random.default_rng(seed).normal(scale=1/sqrt(rank), size=(n, rank)); then, n_iter
    times: U = als_step(ratings, mask, V, reg); V = als_step(ratings.T, mask.T, U, reg).
    Raise ValueError if rank < 1, n_iter < 1 or reg < 0 (and for the cases als_step rejects).
    """
    raise NotImplementedError


def rmse(ratings: ArrayLike, predictions: ArrayLike, mask: ArrayLike) -> float:
    """Return sqrt(mean((ratings - predictions)**2)) over the entries where `mask` is True.

    All three share one shape. Raise ValueError if the shapes differ or the mask selects nothing.
    """
    raise NotImplementedError
