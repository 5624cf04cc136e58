"""Numpy arrays and dtypes — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check numpy-arrays`.
Use numpy operations on whole arrays; no Python loop over the entries is needed anywhere.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def mean_float64(x: ArrayLike, axis: int | None = None) -> np.ndarray | float:
    """Return the mean of `x` over `axis` (over all entries when axis is None), computed in float64.

    - `x` may have any numeric dtype (int8, uint8, int64, float16, float32, ...) and any shape.
    - Accumulate in float64: int64 sums of large values and float16 sums must not overflow.
    - axis None -> a Python float; otherwise a float64 array with that axis removed.
    - Raise ValueError if the reduced axis is empty (x.size == 0 for axis None) or x is not numeric.
    """
    raise NotImplementedError


def add_saturating(image: ArrayLike, delta: int) -> np.ndarray:
    """Return `image + delta` for a uint8 image of any shape, clipped to 0..255 (no wrap-around).

    - Result: same shape, dtype uint8. The input array is left unchanged.
    - `delta` is any Python int, negative (darken) or positive (brighten), possibly beyond +-255.
    - Raise ValueError if `image` is not of dtype uint8.
    """
    raise NotImplementedError


def one_hot(labels: ArrayLike, n_classes: int) -> np.ndarray:
    """Return the one-hot encoding of integer `labels` (shape (n,)): float64 array of shape (n, n_classes).

    Row i is 1.0 in column labels[i] and 0.0 elsewhere. Empty labels give shape (0, n_classes).
    Raise ValueError if labels is not 1-D, not of an integer dtype, or has a value outside
    0..n_classes-1, or if n_classes < 1.
    """
    raise NotImplementedError


def standardize(x: ArrayLike, axis: int = 0) -> np.ndarray:
    """Return (x - mean) / std along `axis`, same shape as `x`, float64.

    mean and std (population std, ddof=0) are taken over `axis` (negative axes count from the end).
    A slice along `axis` whose values are all equal becomes all zeros (not NaN).
    Raise ValueError if `x` is a scalar, `axis` does not exist, or the axis has length 0.
    """
    raise NotImplementedError


def to_batches(x: ArrayLike, batch_size: int) -> np.ndarray:
    """Split the rows of `x` (shape (n, ...)) into full batches: shape (n // batch_size, batch_size, ...).

    Batch j holds rows j*batch_size ... (j+1)*batch_size - 1, in order; leftover rows are dropped.
    Raise ValueError if batch_size < 1 or `x` is a scalar (0-d).
    """
    raise NotImplementedError
