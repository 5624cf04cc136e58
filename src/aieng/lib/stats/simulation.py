"""Simulation: watching the law of large numbers and the central limit theorem happen, and measuring
the error rates of a hypothesis test by running it thousands of times.

Law of large numbers: the running mean ``m_k = (x_1 + ... + x_k) / k`` of independent draws settles on
the true mean mu; its typical distance from mu is sigma / sqrt(k). Central limit theorem: the mean of
n draws from almost any distribution with finite variance is approximately normal, with mean mu and
variance sigma^2 / n, so ``sqrt(n) (mean - mu) / sigma`` is approximately N(0, 1) however skewed the
draws are.

Type I and type II errors: the two-sided one-sample z-test (known sigma) rejects H0: mu = mu0 when
``|z| > z_(1 - alpha/2)`` with ``z = (mean - mu0) / (sigma / sqrt n)``. Simulated under H0, it rejects
a fraction ~ alpha of the time (type I error rate); simulated under mu = mu0 + delta, the rejection
rate is the power, which has the closed form
``Phi(-z_(1 - alpha/2) + delta sqrt(n) / sigma) + Phi(-z_(1 - alpha/2) - delta sqrt(n) / sigma)``.

Randomness comes from ``np.random.default_rng(seed)``; a "draw" is any function ``draw(rng, size)``
returning an array of that shape (e.g. ``lambda rng, size: rng.exponential(2.0, size)``), called
once per simulation so whole batches are drawn at once. Left out: the t-test's power (noncentral t),
one-sided tests, unknown-variance simulations, Berry-Esseen bounds. Cost: O(repetitions x n).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import norm

Seed = int | np.random.Generator | None
Draw = Callable[[np.random.Generator, int | tuple[int, ...]], np.ndarray]


def _check_count(value: int, what: str) -> int:
    if value != int(value) or value < 1:
        raise ValueError(f"{what} must be a positive integer, got {value}")
    return int(value)


def _check_sigma(sigma: float) -> None:
    if not (sigma > 0 and math.isfinite(sigma)):
        raise ValueError(f"sigma must be a positive finite number, got {sigma}")


def _check_alpha(alpha: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"the significance level alpha must lie strictly between 0 and 1, got {alpha}")


def running_mean(x: ArrayLike) -> np.ndarray:
    """The mean of the first k values, for k = 1..n: ``cumsum(x) / (1, 2, ..., n)``. Shape (n,). O(n).

    >>> running_mean([2.0, 4.0, 0.0, 6.0])
    array([2., 3., 2., 3.])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"running_mean expects 1-D data, got shape {x.shape}")
    return np.cumsum(x) / np.arange(1, x.size + 1)


def simulate_running_mean(draw: Draw, n: int, seed: Seed = None) -> np.ndarray:
    """The running mean of n draws ``draw(rng, n)``, shape (n,): the law of large numbers in one array.

    Entry k - 1 is within a few sigma / sqrt(k) of the true mean. O(n).

    >>> m = simulate_running_mean(lambda rng, size: rng.exponential(2.0, size), 100_000, seed=0)
    >>> bool(abs(m[-1] - 2.0) < 5 * 2.0 / np.sqrt(100_000))
    True
    """
    n = _check_count(n, "n")
    values = np.asarray(draw(np.random.default_rng(seed), n), dtype=np.float64)
    if values.shape != (n,):
        raise ValueError(f"draw(rng, {n}) returned shape {values.shape}, expected ({n},)")
    return running_mean(values)


def sample_means(draw: Draw, n: int, repetitions: int, seed: Seed = None) -> np.ndarray:
    """Means of `repetitions` independent samples of size n, shape (repetitions,): the sampling distribution.

    One call ``draw(rng, (repetitions, n))``, one mean per row. Their spread is sigma / sqrt(n), the standard
    error. O(repetitions x n).

    >>> sample_means(lambda rng, size: rng.normal(5.0, 1.0, size), 10, 3, seed=1).shape
    (3,)
    """
    n = _check_count(n, "n")
    repetitions = _check_count(repetitions, "repetitions")
    values = np.asarray(draw(np.random.default_rng(seed), (repetitions, n)), dtype=np.float64)
    if values.shape != (repetitions, n):
        raise ValueError(f"draw(rng, {(repetitions, n)}) returned shape {values.shape}")
    return values.mean(axis=1)


def standardized_means(draw: Draw, n: int, repetitions: int, mu: float, sigma: float, seed: Seed = None) -> np.ndarray:
    """``sqrt(n) (sample mean - mu) / sigma`` for each of `repetitions` samples: approximately N(0, 1) by the CLT.

    mu and sigma are the mean and standard deviation of one draw. Shape (repetitions,). O(repetitions x n).
    """
    _check_sigma(sigma)
    return math.sqrt(n) * (sample_means(draw, n, repetitions, seed) - mu) / sigma


