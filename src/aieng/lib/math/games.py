"""Two-player normal-form games: best responses, dominance, pure and mixed Nash equilibria, zero-sum games.

A bimatrix game is a pair of m x n payoff matrices: when the row player plays i and the column player
plays j, the row player gets ``A[i, j]`` and the column player ``B[i, j]``. A mixed strategy is a
probability vector, ``x`` of shape (m,) for the row player and ``y`` of shape (n,) for the column
player; the expected payoffs are ``x @ A @ y`` and ``x @ B @ y``. A pure strategy is a one-hot vector.

Implemented: best responses to any (pure or mixed) strategy; iterated elimination of strictly
dominated strategies (domination by another *pure* strategy); all pure Nash equilibria; all Nash
equilibria of a nondegenerate game by support enumeration; the value and optimal strategies of a
zero-sum game by linear programming (the minimax theorem).

Left out: domination by mixed strategies, degenerate games (a continuum of equilibria, which support
enumeration cannot list), Lemke-Howson and vertex enumeration, games with more than two players,
extensive-form (sequential) games.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linprog


def _payoff_matrix(M: ArrayLike, name: str) -> np.ndarray:
    M = np.asarray(M, dtype=np.float64)
    if M.ndim != 2 or 0 in M.shape:
        raise ValueError(f"{name} must be a non-empty 2-D payoff matrix, got an array of shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} has NaN or infinite payoffs")
    return M


def _game(A: ArrayLike, B: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    A, B = _payoff_matrix(A, "A"), _payoff_matrix(B, "B")
    if A.shape != B.shape:
        raise ValueError(f"A and B must have the same shape, got {A.shape} and {B.shape}")
    return A, B


def _strategy(s: ArrayLike, size: int, name: str) -> np.ndarray:
    s = np.asarray(s, dtype=np.float64)
    if s.shape != (size,):
        raise ValueError(f"{name} must be a probability vector of shape ({size},), got shape {s.shape}")
    if np.any(s < -1e-12) or abs(s.sum() - 1.0) > 1e-9:
        raise ValueError(f"{name} must be non-negative and sum to 1, got {s}")
    return s


def row_best_responses(A: ArrayLike, y: ArrayLike, tol: float = 1e-9) -> np.ndarray:
    """The row player's pure best responses to the column strategy `y`: indices i maximizing ``(A @ y)[i]``.

    `A` has shape (m, n), `y` shape (n,) (one-hot for a pure strategy). Every row whose expected payoff
    is within `tol` of the best counts, so ties are all returned, in increasing order. Any mix of them
    is a best response too. Cost: O(mn).

    >>> row_best_responses([[3, 0], [5, 1]], [1.0, 0.0])   # prisoner's dilemma: defect (1) against cooperate
    array([1])
    >>> row_best_responses([[1, -1], [-1, 1]], [0.5, 0.5])  # matching pennies: indifferent
    array([0, 1])
    """
    A = _payoff_matrix(A, "A")
    payoffs = A @ _strategy(y, A.shape[1], "y")
    return np.flatnonzero(payoffs >= payoffs.max() - tol)


def column_best_responses(B: ArrayLike, x: ArrayLike, tol: float = 1e-9) -> np.ndarray:
    """The column player's pure best responses to the row strategy `x`: indices j maximizing ``(x @ B)[j]``.

    `B` has shape (m, n), `x` shape (m,). It is `row_best_responses` seen from the other side:
    ``column_best_responses(B, x) == row_best_responses(B.T, x)``. Cost: O(mn).

    >>> column_best_responses([[3, 5], [0, 1]], [0.0, 1.0])
    array([1])
    """
    return row_best_responses(np.asarray(B, dtype=np.float64).T, x, tol)


def iterated_elimination(A: ArrayLike, B: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Iterated elimination of strictly dominated pure strategies; returns the surviving (rows, columns).

    Row i is strictly dominated by row k when ``A[k, j] > A[i, j]`` for every remaining column j (and
    likewise for columns with B). Removing such strategies never removes a Nash equilibrium, and the
    survivors do not depend on the order of removal, so each round removes all currently dominated
    strategies at once, until none is left. Returns two increasing index arrays into the original game.
    Cost: O(m^2 n + m n^2) per round, at most m + n rounds.

    >>> iterated_elimination([[3, 0], [5, 1]], [[3, 5], [0, 1]])   # prisoner's dilemma
    (array([1]), array([1]))
    """
    A, B = _game(A, B)
    rows, cols = np.arange(A.shape[0]), np.arange(A.shape[1])
    while True:
        a = A[np.ix_(rows, cols)]  # (r, c): beats[k, i] says row k strictly dominates row i
        row_dominated = (a[:, None, :] > a[None, :, :]).all(axis=2).any(axis=0)
        b = B[np.ix_(rows, cols)].T  # (c, r)
        col_dominated = (b[:, None, :] > b[None, :, :]).all(axis=2).any(axis=0)
        if not (row_dominated.any() or col_dominated.any()):
            return rows, cols
        rows, cols = rows[~row_dominated], cols[~col_dominated]


