"""Checks for `linear-transformations`, against closed forms, numpy.linalg and scipy's Rotation."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.strategies import (
    finite_floats,
    full_rank_matrices,
    matrices,
    rngs,
    vectors,
    well_conditioned_matrices,
)

ANGLES = finite_floats(-20.0, 20.0)  # radians: a few full turns either way
TOL = {"rtol": 1e-9, "atol": 1e-12}  # entries are O(1): only round-off separates two right answers


def _closed_form_rotation(t):
    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


@given(ANGLES)
def test_rotation_2d_matches_the_closed_form(impl, t):
    """rotation_2d(t) is [[cos t, -sin t], [sin t, cos t]] (t in radians, counter-clockwise)."""
    assert_close(impl.rotation_2d(t), _closed_form_rotation(t), **TOL, what=f"rotation_2d({t})")


@given(finite_floats(-720.0, 720.0))
def test_rotation_2d_accepts_degrees(impl, d):
    """rotation_2d(d, degrees=True) turns by d degrees, i.e. by d * pi / 180 radians."""
    assert_close(
        impl.rotation_2d(d, degrees=True), _closed_form_rotation(np.deg2rad(d)), **TOL,
        what=f"rotation_2d({d}, degrees=True)",
    )


def test_quarter_turn_sends_x_axis_to_y_axis(impl):
    """A quarter turn counter-clockwise sends (1, 0) to (0, 1) and (0, 1) to (-1, 0)."""
    r = impl.rotation_2d(np.pi / 2)
    assert_close(r @ [1.0, 0.0], [0.0, 1.0], atol=1e-12, what="rotation_2d(pi/2) @ (1, 0)")
    assert_close(r @ [0.0, 1.0], [-1.0, 0.0], atol=1e-12, what="rotation_2d(pi/2) @ (0, 1)")
    assert_close(impl.rotation_2d(90, degrees=True), r, atol=1e-12, what="rotation_2d(90, degrees=True)")


@given(ANGLES, ANGLES)
def test_rotations_add_their_angles(impl, a, b):
    """Turning by b then by a is one turn by a + b: rotation_2d(a) @ rotation_2d(b) == rotation_2d(a + b)."""
    assert_close(
        impl.rotation_2d(a) @ impl.rotation_2d(b), _closed_form_rotation(a + b), **TOL,
        what=f"rotation_2d({a}) @ rotation_2d({b})",
    )


@given(ANGLES, vectors(2, 2))
def test_rotation_keeps_lengths_and_has_determinant_one(impl, t, x):
    """A rotation is orthogonal (R^T R = I), keeps every length and has determinant +1."""
    r = impl.rotation_2d(t)
    assert_close(r.T @ r, np.eye(2), atol=1e-12, what="R^T R")
    assert_close(np.linalg.det(r), 1.0, rtol=1e-12, what="det R")
    assert_close(np.linalg.norm(r @ x), np.linalg.norm(x), rtol=1e-12, atol=1e-12, what="||R x||")


@given(vectors(3, 3, -10.0, 10.0).filter(lambda v: np.linalg.norm(v) > 1e-3), ANGLES)
def test_rotation_3d_matches_scipy(impl, axis, t):
    """rotation_3d(axis, t) equals scipy's Rotation.from_rotvec(t * axis / ||axis||) (the axis need not be unit)."""
    expected = Rotation.from_rotvec(t * axis / np.linalg.norm(axis)).as_matrix()
    got = impl.rotation_3d(axis, t)
    assert_close(got, expected, rtol=1e-9, atol=1e-11, what=f"rotation_3d({axis.tolist()}, {t})")
    assert_close(got @ axis, axis, rtol=1e-9, atol=1e-9, what="rotation_3d(axis, t) @ axis (the axis stays put)")


def test_rotation_3d_quarter_turn_about_z(impl):
    """A quarter turn about +z (right-hand rule) sends x to y, also with degrees=True."""
    assert_close(impl.rotation_3d([0, 0, 1], np.pi / 2) @ [1.0, 0, 0], [0.0, 1.0, 0.0], atol=1e-12,
                 what="rotation_3d(z, pi/2) @ x")
    assert_close(impl.rotation_3d([0, 0, 5], 90, degrees=True) @ [1.0, 0, 0], [0.0, 1.0, 0.0], atol=1e-12,
                 what="rotation_3d((0, 0, 5), 90, degrees=True) @ x")


