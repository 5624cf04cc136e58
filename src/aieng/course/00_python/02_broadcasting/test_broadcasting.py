"""Checks for `broadcasting`, against numpy.broadcast_shapes, scipy.spatial.distance.cdist and numpy.linalg.norm."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.spatial.distance import cdist

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.strategies import finite_floats, matrices, rngs

BROADCAST_HELPERS = ("numpy.broadcast_shapes", "numpy.broadcast_to", "numpy.broadcast_arrays", "numpy.broadcast")


def _shape_of(impl, shapes):
    with forbid(impl, *BROADCAST_HELPERS):
        return impl.broadcast_shape(*shapes)


def _check_shape(impl, shapes):
    call = f"broadcast_shape{tuple(shapes)}"
    try:
        expected = np.broadcast_shapes(*shapes)
    except ValueError:
        assert_raises_value_error(_shape_of, impl, shapes, why=f"numpy cannot broadcast {call[15:]}")
        return
    try:
        got = _shape_of(impl, shapes)
    except ValueError as exc:
        raise AssertionError(f"{call} raised ValueError ({exc}), but these shapes broadcast to {expected}") from exc
    expect(isinstance(got, tuple), f"{call} should return a tuple, got {type(got).__name__}: {got!r}")
    expect(got == expected, f"{call} returned {got}, expected {expected}")


@given(st.integers(1, 4).flatmap(
    lambda k: hnp.mutually_broadcastable_shapes(num_shapes=k, min_dims=0, max_dims=4, min_side=0, max_side=4)))
def test_broadcast_shape_of_compatible_shapes(impl, drawn):
    """For 1 to 4 shapes that do broadcast (some with 1s, 0s or fewer axes), the result is numpy's."""
    _check_shape(impl, drawn.input_shapes)


@given(st.lists(st.lists(st.integers(0, 3), max_size=3).map(tuple), min_size=1, max_size=3))
def test_broadcast_shape_of_random_shapes(impl, shapes):
    """For random shapes, mostly incompatible: the same shape as numpy, or ValueError where numpy refuses."""
    _check_shape(impl, shapes)


def test_broadcast_shape_small_cases(impl):
    """No shapes give (); a scalar () broadcasts with anything; 0 meets 1 but not 3; (2, 3) and (3, 2) fail."""
    for shapes in [(), ((),), ((), (2, 3)), ((5, 1, 3), (4, 1)), ((0,), (1,)), ((2, 1), (1, 0))]:
        _check_shape(impl, shapes)
    assert_raises_value_error(_shape_of, impl, ((0,), (3,)), why="a length 0 only matches 0 or 1")
    assert_raises_value_error(_shape_of, impl, ((2, 3), (3, 2)), why="3 meets 2 in the last axis")
    assert_raises_value_error(_shape_of, impl, ((2, -1),), why="lengths cannot be negative")


@st.composite
def point_sets(draw):
    """Two point clouds (m, d) and (n, d) with the same number of columns."""
    rng, m, n, d = draw(rngs()), draw(st.integers(1, 7)), draw(st.integers(1, 7)), draw(st.integers(1, 5))
    return rng.uniform(-10, 10, size=(m, d)), rng.uniform(-10, 10, size=(n, d))


@given(point_sets(), st.sampled_from(["euclidean", "sqeuclidean", "cityblock", "chebyshev"]))
def test_pairwise_distances_match_scipy_cdist(impl, points, metric):
    """pairwise_distances(a, b, metric) equals scipy.spatial.distance.cdist(a, b, metric), shape (m, n)."""
    a, b = points
    with forbid(impl, "scipy.spatial.distance.cdist", "scipy.spatial.distance.pdist"):
        got = impl.pairwise_distances(a, b, metric)
    assert_close(got, cdist(a, b, metric), rtol=1e-10, atol=1e-10, what=f"pairwise_distances(a, b, {metric!r})")


def test_pairwise_distances_default_is_euclidean_and_distance_to_self_is_zero(impl):
    """The default metric is Euclidean: (0, 0) to (3, 4) is 5; every point is at distance 0 from itself."""
    a = np.array([[0.0, 0.0], [3.0, 4.0]])
    assert_close(impl.pairwise_distances(a, a), [[0.0, 5.0], [5.0, 0.0]], what="pairwise_distances(a, a)")


def test_pairwise_distances_rejects_mismatched_inputs(impl):
    """Different numbers of columns, a 1-D input or an unknown metric raise ValueError."""
    assert_raises_value_error(impl.pairwise_distances, np.ones((2, 3)), np.ones((4, 2)),
                              why="points with 3 and 2 coordinates cannot be compared")
    assert_raises_value_error(impl.pairwise_distances, np.ones(3), np.ones((4, 3)), why="a must be 2-D")
    assert_raises_value_error(impl.pairwise_distances, np.ones((2, 3)), np.ones((4, 3)), "cosine",
                              why="'cosine' is not one of the four metrics")


@given(matrices().filter(lambda x: bool(np.all(np.abs(x).max(axis=1) > 1e-3))))
def test_normalize_rows_gives_unit_rows(impl, x):
    """normalize_rows(x) divides row i by ||x_i|| (numpy.linalg.norm of that row), also for square x."""
    expected = x / np.linalg.norm(x, axis=1)[:, None]
    assert_close(impl.normalize_rows(x), expected, rtol=1e-10, atol=1e-12, what="normalize_rows(x)")


def test_normalize_rows_on_a_square_matrix_and_zero_rows(impl):
    """Each row of a 2x2 matrix is divided by its own norm (not its column's), and a zero row stays zero."""
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    assert_close(impl.normalize_rows(x), [[0.6, 0.8], [0.0, 0.0]], what="normalize_rows([[3, 4], [0, 0]])")
    x = np.array([[1.0, 0.0], [0.0, 10.0]])
    assert_close(impl.normalize_rows(x), np.eye(2), what="normalize_rows([[1, 0], [0, 10]])")
    assert_raises_value_error(impl.normalize_rows, np.ones(3), why="a 1-D array has no rows")


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=finite_floats(-1e3, 1e3)))
def test_normalize_rows_keeps_directions(impl, x):
    """Each row keeps its direction: normalize_rows(x) * ||x_i|| gives back x (zero rows give zeros)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    got = np.asarray(impl.normalize_rows(x))
    assert_close(got * norms, x, rtol=1e-10, atol=1e-10, what="normalize_rows(x) * row norms")
