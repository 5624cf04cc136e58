"""Checks for `dot-products`, against numpy.dot, numpy.arccos and the closed-form projections."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.strategies import vector_pairs, vectors


def _nonzero(pair):
    return min(np.linalg.norm(pair[0]), np.linalg.norm(pair[1])) > 1e-3


def _cancellation_atol(a, b):
    """Round-off in a sum scales with the sum of the magnitudes, not with the (possibly tiny) result."""
    return 1e-12 * float(np.abs(a) @ np.abs(b)) + 1e-300


def _angle_oracle(a, b):
    cosine = np.dot(a / np.linalg.norm(a), b / np.linalg.norm(b))
    return np.arccos(np.clip(cosine, -1.0, 1.0))


# Vectors for which the textbook cosine a.b / (|a| |b|) rounds to a value just above 1.
PARALLEL_TRAPS = [
    (np.array([2.3, -3.5]), 7.0),
    (np.array([-6.7, 3.5, -3.6, 4.2, -0.8]), 3.0),
    (np.array([2.1, 0.3, 6.7]), 7.0),
    (np.array([-5.9, 8.5, -3.4, 1.7]), 0.1),
]


@given(vector_pairs())
def test_dot_matches_numpy(impl, pair):
    """dot(a, b) equals numpy.dot(a, b) on random vectors (up to round-off in the sum)."""
    a, b = pair
    assert_close(impl.dot(a, b), np.dot(a, b), rtol=1e-9, atol=_cancellation_atol(a, b), what="dot(a, b)")


def test_dot_small_example_and_empty(impl):
    """dot([1, 2, 3], [4, -5, 6]) is 12, returned as a number; the dot product of two empty vectors is 0."""
    value = impl.dot(np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0]))
    assert np.ndim(value) == 0, f"dot should return a scalar, got {value!r}"
    assert_close(value, 12.0, what="dot([1, 2, 3], [4, -5, 6])")
    assert_close(impl.dot(np.array([]), np.array([])), 0.0, what="dot([], [])")


def test_dot_rejects_bad_shapes(impl):
    """dot raises ValueError for vectors of different lengths and for 2-D inputs."""
    assert_raises_value_error(impl.dot, np.ones(3), np.ones(4), why="the lengths differ (3 and 4)")
    assert_raises_value_error(impl.dot, np.ones((2, 2)), np.ones((2, 2)), why="dot works on 1-D vectors")


@given(vector_pairs(min_size=2).filter(_nonzero))
def test_angle_matches_numpy(impl, pair):
    """angle(a, b) equals arccos(a.b / (|a| |b|)) in radians, on random non-zero vectors (to 1e-6)."""
    a, b = pair
    assert_close(impl.angle(a, b), _angle_oracle(a, b), rtol=1e-7, atol=1e-6, what="angle(a, b)")


def test_angle_known_values(impl):
    """Right angle is pi/2, 45 degrees is pi/4, opposite directions give pi, and the result is in radians."""
    assert_close(impl.angle(np.array([1.0, 0.0]), np.array([0.0, 3.0])), np.pi / 2, what="angle([1, 0], [0, 3])")
    assert_close(impl.angle(np.array([1.0, 0.0]), np.array([2.0, 2.0])), np.pi / 4, what="angle([1, 0], [2, 2])")
    assert_close(impl.angle(np.array([1.0, 0.0]), np.array([-5.0, 0.0])), np.pi, what="angle([1, 0], [-5, 0])")


@given(vectors(min_size=1).filter(lambda v: np.linalg.norm(v) > 1e-3), st.floats(0.01, 100.0))
def test_angle_of_parallel_vectors_is_zero_not_nan(impl, x, c):
    """angle(x, c*x) is 0 and angle(x, -c*x) is pi: clip the cosine to [-1, 1] so round-off never gives NaN."""
    assert_close(impl.angle(x, c * x), 0.0, atol=1e-6, equal_nan=False, what="angle(x, c*x)")
    assert_close(impl.angle(x, -c * x), np.pi, atol=1e-6, equal_nan=False, what="angle(x, -c*x)")


def test_angle_clips_round_off_past_one(impl):
    """For these parallel vectors the cosine rounds to just above 1; angle must still be 0 (not NaN)."""
    for x, c in PARALLEL_TRAPS:
        assert_close(impl.angle(x, c * x), 0.0, atol=1e-6, equal_nan=False, what=f"angle({x.tolist()}, {c} * x)")
        assert_close(impl.angle(x, -c * x), np.pi, atol=1e-6, equal_nan=False, what=f"angle({x.tolist()}, -{c} * x)")


def test_angle_rejects_zero_vector_and_bad_shapes(impl):
    """angle with the zero vector raises ValueError (it has no direction), as do mismatched lengths."""
    assert_raises_value_error(impl.angle, np.zeros(3), np.ones(3), why="the zero vector has no direction")
    assert_raises_value_error(impl.angle, np.ones(3), np.zeros(3), why="the zero vector has no direction")
    assert_raises_value_error(impl.angle, np.ones(2), np.ones(3), why="the lengths differ (2 and 3)")


@given(vector_pairs().filter(_nonzero))
def test_scalar_projection_matches_closed_form(impl, pair):
    """scalar_projection(a, b) equals a.b / |b| (computed with numpy), a signed length."""
    a, b = pair
    expected = np.dot(a, b) / np.linalg.norm(b)
    atol = 1e-10 * np.linalg.norm(a)
    assert_close(impl.scalar_projection(a, b), expected, rtol=1e-9, atol=atol, what="scalar_projection(a, b)")


@given(vector_pairs().filter(_nonzero))
def test_vector_projection_matches_closed_form(impl, pair):
    """vector_projection(a, b) equals (a.b / b.b) * b (computed with numpy), a vector along b."""
    a, b = pair
    expected = np.dot(a, b) / np.dot(b, b) * b
    atol = 1e-10 * np.linalg.norm(a)
    assert_close(impl.vector_projection(a, b), expected, rtol=1e-9, atol=atol, what="vector_projection(a, b)")


@given(vector_pairs().filter(_nonzero), st.floats(-50.0, 50.0).filter(lambda c: abs(c) > 0.01))
def test_projection_depends_only_on_the_line_of_b(impl, pair, c):
    """Projecting onto c*b gives the same vector as onto b, for any c != 0, and the residual is orthogonal to b."""
    a, b = pair
    expected = np.dot(a, b) / np.dot(b, b) * b
    got = impl.vector_projection(a, c * b)
    assert_close(got, expected, rtol=1e-9, atol=1e-10 * np.linalg.norm(a), what=f"vector_projection(a, {c:g} * b)")
    residual_dot = np.dot(a - np.asarray(got), b)
    assert_close(residual_dot, 0.0, atol=1e-9 * np.linalg.norm(a) * np.linalg.norm(b), what="(a - proj) . b")


def test_projection_small_example(impl):
    """Projecting (3, 4) onto the x-axis direction (2, 0) gives length 3 and the vector (3, 0)."""
    a, b = np.array([3.0, 4.0]), np.array([2.0, 0.0])
    assert_close(impl.scalar_projection(a, b), 3.0, what="scalar_projection([3, 4], [2, 0])")
    assert_close(impl.vector_projection(a, b), np.array([3.0, 0.0]), what="vector_projection([3, 4], [2, 0])")
    assert_close(impl.scalar_projection(a, -b), -3.0, what="scalar_projection([3, 4], [-2, 0])")


def test_projection_onto_zero_vector_raises(impl):
    """Projecting onto the zero vector raises ValueError: there is no line to project onto."""
    for fn in (impl.scalar_projection, impl.vector_projection):
        assert_raises_value_error(fn, np.ones(3), np.zeros(3), why="b = 0 spans no line")
        assert_raises_value_error(fn, np.ones(3), np.ones(2), why="the lengths differ (3 and 2)")
