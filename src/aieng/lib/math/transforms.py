"""Linear transformations as matrices: rotations, scalings, shears, reflections, projections.

A linear map ``f`` on R^n is fully described by the images of the basis vectors: put ``f(e_j)`` in column
``j`` and ``f(x) = M @ x``. This module builds the standard maps (2-D rotation, 3-D rotation about an
axis by Rodrigues' formula, axis scaling, 2-D shear, Householder reflection, orthogonal projection onto
a column space), composes them in the order they are applied, and applies a map to many points stored
as rows.

Conventions: angles are in radians unless ``degrees=True``; positive angles turn counter-clockwise
(right-hand rule about the axis in 3-D); vectors are columns, so ``M @ x``, and a batch of points is an
``(N, n)`` array of rows, transformed as ``points @ M.T``.

Left out: affine maps (translations need homogeneous coordinates), perspective projection, and
quaternions (see ``scipy.spatial.transform.Rotation``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _as_matrix(a: ArrayLike, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix, got an array of shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return a


def _as_vector(x: ArrayLike, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got an array of shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return x


def rotation_2d(angle: float, degrees: bool = False) -> np.ndarray:
    """The 2x2 matrix turning the plane counter-clockwise by `angle` about the origin.

    ``R(t) = [[cos t, -sin t], [sin t, cos t]]``: its columns are where e1 = (1, 0) and e2 = (0, 1) land.
    ``R(a) @ R(b) = R(a + b)``, ``R(t).T = R(-t) = R(t)^-1`` and ``det R(t) = 1``. O(1).

    >>> np.round(rotation_2d(90, degrees=True) @ [1.0, 0.0], 12)
    array([0., 1.])
    """
    angle = float(angle)
    if not np.isfinite(angle):
        raise ValueError(f"the angle must be a finite number, got {angle}")
    if degrees:
        angle = np.deg2rad(angle)
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def rotation_3d(axis: ArrayLike, angle: float, degrees: bool = False) -> np.ndarray:
    """The 3x3 matrix turning space by `angle` about `axis` (right-hand rule), by Rodrigues' formula.

    With ``k = axis / ||axis||`` and ``K`` the cross-product matrix (``K @ x = k × x``):
    ``R = I + sin(t) K + (1 - cos(t)) K @ K``. The axis need not be unit length, but must not be zero. O(1).

    >>> np.round(rotation_3d([0, 0, 2], np.pi / 2) @ [1.0, 0.0, 0.0], 12)
    array([0., 1., 0.])
    """
    axis = _as_vector(axis, "axis")
    if axis.shape != (3,):
        raise ValueError(f"a 3-D rotation needs an axis of 3 numbers, got shape {axis.shape}")
    length = np.linalg.norm(axis)
    if length == 0.0:
        raise ValueError("the rotation axis must not be the zero vector")
    angle = float(angle)
    if not np.isfinite(angle):
        raise ValueError(f"the angle must be a finite number, got {angle}")
    if degrees:
        angle = np.deg2rad(angle)
    kx, ky, kz = axis / length
    k = np.array([[0.0, -kz, ky], [kz, 0.0, -kx], [-ky, kx, 0.0]])
    return np.eye(3) + np.sin(angle) * k + (1.0 - np.cos(angle)) * (k @ k)


def scaling(factors: ArrayLike) -> np.ndarray:
    """The n x n diagonal matrix stretching axis i by ``factors[i]``: ``diag(factors)``.

    A negative factor also mirrors that axis; a zero factor flattens it (the map is then not invertible).
    O(n^2) to build.

    >>> scaling([2.0, 0.5]) @ [1.0, 4.0]
    array([2., 2.])
    """
    return np.diag(_as_vector(factors, "factors"))


def shear_2d(k: float, axis: str = "x") -> np.ndarray:
    """The 2x2 shear that slides points along `axis` in proportion to the other coordinate.

    ``axis="x"``: (x, y) -> (x + k y, y), matrix ``[[1, k], [0, 1]]``.
    ``axis="y"``: (x, y) -> (x, y + k x), matrix ``[[1, 0], [k, 1]]``. Area is kept: ``det = 1``.

    >>> shear_2d(2.0) @ [1.0, 1.0]
    array([3., 1.])
    """
    k = float(k)
    if not np.isfinite(k):
        raise ValueError(f"the shear factor must be a finite number, got {k}")
    if axis == "x":
        return np.array([[1.0, k], [0.0, 1.0]])
    if axis == "y":
        return np.array([[1.0, 0.0], [k, 1.0]])
    raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")


def reflection(normal: ArrayLike) -> np.ndarray:
    """The n x n Householder reflection across the hyperplane through 0 perpendicular to `normal`.

    ``H = I - 2 n n^T / (n^T n)``: it flips `normal` (``H n = -n``) and fixes every vector orthogonal to
    it. ``H`` is symmetric and orthogonal, ``H @ H = I``, ``det H = -1``. O(n^2).
    In 2-D, the mirror line at angle t has normal (-sin t, cos t) and ``H = [[cos 2t, sin 2t], [sin 2t, -cos 2t]]``.

    >>> reflection([0.0, 1.0]) @ [3.0, 4.0]   # mirror in the x-axis
    array([ 3., -4.])
    """
    n = _as_vector(normal, "normal")
    squared_length = n @ n
    if squared_length == 0.0:
        raise ValueError("the normal of a reflection must not be the zero vector")
    return np.eye(n.size) - (2.0 / squared_length) * np.outer(n, n)


def projection_matrix(a: ArrayLike) -> np.ndarray:
    """The m x m matrix projecting orthogonally onto the column space of the m x n matrix `a`.

    ``P = A (A^T A)^-1 A^T``, computed stably as ``Q Q^T`` from the reduced QR factorization ``A = Q R``
    (same matrix, without squaring the condition number). ``P`` is symmetric and idempotent
    (``P @ P = P``), ``P y`` is the least-squares fit ``A x*`` and the residual ``y - P y`` is orthogonal
    to every column of ``A``. Needs full column rank (n <= m, independent columns). O(m n^2 + m^2 n).

    >>> projection_matrix([[1.0], [1.0]])   # onto the line y = x
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    a = _as_matrix(a, "a")
    m, n = a.shape
    if m == 0 or n == 0:
        raise ValueError(f"cannot project onto the columns of an empty matrix of shape {a.shape}")
    if n > m:
        raise ValueError(f"{n} columns in R^{m} cannot be independent: a needs full column rank")
    q, r = np.linalg.qr(a)
    diagonal = np.abs(np.diag(r))
    if diagonal.min() <= 1e-10 * diagonal.max():  # also catches the zero matrix (0 <= 0)
        raise ValueError("the columns of a are linearly dependent: A^T A is singular (need full column rank)")
    return q @ q.T


