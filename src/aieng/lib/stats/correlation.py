"""Correlation: how strongly two variables move together, on a scale from -1 to 1.

Pearson's r is the covariance of the two variables divided by the product of their standard deviations,
``r = sum(dx * dy) / sqrt(sum(dx^2) * sum(dy^2))`` with ``dx = x - mean(x)``: the covariance made
unit-free. It measures *linear* association: +1 or -1 exactly when the points lie on a line.
Spearman's rho is Pearson's r of the *ranks* (tied values share the average of their ranks): it
measures *monotone* association, is +1 for any increasing relationship, and one outlier cannot drag it
far. A correlation matrix collects r (or rho) for every pair of columns of a data matrix.

Correlation is undefined for constant data (a zero standard deviation), and this module says so with a
ValueError instead of returning NaN. Left out: Kendall's tau, p-values and confidence intervals for r,
partial correlation, NaN-skipping. Cost: O(n) for Pearson, O(n log n) for ranks, O(n d^2 + n d log n)
for a matrix of d columns.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike


def _pair(x: ArrayLike, y: ArrayLike, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-D float64 arrays of one length >= 2 without NaN, or a ValueError naming `what`."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"{what} expects two 1-D arrays, got shapes {x.shape} and {y.shape}")
    if x.size != y.size:
        raise ValueError(f"{what} needs paired data of one length, got {x.size} and {y.size} values")
    if x.size < 2:
        raise ValueError(f"{what} needs at least 2 pairs, got {x.size}")
    if np.isnan(x).any() or np.isnan(y).any():
        raise ValueError(f"{what}: the data contain NaN; drop or impute missing values first")
    return x, y


def _centred_columns(data: np.ndarray, what: str) -> np.ndarray:
    """Columns centred and scaled to unit length, so their dot products are correlations."""
    constant = np.ptp(data, axis=0) == 0
    if constant.any():
        column = int(np.argmax(constant))
        raise ValueError(f"{what}: column {column} is constant, and the correlation of constant data is undefined")
    centred = data - np.sum(data, axis=0) / data.shape[0]
    # Scale by the largest magnitude first: squaring tiny (or huge) deviations would underflow (overflow).
    centred = centred / np.max(np.abs(centred), axis=0)
    return centred / np.sqrt(np.sum(centred * centred, axis=0))


def pearson(x: ArrayLike, y: ArrayLike) -> float:
    """Pearson's r of paired 1-D data x, y of shape (n,), n >= 2: ``cov(x, y) / (std(x) std(y))``.

    The divisors (n or n - 1) cancel, so ``r = sum(dx dy) / sqrt(sum(dx^2) sum(dy^2))``. Round-off can push
    |r| a hair past 1; the result is clipped to [-1, 1]. Constant x or y raises ValueError. O(n).

    >>> pearson([1.0, 2.0, 3.0], [2.0, 4.0, 7.0])
    0.9933992677987828
    """
    x, y = _pair(x, y, "pearson")
    unit = _centred_columns(np.column_stack([x, y]), "pearson")
    return float(np.clip(np.sum(unit[:, 0] * unit[:, 1]), -1.0, 1.0))


def rank(x: ArrayLike) -> np.ndarray:
    """Ranks 1..n of 1-D data, tied values sharing the average of the ranks they occupy. Shape (n,).

    ``np.unique`` sorts the distinct values and counts them; the g-th distinct value covers the ranks
    ``start + 1 .. start + count`` with ``start`` the number of smaller values, so its average rank is
    ``start + (count + 1) / 2``. Same as ``scipy.stats.rankdata(x)`` (method "average"). O(n log n).

    >>> rank([10.0, 30.0, 20.0, 30.0])
    array([1. , 3.5, 2. , 3.5])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"rank expects 1-D data, got an array of shape {x.shape}")
    if np.isnan(x).any():
        raise ValueError("rank: the data contain NaN, which has no place in an ordering")
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts
    return (start + (counts + 1) / 2)[inverse]


def spearman(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman's rho of paired data: Pearson's r of ``rank(x)`` and ``rank(y)``. O(n log n).

    +1 for any strictly increasing relation, however curved; ties get average ranks.

    >>> spearman([1.0, 2.0, 3.0, 4.0], [1.0, 8.0, 27.0, 64.0])
    1.0
    """
    x, y = _pair(x, y, "spearman")
    return pearson(rank(x), rank(y))


def correlation_matrix(data: ArrayLike, method: Literal["pearson", "spearman"] = "pearson") -> np.ndarray:
    """The (d, d) matrix of correlations between the columns of an (n, d) data matrix (rows = observations).

    Centre each column and scale it to unit length, ``U``; then ``R = U^T U``: symmetric, ones on the
    diagonal, every entry in [-1, 1]. ``method="spearman"`` ranks each column first. A constant column
    raises ValueError. O(n d^2) (plus O(d n log n) for the ranks).

    >>> correlation_matrix([[1.0, 2.0], [2.0, 1.0], [3.0, 0.0]])
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(f"correlation_matrix expects an (n, d) data matrix, got an array of shape {data.shape}")
    if data.shape[0] < 2 or data.shape[1] < 1:
        raise ValueError(f"correlation_matrix needs at least 2 rows and 1 column, got shape {data.shape}")
    if np.isnan(data).any():
        raise ValueError("correlation_matrix: the data contain NaN; drop or impute missing values first")
    if method == "spearman":
        data = np.column_stack([rank(column) for column in data.T])
    elif method != "pearson":
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}")
    unit = _centred_columns(data, "correlation_matrix")
    result = np.clip(unit.T @ unit, -1.0, 1.0)
    np.fill_diagonal(result, 1.0)
    return result
