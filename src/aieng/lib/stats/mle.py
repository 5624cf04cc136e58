"""Maximum likelihood estimation: the parameter values under which the observed data are most probable.

For independent data the likelihood is a product, so one maximizes the log-likelihood
``l(theta) = sum_i log f(x_i; theta)`` instead (same maximizer, no underflow). Setting its derivative to
zero gives closed forms for the common families:

    normal        mu = mean(x),  sigma^2 = mean((x - mu)^2)   (divisor n: the MLE is biased, by (n-1)/n)
    exponential   rate = 1 / mean(x)
    Poisson       lam = mean(k)
    Bernoulli     p = mean(x)  (the fraction of ones)

The gamma distribution has no closed form for its shape a: with the scale profiled out
(``scale = mean / a``), the score equation is ``log(a) - digamma(a) = log(mean(x)) - mean(log x)``, a
one-dimensional root found here by Newton's method from a closed-form starting guess (a few steps to
full precision). Any other model can be fitted the same way, numerically, by minimizing the negative
log-likelihood with scipy.optimize.

Left out: standard errors from the Fisher information, constrained or censored data, location
parameters for the gamma. Cost: O(n) per fit (plus O(n) per Newton step's log terms: none, they are
precomputed).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln, polygamma, xlogy


def _data(x: ArrayLike, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{what} needs a non-empty 1-D sample, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what}: the sample contains NaN or infinity")
    return x


def _positive(x: ArrayLike, what: str) -> np.ndarray:
    x = _data(x, what)
    if np.any(x <= 0):
        raise ValueError(f"{what} needs strictly positive data, got a minimum of {x.min()}")
    return x


def _counts(k: ArrayLike, what: str) -> np.ndarray:
    k = _data(k, what)
    if np.any(k < 0) or np.any(k != np.floor(k)):
        raise ValueError(f"{what} needs counts (non-negative integers)")
    return k


def normal_mle(x: ArrayLike) -> tuple[float, float]:
    """The MLE ``(mu, sigma)`` of a normal sample: the mean and the root mean squared deviation (ddof = 0).

    >>> normal_mle([1.0, 2.0, 3.0, 6.0])
    (3.0, 1.8708286933869707)
    """
    x = _data(x, "normal_mle")
    mu = np.sum(x) / x.size
    return float(mu), float(np.sqrt(np.sum((x - mu) ** 2) / x.size))


def exponential_mle(x: ArrayLike) -> float:
    """The MLE of an exponential rate: ``n / sum(x) = 1 / mean(x)``; the data must be positive.

    >>> exponential_mle([0.5, 1.5, 2.0])
    0.75
    """
    x = _positive(x, "exponential_mle")
    return float(x.size / np.sum(x))


def poisson_mle(k: ArrayLike) -> float:
    """The MLE of a Poisson rate: the mean count. All-zero counts give 0 (on the boundary).

    >>> poisson_mle([2, 0, 3, 1])
    1.5
    """
    k = _counts(k, "poisson_mle")
    return float(np.sum(k) / k.size)


def bernoulli_mle(x: ArrayLike) -> float:
    """The MLE of a Bernoulli probability: the fraction of ones in a 0/1 sample.

    >>> bernoulli_mle([1, 0, 1, 1])
    0.75
    """
    x = _data(x, "bernoulli_mle")
    if not np.all((x == 0) | (x == 1)):
        raise ValueError("bernoulli_mle needs outcomes coded 0 or 1")
    return float(np.sum(x) / x.size)


def normal_log_likelihood(x: ArrayLike, mu: float, sigma: float) -> float:
    """``sum_i log N(x_i; mu, sigma^2) = -n/2 log(2 pi sigma^2) - sum (x_i - mu)^2 / (2 sigma^2)``. O(n).

    >>> round(normal_log_likelihood([0.0], 0.0, 1.0), 6)
    -0.918939
    """
    x = _data(x, "normal_log_likelihood")
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    return float(-0.5 * x.size * math.log(2 * math.pi * sigma**2) - np.sum((x - mu) ** 2) / (2 * sigma**2))


def poisson_log_likelihood(k: ArrayLike, lam: float) -> float:
    """``sum_i (k_i log lam - lam - log k_i!)``, with log k! = lgamma(k + 1). O(n).

    >>> round(poisson_log_likelihood([0, 1], 1.0), 6)
    -2.0
    """
    k = _counts(k, "poisson_log_likelihood")
    if not lam > 0:
        raise ValueError(f"lam must be positive, got {lam}")
    return float(np.sum(xlogy(k, lam) - lam - gammaln(k + 1)))


def gamma_log_likelihood(x: ArrayLike, shape: float, scale: float) -> float:
    """``sum_i [(a - 1) log x_i - x_i / s - lgamma(a) - a log s]`` for the gamma law with shape a, scale s. O(n).

    Shape 1 is the exponential distribution with rate 1/s.

    >>> round(gamma_log_likelihood([1.0, 2.0], 1.0, 1.0), 6)
    -3.0
    """
    x = _positive(x, "gamma_log_likelihood")
    if not (shape > 0 and scale > 0):
        raise ValueError(f"shape and scale must be positive, got {shape} and {scale}")
    normalizer = gammaln(shape) + shape * math.log(scale)  # log(Gamma(a) s^a), once per observation
    return float((shape - 1) * np.sum(np.log(x)) - np.sum(x) / scale - x.size * normalizer)


def gamma_mle(x: ArrayLike) -> tuple[float, float]:
    """The MLE ``(shape, scale)`` of a gamma sample (location fixed at 0), by Newton's method on the shape.

    With ``s = log(mean) - mean(log x) > 0`` (Jensen), solve ``g(a) = log a - digamma(a) - s = 0``. g is
    decreasing, so Newton ``a <- a - g(a) / g'(a)`` with ``g'(a) = 1/a - trigamma(a)`` converges from the
    closed-form guess ``(3 - s + sqrt((s - 3)^2 + 24 s)) / (12 s)`` in a handful of steps. Then
    ``scale = mean / shape``. Needs at least two distinct values (s = 0 would send the shape to infinity).

    >>> shape, scale = gamma_mle([1.0, 2.0, 3.0, 4.0])
    >>> round(shape, 4), round(scale, 4)
    (4.2654, 0.5861)
    """
    x = _positive(x, "gamma_mle")
    mean = np.sum(x) / x.size
    s = math.log(mean) - np.sum(np.log(x)) / x.size
    if not s > 1e-12:
        raise ValueError("gamma_mle needs at least two distinct values: for constant data the shape is infinite")
    a = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(100):
        step = (math.log(a) - digamma(a) - s) / (1.0 / a - polygamma(1, a))
        a = max(a - step, a / 10)  # never jump to a non-positive shape
        if abs(step) <= 1e-15 * a:
            break
    return float(a), float(mean / a)
