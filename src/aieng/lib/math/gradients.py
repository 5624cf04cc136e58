"""Gradients, Jacobians and Hessians by central differences.

For f: R^n -> R the **gradient** ∇f(x) is the vector of partial derivatives ∂f/∂x_j. It points in
the direction of steepest ascent, and its length is that steepest slope. For F: R^n -> R^m the
**Jacobian** J[i, j] = ∂F_i/∂x_j is the matrix of the best linear approximation
F(x + d) ≈ F(x) + J d. The **Hessian** H[i, j] = ∂²f/∂x_i∂x_j holds the curvature of f.

Each partial derivative here is a central difference along one coordinate axis, with error
O(h²) + O(eps/h) (O(h²) + O(eps/h²) for the Hessian). The functions are called once per perturbed
point (2n calls for a gradient or Jacobian, 4n² for a Hessian). The perturbed points are built
together as rows of ``x ± h·I``. Left out: forward-mode and reverse-mode automatic differentiation,
sparse Jacobians and adaptive steps.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

ScalarFunction = Callable[[np.ndarray], float]
VectorFunction = Callable[[np.ndarray], ArrayLike]


def _point(x: ArrayLike) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array (a point in R^n), got shape {x.shape}")
    return x


def _check_step(h: float) -> float:
    if not np.isscalar(h) or not np.isfinite(h) or h <= 0:
        raise ValueError(f"the step h must be a positive finite number, got {h!r}")
    return float(h)


def _scalar_values(f: ScalarFunction, points: np.ndarray) -> np.ndarray:
    """f at each row of `points` (shape (k, n)) -> shape (k,); f must return a single number."""
    values = [np.asarray(f(p), dtype=np.float64) for p in points]
    if any(v.ndim != 0 for v in values):
        raise ValueError("f must return a single number (use jacobian for vector-valued functions)")
    return np.array(values, dtype=np.float64).reshape(len(points))


def gradient(f: ScalarFunction, x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """∇f(x), shape (n,): ∂f/∂x_j ≈ (f(x + h e_j) - f(x - h e_j)) / (2h).

    2n calls of f. Error per entry ≈ (h²/6)|∂³f/∂x_j³| + eps|f|/h, about 1e-10 for h = 1e-5 on
    functions of order one.

    >>> gradient(lambda v: v[0] ** 2 + 3 * v[1], [1.0, 2.0]).round(6)
    array([2., 3.])
    """
    x, h = _point(x), _check_step(h)
    steps = h * np.eye(x.size)
    return (_scalar_values(f, x + steps) - _scalar_values(f, x - steps)) / (2.0 * h)


def jacobian(F: VectorFunction, x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """The Jacobian of F: R^n -> R^m at x, shape (m, n): J[i, j] = ∂F_i/∂x_j.

    Column j is the central difference (F(x + h e_j) - F(x - h e_j)) / (2h): how every output moves
    when input j moves. 2n calls of F, which must return a 1-D array of shape (m,).

    >>> jacobian(lambda v: np.array([v[0] * v[1], v[0] + v[1]]), [2.0, 3.0]).round(6)
    array([[3., 2.],
           [1., 1.]])
    """
    x, h = _point(x), _check_step(h)
    steps = h * np.eye(x.size)
    outputs = [np.asarray(F(p), dtype=np.float64) for p in np.concatenate([x + steps, x - steps])]
    if any(out.ndim != 1 for out in outputs) or len({out.shape for out in outputs}) != 1:
        raise ValueError("F must return a 1-D array of one length m (wrap a scalar as np.array([value]))")
    values = np.stack(outputs)  # (2n, m): rows are F at x + h e_j, then at x - h e_j
    return (values[: x.size] - values[x.size :]).T / (2.0 * h)


def hessian(f: ScalarFunction, x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """The Hessian of f: R^n -> R at x, shape (n, n), symmetric.

    ``H[i, j] ≈ [f(x+he_i+he_j) - f(x+he_i-he_j) - f(x-he_i+he_j) + f(x-he_i-he_j)] / (4h²)``.
    The formula is symmetric in i and j, so H is exactly symmetric. On the diagonal it is the
    second difference with step 2h. 4n² calls of f. Error ≈ O(h²) + O(eps|f|/h²), about 1e-8 for
    h = 1e-4 (hence the larger default step).

    >>> hessian(lambda v: v[0] ** 2 * v[1], [1.0, 2.0]).round(4)
    array([[4., 2.],
           [2., 0.]])
    """
    x, h = _point(x), _check_step(h)
    n = x.size
    e = h * np.eye(n)
    ei, ej = e[:, None, :], e[None, :, :]  # broadcast to (n, n, n): [i, j] holds h e_i and h e_j

    def at(shift: np.ndarray) -> np.ndarray:
        return _scalar_values(f, (x + shift).reshape(n * n, n)).reshape(n, n)

    return (at(ei + ej) - at(ei - ej) - at(ej - ei) + at(-ei - ej)) / (4.0 * h * h)


def directional_derivative(f: ScalarFunction, x: ArrayLike, v: ArrayLike, h: float = 1e-5) -> float:
    """The rate of change of f at x along v: d/dt f(x + t v) at t = 0, which equals ∇f(x) · v.

    A single central difference, (f(x + h v) - f(x - h v)) / (2h): 2 calls of f, whatever n is.
    Among unit vectors v it is largest for v = ∇f/|∇f|, the direction of steepest ascent, and there
    it equals |∇f|.

    >>> round(directional_derivative(lambda p: p[0] * p[1], [1.0, 2.0], [1.0, 0.0]), 6)
    2.0
    """
    x, h = _point(x), _check_step(h)
    v = np.asarray(v, dtype=np.float64)
    if v.shape != x.shape:
        raise ValueError(f"the direction v must have the shape of x, {x.shape}, got {v.shape}")
    ends = _scalar_values(f, np.stack([x + h * v, x - h * v]))
    return float((ends[0] - ends[1]) / (2.0 * h))
