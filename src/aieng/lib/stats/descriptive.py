"""Descriptive statistics: one number (or one small matrix) that summarizes a column of data.

Centre: the mean ``sum(x) / n``, the median (the middle of the sorted data) and the mode (the most
frequent value; ties go to the smallest). Spread: the variance ``sum((x - mean)^2) / (n - ddof)`` and its
square root the standard deviation, the quantiles (numpy's default "linear" rule: position
``(n - 1) q`` in the sorted data, interpolated between neighbours) and the interquartile range
``Q(0.75) - Q(0.25)``. Joint spread: the covariance matrix of the columns of a data matrix.

``ddof`` ("delta degrees of freedom") selects the divisor: 0 gives the population variance (the data
*are* the population), 1 the unbiased sample variance (the data are a sample from a larger population).
numpy's ``var``/``std`` default to 0 and ``cov`` to 1; this module keeps those defaults so the two agree.

Every function takes 1-D data (the covariance matrix takes 2-D, rows = observations), refuses empty
input and NaN with ValueError (decide about missing values first: stage 03), and uses the two-pass
formula for the variance (subtract the mean, then square), which stays accurate when the data sit far
from zero. Left out: weights, the other eight quantile definitions, NaN-skipping variants, streaming
(Welford) updates. Cost: O(n) for the moments, O(n log n) for anything that sorts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _data(x: ArrayLike, what: str) -> np.ndarray:
    """`x` as a non-empty 1-D float64 array without NaN, or a ValueError naming `what`."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{what} expects 1-D data, got an array of shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{what} of empty data is undefined")
    if np.isnan(x).any():
        raise ValueError(f"{what}: the data contain NaN; drop or impute missing values first")
    return x


def mean(x: ArrayLike) -> float:
    """The arithmetic mean ``(x_1 + ... + x_n) / n`` of 1-D data. O(n).

    >>> mean([1.0, 2.0, 6.0])
    3.0
    """
    x = _data(x, "mean")
    return float(np.sum(x) / x.size)


def median(x: ArrayLike) -> float:
    """The middle value of the sorted data; for even n the average of the two middle values. O(n log n).

    Half the data lie on each side, so one huge outlier barely moves it (the mean it drags anywhere).

    >>> median([5.0, 1.0, 3.0]), median([4.0, 1.0, 3.0, 2.0])
    (3.0, 2.5)
    """
    s = np.sort(_data(x, "median"))
    half = s.size // 2
    return float(s[half]) if s.size % 2 else float((s[half - 1] + s[half]) / 2)


def mode(x: ArrayLike) -> float:
    """The most frequent value; among equally frequent values, the smallest (scipy.stats.mode's rule).

    ``np.unique`` sorts the distinct values and counts them; ``argmax`` returns the first maximum, which is
    therefore the smallest of the tied values. O(n log n).

    >>> mode([3.0, 1.0, 3.0, 1.0, 2.0])
    1.0
    """
    values, counts = np.unique(_data(x, "mode"), return_counts=True)
    return float(values[np.argmax(counts)])


def _check_ddof(n: int, ddof: int, what: str) -> None:
    if ddof < 0 or ddof != int(ddof):
        raise ValueError(f"{what}: ddof must be a non-negative integer, got {ddof}")
    if n - ddof <= 0:
        raise ValueError(f"{what}: {n} value(s) with ddof={ddof} leave no degrees of freedom (need n > ddof)")


def variance(x: ArrayLike, ddof: int = 0) -> float:
    """``sum((x_i - mean)^2) / (n - ddof)``: population variance for ddof=0, sample variance for ddof=1.

    Two passes (mean first, then squared deviations) on purpose: the one-pass shortcut
    ``mean(x^2) - mean(x)^2`` subtracts two nearly equal huge numbers when the data sit far from zero
    and can even come out negative. O(n).

    >>> variance([1.0, 2.0, 3.0, 4.0]), variance([1.0, 2.0, 3.0, 4.0], ddof=1)
    (1.25, 1.6666666666666667)
    """
    x = _data(x, "variance")
    _check_ddof(x.size, ddof, "variance")
    deviations = x - np.sum(x) / x.size
    return float(np.sum(deviations * deviations) / (x.size - ddof))


def std(x: ArrayLike, ddof: int = 0) -> float:
    """The standard deviation ``sqrt(variance(x, ddof))``, in the units of the data. O(n).

    >>> std([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    2.0
    """
    return float(np.sqrt(variance(x, ddof)))


def quantile(x: ArrayLike, q: ArrayLike) -> float | np.ndarray:
    """The q-quantile(s) of the data, q in [0, 1], by linear interpolation (numpy's default method).

    Sort the data into ``s_0 <= ... <= s_{n-1}``; the quantile sits at position ``h = (n - 1) q``, between
    ``s_floor(h)`` and the next value: ``Q(q) = s_j + (h - j)(s_{j+1} - s_j)`` with ``j = floor(h)``.
    q = 0 is the minimum, 0.5 the median, 1 the maximum. A scalar q gives a float, an array of q an array
    of the same shape. O(n log n + len(q)).

    >>> quantile([1.0, 2.0, 3.0, 4.0, 5.0], 0.1), quantile([10.0, 20.0], [0.0, 0.25, 1.0])
    (1.4, array([10. , 12.5, 20. ]))
    """
    s = np.sort(_data(x, "quantile"))
    q_array = np.asarray(q, dtype=np.float64)
    if np.isnan(q_array).any() or (q_array < 0).any() or (q_array > 1).any():
        raise ValueError(f"quantile: q must lie in [0, 1], got {q}")
    position = (s.size - 1) * q_array
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, s.size - 1)
    fraction = position - below
    result = s[below] + fraction * (s[above] - s[below])
    return float(result) if result.ndim == 0 else result


def iqr(x: ArrayLike) -> float:
    """The interquartile range ``Q(0.75) - Q(0.25)``: the width of the middle half of the data. O(n log n).

    Like the median, it ignores the extremes, so it is the robust partner of the standard deviation
    (for normal data, IQR ~= 1.349 sigma).

    >>> iqr([1.0, 2.0, 3.0, 4.0, 5.0])
    2.0
    """
    lower, upper = quantile(x, [0.25, 0.75])
    return float(upper - lower)


def covariance_matrix(data: ArrayLike, ddof: int = 1) -> np.ndarray:
    """The (d, d) covariance matrix of an (n, d) data matrix whose rows are observations.

    ``C = D^T D / (n - ddof)`` with ``D`` the column-centred data, so ``C[j, k]`` is the covariance of
    columns j and k and the diagonal holds the variances. ddof defaults to 1, like ``np.cov``. The result
    is symmetric and positive semi-definite. O(n d^2).

    >>> covariance_matrix([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    array([[1., 2.],
           [2., 4.]])
    """
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(f"covariance_matrix expects an (n, d) data matrix, got an array of shape {data.shape}")
    if data.size == 0:
        raise ValueError(f"covariance_matrix of an empty data matrix (shape {data.shape}) is undefined")
    if np.isnan(data).any():
        raise ValueError("covariance_matrix: the data contain NaN; drop or impute missing values first")
    n = data.shape[0]
    _check_ddof(n, ddof, "covariance_matrix")
    centred = data - np.sum(data, axis=0) / n
    return centred.T @ centred / (n - ddof)
