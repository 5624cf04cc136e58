"""Broadcasting: how numpy lines up arrays of different shapes, and what it buys.

The rule, for any number of shapes: right-align them (pad the shorter ones with 1s on the left), then
in every position the lengths must be equal or 1; the result takes the length that is not 1 (a 1
stretches, without copying, to match). So (5, 1, 3) and (4, 1) give (5, 4, 3), while (2, 3) and (3, 2)
do not broadcast. Note that a length 0 is matched only by 0 or 1: (0,) and (1,) give (0,).

Implements the shape rule itself, a pairwise distance matrix built by broadcasting (m, 1, d) against
(1, n, d), and row normalization with a (n, 1) column of norms. Left out: the memory-saving
||a||^2 + ||b||^2 - 2 a.b form of squared distances (faster, but it cancels badly for nearby points),
and broadcasting in assignment (``a[...] = b``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

METRICS = ("euclidean", "sqeuclidean", "cityblock", "chebyshev")


def broadcast_shape(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that arrays of the given `shapes` broadcast to, or ValueError if they do not.

    Right-align, then per position take the one length that is not 1 (all 1s give 1). No shapes give ().

    >>> broadcast_shape((5, 1, 3), (4, 1))
    (5, 4, 3)
    >>> broadcast_shape((), (2,))
    (2,)

    Cost: O(k * d) for k shapes of at most d axes.
    """
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        if any(length < 0 for length in shape):
            raise ValueError(f"shape {tuple(shape)} has a negative length")
        padded = (1,) * (ndim - len(shape)) + tuple(shape)
        for axis, length in enumerate(padded):
            if length == 1:
                continue
            if result[axis] == 1:
                result[axis] = length
            elif result[axis] != length:
                raise ValueError(
                    f"shapes {', '.join(str(tuple(s)) for s in shapes)} do not broadcast: "
                    f"length {length} meets length {result[axis]} at axis {axis - ndim}"
                )
    return tuple(result)


def pairwise_distances(a: ArrayLike, b: ArrayLike, metric: str = "euclidean") -> np.ndarray:
    """Distances between every row of `a` (m, d) and every row of `b` (n, d): shape (m, n).

    ``D[i, j] = dist(a_i, b_j)`` for the metrics euclidean ``sqrt(sum (a_i - b_j)^2)``, sqeuclidean
    (its square), cityblock ``sum |a_i - b_j|`` and chebyshev ``max |a_i - b_j|``. The differences come
    from one broadcast, ``a[:, None, :] - b[None, :, :]`` of shape (m, n, d), reduced over the last axis.
    Cost: O(m n d) time and memory.

    >>> pairwise_distances([[0.0, 0.0]], [[3.0, 4.0], [1.0, 0.0]])
    array([[5., 1.]])
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(f"pairwise_distances expects two 2-D arrays, got shapes {a.shape} and {b.shape}")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"rows must have the same length, got {a.shape[1]} and {b.shape[1]} features")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    diff = a[:, None, :] - b[None, :, :]  # (m, n, d)
    if metric == "cityblock":
        return np.abs(diff).sum(axis=-1)
    if metric == "chebyshev":
        return np.abs(diff).max(axis=-1, initial=0.0)
    squared = np.sum(diff**2, axis=-1)  # (m, n)
    return squared if metric == "sqeuclidean" else np.sqrt(squared)


def normalize_rows(x: ArrayLike) -> np.ndarray:
    """Scale every row of `x` (n, d) to Euclidean length 1; all-zero rows stay zero. Shape (n, d).

    The norms form a column, shape (n, 1) (``keepdims=True``), so dividing stretches it across each
    row. A norm of shape (n,) would instead line up with the columns: wrong, and silent when n == d.
    Cost: O(n d).

    >>> normalize_rows([[3.0, 4.0], [0.0, 0.0]])
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"normalize_rows expects a 2-D array, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)  # (n, 1)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
