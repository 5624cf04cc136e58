"""First-order optimization: gradient descent, heavy-ball momentum and Nesterov momentum.

Each method minimizes a differentiable ``f: R^n -> R`` using only its gradient, one cheap step at a
time, which is how every neural network is trained:

- gradient descent      ``x <- x - lr * grad f(x)``
- heavy-ball momentum   ``v <- mu * v + grad f(x)``;  ``x <- x - lr * v``
- Nesterov momentum     ``v <- mu * v + grad f(x)``;  ``x <- x - lr * (grad f(x) + mu * v)``

The momentum updates follow PyTorch's ``torch.optim.SGD`` (``dampening=0``; ``nesterov=True`` for the
third), so ``lr`` and ``mu`` mean exactly what they mean there. ``is_convex_quadratic`` tells whether
``1/2 x^T A x - b^T x`` is convex, from the eigenvalues of the symmetric part of ``A``.

Left out: line searches, stochastic (mini-batch) gradients, weight decay, adaptive methods (Adam,
RMSProp), constraints. Cost per step: one gradient evaluation plus O(n) vector arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

Objective = Callable[[np.ndarray], float]
Gradient = Callable[[np.ndarray], ArrayLike]


def _check_settings(x0: ArrayLike, lr: float, tol: float, max_iter: int) -> np.ndarray:
    x = np.array(x0, dtype=np.float64)  # a copy: the caller's array is never modified
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x0 must be a non-empty 1-D vector, got an array of shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 must be finite (no NaN or inf)")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning rate must be a positive number, got lr={lr}")
    if not (tol >= 0):
        raise ValueError(f"tol must be >= 0, got {tol}")
    if int(max_iter) != max_iter or max_iter < 0:
        raise ValueError(f"max_iter must be a non-negative integer, got {max_iter}")
    return x


def _gradient(grad: Gradient, x: np.ndarray) -> np.ndarray:
    g = np.asarray(grad(x), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"grad(x) must have the shape of x, {x.shape}; got {g.shape}")
    return g


def _loss(f: Objective, x: np.ndarray, k: int, lr: float) -> float:
    value = float(f(x))
    if not (np.isfinite(value) and np.all(np.isfinite(x))):
        raise FloatingPointError(
            f"diverged: f(x) = {value} after {k} steps. The steps overshoot and grow; "
            f"try a smaller learning rate than lr={lr}"
        )
    return value


def gradient_descent(
    f: Objective,
    grad: Gradient,
    x0: ArrayLike,
    lr: float,
    *,
    tol: float = 1e-6,
    max_iter: int = 10_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimize `f` by plain gradient descent, ``x_{k+1} = x_k - lr * grad(x_k)``.

    Stops before stepping once ``||grad(x_k)||_2 <= tol``, or after `max_iter` steps. Returns
    ``(x, losses)``: the last iterate, shape (n,), and ``losses[k] = f(x_k)`` for every iterate
    including ``x_0``, shape (steps + 1,). If f(x) or x stops being finite (the iterates blew up, the
    signature of a learning rate above 2/L) it raises FloatingPointError instead of returning garbage.

    Cost: one call of `grad` and `f` per step, O(n) arithmetic.

    >>> x, losses = gradient_descent(lambda x: x @ x, lambda x: 2 * x, [1.0], lr=0.25, tol=0.0, max_iter=3)
    >>> x, losses   # each step halves x: x_k = 0.5**k
    (array([0.125]), array([1.      , 0.25    , 0.0625  , 0.015625]))
    """
    x = _check_settings(x0, lr, tol, max_iter)
    with np.errstate(over="ignore", invalid="ignore"):
        losses = [_loss(f, x, 0, lr)]
        for k in range(1, max_iter + 1):
            g = _gradient(grad, x)
            if np.linalg.norm(g) <= tol:
                break
            x = x - lr * g
            losses.append(_loss(f, x, k, lr))
    return x, np.array(losses)


