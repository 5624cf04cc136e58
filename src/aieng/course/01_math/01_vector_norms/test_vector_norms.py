"""Checks for `vector-norms`, against numpy.linalg.norm."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.strategies import vectors


@given(vectors(), st.sampled_from([1, 2, np.inf]))
def test_matches_numpy_for_l1_l2_and_max_norms(impl, x, p):
    """norm(x, p) equals numpy.linalg.norm(x, p) for p = 1, 2 and inf, on random vectors."""
    assert_close(impl.norm(x, p), np.linalg.norm(x, p), what=f"norm(x, {p})")


@given(vectors(), st.floats(0.5, 6.0))
def test_matches_numpy_for_any_p(impl, x, p):
    """norm(x, p) equals numpy.linalg.norm(x, p) for fractional p between 0.5 and 6."""
    assert_close(impl.norm(x, p), np.linalg.norm(x, p), rtol=1e-9, what=f"norm(x, {p})")


def test_returns_a_python_float(impl):
    """norm returns a plain number (a float), not an array."""
    value = impl.norm(np.array([3.0, 4.0]))
    assert np.ndim(value) == 0, f"norm should return a scalar, got {value!r}"
    assert_close(value, 5.0, what="norm([3, 4])")


def test_zero_and_empty_vectors_have_norm_zero(impl):
    """The zero vector and the empty vector both have norm 0, for every p."""
    for p in (1, 2, 3.5, np.inf):
        assert_close(impl.norm(np.zeros(4), p), 0.0, what=f"norm(zeros(4), {p})")
        assert_close(impl.norm(np.array([]), p), 0.0, what=f"norm([], {p})")


@given(vectors(), st.sampled_from([1, 2, 3, np.inf]))
def test_huge_entries_do_not_overflow(impl, x, p):
    """Entries near 1e200 give the right finite norm (scale before you raise to a power).

    Oracle: homogeneity, ||c x|| = |c| ||x||, with numpy computing ||x|| on the unscaled vector
    (numpy.linalg.norm itself overflows here for p = 2).
    """
    assert_close(impl.norm(x * 1e200, p), 1e200 * np.linalg.norm(x, p), rtol=1e-9, what=f"norm(1e200 * x, {p})")


def test_rejects_matrices_and_bad_p(impl):
    """A 2-D input or p <= 0 raises ValueError with a message."""
    assert_raises_value_error(impl.norm, np.ones((2, 2)), 2, why="norm works on 1-D vectors")
    assert_raises_value_error(impl.norm, np.ones(3), 0, why="p must be positive")
    assert_raises_value_error(impl.norm, np.ones(3), -1, why="p must be positive")


@given(vectors().filter(lambda v: np.abs(v).max() > 1e-3), st.sampled_from([1, 2, np.inf]))
def test_normalize_gives_unit_length_same_direction(impl, x, p):
    """normalize(x, p) equals x / numpy.linalg.norm(x, p): same direction, length 1."""
    assert_close(impl.normalize(x, p), x / np.linalg.norm(x, p), what=f"normalize(x, {p})")


def test_normalize_rejects_zero_vector(impl):
    """normalize(0) raises ValueError: the zero vector has no direction."""
    assert_raises_value_error(impl.normalize, np.zeros(3), why="the zero vector has no direction")
