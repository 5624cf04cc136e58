"""Finite differences — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check finite-differences`.

Every function works elementwise on `x` of any shape: call `f` on whole arrays (f accepts a numpy
array and returns one of the same shape), never once per point in a Python loop.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Function = Callable[[np.ndarray], ArrayLike]

EPS = float(np.finfo(np.float64).eps)  # 2.22e-16, the spacing of floats near 1.0


def optimal_step(x: ArrayLike, method: str = "central") -> np.ndarray | float:
    """The step h* that balances truncation and round-off error, elementwise over `x`.

    h* = EPS ** power * max(1, |x|), with power 1/2 for "forward" and "backward", 1/3 for "central"
    and 1/4 for "second". Returns an array of x's shape (a float for a scalar x).
    Raise ValueError for any other method name.
    """
    raise NotImplementedError


def forward_difference(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f'(x) ≈ (f(x + h) - f(x)) / h, elementwise; same shape as `x` (a float for a scalar x).

    h=None means h = optimal_step(x, "forward"). Raise ValueError if h <= 0.
    """
    raise NotImplementedError


def backward_difference(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f'(x) ≈ (f(x) - f(x - h)) / h, elementwise; same shape as `x` (a float for a scalar x).

    h=None means h = optimal_step(x, "backward"). Raise ValueError if h <= 0.
    """
    raise NotImplementedError


def central_difference(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f'(x) ≈ (f(x + h) - f(x - h)) / (2h), elementwise; same shape as `x` (a float for a scalar x).

    h=None means h = optimal_step(x, "central"). Raise ValueError if h <= 0.
    """
    raise NotImplementedError


def second_derivative(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f''(x) ≈ (f(x + h) - 2 f(x) + f(x - h)) / h², elementwise; same shape as `x` (a float for a scalar x).

    h=None means h = optimal_step(x, "second"). Raise ValueError if h <= 0.
    """
    raise NotImplementedError
