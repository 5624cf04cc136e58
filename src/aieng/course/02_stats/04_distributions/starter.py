"""Probability distributions — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check distributions`.

Every function takes a number or an array of points and returns an array of the same shape (a 0-d
array or a float for a single number). Parameters are plain numbers: check them and raise ValueError
when they are impossible. scipy.stats' distributions and scipy.special's ready-made CDFs (ndtr, bdtr,
pdtr, gammainc, betainc) are switched off while your code runs; math.erf/erfc/lgamma and
scipy.special.erf/erfc/gammaln are fine.
"""

from __future__ import annotations

import math  # noqa: F401  (math.erfc, math.lgamma, ...)

import numpy as np
from numpy.typing import ArrayLike


def bernoulli_pmf(k: ArrayLike, p: float) -> np.ndarray:
    """P(X = k) for X ~ Bernoulli(p): p at k = 1, 1 - p at k = 0, 0 for any other k.

    Raise ValueError unless 0 <= p <= 1.
    """
    raise NotImplementedError


def binomial_pmf(k: ArrayLike, n: int, p: float) -> np.ndarray:
    """P(X = k) = C(n, k) p^k (1 - p)^(n - k) for integer k in 0..n, else 0.

    Must work for n up to 10_000 (compute the log of the PMF with lgamma, then exponentiate), and for
    p = 0 and p = 1. Raise ValueError unless n is a non-negative integer and 0 <= p <= 1.
    """
    raise NotImplementedError


def binomial_cdf(k: ArrayLike, n: int, p: float) -> np.ndarray:
    """P(X <= k): the sum of the PMF over 0..floor(k); 0 for k < 0 and 1 for k >= n."""
    raise NotImplementedError


def poisson_pmf(k: ArrayLike, lam: float) -> np.ndarray:
    """P(X = k) = lam^k e^(-lam) / k! for integer k >= 0, else 0.

    Must work for k up to 2000 (k! overflows a float beyond 170: use lgamma). Raise ValueError unless lam > 0.
    """
    raise NotImplementedError


def poisson_cdf(k: ArrayLike, lam: float) -> np.ndarray:
    """P(X <= k): the sum of the PMF over 0..floor(k); 0 for k < 0."""
    raise NotImplementedError


def uniform_pdf(x: ArrayLike, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """1 / (b - a) for a <= x <= b (both ends included), 0 elsewhere. Raise ValueError unless a < b (both finite)."""
    raise NotImplementedError


def uniform_cdf(x: ArrayLike, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """(x - a) / (b - a), clipped to [0, 1]."""
    raise NotImplementedError


def uniform_ppf(q: ArrayLike, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """The inverse CDF a + q (b - a). Raise ValueError if any q is outside [0, 1]."""
    raise NotImplementedError


def normal_pdf(x: ArrayLike, mu: float = 0.0, sigma: float = 1.0) -> np.ndarray:
    """exp(-z^2 / 2) / (sigma sqrt(2 pi)), z = (x - mu) / sigma. Raise ValueError unless sigma > 0."""
    raise NotImplementedError


def normal_cdf(x: ArrayLike, mu: float = 0.0, sigma: float = 1.0) -> np.ndarray:
    """Phi((x - mu) / sigma), accurate far into the left tail (Phi(-10) = 7.6e-24): use erfc, not 1 + erf."""
    raise NotImplementedError


def exponential_pdf(x: ArrayLike, rate: float = 1.0) -> np.ndarray:
    """rate e^(-rate x) for x >= 0, 0 for x < 0. Raise ValueError unless rate > 0."""
    raise NotImplementedError


def exponential_cdf(x: ArrayLike, rate: float = 1.0) -> np.ndarray:
    """1 - e^(-rate x) for x >= 0 (0 below), accurate for tiny x too: use np.expm1."""
    raise NotImplementedError


def exponential_ppf(q: ArrayLike, rate: float = 1.0) -> np.ndarray:
    """The inverse CDF -log(1 - q) / rate (inf at q = 1), accurate for tiny q: use np.log1p.

    Raise ValueError if any q is outside [0, 1].
    """
    raise NotImplementedError
