"""Matrix operations — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check matrix-operations`.
Matrices are 2-D arrays (or nested lists). Do the work with numpy's vectorized operations; a Python loop
over the pivot columns of an elimination is fine. Do not call numpy.linalg (or scipy.linalg) solvers:
det, rank and inverse are for you to compute by elimination.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def matmul(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return the product C = A B of a (m, k) and a (k, n) matrix, shape (m, n).

    C[i, j] = sum_k A[i, k] * B[k, j]. Compute the sum yourself (broadcasting), without `@`,
    np.dot, np.matmul or np.einsum. If k == 0 the result is the (m, n) zero matrix.
    Raise ValueError if an input is not 2-D or A's columns differ from B's rows.
    """
    raise NotImplementedError


def transpose(a: ArrayLike) -> np.ndarray:
    """Return the transpose of a 2-D matrix, shape (n, m): result[i, j] = A[j, i].

    Raise ValueError if `a` is not 2-D.
    """
    raise NotImplementedError


def trace(a: ArrayLike) -> float:
    """Return the sum of the diagonal of a square matrix, as a float (0.0 for the 0x0 matrix).

    Raise ValueError if `a` is not a square 2-D matrix.
    """
    raise NotImplementedError


def det(a: ArrayLike) -> float:
    """Return the determinant of a square matrix, computed by Gaussian elimination with partial pivoting.

    det = (-1)^(number of row swaps) * (product of the pivots); 0.0 if a column has no non-zero pivot;
    1.0 for the 0x0 matrix. Raise ValueError if `a` is not a square 2-D matrix.
    """
    raise NotImplementedError


def rank(a: ArrayLike, tol: float | None = None) -> int:
    """Return the rank of a 2-D matrix (m, n): the number of pivots found by row reduction.

    A candidate pivot counts only if its absolute value is > tol. With tol=None use a tolerance
    relative to the matrix: 1e-10 * max|a_ij|. Rank of a zero or empty matrix is 0.
    Raise ValueError if `a` is not 2-D.
    """
    raise NotImplementedError


def inverse(a: ArrayLike) -> np.ndarray:
    """Return the inverse of a square matrix, shape (n, n), by Gauss-Jordan elimination on [A | I].

    Use partial pivoting. Raise ValueError if the matrix is singular (a best pivot
    <= 1e-10 * max|a_ij|) or not a square 2-D matrix.
    """
    raise NotImplementedError
