"""Vectors: their length (norms), the dot product, the angle between two vectors, and projections.

The p-norm is ``||x||_p = (sum_i |x_i|^p)^(1/p)`` for p >= 1 (and for 0 < p < 1 the same formula,
which is then not a true norm: the triangle inequality fails). Its limit as p -> inf is the max norm
``max_i |x_i|``. Machine learning meets them as regularizers (L1 -> sparse weights, L2 -> small weights)
and as distances (``||x - y||``).

The dot product ``a . b = sum_i a_i b_i = ||a|| ||b|| cos(theta)`` turns lengths into angles and
projections: the shadow of one vector on the line of another. Every similarity score (cosine
similarity, attention logits) and every least-squares fit is built from it.

Left out: complex vectors (conjugation), angles in non-Euclidean inner products, batched inputs.
Cost: O(n) for vectors of n entries.
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


def _vector_pair(a: ArrayLike, b: ArrayLike, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Both inputs as float64 1-D arrays of the same length, or a ValueError naming `what`."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"{what} expects two 1-D vectors, got shapes {a.shape} and {b.shape}")
    if a.shape != b.shape:
        raise ValueError(f"{what} needs vectors of the same length, got {a.size} and {b.size}")
    return a, b


def dot(a: ArrayLike, b: ArrayLike) -> float:
    """The dot product ``a . b = sum_i a_i b_i`` of two 1-D vectors of shape (n,).

    >>> dot([1.0, 2.0, 3.0], [4.0, -5.0, 6.0])
    12.0

    Geometrically ``a . b = ||a|| ||b|| cos(theta)``: positive when the vectors point the same way, zero
    when they are orthogonal. The empty dot product is 0. Cost: O(n).
    """
    a, b = _vector_pair(a, b, "dot")
    return float(np.sum(a * b))


def angle(a: ArrayLike, b: ArrayLike) -> float:
    """The angle between two non-zero 1-D vectors, in radians, in [0, pi].

    ``theta = arccos(a . b / (||a|| ||b||))``. Round-off can push the cosine of (anti)parallel vectors
    just past +-1, where arccos is NaN, so it is clipped to [-1, 1] first. Near 0 and pi the angle is
    only accurate to about 1e-8 (arccos is steep there). Cost: O(n).

    >>> round(angle([1.0, 0.0], [1.0, 1.0]), 6)  # pi / 4
    0.785398
    """
    a, b = _vector_pair(a, b, "angle")
    length_a, length_b = norm(a), norm(b)
    if length_a == 0.0 or length_b == 0.0:
        raise ValueError("the angle with the zero vector is undefined: it has no direction")
    cosine = np.sum((a / length_a) * (b / length_b))
    return float(np.arccos(np.clip(cosine, -1.0, 1.0)))


def scalar_projection(a: ArrayLike, b: ArrayLike) -> float:
    """The signed length of the shadow of `a` on the direction of `b`: ``a . b / ||b||``.

    Equals ``||a|| cos(theta)``; negative when the angle is obtuse. `b` must be non-zero. Cost: O(n).

    >>> scalar_projection([3.0, 4.0], [2.0, 0.0])
    3.0
    """
    a, b = _vector_pair(a, b, "scalar_projection")
    length_b = norm(b)
    if length_b == 0.0:
        raise ValueError("cannot project onto the zero vector: it has no direction")
    return float(np.sum(a * (b / length_b)))


def vector_projection(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """The projection of `a` onto the line spanned by `b`: ``(a . b / b . b) b``, shape (n,).

    It is the point on that line closest to `a`; the residual ``a - proj`` is orthogonal to `b`.
    `b` must be non-zero. Cost: O(n).

    >>> vector_projection([3.0, 4.0], [2.0, 0.0])
    array([3., 0.])
    """
    a, b = _vector_pair(a, b, "vector_projection")
    length_b = norm(b)
    if length_b == 0.0:
        raise ValueError("cannot project onto the zero vector: it has no direction")
    unit = b / length_b  # dividing first keeps b . b from overflowing for huge b
    return np.sum(a * unit) * unit
