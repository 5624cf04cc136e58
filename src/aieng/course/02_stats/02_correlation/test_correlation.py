"""Checks for `correlation`, against scipy.stats and numpy.

Oracles: scipy.stats.pearsonr, scipy.stats.spearmanr and scipy.stats.rankdata (average ranks for ties)
and numpy.corrcoef, on random paired data drawn from seeded numpy generators: correlated normal data
at random scales and offsets, and small integers full of ties. While your functions run those
functions, numpy.cov and the `statistics` module's correlation are switched off
(aieng.grader.guards.forbid), and one check reads your source for pandas shortcuts (`.corr()`, `.rank()`).

Tolerance: a correlation lies in [-1, 1], so an absolute 1e-12 plus a relative 1e-9 is far below any
real disagreement and far above the rounding of a few dozen sums. Ranks are halves of integers and
must be exact.
"""

from __future__ import annotations

import statistics

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_no_method_calls, forbid
from aieng.grader.strategies import rngs

SWITCHED_OFF = (
    "scipy.stats.pearsonr", "scipy.stats.spearmanr", "scipy.stats.rankdata", "scipy.stats.kendalltau",
    "scipy.stats.linregress", "numpy.corrcoef", "numpy.cov", "statistics.correlation", "statistics.covariance",
)
SHORTCUT_METHODS = {"corr", "corrwith", "rank", "cov", "pearsonr", "spearmanr", "rankdata", "corrcoef"}
RTOL, ATOL = 1e-9, 1e-12


def call(impl, name: str, *args, **kwargs):
    """Run one of the learner's functions with the library versions switched off."""
    with forbid(impl, *SWITCHED_OFF):
        return getattr(impl, name)(*args, **kwargs)


