"""Solving square linear systems ``A x = b``: Gaussian elimination and the LU decomposition.

Elimination with partial pivoting turns ``A x = b`` into an upper-triangular system ``U x = c`` that
back substitution solves from the last unknown up. Recording the multipliers instead of applying them
to b gives the factorization ``A = P L U`` (P a permutation, L unit lower triangular, U upper
triangular): O(n^3) once, after which every new right-hand side costs only two O(n^2) triangular
solves. Partial pivoting (the largest |entry| of the column as pivot) keeps every multiplier at most 1,
which is what makes the method stable in practice.

A pivot counts as zero (the matrix as singular) when ``|pivot| <= RELATIVE_TOL * max|a_ij|``.

Left out: complete and rook pivoting, blocked (cache-aware) factorization as in LAPACK's getrf,
iterative refinement, banded/sparse/symmetric special cases (Cholesky, LDL^T), rectangular LU.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

RELATIVE_TOL = 1e-10
"""A pivot with ``|p| <= RELATIVE_TOL * max|a_ij|`` counts as zero: the matrix is treated as singular."""


def _as_square(a: ArrayLike, what: str) -> np.ndarray:
    """`a` as a float64 square 2-D array (a fresh copy, safe to modify), or ValueError."""
    a = np.array(a, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{what} needs a square 2-D matrix, got an array of shape {a.shape}")
    return a


def _as_rhs(b: ArrayLike, n: int, what: str) -> np.ndarray:
    """The right-hand side as a float64 copy of shape (n,) or (n, k), or ValueError."""
    b = np.array(b, dtype=np.float64)
    if b.ndim not in (1, 2) or b.shape[0] != n:
        raise ValueError(f"{what}: the right-hand side must have shape ({n},) or ({n}, k), got {b.shape}")
    return b


def _zero_tol(a: np.ndarray) -> float:
    return RELATIVE_TOL * float(np.abs(a).max()) if a.size else 0.0


def back_substitution(U: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Solve ``U x = b`` for upper-triangular U (n, n); b and x have shape (n,) or (n, k).

    From the last row up: ``x_i = (b_i - sum_{j > i} U_ij x_j) / U_ii``. Only the upper triangle of U
    is read. O(n^2) per right-hand side. Raises ValueError on a (numerically) zero diagonal entry.

    >>> back_substitution([[2.0, 1.0], [0.0, 4.0]], [4.0, 8.0])
    array([1., 2.])
    """
    U = _as_square(U, "back_substitution")
    x = _as_rhs(b, U.shape[0], "back_substitution")
    diagonal = np.diagonal(U)
    if np.any(np.abs(diagonal) <= _zero_tol(U)):
        raise ValueError("back_substitution: U has a zero on its diagonal (the system is singular)")
    for i in range(U.shape[0] - 1, -1, -1):
        x[i] = (x[i] - U[i, i + 1 :] @ x[i + 1 :]) / diagonal[i]
    return x


