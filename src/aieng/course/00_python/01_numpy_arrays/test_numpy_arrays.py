"""Checks for `numpy-arrays`, against numpy itself and exact integer arithmetic in plain Python."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.strategies import finite_floats, matrices, rngs

axes_of_a_matrix = st.sampled_from([None, 0, 1, -1])


@given(matrices(), axes_of_a_matrix)
def test_mean_matches_numpy_on_float_matrices(impl, x, axis):
    """mean_float64(x, axis) equals numpy.mean(x, axis) on random float matrices, for axis None, 0, 1 and -1."""
    expected = np.mean(x, axis=axis, dtype=np.float64)
    atol = 1e-12 * float(np.abs(x).max())  # summing in another order moves the last digits
    assert_close(impl.mean_float64(x, axis), expected, rtol=1e-9, atol=atol, what=f"mean_float64(x, axis={axis})")


@given(rngs(), st.integers(2, 40))
def test_mean_of_huge_int64_values_does_not_wrap(impl, rng, n):
    """The mean of int64 values near 2**62 is right: x.sum() would wrap around past 2**63 silently.

    Oracle: Python's unbounded integers, sum(int(v) for v in x) / n, which is exact before the division.
    """
    x = rng.integers(2**61, 2**62, size=n, dtype=np.int64)
    expected = sum(int(v) for v in x) / n
    assert_close(impl.mean_float64(x), expected, rtol=1e-12, what="mean_float64(int64 values near 2**62)")


def test_mean_of_float16_values_does_not_overflow(impl):
    """The mean of 200 float16 values between 500 and 1000 is finite and accurate (their float16 sum is inf)."""
    x = np.random.default_rng(0).uniform(500, 1000, size=200).astype(np.float16)
    got = impl.mean_float64(x)
    expect(np.isfinite(got), f"mean_float64 of float16 values returned {got!r}: the float16 sum overflowed past 65504")
    assert_close(got, np.mean(x.astype(np.float64)), rtol=1e-12, what="mean_float64(float16 values)")


def test_mean_returns_float64(impl):
    """The mean of a uint8 image along axis 0 is a float64 array, and over all entries a plain float."""
    image = np.array([[0, 255], [255, 255], [1, 0]], dtype=np.uint8)
    got = impl.mean_float64(image, 0)
    expect(isinstance(got, np.ndarray) and got.dtype == np.float64,
           f"mean_float64(image, 0) should be a float64 array, got {got!r}")
    assert_close(got, [256 / 3, 510 / 3], rtol=1e-15, what="mean_float64(image, 0)")
    total = impl.mean_float64(image)
    expect(np.ndim(total) == 0 and isinstance(total, float | np.float64),
           f"mean_float64(image) should be a float, got {total!r}")
    assert_close(total, 766 / 6, rtol=1e-15, what="mean_float64(image)")


def test_mean_rejects_empty_axes_and_non_numbers(impl):
    """An empty array, an empty axis, a missing axis or an array of strings raises ValueError."""
    assert_raises_value_error(impl.mean_float64, np.array([]), why="the mean of nothing is undefined")
    assert_raises_value_error(impl.mean_float64, np.ones((0, 3)), 0, why="axis 0 has length 0")
    assert_raises_value_error(impl.mean_float64, np.ones(3), 1, why="a 1-D array has no axis 1")
    assert_raises_value_error(impl.mean_float64, np.array(["a", "b"]), why="strings have no mean")


@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6)), st.integers(-300, 300))
def test_add_saturating_clips_instead_of_wrapping(impl, image, delta):
    """add_saturating(image, delta) is min(255, max(0, pixel + delta)) for every pixel, as dtype uint8.

    Oracle: the same rule in plain Python integers, pixel by pixel.
    """
    before = image.copy()
    got = impl.add_saturating(image, delta)
    expected = np.array([min(255, max(0, int(v) + delta)) for v in image.ravel()], dtype=np.uint8)
    expected = expected.reshape(image.shape)
    expect(isinstance(got, np.ndarray) and got.dtype == np.uint8,
           f"add_saturating should return a uint8 array, got {getattr(got, 'dtype', type(got).__name__)}")
    assert_close(got, expected, rtol=0, atol=0, what=f"add_saturating(image, {delta})")
    expect(np.array_equal(image, before), "add_saturating changed its input image: return a new array instead")


def test_add_saturating_rejects_other_dtypes(impl):
    """add_saturating refuses an image that is not uint8 (a float image needs a different rule)."""
    assert_raises_value_error(impl.add_saturating, np.ones((2, 2)), 10, why="the image is float64, not uint8")
    assert_raises_value_error(impl.add_saturating, np.ones(3, dtype=np.int16), 10, why="the image is int16")


@given(rngs(), st.integers(0, 30), st.integers(1, 8))
def test_one_hot_matches_rows_of_the_identity(impl, rng, n, n_classes):
    """one_hot(labels, k) equals numpy.eye(k)[labels]: row i has its single 1 in column labels[i]."""
    labels = rng.integers(0, n_classes, size=n)
    got = impl.one_hot(labels, n_classes)
    assert_close(got, np.eye(n_classes)[labels], rtol=0, atol=0, what=f"one_hot(labels, {n_classes})")
    expect(got.dtype == np.float64, f"one_hot should return float64, got {got.dtype}")


def test_one_hot_rejects_bad_labels(impl):
    """Labels outside 0..k-1, float labels, 2-D labels and k < 1 raise ValueError."""
    assert_raises_value_error(impl.one_hot, np.array([0, 3]), 3, why="label 3 is not a class of 0..2")
    assert_raises_value_error(impl.one_hot, np.array([-1, 0]), 3, why="labels cannot be negative")
    assert_raises_value_error(impl.one_hot, np.array([0.0, 1.5]), 3, why="labels must be integers")
    assert_raises_value_error(impl.one_hot, np.array([[0, 1]]), 3, why="labels must be 1-D")
    assert_raises_value_error(impl.one_hot, np.array([0]), 0, why="there must be at least one class")


def _zscore(x, axis):
    """Oracle: numpy's mean and std over `axis`; slices without spread become 0."""
    mean = np.mean(x, axis=axis, keepdims=True)
    std = np.std(x, axis=axis, keepdims=True)
    flat = np.ptp(x, axis=axis, keepdims=True) == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(flat, 0.0, (x - mean) / np.where(flat, 1.0, std))
        # x - mean carries round-off of about eps * max|x|, which dividing by a small std magnifies
        atol = 1e-10 * (1.0 + np.where(flat, 0.0, np.abs(x).max(axis=axis, keepdims=True) / std))
    return z, np.broadcast_to(atol, x.shape)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
                  elements=finite_floats()), st.data())
