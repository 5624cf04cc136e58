"""Checks for `descriptive-statistics`, against numpy and scipy.stats.

Oracles: numpy.mean, numpy.median, numpy.var / numpy.std (with ddof), numpy.quantile (its default
"linear" method), numpy.cov(rowvar=False), scipy.stats.mode and scipy.stats.iqr, on random data drawn
by hypothesis and by seeded numpy generators. While your functions run, those library functions (and
their nan-variants, and the stdlib `statistics` module's) are switched off with
aieng.grader.guards.forbid, and one check reads your source to make sure the same shortcuts are not
taken through array or DataFrame methods (`x.var()`, `s.median()`).

Tolerances: a relative 1e-9 on top of an absolute 1e-12 times the data's scale (its largest magnitude,
squared for variances and covariances). Summing in another order changes the last bits, so exact
equality would be the wrong test; a wrong formula is off by far more.
"""

from __future__ import annotations

import statistics

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_no_method_calls, forbid
from aieng.grader.strategies import matrices, rngs, vectors

SWITCHED_OFF = (
    *(f"numpy.{name}" for name in ("mean", "average", "nanmean", "median", "nanmedian", "quantile", "nanquantile",
                                   "percentile", "nanpercentile", "var", "nanvar", "std", "nanstd", "cov",
                                   "corrcoef")),
    *(f"scipy.stats.{name}" for name in ("mode", "iqr", "describe", "tmean", "tvar", "tstd",
                                         "scoreatpercentile")),
    *(f"statistics.{name}" for name in ("mean", "fmean", "median", "median_low", "median_high", "mode",
                                        "multimode", "variance", "pvariance", "stdev", "pstdev", "quantiles",
                                        "covariance")),
)
SHORTCUT_METHODS = {"mean", "median", "var", "std", "quantile", "percentile", "cov", "mode", "describe"}
RTOL = 1e-9


def call(impl, name: str, *args, **kwargs):
    """Run one of the learner's functions with the library versions switched off."""
    with forbid(impl, *SWITCHED_OFF):
        return getattr(impl, name)(*args, **kwargs)


def scale(x: np.ndarray) -> float:
    return 1.0 + float(np.max(np.abs(x))) if np.size(x) else 1.0


@given(vectors())
def test_mean_matches_numpy(impl, x):
    """mean(x) equals numpy.mean(x): the sum divided by the count."""
    assert_close(call(impl, "mean", x), np.mean(x), rtol=RTOL, atol=1e-12 * scale(x), what="mean(x)")


@given(vectors())
def test_median_matches_numpy(impl, x):
    """median(x) equals numpy.median(x): the middle value, or the average of the two middle values for even n."""
    assert_close(call(impl, "median", x), np.median(x), rtol=RTOL, atol=1e-12 * scale(x),
                 what=f"median of {x.size} values")


def test_median_of_small_examples(impl):
    """median([5, 1, 3]) is 3 (sorting first!) and median([4, 1, 3, 2]) is 2.5 (mean of the middle pair)."""
    assert_close(call(impl, "median", np.array([5.0, 1.0, 3.0])), 3.0, what="median([5, 1, 3])")
    assert_close(call(impl, "median", np.array([4.0, 1.0, 3.0, 2.0])), 2.5, what="median([4, 1, 3, 2])")


@given(rngs(), st.integers(1, 30), st.integers(1, 6))
def test_mode_matches_scipy_with_ties_going_to_the_smallest(impl, rng, n, spread):
    """mode(x) equals scipy.stats.mode(x).mode: the most frequent value, the smallest one when several tie."""
    x = rng.integers(-spread, spread + 1, size=n).astype(np.float64)
    expected = scipy.stats.mode(x).mode
    assert_close(call(impl, "mode", x), expected, rtol=0, atol=0, what=f"mode({x.tolist()})")


