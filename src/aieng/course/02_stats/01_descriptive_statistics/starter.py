"""Descriptive statistics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check descriptive-statistics`.

While your functions run, numpy's mean/median/var/std/quantile/percentile/cov (and nan-variants),
scipy.stats.mode and scipy.stats.iqr, and the `statistics` module are switched off. Build everything
from np.sum, np.sort, np.unique, np.floor and arithmetic (calling your own functions is fine).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def mean(x: ArrayLike) -> float:
    """Return the arithmetic mean of the 1-D data `x` (shape (n,)) as a float.

    Raise ValueError for empty data, data containing NaN, or input that is not 1-D
    (the same rules hold for every 1-D function below).
    """
    raise NotImplementedError


def median(x: ArrayLike) -> float:
    """Return the middle value of the sorted data; for even n, the mean of the two middle values."""
    raise NotImplementedError


def mode(x: ArrayLike) -> float:
    """Return the most frequent value; if several values tie for most frequent, the smallest of them."""
    raise NotImplementedError


def variance(x: ArrayLike, ddof: int = 0) -> float:
    """Return sum((x_i - mean)^2) / (n - ddof): ddof=0 population variance, ddof=1 sample variance.

    Subtract the mean first (two passes); mean(x^2) - mean(x)^2 loses all accuracy far from zero.
    Raise ValueError if ddof < 0 or n - ddof <= 0.
    """
    raise NotImplementedError


def std(x: ArrayLike, ddof: int = 0) -> float:
    """Return the standard deviation, the square root of variance(x, ddof)."""
    raise NotImplementedError


def quantile(x: ArrayLike, q: ArrayLike) -> float | np.ndarray:
    """Return the q-quantile of `x` by linear interpolation (numpy's default method), q in [0, 1].

    Sort x into s_0 <= ... <= s_{n-1}; with h = (n - 1) q and j = floor(h),
    Q(q) = s_j + (h - j) (s_{j+1} - s_j)   (at q = 1 simply s_{n-1}).
    A single q gives a float; an array of q gives an array of the same shape.
    Raise ValueError if any q is outside [0, 1].
    """
    raise NotImplementedError


def iqr(x: ArrayLike) -> float:
    """Return the interquartile range quantile(x, 0.75) - quantile(x, 0.25)."""
    raise NotImplementedError


def covariance_matrix(data: ArrayLike, ddof: int = 1) -> np.ndarray:
    """Return the (d, d) covariance matrix of the (n, d) matrix `data` (rows are observations).

    C[j, k] = sum_i (data[i, j] - mean_j)(data[i, k] - mean_k) / (n - ddof); ddof defaults to 1
    like np.cov. Raise ValueError for input that is not 2-D, empty, contains NaN, or has n <= ddof.
    """
    raise NotImplementedError
