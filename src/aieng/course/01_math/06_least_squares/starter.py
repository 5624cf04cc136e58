"""Least squares — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check least-squares`.
A is a tall matrix (m, n) with m >= n and independent columns; b is (m,) or (m, k).
You may use numpy.linalg.solve / cholesky and your own triangular solves; numpy.linalg.lstsq, qr, svd
and pinv (and scipy's) are disabled while the tests run your code.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def householder_qr(A: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Return (Q, R), the reduced QR factorization A = Q @ R, computed with Householder reflections.

    - A: (m, n) with m >= n. Q: (m, n) with orthonormal columns (Q.T @ Q = I). R: (n, n) upper
      triangular with a non-negative diagonal (flip the sign of a row of R and the matching column of Q
      where needed).
    - Raise ValueError if A is not 2-D or has fewer rows than columns.
    """
    raise NotImplementedError


def lstsq_qr(A: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return the x minimizing ||A @ x - b||_2, via Householder QR: solve R x = Q^T b.

    - A: (m, n), m >= n; b: (m,) or (m, k); x: (n,) or (n, k).
    - Raise ValueError if A is rank deficient (some |R_ii| <= 1e-10 * max_j |R_jj|), if A is not
      2-D with m >= n, or if b does not have m rows.
    """
    raise NotImplementedError


def lstsq_normal(A: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return the x minimizing ||A @ x - b||_2, via the normal equations (A^T A) x = A^T b.

    - A: (m, n), m >= n; b: (m,) or (m, k); x: (n,) or (n, k).
    - Raise ValueError if A^T A is singular (dependent columns), if A is not 2-D with m >= n, or if b
      does not have m rows.
    """
    raise NotImplementedError


def residuals(A: ArrayLike, x: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return the residual r = b - A @ x, shape (m,) (or (m, k)).

    Raise ValueError if the shapes do not fit: A (m, n), x (n,) or (n, k), b (m,) or (m, k) like A @ x.
    """
    raise NotImplementedError
