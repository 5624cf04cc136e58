"""Eigenvalues: power iteration and the Jacobi method — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check eigenvalues`.
numpy.linalg.eig, eigh, eigvals, eigvalsh and svd are switched off while the tests run your code;
matrix products, np.linalg.norm, np.sort/np.argsort and np.random are all fine.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def power_iteration(
    a: ArrayLike, tol: float = 1e-10, max_iter: int = 10_000, seed: int | None = 0
) -> tuple[float, np.ndarray]:
    """Return (λ, v): the eigenvalue of largest |λ| of the square matrix `a` (n, n) and a unit eigenvector (n,).

    - Start from a standard-normal vector drawn with np.random.default_rng(seed), normalized.
    - Each step: v <- A v / ||A v||; λ is the Rayleigh quotient v^T A v (v of length 1).
    - Stop as soon as ||A v - λ v|| <= tol * ||A||_F and return (λ, v) for that v.
    - Raise RuntimeError if that never happens within max_iter steps.
    - Raise ValueError for a non-square, empty or non-finite matrix, tol <= 0 or max_iter < 1.
    """
    raise NotImplementedError


def symmetric_eigh(a: ArrayLike, tol: float = 1e-14, max_sweeps: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Return (w, V) for the symmetric matrix `a` (n, n), like numpy.linalg.eigh.

    - w, shape (n,): the eigenvalues in ascending order.
    - V, shape (n, n): orthonormal eigenvectors as columns, A @ V[:, j] == w[j] * V[:, j].
    - Suggested method: cyclic Jacobi rotations until the off-diagonal norm is <= tol * ||A||_F
      (at most max_sweeps sweeps over all pairs p < q).
    - Raise ValueError for a non-symmetric, non-square, empty or non-finite matrix.
    """
    raise NotImplementedError