@given(vectors(min_size=2), st.sampled_from([0, 1]))
def test_variance_and_std_match_numpy(impl, x, ddof):
    """variance(x, ddof) and std(x, ddof) equal numpy.var / numpy.std with the same ddof (0: population, 1: sample)."""
    assert_close(call(impl, "variance", x, ddof), np.var(x, ddof=ddof), rtol=RTOL, atol=1e-12 * scale(x) ** 2,
                 what=f"variance(x, ddof={ddof})")
    assert_close(call(impl, "std", x, ddof), np.std(x, ddof=ddof), rtol=RTOL, atol=1e-12 * scale(x),
                 what=f"std(x, ddof={ddof})")


def test_ddof_defaults_to_population(impl):
    """variance(x) with no ddof is the population variance (ddof=0, numpy's default): [1, 2, 3, 4] gives 1.25."""
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert_close(call(impl, "variance", x), np.var(x), what="variance([1, 2, 3, 4]) with the default ddof")
    assert_close(call(impl, "variance", x, 1), np.var(x, ddof=1), what="variance([1, 2, 3, 4], ddof=1)")
    assert_close(call(impl, "std", x), np.std(x), what="std([1, 2, 3, 4]) with the default ddof")


@given(rngs(), st.integers(2, 50))
def test_variance_stays_accurate_far_from_zero(impl, rng, n):
    """Data near 1e9 with spread ~10 keep their variance: subtract the mean first (mean(x²) - mean(x)² is all noise)."""
    x = 1e9 + rng.normal(0.0, 10.0, size=n)
    assert_close(call(impl, "variance", x, 1), np.var(x, ddof=1), rtol=1e-6,
                 what=f"variance of {n} values near 1e9 (ddof=1)")


@given(vectors(), st.floats(0.0, 1.0))
def test_quantile_matches_numpy_for_a_scalar_q(impl, x, q):
    """quantile(x, q) equals numpy.quantile(x, q) (linear interpolation at position (n - 1)·q of the sorted data)."""
    got = call(impl, "quantile", x, q)
    expect(np.ndim(got) == 0, f"quantile(x, q) with a single q should return a number, got {got!r}")
    assert_close(got, np.quantile(x, q), rtol=RTOL, atol=1e-12 * scale(x), what=f"quantile(x, {q!r})")


