"""Mixed Nash equilibria by support enumeration, and zero-sum games by linear programming — your implementation.

A game is two payoff matrices of shape (m, n): A[i, j] for the row player, B[i, j] for the column player.
A mixed strategy is a probability vector: x of shape (m,) for the row player, y of shape (n,) for the
column player.

Replace each `raise NotImplementedError` with code: numpy, and scipy.optimize.linprog for the linear
programs (no nashpy). Check it with `aieng check mixed-strategies`.
"""

from __future__ import annotations

from itertools import combinations  # noqa: F401  (useful for enumerating supports)

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linprog  # noqa: F401  (for zero_sum_game)


def support_enumeration(A: ArrayLike, B: ArrayLike, tol: float = 1e-9) -> list[tuple[np.ndarray, np.ndarray]]:
    """All Nash equilibria (x, y) of a nondegenerate game, by enumerating pairs of supports.

    For every k and every pair of supports I (k rows) and J (k columns): find y on J that makes the row
    player indifferent among the rows in I (A[I, J] y_J = u * 1, sum(y_J) = 1), and x on I that makes the
    column player indifferent among the columns in J (B[I, J]^T x_I = v * 1, sum(x_I) = 1). Keep the pair
    when x_I > tol and y_J > tol entrywise and no strategy outside the supports earns more:
    max(A @ y) <= u + tol and max(x @ B) <= v + tol.
    Return a list of (x of shape (m,), y of shape (n,)) pairs, in any order. Raise ValueError if A and B
    are not non-empty 2-D matrices of finite numbers with the same shape.
    """
    raise NotImplementedError


def zero_sum_game(A: ArrayLike) -> tuple[float, np.ndarray, np.ndarray]:
    """Value and optimal strategies of the zero-sum game where the column player pays A[i, j] to the row player.

    Build and solve two linear programs with scipy.optimize.linprog:
    - row player: maximize v over (x, v) subject to A^T x >= v * 1, sum(x) = 1, x >= 0 (v is free);
    - column player: minimize w over (y, w) subject to A y <= w * 1, sum(y) = 1, y >= 0 (w is free).
    Return (value, x, y) with value a float, x of shape (m,), y of shape (n,). Raise ValueError if A is
    not a non-empty 2-D matrix of finite numbers.
    """
    raise NotImplementedError
