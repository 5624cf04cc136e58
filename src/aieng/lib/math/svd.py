"""The singular value decomposition by one-sided Jacobi, and the best low-rank approximation.

Every real m x n matrix factors as ``A = U diag(s) V^T`` with orthonormal columns in ``U`` (m x k) and
``V`` (n x k), ``k = min(m, n)``, and singular values ``s_1 >= ... >= s_k >= 0``. Read as a map: rotate
(``V^T``), stretch the axes (``diag(s)``), rotate again (``U``).

`svd` uses the one-sided Jacobi (Hestenes) method: rotate pairs of columns of ``A`` until all columns
are mutually orthogonal, ``A V = B``; then ``s_j = ||b_j||`` and ``u_j = b_j / s_j``. It never forms
``A^T A``, so small singular values keep their relative accuracy (the ``eigh(A^T A)`` route squares the
condition number and loses half the digits of the small ones). O(m n^2) per sweep, a handful of sweeps.

`low_rank_approximation` keeps the k largest terms ``sum_{i<k} s_i u_i v_i^T``; by the Eckart-Young
theorem no matrix of rank <= k is closer to ``A``, and `eckart_young_error` gives that distance from the
singular values alone: ``sqrt(s_{k+1}^2 + ...)`` in the Frobenius norm, ``s_{k+1}`` in the spectral norm.

Left out: full (square) ``U``, complex matrices, the bidiagonalization + QR iteration LAPACK uses
(``numpy.linalg.svd``, much faster for large matrices), randomized and truncated (Lanczos) SVDs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

_EPS = np.finfo(np.float64).eps
_TOL = 1e-14  # two columns count as orthogonal when |cos(angle)| <= _TOL
_MAX_SWEEPS = 60


def _matrix(a: ArrayLike) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got an array of shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"cannot decompose an empty matrix of shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError("the matrix contains NaN or infinity")
    return a


def _rank(k: int, limit: int | None = None) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    return int(k) if limit is None else min(int(k), limit)


def _one_sided_jacobi(a: np.ndarray, tol: float, max_sweeps: int) -> tuple[np.ndarray, np.ndarray]:
    """Rotate column pairs of a tall `a` (m >= n) until orthogonal: returns B = A V and V."""
    b, v = a.copy(), np.eye(a.shape[1])
    n = a.shape[1]
    pairs = [(p, q) for p in range(n - 1) for q in range(p + 1, n)]
    negligible = (_EPS * np.linalg.norm(a)) ** 2  # a column this small is round-off: leave it alone
    for _ in range(max_sweeps):
        rotated = False
        for p, q in pairs:
            alpha, beta, gamma = b[:, p] @ b[:, p], b[:, q] @ b[:, q], b[:, p] @ b[:, q]
            if min(alpha, beta) <= negligible or abs(gamma) <= tol * np.sqrt(alpha * beta):
                continue  # already orthogonal
            rotated = True
            zeta = (beta - alpha) / (2.0 * gamma)
            t = (1.0 if zeta >= 0 else -1.0) / (abs(zeta) + np.hypot(1.0, zeta))
            c = 1.0 / np.hypot(1.0, t)
            rot = np.array([[c, t * c], [-t * c, c]])
            idx = [p, q]
            b[:, idx] = b[:, idx] @ rot
            v[:, idx] = v[:, idx] @ rot
        if not rotated:
            return b, v
    raise RuntimeError(f"one-sided Jacobi did not converge in {max_sweeps} sweeps")


def svd(a: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD of `a` (m, n), like ``numpy.linalg.svd(a, full_matrices=False)``: returns ``(U, s, Vt)``.

    Shapes: U (m, k), s (k,) descending and >= 0, Vt (k, n), with k = min(m, n) and
    ``A = U @ diag(s) @ Vt``; ``U^T U = I`` and ``Vt Vt^T = I`` even when ``A`` is rank-deficient (the
    columns of U for zero singular values complete an orthonormal set). Wide matrices are handled as the
    transpose of a tall one. Cost O(m n^2) per Jacobi sweep.

    >>> u, s, vt = svd([[3.0, 0.0], [0.0, -2.0], [0.0, 0.0]])
    >>> s
    array([3., 2.])
    >>> np.allclose(u @ np.diag(s) @ vt, [[3, 0], [0, -2], [0, 0]])
    True
    """
    a = _matrix(a)
    m, n = a.shape
    if m < n:  # A^T = V S U^T
        v, s, ut = svd(a.T)
        return ut.T, s, v.T
    b, v = _one_sided_jacobi(a, _TOL, _MAX_SWEEPS)
    s = np.linalg.norm(b, axis=0)
    order = np.argsort(-s, kind="stable")
    s, b, v = s[order], b[:, order], v[:, order]
    nonzero = s > n * _EPS * s[0] if s[0] > 0 else np.zeros(n, dtype=bool)
    u = np.zeros((m, n))
    u[:, nonzero] = b[:, nonzero] / s[nonzero]
    r = int(nonzero.sum())  # numerical rank; nonzero is a prefix since s is sorted
    if r < n:  # complete U with an orthonormal basis of the complement of its first r columns
        q, _ = np.linalg.qr(np.hstack([u[:, :r], np.eye(m)]))
        u[:, r:] = q[:, r:n]
    return u, s, v.T


def low_rank_approximation(a: ArrayLike, k: int) -> np.ndarray:
    """The best approximation of `a` (m, n) by a matrix of rank <= k: ``U_k diag(s_k) V_k^T``, shape (m, n).

    Keeps the k largest singular triplets (k = 0 gives zeros, k >= min(m, n) gives `a` back). By
    Eckart-Young it minimizes both ``||A - B||_F`` and ``||A - B||_2`` over all B of rank <= k.
    Cost: one SVD plus O(m n k).

    >>> low_rank_approximation([[2.0, 0.0], [0.0, 1.0]], 1)
    array([[2., 0.],
           [0., 0.]])
    """
    a = _matrix(a)
    k = _rank(k, min(a.shape))
    u, s, vt = svd(a)
    return (u[:, :k] * s[:k]) @ vt[:k]


def eckart_young_error(s: ArrayLike, k: int, ord: Literal["fro", 2] = "fro") -> float:
    """The error ``||A - A_k||`` of the best rank-k approximation, from the singular values `s` alone.

    ``ord="fro"``: ``sqrt(s_{k+1}^2 + ... + s_r^2)`` (the discarded energy); ``ord=2``: ``s_{k+1}``
    (0 when nothing is discarded). `s` has shape (r,), sorted descending and non-negative. O(r).

    >>> eckart_young_error([3.0, 2.0, 1.0], 1), eckart_young_error([3.0, 2.0, 1.0], 1, ord=2)
    (2.23606797749979, 2.0)
    """
    s = np.asarray(s, dtype=np.float64)
    if s.ndim != 1 or not np.isfinite(s).all():
        raise ValueError(f"s must be a 1-D array of finite singular values, got shape {s.shape}")
    if (s < 0).any() or (np.diff(s) > 0).any():
        raise ValueError("singular values must be non-negative and sorted in descending order")
    k = _rank(k)
    tail = s[k:]
    if ord == "fro":
        return float(np.sqrt(np.sum(tail**2)))
    if ord == 2:
        return float(tail[0]) if tail.size else 0.0
    raise ValueError(f"ord must be 'fro' or 2, got {ord!r}")
