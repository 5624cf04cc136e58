"""Maximum likelihood estimation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check maximum-likelihood`.

scipy.stats' distributions (norm, expon, poisson, bernoulli, gamma, their .fit and .logpdf) are switched
off while your code runs. scipy.special (gammaln, digamma, polygamma, xlogy) and scipy.optimize
(brentq, minimize_scalar, minimize) are yours to use.
"""

from __future__ import annotations

import numpy as np  # noqa: F401
from numpy.typing import ArrayLike


def normal_mle(x: ArrayLike) -> tuple[float, float]:
    """Return the MLE (mu, sigma) of a normal sample: the mean and sqrt(mean((x - mu)^2)) (divisor n).

    Raise ValueError for an empty or non-1-D sample, or NaN/infinite values (all functions below too).
    """
    raise NotImplementedError


def exponential_mle(x: ArrayLike) -> float:
    """Return the MLE of the exponential rate, 1 / mean(x). Raise ValueError unless every x > 0."""
    raise NotImplementedError


def poisson_mle(k: ArrayLike) -> float:
    """Return the MLE of the Poisson rate, the mean count. Raise ValueError unless the k are non-negative integers."""
    raise NotImplementedError


def bernoulli_mle(x: ArrayLike) -> float:
    """Return the MLE of the Bernoulli probability, the fraction of ones. Raise ValueError unless every x is 0 or 1."""
    raise NotImplementedError


def normal_log_likelihood(x: ArrayLike, mu: float, sigma: float) -> float:
    """Return sum_i log N(x_i; mu, sigma^2) = -n/2 log(2 pi sigma^2) - sum (x_i - mu)^2 / (2 sigma^2).

    Raise ValueError unless sigma > 0.
    """
    raise NotImplementedError


def poisson_log_likelihood(k: ArrayLike, lam: float) -> float:
    """Return sum_i (k_i log lam - lam - log k_i!); log k! is gammaln(k + 1). Raise ValueError unless lam > 0."""
    raise NotImplementedError


def gamma_log_likelihood(x: ArrayLike, shape: float, scale: float) -> float:
    """Return sum_i [(shape - 1) log x_i - x_i / scale - gammaln(shape) - shape log(scale)].

    Raise ValueError unless every x > 0, shape > 0 and scale > 0.
    """
    raise NotImplementedError


def gamma_mle(x: ArrayLike) -> tuple[float, float]:
    """Return the MLE (shape, scale) of a gamma sample with location 0, found numerically.

    Setting the derivative in the scale to zero gives scale = mean(x) / shape; the shape then solves
    log(shape) - digamma(shape) = log(mean(x)) - mean(log(x)). Raise ValueError unless every x > 0
    and the data have at least two distinct values.
    """
    raise NotImplementedError
