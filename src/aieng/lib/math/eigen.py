"""Eigenvalues two ways: power iteration for the dominant pair, cyclic Jacobi for a whole symmetric matrix.

An eigenpair of a square matrix ``A`` is a number ``λ`` and a non-zero vector ``v`` with ``A v = λ v``:
a direction the map only stretches.

- `power_iteration` repeats ``v <- A v / ||A v||`` from a seeded random start. The component along the
  eigenvector of largest ``|λ|`` grows fastest, so ``v`` turns towards it, with error shrinking like
  ``|λ2 / λ1|^k``. The eigenvalue is read off with the Rayleigh quotient ``v^T A v``. One matrix-vector
  product per step, O(n^2); it finds one pair and needs a unique dominant ``|λ|``.
- `symmetric_eigh` diagonalizes a symmetric matrix by Jacobi rotations: each rotation in the (p, q) plane
  zeroes the entry ``A[p, q]``; sweeping over all pairs again and again drives the off-diagonal part to
  zero (quadratically, once it is small). The product of the rotations holds the eigenvectors. O(n^3)
  per sweep, about 5-10 sweeps; every eigenvalue gets an absolute error near ``eps * ||A||``, and the
  eigenvectors come out orthonormal to working precision, even for clustered eigenvalues.

Left out: shifts and inverse iteration, deflation, complex eigenvalues, the QR algorithm and the
tridiagonal reduction LAPACK uses (``numpy.linalg.eigh``), which is faster for large n.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _square(a: ArrayLike) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"expected a square matrix, got an array of shape {a.shape}")
    if a.size == 0:
        raise ValueError("a 0 x 0 matrix has no eigenvalues")
    if not np.isfinite(a).all():
        raise ValueError("the matrix contains NaN or infinity")
    return a


def power_iteration(
    a: ArrayLike, tol: float = 1e-10, max_iter: int = 10_000, seed: int | None = 0
) -> tuple[float, np.ndarray]:
    """The dominant eigenpair (largest ``|λ|``) of the square matrix `a`: returns ``(λ, v)``, ``||v||_2 = 1``.

    Start from a standard-normal vector drawn with ``numpy.random.default_rng(seed)``; each step sets
    ``v <- A v / ||A v||`` and ``λ = v^T A v`` (the Rayleigh quotient, with ``||v|| = 1``). Stop at the
    first ``v`` whose residual ``||A v - λ v||`` is at most ``tol * ||A||_F``; raise RuntimeError if
    none does within `max_iter` steps (e.g. when ``λ`` and ``-λ`` tie, or the top pair is complex).
    Shapes: `a` (n, n) -> float, (n,). Cost O(n^2) per step; steps ~ log(tol) / log|λ2 / λ1|.

    >>> lam, v = power_iteration([[2.0, 0.0], [0.0, 1.0]])
    >>> round(lam, 8), np.abs(v).round(4)
    (2.0, array([1., 0.]))
    """
    a = _square(a)
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol}")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter}")
    v = np.random.default_rng(seed).standard_normal(a.shape[0])
    v /= np.linalg.norm(v)
    threshold = tol * np.linalg.norm(a)  # Frobenius norm: a cheap bound on every |λ|
    for _ in range(int(max_iter)):
        w = a @ v
        lam = float(v @ w)
        if np.linalg.norm(w - lam * v) <= threshold:  # also true for A = 0 (λ = 0, any v)
            return lam, v
        v = w / np.linalg.norm(w)  # w != 0 here, or the residual would have been 0
    raise RuntimeError(
        f"power iteration did not converge in {max_iter} steps: is there a unique eigenvalue of largest "
        "magnitude (not a tie like 1 and -1, not a complex pair)?"
    )


def symmetric_eigh(a: ArrayLike, tol: float = 1e-14, max_sweeps: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """All eigenpairs of a real symmetric matrix by the cyclic Jacobi method, like ``numpy.linalg.eigh``.

    Returns ``(w, V)``: eigenvalues ``w`` of shape (n,) in ascending order and orthonormal eigenvectors
    as the columns of ``V`` (n, n), so ``A = V diag(w) V^T``. For each pair p < q a rotation
    ``J = [[c, s], [-s, c]]`` in the (p, q) plane with ``t = s / c`` the smaller root of
    ``t^2 + 2 τ t - 1 = 0``, ``τ = (A_qq - A_pp) / (2 A_pq)``, makes ``(J^T A J)_pq = 0``; sweeps repeat
    until the off-diagonal Frobenius norm is at most ``tol * ||A||_F``. Cost O(n^3) per sweep.

    >>> w, v = symmetric_eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> w.round(12), np.abs(v).round(6)
    (array([1., 3.]), array([[0.707107, 0.707107],
           [0.707107, 0.707107]]))
    """
    a = _square(a)
    scale = np.abs(a).max()
    if not np.allclose(a, a.T, rtol=0.0, atol=1e-10 * scale):
        raise ValueError("the matrix is not symmetric: use power_iteration or numpy.linalg.eig instead")
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol}")
    a = (a + a.T) / 2.0  # exactly symmetric from here on
    n = a.shape[0]
    vectors = np.eye(n)
    threshold = tol * np.linalg.norm(a)
    pairs = [(p, q) for p in range(n - 1) for q in range(p + 1, n)]

    def off_diagonal_norm() -> float:  # directly, not as ||A||^2 - ||diag||^2, which cancels
        return float(np.linalg.norm(a - np.diag(np.diag(a))))

    for _ in range(max_sweeps):
        if off_diagonal_norm() <= threshold:
            break
        for p, q in pairs:
            apq = a[p, q]
            if apq == 0.0:
                continue
            tau = (a[q, q] - a[p, p]) / (2.0 * apq)
            t = (1.0 if tau >= 0 else -1.0) / (abs(tau) + np.hypot(1.0, tau))  # smaller root: |angle| <= 45°
            c = 1.0 / np.hypot(1.0, t)
            rot = np.array([[c, t * c], [-t * c, c]])
            idx = [p, q]
            a[:, idx] = a[:, idx] @ rot  # A <- A J (columns p, q)
            a[idx, :] = rot.T @ a[idx, :]  # A <- J^T A (rows p, q)
            a[p, q] = a[q, p] = 0.0  # zero by construction; drop the round-off
            vectors[:, idx] = vectors[:, idx] @ rot
    else:
        if off_diagonal_norm() > threshold:
            raise RuntimeError(f"Jacobi did not converge in {max_sweeps} sweeps")
    eigenvalues = np.diag(a).copy()
    order = np.argsort(eigenvalues, kind="stable")
    return eigenvalues[order], vectors[:, order]
