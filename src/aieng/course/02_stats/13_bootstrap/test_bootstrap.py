"""Checks for `bootstrap`, against scipy.stats.bootstrap, closed forms and a paired coverage simulation.

Bootstrap answers are random, so no check asks for scipy's exact numbers. Each tolerance below is
derived from the Monte Carlo error of the simulation, with the probability that a correct solution fails
stated in the check (about 1e-4 per run for all checks together):

- Quantiles, compared in probability space. Your percentile end point q̂ is the α/2 quantile of B of
  your replicates, so G(q̂) (G: the bootstrap distribution's cdf) is α/2 up to a standard deviation of
  √(p(1-p)/B), p = α/2. scipy.stats.bootstrap's B' replicates estimate G at q̂ with a further
  √(p(1-p)/B'). So the fraction of scipy's replicates below your end point must lie within
  5·√(p(1-p)(1/B + 1/B')) + 1/B + 1/B' of α/2 (the last terms cover quantile interpolation). Same for
  the upper end, and for the basic interval after reflecting its ends back (q = 2θ̂ - end).
- Resampling, against closed forms: the mean of the bootstrap means is x̄, their variance is σ̂²/n
  (σ̂² with ddof 0), and a resample of n distinct values holds on average n(1 - (1 - 1/n)ⁿ) distinct
  ones (≈ 63%), each within 5 standard errors.
- Coverage, paired: on the same 1200 seeded data sets your percentile interval and the textbook one
  written plainly in this file should cover the mean equally often. Where exactly one of them covers,
  each is equally likely to be the one (the same procedure with independent resamples), so your share
  of those discordant data sets is Binomial(D, 1/2); the band cuts 1e-5.
- Exact: constant data give the interval (c, c); one seed gives one answer.

While your functions run, scipy.stats.bootstrap is switched off (aieng.grader.guards.forbid).
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect, expect_interval
from aieng.grader.guards import forbid
from aieng.grader.spies import RecordingStatistic
from aieng.grader.strategies import rngs
from aieng.grader.tolerances import SIGMAS, assert_within_standard_errors, binomial_band


def call(impl, name: str, *args, **kwargs):
    with forbid(impl, "scipy.stats.bootstrap"):
        return getattr(impl, name)(*args, **kwargs)


def trimmed_mean(x, axis=-1):
    return scipy.stats.trim_mean(x, 0.1, axis=axis)


STATISTICS = {"mean": np.mean, "std": np.std, "10% trimmed mean": trimmed_mean}


def random_data(rng: np.random.Generator, n: int) -> np.ndarray:
    """Normal or (skewed) exponential data, randomly shifted and scaled."""
    base = rng.normal(size=n) if rng.random() < 0.5 else rng.exponential(size=n)
    return rng.uniform(-10, 10) + rng.uniform(0.5, 5) * base


@settings(max_examples=15)
@given(rngs(), st.integers(15, 60), st.sampled_from(sorted(STATISTICS)), st.sampled_from([0.8, 0.9, 0.95, 0.99]),
       st.sampled_from(["percentile", "basic"]))
def test_interval_ends_sit_at_the_right_quantiles_of_scipys_bootstrap(impl, rng, n, name, confidence, method):
    """Your interval's ends sit at the α/2 and 1 - α/2 quantiles of scipy.stats.bootstrap's replicates, within MC error.

    The fraction of scipy's 4999 replicates below your (reflected, for 'basic') end must be within
    5·√(p(1-p)(1/B + 1/B')) + 1/B + 1/B' of p. False failure: about 6e-7 per end.
    """
    statistic = STATISTICS[name]
    data = random_data(rng, n)
    b = 4999
    seed = int(rng.integers(2**32))
    got = expect_interval(call(impl, "bootstrap_ci", data, statistic, confidence, b, method, seed), "bootstrap_ci")
    reference = scipy.stats.bootstrap((data,), statistic, n_resamples=b, confidence_level=confidence,
                                      method="percentile", rng=int(rng.integers(2**32)))
    replicates = np.sort(reference.bootstrap_distribution)
    if method == "basic":  # reflect the ends back: 2θ̂ - end is a quantile of the replicates
        estimate = statistic(data, axis=-1)
        got = (2 * estimate - got[1], 2 * estimate - got[0])
    alpha = 1 - confidence
    for end, p in zip(got, (alpha / 2, 1 - alpha / 2), strict=True):
        allowed = SIGMAS * np.sqrt(p * (1 - p) * 2 / b) + 2 / b
        below = np.searchsorted(replicates, end, side="right") / b
        assert_close(below, p, rtol=0, atol=allowed,
                     what=f"fraction of scipy's bootstrap replicates below your {method} end point ({name}, n={n}, "
                          f"confidence={confidence})")


@given(rngs(), st.integers(5, 40))
def test_resamples_are_drawn_with_replacement_in_one_batch(impl, rng, n):
    """bootstrap_distribution calls statistic(samples, axis=-1) once on a (B, n) array of resamples drawn with
    replacement.

    Checked against closed forms, each within 5 standard errors (false failure 6e-7 each): the mean of the
    replicates is x̄, their variance σ̂²/n, and each resample holds n(1 - (1 - 1/n)ⁿ) distinct values on average.
    """
    data = np.arange(n) + rng.uniform(0, 0.5, size=n)  # n distinct values
    b = 2000
    spy = RecordingStatistic(np.mean, reduces="each resample (row)")
    replicates = np.asarray(call(impl, "bootstrap_distribution", data, spy, b, int(rng.integers(2**32))), dtype=float)
    expect(len(spy.calls) == 1 and spy.calls[0].shape == (b, n),
           f"statistic should be called once with all resamples, shape ({b}, {n}); got calls with shapes "
           f"{[c.shape for c in spy.calls][:5]}")
    expect(replicates.shape == (b,), f"bootstrap_distribution should return shape ({b},), got {replicates.shape}")
    samples = spy.calls[0]
    expect(bool(np.isin(samples, data).all()), "every resampled value must be one of the data values")
    m2, m4 = np.mean((data - data.mean()) ** 2), np.mean((data - data.mean()) ** 4)
    variance = m2 / n  # variance of one bootstrap mean
    assert_within_standard_errors(replicates.mean(), data.mean(), np.sqrt(variance / b),
                                  what="mean of the bootstrap means (should be x̄)", note="")
    fourth = (m4 + 3 * (n - 1) * m2**2) / n**3  # fourth central moment of one bootstrap mean
    assert_within_standard_errors(replicates.var(ddof=1), variance, np.sqrt((fourth - variance**2) / b),
                                  what="variance of the bootstrap means (should be σ̂²/n, σ̂² with ddof 0)", note="")
    sorted_rows = np.sort(samples, axis=1)
    distinct = 1 + (np.diff(sorted_rows, axis=1) != 0).sum(axis=1)
    q1, q2 = (1 - 1 / n) ** n, (1 - 2 / n) ** n
    mean_distinct = n * (1 - q1)
    var_distinct = n * (n - 1) * q2 + n * q1 - n**2 * q1**2
    assert_within_standard_errors(
        distinct.mean(), mean_distinct, np.sqrt(var_distinct / b), slack=1e-12, note="",
        what=f"average number of distinct values in a resample of {n} (with replacement: n(1 - (1 - 1/n)ⁿ))")


@given(st.integers(2, 30), st.sampled_from([-7.0, 0.0, 3.0, 1024.0]), st.sampled_from(["percentile", "basic"]))
def test_constant_data_give_a_single_point(impl, n, value, method):
    """If every value is c, every resample is constant too, and the interval is exactly (c, c), for the mean and the
    median."""
    data = np.full(n, value)
    for statistic in (np.mean, np.median):
        got = expect_interval(call(impl, "bootstrap_ci", data, statistic, 0.95, 200, method, 0), "bootstrap_ci")
        assert_close(got, [value, value], rtol=0, atol=0, what=f"bootstrap_ci of {n} copies of {value} ({method})")


def test_same_seed_same_interval(impl):
    """The same seed (an int, or a Generator seeded alike) reproduces the interval; another seed changes it."""
    data = np.random.default_rng(0).exponential(size=25)
    first = call(impl, "bootstrap_ci", data, np.median, 0.9, 500, "percentile", 11)
    again = call(impl, "bootstrap_ci", data, np.median, 0.9, 500, "percentile", 11)
    other = call(impl, "bootstrap_ci", data, np.mean, 0.9, 500, "percentile", 12)
    same = call(impl, "bootstrap_ci", data, np.mean, 0.9, 500, "percentile", 12)
    expect(tuple(first) == tuple(again), f"seed 11 gave {first} and then {again}: use np.random.default_rng(seed)")
    expect(tuple(other) == tuple(same), f"seed 12 gave {other} and then {same}")
    expect(tuple(call(impl, "bootstrap_ci", data, np.mean, 0.9, 500, "percentile", 13)) != tuple(other),
           "seeds 12 and 13 gave the same interval: is the seed used?")
    with_generators = [call(impl, "bootstrap_distribution", data, np.mean, 300, np.random.default_rng(5))
                       for _ in range(2)]
    assert_close(with_generators[0], with_generators[1], rtol=0, atol=0,
                 what="replicates from two Generators seeded with 5")


def textbook_interval(data: np.ndarray, rng: np.random.Generator, b: int) -> tuple[float, float]:
    """The percentile bootstrap interval for the mean at 95%, written out plainly."""
    means = data[rng.integers(0, data.size, size=(b, data.size))].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return low, high


def test_coverage_matches_the_textbook_bootstrap(impl):
    """On 1200 seeded skewed data sets (n = 30), your 95% percentile interval covers the mean as often as the
    textbook one.

    Paired comparison on the same data sets: among those where exactly one of the two intervals covers,
    your share must be a plausible Binomial(D, 1/2) draw (false failure 1e-5). Both cover only about 92%
    here: the percentile bootstrap is approximate for small skewed samples.
    """
    trials, n, b = 1200, 30, 199
    data_rng, textbook_rng = np.random.default_rng(99), np.random.default_rng(100)
    yours = yours_only = textbook_only = 0
    for _ in range(trials):
        data = data_rng.exponential(size=n)  # true mean 1
        low, high = expect_interval(call(impl, "bootstrap_ci", data, np.mean, 0.95, b, "percentile",
                                         int(data_rng.integers(2**32))), "bootstrap_ci")
        t_low, t_high = textbook_interval(data, textbook_rng, b)
        hit, textbook_hit = low <= 1.0 <= high, t_low <= 1.0 <= t_high
        yours += hit
        yours_only += hit and not textbook_hit
        textbook_only += textbook_hit and not hit
    discordant = yours_only + textbook_only
    band = binomial_band(discordant, 0.5, 1e-5, counts=True)
    textbook = yours - yours_only + textbook_only
    expect(band[0] <= yours_only <= band[1],
           f"your interval covered the mean in {yours / trials:.1%} of {trials} data sets, the textbook bootstrap in "
           f"{textbook / trials:.1%}; of the {discordant} data sets where exactly one covered, yours was the one "
           f"{yours_only} times (a correct solution: {band[0]:.0f} to {band[1]:.0f})")


def test_rejects_bad_input(impl):
    """Fewer than 2 values, 2-D data, NaN, confidence outside (0, 1), an unknown method or n_resamples < 1 raise
    ValueError."""
    data = [1.0, 2.0, 4.0, 8.0]
    assert_raises_value_error(impl.bootstrap_ci, [1.0], np.mean, why="one value cannot be resampled meaningfully")
    assert_raises_value_error(impl.bootstrap_ci, [[1.0, 2.0], [3.0, 4.0]], np.mean, why="data is a 1-D sample")
    assert_raises_value_error(impl.bootstrap_ci, [1.0, np.nan, 2.0], np.mean, why="NaN is not data")
    assert_raises_value_error(impl.bootstrap_ci, data, np.mean, 1.5, why="confidence must be below 1")
    assert_raises_value_error(impl.bootstrap_ci, data, np.mean, 0.95, 100, "bca", why="method is percentile or basic")
    assert_raises_value_error(impl.bootstrap_distribution, data, np.mean, 0, why="n_resamples must be at least 1")
