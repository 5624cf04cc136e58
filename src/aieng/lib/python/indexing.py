"""Indexing and masking: choosing entries of an array by position, by condition and by rank.

Three kinds of index, each with its own result:

- slices (``x[2:5]``, ``x[:, 0]``) give views that share memory with ``x``;
- boolean masks (``x[x > 0]``, ``x[mask_of_rows]``) keep the entries where the mask is True, as a copy;
- integer arrays ("fancy" indexing, ``x[[3, 0, 3]]``) pick positions in any order, repeats allowed, as a
  copy; two of them index pairs: ``x[rows, cols]`` is ``[x[rows[0], cols[0]], ...]``.

``np.where(condition, a, b)`` chooses elementwise between two arrays, and ``argsort`` turns values into
positions, which is how ranks and top-k lists are computed.

Implements: rows whose feature lies in a range, the probability of the true class per row (the gather at
the heart of cross-entropy), NaN imputation by column means, and ordinal ranks. Left out: ``np.ix_``,
``take_along_axis``, and assignment through fancy indices with repeats (``x[[0, 0]] += 1`` adds once).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def filter_rows(x: ArrayLike, column: int, low: float, high: float) -> np.ndarray:
    """The rows of `x` (n, d) whose value in `column` lies in [low, high], in their original order.

    One boolean mask of shape (n,) selects the rows: ``x[(x[:, c] >= low) & (x[:, c] <= high)]``
    (``&`` and parentheses, not ``and``). NaN compares False, so rows with NaN there are dropped.
    Shape (k, d). Cost: O(n d).

    >>> filter_rows(np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]), 1, 15.0, 30.0)
    array([[ 2., 20.],
           [ 3., 30.]])
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"filter_rows expects a 2-D array, got shape {x.shape}")
    if not -x.shape[1] <= column < x.shape[1]:
        raise ValueError(f"column {column} does not exist in an array with {x.shape[1]} columns")
    if low > high:
        raise ValueError(f"the range [{low}, {high}] is empty: low must not exceed high")
    values = x[:, column]
    return x[(values >= low) & (values <= high)]


def pick_per_row(probs: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """Entry ``probs[i, labels[i]]`` of every row: shape (n,).

    Two integer index arrays index pairs of positions, ``probs[np.arange(n), labels]``, so each row gives
    the one column its label names. With predicted class probabilities this is the probability of the
    true class, whose mean negative log is the cross-entropy loss. Cost: O(n).

    >>> pick_per_row(np.array([[0.1, 0.9], [0.7, 0.3]]), np.array([1, 0]))
    array([0.9, 0.7])
    """
    probs = np.asarray(probs)
    labels = np.asarray(labels)
    if probs.ndim != 2 or labels.ndim != 1 or labels.shape[0] != probs.shape[0]:
        raise ValueError(f"expected probs (n, k) and labels (n,), got shapes {probs.shape} and {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= probs.shape[1]):
        raise ValueError(f"labels must lie in 0..{probs.shape[1] - 1}")
    return probs[np.arange(labels.size), labels]


def fill_nan_with_column_mean(x: ArrayLike) -> np.ndarray:
    """A copy of `x` (n, d) with each NaN replaced by the mean of the non-NaN values of its column.

    ``np.nanmean`` gives the column means ignoring NaN (shape (d,)); ``np.where(np.isnan(x), means, x)``
    broadcasts them into the holes. A column with no value at all is filled with 0. Cost: O(n d).

    >>> fill_nan_with_column_mean(np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, np.nan]]))
    array([[1., 4.],
           [3., 4.],
           [2., 4.]])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"fill_nan_with_column_mean expects a 2-D array, got shape {x.shape}")
    missing = np.isnan(x)
    counts = (~missing).sum(axis=0)  # (d,)
    sums = np.where(missing, 0.0, x).sum(axis=0)  # (d,)
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(missing, means, x)


def ranks(scores: ArrayLike) -> np.ndarray:
    """The rank of every score from the smallest (rank 0) to the largest (rank n - 1); ties by position.

    ``order = argsort(scores)`` lists positions from smallest to largest; the rank of position
    ``order[r]`` is r, so scatter: ``ranks[order] = arange(n)``. A stable sort keeps equal scores in
    their original order, which makes ties deterministic. Shape (n,), int64. Cost: O(n log n).

    >>> ranks(np.array([30.0, 10.0, 20.0, 10.0]))
    array([3, 0, 2, 1])
    """
    scores = np.asarray(scores)
    if scores.ndim != 1:
        raise ValueError(f"ranks expects a 1-D array, got shape {scores.shape}")
    if np.issubdtype(scores.dtype, np.floating) and np.isnan(scores).any():
        raise ValueError("scores contain NaN, which has no place in an order")
    order = np.argsort(scores, kind="stable")
    result = np.empty(scores.size, dtype=np.int64)
    result[order] = np.arange(scores.size)
    return result
