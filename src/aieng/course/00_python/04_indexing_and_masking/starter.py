"""Indexing, masks and ranks — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check indexing-masking`.
Use masks, integer index arrays, np.where and argsort; no Python loop over rows is needed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def filter_rows(x: ArrayLike, column: int, low: float, high: float) -> np.ndarray:
    """Return the rows of `x` (n, d) whose value in `column` lies in [low, high] (both ends included).

    Rows keep their original order; the result has shape (k, d), possibly (0, d). A NaN in `column`
    is never in range. Raise ValueError if `x` is not 2-D, `column` does not exist, or low > high.
    """
    raise NotImplementedError


def pick_per_row(probs: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """Return probs[i, labels[i]] for every row i: shape (n,), for probs (n, k) and integer labels (n,).

    Raise ValueError if the shapes do not fit, labels are not integers, or a label is outside 0..k-1.
    """
    raise NotImplementedError


def fill_nan_with_column_mean(x: ArrayLike) -> np.ndarray:
    """Return a copy of `x` (n, d) in which every NaN is replaced by the mean of the non-NaN values of its column.

    A column that holds no value at all is filled with 0.0. The input is left unchanged.
    Raise ValueError if `x` is not 2-D.
    """
    raise NotImplementedError


def ranks(scores: ArrayLike) -> np.ndarray:
    """Return the rank of each score, 0 for the smallest up to n - 1 for the largest: int array of shape (n,).

    Equal scores are ranked in order of position: the earlier one gets the smaller rank.
    Raise ValueError if `scores` is not 1-D or contains NaN.
    """
    raise NotImplementedError