def pure_nash_equilibria(A: ArrayLike, B: ArrayLike, tol: float = 1e-9) -> list[tuple[int, int]]:
    """All pure Nash equilibria (i, j): row i is a best response to column j, and j to i.

    Vectorized: ``A[i, j] >= max_k A[k, j] - tol`` (i is best in its column of A) and
    ``B[i, j] >= max_l B[i, l] - tol`` (j is best in its row of B). Returned in increasing (i, j)
    order; possibly empty (matching pennies has none). Cost: O(mn).

    >>> pure_nash_equilibria([[2, 0], [0, 1]], [[1, 0], [0, 2]])   # battle of the sexes
    [(0, 0), (1, 1)]
    """
    A, B = _game(A, B)
    row_best = A.max(axis=0, keepdims=True) - tol <= A  # best row within each column
    col_best = B.max(axis=1, keepdims=True) - tol <= B  # best column within each row
    return [(int(i), int(j)) for i, j in np.argwhere(row_best & col_best)]


def _indifferent_mix(M: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The mix p (shape (k,)) over the columns of the k x k matrix M that equalizes its rows.

    Solves ``M p = u * 1, sum(p) = 1`` for (p, u) as one (k+1) x (k+1) linear system. None if singular.
    """
    k = M.shape[0]
    system = np.zeros((k + 1, k + 1))
    system[:k, :k], system[:k, k], system[k, :k] = M, -1.0, 1.0
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    try:
        solution = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        return None
    return solution[:k], float(solution[k])


def support_enumeration(A: ArrayLike, B: ArrayLike, tol: float = 1e-9) -> list[tuple[np.ndarray, np.ndarray]]:
    """All Nash equilibria (x, y) of a nondegenerate bimatrix game, by enumerating supports.

    In a nondegenerate game both supports of an equilibrium have the same size k. For each pair of
    supports I (rows) and J (columns) of size k: choose y on J so the row player is indifferent among
    I (``A[I, J] y_J = u 1``), and x on I so the column player is indifferent among J
    (``B[I, J]^T x_I = v 1``). Keep the pair if both are probability vectors, positive on their
    supports, and no strategy outside earns more: ``max(A @ y) <= u + tol``, ``max(B^T x) <= v + tol``.
    Returns a list of (x of shape (m,), y of shape (n,)), by support size; a nondegenerate game has an
    odd number of equilibria. Degenerate games may have equilibria this misses.
    Cost: sum over k of C(m, k) C(n, k) solves of size k + 1: exponential, fine for small games.

    >>> [(x.tolist(), y.tolist()) for x, y in support_enumeration([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])]
    [([0.5, 0.5], [0.5, 0.5])]
    """
    A, B = _game(A, B)
    m, n = A.shape
    equilibria = []
    for k in range(1, min(m, n) + 1):
        for rows in map(list, combinations(range(m), k)):
            for cols in map(list, combinations(range(n), k)):
                column_mix = _indifferent_mix(A[np.ix_(rows, cols)])  # y on cols: rows indifferent
                row_mix = _indifferent_mix(B[np.ix_(rows, cols)].T)  # x on rows: cols indifferent
                if column_mix is None or row_mix is None:
                    continue
                (y_J, u), (x_I, v) = column_mix, row_mix
                if np.any(y_J <= tol) or np.any(x_I <= tol):
                    continue
                x, y = np.zeros(m), np.zeros(n)
                x[rows], y[cols] = x_I, y_J
                if (A @ y).max() <= u + tol and (x @ B).max() <= v + tol:
                    equilibria.append((x, y))
    return equilibria


def zero_sum_game(A: ArrayLike) -> tuple[float, np.ndarray, np.ndarray]:
    """Value and optimal strategies of the zero-sum game where the row player wins ``A[i, j]`` from the column player.

    The row player's maximin strategy solves the linear program
    ``max v  s.t.  A^T x >= v 1, sum(x) = 1, x >= 0`` (x guarantees at least v against every column);
    the column player's minimax strategy solves ``min w  s.t.  A y <= w 1, sum(y) = 1, y >= 0``.
    The minimax theorem says v = w: that common number is the value. Returns (value, x of shape (m,),
    y of shape (n,)). Both LPs are solved with scipy.optimize.linprog (HiGHS). Cost: polynomial in m, n.

    >>> value, x, y = zero_sum_game([[2, -1], [-1, 1]])   # no saddle point: both players mix
    >>> round(value, 9), x.round(9).tolist(), y.round(9).tolist()
    (0.2, [0.4, 0.6], [0.4, 0.6])
    """
    A = _payoff_matrix(A, "A")
    m, n = A.shape
    # row player, variables (x_1..x_m, v): minimize -v  s.t.  v - (A^T x)_j <= 0,  sum x = 1
    row = linprog(
        c=np.r_[np.zeros(m), -1.0],
        A_ub=np.c_[-A.T, np.ones(n)], b_ub=np.zeros(n),
        A_eq=np.r_[np.ones(m), 0.0][None, :], b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)], method="highs",
    )
    # column player, variables (y_1..y_n, w): minimize w  s.t.  (A y)_i - w <= 0,  sum y = 1
    col = linprog(
        c=np.r_[np.zeros(n), 1.0],
        A_ub=np.c_[A, -np.ones(m)], b_ub=np.zeros(m),
        A_eq=np.r_[np.ones(n), 0.0][None, :], b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)], method="highs",
    )
    if row.status != 0 or col.status != 0:
        raise RuntimeError(f"the linear program failed: {row.message} / {col.message}")
    x, y = np.clip(row.x[:m], 0.0, None), np.clip(col.x[:n], 0.0, None)
    return float(row.x[m]), x / x.sum(), y / y.sum()
