"""Vectorization: replacing Python loops over numbers with whole-array numpy operations.

A Python loop pays the interpreter's price on every element: look up the operation, check the types,
box the result into a new Python object. A numpy operation pays it once and then runs a compiled loop
over contiguous memory, often with SIMD instructions, so 10 to 100 times faster is typical. The craft is
to restate "for each element do f" as operations on whole arrays: cumulative sums, broadcasting,
reductions along an axis, ``np.clip``, ``np.where``.

Implements, without a single Python loop over the data: a moving average (cumulative sums), a numerically
stable row-wise softmax, polynomial evaluation at many points (Horner's rule on whole arrays) and
per-column clipping of outliers. Left out: numba/cython-style compilation, and recurrences whose
every step depends on the last (an exponential moving average), which do not vectorize this simply.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike


def moving_average(x: ArrayLike, window: int) -> np.ndarray:
    """The means of every run of `window` consecutive entries of the 1-D `x`: shape (n - window + 1,).

    ``out[i] = (x[i] + ... + x[i + window - 1]) / window``. With the cumulative sum ``c`` (a 0 in front),
    each window sum is a difference of two prefix sums, ``c[i + window] - c[i]``: O(n) work in total,
    whatever the window. (Prefix sums of huge, long series lose digits; fine at everyday scales.)

    >>> moving_average([1.0, 2.0, 3.0, 4.0], 2)
    array([1.5, 2.5, 3.5])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"moving_average expects a 1-D array, got shape {x.shape}")
    if not 1 <= window <= x.size:
        raise ValueError(f"window must be between 1 and len(x) = {x.size}, got {window}")
    prefix = np.concatenate(([0.0], np.cumsum(x)))
    return (prefix[window:] - prefix[:-window]) / window


def softmax_rows(z: ArrayLike) -> np.ndarray:
    """Softmax of every row of `z` (n, k): ``exp(z_ij) / sum_l exp(z_il)``, each row summing to 1.

    Subtracting the row maximum first changes nothing mathematically (the factor ``exp(-max)`` cancels)
    but keeps every exponent <= 0, so ``exp`` never overflows; entries of -inf become probability 0.
    Cost: O(n k).

    >>> softmax_rows([[0.0, 0.0], [1000.0, 1000.0]])
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2 or z.shape[1] == 0:
        raise ValueError(f"softmax_rows expects a 2-D array with at least one column, got shape {z.shape}")
    shifted = z - z.max(axis=1, keepdims=True)  # (n, k), every entry <= 0
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def polyval(coeffs: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Evaluate the polynomial with `coeffs` (highest degree first, as numpy.polyval) at every entry of `x`.

    ``p(x) = c_0 x^deg + c_1 x^(deg-1) + ... + c_deg``, by Horner's rule
    ``p = (...((c_0 x + c_1) x + c_2) x + ...) x + c_deg``: deg + 1 whole-array steps, each a multiply-add
    over every entry of `x` (any shape) at once, so nothing loops over the entries in Python. Same shape
    as `x`. No coefficients means the zero polynomial. Cost: O(x.size * deg).

    >>> polyval([1.0, 0.0, -1.0], [0.0, 2.0])   # x^2 - 1
    array([-1.,  3.])
    """
    coeffs = np.asarray(coeffs, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if coeffs.ndim != 1:
        raise ValueError(f"coeffs must be 1-D, got shape {coeffs.shape}")
    return functools.reduce(lambda acc, c: acc * x + c, coeffs, np.zeros_like(x))


def clip_outliers(x: ArrayLike, k: float = 3.0) -> np.ndarray:
    """Clip every column of `x` (n, d) to [mean_j - k std_j, mean_j + k std_j] (population std).

    The bounds are computed per column with reductions over axis 0 (shape (d,)), and ``np.clip``
    broadcasts them against every row. Values inside the band are untouched. Shape (n, d). Cost: O(n d).

    >>> clip_outliers([[0.0], [0.0], [0.0], [10.0]], k=1.0)[:, 0].round(3)
    array([0.  , 0.  , 0.  , 6.83])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"clip_outliers expects a 2-D array with at least one row, got shape {x.shape}")
    if not k >= 0:
        raise ValueError(f"k must be non-negative, got {k}")
    mean, std = x.mean(axis=0), x.std(axis=0)
    return np.clip(x, mean - k * std, mean + k * std)