def test_standardize_matches_the_z_score_formula(impl, x, data):
    """standardize(x, axis) equals (x - x.mean(axis)) / x.std(axis) along any axis, 0 where a slice is constant."""
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    expected, atol = _zscore(x, axis)
    got = impl.standardize(x, axis)
    assert_close(got, expected, rtol=1e-9, atol=float(atol.max()), what=f"standardize(x, axis={axis})")


def test_standardize_constant_column_becomes_zeros(impl):
    """A column that holds 0.1 three times becomes zeros, not NaN (round-off can make its std 1e-17, not 0)."""
    x = np.array([[1.0, 0.1], [2.0, 0.1], [4.0, 0.1]])
    got = impl.standardize(x, 0)
    z = (x[:, 0] - x[:, 0].mean()) / x[:, 0].std()
    assert_close(got, np.column_stack([z, np.zeros(3)]), rtol=1e-12, atol=1e-12, what="standardize(x, 0)")


def test_standardize_rejects_empty_and_missing_axes(impl):
    """An empty axis, an axis the array does not have, or a scalar raises ValueError."""
    assert_raises_value_error(impl.standardize, np.ones((0, 3)), 0, why="axis 0 has no values")
    assert_raises_value_error(impl.standardize, np.ones((2, 3)), 2, why="a matrix has no axis 2")
    assert_raises_value_error(impl.standardize, np.float64(3.0), 0, why="a scalar has no axis")


@given(rngs(), st.integers(0, 30), st.integers(1, 8), st.sampled_from([(), (3,), (2, 2)]))
def test_to_batches_matches_slicing(impl, rng, n, batch_size, trailing):
    """to_batches(x, b) holds x[0:b], x[b:2b], ... stacked, shape (n // b, b, ...), with the rest dropped."""
    x = rng.standard_normal((n, *trailing))
    n_batches = n // batch_size
    expected = np.stack([x[j * batch_size:(j + 1) * batch_size] for j in range(n_batches)]) if n_batches \
        else np.empty((0, batch_size, *trailing))
    assert_close(impl.to_batches(x, batch_size), expected, rtol=0, atol=0, what=f"to_batches(x{x.shape}, {batch_size})")


def test_to_batches_rejects_bad_batch_sizes(impl):
    """batch_size 0 or negative, or a scalar input, raises ValueError."""
    assert_raises_value_error(impl.to_batches, np.arange(6), 0, why="a batch must hold at least one row")
    assert_raises_value_error(impl.to_batches, np.arange(6), -2, why="a batch must hold at least one row")
    assert_raises_value_error(impl.to_batches, np.float64(1.0), 2, why="a scalar has no rows")