@given(vectors(1, 6, -5.0, 5.0))
def test_scaling_is_the_diagonal_matrix(impl, factors):
    """scaling(f) is diag(f): it stretches axis i by f[i] and leaves the others alone."""
    assert_close(impl.scaling(factors), np.diag(factors), atol=0, what=f"scaling({factors.tolist()})")


@given(finite_floats(-10.0, 10.0))
def test_shear_matches_the_closed_form(impl, k):
    """shear_2d(k, 'x') is [[1, k], [0, 1]], shear_2d(k, 'y') is [[1, 0], [k, 1]]; both keep area (det 1)."""
    assert_close(impl.shear_2d(k), [[1.0, k], [0.0, 1.0]], atol=0, what=f"shear_2d({k})")
    assert_close(impl.shear_2d(k, axis="x"), [[1.0, k], [0.0, 1.0]], atol=0, what=f"shear_2d({k}, 'x')")
    assert_close(impl.shear_2d(k, axis="y"), [[1.0, 0.0], [k, 1.0]], atol=0, what=f"shear_2d({k}, 'y')")


@given(vectors(1, 6, -10.0, 10.0).filter(lambda v: np.linalg.norm(v) > 1e-3))
def test_reflection_is_the_householder_matrix(impl, n):
    """reflection(n) is I - 2 n n^T / (n^T n): it flips n, and is symmetric, orthogonal, with det -1."""
    h = impl.reflection(n)
    expected = np.eye(n.size) - 2.0 * np.outer(n, n) / (n @ n)
    assert_close(h, expected, rtol=1e-9, atol=1e-12, what=f"reflection({n.tolist()})")
    assert_close(h @ n, -n, rtol=1e-9, atol=1e-10, what="reflection(n) @ n")
    assert_close(h @ h, np.eye(n.size), atol=1e-12, what="H @ H (reflecting twice changes nothing)")
    assert_close(np.linalg.det(h), -1.0, rtol=1e-9, what="det H")


@given(ANGLES)
def test_reflection_in_a_line_through_the_origin(impl, t):
    """The mirror line at angle t has normal (-sin t, cos t) and matrix [[cos 2t, sin 2t], [sin 2t, -cos 2t]]."""
    expected = np.array([[np.cos(2 * t), np.sin(2 * t)], [np.sin(2 * t), -np.cos(2 * t)]])
    assert_close(impl.reflection([-np.sin(t), np.cos(t)]), expected, rtol=1e-9, atol=1e-12,
                 what=f"reflection in the line at angle {t}")


