"""Checks for `law-of-large-numbers-clt`: exact recomputation plus statistical checks with derived tolerances.

Exact: the `draw` functions the tests pass in record what they returned, so your running means and
sample means are recomputed from those very numbers (brute-force means of prefixes, numpy row means)
to 1e-12 relative. The draws must come from one call with the documented size: draw(rng, n), or
draw(rng, (repetitions, n)).

Statistical (all with seeded generators):
- LLN: for exponential draws with mean μ = σ = scale, the running mean after k draws must be within
  5σ/√k of μ at k = 100, 1 000, 10 000 and 100 000. The mean of k exponential draws follows a gamma
  law exactly, and its tails give a false-failure probability of 8.1e-6 for all four checkpoints
  together (the normal approximation would say 2.3e-6).
- CLT: 1000 standardized means √n(x̄ - μ)/σ of n = 1000 skewed draws (exponential, gamma with shape 2,
  a shifted chi-square) must pass a Kolmogorov–Smirnov test against N(0, 1) (scipy.stats.kstest) at
  significance level 0.001. What skewness is left in a mean of 1000 exponential draws moves the
  false-failure rate only slightly: 0.05% over 2000 seeds of the reference.
- Variance of the mean: for normal draws, (R - 1)·s²/(σ²/n) follows a chi-square law with R - 1
  degrees of freedom exactly. With R = 2000, s²/(σ²/n) must lie in [0.857, 1.158], the law's 1e-6 and
  1 - 1e-6 quantiles.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.spies import RecordingSampler
from aieng.grader.strategies import vectors
from aieng.grader.tolerances import variance_ratio_bounds

SEEDS = st.integers(0, 2**32 - 1)


def exponential(scale: float):
    return lambda rng, size: rng.exponential(scale, size)


@given(vectors(max_size=40))
def test_running_mean_is_the_mean_of_each_prefix(impl, x):
    """running_mean(x)[k] is the mean of x[0], ..., x[k] (brute force: numpy.mean of every prefix)."""
    expected = np.array([np.mean(x[: k + 1]) for k in range(x.size)])
    assert_close(impl.running_mean(x), expected, rtol=1e-12, atol=1e-12, what=f"running_mean of {x.size} values")


@settings(max_examples=10)
@given(st.floats(0.1, 10.0), SEEDS)
def test_simulate_running_mean_uses_one_batch_of_draws(impl, scale, seed):
    """simulate_running_mean(draw, n, seed) calls draw(rng, n) once and returns the running mean of those n values."""
    recorder = RecordingSampler(exponential(scale))
    got = impl.simulate_running_mean(recorder, 500, seed)
    values = recorder.only_call(500)
    assert_close(got, np.cumsum(values) / np.arange(1, 501), rtol=1e-12, what="running mean of the 500 draws")


@settings(max_examples=10)
@given(st.floats(0.1, 10.0), SEEDS)
def test_running_mean_obeys_the_law_of_large_numbers(impl, scale, seed):
    """The running mean of exponential draws is within 5σ/√k of the true mean at k = 100, 1e3, 1e4 and 1e5.

    The false-alarm probability, from the exact gamma law of the mean, is 8e-6 for all four together.
    """
    running = np.asarray(impl.simulate_running_mean(exponential(scale), 100_000, seed))
    expect(running.shape == (100_000,), f"simulate_running_mean(draw, 100000) should have shape (100000,), "
                                        f"got {running.shape}")
    for k in (100, 1_000, 10_000, 100_000):
        assert_close(running[k - 1], scale, rtol=0, atol=5 * scale / np.sqrt(k),
                     what=f"the running mean after {k} exponential draws with mean {scale:.4g} (allowed 5σ/√k)")


@settings(max_examples=10)
@given(st.integers(1, 50), st.integers(1, 50), SEEDS)
def test_sample_means_are_the_row_means_of_one_batch(impl, n, repetitions, seed):
    """sample_means(draw, n, R, seed) calls draw(rng, (R, n)) once and returns the R row means."""
    recorder = RecordingSampler(lambda rng, size: rng.gamma(2.0, 3.0, size))
    got = impl.sample_means(recorder, n, repetitions, seed)
    values = recorder.only_call((repetitions, n))
    assert_close(got, values.mean(axis=1), rtol=1e-12, what=f"sample_means with n={n}, repetitions={repetitions}")


@settings(max_examples=10)
@given(st.floats(-5, 5), st.floats(0.5, 3.0), st.integers(2, 30), SEEDS)
def test_standardized_means_formula(impl, mu, sigma, n, seed):
    """standardized_means returns √n·(row mean - μ)/σ for the rows of its one batch of draws."""
    recorder = RecordingSampler(lambda rng, size: rng.normal(mu, sigma, size))
    got = impl.standardized_means(recorder, n, 40, mu, sigma, seed)
    values = recorder.only_call((40, n))
    assert_close(got, np.sqrt(n) * (values.mean(axis=1) - mu) / sigma, rtol=1e-10, atol=1e-12,
                 what=f"standardized_means(n={n}, mu={mu:.3g}, sigma={sigma:.3g})")


SKEWED = {
    "exponential(scale=2)": (lambda rng, size: rng.exponential(2.0, size), 2.0, 2.0),
    "gamma(shape=2, scale=1)": (lambda rng, size: rng.gamma(2.0, 1.0, size), 2.0, np.sqrt(2.0)),
    "chi-square(3) - 1": (lambda rng, size: rng.chisquare(3, size) - 1.0, 2.0, np.sqrt(6.0)),
}


@settings(max_examples=6)
@given(st.sampled_from(sorted(SKEWED)), SEEDS)
def test_standardized_means_of_skewed_draws_are_normal(impl, name, seed):
    """1000 standardized means of n = 1000 skewed draws pass a Kolmogorov–Smirnov test against N(0, 1) at level 0.001.

    The central limit theorem at work: each draw is strongly skewed, their means are not.
    """
    draw, mu, sigma = SKEWED[name]
    z = np.asarray(impl.standardized_means(draw, 1000, 1000, mu, sigma, seed))
    expect(z.shape == (1000,), f"standardized_means(..., repetitions=1000) should have shape (1000,), got {z.shape}")
    result = scipy.stats.kstest(z, scipy.stats.norm.cdf)
    expect(result.pvalue >= 0.001,
           f"standardized means of {name} draws do not look like N(0, 1): KS statistic {result.statistic:.3f}, "
           f"p-value {result.pvalue:.2g} < 0.001 (their mean is {z.mean():.3f}, their std {z.std():.3f}; "
           "expected about 0 and 1)")


@settings(max_examples=10)
@given(st.floats(-10, 10), st.floats(0.1, 10), st.integers(1, 60), SEEDS)
def test_variance_of_the_sample_mean_is_sigma_squared_over_n(impl, mu, sigma, n, seed):
    """Over 2000 samples of n normal draws, the sample means have variance σ²/n: ratio in [0.857, 1.158].

    (R - 1)·s²/(σ²/n) is chi-square with R - 1 degrees of freedom; each bound is missed with probability 1e-6.
    """
    repetitions = 2000
    means = np.asarray(impl.sample_means(lambda rng, size: rng.normal(mu, sigma, size), n, repetitions, seed))
    ratio = np.var(means, ddof=1) / (sigma**2 / n)
    low, high = variance_ratio_bounds(repetitions - 1)  # each bound missed with probability 1e-6
    expect(low <= ratio <= high,
           f"with n = {n} the sample means have variance {np.var(means, ddof=1):.4g}, {ratio:.3f} times σ²/n = "
           f"{sigma**2 / n:.4g}; a correct simulation gives a ratio in [{low:.3f}, {high:.3f}]")


def test_same_seed_same_simulation(impl):
    """Equal seeds (ints or fresh Generators with equal seeds) reproduce the simulation; different seeds do not."""
    draw = exponential(1.0)
    first, again = impl.sample_means(draw, 20, 50, 11), impl.sample_means(draw, 20, 50, 11)
    expect(np.array_equal(first, again), "seed 11 gave two different results: use np.random.default_rng(seed)")
    expect(not np.array_equal(first, impl.sample_means(draw, 20, 50, 12)), "seeds 11 and 12 gave the same means")
    runs = [impl.simulate_running_mean(draw, 100, np.random.default_rng(4)) for _ in range(2)]
    expect(np.array_equal(*runs), "two Generators seeded with 4 gave different running means")


def test_rejects_bad_input(impl):
    """n or repetitions below 1, σ ≤ 0, and 2-D data for running_mean raise ValueError."""
    draw = exponential(1.0)
    assert_raises_value_error(impl.running_mean, np.ones((2, 2)), why="running_mean takes 1-D data")
    assert_raises_value_error(impl.simulate_running_mean, draw, 0, 1, why="n must be at least 1")
    assert_raises_value_error(impl.sample_means, draw, 0, 10, 1, why="a sample needs at least one draw")
    assert_raises_value_error(impl.sample_means, draw, 5, 0, 1, why="repetitions must be at least 1")
    assert_raises_value_error(impl.standardized_means, draw, 5, 10, 1.0, 0.0, 1, why="σ must be positive")
