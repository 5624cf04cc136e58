"""SVD and the best low-rank approximation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check svd-low-rank`.
numpy.linalg.svd is switched off while the tests run your code; numpy.linalg.eigh, qr and norm are allowed
(you built an eigh of your own in the previous exercise: you may paste it here instead).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike


def svd(a: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the thin SVD (U, s, Vt) of `a` (m, n), like numpy.linalg.svd(a, full_matrices=False).

    With k = min(m, n): U (m, k) and Vt (k, n) have orthonormal columns / rows (also when `a` is
    rank-deficient), s (k,) is non-negative and sorted descending, and U @ diag(s) @ Vt == a.
    Raise ValueError for a non-2-D, empty or non-finite input.
    """
    raise NotImplementedError


def low_rank_approximation(a: ArrayLike, k: int) -> np.ndarray:
    """Return the best rank-<=k approximation of `a` (m, n), shape (m, n): the top k singular triplets.

    k = 0 gives the zero matrix; k >= min(m, n) gives `a`. Raise ValueError if k is not an integer >= 0.
    """
    raise NotImplementedError


def eckart_young_error(s: ArrayLike, k: int, ord: Literal["fro", 2] = "fro") -> float:
    """Return ||A - A_k|| for the best rank-k approximation A_k, from A's singular values `s` (r,) alone.

    ord="fro": sqrt of the sum of the discarded s_i^2; ord=2: the largest discarded s_i (0.0 if none).
    Raise ValueError if `s` is not 1-D, non-negative and descending, if k < 0, or for any other ord.
    """
    raise NotImplementedError
