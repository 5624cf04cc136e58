"""Six probability distributions: their PMF or PDF, their CDF and, where it has a closed form, the
inverse CDF (quantile function).

Discrete (a PMF, ``P(X = k)``): Bernoulli(p), binomial(n, p), Poisson(lam). Continuous (a PDF, whose
integral over an interval is a probability): uniform(a, b), normal(mu, sigma), exponential(rate).
The CDF is ``F(x) = P(X <= x)`` for both kinds; the inverse CDF maps a probability q back to the x with
``F(x) = q`` and turns uniform random numbers into draws from the distribution.

Numerics are the point. Binomial and Poisson probabilities are computed in log space
(``log C(n, k) = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)``), since ``C(2000, 1000)`` alone
overflows a float. The normal CDF uses ``erfc`` rather than ``1 + erf``, which cancels to 0 in the left
tail. The exponential CDF and quantile use ``expm1``/``log1p``, exact near 0 where ``1 - exp(-x)``
loses digits.

Every function accepts a number or an array of points and returns an array of the same shape (a
0-d array for a number); parameters are scalars and are checked (ValueError). Left out: the normal
quantile (no closed form: it needs a rational approximation of the inverse error function), random
sampling (numpy's Generator does that), vectorized parameters. Cost: O(size of x), except the
discrete CDFs: O(size of x + largest k).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfc, gammaln, xlog1py, xlogy


def _points(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _check_probability(p: float, what: str = "p") -> None:
    if not 0.0 <= p <= 1.0:  # refuses NaN too
        raise ValueError(f"{what} must be a probability in [0, 1], got {p}")


def _check_positive(value: float, what: str) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{what} must be a positive finite number, got {value}")


def _on_integers(k: np.ndarray, low: float, high: float) -> np.ndarray:
    """True where k is an integer in [low, high] (a PMF is 0 everywhere else)."""
    return (k == np.floor(k)) & (k >= low) & (k <= high)


def bernoulli_pmf(k: ArrayLike, p: float) -> np.ndarray:
    """P(X = k) for X ~ Bernoulli(p): p at k = 1, 1 - p at k = 0, 0 elsewhere.

    >>> bernoulli_pmf([0, 1, 2], 0.3)
    array([0.7, 0.3, 0. ])
    """
    _check_probability(p)
    k = _points(k)
    return np.where(k == 1, p, np.where(k == 0, 1.0 - p, 0.0))


def binomial_pmf(k: ArrayLike, n: int, p: float) -> np.ndarray:
    """P(X = k) = C(n, k) p^k (1 - p)^(n - k) for X ~ Binomial(n, p), the number of successes in n trials.

    Computed as exp(log C(n, k) + k log p + (n - k) log(1 - p)); ``xlogy`` makes ``0 log 0 = 0`` so p = 0
    and p = 1 work. Relative accuracy about 1e-15 times the size of the log terms (~1e-12 at n = 10^4).

    >>> binomial_pmf([0, 1, 2], 2, 0.5)
    array([0.25, 0.5 , 0.25])
    """
    if n < 0 or n != int(n):
        raise ValueError(f"n must be a non-negative integer, got {n}")
    _check_probability(p)
    k = _points(k)
    valid = _on_integers(k, 0, n)
    kk = np.where(valid, k, 0.0)
    log_pmf = (gammaln(n + 1) - gammaln(kk + 1) - gammaln(n - kk + 1) + xlogy(kk, p) + xlog1py(n - kk, -p))
    return np.where(valid, np.exp(log_pmf), 0.0)


def binomial_cdf(k: ArrayLike, n: int, p: float) -> np.ndarray:
    """P(X <= k) for X ~ Binomial(n, p): the running sum of the PMF up to floor(k); 0 below 0, 1 from n on.

    >>> binomial_cdf([-1, 0, 1, 2], 2, 0.5)
    array([0.  , 0.25, 0.75, 1.  ])
    """
    k = _points(k)
    cumulative = np.cumsum(binomial_pmf(np.arange(n + 1), n, p))
    index = np.clip(np.floor(np.nan_to_num(k, nan=-1.0)), -1, n).astype(np.intp)
    result = np.where(index >= 0, cumulative[np.maximum(index, 0)], 0.0)
    result = np.where(index >= n, 1.0, result)  # exactly 1, not a sum that rounds to 1 - 1e-16
    return np.where(np.isnan(k), np.nan, result)


def poisson_pmf(k: ArrayLike, lam: float) -> np.ndarray:
    """P(X = k) = lam^k e^(-lam) / k! for X ~ Poisson(lam), the count of rare events at mean rate lam.

    Computed as exp(k log lam - lam - lgamma(k + 1)), so k! never overflows.

    >>> poisson_pmf([0, 1, 2], 2.0).round(6)
    array([0.135335, 0.270671, 0.270671])
    """
    _check_positive(lam, "lam")
    k = _points(k)
    valid = _on_integers(k, 0, np.inf)
    kk = np.where(valid, k, 0.0)
    return np.where(valid, np.exp(kk * math.log(lam) - lam - gammaln(kk + 1)), 0.0)


def poisson_cdf(k: ArrayLike, lam: float) -> np.ndarray:
    """P(X <= k) for X ~ Poisson(lam): the running sum of the PMF up to floor(k). O(size of k + lam).

    >>> poisson_cdf([0, 1], 2.0).round(6)
    array([0.135335, 0.406006])
    """
    _check_positive(lam, "lam")
    k = _points(k)
    # Beyond lam + 40 sqrt(lam) + 50 the upper tail is far below 1e-17: the CDF is 1.0 in float64.
    top = int(lam + 40.0 * math.sqrt(lam) + 50.0)
    cumulative = np.minimum(np.cumsum(poisson_pmf(np.arange(top + 1), lam)), 1.0)
    index = np.clip(np.floor(np.nan_to_num(k, nan=-1.0)), -1, top + 1).astype(np.intp)
    result = np.where(index >= 0, cumulative[np.clip(index, 0, top)], 0.0)
    result = np.where(index > top, 1.0, result)
    return np.where(np.isnan(k), np.nan, result)


def _check_interval(a: float, b: float) -> None:
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise ValueError(f"the uniform distribution needs finite a < b, got a={a}, b={b}")


def uniform_pdf(x: ArrayLike, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """1 / (b - a) on the closed interval [a, b], 0 outside.

    >>> uniform_pdf([-1.0, 0.0, 1.0, 2.0], 0.0, 2.0)
    array([0. , 0.5, 0.5, 0.5])
    """
    _check_interval(a, b)
    x = _points(x)
    return np.where((x >= a) & (x <= b), 1.0 / (b - a), np.where(np.isnan(x), np.nan, 0.0))


def uniform_cdf(x: ArrayLike, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """(x - a) / (b - a), clipped to [0, 1].

    >>> uniform_cdf([-1.0, 0.5, 3.0], 0.0, 2.0)
    array([0.  , 0.25, 1.  ])
    """
    _check_interval(a, b)
    return np.clip((_points(x) - a) / (b - a), 0.0, 1.0)


def uniform_ppf(q: ArrayLike, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """The inverse CDF a + q (b - a), for q in [0, 1].

    >>> uniform_ppf([0.0, 0.25, 1.0], 2.0, 6.0)
    array([2., 3., 6.])
    """
    _check_interval(a, b)
    q = _quantile_levels(q)
    return a + q * (b - a)


def normal_pdf(x: ArrayLike, mu: float = 0.0, sigma: float = 1.0) -> np.ndarray:
    """exp(-z^2 / 2) / (sigma sqrt(2 pi)) with z = (x - mu) / sigma.

    >>> float(normal_pdf(0.0).round(6))
    0.398942
    """
    _check_positive(sigma, "sigma")
    z = (_points(x) - mu) / sigma
    return np.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * math.pi))


def normal_cdf(x: ArrayLike, mu: float = 0.0, sigma: float = 1.0) -> np.ndarray:
    """Phi(z) = erfc(-z / sqrt 2) / 2 with z = (x - mu) / sigma.

    Same as (1 + erf(z / sqrt 2)) / 2 in exact arithmetic, but in the left tail erf(z / sqrt 2) is -1 + tiny,
    and 1 + erf cancels to 0; erfc computes the tiny tail directly (Phi(-10) = 7.6e-24, not 0).

    >>> normal_cdf([0.0, 1.959963984540054]).round(6)
    array([0.5  , 0.975])
    """
    _check_positive(sigma, "sigma")
    z = (_points(x) - mu) / sigma
    return 0.5 * erfc(-z / math.sqrt(2.0))


def exponential_pdf(x: ArrayLike, rate: float = 1.0) -> np.ndarray:
    """rate e^(-rate x) for x >= 0, 0 for x < 0: waiting times between events of a Poisson process.

    >>> exponential_pdf([-1.0, 0.0, 1.0], 2.0).round(6)
    array([0.      , 2.      , 0.270671])
    """
    _check_positive(rate, "rate")
    x = _points(x)
    return np.where(x >= 0, rate * np.exp(-rate * np.maximum(x, 0.0)), np.where(np.isnan(x), np.nan, 0.0))


def exponential_cdf(x: ArrayLike, rate: float = 1.0) -> np.ndarray:
    """1 - e^(-rate x) for x >= 0, computed as -expm1(-rate x) so that tiny x keep all their digits.

    >>> exponential_cdf([0.0, 1e-12], 1.0)
    array([0.e+00, 1.e-12])
    """
    _check_positive(rate, "rate")
    x = _points(x)
    return np.where(x >= 0, -np.expm1(-rate * np.maximum(x, 0.0)), np.where(np.isnan(x), np.nan, 0.0))


def exponential_ppf(q: ArrayLike, rate: float = 1.0) -> np.ndarray:
    """The inverse CDF -log(1 - q) / rate, computed with log1p; q = 1 gives inf.

    >>> exponential_ppf([0.0, 0.5], 1.0).round(6)
    array([0.      , 0.693147])
    """
    _check_positive(rate, "rate")
    q = _quantile_levels(q)
    with np.errstate(divide="ignore"):
        return -np.log1p(-q) / rate


def _quantile_levels(q: ArrayLike) -> np.ndarray:
    q = _points(q)
    if np.isnan(q).any() or (q < 0).any() or (q > 1).any():
        raise ValueError(f"an inverse CDF takes probabilities in [0, 1], got {q}")
    return q
