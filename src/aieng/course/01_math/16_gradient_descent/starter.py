"""Gradient descent and convex quadratics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check gradient-descent`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def gradient_descent(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], ArrayLike],
    x0: ArrayLike,
    lr: float,
    *,
    tol: float = 1e-6,
    max_iter: int = 10_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimize `f` with plain gradient descent: x_{k+1} = x_k - lr * grad(x_k).

    - `x0` is a non-empty 1-D vector, shape (n,); work on a copy (never modify the caller's array).
    - At each iterate x_k: compute g = grad(x_k), shape (n,); if ||g||_2 <= tol, stop. Stop also
      after `max_iter` steps. Otherwise take the step.
    - Return (x, losses): the last iterate, shape (n,), and losses[k] = f(x_k) for every iterate,
      f(x0) first, as a 1-D float array of shape (steps + 1,).
    - If a loss or the iterate is not finite (inf or nan: the iterates diverged), raise
      FloatingPointError.
    - Raise ValueError if lr <= 0 (or not finite), tol < 0, max_iter < 0, x0 is not a non-empty 1-D
      vector, or grad(x) does not have the shape of x.
    """
    raise NotImplementedError


def is_convex_quadratic(A: ArrayLike, tol: float = 1e-10) -> bool:
    """Whether f(x) = 1/2 x^T A x - b^T x is convex, for a square matrix `A` of shape (n, n).

    Convex exactly when the symmetric part S = (A + A^T) / 2 is positive semidefinite. Return True when
    the smallest eigenvalue of S is >= -tol * max(1, largest |eigenvalue| of S), else False.
    Raise ValueError if `A` is not a non-empty square matrix.
    """
    raise NotImplementedError
