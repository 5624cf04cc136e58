"""Broadcasting — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check broadcasting`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def broadcast_shape(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """Return the shape that arrays of the given `shapes` broadcast to, as a tuple of ints.

    Example: broadcast_shape((5, 1, 3), (4, 1)) == (5, 4, 3); broadcast_shape() == ().
    Raise ValueError if the shapes do not broadcast, or if a length is negative.
    Write the rule yourself: numpy.broadcast_shapes, broadcast_to, broadcast_arrays and broadcast
    are switched off while the tests call your function.
    """
    raise NotImplementedError


def pairwise_distances(a: ArrayLike, b: ArrayLike, metric: str = "euclidean") -> np.ndarray:
    """Return the (m, n) matrix of distances between the rows of `a` (m, d) and the rows of `b` (n, d).

    metric: "euclidean" sqrt(sum (a_i - b_j)^2), "sqeuclidean" (its square), "cityblock" sum |a_i - b_j|,
    or "chebyshev" max |a_i - b_j|. Use broadcasting, no Python loop (scipy's cdist is switched off).
    Raise ValueError if an input is not 2-D, the numbers of columns differ, or the metric is unknown.
    """
    raise NotImplementedError


def normalize_rows(x: ArrayLike) -> np.ndarray:
    """Return `x` (n, d) with every row divided by its Euclidean norm; rows of zeros stay zeros.

    Raise ValueError if `x` is not 2-D.
    """
    raise NotImplementedError