def is_convex_quadratic(A: ArrayLike, tol: float = 1e-10) -> bool:
    """Whether ``f(x) = 1/2 x^T A x - b^T x`` is convex (for any b), for a square matrix `A` (n, n).

    The Hessian of f is the symmetric part ``S = (A + A^T) / 2`` (``x^T A x = x^T S x``), and f is
    convex exactly when S is positive semidefinite: its smallest eigenvalue is >= 0. Round-off is
    forgiven: the test is ``lambda_min >= -tol * max(1, max|lambda|)``. Cost: O(n^3) for eigvalsh.

    >>> is_convex_quadratic([[2.0, 0.0], [0.0, 1.0]]), is_convex_quadratic([[1.0, 0.0], [0.0, -1.0]])
    (True, False)
    >>> is_convex_quadratic([[1.0, 4.0], [0.0, 1.0]])   # eigenvalues of A are 1, 1, but S has -1 and 3
    False
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.size == 0:
        raise ValueError(f"A must be a non-empty square matrix, got an array of shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("A must be finite (no NaN or inf)")
    eigenvalues = np.linalg.eigvalsh((A + A.T) / 2)  # ascending
    scale = max(1.0, float(np.abs(eigenvalues).max()))
    return bool(eigenvalues[0] >= -tol * scale)


def momentum_step(
    x: ArrayLike, v: ArrayLike, g: ArrayLike, lr: float, mu: float, nesterov: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One momentum update from position `x`, velocity `v` and gradient ``g = grad f(x)``, all (n,).

    PyTorch's convention (``torch.optim.SGD``, ``dampening=0``)::

        v_new = mu * v + g
        x_new = x - lr * v_new               (heavy ball)
        x_new = x - lr * (g + mu * v_new)    (Nesterov)

    Returns ``(x_new, v_new)``; start from ``v = 0``. With ``mu = 0`` both are gradient descent.
    Cost: O(n).

    >>> momentum_step([1.0], [1.0], [1.0], lr=0.1, mu=0.5)                 # v_new = 0.5 + 1
    (array([0.85]), array([1.5]))
    >>> momentum_step([1.0], [1.0], [1.0], lr=0.1, mu=0.5, nesterov=True)  # step = 1 + 0.5 * 1.5
    (array([0.825]), array([1.5]))
    """
    x, v, g = (np.asarray(a, dtype=np.float64) for a in (x, v, g))
    if not (x.ndim == 1 and x.shape == v.shape == g.shape):
        raise ValueError(f"x, v and g must be 1-D of the same shape, got {x.shape}, {v.shape}, {g.shape}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning rate must be a positive number, got lr={lr}")
    if not (0 <= mu < 1):
        raise ValueError(f"the momentum mu must be in [0, 1), got mu={mu}")
    v_new = mu * v + g
    step = g + mu * v_new if nesterov else v_new
    return x - lr * step, v_new


def momentum_descent(
    f: Objective,
    grad: Gradient,
    x0: ArrayLike,
    lr: float,
    mu: float = 0.9,
    *,
    nesterov: bool = False,
    tol: float = 1e-6,
    max_iter: int = 10_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimize `f` with heavy-ball (or, with ``nesterov=True``, Nesterov) momentum from ``v_0 = 0``.

    Same contract as `gradient_descent`: stops before stepping once ``||grad(x_k)||_2 <= tol`` or
    after `max_iter` steps, returns ``(x, losses)`` with ``losses[k] = f(x_k)``, shape (steps + 1,), and
    raises FloatingPointError when the iterates blow up. ``0 <= mu < 1``; ``mu = 0`` is plain gradient
    descent. On an ill-conditioned quadratic (condition number kappa) it needs about sqrt(kappa)
    times fewer steps than gradient descent when lr and mu are tuned. Cost: O(n) per step.

    >>> x, losses = momentum_descent(lambda x: x @ x, lambda x: 2 * x, [1.0], lr=0.25, mu=0.5, max_iter=2)
    >>> x   # v_1 = 2, x_1 = 0.5; v_2 = 0.5 * 2 + 1 = 2, x_2 = 0.5 - 0.25 * 2 = 0
    array([0.])
    """
    x = _check_settings(x0, lr, tol, max_iter)
    if not (0 <= mu < 1):
        raise ValueError(f"the momentum mu must be in [0, 1), got mu={mu}")
    v = np.zeros_like(x)
    with np.errstate(over="ignore", invalid="ignore"):
        losses = [_loss(f, x, 0, lr)]
        for k in range(1, max_iter + 1):
            g = _gradient(grad, x)
            if np.linalg.norm(g) <= tol:
                break
            x, v = momentum_step(x, v, g, lr, mu, nesterov)
            losses.append(_loss(f, x, k, lr))
    return x, np.array(losses)
