"""The law of large numbers and the central limit theorem — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check law-of-large-numbers-clt`.

A `draw` is a function draw(rng, size) that returns an array of the given size (an int or a tuple)
of independent values, for example `lambda rng, size: rng.exponential(2.0, size)`. Create the
generator with `rng = np.random.default_rng(seed)` and call draw exactly once, with the size stated.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Seed = int | np.random.Generator | None
Draw = Callable[[np.random.Generator, int | tuple[int, ...]], np.ndarray]


def running_mean(x: ArrayLike) -> np.ndarray:
    """Return the running means of the 1-D data x, shape (n,): entry k is mean(x[0], ..., x[k]).

    Raise ValueError if x is not 1-D.
    """
    raise NotImplementedError


def simulate_running_mean(draw: Draw, n: int, seed: Seed = None) -> np.ndarray:
    """Draw n values with one call draw(rng, n) and return their running mean, shape (n,).

    Raise ValueError if n < 1.
    """
    raise NotImplementedError


def sample_means(draw: Draw, n: int, repetitions: int, seed: Seed = None) -> np.ndarray:
    """Return the means of `repetitions` independent samples of size n, shape (repetitions,).

    Call draw(rng, (repetitions, n)) once: one sample per row. Raise ValueError if n < 1 or repetitions < 1.
    """
    raise NotImplementedError


def standardized_means(draw: Draw, n: int, repetitions: int, mu: float, sigma: float, seed: Seed = None) -> np.ndarray:
    """Return sqrt(n) * (sample mean - mu) / sigma for each of the samples of sample_means, shape (repetitions,).

    mu and sigma are the mean and standard deviation of a single draw. Raise ValueError if sigma <= 0.
    """
    raise NotImplementedError
