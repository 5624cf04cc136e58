"""The nonparametric bootstrap: a sampling distribution from one sample, and confidence intervals from it.

Resample the data with replacement, n values at a time, recompute the statistic on each resample, and
the spread of those replicates stands in for the spread the statistic would show over fresh samples
from the population. Works for any statistic (median, trimmed mean, correlation, a model's AUC) where
no formula for the standard error is at hand.

- `bootstrap_distribution`: B replicates of a statistic, drawn all at once as a (B, n) matrix of
  resamples (vectorized: one call of the statistic, no Python loop over resamples).
- `bootstrap_ci`: the percentile interval (the α/2 and 1 - α/2 quantiles of the replicates) and the
  basic interval (those quantiles reflected around the estimate: 2θ̂ - q_hi, 2θ̂ - q_lo).

Left out: BCa (bias-corrected and accelerated) and studentized intervals, multi-sample and paired
statistics, chunking resamples to bound memory (B x n floats are held at once), the jackknife.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

METHODS = ("percentile", "basic")

# statistic(samples, axis=-1): reduces the last axis, like np.mean, np.median or np.std.
Statistic = Callable[..., ArrayLike]


def _data(data: ArrayLike) -> np.ndarray:
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 1:
        raise ValueError(f"data must be a 1-D sample, got an array of shape {data.shape}")
    if data.size < 2:
        raise ValueError(f"the bootstrap needs at least 2 values, got {data.size}")
    if not np.all(np.isfinite(data)):
        raise ValueError("data contains NaN or infinity")
    return data


def bootstrap_distribution(
    data: ArrayLike, statistic: Statistic, n_resamples: int = 9999, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """`n_resamples` bootstrap replicates of `statistic` on `data` (n,), as an array of shape (n_resamples,).

    Draws an index matrix I of shape (B, n) uniformly from {0, ..., n - 1} with replacement, then
    returns statistic(data[I], axis=-1): every row is one resample. Memory O(B n), one call of the
    statistic. The same seed (int or Generator) gives the same replicates.

    >>> reps = bootstrap_distribution([1.0, 2.0, 3.0, 4.0], np.mean, 1000, seed=0)
    >>> reps.shape, bool(reps.min() >= 1.0 and reps.max() <= 4.0)
    ((1000,), True)
    """
    data = _data(data)
    if int(n_resamples) != n_resamples or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive whole number, got {n_resamples}")
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, data.size, size=(int(n_resamples), data.size))
    replicates = np.asarray(statistic(data[indices], axis=-1), dtype=np.float64)
    if replicates.shape != (n_resamples,):
        raise ValueError(f"statistic(samples, axis=-1) must reduce the last axis; it returned shape {replicates.shape}")
    return replicates


def bootstrap_ci(
    data: ArrayLike,
    statistic: Statistic,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    method: str = "percentile",
    seed: int | np.random.Generator | None = None,
) -> tuple[float, float]:
    """A bootstrap confidence interval (low, high) for `statistic` of the population behind `data` (n,).

    With replicates θ*_1..θ*_B, α = 1 - confidence and q_lo, q_hi their α/2 and 1 - α/2 quantiles:
    percentile: (q_lo, q_hi);  basic: (2θ̂ - q_hi, 2θ̂ - q_lo) with θ̂ = statistic(data).
    The basic interval assumes θ̂ - θ behaves like θ* - θ̂ and so corrects for a skewed bootstrap
    distribution in the opposite direction. Cost O(B n) time and memory.

    >>> bootstrap_ci([5.0, 5.0, 5.0], np.mean, seed=1)
    (5.0, 5.0)
    """
    if not (0.0 < confidence < 1.0):
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    data = _data(data)
    replicates = bootstrap_distribution(data, statistic, n_resamples, seed)
    alpha = 1.0 - confidence
    q_lo, q_hi = np.quantile(replicates, [alpha / 2, 1 - alpha / 2])
    if method == "percentile":
        return float(q_lo), float(q_hi)
    estimate = float(statistic(data, axis=-1))
    return float(2 * estimate - q_hi), float(2 * estimate - q_lo)
