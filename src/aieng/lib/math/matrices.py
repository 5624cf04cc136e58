"""Matrices: product, transpose, trace, and three questions answered by elimination (det, rank, inverse).

A matrix of shape (m, n) is a linear map from n-vectors to m-vectors. Its product with a (n, p) matrix is
the composition of the two maps; ``C[i, j] = sum_k A[i, k] B[k, j]``. Row reduction (Gaussian
elimination with partial pivoting) turns a matrix into an upper-triangular (row echelon) form with the
same rank and, up to sign, the same determinant, and Gauss-Jordan elimination carries it all the way to
the identity, which yields the inverse.

"Is this pivot zero?" is decided with a tolerance relative to the size of the entries,
``RELATIVE_TOL * max|a_ij|``: after round-off a truly zero pivot comes out as ~1e-16 times the entries,
never exactly zero, while the real pivots of a reasonably conditioned matrix are far larger.

Left out: blocked/cache-aware products (BLAS is far faster than `matmul` here), complete pivoting and
the SVD (the rank-revealing tools for nearly singular matrices), complex and sparse matrices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

RELATIVE_TOL = 1e-10
"""A pivot with ``|p| <= RELATIVE_TOL * max|a_ij|`` counts as zero (in `rank` and `inverse`)."""


def _as_matrix(a: ArrayLike, what: str) -> np.ndarray:
    """`a` as a float64 2-D array (a copy we may modify), or ValueError."""
    a = np.array(a, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"{what} expects a 2-D matrix, got an array of shape {a.shape}")
    return a


def _as_square(a: ArrayLike, what: str) -> np.ndarray:
    a = _as_matrix(a, what)
    if a.shape[0] != a.shape[1]:
        raise ValueError(f"{what} needs a square matrix, got shape {a.shape}")
    return a


def _default_tol(a: np.ndarray) -> float:
    return RELATIVE_TOL * float(np.abs(a).max()) if a.size else 0.0


def matmul(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """The product ``C = A B`` of a (m, k) and a (k, n) matrix, shape (m, n): ``C[i, j] = sum_k A[i,k] B[k,j]``.

    Vectorized by broadcasting: ``A[:, :, None] * B[None, :, :]`` has shape (m, k, n) and holds every
    product ``A[i, k] B[k, j]``; summing over the middle axis gives C. Cost: O(m k n) time, and here also
    O(m k n) memory (a real BLAS blocks the sum and needs none). An empty inner dimension (k = 0) gives
    the zero matrix, the empty sum.

    >>> matmul([[1.0, 2.0], [3.0, 4.0]], [[5.0], [6.0]])
    array([[17.],
           [39.]])
    """
    a, b = _as_matrix(a, "matmul"), _as_matrix(b, "matmul")
    if a.shape[1] != b.shape[0]:
        raise ValueError(
            f"matmul: inner dimensions differ, {a.shape} times {b.shape} "
            f"(A has {a.shape[1]} columns, B has {b.shape[0]} rows)"
        )
    return np.sum(a[:, :, None] * b[None, :, :], axis=1)


def transpose(a: ArrayLike) -> np.ndarray:
    """The transpose of a 2-D matrix, shape (n, m): ``A^T[i, j] = A[j, i]``.

    numpy's ``.T`` is a view (no copy, O(1)): it only swaps the strides. A 1-D array is refused, because
    ``x.T`` silently returns the same 1-D array; write ``x[:, None]`` for a column.

    >>> transpose([[1.0, 2.0, 3.0]])
    array([[1.],
           [2.],
           [3.]])
    """
    return _as_matrix(a, "transpose").T


def trace(a: ArrayLike) -> float:
    """The trace of a square matrix: the sum of its diagonal, ``sum_i A[i, i]``. O(n).

    It equals the sum of the eigenvalues, and ``trace(A B) = trace(B A)``. The trace of the 0 x 0
    matrix is 0.

    >>> trace([[1.0, 2.0], [3.0, 4.0]])
    5.0
    """
    a = _as_square(a, "trace")
    return float(np.sum(np.diagonal(a)))


def _row_echelon(u: np.ndarray, tol: float) -> tuple[list[int], int]:
    """Reduce `u` in place to row echelon form by Gaussian elimination with partial pivoting.

    For each column, the row (at or below the current one) with the largest |entry| becomes the pivot
    row; a column whose best candidate is ``<= tol`` has no pivot and is skipped. Returns the pivot
    columns and the number of row swaps. O(m n min(m, n)).
    """
    m, n = u.shape
    pivot_columns: list[int] = []
    swaps = 0
    row = 0
    for col in range(n):
        if row == m:
            break
        best = row + int(np.argmax(np.abs(u[row:, col])))
        if abs(u[best, col]) <= tol:
            continue
        if best != row:
            u[[row, best]] = u[[best, row]]
            swaps += 1
        multipliers = u[row + 1 :, col] / u[row, col]
        u[row + 1 :, col:] -= np.outer(multipliers, u[row, col:])
        pivot_columns.append(col)
        row += 1
    return pivot_columns, swaps


def det(a: ArrayLike) -> float:
    """The determinant of a square matrix, by elimination: ``det A = (-1)^swaps * prod(pivots)``.

    Row swaps flip the sign; adding a multiple of one row to another leaves det unchanged; the
    determinant of the resulting triangular matrix is the product of its diagonal. A column with an
    exactly zero pivot makes det 0. The 0 x 0 matrix has det 1 (the empty product).
    Cost O(n^3), versus O(n!) for the cofactor expansion. For large n the product can overflow: real
    code uses ``slogdet`` (a sum of logs).

    >>> det([[0.0, 2.0], [3.0, 4.0]])
    -6.0
    """
    u = _as_square(a, "det")
    n = u.shape[0]
    pivot_columns, swaps = _row_echelon(u, tol=0.0)
    if len(pivot_columns) < n:
        return 0.0
    sign = -1.0 if swaps % 2 else 1.0
    return float(sign * np.prod(np.diagonal(u)))


def rank(a: ArrayLike, tol: float | None = None) -> int:
    """The rank of a 2-D matrix: the number of pivots its row echelon form has.

    A pivot counts only if ``|p| > tol``; the default tol is ``RELATIVE_TOL * max|a_ij|`` (1e-10 times
    the largest entry), far above elimination round-off (~1e-14 relative for small matrices) and far
    below the pivots of a reasonably conditioned matrix. Cost O(m n min(m, n)). The SVD is the
    more reliable tool when singular values decay smoothly; elimination is the cheap one.

    >>> rank([[1.0, 2.0], [2.0, 4.0]]), rank([[1.0, 0.0], [0.0, 1e-3]], tol=1e-2)
    (1, 1)
    """
    u = _as_matrix(a, "rank")
    if tol is None:
        tol = _default_tol(u)
    elif tol < 0:
        raise ValueError(f"tol must be non-negative, got {tol}")
    pivot_columns, _ = _row_echelon(u, tol)
    return len(pivot_columns)


def inverse(a: ArrayLike) -> np.ndarray:
    """The inverse of a square matrix by Gauss-Jordan elimination on ``[A | I]``, shape (n, n).

    Row operations that turn A into I turn I into A^-1. Each step picks the largest pivot in the
    column (partial pivoting), scales its row to a leading 1 and clears the column above and below.
    Raises ValueError when a pivot is ``<= RELATIVE_TOL * max|a_ij|`` (numerically singular).
    Cost O(n^3). To solve ``A x = b``, do not form A^-1: elimination on b directly is cheaper and
    more accurate.

    >>> inverse([[2.0, 0.0], [0.0, 4.0]])
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    a = _as_square(a, "inverse")
    n = a.shape[0]
    tol = _default_tol(a)
    m = np.hstack([a, np.eye(n)])
    for col in range(n):
        best = col + int(np.argmax(np.abs(m[col:, col])))
        if abs(m[best, col]) <= tol:
            raise ValueError(f"inverse: the matrix is singular (no usable pivot in column {col})")
        m[[col, best]] = m[[best, col]]
        m[col] /= m[col, col]
        others = np.arange(n) != col
        m[others] -= np.outer(m[others, col], m[col])
    return m[:, n:]