def z_test(sample: ArrayLike, mu0: float, sigma: float) -> tuple[float, float]:
    """The two-sided one-sample z-test of H0: mu = mu0 with known sigma: ``(z, p_value)``.

    ``z = (mean - mu0) / (sigma / sqrt n)``; ``p = 2 P(Z > |z|)``, computed with the survival function so
    that tiny p-values keep their digits. O(n).

    >>> z, p = z_test([5.2, 4.9, 5.6, 5.3], 5.0, 0.5)
    >>> round(z, 4), round(p, 4)
    (1.0, 0.3173)
    """
    sample = np.asarray(sample, dtype=np.float64)
    if sample.ndim != 1 or sample.size == 0:
        raise ValueError(f"z_test expects a non-empty 1-D sample, got shape {sample.shape}")
    _check_sigma(sigma)
    z = (sample.mean() - mu0) / (sigma / math.sqrt(sample.size))
    return float(z), float(2.0 * norm.sf(abs(z)))


def rejection_rate(
    mu_true: float, mu0: float, sigma: float, n: int, alpha: float, repetitions: int, seed: Seed = None
) -> float:
    """The fraction of `repetitions` simulated z-tests that reject H0: mu = mu0 at level alpha.

    Each repetition draws n values from N(mu_true, sigma^2) (one (repetitions, n) batch) and rejects when
    ``|z| > z_(1 - alpha/2)``. With mu_true = mu0 this estimates the type I error rate (it should be alpha);
    otherwise the power. Binomial standard error ``sqrt(rate (1 - rate) / repetitions)``. O(repetitions x n).

    >>> round(rejection_rate(0.0, 0.0, 1.0, 10, 0.05, 100_000, seed=0), 2)
    0.05
    """
    _check_sigma(sigma)
    _check_alpha(alpha)
    n = _check_count(n, "n")
    repetitions = _check_count(repetitions, "repetitions")
    rng = np.random.default_rng(seed)
    means = rng.normal(mu_true, sigma, size=(repetitions, n)).mean(axis=1)
    z = (means - mu0) / (sigma / math.sqrt(n))
    return float(np.mean(np.abs(z) > norm.isf(alpha / 2)))


def z_test_power(effect: float, sigma: float, n: int, alpha: float) -> float:
    """The probability that the two-sided z-test rejects when the true mean is mu0 + effect.

    With ``c = z_(1 - alpha/2)`` and ``d = effect sqrt(n) / sigma``, z ~ N(d, 1), so
    ``power = P(z > c) + P(z < -c) = Phi(d - c) + Phi(-d - c)``. It equals alpha at effect 0 and grows
    towards 1 with |effect| and n; 1 - power is the type II error rate beta. O(1).

    >>> round(z_test_power(0.5, 1.0, 32, 0.05), 4)
    0.8074
    """
    _check_sigma(sigma)
    _check_alpha(alpha)
    n = _check_count(n, "n")
    c = norm.isf(alpha / 2)
    d = effect * math.sqrt(n) / sigma
    return float(norm.cdf(d - c) + norm.cdf(-d - c))


def sample_size_for_power(effect: float, sigma: float, power: float, alpha: float) -> int:
    """The smallest n whose two-sided z-test reaches the given power against a true shift of `effect`.

    Ignoring the far tail, ``n ~= ((z_(1 - alpha/2) + z_power) sigma / effect)^2``; that estimate is rounded
    up and then adjusted by exact power evaluations so the answer is the smallest n with
    ``z_test_power(effect, sigma, n, alpha) >= power``. O(1) power evaluations (a handful).

    >>> sample_size_for_power(0.5, 1.0, 0.8, 0.05)
    32
    """
    _check_sigma(sigma)
    _check_alpha(alpha)
    if not 0.0 < power < 1.0:
        raise ValueError(f"the target power must lie strictly between 0 and 1, got {power}")
    if effect == 0 or not math.isfinite(effect):
        raise ValueError(f"no sample size detects an effect of {effect}: power stays at alpha")
    if power <= alpha:
        return 1
    n = max(1, math.ceil(((norm.isf(alpha / 2) + norm.ppf(power)) * sigma / effect) ** 2))
    while n > 1 and z_test_power(effect, sigma, n - 1, alpha) >= power:
        n -= 1  # the far tail adds a little power, so a smaller n may already suffice
    while z_test_power(effect, sigma, n, alpha) < power:
        n += 1
    return n
