"""Checks for `outliers`, against scipy.stats.zscore, numpy.percentile, scipy.stats.median_abs_deviation
and numpy.clip."""

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible
from aieng.grader.strategies import rngs

LIBRARY_RULES = ("scipy.stats.zscore", "scipy.stats.median_abs_deviation", "scipy.stats.iqr",
                 "scipy.stats.mstats.winsorize", "scipy.stats.trimboth")


def heavy_tailed(rng, n, d, one_d=False):
    """Student-t data with 3 degrees of freedom (real outliers appear), shape (n,) or (n, d), plus a planted
    far-out value so every rule has something to flag."""
    data = rng.standard_t(3, size=n if one_d else (n, d)) * rng.uniform(0.5, 20.0) + rng.uniform(-50, 50)
    data[rng.integers(n)] = 1e3
    return data


@given(rngs(), st.integers(3, 60), st.integers(1, 5), st.booleans())
def test_zscores_match_scipy(impl, rng, n, d, one_d):
    """zscores(X) equals scipy.stats.zscore(X, axis=0) (population standard deviation, per column) to 1e-9,
    and zscore_outliers(X, t) is exactly |scipy z| > t."""
    data = heavy_tailed(rng, n, d, one_d)
    expected = scipy.stats.zscore(data, axis=0)
    with forbid(impl, *LIBRARY_RULES):
        got = impl.zscores(data)
        mask = impl.zscore_outliers(data, 2.0)
    assert_close(got, expected, rtol=1e-9, atol=1e-9, what="zscores(X)")
    assert_close(mask, np.abs(expected) > 2.0, what="zscore_outliers(X, threshold=2)")


@given(rngs(), st.integers(3, 60), st.integers(1, 5), st.booleans(), st.sampled_from([0.0, 1.5, 3.0]))
def test_iqr_fences_match_numpy_percentiles(impl, rng, n, d, one_d, k):
    """iqr_fences(X, k) is (Q1 - k*IQR, Q3 + k*IQR) with numpy.percentile's quartiles (linear
    interpolation), per column; iqr_outliers flags the values strictly outside them."""
    data = heavy_tailed(rng, n, d, one_d)
    q1, q3 = np.percentile(data, [25, 75], axis=0)
    low, high = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    with forbid(impl, *LIBRARY_RULES):
        got_low, got_high = impl.iqr_fences(data, k)
        mask = impl.iqr_outliers(data, k)
    assert_close(got_low, low, rtol=1e-12, atol=1e-12, what=f"lower fence (k={k})")
    assert_close(got_high, high, rtol=1e-12, atol=1e-12, what=f"upper fence (k={k})")
    assert_close(mask, (data < low) | (data > high), what=f"iqr_outliers(X, k={k})")


@given(rngs(), st.integers(3, 60), st.integers(1, 5), st.booleans())
def test_robust_zscores_match_scipy_mad(impl, rng, n, d, one_d):
    """robust_zscores(X) equals (X - median) / scipy.stats.median_abs_deviation(X, scale="normal") per column
    (the MAD rescaled to estimate a normal standard deviation), to 1e-9; mad_outliers flags |score| > 3.5."""
    data = heavy_tailed(rng, n, d, one_d)
    expected = (data - np.median(data, axis=0)) / scipy.stats.median_abs_deviation(data, axis=0, scale="normal")
    with forbid(impl, *LIBRARY_RULES):
        got = impl.robust_zscores(data)
        mask = impl.mad_outliers(data)
    assert_close(got, expected, rtol=1e-9, atol=1e-9, what="robust_zscores(X)")
    assert_close(mask, np.abs(expected) > 3.5, what="mad_outliers(X) with the default threshold 3.5")


