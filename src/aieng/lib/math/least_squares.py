"""Linear least squares: the x that makes ``A x`` closest to b, by normal equations and by QR.

For a tall matrix A (m, n), m >= n, ``A x = b`` usually has no solution; least squares picks the x
minimizing ``||A x - b||_2``. At the minimum the residual ``r = b - A x`` is orthogonal to every column
of A (``A^T r = 0``): ``A x`` is the projection of b onto the column space of A. Two ways to compute it:

- normal equations ``A^T A x = A^T b``: cheap (mn^2 + n^3/3 flops), but forming ``A^T A`` squares the
  condition number, so about twice as many digits are lost;
- Householder QR, ``A = Q R``, then ``R x = Q^T b``: about twice the flops, but works with A itself and
  is backward stable; the method of choice (numpy.linalg.lstsq uses the SVD, which also handles
  rank-deficient A).

A is treated as rank deficient when ``|R_ii| <= RELATIVE_TOL * max_j |R_jj|``.

Left out: rank-deficient and underdetermined problems (minimum-norm solutions via the SVD or pivoted
QR), weighted and regularized (ridge) least squares, updating a factorization as rows arrive.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from aieng.lib.math.linsolve import back_substitution, forward_substitution

RELATIVE_TOL = 1e-10
"""``|R_ii| <= RELATIVE_TOL * max_j |R_jj|`` means the columns of A are (numerically) dependent."""


def _design(A: ArrayLike, what: str) -> np.ndarray:
    A = np.array(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"{what} expects a 2-D matrix A, got an array of shape {A.shape}")
    m, n = A.shape
    if m < n:
        raise ValueError(f"{what} needs at least as many rows as columns (m >= n), got shape {A.shape}")
    return A


def _target(b: ArrayLike, m: int, what: str) -> np.ndarray:
    b = np.array(b, dtype=np.float64)
    if b.ndim not in (1, 2) or b.shape[0] != m:
        raise ValueError(f"{what}: b must have shape ({m},) or ({m}, k), got {b.shape}")
    return b


def householder_qr(A: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Reduced QR factorization ``A = Q R`` of a (m, n) matrix with m >= n, by Householder reflections.

    Q (m, n) has orthonormal columns, R (n, n) is upper triangular with a non-negative diagonal (which
    makes the factorization unique for full-rank A). Step k reflects column k below the diagonal onto
    a multiple of e_1 with ``H = I - 2 v v^T``, ``v ∝ x + sign(x_0) ||x|| e_1`` (the sign avoids
    cancellation). Q is then built by applying the reflections to the first n columns of I in reverse.
    Q^T Q = I to machine precision whatever the conditioning of A. O(m n^2).

    >>> Q, R = householder_qr([[3.0, 1.0], [4.0, 2.0]])
    >>> np.round(R, 6)
    array([[5. , 2.2],
           [0. , 0.4]])
    """
    R = _design(A, "householder_qr")
    m, n = R.shape
    reflectors = []
    for k in range(n):
        x = R[k:, k]
        length = np.linalg.norm(x)
        if length == 0.0:
            reflectors.append(None)  # nothing to reflect: the column is already zero
            continue
        v = x.copy()
        v[0] += np.copysign(length, x[0])
        v /= np.linalg.norm(v)
        R[k:, k:] -= 2.0 * np.outer(v, v @ R[k:, k:])
        reflectors.append(v)
    Q = np.eye(m, n)
    for k in range(n - 1, -1, -1):
        v = reflectors[k]
        if v is not None:
            Q[k:, :] -= 2.0 * np.outer(v, v @ Q[k:, :])
    signs = np.where(np.diagonal(R) < 0, -1.0, 1.0)  # flip rows of R (and columns of Q): R_kk >= 0
    return Q * signs, np.triu(R[:n] * signs[:, None])


def lstsq_qr(A: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Least-squares solution of ``A x ≈ b`` via Householder QR: solve ``R x = Q^T b``.

    A is (m, n), m >= n, of full column rank; b is (m,) or (m, k); x is (n,) or (n, k).
    ``||A x - b|| = ||R x - Q^T b||`` plus a part x cannot change, so the triangular solve gives the
    minimum. Error grows like cond(A) * eps. Raises ValueError when A is rank deficient. O(m n^2).

    >>> lstsq_qr([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [1.0, 2.0, 4.0])  # best line 5/6 + 1.5 t
    array([0.83333333, 1.5       ])
    """
    A = _design(A, "lstsq_qr")
    b = _target(b, A.shape[0], "lstsq_qr")
    Q, R = householder_qr(A)
    diagonal = np.diagonal(R)
    if diagonal.size and diagonal.min() <= RELATIVE_TOL * diagonal.max():
        raise ValueError("lstsq_qr: the columns of A are linearly dependent (rank deficient)")
    return back_substitution(R, Q.T @ b)


def lstsq_normal(A: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Least-squares solution of ``A x ≈ b`` via the normal equations ``A^T A x = A^T b``.

    A is (m, n), m >= n, of full column rank; b is (m,) or (m, k); x is (n,) or (n, k). ``A^T A`` is
    symmetric positive definite, so it is solved by Cholesky, ``A^T A = G G^T``, and two triangular
    solves. Fast (m n^2 + n^3 / 3 flops) but cond(A^T A) = cond(A)^2: expect an error near
    cond(A)^2 * eps, useless once cond(A) reaches ~1e8. Raises ValueError when A^T A is not
    (numerically) positive definite.

    >>> lstsq_normal([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [1.0, 2.0, 4.0])
    array([0.83333333, 1.5       ])
    """
    A = _design(A, "lstsq_normal")
    b = _target(b, A.shape[0], "lstsq_normal")
    gram = A.T @ A
    try:
        G = np.linalg.cholesky(gram)
    except np.linalg.LinAlgError:
        raise ValueError("lstsq_normal: A^T A is singular: the columns of A are linearly dependent") from None
    return back_substitution(G.T, forward_substitution(G, A.T @ b))


def residuals(A: ArrayLike, x: ArrayLike, b: ArrayLike) -> np.ndarray:
    """The residual ``r = b - A x`` of a fit, shape (m,) (or (m, k) for k right-hand sides).

    At the least-squares solution r is orthogonal to the columns of A: ``A^T r = 0``. O(m n).

    >>> residuals([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [5 / 6, 1.5], [1.0, 2.0, 4.0]) * 6
    array([ 1., -2.,  1.])
    """
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if A.ndim != 2 or x.ndim not in (1, 2) or x.shape[0] != A.shape[1] or b.shape != (A.shape[0], *x.shape[1:]):
        raise ValueError(f"residuals: shapes do not fit, A {A.shape}, x {x.shape}, b {b.shape}")
    return b - A @ x
