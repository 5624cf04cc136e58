"""Correlation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check correlation`.

While your functions run, scipy.stats.pearsonr / spearmanr / rankdata, numpy.corrcoef, numpy.cov and
statistics.correlation are switched off: build everything from sums, sorting and counting.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike


def pearson(x: ArrayLike, y: ArrayLike) -> float:
    """Return Pearson's r of the paired 1-D data x, y (both shape (n,), n >= 2) as a float in [-1, 1].

    r = sum(dx * dy) / sqrt(sum(dx^2) * sum(dy^2)), where dx = x - mean(x), dy = y - mean(y).
    Raise ValueError if x or y is constant, the lengths differ, n < 2, an input is not 1-D, or there is NaN.
    """
    raise NotImplementedError


def rank(x: ArrayLike) -> np.ndarray:
    """Return the ranks 1..n of the 1-D data `x`, shape (n,), as floats.

    The smallest value gets rank 1. Tied values all get the average of the ranks they occupy:
    rank([10, 30, 20, 30]) is [1, 3.5, 2, 3.5]. Raise ValueError for NaN or input that is not 1-D.
    """
    raise NotImplementedError


def spearman(x: ArrayLike, y: ArrayLike) -> float:
    """Return Spearman's rho: Pearson's r of rank(x) and rank(y). Same input rules as `pearson`."""
    raise NotImplementedError


def correlation_matrix(data: ArrayLike, method: Literal["pearson", "spearman"] = "pearson") -> np.ndarray:
    """Return the (d, d) correlation matrix of the columns of the (n, d) matrix `data` (rows are observations).

    Entry [j, k] is the correlation of columns j and k; the diagonal is 1. method="spearman" ranks every
    column first. Raise ValueError for an unknown method, input that is not 2-D, fewer than 2 rows,
    NaN, or a constant column.
    """
    raise NotImplementedError
