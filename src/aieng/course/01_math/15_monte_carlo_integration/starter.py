"""Double integrals and Monte Carlo integration — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check monte-carlo-integration`.

Do not call scipy.integrate or numpy.trapezoid: the checks switch them off. Call `f` once on whole
arrays: a meshgrid for double_integral, an (n, d) array of points for monte_carlo.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Function = Callable[[np.ndarray], ArrayLike]
Function2D = Callable[[np.ndarray, np.ndarray], ArrayLike]
Seed = int | np.random.Generator | None


def double_integral(
    f: Function2D, ax: float, bx: float, ay: float, by: float, nx: int = 64, ny: int = 64, rule: str = "simpson"
) -> float:
    """∫_ax^bx ∫_ay^by f(x, y) dy dx, applying a 1-D rule ("simpson" or "trapezoid") along each axis.

    nx and ny are the numbers of sub-intervals along x and y (even for Simpson). f takes two arrays of
    one shape (a meshgrid) and returns an array of that shape (or a single number for a constant).
    Returns a float. Raise ValueError for odd nx/ny with Simpson, counts < 1, an unknown rule or
    infinite limits.
    """
    raise NotImplementedError


def monte_carlo(
    f: Function, lower: ArrayLike, upper: ArrayLike, n: int = 100_000, seed: Seed = None
) -> tuple[float, float]:
    """Monte Carlo estimate of ∫ f over the box [lower, upper] (1-D arrays of length d), and its standard error.

    Draw n uniform points in the box with np.random.default_rng(seed), as an (n, d) array; f maps
    it to shape (n,). Return (estimate, standard_error) as floats: volume · mean of f and
    volume · (sample std, ddof=1) / √n. Raise ValueError if the bounds are not 1-D arrays of one
    length with upper > lower, or if n < 2.
    """
    raise NotImplementedError


def estimate_pi(n: int = 100_000, seed: Seed = None) -> tuple[float, float]:
    """π estimated from n uniform points in the unit square: 4 × (fraction with x² + y² <= 1), with its standard error.

    Returns (estimate, standard_error) as floats; the same seed gives the same answer.
    """
    raise NotImplementedError
