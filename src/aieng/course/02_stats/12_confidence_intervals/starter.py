"""Confidence intervals — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check confidence-intervals`.
Use quantiles from scipy (`stats.norm.isf`, `stats.t.isf`, or `.ppf`); the ready-made `.interval`
methods and statsmodels' proportion_confint are switched off while the checks run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats  # noqa: F401  (stats.norm.isf and stats.t.isf give the critical values)


def mean_ci_known_sigma(x: ArrayLike, sigma: float, confidence: float = 0.95) -> tuple[float, float]:
    """Return (low, high) = x̄ ± z σ/√n for the mean of the population behind `x` (shape (n,), n >= 1).

    z is the 1 - α/2 quantile of the standard normal, α = 1 - confidence.
    Raise ValueError for confidence outside (0, 1), sigma <= 0, an empty or non-1-D x, NaN or infinity.
    """
    raise NotImplementedError


def mean_ci_t(x: ArrayLike, confidence: float = 0.95) -> tuple[float, float]:
    """Return (low, high) = x̄ ± t s/√n when σ is unknown; x has shape (n,), n >= 2.

    s is the sample standard deviation (ddof=1), t the 1 - α/2 quantile of Student's t with n - 1 dof.
    Raise ValueError for confidence outside (0, 1), fewer than 2 values, NaN or infinity.
    """
    raise NotImplementedError


def proportion_ci(successes: int, n: int, confidence: float = 0.95, method: str = "wilson") -> tuple[float, float]:
    """Return (low, high) for a success probability from `successes` out of `n` trials.

    method "wald":   p̂ ± z √(p̂(1 - p̂)/n)
    method "wilson": (p̂ + z²/(2n) ± z √(p̂(1 - p̂)/n + z²/(4n²))) / (1 + z²/n)
    with p̂ = successes / n; clip both ends to [0, 1].
    Raise ValueError unless n >= 1 and 0 <= successes <= n are whole numbers, 0 < confidence < 1 and
    method is "wald" or "wilson".
    """
    raise NotImplementedError


def coverage(
    interval: Callable[[object], tuple[float, float]],
    sample: Callable[[np.random.Generator], object],
    truth: float,
    trials: int,
    seed: int | np.random.Generator | None = None,
) -> float:
    """Return the fraction of `trials` simulated data sets whose interval contains `truth` (low <= truth <= high).

    Make rng = np.random.default_rng(seed) once; then, for each trial and in this order,
    data = sample(rng) and low, high = interval(data). Raise ValueError if trials < 1.
    """
    raise NotImplementedError
