"""Checks for `differential-privacy`: the noise your mechanisms add is tested statistically against the
closed-form distributions, scipy.stats.laplace(scale = Δ/ε) and scipy.stats.norm(scale = σ), with a
Kolmogorov–Smirnov test, and the privacy budget against the arithmetic of sequential composition.

Statistics: every distribution check draws 2000-4000 noise values from a seeded numpy Generator and runs
three tests: a KS test against the exact distribution at significance level α = 1e-4; the sample mean
within 4.4 standard errors of 0 (unbiased noise; a correct implementation fails it with probability
1e-5); and the mean absolute noise within 4.4 standard errors of its exact value (b for Laplace(b),
σ·sqrt(2/π) for N(0, σ²); again 1e-5). A correct implementation therefore fails one distribution check
with probability below 1.2e-4 for a random seed (union bound), and the seeds are fixed, so it passes every
time. KS alone notices a scale 25% off only at n = 4000; the mean-absolute check catches a scale 15% off
with probability above 0.97 at n = 2000 and above 0.999 at n = 4000.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from aieng.grader.assertions import assert_close, assert_raises, assert_raises_value_error, expect

ALPHA = 1e-4
Z = 4.4  # two-sided normal tail probability ~1e-5


def ks_check(noise: np.ndarray, dist, what: str) -> None:
    noise = np.asarray(noise, dtype=float).ravel()
    result = stats.kstest(noise, dist.cdf)
    expect(result.pvalue >= ALPHA,
           f"{what}: the noise does not follow the expected distribution (KS statistic {result.statistic:.4f}, "
           f"p = {result.pvalue:.2g} < {ALPHA}); sample std {noise.std():.4g} vs expected {dist.std():.4g}")


def mean_check(noise: np.ndarray, std: float, what: str) -> None:
    noise = np.asarray(noise, dtype=float).ravel()
    bound = Z * std / math.sqrt(noise.size)
    expect(abs(noise.mean()) <= bound,
           f"{what}: the noise should have mean 0 (unbiased), but its sample mean is {noise.mean():.4g}, "
           f"more than {Z} standard errors ({bound:.3g}) from 0")


def scale_check(noise: np.ndarray, expected: float, spread: float, what: str) -> None:
    """mean |noise| against its exact value `expected`; `spread` is the standard deviation of |noise|."""
    noise = np.asarray(noise, dtype=float).ravel()
    got = np.abs(noise).mean()
    bound = Z * spread / math.sqrt(noise.size)
    expect(abs(got - expected) <= bound,
           f"{what}: the noise has the wrong scale: mean |noise| is {got:.4g}, expected {expected:.4g} "
           f"(allowed ±{bound:.3g}, 4.4 standard errors)")


def laplace_checks(noise: np.ndarray, scale: float, what: str) -> None:
    ks_check(noise, stats.laplace(scale=scale), what)
    mean_check(noise, math.sqrt(2) * scale, what)
    scale_check(noise, scale, scale, what)  # |Laplace(b)| is exponential: mean b, standard deviation b


def classic_sigma(sensitivity: float, epsilon: float, delta: float) -> float:
    return sensitivity * math.sqrt(2 * math.log(1.25 / delta)) / epsilon


@settings(max_examples=8)  # one KS test of 4000 draws per example
@given(st.integers(0, 2**32 - 1), st.floats(0.1, 10), st.floats(0.05, 5), st.floats(-1e3, 1e3))
def test_laplace_noise_has_the_right_distribution(impl, seed, sensitivity, epsilon, value):
    """laplace_mechanism(value, Δ, ε, rng) returns value + noise with noise ~ Laplace(0, Δ/ε) per entry: a KS
    test against scipy.stats.laplace(scale=Δ/ε) on 4000 entries, a sample mean near 0 and a mean |noise|
    near Δ/ε."""
    out = impl.laplace_mechanism(np.full(4000, value), sensitivity, epsilon, np.random.default_rng(seed))
    expect(np.shape(out) == (4000,), f"laplace_mechanism on an array of shape (4000,) returned shape {np.shape(out)}")
    noise = np.asarray(out) - value
    scale = sensitivity / epsilon
    laplace_checks(noise, scale, f"Laplace noise with scale {scale:.4g}")


def test_laplace_scalar_in_scalar_out_and_seeded(impl):
    """A scalar value gives a single float back; the same seed gives the same release, another seed another."""
    a = impl.laplace_mechanism(3.0, 1.0, 1.0, np.random.default_rng(5))
    b = impl.laplace_mechanism(3.0, 1.0, 1.0, np.random.default_rng(5))
    c = impl.laplace_mechanism(3.0, 1.0, 1.0, np.random.default_rng(6))
    expect(np.ndim(a) == 0, f"laplace_mechanism(3.0, ...) should return one number, got {a!r}")
    expect(a == b and a != c, "use the rng you are given for all randomness (same seed, same noise)")


def test_gaussian_sigma_is_the_classic_bound(impl):
    """gaussian_sigma(Δ, ε, δ) = Δ sqrt(2 ln(1.25/δ)) / ε (Dwork & Roth, Theorem A.1), for several values."""
    for sensitivity, epsilon, delta in [(1.0, 0.5, 1e-5), (2.5, 0.1, 1e-6), (0.3, 0.99, 0.01), (1.0, 0.9, 1e-9)]:
        assert_close(impl.gaussian_sigma(sensitivity, epsilon, delta), classic_sigma(sensitivity, epsilon, delta),
                     rtol=1e-12, what=f"gaussian_sigma({sensitivity}, {epsilon}, {delta})")


@settings(max_examples=8)
@given(st.integers(0, 2**32 - 1), st.floats(0.1, 10), st.floats(0.05, 0.95), st.floats(1e-9, 1e-2))
def test_gaussian_noise_has_the_right_distribution(impl, seed, sensitivity, epsilon, delta):
    """gaussian_mechanism adds N(0, σ²) noise with the classic σ: a KS test against scipy.stats.norm(scale=σ)
    on 4000 entries, a sample mean near 0 and a mean |noise| near σ·sqrt(2/π)."""
    out = impl.gaussian_mechanism(np.zeros(4000), sensitivity, epsilon, delta, np.random.default_rng(seed))
    sigma = classic_sigma(sensitivity, epsilon, delta)
    what = f"Gaussian noise with sigma {sigma:.4g}"
    ks_check(out, stats.norm(scale=sigma), what)
    mean_check(out, sigma, what)
    scale_check(out, sigma * math.sqrt(2 / math.pi), sigma * math.sqrt(1 - 2 / math.pi), what)


def test_budget_sequential_composition(impl):
    """PrivacyBudget(1.0) allows spends adding up to 1.0 (ten spends of 0.1 despite round-off; 0.1 + 0.2
    out of 0.3), refuses the next one with a ValueError, and a refused request spends nothing."""
    budget = impl.PrivacyBudget(1.0)
    for _ in range(10):
        budget.spend(0.1)
    assert_close(budget.spent_epsilon, 1.0, rtol=1e-9, what="spent_epsilon after ten spends of 0.1")
    assert_raises_value_error(budget.spend, 0.01, why="the budget of 1.0 is used up")
    assert_close(budget.spent_epsilon, 1.0, rtol=1e-9, what="spent_epsilon after a refused spend")
    small = impl.PrivacyBudget(0.3)
    small.spend(0.1)
    small.spend(0.2)
    assert_close(small.remaining_epsilon, 0.0, atol=1e-9, what="remaining_epsilon of 0.3 - 0.1 - 0.2")
    partial = impl.PrivacyBudget(2.0)
    partial.spend(0.5)
    assert_raises_value_error(partial.spend, 1.6, why="0.5 + 1.6 exceeds 2.0")
    partial.spend(1.5)
    assert_close(partial.remaining_epsilon, 0.0, atol=1e-9, what="remaining after 0.5 + 1.5 of 2.0")


def test_budget_tracks_delta(impl):
    """(ε, δ) budgets add both parts: with PrivacyBudget(1.0, 1e-5), two spends of (0.4, 5e-6) fit and a
    third spend of (0.1, 1e-6) is refused for its δ."""
    budget = impl.PrivacyBudget(1.0, 1e-5)
    budget.spend(0.4, 5e-6)
    budget.spend(0.4, 5e-6)
    assert_close(budget.spent_delta, 1e-5, rtol=1e-9, what="spent_delta")
    assert_raises_value_error(budget.spend, 0.1, 1e-6, why="delta is used up (1e-5 of 1e-5)")


@settings(max_examples=4)  # 2500 releases per example
@given(st.integers(0, 2**32 - 1), st.floats(0.2, 3))
def test_dp_mean_clips_then_adds_calibrated_noise(impl, seed, epsilon):
    """dp_mean(x, a, b, ε) = mean(clip(x, a, b)) + Laplace((b - a) / (n ε)): over 2500 releases on the same
    data (with values outside [a, b], so forgetting to clip shows), the releases minus the clipped mean
    pass a KS test against scipy.stats.laplace with that scale."""
    rng = np.random.default_rng(seed)
    x = rng.normal(40, 25, size=60)
    lower, upper = 0.0, 100.0
    truth = np.clip(x, lower, upper).mean()
    releases = np.array([impl.dp_mean(x, lower, upper, epsilon, rng) for _ in range(2500)])
    scale = (upper - lower) / (len(x) * epsilon)
    laplace_checks(releases - truth, scale, f"dp_mean noise (scale {scale:.4g})")


@settings(max_examples=4)
@given(st.integers(0, 2**32 - 1), st.floats(0.1, 3))
def test_dp_histogram_adds_laplace_one_over_epsilon(impl, seed, epsilon):
    """dp_histogram(x, edges, ε) = numpy.histogram(x, bins=edges) counts + Laplace(1/ε) per bin: over 200
    releases of 10 bins the noise passes a KS test against scipy.stats.laplace(scale=1/ε)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 2, size=300)
    edges = np.linspace(-5, 5, 11)
    counts, _ = np.histogram(x, bins=edges)
    noisy = np.array([impl.dp_histogram(x, edges, epsilon, rng) for _ in range(200)])
    expect(noisy.shape == (200, 10), f"dp_histogram with 11 edges should return 10 counts, got shape {noisy.shape[1:]}")
    laplace_checks(noisy - counts, 1 / epsilon, f"dp_histogram noise (scale {1 / epsilon:.4g})")


