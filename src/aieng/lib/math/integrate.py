"""Numerical integration: Riemann sums, the trapezoid and Simpson rules, double integrals, Monte Carlo.

Every rule replaces ∫_a^b f(x) dx by a weighted sum Σ w_i f(x_i) over nodes x_i. The rules differ in
where the nodes sit and how they are weighted, and so in how fast the error (approximation minus
exact value, for some ξ in [a, b]) falls as the spacing h = (b - a)/n shrinks:

====================  ==============================  =========
rule                  error                           exact for
====================  ==============================  =========
left / right Riemann  ∓(b-a)·h/2·f'(ξ)        O(h)    constants
midpoint              -(b-a)·h²/24·f''(ξ)     O(h²)   lines
trapezoid             +(b-a)·h²/12·f''(ξ)     O(h²)   lines
Simpson (n even)      +(b-a)·h⁴/180·f''''(ξ)  O(h⁴)   cubics
====================  ==============================  =========

A double integral over a rectangle applies a 1-D rule along each axis (an outer product of weights
on a meshgrid). In d dimensions a grid needs n^d points, so Monte Carlo takes over: average f at
N uniform random points, times the volume. Its error ~ σ/√N does not depend on d.

``f`` is always called on whole arrays of nodes (vectorized), never point by point. Left out:
adaptive quadrature (what scipy.integrate.quad does), Gauss rules, infinite intervals, singular
integrands and variance reduction (importance sampling, quasi-Monte Carlo).
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Function = Callable[[np.ndarray], ArrayLike]
Function2D = Callable[[np.ndarray, np.ndarray], ArrayLike]
Seed = int | np.random.Generator | None

RIEMANN_RULES = ("left", "right", "midpoint")


def _limits(a: float, b: float) -> tuple[float, float]:
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"the limits must be finite numbers, got a={a}, b={b}")
    return a, b


def _count(n: int, name: str = "n", minimum: int = 1) -> int:
    """A Python or numpy integer >= minimum (bool and 2.0 are refused: a count is not a float)."""
    if isinstance(n, bool):
        raise ValueError(f"{name} must be an integer, got {n!r}")
    try:
        count = operator.index(n)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {n!r}") from None
    if count < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {count}")
    return count


def _values(f: Callable[..., ArrayLike], *nodes: np.ndarray) -> np.ndarray:
    """f at the nodes, broadcast to their shape (a constant f may return a single number)."""
    return np.broadcast_to(np.asarray(f(*nodes), dtype=np.float64), nodes[0].shape)


def riemann_sum(f: Function, a: float, b: float, n: int, rule: str = "midpoint") -> float:
    """h · Σ f(x_i) over n sub-intervals of width h = (b - a)/n, sampled at each one's left end,
    right end or midpoint.

    Left and right sums are first order (sum - exact = ∓(b-a)·h/2·f'(ξ)). The midpoint sum is
    second order (sum - exact = -(b-a)·h²/24·f''(ξ)). One call of f on n nodes, O(n).

    >>> riemann_sum(lambda x: x, 0.0, 1.0, 4, "left"), riemann_sum(lambda x: x, 0.0, 1.0, 4, "midpoint")
    (0.375, 0.5)
    """
    a, b = _limits(a, b)
    n = _count(n)
    offset = {"left": 0.0, "right": 1.0, "midpoint": 0.5}.get(rule)
    if offset is None:
        raise ValueError(f"rule must be one of {RIEMANN_RULES}, got {rule!r}")
    h = (b - a) / n
    nodes = a + h * (np.arange(n) + offset)
    return float(h * _values(f, nodes).sum())


def _trapezoid_weights(a: float, b: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes (n + 1,) and weights h·[1/2, 1, ..., 1, 1/2] of the composite trapezoid rule."""
    nodes = np.linspace(a, b, n + 1)
    weights = np.full(n + 1, (b - a) / n)
    weights[[0, -1]] /= 2
    return nodes, weights


def _simpson_weights(a: float, b: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes (n + 1,) and weights h/3·[1, 4, 2, 4, ..., 2, 4, 1] of composite Simpson (n even)."""
    if n % 2:
        raise ValueError(f"Simpson's rule needs an even number of sub-intervals, got n = {n}")
    nodes = np.linspace(a, b, n + 1)
    weights = np.full(n + 1, 2.0)
    weights[1::2] = 4.0
    weights[[0, -1]] = 1.0
    return nodes, weights * (b - a) / (3 * n)


def trapezoid(f: Function, a: float, b: float, n: int) -> float:
    """Composite trapezoid rule on n sub-intervals: h·[f(x_0)/2 + f(x_1) + ... + f(x_{n-1}) + f(x_n)/2].

    It joins neighbouring points by straight lines. T - exact = (b-a)·h²/12·f''(ξ): second order,
    exact for lines. One call of f on n + 1 nodes.

    >>> round(trapezoid(np.square, 0.0, 1.0, 2), 6)  # 1/3 + h²/6
    0.375
    """
    a, b = _limits(a, b)
    nodes, weights = _trapezoid_weights(a, b, _count(n))
    return float(weights @ _values(f, nodes))


def simpson(f: Function, a: float, b: float, n: int) -> float:
    """Composite Simpson's rule on n (even) sub-intervals: h/3·[f_0 + 4f_1 + 2f_2 + ... + 4f_{n-1} + f_n].

    A parabola through each pair of sub-intervals. S - exact = (b-a)·h⁴/180·f''''(ξ): fourth order,
    and exact for cubics. Raises ValueError for odd n. One call of f on n + 1 nodes.

    >>> round(simpson(lambda x: x**3, 0.0, 2.0, 2), 12)  # exactly 4
    4.0
    """
    a, b = _limits(a, b)
    nodes, weights = _simpson_weights(a, b, _count(n))
    return float(weights @ _values(f, nodes))


def double_integral(
    f: Function2D, ax: float, bx: float, ay: float, by: float, nx: int = 64, ny: int = 64, rule: str = "simpson"
) -> float:
    """∫_ax^bx ∫_ay^by f(x, y) dy dx over a rectangle, by a 1-D rule along each axis.

    With 1-D weights w (for x) and v (for y), the integral ≈ Σ_i Σ_j w_i v_j f(x_i, y_j) = wᵀ F v,
    where F = f(X, Y) on the meshgrid (indexing="ij"), of shape (nx + 1, ny + 1). `rule` is
    "simpson" (nx and ny even; error O(h⁴)) or "trapezoid" (O(h²)). One call of f on all
    (nx + 1)(ny + 1) nodes.

    >>> round(double_integral(lambda x, y: x * y, 0, 1, 0, 2, 2, 2), 12)  # (1/2)·2
    1.0
    """
    ax, bx = _limits(ax, bx)
    ay, by = _limits(ay, by)
    nx, ny = _count(nx, "nx"), _count(ny, "ny")
    if rule == "simpson":
        (x, wx), (y, wy) = _simpson_weights(ax, bx, nx), _simpson_weights(ay, by, ny)
    elif rule == "trapezoid":
        (x, wx), (y, wy) = _trapezoid_weights(ax, bx, nx), _trapezoid_weights(ay, by, ny)
    else:
        raise ValueError(f"rule must be 'simpson' or 'trapezoid', got {rule!r}")
    grid_x, grid_y = np.meshgrid(x, y, indexing="ij")
    return float(wx @ _values(f, grid_x, grid_y) @ wy)


def _box(lower: ArrayLike, upper: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    lower = np.atleast_1d(np.asarray(lower, dtype=np.float64))
    upper = np.atleast_1d(np.asarray(upper, dtype=np.float64))
    if lower.ndim != 1 or lower.shape != upper.shape or lower.size == 0:
        raise ValueError(f"lower and upper must be 1-D arrays of one length d, got {lower.shape} and {upper.shape}")
    if not (np.all(np.isfinite(lower)) and np.all(np.isfinite(upper)) and np.all(upper > lower)):
        raise ValueError("each upper bound must be finite and larger than its lower bound")
    return lower, upper


def monte_carlo(
    f: Function, lower: ArrayLike, upper: ArrayLike, n: int = 100_000, seed: Seed = None
) -> tuple[float, float]:
    """Monte Carlo estimate of ∫ f over the box [lower, upper] in d dimensions, and its standard error.

    Draw X_1..X_n uniformly in the box (an (n, d) array; f maps it to shape (n,)), then
    estimate = V · mean f(X_k), standard error = V · std(f(X_k), ddof=1) / √n, where V is the box's
    volume. The error falls like 1/√n whatever d is. `seed` is an int or a numpy Generator: the same
    seed gives the same estimate. O(n·d) plus n evaluations of f in one call.

    >>> estimate, error = monte_carlo(lambda p: p[:, 0] * p[:, 1], [0, 0], [1, 1], 40_000, seed=0)
    >>> abs(estimate - 0.25) < 4 * error
    True
    """
    lower, upper = _box(lower, upper)
    n = _count(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    points = lower + (upper - lower) * rng.random((n, lower.size))
    values = np.asarray(f(points), dtype=np.float64)
    if values.shape != (n,):
        raise ValueError(f"f must map an (n, d) array of points to shape (n,), got shape {values.shape}")
    volume = float(np.prod(upper - lower))
    return float(volume * values.mean()), float(volume * values.std(ddof=1) / np.sqrt(n))


def estimate_pi(n: int = 100_000, seed: Seed = None) -> tuple[float, float]:
    """π by Monte Carlo: 4 × the fraction of uniform points in [0, 1]² with x² + y² <= 1, and its standard error.

    The fraction estimates the quarter disc's area π/4. Its standard error is
    4·√(p(1 - p)/n) with p = π/4, about 1.64/√n: every extra digit costs 100 times more points.

    >>> estimate, error = estimate_pi(100_000, seed=1)
    >>> abs(estimate - np.pi) < 4 * error
    True
    """
    n = _count(n, "n", minimum=2)
    points = np.random.default_rng(seed).random((n, 2))
    inside = (np.square(points).sum(axis=1) <= 1.0).astype(np.float64)
    return float(4.0 * inside.mean()), float(4.0 * inside.std(ddof=1) / np.sqrt(n))
