"""Checks for `t-tests`, against scipy.stats.ttest_1samp, ttest_ind (equal_var True and False) and ttest_rel.

Samples are drawn from seeded numpy generators (normal data with random means, spreads and sizes 2..40).
The statistic, the p-value and the degrees of freedom must match scipy to a relative tolerance of 1e-8
(plus 1e-12 absolute for p-values): both sides compute the same formulas, so only round-off may differ.
While your functions run, scipy.stats' t-test functions are switched off (aieng.grader.guards.forbid);
the t distribution itself (scipy.stats.t.sf / cdf) stays available.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.strategies import rngs

TEST_FUNCTIONS = ("scipy.stats.ttest_1samp", "scipy.stats.ttest_ind", "scipy.stats.ttest_rel",
                  "scipy.stats.ttest_ind_from_stats")
ALTERNATIVES = st.sampled_from(["two-sided", "less", "greater"])
SIZES = st.integers(2, 40)


def call(impl, name: str, *args, **kwargs):
    with forbid(impl, *TEST_FUNCTIONS):
        return getattr(impl, name)(*args, **kwargs)


def normal_sample(rng: np.random.Generator, n: int) -> np.ndarray:
    """n normal values with a random mean in [-5, 5] and a random spread in [0.1, 10]."""
    return rng.normal(rng.uniform(-5, 5), rng.uniform(0.1, 10), size=n)


def field(result, name: str):
    expect(hasattr(result, name), f"the result should have a field `{name}` (return the TTestResult named tuple), "
                                  f"got {result!r}")
    return getattr(result, name)


def assert_same_test(got, expected, what: str, p_rtol: float = 1e-8, p_atol: float = 1e-12) -> None:
    assert_close(field(got, "statistic"), expected.statistic, rtol=1e-8, atol=1e-12, what=f"{what}: statistic")
    assert_close(field(got, "df"), expected.df, rtol=1e-8, what=f"{what}: df")
    assert_close(field(got, "pvalue"), expected.pvalue, rtol=p_rtol, atol=p_atol, what=f"{what}: pvalue")


@given(rngs(), SIZES, ALTERNATIVES)
def test_one_sample_matches_scipy(impl, rng, n, alternative):
    """one_sample_ttest(x, popmean, alternative) matches scipy.stats.ttest_1samp: t, p-value and df = n - 1."""
    x = normal_sample(rng, n)
    popmean = x.mean() + rng.uniform(-2, 2) * x.std()
    got = call(impl, "one_sample_ttest", x, popmean, alternative)
    expected = scipy.stats.ttest_1samp(x, popmean, alternative=alternative)
    assert_same_test(got, expected, f"one_sample_ttest(n={n}, alternative={alternative!r})")


@given(rngs(), SIZES, SIZES, ALTERNATIVES)
def test_student_two_sample_matches_scipy(impl, rng, n1, n2, alternative):
    """two_sample_ttest(a, b, equal_var=True) matches scipy.stats.ttest_ind(equal_var=True): pooled variance, n1 +
    n2 - 2 df."""
    a, b = normal_sample(rng, n1), normal_sample(rng, n2)
    got = call(impl, "two_sample_ttest", a, b, True, alternative)
    expected = scipy.stats.ttest_ind(a, b, equal_var=True, alternative=alternative)
    assert_same_test(got, expected, f"two_sample_ttest(n1={n1}, n2={n2}, equal_var=True, {alternative!r})")


@given(rngs(), SIZES, SIZES, ALTERNATIVES)
def test_welch_two_sample_matches_scipy(impl, rng, n1, n2, alternative):
    """two_sample_ttest(a, b, equal_var=False) matches scipy.stats.ttest_ind(equal_var=False): Welch's t and its
    fractional df."""
    a, b = normal_sample(rng, n1), normal_sample(rng, n2)
    got = call(impl, "two_sample_ttest", a, b, False, alternative)
    expected = scipy.stats.ttest_ind(a, b, equal_var=False, alternative=alternative)
    assert_same_test(got, expected, f"two_sample_ttest(n1={n1}, n2={n2}, equal_var=False, {alternative!r})")


@given(rngs(), SIZES, ALTERNATIVES)
def test_paired_matches_scipy(impl, rng, n, alternative):
    """paired_ttest(a, b, alternative) matches scipy.stats.ttest_rel: a one-sample test on the differences a - b."""
    before = normal_sample(rng, n)
    after = before + rng.normal(rng.uniform(-1, 1), rng.uniform(0.1, 2), size=n)
    got = call(impl, "paired_ttest", after, before, alternative)
    expected = scipy.stats.ttest_rel(after, before, alternative=alternative)
    assert_same_test(got, expected, f"paired_ttest(n={n}, alternative={alternative!r})")


def test_tiny_p_values_keep_their_precision(impl):
    """A p-value near 1e-30 still matches scipy to 1e-8 relative: use the survival function t.sf, not 1 - t.cdf.

    1 - cdf(t) rounds to 0 as soon as cdf(t) is within 1e-16 of 1; sf computes the tail directly.
    """
    rng = np.random.default_rng(2)
    x = 10.0 + rng.normal(0, 1, size=30)
    for alternative in ("two-sided", "greater"):
        got = call(impl, "one_sample_ttest", x, 0.0, alternative)
        expected = scipy.stats.ttest_1samp(x, 0.0, alternative=alternative)
        assert_same_test(got, expected, f"one_sample_ttest far from the null ({alternative!r})", p_atol=0.0)
    a, b = 30.0 + rng.normal(0, 1, size=25), rng.normal(0, 1, size=20)
    got = call(impl, "two_sample_ttest", b, a, False, "less")
    expected = scipy.stats.ttest_ind(b, a, equal_var=False, alternative="less")
    assert_same_test(got, expected, "Welch test far from the null ('less')", p_atol=0.0)


@given(rngs(), SIZES, SIZES)
def test_one_sided_and_two_sided_p_values_fit_together(impl, rng, n1, n2):
    """p(less) + p(greater) = 1, and p(two-sided) = 2 min(p(less), p(greater)) (the t law is symmetric)."""
    a, b = normal_sample(rng, n1), normal_sample(rng, n2)
    p = {alt: field(call(impl, "two_sample_ttest", a, b, False, alt), "pvalue")
         for alt in ("two-sided", "less", "greater")}
    assert_close(p["less"] + p["greater"], 1.0, rtol=1e-10, what="p(less) + p(greater)")
    assert_close(p["two-sided"], 2 * min(p["less"], p["greater"]), rtol=1e-8, atol=1e-14,
                 what="p(two-sided) vs 2 min(p(less), p(greater))")


@given(rngs(), SIZES, SIZES)
def test_welch_df_lies_between_its_bounds(impl, rng, n1, n2):
    """Welch's df lies between min(n1, n2) - 1 and n1 + n2 - 2; with n1 == n2 its t equals Student's t."""
    a, b = normal_sample(rng, n1), normal_sample(rng, n2)
    welch = call(impl, "two_sample_ttest", a, b, False)
    df = field(welch, "df")
    expect(min(n1, n2) - 1 - 1e-9 <= df <= n1 + n2 - 2 + 1e-9,
           f"Welch df = {df} for n1 = {n1}, n2 = {n2}: it must lie in [{min(n1, n2) - 1}, {n1 + n2 - 2}]")
    if n1 == n2:
        student = call(impl, "two_sample_ttest", a, b, True)
        assert_close(field(welch, "statistic"), field(student, "statistic"), rtol=1e-10,
                     what="Welch t vs Student t for equal group sizes")


def test_result_has_named_float_fields(impl):
    """Each test returns a result with fields statistic, pvalue and df, all plain numbers (scalars)."""
    results = [call(impl, "one_sample_ttest", [5.1, 4.9, 5.6, 5.8, 6.0], 5.0),
               call(impl, "two_sample_ttest", [1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 5.0, 7.0, 9.0]),
               call(impl, "paired_ttest", [1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 5.0, 7.0])]
    for result in results:
        for name in ("statistic", "pvalue", "df"):
            value = field(result, name)
            expect(np.ndim(value) == 0, f"{name} should be a single number, got {value!r}")
    assert_close(field(results[0], "statistic"), 0.48 / (np.std([5.1, 4.9, 5.6, 5.8, 6.0], ddof=1) / np.sqrt(5)),
                 rtol=1e-10, what="t for x = [5.1, 4.9, 5.6, 5.8, 6.0] against popmean 5 (worked example)")


def test_rejects_bad_input(impl):
    """Fewer than 2 values, NaN, 2-D input, unequal paired lengths or an unknown alternative raise ValueError."""
    x = [1.0, 2.0, 4.0]
    assert_raises_value_error(impl.one_sample_ttest, [1.0], why="one value has no standard deviation")
    assert_raises_value_error(impl.one_sample_ttest, [1.0, np.nan, 3.0], why="NaN is not data")
    assert_raises_value_error(impl.one_sample_ttest, [[1.0, 2.0], [3.0, 4.0]], why="a sample is 1-D")
    assert_raises_value_error(impl.one_sample_ttest, x, 0.0, "bigger", why="alternative is two-sided, less or greater")
    assert_raises_value_error(impl.two_sample_ttest, x, [2.0], why="each sample needs at least 2 values")
    assert_raises_value_error(impl.two_sample_ttest, x, [2.0, np.inf], False, why="infinity is not data")
    assert_raises_value_error(impl.paired_ttest, x, [1.0, 2.0], why="paired samples have the same length")
