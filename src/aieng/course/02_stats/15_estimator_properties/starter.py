"""Estimator properties by simulation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check estimator-properties`.

Conventions: a sampler is `sampler(rng, size)` and returns an array of shape `size`
(e.g. `lambda rng, size: rng.normal(0.0, 2.0, size)`); an estimator is `estimator(samples, axis=-1)`
and reduces the last axis (e.g. `np.mean`, `np.median`, `functools.partial(np.var, ddof=1)`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

Estimator = Callable[..., ArrayLike]
Sampler = Callable[[np.random.Generator, tuple[int, int]], ArrayLike]


class EstimatorSummary(NamedTuple):
    """Return EstimatorSummary(bias, variance, mse, bias_se) from bias_variance_mse."""

    bias: float
    variance: float
    mse: float
    bias_se: float


def sampling_distribution(
    estimator: Estimator, sampler: Sampler, n: int, n_trials: int, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """Return `n_trials` estimates, each from its own sample of size `n`: shape (n_trials,).

    Vectorized: rng = np.random.default_rng(seed); samples = sampler(rng, (n_trials, n)) (ONE call,
    one row per trial); return estimator(samples, axis=-1) (ONE call).
    Raise ValueError if n < 1 or n_trials < 1.
    """
    raise NotImplementedError


def bias_variance_mse(estimates: ArrayLike, truth: float) -> EstimatorSummary:
    """Summarize simulated `estimates` (shape (T,), T >= 2) of a parameter whose true value is `truth`.

    bias = mean(estimates) - truth;  variance = np.var(estimates) (ddof 0);
    mse = mean((estimates - truth)²)  (= bias² + variance);  bias_se = std(estimates, ddof=1) / sqrt(T).
    Raise ValueError for fewer than 2 estimates, a non-1-D array, NaN or infinity.
    """
    raise NotImplementedError


def relative_efficiency(estimates: ArrayLike, reference: ArrayLike, truth: float) -> float:
    """Return MSE(reference) / MSE(estimates), both (T,) arrays of estimates of `truth`.

    Above 1 means `estimates` come from the better estimator. Raise ValueError if MSE(estimates) is 0,
    or for the same bad inputs as bias_variance_mse.
    """
    raise NotImplementedError


def uniform_max_unbiased(samples: ArrayLike, axis: int = -1) -> np.ndarray | float:
    """Unbiased estimator of θ for samples from Uniform(0, θ): (n + 1)/n · max along `axis` (n = samples.shape[axis]).

    Works on a batch: shape (n_trials, n) gives shape (n_trials,). Raise ValueError for an empty sample.
    """
    raise NotImplementedError


def consistency_curve(
    estimator: Estimator,
    sampler: Sampler,
    truth: float,
    ns: Sequence[int],
    n_trials: int,
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Return the RMSE sqrt(mean((θ̂ - truth)²)) for each sample size in `ns`: shape (len(ns),).

    rng = np.random.default_rng(seed) once; then for each n in order:
    estimates = sampling_distribution(estimator, sampler, n, n_trials, rng).
    Raise ValueError for an empty ns, an n < 1 or a non-finite truth.
    """
    raise NotImplementedError
