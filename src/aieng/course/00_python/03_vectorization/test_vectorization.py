"""Checks for `vectorization`: plain Python loops, numpy.convolve, scipy.special.softmax and numpy.polyval
as oracles, and a look at the source of your functions for loops."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import softmax

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_no_loops, forbid
from aieng.grader.strategies import matrices, rngs, vectors


def test_no_python_loops_in_your_functions(impl):
    """No function in your file uses for, while, a comprehension, map, np.vectorize, apply_along_axis or frompyfunc.

    Whole-array numpy operations do the looping in compiled code; a Python loop runs the interpreter
    once per element, typically 10-100x slower (time both with `timeit` to see it for yourself).
    """
    assert_no_loops(impl)


@given(vectors(1, 40), st.data())
def test_moving_average_matches_a_loop_and_convolve(impl, x, data):
    """moving_average(x, w)[i] is mean(x[i:i+w]) (a plain loop), and equals numpy.convolve(x, ones(w)/w, 'valid')."""
    window = data.draw(st.integers(1, x.size), label="window")
    got = impl.moving_average(x, window)
    loop = np.array([sum(x[i:i + window]) / window for i in range(x.size - window + 1)])
    atol = 1e-12 * x.size * float(np.abs(x).max())  # prefix sums carry round-off of about eps * sum|x|
    assert_close(got, loop, rtol=1e-9, atol=atol, what=f"moving_average(x, {window})")
    assert_close(got, np.convolve(x, np.ones(window) / window, mode="valid"), rtol=1e-9, atol=atol,
                 what=f"moving_average(x, {window}) vs numpy.convolve")


def test_moving_average_small_example_and_errors(impl):
    """moving_average([1, 2, 3, 4], 2) is [1.5, 2.5, 3.5]; a window of 0, or longer than x, or a 2-D x raises
    ValueError."""
    assert_close(impl.moving_average(np.array([1.0, 2.0, 3.0, 4.0]), 2), [1.5, 2.5, 3.5], what="moving_average")
    assert_raises_value_error(impl.moving_average, np.ones(4), 0, why="a window holds at least one value")
    assert_raises_value_error(impl.moving_average, np.ones(4), 5, why="a window of 5 does not fit in 4 values")
    assert_raises_value_error(impl.moving_average, np.ones((2, 2)), 1, why="x must be 1-D")


@given(matrices(1, 8, 1, 8, low=-30.0, high=30.0))
def test_softmax_matches_a_loop_and_scipy(impl, z):
    """softmax_rows(z) equals exp(z_ij) / sum_l exp(z_il) row by row (a plain loop) and scipy.special.softmax(z,
    axis=1)."""
    with forbid(impl, "scipy.special.softmax"):
        got = impl.softmax_rows(z)
    loop = np.array([[math.exp(v) / sum(math.exp(u) for u in row) for v in row] for row in z])
    assert_close(got, loop, rtol=1e-9, atol=1e-15, what="softmax_rows(z)")
    assert_close(got, softmax(z, axis=1), rtol=1e-9, atol=1e-15, what="softmax_rows(z) vs scipy")


@given(rngs(), st.integers(1, 6), st.integers(1, 6))
def test_softmax_is_stable_for_huge_logits(impl, rng, n, k):
    """Logits around +-1000 give finite probabilities equal to scipy's (exp(1000) overflows: subtract the row max)."""
    z = rng.normal(0, 5, size=(n, k)) + rng.choice([-1000.0, 1000.0], size=(n, 1))
    got = impl.softmax_rows(z)
    expect(np.all(np.isfinite(got)),
           "softmax_rows of logits near +-1000 returned inf or nan: subtract the row max first")
    assert_close(got, softmax(z, axis=1), rtol=1e-9, atol=1e-15, what="softmax_rows(z near 1000)")


def test_softmax_masked_entries_and_errors(impl):
    """An entry of -inf (a masked position) gets probability 0; a 1-D or empty input raises ValueError."""
    z = np.array([[0.0, -np.inf, 0.0], [1.0, 2.0, -np.inf]])
    assert_close(impl.softmax_rows(z), softmax(z, axis=1), rtol=1e-12, what="softmax_rows with -inf entries")
    assert_raises_value_error(impl.softmax_rows, np.ones(3), why="z must be 2-D (one row per example)")
    assert_raises_value_error(impl.softmax_rows, np.ones((2, 0)), why="a row needs at least one entry")


def _horner(coeffs, value):
    result = 0.0
    for c in coeffs:
        result = result * value + c
    return result


@given(vectors(0, 8, -10.0, 10.0), rngs(), st.sampled_from([(7,), (3, 4), ()]))
def test_polyval_matches_horner_and_numpy(impl, coeffs, rng, shape):
    """polyval(c, x) equals numpy.polyval(c, x) and a Horner loop at every entry of x, for x of any shape."""
    x = rng.uniform(-2, 2, size=shape)
    with forbid(impl, "numpy.polyval", "numpy.poly1d", "numpy.polynomial.polynomial.polyval"):
        got = impl.polyval(coeffs, x)
    loop = np.vectorize(lambda v: _horner(coeffs, v))(x) if coeffs.size else np.zeros(shape)
    # powers and Horner round differently; the error is at most ~eps * sum |c_k| |x|^k per entry
    scale = float(np.sum(np.abs(coeffs) * 2.0 ** np.arange(coeffs.size)[::-1])) if coeffs.size else 0.0
    assert_close(got, loop, rtol=1e-9, atol=1e-12 * (1 + scale), what=f"polyval(c, x{x.shape})")
    assert_close(got, np.polyval(coeffs, x) if coeffs.size else np.zeros(shape), rtol=1e-9,
                 atol=1e-12 * (1 + scale), what="polyval vs numpy.polyval")


def test_polyval_small_example(impl):
    """x^2 - 1 at x = 0, 2, 3 is -1, 3, 8; 2-D coefficients raise ValueError."""
    assert_close(impl.polyval(np.array([1.0, 0.0, -1.0]), np.array([0.0, 2.0, 3.0])), [-1.0, 3.0, 8.0],
                 what="polyval([1, 0, -1], [0, 2, 3])")
    assert_raises_value_error(impl.polyval, np.ones((2, 2)), np.ones(3), why="coefficients must be 1-D")


@given(matrices(1, 12, 1, 5), st.floats(0.0, 3.0))
def test_clip_outliers_matches_a_loop(impl, x, k):
    """clip_outliers(x, k) equals min(max(v, m - k s), m + k s) per entry, with m and s the mean and std of its
    column."""
    n, d = x.shape
    expected = np.empty_like(x)
    for j in range(d):
        column = [float(v) for v in x[:, j]]
        mean = sum(column) / n
        std = math.sqrt(sum((v - mean) ** 2 for v in column) / n)
        for i, v in enumerate(column):
            expected[i, j] = min(max(v, mean - k * std), mean + k * std)
    assert_close(impl.clip_outliers(x, k), expected, rtol=1e-9, atol=1e-9, what=f"clip_outliers(x, k={k})")


def test_clip_outliers_errors(impl):
    """A negative k, a 1-D x or an x without rows raises ValueError."""
    assert_raises_value_error(impl.clip_outliers, np.ones((3, 2)), -1.0, why="k counts standard deviations: k >= 0")
    assert_raises_value_error(impl.clip_outliers, np.ones(3), 1.0, why="x must be 2-D")
    assert_raises_value_error(impl.clip_outliers, np.ones((0, 2)), 1.0, why="x has no rows")
