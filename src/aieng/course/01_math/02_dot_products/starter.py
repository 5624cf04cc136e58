"""Dot products, angles and projections — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check dot-products`.
Vectors are 1-D arrays (or lists) of shape (n,); use numpy's vectorized operations, no Python loop.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def dot(a: ArrayLike, b: ArrayLike) -> float:
    """Return the dot product sum_i a_i * b_i of two 1-D vectors of the same length, as a float.

    - The dot product of two empty vectors is 0.0.
    - Raise ValueError if an input is not 1-D or the lengths differ.
    """
    raise NotImplementedError


def angle(a: ArrayLike, b: ArrayLike) -> float:
    """Return the angle between the 1-D vectors `a` and `b` in radians, a float in [0, pi].

    theta = arccos(a.b / (||a|| ||b||)); clip the cosine to [-1, 1] before arccos so that round-off
    never produces NaN for (anti)parallel vectors.
    - Raise ValueError if either vector is zero (or empty), not 1-D, or the lengths differ.
    """
    raise NotImplementedError


def scalar_projection(a: ArrayLike, b: ArrayLike) -> float:
    """Return the signed length of the projection of `a` onto the direction of `b`: a.b / ||b||.

    Negative when the angle between them is obtuse. Raise ValueError if `b` is the zero vector,
    an input is not 1-D, or the lengths differ.
    """
    raise NotImplementedError


def vector_projection(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Return the projection of `a` onto the line spanned by `b`: (a.b / b.b) * b, shape (n,).

    Raise ValueError if `b` is the zero vector, an input is not 1-D, or the lengths differ.
    """
    raise NotImplementedError