def test_statistics_spend_from_the_budget(impl):
    """dp_mean and dp_histogram charge their ε to a given budget and refuse (ValueError, nothing released)
    once it would be overdrawn."""
    budget = impl.PrivacyBudget(1.0)
    x = np.arange(10.0)
    impl.dp_mean(x, 0, 10, 0.6, np.random.default_rng(0), budget=budget)
    assert_close(budget.spent_epsilon, 0.6, rtol=1e-9, what="spent after dp_mean with epsilon 0.6")
    assert_raises_value_error(impl.dp_histogram, x, np.array([0.0, 5.0, 10.0]), 0.5, np.random.default_rng(0),
                              budget=budget, why="0.6 + 0.5 exceeds the budget of 1.0")
    impl.dp_histogram(x, np.array([0.0, 5.0, 10.0]), 0.4, np.random.default_rng(0), budget=budget)
    assert_close(budget.spent_epsilon, 1.0, rtol=1e-9, what="spent after dp_histogram with epsilon 0.4")


def test_utility_improves_with_epsilon(impl):
    """A larger ε means less noise: the mean absolute error of dp_mean over 400 releases is near
    (b - a) / (n ε), the mean |Laplace|, for ε = 0.1, 1 and 10 (within 20% = 4 standard errors, since
    |Laplace(b)| has standard deviation b: false-failure probability 6e-5 per ε)."""
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 100, size=1000)
    truth = x.mean()
    for epsilon in (0.1, 1.0, 10.0):
        errors = np.abs([impl.dp_mean(x, 0.0, 100.0, epsilon, rng) - truth for _ in range(400)])
        expected = 100.0 / (1000 * epsilon)
        assert_close(errors.mean(), expected, rtol=0.2, what=f"mean |error| of dp_mean at epsilon={epsilon}")


