"""Properties of estimators, measured by simulation: bias, variance, mean squared error, efficiency, consistency.

An estimator is a rule that turns a sample into a guess θ̂ of a parameter θ. Repeat the experiment many
times and θ̂ has a distribution of its own, the *sampling distribution*. Its summaries are the
estimator's properties:

    bias = E[θ̂] - θ,   variance = Var(θ̂),   MSE = E[(θ̂ - θ)²] = bias² + variance
    efficiency of θ̂ relative to θ̃ = MSE(θ̃) / MSE(θ̂)   (above 1: θ̂ is the better one)
    consistency: θ̂ → θ as the sample size n grows (here: the RMSE shrinks towards 0)

Simulation replaces expectations with averages over `n_trials` samples, so every number carries Monte
Carlo error (the bias, for example, is known up to its standard error sd(θ̂)/√n_trials).

Conventions: a sampler is `sampler(rng, size)` returning an array of that shape (like
`rng.normal(0, 1, size)`), an estimator is `estimator(samples, axis=-1)` reducing the last axis (like
`np.mean`, `np.median`). All trials are drawn at once, shape (n_trials, n): vectorized, no Python loop.

Left out: confidence intervals for the summaries, variance-reduction tricks, asymptotic theory (the
Cramér–Rao bound, delta method), estimators that do not vectorize over a batch axis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

Estimator = Callable[..., ArrayLike]
Sampler = Callable[[np.random.Generator, tuple[int, int]], ArrayLike]


class EstimatorSummary(NamedTuple):
    """Bias, variance (ddof 0) and MSE of simulated estimates, and the standard error of the bias."""

    bias: float
    variance: float
    mse: float
    bias_se: float


def _whole(value: int, name: str, minimum: int) -> int:
    if int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value}")
    return int(value)


def _estimates(estimates: ArrayLike, truth: float) -> np.ndarray:
    estimates = np.asarray(estimates, dtype=np.float64)
    if estimates.ndim != 1 or estimates.size < 2:
        raise ValueError(f"estimates must be 1-D with at least 2 values, got shape {estimates.shape}")
    if not (np.all(np.isfinite(estimates)) and np.isfinite(truth)):
        raise ValueError("estimates and truth must be finite")
    return estimates


def sampling_distribution(
    estimator: Estimator, sampler: Sampler, n: int, n_trials: int, seed: int | np.random.Generator | None = None
) -> np.ndarray:
    """`n_trials` independent estimates from samples of size `n`: an array of shape (n_trials,).

    rng = np.random.default_rng(seed); samples = sampler(rng, (n_trials, n)) (one call, one row per
    trial); returns estimator(samples, axis=-1). Cost: one call of each, O(n_trials n) memory.

    >>> est = sampling_distribution(np.mean, lambda rng, size: rng.normal(5.0, 1.0, size), 4, 1000, seed=0)
    >>> est.shape, bool(abs(est.mean() - 5.0) < 0.1)
    ((1000,), True)
    """
    n, n_trials = _whole(n, "n", 1), _whole(n_trials, "n_trials", 1)
    rng = np.random.default_rng(seed)
    samples = np.asarray(sampler(rng, (n_trials, n)), dtype=np.float64)
    if samples.shape != (n_trials, n):
        raise ValueError(f"sampler(rng, size) must return shape {(n_trials, n)}, got {samples.shape}")
    estimates = np.asarray(estimator(samples, axis=-1), dtype=np.float64)
    if estimates.shape != (n_trials,):
        raise ValueError(f"estimator(samples, axis=-1) must return shape ({n_trials},), got {estimates.shape}")
    return estimates


def bias_variance_mse(estimates: ArrayLike, truth: float) -> EstimatorSummary:
    """Summaries of simulated `estimates` (T,) of a parameter whose true value is `truth`.

    bias = mean(θ̂) - θ; variance = mean((θ̂ - mean θ̂)²) (ddof 0, so that MSE = bias² + variance holds
    exactly); mse = mean((θ̂ - θ)²); bias_se = std(θ̂, ddof=1) / √T, the Monte Carlo standard error of
    the bias. Cost O(T).

    >>> bias_variance_mse([1.0, 2.0, 3.0], truth=1.5)
    EstimatorSummary(bias=0.5, variance=0.6666666666666666, mse=0.9166666666666666, bias_se=0.5773502691896258)
    """
    estimates = _estimates(estimates, truth)
    mean = estimates.mean()
    return EstimatorSummary(
        bias=float(mean - truth),
        variance=float(np.mean((estimates - mean) ** 2)),
        mse=float(np.mean((estimates - truth) ** 2)),
        bias_se=float(estimates.std(ddof=1) / np.sqrt(estimates.size)),
    )


def relative_efficiency(estimates: ArrayLike, reference: ArrayLike, truth: float) -> float:
    """Efficiency of `estimates` relative to `reference` (both (T,), estimates of `truth`): MSE(reference) /
    MSE(estimates).

    Above 1, `estimates` come from the better estimator: it needs fewer observations for the same MSE.
    For normal data the median's efficiency relative to the mean tends to 2/π ≈ 0.64. Cost O(T).

    >>> relative_efficiency([0.0, 2.0], [-2.0, 4.0], truth=1.0)
    9.0
    """
    estimates, reference = _estimates(estimates, truth), _estimates(reference, truth)
    mse = np.mean((estimates - truth) ** 2)
    if mse == 0.0:
        raise ValueError("the estimates are all exactly right: their MSE is 0 and the ratio is undefined")
    return float(np.mean((reference - truth) ** 2) / mse)


def uniform_max_unbiased(samples: ArrayLike, axis: int = -1) -> np.ndarray | float:
    """Unbiased estimate of θ from samples of Uniform(0, θ): (n + 1)/n · max, along `axis` (n = its length).

    The sample maximum always falls short of θ: E[max] = n θ / (n + 1). Scaling by (n + 1)/n removes the
    bias, and the variance θ² / (n (n + 2)) shrinks like 1/n², far faster than the 1/n of the
    method-of-moments estimator 2 x̄. Cost O(size).

    >>> float(uniform_max_unbiased([0.5, 2.0, 1.0]))
    2.6666666666666665
    """
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim == 0 or samples.shape[axis] == 0:
        raise ValueError("the maximum of an empty sample is undefined")
    n = samples.shape[axis]
    return (n + 1) / n * np.max(samples, axis=axis)


def consistency_curve(
    estimator: Estimator,
    sampler: Sampler,
    truth: float,
    ns: Sequence[int],
    n_trials: int,
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Root mean squared error of the estimator for each sample size in `ns`: an array of shape (len(ns),).

    rng = np.random.default_rng(seed), then for each n in order: RMSE = √mean((θ̂ - θ)²) over the
    estimates sampling_distribution(estimator, sampler, n, n_trials, rng). A consistent estimator's
    curve falls towards 0 (as σ/√n for the mean, as θ/n for the corrected uniform maximum).
    Cost O(n_trials Σ ns).

    >>> rmse = consistency_curve(np.mean, lambda rng, size: rng.normal(0, 1, size), 0.0, [4, 400], 2000, 0)
    >>> bool(rmse[1] < rmse[0] / 5)
    True
    """
    ns = [_whole(n, "each n", 1) for n in ns]
    if not ns:
        raise ValueError("ns must list at least one sample size")
    if not np.isfinite(truth):
        raise ValueError(f"truth must be finite, got {truth}")
    rng = np.random.default_rng(seed)
    return np.array(
        [np.sqrt(np.mean((sampling_distribution(estimator, sampler, n, n_trials, rng) - truth) ** 2)) for n in ns]
    )
