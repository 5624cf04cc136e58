"""The bootstrap — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check bootstrap`.
scipy.stats.bootstrap is switched off while the checks run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

# statistic(samples, axis=-1) reduces the last axis, like np.mean, np.median or np.std.
Statistic = Callable[..., ArrayLike]


def bootstrap_distribution(
    data: ArrayLike, statistic: Statistic, n_resamples: int = 9999, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """Return `n_resamples` bootstrap replicates of `statistic` on `data` (shape (n,)): an array of shape
    (n_resamples,).

    Vectorized: draw ALL resamples at once as a (n_resamples, n) array (each row: n values picked from
    `data` uniformly at random WITH replacement), then call statistic(samples, axis=-1) exactly once.
    Use rng = np.random.default_rng(seed), so one seed (int or Generator) always gives one answer.
    Raise ValueError for data that is not 1-D, has fewer than 2 values or holds NaN/inf, and for
    n_resamples < 1.
    """
    raise NotImplementedError


def bootstrap_ci(
    data: ArrayLike,
    statistic: Statistic,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    method: str = "percentile",
    seed: int | np.random.Generator | None = None,
) -> tuple[float, float]:
    """Return a bootstrap confidence interval (low, high) for `statistic`.

    With the replicates' α/2 and 1 - α/2 quantiles q_lo, q_hi (α = 1 - confidence, np.quantile):
    "percentile": (q_lo, q_hi);  "basic": (2 θ̂ - q_hi, 2 θ̂ - q_lo), θ̂ = statistic(data, axis=-1).
    Raise ValueError for confidence outside (0, 1), an unknown method, or bad data.
    """
    raise NotImplementedError