@given(rngs(), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_compose_applies_maps_in_the_order_given(impl, rng, n0, n1, n2, n3):
    """compose(A, B, C) @ x == C @ (B @ (A @ x)): A acts first, so it stands rightmost in the product."""
    a, b, c = rng.normal(size=(n1, n0)), rng.normal(size=(n2, n1)), rng.normal(size=(n3, n2))
    x = rng.normal(size=n0)
    got = impl.compose(a, b, c)
    assert_close(got, c @ b @ a, rtol=1e-9, atol=1e-12, what="compose(A, B, C)")
    assert_close(got @ x, c @ (b @ (a @ x)), rtol=1e-9, atol=1e-12, what="compose(A, B, C) @ x")
    assert_close(impl.compose(a), a, atol=0, what="compose(A) (a single map is itself)")


def test_order_matters_rotate_then_stretch(impl):
    """Stretching x by 2 then turning 90 degrees differs from turning then stretching; compose follows the order."""
    turn = _closed_form_rotation(np.pi / 2)
    stretch = np.diag([2.0, 1.0])
    assert_close(impl.compose(stretch, turn) @ [1.0, 0.0], [0.0, 2.0], atol=1e-12,
                 what="compose(stretch, turn) @ (1, 0) (stretch to (2, 0), then turn)")
    assert_close(impl.compose(turn, stretch) @ [1.0, 0.0], [0.0, 1.0], atol=1e-12,
                 what="compose(turn, stretch) @ (1, 0) (turn to (0, 1), then stretch x: no change)")


def test_compose_rejects_maps_that_do_not_chain(impl):
    """compose() with no matrix, or with shapes that do not chain, raises ValueError."""
    assert_raises_value_error(impl.compose, why="there is no map to compose")
    assert_raises_value_error(impl.compose, np.ones((3, 2)), np.ones((2, 2)),
                              why="the first map outputs 3 numbers but the second takes 2")


@given(matrices(1, 4, 1, 4), st.integers(0, 6), rngs())
def test_transform_points_maps_each_row(impl, m, n_points, rng):
    """transform_points(M, P) applies M to every row of P: row i of the result is M @ P[i] (i.e. P @ M.T)."""
    points = rng.normal(size=(n_points, m.shape[1]))
    expected = np.array([m @ p for p in points]).reshape(n_points, m.shape[0])
    assert_close(impl.transform_points(m, points), expected, rtol=1e-9, atol=1e-10, what="transform_points(M, P)")


def test_transform_points_rejects_wrong_dimensions(impl):
    """Points of the wrong dimension, or a 1-D point instead of a (N, n) array, raise ValueError."""
    assert_raises_value_error(impl.transform_points, np.eye(2), np.ones((5, 3)),
                              why="a 2x2 map cannot act on 3-D points")
    assert_raises_value_error(impl.transform_points, np.eye(2), np.ones(2),
                              why="points are the rows of a 2-D array (use shape (1, 2) for one point)")


@given(full_rank_matrices(min_rows=6, max_rows=10, max_cols=6), rngs())
def test_projection_matches_least_squares(impl, a, rng):
    """projection_matrix(A) is A (A^T A)^-1 A^T, and P @ y is the least-squares fit A x* (numpy.linalg.lstsq)."""
    p = impl.projection_matrix(a)
    assert_close(p, a @ np.linalg.solve(a.T @ a, a.T), rtol=1e-7, atol=1e-9, what="projection_matrix(A)")
    y = rng.normal(size=a.shape[0])
    x_star = np.linalg.lstsq(a, y, rcond=None)[0]
    assert_close(p @ y, a @ x_star, rtol=1e-7, atol=1e-9, what="P @ y vs the least-squares fitted values")


@given(full_rank_matrices(min_rows=6, max_rows=10, max_cols=6), rngs())
def test_projection_is_symmetric_idempotent_with_orthogonal_residual(impl, a, rng):
    """P = P^T, P @ P = P (projecting twice changes nothing), and y - P y is orthogonal to every column of A."""
    p = impl.projection_matrix(a)
    assert_close(p, p.T, atol=1e-9, what="P vs P^T")
    assert_close(p @ p, p, atol=1e-9, what="P @ P vs P")
    y = rng.normal(size=a.shape[0])
    assert_close(a.T @ (y - p @ y), np.zeros(a.shape[1]), atol=1e-8 * np.abs(a).max(), what="A^T (y - P y)")


@given(well_conditioned_matrices(1, 6))
def test_projection_onto_all_of_space_is_the_identity(impl, a):
    """When A is square and invertible its columns span everything, so P = I."""
    n = a.shape[0]
    assert_close(impl.projection_matrix(a), np.eye(n), atol=1e-9, what="projection_matrix(square invertible A)")


def test_projection_rejects_dependent_columns(impl):
    """A matrix whose columns are dependent (A^T A singular), empty, 1-D or wide raises ValueError."""
    duplicated = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    assert_raises_value_error(impl.projection_matrix, duplicated, why="column 2 = 2 x column 1, so A^T A is singular")
    assert_raises_value_error(impl.projection_matrix, np.zeros((4, 1)), why="the zero column spans nothing")
    assert_raises_value_error(impl.projection_matrix, np.ones((2, 3)), why="3 columns in R^2 are dependent")
    assert_raises_value_error(impl.projection_matrix, np.ones(3), why="A must be a 2-D matrix")
    assert_raises_value_error(impl.projection_matrix, np.zeros((0, 0)), why="A is empty")


def test_rejects_bad_arguments(impl):
    """A zero normal or axis, a 3-D axis of the wrong length, or an unknown shear axis raises ValueError."""
    assert_raises_value_error(impl.reflection, np.zeros(3), why="the zero vector is no normal")
    assert_raises_value_error(impl.rotation_3d, np.zeros(3), 1.0, why="the zero vector is no axis")
    assert_raises_value_error(impl.rotation_3d, np.ones(2), 1.0, why="a 3-D axis has 3 coordinates")
    assert_raises_value_error(impl.shear_2d, 1.0, "z", why="a 2-D shear is along 'x' or 'y'")
