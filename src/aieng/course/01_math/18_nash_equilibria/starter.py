"""Best responses, dominated strategies and pure Nash equilibria — your implementation.

A game is two payoff matrices of shape (m, n): A[i, j] for the row player, B[i, j] for the column player,
when row plays i and column plays j. A mixed strategy is a probability vector: x of shape (m,) for the
row player, y of shape (n,) for the column player; a pure strategy is a one-hot vector.

Replace each `raise NotImplementedError` with code (numpy only: no nashpy). Check it with
`aieng check nash-equilibria`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def row_best_responses(A: ArrayLike, y: ArrayLike, tol: float = 1e-9) -> np.ndarray:
    """The row player's pure best responses to the column strategy `y`, shape (n,).

    Return the indices i (a 1-D integer array, increasing) whose expected payoff (A @ y)[i] is within
    `tol` of the largest one. Raise ValueError if A is not a non-empty 2-D matrix of finite numbers, or
    if y is not a probability vector of shape (n,) (non-negative, summing to 1).
    """
    raise NotImplementedError


def column_best_responses(B: ArrayLike, x: ArrayLike, tol: float = 1e-9) -> np.ndarray:
    """The column player's pure best responses to the row strategy `x`, shape (m,).

    Return the indices j (a 1-D integer array, increasing) whose expected payoff (x @ B)[j] is within
    `tol` of the largest one. Same ValueError rules as row_best_responses.
    """
    raise NotImplementedError


def iterated_elimination(A: ArrayLike, B: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Iterated elimination of strictly dominated pure strategies.

    Row i is strictly dominated when another remaining row k has A[k, j] > A[i, j] for every remaining
    column j; column j is strictly dominated when another remaining column l has B[i, l] > B[i, j] for
    every remaining row i. Remove dominated strategies and repeat until none is left.
    Return (rows, columns): the surviving indices into the original game, each a 1-D integer array in
    increasing order. Raise ValueError if A and B are not non-empty 2-D matrices of the same shape.
    """
    raise NotImplementedError


def pure_nash_equilibria(A: ArrayLike, B: ArrayLike, tol: float = 1e-9) -> list[tuple[int, int]]:
    """All pure Nash equilibria: pairs (i, j) where row i is a best response to column j and j to i.

    "Best" allows ties within `tol`. Return a list of (int, int) pairs sorted increasingly (possibly
    empty). Raise ValueError if A and B are not non-empty 2-D matrices of the same shape.
    """
    raise NotImplementedError
