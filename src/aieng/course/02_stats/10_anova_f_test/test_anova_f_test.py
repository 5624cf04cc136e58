"""Checks for `anova-f-test`: the F-test for two variances against its closed form with scipy.stats.f,
one-way ANOVA against scipy.stats.f_oneway.

Groups are drawn from seeded numpy generators (normal data, random means, spreads and sizes). Statistics
and p-values must match to a relative tolerance of 1e-8 (p-values also 1e-12 absolute); the sums of
squares are compared with sums written out plainly in the test, to 1e-9 relative. While your functions
run, scipy.stats.f_oneway is switched off (aieng.grader.guards.forbid); scipy.stats.f stays available.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.strategies import rngs

ALTERNATIVES = st.sampled_from(["two-sided", "less", "greater"])


def call(impl, name: str, *args, **kwargs):
    with forbid(impl, "scipy.stats.f_oneway"):
        return getattr(impl, name)(*args, **kwargs)


def field(result, name: str):
    expect(hasattr(result, name), f"the result should have a field `{name}` (return the named tuple), got {result!r}")
    return getattr(result, name)


def random_groups(rng: np.random.Generator, k: int, offset: float = 0.0) -> list[np.ndarray]:
    """k normal groups of 1..15 values (at least k + 1 values in all), some with equal means."""
    sizes = rng.integers(1, 16, size=k)
    sizes[0] = max(sizes[0], 2)
    spread = rng.uniform(0.1, 5)
    means = offset + rng.choice([0.0, 1.0]) * rng.normal(0, 2, size=k)
    return [rng.normal(m, spread, size=s) for m, s in zip(means, sizes, strict=True)]


@given(rngs(), st.integers(2, 30), st.integers(2, 30), ALTERNATIVES)
def test_f_test_matches_the_f_distribution(impl, rng, n1, n2, alternative):
    """F = s_a² / s_b² (ddof 1) with dfs (n1 - 1, n2 - 1); the p-value comes from scipy.stats.f (two-sided: 2
    min(cdf, sf), at most 1)."""
    a = rng.normal(0, rng.uniform(0.2, 5), size=n1)
    b = rng.normal(3, rng.uniform(0.2, 5), size=n2)
    got = call(impl, "f_test_variances", a, b, alternative)
    f = np.var(a, ddof=1) / np.var(b, ddof=1)
    tails = {"less": scipy.stats.f.cdf(f, n1 - 1, n2 - 1), "greater": scipy.stats.f.sf(f, n1 - 1, n2 - 1)}
    tails["two-sided"] = min(1.0, 2 * min(tails.values()))
    what = f"f_test_variances(n1={n1}, n2={n2}, {alternative!r})"
    assert_close(field(got, "statistic"), f, rtol=1e-8, what=f"{what}: statistic")
    assert_close(field(got, "pvalue"), tails[alternative], rtol=1e-8, atol=1e-12, what=f"{what}: pvalue")
    assert_close([field(got, "df_num"), field(got, "df_den")], [n1 - 1, n2 - 1], what=f"{what}: (df_num, df_den)")


@given(rngs(), st.integers(2, 30), st.integers(2, 30))
def test_f_test_two_sided_does_not_care_about_order(impl, rng, n1, n2):
    """Swapping the samples turns F into 1 / F and keeps the two-sided p-value (the F law has two different tails)."""
    a, b = rng.normal(0, 1, size=n1), rng.normal(0, rng.uniform(0.3, 3), size=n2)
    ab, ba = call(impl, "f_test_variances", a, b), call(impl, "f_test_variances", b, a)
    assert_close(field(ba, "statistic"), 1 / field(ab, "statistic"), rtol=1e-10, what="F(b, a) vs 1 / F(a, b)")
    assert_close(field(ba, "pvalue"), field(ab, "pvalue"), rtol=1e-8, atol=1e-12,
                 what="two-sided p for (b, a) vs (a, b)")


@given(rngs(), st.integers(2, 6))
def test_anova_matches_scipy_f_oneway(impl, rng, k):
    """one_way_anova(*groups) matches scipy.stats.f_oneway (F and p), with df_between = k - 1 and df_within = N - k."""
    groups = random_groups(rng, k)
    got = call(impl, "one_way_anova", *groups)
    expected = scipy.stats.f_oneway(*groups)
    total = sum(len(g) for g in groups)
    what = f"one_way_anova with {k} groups of sizes {[len(g) for g in groups]}"
    assert_close(field(got, "statistic"), expected.statistic, rtol=1e-8, what=f"{what}: statistic")
    assert_close(field(got, "pvalue"), expected.pvalue, rtol=1e-8, atol=1e-12, what=f"{what}: pvalue")
    assert_close([field(got, "df_between"), field(got, "df_within")], [k - 1, total - k],
                 what=f"{what}: (df_between, df_within)")


@given(rngs(), st.integers(2, 6))
def test_sums_of_squares_between_and_within(impl, rng, k):
    """ss_between = Σ n_i (mean_i - grand mean)², ss_within = Σ (x - mean of its group)², and they add up to the
    total."""
    groups = random_groups(rng, k)
    got = call(impl, "one_way_anova", *groups)
    everything = np.concatenate(groups)
    grand = everything.mean()
    ss_between = sum(len(g) * (g.mean() - grand) ** 2 for g in groups)
    ss_within = sum(((g - g.mean()) ** 2).sum() for g in groups)
    total = ((everything - grand) ** 2).sum()
    assert_close(field(got, "ss_between"), ss_between, rtol=1e-9, atol=1e-12 * total, what="ss_between")
    assert_close(field(got, "ss_within"), ss_within, rtol=1e-9, what="ss_within")
    assert_close(field(got, "ss_between") + field(got, "ss_within"), total, rtol=1e-9,
                 what="ss_between + ss_within vs the total sum of squares")


def test_far_from_zero_data_keeps_its_precision(impl):
    """Groups around 1e6 with spread 1 still match scipy.stats.f_oneway to 1e-8: subtract means, don't use Σx² - n x̄².

    Σx² and n x̄² are both about 1e13 here; their difference keeps only about 4 correct digits.
    """
    rng = np.random.default_rng(5)
    groups = [rng.normal(1e6 + shift, 1.0, size=12) for shift in (0.0, 0.4, 0.9)]
    got = call(impl, "one_way_anova", *groups)
    expected = scipy.stats.f_oneway(*groups)
    assert_close(field(got, "statistic"), expected.statistic, rtol=1e-8, what="F for groups centered near 1e6")


@given(rngs(), st.integers(2, 20), st.integers(2, 20))
def test_anova_of_two_groups_is_the_squared_t_test(impl, rng, n1, n2):
    """With two groups, ANOVA's F equals t² of Student's two-sample t-test, and the p-values agree
    (scipy.stats.ttest_ind)."""
    a, b = rng.normal(0, 1, size=n1), rng.normal(rng.uniform(-1, 1), 1, size=n2)
    got = call(impl, "one_way_anova", a, b)
    t_test = scipy.stats.ttest_ind(a, b, equal_var=True)
    assert_close(field(got, "statistic"), t_test.statistic**2, rtol=1e-8, what="F vs t² for two groups")
    assert_close(field(got, "pvalue"), t_test.pvalue, rtol=1e-8, atol=1e-12, what="ANOVA p vs two-sided t-test p")


def test_rejects_bad_input(impl):
    """One group, an empty group, no within-group df, NaN, samples under 2 values or zero variance in b raise
    ValueError."""
    assert_raises_value_error(impl.one_way_anova, [1.0, 2.0, 3.0], why="ANOVA compares at least 2 groups")
    assert_raises_value_error(impl.one_way_anova, [1.0, 2.0], [], why="an empty group has no mean")
    assert_raises_value_error(impl.one_way_anova, [1.0], [2.0], why="N - k = 0 leaves no within-group df")
    assert_raises_value_error(impl.one_way_anova, [1.0, np.nan], [2.0, 3.0], why="NaN is not data")
    assert_raises_value_error(impl.f_test_variances, [1.0], [1.0, 2.0, 3.0], why="a variance needs 2 values")
    assert_raises_value_error(impl.f_test_variances, [1.0, 2.0], [3.0, 3.0], why="s_b² = 0: F is undefined")
    assert_raises_value_error(impl.f_test_variances, [1.0, 2.0], [3.0, 4.0], "both", why="unknown alternative")
