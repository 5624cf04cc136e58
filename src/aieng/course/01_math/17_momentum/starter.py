"""Heavy-ball and Nesterov momentum — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check momentum`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def momentum_step(
    x: ArrayLike, v: ArrayLike, g: ArrayLike, lr: float, mu: float, nesterov: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One momentum update, in PyTorch's convention (torch.optim.SGD with dampening=0).

    `x` is the position, `v` the velocity (start from zeros), `g` = grad f(x); all 1-D of shape (n,).

        v_new = mu * v + g
        x_new = x - lr * v_new               (heavy ball, nesterov=False)
        x_new = x - lr * (g + mu * v_new)    (Nesterov, nesterov=True)

    Return (x_new, v_new), both shape (n,). Raise ValueError if the shapes differ or are not 1-D,
    if lr <= 0, or if mu is outside [0, 1).
    """
    raise NotImplementedError


def momentum_descent(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], ArrayLike],
    x0: ArrayLike,
    lr: float,
    mu: float = 0.9,
    *,
    nesterov: bool = False,
    tol: float = 1e-6,
    max_iter: int = 10_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimize `f` with momentum_step, starting from a copy of `x0` (shape (n,)) and v = 0.

    Same contract as gradient_descent:
    - At each iterate x_k: g = grad(x_k); if ||g||_2 <= tol, stop. Stop also after `max_iter` steps.
    - Return (x, losses): the last iterate, shape (n,), and losses[k] = f(x_k), f(x0) first, as a
      1-D float array of shape (steps + 1,).
    - Raise FloatingPointError if a loss or the iterate is not finite (the iterates diverged).
    - Raise ValueError if lr <= 0, mu is outside [0, 1), tol < 0, max_iter < 0, x0 is not a
      non-empty 1-D vector, or grad(x) does not have the shape of x.
    mu = 0 is plain gradient descent.
    """
    raise NotImplementedError