def test_one_outlier_masks_itself_for_the_zscore_but_not_for_mad(impl):
    """Masking: with ten values and one of 1000, that value inflates the standard deviation so much that its
    own z-score is 2.99998: with n values no z-score can exceed sqrt(n - 1) = 3. The median and MAD ignore
    it, so mad_outliers flags it (and only it)."""
    data = np.array([10.0, 11, 9, 10, 12, 8, 10, 11, 9, 1000])
    expect(not impl.zscore_outliers(data).any(),
           "zscore_outliers should flag nothing here: the z-score of 1000 is 2.99998 < 3")
    assert_close(impl.mad_outliers(data), data == 1000, what="mad_outliers on nine ordinary values and 1000")
    assert_close(impl.iqr_outliers(data), data == 1000, what="iqr_outliers on nine ordinary values and 1000")


def test_constant_column_has_no_outliers(impl):
    """A column with no spread has z-scores 0 and no z-score outliers (not NaN from 0 / 0)."""
    data = np.column_stack([np.full(6, 4.2), np.arange(6.0)])
    z = impl.zscores(data)
    assert_close(z[:, 0], np.zeros(6), what="zscores of a constant column")
    expect(not impl.zscore_outliers(data)[:, 0].any(), "a constant column has no outliers")


def test_zero_mad_flags_everything_off_the_median(impl):
    """When more than half the values equal the median, MAD = 0: those values score 0, any other value is
    infinitely many MADs away and is flagged."""
    data = np.array([5.0, 5.0, 5.0, 5.0, 6.0])
    assert_close(impl.mad_outliers(data), [False, False, False, False, True], what="mad_outliers([5, 5, 5, 5, 6])")
    expect(np.all(impl.robust_zscores(data)[:4] == 0), "values equal to the median have robust z-score 0")


def test_bad_inputs_raise(impl):
    """Empty input, NaN (impute first), a 3-D array, a non-positive threshold or a negative k raise ValueError."""
    assert_raises_value_error(impl.zscores, np.array([]), why="there is nothing to compare with")
    assert_raises_value_error(impl.iqr_outliers, np.array([1.0, np.nan, 3.0]), why="NaN has no place in a quartile")
    assert_raises_value_error(impl.robust_zscores, np.ones((2, 2, 2)), why="only 1-D or 2-D data")
    assert_raises_value_error(impl.zscore_outliers, np.arange(5.0), 0.0, why="the threshold must be positive")
    assert_raises_value_error(impl.iqr_fences, np.arange(5.0), -1.0, why="k must be non-negative")


@given(rngs(), st.integers(3, 60), st.integers(1, 4), st.sampled_from([(5.0, 95.0), (0.0, 90.0), (25.0, 100.0)]))
def test_winsorizer_clips_to_training_percentiles(impl, rng, n, d, limits):
    """Winsorizer(lower, upper) fitted on a training table clips a different test table to the training
    percentiles: numpy.clip(test, percentile(train, lower), percentile(train, upper)), per column."""
    lower, upper = limits
    train, test = heavy_tailed(rng, n, d), heavy_tailed(rng, 9, d)
    low, high = np.percentile(train, [lower, upper], axis=0)
    with forbid(impl, *LIBRARY_RULES):
        got = impl.Winsorizer(lower=lower, upper=upper).fit(train).transform(test)
    assert_close(got, np.clip(test, low, high), rtol=1e-12, atol=1e-12, what=f"Winsorizer({lower}, {upper})")


def test_winsorizer_rejects_bad_parameters_and_unfitted_use(impl):
    """lower >= upper or percentiles outside [0, 100] raise ValueError in fit; transform before fit raises
    NotFittedError."""
    table = np.arange(10.0).reshape(5, 2)
    assert_raises_value_error(impl.Winsorizer(lower=90, upper=10).fit, table, why="lower must be below upper")
    assert_raises_value_error(impl.Winsorizer(lower=-1, upper=50).fit, table, why="percentiles live in [0, 100]")
    with pytest.raises(NotFittedError):
        impl.Winsorizer().transform(table)


def test_winsorizer_passes_sklearn_estimator_checks(impl):
    """Winsorizer passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.Winsorizer())