def compose(*matrices: ArrayLike) -> np.ndarray:
    """One matrix doing the given maps in the order given: first ``matrices[0]``, then ``matrices[1]``, ...

    Applying A then B to x is ``B @ (A @ x) = (B @ A) @ x``, so ``compose(A, B, C) = C @ B @ A``: the
    matrix applied first stands rightmost. Order matters (rotate-then-stretch is not stretch-then-rotate).
    Shapes must chain: each map's output dimension is the next one's input dimension. O(k n^3).

    >>> compose(np.diag([2.0, 1.0]), [[0.0, -1.0], [1.0, 0.0]])   # stretch x, then turn 90 degrees
    array([[ 0., -1.],
           [ 2.,  0.]])
    """
    if not matrices:
        raise ValueError("compose needs at least one matrix")
    result = _as_matrix(matrices[0], "matrices[0]")
    for i, m in enumerate(matrices[1:], start=1):
        m = _as_matrix(m, f"matrices[{i}]")
        if m.shape[1] != result.shape[0]:
            raise ValueError(
                f"matrices[{i}] takes vectors of length {m.shape[1]}, but the maps before it output "
                f"length {result.shape[0]}"
            )
        result = m @ result
    return result


def transform_points(matrix: ArrayLike, points: ArrayLike) -> np.ndarray:
    """Apply the map `matrix` (shape (k, n)) to each row of `points` (shape (N, n)); returns shape (N, k).

    Each point is a column vector in the math, ``y_i = M x_i``; stacked as rows this is ``points @ M.T``
    (one matrix product, no loop). O(N n k).

    >>> transform_points(rotation_2d(90, degrees=True), [[1.0, 0.0], [0.0, 2.0]]).round(12)
    array([[ 0.,  1.],
           [-2.,  0.]])
    """
    m = _as_matrix(matrix, "matrix")
    p = _as_matrix(points, "points")
    if p.shape[1] != m.shape[1]:
        raise ValueError(
            f"points have {p.shape[1]} coordinates each, but the matrix of shape {m.shape} maps "
            f"vectors of length {m.shape[1]} (points are rows: shape (N, {m.shape[1]}))"
        )
    return p @ m.T