def forward_substitution(L: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Solve ``L y = b`` for lower-triangular L (n, n); b and y have shape (n,) or (n, k).

    From the first row down: ``y_i = (b_i - sum_{j < i} L_ij y_j) / L_ii`` (L_ii = 1 for the L of an LU
    factorization). Only the lower triangle of L is read. O(n^2) per right-hand side. Raises ValueError
    on a (numerically) zero diagonal entry.

    >>> forward_substitution([[1.0, 0.0], [3.0, 1.0]], [2.0, 7.0])
    array([2., 1.])
    """
    L = _as_square(L, "forward_substitution")
    y = _as_rhs(b, L.shape[0], "forward_substitution")
    diagonal = np.diagonal(L)
    if np.any(np.abs(diagonal) <= _zero_tol(L)):
        raise ValueError("forward_substitution: L has a zero on its diagonal (the system is singular)")
    for i in range(L.shape[0]):
        y[i] = (y[i] - L[i, :i] @ y[:i]) / diagonal[i]
    return y


def solve(A: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Solve ``A x = b`` by Gaussian elimination with partial pivoting, then back substitution.

    A is (n, n); b is (n,) or (n, k) (k right-hand sides at once); x has b's shape. Elimination runs on
    the augmented matrix ``[A | b]``: for each column, swap up the row with the largest |entry|, then
    subtract multiples of it from the rows below. O(n^3 + n^2 k). Raises ValueError when a pivot is
    ``<= RELATIVE_TOL * max|a_ij|`` (singular A) or the shapes do not fit. The inputs are not modified.

    >>> solve([[1e-20, 1.0], [1.0, 1.0]], [1.0, 2.0])  # needs the row swap
    array([1., 1.])
    """
    A = _as_square(A, "solve")
    b = _as_rhs(b, A.shape[0], "solve")
    n = A.shape[0]
    tol = _zero_tol(A)
    m = np.hstack([A, b[:, None] if b.ndim == 1 else b])
    for col in range(n):
        best = col + int(np.argmax(np.abs(m[col:, col])))
        if abs(m[best, col]) <= tol:
            raise ValueError(f"solve: the matrix is singular (no usable pivot in column {col})")
        m[[col, best]] = m[[best, col]]
        multipliers = m[col + 1 :, col] / m[col, col]
        m[col + 1 :, col:] -= np.outer(multipliers, m[col, col:])
    x = back_substitution(np.triu(m[:, :n]), m[:, n:])
    return x.reshape(b.shape)


def lu(A: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Factor a square matrix as ``A = P @ L @ U`` with partial pivoting (scipy.linalg.lu's convention).

    P (n, n) is a permutation matrix, L (n, n) unit lower triangular with |L_ij| <= 1, U (n, n) upper
    triangular. Step k swaps up the row with the largest |entry| in column k, stores the multipliers
    ``U[i, k] / U[k, k]`` in column k of L and subtracts. The swaps are recorded as a permutation of
    rows, ``A[perm] = L U``, so ``P = I[:, perm]``. A column with no non-zero pivot is skipped (singular
    A still factors, with a zero on U's diagonal). O(n^3): (2/3) n^3 flops.

    >>> P, L, U = lu([[0.0, 2.0], [3.0, 4.0]])
    >>> P, L, U
    (array([[0., 1.],
           [1., 0.]]), array([[1., 0.],
           [0., 1.]]), array([[3., 4.],
           [0., 2.]]))
    """
    U = _as_square(A, "lu")
    n = U.shape[0]
    L = np.eye(n)
    perm = np.arange(n)
    for k in range(n - 1):
        best = k + int(np.argmax(np.abs(U[k:, k])))
        if best != k:
            U[[k, best]] = U[[best, k]]
            L[[k, best], :k] = L[[best, k], :k]
            perm[[k, best]] = perm[[best, k]]
        if U[k, k] == 0.0:
            continue  # the whole column below is zero already: nothing to eliminate
        L[k + 1 :, k] = U[k + 1 :, k] / U[k, k]
        U[k + 1 :, k:] -= np.outer(L[k + 1 :, k], U[k, k:])
    return np.eye(n)[:, perm], L, np.triu(U)


def lu_solve(P: ArrayLike, L: ArrayLike, U: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Solve ``A x = b`` given ``A = P L U``: ``L y = P^T b`` forward, then ``U x = y`` backward.

    b is (n,) or (n, k); x has b's shape. O(n^2) per right-hand side, which is why one factors once
    and solves many times. Raises ValueError on shapes that do not fit or a singular U.

    >>> P, L, U = lu([[0.0, 2.0], [3.0, 4.0]])
    >>> lu_solve(P, L, U, [2.0, 7.0])
    array([1., 1.])
    """
    P = np.asarray(P, dtype=np.float64)
    n = P.shape[0] if P.ndim == 2 else -1
    if P.ndim != 2 or P.shape != (n, n) or np.shape(L) != (n, n) or np.shape(U) != (n, n):
        raise ValueError(
            f"lu_solve: P, L and U must be square and of one size, got {P.shape}, {np.shape(L)}, {np.shape(U)}"
        )
    b = _as_rhs(b, n, "lu_solve")
    return back_substitution(U, forward_substitution(L, P.T @ b))
