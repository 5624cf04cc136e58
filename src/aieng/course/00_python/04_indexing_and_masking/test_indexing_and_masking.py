"""Checks for `indexing-masking`, against plain Python list comprehensions and sorted()."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.strategies import rngs


@st.composite
def matrices_with_nans(draw, max_rows=10, max_cols=5):
    """Random matrices, integer-valued so ranges hit their ends, with about one entry in five NaN."""
    rng = draw(rngs())
    n, d = draw(st.integers(0, max_rows)), draw(st.integers(1, max_cols))
    x = rng.integers(-5, 6, size=(n, d)).astype(np.float64)
    x[rng.random((n, d)) < 0.2] = np.nan
    return x


@given(matrices_with_nans(), st.data())
def test_filter_rows_matches_a_comprehension(impl, x, data):
    """filter_rows(x, c, low, high) keeps exactly [row for row in x if low <= row[c] <= high], in order."""
    column = data.draw(st.integers(-x.shape[1], x.shape[1] - 1), label="column")
    low = data.draw(st.integers(-6, 6), label="low")
    high = data.draw(st.integers(low, 6), label="high")
    expected = np.array([row for row in x if low <= row[column] <= high]).reshape(-1, x.shape[1])
    assert_close(impl.filter_rows(x, column, low, high), expected, rtol=0, atol=0,
                 what=f"filter_rows(x, {column}, {low}, {high})")


def test_filter_rows_rejects_bad_arguments(impl):
    """A missing column, an empty range (low > high) or a 1-D input raises ValueError."""
    x = np.arange(6.0).reshape(3, 2)
    assert_raises_value_error(impl.filter_rows, x, 2, 0.0, 1.0, why="x has columns 0 and 1 only")
    assert_raises_value_error(impl.filter_rows, x, 0, 2.0, 1.0, why="low > high is an empty range")
    assert_raises_value_error(impl.filter_rows, np.arange(3.0), 0, 0.0, 1.0, why="x must be 2-D")


@given(rngs(), st.integers(0, 12), st.integers(1, 6))
def test_pick_per_row_matches_a_comprehension(impl, rng, n, k):
    """pick_per_row(probs, labels) equals [probs[i][labels[i]] for i in range(n)]."""
    probs = rng.dirichlet(np.ones(k), size=n)
    labels = rng.integers(0, k, size=n)
    with forbid(impl, "numpy.take_along_axis", "numpy.choose"):
        got = impl.pick_per_row(probs, labels)
    assert_close(got, np.array([probs[i][labels[i]] for i in range(n)]), rtol=0, atol=0,
                 what="pick_per_row(probs, labels)")


def test_pick_per_row_small_example_and_errors(impl):
    """Rows [0.1, 0.9] and [0.7, 0.3] with labels [1, 0] give [0.9, 0.7]; bad labels or shapes raise ValueError."""
    probs = np.array([[0.1, 0.9], [0.7, 0.3]])
    assert_close(impl.pick_per_row(probs, np.array([1, 0])), [0.9, 0.7], what="pick_per_row")
    assert_raises_value_error(impl.pick_per_row, probs, np.array([2, 0]), why="label 2 is not a column of probs")
    assert_raises_value_error(impl.pick_per_row, probs, np.array([-1, 0]), why="labels cannot be negative")
    assert_raises_value_error(impl.pick_per_row, probs, np.array([1, 0, 1]), why="3 labels for 2 rows")
    assert_raises_value_error(impl.pick_per_row, probs, np.array([0.0, 1.0]), why="labels must be integers")


@given(matrices_with_nans(max_rows=8))
def test_fill_nan_matches_column_means_from_a_comprehension(impl, x):
    """Every NaN becomes the mean of [v for v in column if not isnan(v)] (0 for an all-NaN column); other entries
    stay."""
    before = x.copy()
    expected = x.copy()
    for j in range(x.shape[1]):
        known = [v for v in x[:, j] if not math.isnan(v)]
        fill = sum(known) / len(known) if known else 0.0
        expected[:, j] = [fill if math.isnan(v) else v for v in x[:, j]]
    got = impl.fill_nan_with_column_mean(x)
    assert_close(got, expected, rtol=1e-12, atol=1e-12, what="fill_nan_with_column_mean(x)", equal_nan=False)
    expect(np.array_equal(x, before, equal_nan=True), "fill_nan_with_column_mean changed its input: fill a copy")


def test_fill_nan_rejects_a_vector(impl):
    """A 1-D input raises ValueError: columns need a matrix."""
    assert_raises_value_error(impl.fill_nan_with_column_mean, np.array([1.0, np.nan]), why="x must be 2-D")


def _ranks_by_sorting(scores):
    """Oracle: sort positions by (score, position); the r-th position in that order has rank r."""
    order = sorted(range(len(scores)), key=lambda i: (scores[i], i))
    result = [0] * len(scores)
    for r, i in enumerate(order):
        result[i] = r
    return result


@given(st.lists(st.integers(-3, 3), max_size=30), st.booleans())
def test_ranks_match_sorting_with_ties_by_position(impl, values, as_float):
    """ranks(s) gives 0 to the smallest score and n - 1 to the largest; of equal scores the earlier ranks lower."""
    scores = np.array(values, dtype=np.float64 if as_float else np.int64)
    with forbid(impl, *present("scipy.stats", ["rankdata"])):
        got = impl.ranks(scores)
    got_array = np.asarray(got)
    expect(np.issubdtype(got_array.dtype, np.integer), f"ranks should be integers, got dtype {got_array.dtype}")
    assert_close(got_array, np.array(_ranks_by_sorting(values), dtype=np.int64), rtol=0, atol=0,
                 what=f"ranks({values})")


def test_ranks_rejects_nan_and_matrices(impl):
    """NaN scores or a 2-D input raise ValueError."""
    assert_raises_value_error(impl.ranks, np.array([1.0, np.nan]), why="NaN has no place in an order")
    assert_raises_value_error(impl.ranks, np.ones((2, 2)), why="scores must be 1-D")