def test_rejects_bad_input(impl):
    """Non-positive ε or sensitivity, ε >= 1 or δ outside (0, 1) for the classic Gaussian bound, bounds with
    lower >= upper, empty or NaN data, and unsorted histogram edges raise ValueError."""
    rng = np.random.default_rng(0)
    assert_raises_value_error(impl.laplace_mechanism, 1.0, 1.0, 0.0, rng, why="epsilon must be positive")
    assert_raises_value_error(impl.laplace_mechanism, 1.0, -1.0, 1.0, rng, why="sensitivity must be positive")
    assert_raises_value_error(impl.gaussian_sigma, 1.0, 1.5, 1e-5, why="the classic bound needs epsilon < 1")
    assert_raises_value_error(impl.gaussian_sigma, 1.0, 0.5, 0.0, why="delta must be in (0, 1)")
    assert_raises_value_error(impl.dp_mean, np.arange(5.0), 10, 0, 1.0, rng, why="lower must be below upper")
    assert_raises_value_error(impl.dp_mean, np.array([]), 0, 1, 1.0, rng, why="the data are empty")
    assert_raises_value_error(impl.dp_mean, np.array([1.0, np.nan]), 0, 1, 1.0, rng, why="the data hold a NaN")
    assert_raises_value_error(impl.dp_histogram, np.arange(5.0), np.array([0.0, 3.0, 2.0]), 1.0, rng,
                              why="edges must increase")
    assert_raises_value_error(impl.PrivacyBudget, 0.0, why="a budget must be positive")
    assert_raises(ValueError, impl.PrivacyBudget(1.0).spend, -0.1, because="a spend must be positive")