def correlated_pair(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """x ~ N(offset, scale²); y = slope·x + noise, at random scales, offsets and strengths of association."""
    x = rng.normal(rng.uniform(-50, 50), 10 ** rng.uniform(-2, 2), size=n)
    y = rng.uniform(-3, 3) * x + rng.normal(0, 10 ** rng.uniform(-2, 2), size=n) + rng.uniform(-50, 50)
    return x, y


def tied_pair(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Small integers: many ties. Redrawn until neither variable is constant."""
    while True:
        x = rng.integers(0, 5, size=n).astype(np.float64)
        y = (x + rng.integers(-2, 3, size=n)).astype(np.float64)
        if np.ptp(x) > 0 and np.ptp(y) > 0:
            return x, y


PAIRS = st.tuples(rngs(), st.integers(3, 40), st.booleans()).map(
    lambda a: tied_pair(a[0], a[1]) if a[2] else correlated_pair(a[0], a[1]))


@given(PAIRS)
def test_pearson_matches_scipy(impl, pair):
    """pearson(x, y) equals scipy.stats.pearsonr(x, y).statistic: covariance over the product of standard deviations."""
    x, y = pair
    assert_close(call(impl, "pearson", x, y), scipy.stats.pearsonr(x, y).statistic, rtol=RTOL, atol=ATOL,
                 what=f"pearson(x, y) on {x.size} pairs")


@given(rngs(), st.integers(2, 30), st.floats(0.1, 10), st.sampled_from([-1.0, 1.0]))
def test_pearson_of_points_on_a_line_is_plus_or_minus_one(impl, rng, n, slope, sign):
    """Points exactly on a line y = a·x + b have r = +1 (a > 0) or -1 (a < 0), and |r| never exceeds 1."""
    x = rng.normal(size=n)
    while np.ptp(x) == 0:
        x = rng.normal(size=n)
    got = call(impl, "pearson", x, sign * slope * x + 3.0)
    assert_close(got, sign, rtol=0, atol=1e-12, what=f"pearson on a line of slope {sign * slope:.3g}")
    expect(abs(got) <= 1.0, f"a correlation cannot exceed 1 in size, got {got!r} (clip round-off to [-1, 1])")


@given(rngs(), st.integers(3, 30))
def test_pearson_stays_accurate_far_from_zero(impl, rng, n):
    """Data near 1e8 with spread ~1 keep their correlation: centre first (sums of x·y at 1e16 cancel to noise)."""
    x, y = correlated_pair(rng, n)
    x, y = 1e8 + x / (np.std(x) + 1e-300), -1e8 + y / np.std(y)
    assert_close(call(impl, "pearson", x, y), scipy.stats.pearsonr(x, y).statistic, rtol=1e-6, atol=1e-6,
                 what=f"pearson(x, y) for {n} pairs near (1e8, -1e8)")


@given(PAIRS)
def test_rank_matches_scipy_rankdata(impl, pair):
    """rank(x) equals scipy.stats.rankdata(x): ranks 1..n, and tied values share the average of their ranks."""
    x, _ = pair
    got = call(impl, "rank", x)
    assert_close(got, scipy.stats.rankdata(x), rtol=0, atol=1e-12, what=f"rank({np.round(x, 3).tolist()})")


def test_rank_small_example(impl):
    """rank([10, 30, 20, 30]) is [1, 3.5, 2, 3.5]: the two 30s share ranks 3 and 4."""
    assert_close(call(impl, "rank", np.array([10.0, 30.0, 20.0, 30.0])), [1.0, 3.5, 2.0, 3.5],
                 rtol=0, atol=0, what="rank([10, 30, 20, 30])")


@given(PAIRS)
def test_spearman_matches_scipy(impl, pair):
    """spearman(x, y) equals scipy.stats.spearmanr(x, y).statistic: Pearson's r of the (average) ranks."""
    x, y = pair
    assert_close(call(impl, "spearman", x, y), scipy.stats.spearmanr(x, y).statistic, rtol=RTOL, atol=ATOL,
                 what=f"spearman(x, y) on {x.size} pairs")


@given(rngs(), st.integers(3, 30))
def test_spearman_is_one_for_any_increasing_relation(impl, rng, n):
    """A strictly increasing but curved relation (y = exp(x)) has Spearman's rho = 1, though Pearson's r < 1."""
    x = rng.uniform(-3, 3, size=n)
    while np.unique(x).size < n:
        x = rng.uniform(-3, 3, size=n)
    assert_close(call(impl, "spearman", x, np.exp(x)), 1.0, rtol=0, atol=1e-12, what="spearman(x, exp(x))")
    assert_close(call(impl, "spearman", x, -(x**3)), -1.0, rtol=0, atol=1e-12, what="spearman(x, -x³)")


def matrix_data(rng: np.random.Generator, n: int, d: int, ties: bool) -> np.ndarray:
    """(n, d) data with correlated columns, none constant."""
    while True:
        if ties:
            data = rng.integers(0, 4, size=(n, d)).astype(np.float64)
        else:
            data = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) * 10 ** rng.uniform(-1, 2) + rng.uniform(-9, 9)
        if np.all(np.ptp(data, axis=0) > 0):
            return data


def spearman_matrix(data: np.ndarray) -> np.ndarray:
    """scipy.stats.spearmanr as a (d, d) matrix (it returns a single number for two columns)."""
    d = data.shape[1]
    if d == 1:
        return np.ones((1, 1))
    rho = scipy.stats.spearmanr(data).statistic
    return np.array([[1.0, rho], [rho, 1.0]]) if d == 2 else rho


@given(rngs(), st.integers(3, 30), st.integers(1, 5), st.booleans(), st.sampled_from(["pearson", "spearman"]))
def test_correlation_matrix_matches_numpy_and_scipy(impl, rng, n, d, ties, method):
    """correlation_matrix(data, method) equals numpy.corrcoef(data, rowvar=False) / scipy.stats.spearmanr(data).

    Columns are the variables, rows the observations; the result is (d, d).
    """
    data = matrix_data(rng, n, d, ties)
    expected = np.atleast_2d(np.corrcoef(data, rowvar=False)) if method == "pearson" else spearman_matrix(data)
    got = call(impl, "correlation_matrix", data, method)
    assert_close(got, expected, rtol=RTOL, atol=ATOL, what=f"correlation_matrix of a {data.shape} matrix, {method}")


def test_correlation_matrix_is_symmetric_with_a_unit_diagonal(impl):
    """The correlation matrix is symmetric, has ones on its diagonal, and defaults to Pearson."""
    data = matrix_data(np.random.default_rng(5), 25, 4, False)
    got = np.asarray(call(impl, "correlation_matrix", data))
    assert_close(got, got.T, rtol=0, atol=1e-14, what="correlation_matrix minus its transpose")
    assert_close(np.diag(got), np.ones(4), rtol=0, atol=1e-12, what="the diagonal of the correlation matrix")
    assert_close(got, np.corrcoef(data, rowvar=False), rtol=RTOL, atol=ATOL, what="correlation_matrix(data)")


def test_rejects_bad_input(impl):
    """Constant data, unequal lengths, fewer than 2 pairs, NaN, 2-D pairs or an unknown method raise ValueError."""
    x = np.array([1.0, 2.0, 3.0, 4.0])
    for name in ("pearson", "spearman"):
        fn = getattr(impl, name)
        assert_raises_value_error(fn, x, np.full(4, 7.0), why="the correlation of constant data is undefined (0/0)")
        assert_raises_value_error(fn, x, x[:3], why="the data must come in pairs of one length")
        assert_raises_value_error(fn, x[:1], x[:1], why="one pair has no correlation")
        assert_raises_value_error(fn, x, np.array([1.0, np.nan, 2.0, 3.0]), why="missing values must be handled first")
        assert_raises_value_error(fn, np.ones((2, 2)), np.ones((2, 2)), why=f"{name} takes two 1-D arrays")
    data = np.column_stack([x, [2.0, 1.0, 4.0, 3.0]])
    assert_raises_value_error(impl.correlation_matrix, data, "kendall", why="method is 'pearson' or 'spearman'")
    assert_raises_value_error(impl.correlation_matrix, np.column_stack([x, np.ones(4)]),
                              why="a constant column has no correlation")
    assert_raises_value_error(impl.correlation_matrix, x, why="correlation_matrix takes an (n, d) matrix")


def test_no_library_shortcuts_through_methods(impl):
    """Your code computes correlations and ranks itself: no `.corr()`, `.rank()`, `.cov()` (pandas) calls.

    Methods slip past the switched-off functions, so the source is read instead. np.unique, np.argsort,
    np.cumsum, np.sum and arithmetic (and your own functions) are all you need.
    """
    assert_no_method_calls(impl, SHORTCUT_METHODS, complaint="calls a library routine; compute it yourself")


def plain_average_ranks(values: list[float]) -> list[float]:
    """Average ranks by counting: 1 + (number of smaller values) + (number of equal others) / 2."""
    return [1 + sum(w < v for w in values) + (sum(w == v for w in values) - 1) / 2 for v in values]


def test_agrees_with_the_statistics_module(impl):
    """The standard library agrees: statistics.correlation of the data (Pearson) and of their ranks (Spearman)."""
    x = [1.0, 2.5, 2.5, 4.0, 7.0, 3.0]
    y = [2.0, 2.0, 5.0, 3.5, 9.0, 1.0]
    assert_close(call(impl, "pearson", np.array(x), np.array(y)), statistics.correlation(x, y),
                 what="pearson vs statistics.correlation")
    assert_close(call(impl, "spearman", np.array(x), np.array(y)),
                 statistics.correlation(plain_average_ranks(x), plain_average_ranks(y)),
                 what="spearman vs statistics.correlation of the average ranks")
