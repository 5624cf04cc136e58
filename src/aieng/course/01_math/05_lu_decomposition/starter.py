"""LU decomposition — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check lu-decomposition`.
Use vectorized row operations; a Python loop over pivot columns (in lu) and over rows (in the
substitutions) is fine. Do not call numpy.linalg or scipy.linalg solvers: the tests disable them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def lu(A: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (P, L, U) with A = P @ L @ U, by elimination with partial pivoting (scipy.linalg.lu's convention).

    - A: square matrix (n, n). P: (n, n) permutation matrix. L: (n, n) unit lower triangular (ones on
      the diagonal, multipliers below, all |L_ij| <= 1). U: (n, n) upper triangular.
    - In column k, swap up the row with the largest |entry| at or below row k (swap the multipliers
      already stored in L's first k columns too). If that entry is 0, skip the column: a singular A
      still has an LU factorization (with a 0 on U's diagonal).
    - If perm lists the original row of A that ended in each position (A[perm] = L @ U), then
      P = np.eye(n)[:, perm].
    - Raise ValueError if A is not a square 2-D matrix.
    """
    raise NotImplementedError


def forward_substitution(L: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return y with L @ y = b, for lower-triangular L (n, n); b and y have shape (n,) or (n, k).

    Solve from the first row down. Raise ValueError if a diagonal entry of L is 0 (below
    1e-10 * max|L_ij|), if L is not square, or if b does not have n rows.
    """
    raise NotImplementedError


def back_substitution(U: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return x with U @ x = b, for upper-triangular U (n, n); b and x have shape (n,) or (n, k).

    Solve from the last row up. Raise ValueError if a diagonal entry of U is 0 (below
    1e-10 * max|U_ij|), if U is not square, or if b does not have n rows.
    """
    raise NotImplementedError


def lu_solve(P: ArrayLike, L: ArrayLike, U: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return x with A @ x = b, where A = P @ L @ U; b and x have shape (n,) or (n, k).

    Solve L y = P.T @ b by forward substitution, then U x = y by back substitution.
    Raise ValueError if P, L, U are not all (n, n), if b does not have n rows, or if U is singular.
    """
    raise NotImplementedError
