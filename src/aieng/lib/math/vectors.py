"""Vector norms: the length of a vector, measured several ways.

The p-norm is ``||x||_p = (sum_i |x_i|^p)^(1/p)`` for p >= 1 (and for 0 < p < 1 the same formula,
which is then not a true norm: the triangle inequality fails). Its limit as p -> inf is the max norm
``max_i |x_i|``. Machine learning meets them as regularizers (L1 -> sparse weights, L2 -> small weights)
and as distances (``||x - y||``).

Cost: O(n) for a vector of n entries.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def norm(x: ArrayLike, p: float = 2) -> float:
    """The p-norm of a 1-D vector `x` of shape (n,), for p > 0 or p = inf.

    >>> norm([3.0, -4.0]), norm([3.0, -4.0], 1), norm([3.0, -4.0], np.inf)
    (5.0, 7.0, 4.0)

    Large entries would overflow ``|x|^p``; scaling by ``m = max|x_i|`` first keeps it finite:
    ``||x||_p = m * ||x / m||_p``. The empty vector has norm 0.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"norm expects a 1-D vector, got an array of shape {x.shape}")
    if not (p > 0):
        raise ValueError(f"p must be positive (or inf), got {p}")
    magnitudes = np.abs(x)
    if magnitudes.size == 0:
        return 0.0
    largest = magnitudes.max()
    if p == np.inf or largest == 0.0:
        return float(largest)
    return float(largest * np.sum((magnitudes / largest) ** p) ** (1.0 / p))


def normalize(x: ArrayLike, p: float = 2) -> np.ndarray:
    """`x` scaled to unit p-norm, shape (n,): ``x / ||x||_p``. The zero vector has no direction."""
    x = np.asarray(x, dtype=np.float64)
    length = norm(x, p)
    if length == 0.0:
        raise ValueError("the zero vector cannot be normalized: it has no direction")
    return x / length
