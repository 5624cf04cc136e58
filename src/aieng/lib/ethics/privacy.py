"""Differential privacy: the Laplace and Gaussian mechanisms, a privacy budget under sequential
composition, and two private statistics (a clipped mean and a histogram).

A randomized algorithm M is (ε, δ)-differentially private if for every pair of neighbouring data sets D,
D' (differing in one person) and every set S of outputs, ``P(M(D) ∈ S) <= e^ε P(M(D') ∈ S) + δ``.

- Laplace mechanism: release ``f(D) + Lap(0, b)`` with ``b = Δ₁ / ε``, where Δ₁ is the L1 sensitivity,
  the most f can change between neighbours. Gives (ε, 0)-DP.
- Gaussian mechanism, classic calibration (Dwork & Roth 2014, Theorem A.1): ``σ = Δ₂ sqrt(2 ln(1.25/δ)) / ε``
  with Δ₂ the L2 sensitivity gives (ε, δ)-DP **for 0 < ε < 1 only** (larger ε needs the analytic
  calibration of Balle & Wang 2018, left out here).
- Sequential composition: k releases that are (ε_i, δ_i)-DP are together (Σε_i, Σδ_i)-DP. `PrivacyBudget`
  adds them up and refuses a release that would overdraw it.
- dp_mean: values clipped to [lower, upper]; with n public, replacing one person moves the mean of the
  clipped values by at most (upper - lower) / n, the sensitivity.
- dp_histogram: adding or removing one person changes one bin count by 1 (L1 sensitivity 1); the bin
  edges must be fixed in advance (edges taken from the data would leak it).

Neighbouring data sets: dp_mean uses "replace one person" (n stays public), dp_histogram "add or remove
one person"; the two notions differ by at most a factor 2 in the sensitivity.

Left out: advanced composition and Rényi accounting (see ``aieng.lib.ethics.dp_sgd``), the exponential
mechanism, the analytic Gaussian mechanism, floating-point attacks on naive Laplace sampling (Mironov
2012; production libraries use secure samplers), private selection of clipping bounds.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

SLACK = 1e-9  # round-off allowance when a budget compares spent + request with the total


def _positive(value: float, name: str) -> float:
    if not (isinstance(value, int | float | np.number) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def laplace_mechanism(value: ArrayLike, sensitivity: float, epsilon: float,
                      rng: np.random.Generator | int | None = None) -> float | np.ndarray:
    """``value + Lap(0, sensitivity / epsilon)``, independent noise per entry; a float for a scalar value.

    ε-DP when `sensitivity` bounds the L1 change of the released quantity (all entries together) between
    neighbouring data sets. Noise has mean 0 and standard deviation sqrt(2) Δ/ε. Cost O(size).

    >>> round(float(np.std(laplace_mechanism(np.zeros(100_000), 1.0, 0.5, rng=0))), 1)  # sqrt(2) * 2
    2.8
    """
    b = _positive(sensitivity, "sensitivity") / _positive(epsilon, "epsilon")
    value = np.asarray(value, dtype=np.float64)
    if not np.isfinite(value).all():
        raise ValueError("value must be finite (no NaN or inf)")
    noisy = value + _generator(rng).laplace(0.0, b, size=value.shape)
    return float(noisy) if noisy.ndim == 0 else noisy


def gaussian_sigma(sensitivity: float, epsilon: float, delta: float) -> float:
    """The classic Gaussian-mechanism noise scale ``σ = Δ₂ sqrt(2 ln(1.25 / δ)) / ε``, for 0 < ε < 1, 0 < δ < 1.

    >>> round(gaussian_sigma(1.0, 0.5, 1e-5), 4)
    9.6896
    """
    sensitivity, epsilon = _positive(sensitivity, "sensitivity"), _positive(epsilon, "epsilon")
    if epsilon >= 1:
        raise ValueError(f"the classic Gaussian bound holds for epsilon < 1 only, got {epsilon}")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    return sensitivity * math.sqrt(2.0 * math.log(1.25 / delta)) / epsilon


def gaussian_mechanism(value: ArrayLike, sensitivity: float, epsilon: float, delta: float,
                       rng: np.random.Generator | int | None = None) -> float | np.ndarray:
    """``value + N(0, σ²)`` per entry with σ = `gaussian_sigma(sensitivity, epsilon, delta)`: (ε, δ)-DP for
    an L2 `sensitivity`. A float for a scalar value. Cost O(size)."""
    sigma = gaussian_sigma(sensitivity, epsilon, delta)
    value = np.asarray(value, dtype=np.float64)
    if not np.isfinite(value).all():
        raise ValueError("value must be finite (no NaN or inf)")
    noisy = value + _generator(rng).normal(0.0, sigma, size=value.shape)
    return float(noisy) if noisy.ndim == 0 else noisy


class BudgetExceededError(ValueError):
    """A release would spend more privacy than the budget has left."""


class PrivacyBudget:
    """A total (ε, δ) spent by sequential composition: every release adds its ε and δ to the tally.

    >>> budget = PrivacyBudget(1.0)
    >>> budget.spend(0.4); budget.spend(0.6); budget.remaining_epsilon
    0.0
    >>> budget.spend(0.1)
    Traceback (most recent call last):
    ...
    aieng.lib.ethics.privacy.BudgetExceededError: spending epsilon=0.1 would exceed the budget (1.0 spent of 1.0)

    A refused request spends nothing. Comparisons allow 1e-9 of round-off (ten spends of 0.1 fit in 1.0).
    """

    def __init__(self, epsilon: float, delta: float = 0.0) -> None:
        self.epsilon = _positive(epsilon, "epsilon")
        if not 0 <= delta < 1:
            raise ValueError(f"delta must be in [0, 1), got {delta}")
        self.delta = float(delta)
        self.spent_epsilon = 0.0
        self.spent_delta = 0.0

    @property
    def remaining_epsilon(self) -> float:
        return max(0.0, self.epsilon - self.spent_epsilon)

    @property
    def remaining_delta(self) -> float:
        return max(0.0, self.delta - self.spent_delta)

    def spend(self, epsilon: float, delta: float = 0.0) -> None:
        """Record a release that costs (epsilon, delta), or raise BudgetExceededError and record nothing."""
        epsilon = _positive(epsilon, "epsilon")
        if not 0 <= delta < 1:
            raise ValueError(f"delta must be in [0, 1), got {delta}")
        if self.spent_epsilon + epsilon > self.epsilon + SLACK:
            raise BudgetExceededError(f"spending epsilon={epsilon} would exceed the budget "
                                      f"({self.spent_epsilon} spent of {self.epsilon})")
        if self.spent_delta + delta > self.delta + SLACK * 1e-6:
            raise BudgetExceededError(f"spending delta={delta} would exceed the budget "
                                      f"({self.spent_delta} spent of {self.delta})")
        self.spent_epsilon += epsilon
        self.spent_delta += delta


def dp_mean(x: ArrayLike, lower: float, upper: float, epsilon: float, rng: np.random.Generator | int | None = None,
            budget: PrivacyBudget | None = None) -> float:
    """An ε-DP mean of the 1-D array `x`: clip to [lower, upper], average, add Lap((upper - lower) / (n ε)).

    n = len(x) is treated as public. The bounds must be chosen without looking at the data. If `budget` is
    given, ε is spent from it first (a refusal raises before anything is computed). Cost O(n).

    >>> round(dp_mean(np.full(1000, 50.0), 0.0, 100.0, epsilon=1e6, rng=0), 3)
    50.0
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("x contains NaN or inf: decide how to treat missing values before releasing")
    if not (math.isfinite(lower) and math.isfinite(upper) and lower < upper):
        raise ValueError(f"need finite bounds lower < upper, got [{lower}, {upper}]")
    _positive(epsilon, "epsilon")
    if budget is not None:
        budget.spend(epsilon)
    clipped_mean = float(np.clip(x, lower, upper).mean())
    return laplace_mechanism(clipped_mean, (upper - lower) / x.size, epsilon, rng)


def dp_histogram(x: ArrayLike, edges: ArrayLike, epsilon: float, rng: np.random.Generator | int | None = None,
                 budget: PrivacyBudget | None = None) -> np.ndarray:
    """ε-DP counts of `x` in the bins given by `edges` (as ``np.histogram(x, bins=edges)``), shape (len(edges) - 1,).

    Each count gets independent Lap(1/ε) noise: one person is in at most one bin, so the L1 sensitivity
    is 1. Counts may come out negative or fractional; rounding or clipping them afterwards costs no
    privacy (post-processing) but biases them. Values outside the edges are not counted. Cost O(n + bins).
    """
    x = np.asarray(x, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    if edges.ndim != 1 or edges.size < 2 or not np.isfinite(edges).all() or not (np.diff(edges) > 0).all():
        raise ValueError("edges must be a 1-D increasing array of at least two finite numbers, fixed in advance")
    if np.isnan(x).any():
        raise ValueError("x contains NaN")
    _positive(epsilon, "epsilon")
    if budget is not None:
        budget.spend(epsilon)
    counts, _ = np.histogram(x, bins=edges)
    return laplace_mechanism(counts.astype(np.float64), 1.0, epsilon, rng)
