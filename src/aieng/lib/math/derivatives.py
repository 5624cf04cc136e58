"""Finite differences: derivatives from function values alone.

A derivative is the limit of a difference quotient. Stop before the limit, at a small step ``h``,
and you get an approximation whose error has two parts that pull in opposite directions:

- **truncation error** from cutting the Taylor series: ``O(h)`` for the one-sided (forward, backward)
  quotients, ``O(h^2)`` for the central quotient and the second-derivative stencil;
- **round-off error** from subtracting two nearly equal floats: about ``eps * |f| / h``
  (``eps / h^2`` for the second derivative), which *grows* as ``h`` shrinks.

Balancing the two gives the step sizes of `optimal_step`. Every function here is vectorized: ``f``
is called on whole arrays, never once per point. Left out: higher-order stencils, Richardson
extrapolation, complex-step differentiation and adaptive step selection.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Function = Callable[[np.ndarray], ArrayLike]

EPS = float(np.finfo(np.float64).eps)  # 2.22e-16: the gap between 1.0 and the next float64

# Truncation order p of each method; the optimal step scales like eps ** (1 / (p + d)), with d the
# derivative's order (the power of h that round-off is divided by).
_STEP_POWER = {"forward": 1 / 2, "backward": 1 / 2, "central": 1 / 3, "second": 1 / 4}


def optimal_step(x: ArrayLike, method: str = "central") -> np.ndarray | float:
    """The step that balances truncation and round-off error, for each point of `x`.

    ``h* = eps**(1/2) * max(1, |x|)`` for "forward" and "backward" (error O(h) + eps/h),
    ``h* = eps**(1/3) * max(1, |x|)`` for "central" (O(h^2) + eps/h) and
    ``h* = eps**(1/4) * max(1, |x|)`` for "second" (O(h^2) + eps/h^2). The factor ``max(1, |x|)``
    makes the step relative for large ``|x|``, where the float spacing near x grows with ``|x|``.
    Constants of order one that depend on f are dropped. Same shape as `x` (a float for scalar x).

    >>> float(optimal_step(0.0, "forward"))  # sqrt(eps)
    1.4901161193847656e-08
    """
    if method not in _STEP_POWER:
        raise ValueError(f"method must be one of {sorted(_STEP_POWER)}, got {method!r}")
    x = np.asarray(x, dtype=np.float64)
    h = EPS ** _STEP_POWER[method] * np.maximum(1.0, np.abs(x))
    return float(h) if h.ndim == 0 else h


def _prepare(x: ArrayLike, h: float | None, method: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    if h is None:
        return x, np.asarray(optimal_step(x, method))
    if not np.isscalar(h) or not np.isfinite(h) or h <= 0:
        raise ValueError(f"the step h must be a positive finite number, got {h!r}")
    return x, np.asarray(float(h))


def _evaluate(f: Function, points: np.ndarray) -> np.ndarray:
    """f on an array of points, broadcast to the points' shape (a constant f may return a scalar)."""
    return np.broadcast_to(np.asarray(f(points), dtype=np.float64), points.shape)


def _finish(result: np.ndarray) -> np.ndarray | float:
    return float(result) if result.ndim == 0 else result


def forward_difference(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f'(x) ≈ (f(x + h) - f(x)) / h, elementwise over `x` (any shape; a float for scalar x).

    Error ≈ (h/2)|f''(x)| + 2 eps |f| / h. `f` must accept and return arrays of x's shape; it is
    called twice in all. ``h=None`` uses ``optimal_step(x, "forward")``.

    >>> round(forward_difference(np.square, 3.0, 1e-3), 6)  # 2*3 + h
    6.001
    """
    x, h = _prepare(x, h, "forward")
    return _finish((_evaluate(f, x + h) - _evaluate(f, x)) / h)


def backward_difference(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f'(x) ≈ (f(x) - f(x - h)) / h, elementwise over `x`. Same error and contract as forward.

    >>> round(backward_difference(np.square, 3.0, 1e-3), 6)  # 2*3 - h
    5.999
    """
    x, h = _prepare(x, h, "backward")
    return _finish((_evaluate(f, x) - _evaluate(f, x - h)) / h)


def central_difference(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f'(x) ≈ (f(x + h) - f(x - h)) / (2h), elementwise over `x`.

    The even Taylor terms cancel, so the error is ≈ (h^2/6)|f'''(x)| + eps |f| / h: second order.
    ``h=None`` uses ``optimal_step(x, "central")``.

    >>> round(central_difference(np.square, 3.0, 1e-3), 9)  # exact for quadratics
    6.0
    """
    x, h = _prepare(x, h, "central")
    return _finish((_evaluate(f, x + h) - _evaluate(f, x - h)) / (2.0 * h))


def second_derivative(f: Function, x: ArrayLike, h: float | None = None) -> np.ndarray | float:
    """f''(x) ≈ (f(x + h) - 2 f(x) + f(x - h)) / h^2, elementwise over `x`.

    Error ≈ (h^2/12)|f''''(x)| + 4 eps |f| / h^2: round-off is divided by h^2, so the best step is
    larger, about eps**(1/4). ``h=None`` uses ``optimal_step(x, "second")``.

    >>> round(second_derivative(np.square, 3.0, 1e-3), 6)
    2.0
    """
    x, h = _prepare(x, h, "second")
    return _finish((_evaluate(f, x + h) - 2.0 * _evaluate(f, x) + _evaluate(f, x - h)) / (h * h))
