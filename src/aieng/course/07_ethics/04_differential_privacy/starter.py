"""Differential privacy — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check differential-privacy`.

Randomness: every function takes `rng`, a numpy Generator (np.random.default_rng(seed)); draw all noise
from it (rng.laplace, rng.normal) so that a release can be reproduced from its seed.
Bad input raises ValueError: epsilon or sensitivity <= 0, NaN or empty data, lower >= upper, edges that
do not increase, and (classic Gaussian bound) epsilon >= 1 or delta outside (0, 1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def laplace_mechanism(value: ArrayLike, sensitivity: float, epsilon: float,
                      rng: np.random.Generator) -> float | np.ndarray:
    """value + Laplace(0, sensitivity / epsilon) noise, independent per entry.

    A scalar value gives a float back; an array of shape (...) gives an array of the same shape.
    """
    raise NotImplementedError


def gaussian_sigma(sensitivity: float, epsilon: float, delta: float) -> float:
    """The classic noise scale sigma = sensitivity * sqrt(2 ln(1.25 / delta)) / epsilon.

    Valid for 0 < epsilon < 1 and 0 < delta < 1; anything else: ValueError.
    """
    raise NotImplementedError


def gaussian_mechanism(value: ArrayLike, sensitivity: float, epsilon: float, delta: float,
                       rng: np.random.Generator) -> float | np.ndarray:
    """value + N(0, sigma^2) noise per entry, sigma = gaussian_sigma(sensitivity, epsilon, delta)."""
    raise NotImplementedError


class PrivacyBudget:
    """A total privacy budget (epsilon, delta) consumed by sequential composition.

    Attributes: epsilon, delta (the totals), spent_epsilon, spent_delta (start at 0),
    remaining_epsilon, remaining_delta (what is left, never below 0).
    PrivacyBudget(epsilon <= 0) raises ValueError.
    """

    def __init__(self, epsilon: float, delta: float = 0.0) -> None:
        raise NotImplementedError

    @property
    def remaining_epsilon(self) -> float:
        raise NotImplementedError

    @property
    def remaining_delta(self) -> float:
        raise NotImplementedError

    def spend(self, epsilon: float, delta: float = 0.0) -> None:
        """Add (epsilon, delta) to what is spent, or raise ValueError (spending nothing) if either total would
        be exceeded. Allow 1e-9 of round-off: ten spends of 0.1 fit in a budget of 1.0.
        A non-positive epsilon raises ValueError."""
        raise NotImplementedError


def dp_mean(x: ArrayLike, lower: float, upper: float, epsilon: float, rng: np.random.Generator,
            budget: PrivacyBudget | None = None) -> float:
    """An epsilon-DP mean of the 1-D array x (shape (n,), n public).

    Clip x to [lower, upper], take the mean, add Laplace noise for sensitivity (upper - lower) / n.
    If `budget` is given, spend epsilon from it first (a refusal raises before anything is released).
    """
    raise NotImplementedError


def dp_histogram(x: ArrayLike, edges: ArrayLike, epsilon: float, rng: np.random.Generator,
                 budget: PrivacyBudget | None = None) -> np.ndarray:
    """epsilon-DP bin counts, shape (len(edges) - 1,): numpy.histogram(x, bins=edges) counts plus
    Laplace(1 / epsilon) noise per bin (one person changes one count by 1). Spend from `budget` if given."""
    raise NotImplementedError
