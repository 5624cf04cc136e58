"""Gaussian elimination — your implementation.

Replace the `raise NotImplementedError` with code. Check it with `aieng check gaussian-elimination`.
Use numpy's vectorized row operations; a Python loop over the pivot columns (and over the rows in back
substitution) is fine. Do not call numpy.linalg or scipy.linalg solvers: the tests disable them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def solve(A: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return x with A @ x = b, by Gaussian elimination with partial pivoting and back substitution.

    - A: square matrix, shape (n, n). b: shape (n,) for one right-hand side, or (n, k) for k of them.
    - Returns x with the shape of b (float64).
    - Partial pivoting: in each column, swap up the row whose entry has the largest absolute value.
    - Raise ValueError if A is singular (a best pivot <= 1e-10 * max|a_ij|), if A is not square 2-D,
      or if b is not 1-D/2-D with n rows.
    - Do not modify A or b (work on float copies).
    """
    raise NotImplementedError
