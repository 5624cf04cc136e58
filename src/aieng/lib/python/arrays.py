"""Numpy arrays: dtypes and their traps, axis-wise reductions, and reshaping.

An ``ndarray`` is a block of memory holding numbers of one ``dtype``, read through a ``shape``. Three
habits keep array code correct:

- know the dtype you compute in: ``uint8`` pixels wrap around (250 + 10 == 4), an ``int64`` sum of
  large values wraps silently, ``float16`` overflows past 65504 and keeps only ~3 decimal digits;
- name the axis you reduce over, and keep it (``keepdims=True``) when the result must broadcast back;
- reshape only what is contiguous in memory order: ``reshape`` reads and writes in C (row-major) order.

Implements: a mean always computed in float64, saturating addition for 8-bit images, one-hot encoding,
standardization along an axis, and splitting a dataset into equal batches. Left out: structured and
object dtypes, Fortran order, memory layout (strides) beyond what ``reshape`` needs.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_index
from numpy.typing import ArrayLike


def mean_float64(x: ArrayLike, axis: int | None = None) -> np.ndarray | float:
    """The mean of `x` over `axis` (all entries when None), accumulated and returned in float64.

    ``mean = (1/n) sum_i x_i``. Converting to float64 *before* summing avoids the two silent failures of
    ``x.sum() / n``: int64 sums wrap around (eight copies of 2**62 sum to 0) and float16 sums overflow
    to inf past 65504. Cost: O(x.size).

    >>> mean_float64(np.full(8, 2**62, dtype=np.int64))
    4.611686018427388e+18
    >>> mean_float64(np.array([[1, 2], [3, 4]], dtype=np.uint8), axis=0)
    array([2., 3.])
    """
    x = np.asarray(x)
    if not (np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.bool_)):
        raise ValueError(f"mean_float64 needs numbers, got dtype {x.dtype}")
    if axis is not None:
        axis = normalize_axis_index(axis, x.ndim)  # AxisError, a ValueError, for an axis x does not have
    count = x.size if axis is None else x.shape[axis]
    if count == 0:
        raise ValueError("the mean of no values is undefined: the reduced axis is empty")
    total = np.sum(x, axis=axis, dtype=np.float64)
    return float(total / count) if axis is None else total / count


def add_saturating(image: ArrayLike, delta: int) -> np.ndarray:
    """Add `delta` to every pixel of a uint8 image, clipping at 0 and 255 instead of wrapping around.

    uint8 arithmetic is modulo 256 (``np.uint8(250) + np.uint8(10) == 4``), so widen to a signed type that
    holds every intermediate value, clip, and narrow back. Same shape as `image`, dtype uint8; the input is
    not modified. Cost: O(image.size).

    >>> add_saturating(np.array([0, 100, 250], dtype=np.uint8), 10)
    array([ 10, 110, 255], dtype=uint8)
    """
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"add_saturating expects a uint8 image, got dtype {image.dtype}")
    widened = image.astype(np.int64) + int(delta)
    return np.clip(widened, 0, 255).astype(np.uint8)


def one_hot(labels: ArrayLike, n_classes: int) -> np.ndarray:
    """Encode integer class labels as rows of an identity matrix, shape (n, n_classes), float64.

    Row i is all zeros except a 1 in column ``labels[i]``. Built by comparing a column of labels with a
    row of class numbers (broadcasting (n, 1) against (n_classes,)). Cost: O(n * n_classes).

    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array, got shape {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    if n_classes < 1:
        raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values from {labels.min()} to {labels.max()}")
    return (labels[:, None] == np.arange(n_classes)).astype(np.float64)


def standardize(x: ArrayLike, axis: int = 0) -> np.ndarray:
    """Shift and scale `x` to mean 0 and standard deviation 1 along `axis`: ``z = (x - mean) / std``.

    The statistics are taken over `axis` with ``keepdims=True`` so they broadcast back against `x`; the
    standard deviation is the population one (ddof=0). A slice whose values are all equal has no spread
    and becomes all zeros instead of 0/0 = NaN. Same shape as `x`, float64. Cost: O(x.size).

    >>> standardize(np.array([[1.0, 5.0], [3.0, 5.0]]))
    array([[-1.,  0.],
           [ 1.,  0.]])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("standardize needs an array with at least one axis")
    axis = normalize_axis_index(axis, x.ndim)
    if x.shape[axis] == 0:
        raise ValueError("cannot standardize along an empty axis")
    centered = x - x.mean(axis=axis, keepdims=True)
    spread = x.std(axis=axis, keepdims=True)
    constant = np.ptp(x, axis=axis, keepdims=True) == 0  # exact test: round-off can leave std ~1e-17
    return np.divide(centered, spread, out=np.zeros_like(x), where=~constant)


def to_batches(x: ArrayLike, batch_size: int) -> np.ndarray:
    """Split the rows of `x`, shape (n, ...), into full batches: shape (n // batch_size, batch_size, ...).

    Rows left over after the last full batch are dropped (as ``drop_last=True`` does in a data loader).
    ``reshape`` reads rows in order, so batch j holds rows ``j*batch_size .. (j+1)*batch_size - 1``; the
    result is a view of `x` when `x` is contiguous. Cost: O(1) for the view.

    >>> to_batches(np.arange(7), 3)
    array([[0, 1, 2],
           [3, 4, 5]])
    """
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("to_batches needs an array of rows, got a scalar")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    n_batches = x.shape[0] // batch_size
    return x[: n_batches * batch_size].reshape(n_batches, batch_size, *x.shape[1:])
