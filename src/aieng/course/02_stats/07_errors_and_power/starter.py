"""Type I and type II errors, and power — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check type-errors-power`.

scipy.stats.norm is allowed here (Phi is norm.cdf, the upper tail P(Z > z) is norm.sf, and the
critical value z_(1 - alpha/2) is norm.isf(alpha / 2)); the z-test and the power formula are yours.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import norm  # noqa: F401

Seed = int | np.random.Generator | None


def z_test(sample: ArrayLike, mu0: float, sigma: float) -> tuple[float, float]:
    """Return (z, p_value) of the two-sided one-sample z-test of H0: mu = mu0, with sigma known.

    z = (mean - mu0) / (sigma / sqrt(n)); p_value = 2 * P(Z > |z|) for Z ~ N(0, 1).
    Raise ValueError for an empty or non-1-D sample, or sigma <= 0.
    """
    raise NotImplementedError


def rejection_rate(
    mu_true: float, mu0: float, sigma: float, n: int, alpha: float, repetitions: int, seed: Seed = None
) -> float:
    """Simulate `repetitions` z-tests of H0: mu = mu0 at level alpha and return the fraction that reject.

    Each test uses n draws from N(mu_true, sigma^2), made with rng = np.random.default_rng(seed); it
    rejects when |z| > z_(1 - alpha/2). With mu_true == mu0 this estimates the type I error rate, otherwise
    the power. Raise ValueError unless 0 < alpha < 1, sigma > 0, n >= 1 and repetitions >= 1.
    """
    raise NotImplementedError


def z_test_power(effect: float, sigma: float, n: int, alpha: float) -> float:
    """Return the power of the two-sided z-test at level alpha when the true mean is mu0 + effect.

    With c = z_(1 - alpha/2) and d = effect * sqrt(n) / sigma: power = Phi(d - c) + Phi(-d - c).
    Raise ValueError unless 0 < alpha < 1, sigma > 0 and n >= 1.
    """
    raise NotImplementedError


def sample_size_for_power(effect: float, sigma: float, power: float, alpha: float) -> int:
    """Return the smallest n with z_test_power(effect, sigma, n, alpha) >= power.

    Raise ValueError if effect is 0, power is not strictly between 0 and 1, alpha is not strictly
    between 0 and 1, or sigma <= 0.
    """
    raise NotImplementedError
