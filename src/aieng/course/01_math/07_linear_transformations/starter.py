"""Linear transformations as matrices — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check linear-transformations`.

Conventions: angles in radians unless `degrees=True`; positive angles turn counter-clockwise; vectors are
columns, so a map acts as `M @ x`; a batch of points is an (N, n) array with one point per row.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def rotation_2d(angle: float, degrees: bool = False) -> np.ndarray:
    """Return the 2x2 matrix that turns the plane counter-clockwise by `angle` about the origin.

    [[cos t, -sin t], [sin t, cos t]]. If `degrees` is True, `angle` is in degrees.
    Raise ValueError for a NaN or infinite angle.
    """
    raise NotImplementedError


def rotation_3d(axis: ArrayLike, angle: float, degrees: bool = False) -> np.ndarray:
    """Return the 3x3 matrix that turns space by `angle` about `axis` (shape (3,)), right-hand rule.

    The axis need not have length 1. Raise ValueError for a zero axis or an axis that is not 3 numbers.
    """
    raise NotImplementedError


def scaling(factors: ArrayLike) -> np.ndarray:
    """Return the n x n matrix stretching axis i by factors[i] (factors has shape (n,))."""
    raise NotImplementedError


def shear_2d(k: float, axis: str = "x") -> np.ndarray:
    """Return the 2x2 shear: axis="x" maps (x, y) to (x + k y, y); axis="y" maps (x, y) to (x, y + k x).

    Raise ValueError for any other axis.
    """
    raise NotImplementedError


def reflection(normal: ArrayLike) -> np.ndarray:
    """Return the n x n mirror across the hyperplane through 0 perpendicular to `normal` (shape (n,)).

    It sends `normal` to `-normal` and fixes every vector orthogonal to it. Raise ValueError for a zero normal.
    """
    raise NotImplementedError


def projection_matrix(a: ArrayLike) -> np.ndarray:
    """Return the m x m matrix P projecting orthogonally onto the column space of `a` (shape (m, n)).

    P = A (A^T A)^-1 A^T. Raise ValueError if `a` is not a non-empty 2-D matrix with independent columns.
    """
    raise NotImplementedError


def compose(*matrices: ArrayLike) -> np.ndarray:
    """Return one matrix doing the maps in the order given: matrices[0] first, then matrices[1], ...

    compose(A, B, C) @ x == C @ (B @ (A @ x)). Raise ValueError with no matrix, or if shapes do not chain.
    """
    raise NotImplementedError


def transform_points(matrix: ArrayLike, points: ArrayLike) -> np.ndarray:
    """Apply `matrix` (shape (k, n)) to every row of `points` (shape (N, n)); return shape (N, k).

    Raise ValueError if `points` is not 2-D or its rows are not of length n.
    """
    raise NotImplementedError