@given(vectors(), st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
def test_quantile_matches_numpy_for_an_array_of_q(impl, x, qs):
    """quantile(x, [q1, q2, ...]) returns an array, one quantile per q, equal to numpy.quantile(x, qs)."""
    qs = np.array(qs)
    assert_close(call(impl, "quantile", x, qs), np.quantile(x, qs), rtol=RTOL, atol=1e-12 * scale(x),
                 what=f"quantile(x, {qs.tolist()})")


def test_quantile_endpoints_are_min_median_max(impl):
    """quantile at q = 0, 0.5 and 1 gives the minimum, the median and the maximum."""
    x = np.array([7.0, -2.0, 5.0, 3.0, 11.0, 0.5])
    got = call(impl, "quantile", x, np.array([0.0, 0.5, 1.0]))
    assert_close(got, [x.min(), np.median(x), x.max()], what="quantile(x, [0, 0.5, 1])")


@given(vectors())
def test_iqr_matches_scipy(impl, x):
    """iqr(x) equals scipy.stats.iqr(x): the 75% quantile minus the 25% quantile."""
    assert_close(call(impl, "iqr", x), scipy.stats.iqr(x), rtol=RTOL, atol=1e-12 * scale(x), what="iqr(x)")


@given(matrices(min_rows=2, max_rows=12, max_cols=5), st.sampled_from([0, 1]))
def test_covariance_matrix_matches_numpy_cov(impl, data, ddof):
    """covariance_matrix(data, ddof) equals numpy.cov(data, rowvar=False, ddof=ddof).

    The result has shape (d, d); the rows of the data are observations, the columns variables.
    """
    expected = np.atleast_2d(np.cov(data, rowvar=False, ddof=ddof))
    assert_close(call(impl, "covariance_matrix", data, ddof), expected, rtol=RTOL, atol=1e-12 * scale(data) ** 2,
                 what=f"covariance_matrix of a {data.shape} data matrix, ddof={ddof}")


def test_covariance_matrix_defaults_to_the_sample_version(impl):
    """covariance_matrix(data) with no ddof divides by n - 1, like numpy.cov, and its diagonal holds the variances."""
    data = np.array([[1.0, 2.0, 0.0], [2.0, 4.5, 1.0], [3.0, 6.0, -1.0], [5.0, 9.0, 0.5]])
    got = call(impl, "covariance_matrix", data)
    assert_close(got, np.cov(data, rowvar=False), what="covariance_matrix(data) with the default ddof")
    assert_close(np.diag(got), np.var(data, axis=0, ddof=1), what="the diagonal of the covariance matrix")


def test_returns_plain_numbers(impl):
    """mean, median, mode, variance, std, iqr and quantile with one q return numbers, not arrays."""
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    for name, args in (("mean", ()), ("median", ()), ("mode", ()), ("variance", ()), ("std", ()), ("iqr", ()),
                       ("quantile", (0.3,))):
        value = call(impl, name, x, *args)
        expect(value is not None and np.ndim(value) == 0, f"{name} should return a single number, got {value!r}")


def test_rejects_empty_and_nan_data(impl):
    """Empty data, data containing NaN and 2-D input to the 1-D statistics raise ValueError."""
    for name in ("mean", "median", "mode", "variance", "std", "iqr"):
        assert_raises_value_error(getattr(impl, name), np.array([]), why=f"{name} of no data is undefined")
        assert_raises_value_error(getattr(impl, name), np.array([1.0, np.nan, 2.0]),
                                  why="missing values must be handled before summarizing")
        assert_raises_value_error(getattr(impl, name), np.ones((2, 3)), why=f"{name} takes 1-D data")
    assert_raises_value_error(impl.quantile, np.array([]), 0.5, why="the quantile of no data is undefined")
    assert_raises_value_error(impl.covariance_matrix, np.ones(4), why="covariance_matrix takes an (n, d) matrix")
    assert_raises_value_error(impl.covariance_matrix, np.array([[1.0, np.nan], [2.0, 3.0]]),
                              why="missing values must be handled first")


def test_rejects_bad_ddof_and_q(impl):
    """ddof must leave at least one degree of freedom (n > ddof) and be non-negative; q must lie in [0, 1]."""
    assert_raises_value_error(impl.variance, np.array([4.0]), 1, why="one value has no sample variance (n - 1 = 0)")
    assert_raises_value_error(impl.std, np.array([1.0, 2.0]), 2, why="n - ddof must be positive")
    assert_raises_value_error(impl.variance, np.array([1.0, 2.0]), -1, why="ddof cannot be negative")
    assert_raises_value_error(impl.covariance_matrix, np.ones((1, 3)), 1,
                              why="one observation has no sample covariance")
    assert_raises_value_error(impl.quantile, np.array([1.0, 2.0]), 1.5, why="q must lie in [0, 1]")
    assert_raises_value_error(impl.quantile, np.array([1.0, 2.0]), np.array([0.5, -0.1]),
                              why="every q must lie in [0, 1]")


def test_no_library_shortcuts_through_methods(impl):
    """Your code computes the statistics itself: no `.mean()`, `.median()`, `.var()`, `.std()`, `.quantile()` calls.

    Array and DataFrame methods slip past the switched-off functions, so the source is read instead.
    Use np.sum, np.sort, np.unique, np.floor and arithmetic (and your own functions).
    """
    assert_no_method_calls(impl, SHORTCUT_METHODS,
                           complaint="calls a library statistic; compute it yourself from sums, sorting and counting")


def test_agrees_with_the_statistics_module(impl):
    """The standard library's statistics module agrees with your mean and median (a second, independent oracle)."""
    x = [2.5, -1.0, 7.25, 3.0, 3.0, 10.5, -4.0]
    assert_close(call(impl, "mean", np.array(x)), statistics.fmean(x), what="mean(x) vs statistics.fmean")
    assert_close(call(impl, "median", np.array(x)), statistics.median(x), what="median(x) vs statistics.median")
    assert_close(call(impl, "variance", np.array(x), 1), statistics.variance(x),
                 what="variance(x, 1) vs statistics.variance")
