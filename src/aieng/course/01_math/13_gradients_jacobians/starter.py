"""Gradients, Jacobians and Hessians — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check gradients-jacobians`.

`f` maps a 1-D array of shape (n,) to a single number and `F` maps it to a 1-D array of shape (m,).
Use central differences, one coordinate axis at a time.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

ScalarFunction = Callable[[np.ndarray], float]
VectorFunction = Callable[[np.ndarray], ArrayLike]


def gradient(f: ScalarFunction, x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """∇f(x), shape (n,): entry j is (f(x + h e_j) - f(x - h e_j)) / (2h).

    Raise ValueError if x is not a non-empty 1-D array, if h <= 0, or if f does not return a single number.
    """
    raise NotImplementedError


def jacobian(F: VectorFunction, x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """The Jacobian of F at x, shape (m, n): J[i, j] = ∂F_i/∂x_j by central differences.

    Raise ValueError if x is not a non-empty 1-D array, if h <= 0, or if F does not return a 1-D array.
    """
    raise NotImplementedError


def hessian(f: ScalarFunction, x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """The Hessian of f at x, shape (n, n), symmetric: H[i, j] = ∂²f/∂x_i∂x_j.

    Use H[i, j] = [f(x+he_i+he_j) - f(x+he_i-he_j) - f(x-he_i+he_j) + f(x-he_i-he_j)] / (4h²).
    Same ValueError rules as gradient.
    """
    raise NotImplementedError


def directional_derivative(f: ScalarFunction, x: ArrayLike, v: ArrayLike, h: float = 1e-5) -> float:
    """d/dt f(x + t v) at t = 0 (equal to ∇f(x) · v), as one central difference along v.

    Returns a float. Raise ValueError if v's shape differs from x's, or for the same reasons as gradient.
    """
    raise NotImplementedError
