"""Checks for `type-errors-power`: closed forms computed here with scipy.stats.norm, and simulations within
binomial bands.

Closed forms: z = (x̄ - μ0)/(σ/√n) and the two-sided p-value 2·P(Z > |z|) (scipy.stats.norm.sf); the
power of the two-sided z-test Φ(d - c) + Φ(-d - c) with c = z_(1-α/2) and d = δ√n/σ
(scipy.stats.norm.cdf/isf); the smallest n reaching a target power, by brute force over n.
Tolerances: relative 1e-9 plus absolute 1e-12. Both sides evaluate the same normal CDF, so they agree
to far better than that; the absolute part lets 1 - Φ(z) stand in for the survival function while p
is above about 1e-12.

Simulations: a rejection rate from R = 20 000 simulated tests is a binomial proportion. It must lie
within 5 standard errors, 5·sqrt(p(1 - p)/R), of p. Here p is α for the type I error rate and the
closed-form power otherwise. A correct simulation misses with probability 5.7e-7 per case.
statsmodels' z-test and power functions are switched off while your code runs if statsmodels is loaded.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.tolerances import assert_within_standard_errors, rate_standard_error

REPETITIONS = 20_000
ALPHAS = st.sampled_from([0.01, 0.05, 0.1])
SEEDS = st.integers(0, 2**32 - 1)


def call(impl, name: str, *args):
    """Run the learner's function with library z-tests and power calculators switched off."""
    names = (*present("statsmodels.stats.weightstats", ("ztest", "zconfint")),
             *present("statsmodels.stats.power", ("zt_ind_solve_power", "tt_solve_power", "normal_power")),
             "scipy.stats.ttest_1samp")
    with forbid(impl, *names):
        return getattr(impl, name)(*args)


def power(effect: float, sigma: float, n, alpha: float):
    """The closed-form power of the two-sided z-test (n may be an array of sample sizes)."""
    c = scipy.stats.norm.isf(alpha / 2)
    d = effect * np.sqrt(n) / sigma
    return scipy.stats.norm.cdf(d - c) + scipy.stats.norm.cdf(-d - c)


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=30), st.floats(-50, 50), st.floats(0.5, 20))
def test_z_test_matches_the_closed_form(impl, sample, mu0, sigma):
    """z_test(x, μ0, σ) returns z = (x̄ - μ0)/(σ/√n) and the two-sided p-value 2·P(Z > |z|)."""
    x = np.array(sample)
    z_expected = (x.mean() - mu0) / (sigma / np.sqrt(x.size))
    z, p = call(impl, "z_test", x, mu0, sigma)
    assert_close(z, z_expected, rtol=1e-9, atol=1e-12, what=f"z for {x.size} values, mu0={mu0:.4g}, sigma={sigma:.4g}")
    assert_close(p, 2 * scipy.stats.norm.sf(abs(z_expected)), rtol=1e-9, atol=1e-12,
                 what=f"the two-sided p-value for z = {z_expected:.4g}")


@settings(max_examples=8)
@given(st.floats(-10, 10), st.floats(0.5, 5), st.integers(2, 30), ALPHAS, SEEDS)
def test_type_I_error_rate_is_alpha(impl, mu0, sigma, n, alpha, seed):
    """When H0 is true (μ = μ0), the simulated test rejects a fraction α of the time (± 5 binomial SE).

    A correct simulation lands outside that band with probability 5.7e-7.
    """
    rate = call(impl, "rejection_rate", mu0, mu0, sigma, n, alpha, REPETITIONS, seed)
    expect(np.ndim(rate) == 0, f"rejection_rate should return a number, got {rate!r}")
    assert_within_standard_errors(rate, alpha, rate_standard_error(alpha, REPETITIONS), note="allowed ±{band:.4f}",
                                  what=f"type I error rate of {REPETITIONS} simulated tests at α={alpha}")


@settings(max_examples=8)
@given(st.floats(0.05, 1.5), st.sampled_from([-1.0, 1.0]), st.floats(0.5, 3), st.integers(2, 40), ALPHAS, SEEDS)
def test_simulated_power_matches_the_closed_form(impl, size, sign, sigma, n, alpha, seed):
    """When μ = μ0 + δ, the simulated rejection rate matches the closed-form power Φ(d - c) + Φ(-d - c) (± 5 SE)."""
    effect = sign * size * sigma
    expected = float(power(effect, sigma, n, alpha))
    rate = call(impl, "rejection_rate", 1.0 + effect, 1.0, sigma, n, alpha, REPETITIONS, seed)
    assert_within_standard_errors(rate, expected, rate_standard_error(expected, REPETITIONS), slack=1e-12,
                                  note="allowed ±{band:.4f}",
                                  what=f"simulated power for δ={effect:.3g}, σ={sigma:.3g}, n={n}, α={alpha}")


def test_simulation_is_reproducible(impl):
    """The same seed gives the same rejection rate; another seed gives (almost surely) another."""
    args = (0.3, 0.0, 1.0, 20, 0.05, 5000)
    first, again = call(impl, "rejection_rate", *args, 9), call(impl, "rejection_rate", *args, 9)
    expect(first == again, f"seed 9 gave {first} and then {again}: use np.random.default_rng(seed)")
    expect(first != call(impl, "rejection_rate", *args, 10), "seeds 9 and 10 gave exactly the same rate")


@given(st.floats(-3, 3), st.floats(0.1, 10), st.integers(1, 500), st.floats(0.001, 0.5))
def test_power_matches_the_closed_form(impl, effect, sigma, n, alpha):
    """z_test_power(δ, σ, n, α) = Φ(δ√n/σ - z_(1-α/2)) + Φ(-δ√n/σ - z_(1-α/2)), computed with scipy.stats.norm."""
    got = call(impl, "z_test_power", effect, sigma, n, alpha)
    expect(np.ndim(got) == 0, f"z_test_power should return a number, got {got!r}")
    assert_close(got, power(effect, sigma, n, alpha), rtol=1e-9, atol=1e-12,
                 what=f"z_test_power(effect={effect:.4g}, sigma={sigma:.4g}, n={n}, alpha={alpha:.4g})")


def test_power_behaves_as_it_should(impl):
    """Power is α at δ = 0, the same for +δ and -δ, grows with n and with |δ|, and 1 - power is the type II error β."""
    alpha = 0.05
    assert_close(call(impl, "z_test_power", 0.0, 1.0, 25, alpha), alpha, rtol=1e-12, what="power at effect 0")
    assert_close(call(impl, "z_test_power", -0.4, 1.0, 25, alpha), call(impl, "z_test_power", 0.4, 1.0, 25, alpha),
                 rtol=1e-12, what="power at -0.4 vs +0.4")
    by_n = [call(impl, "z_test_power", 0.3, 1.0, n, alpha) for n in (5, 20, 80, 320)]
    expect(all(a < b for a, b in itertools.pairwise(by_n)),
           f"power should grow with n, got {by_n} for n = 5, 20, 80, 320")
    assert_close(1 - call(impl, "z_test_power", 0.5, 1.0, 32, alpha), 0.1926, atol=1e-4,
                 what="β = 1 - power for δ = 0.5σ, n = 32, α = 0.05 (the classic '80% power' design)")


@given(st.floats(0.05, 2.0), st.floats(0.5, 3.0), st.floats(0.5, 0.99), ALPHAS)
def test_sample_size_is_the_smallest_n_reaching_the_power(impl, effect_size, sigma, target, alpha):
    """sample_size_for_power returns the smallest n with z_test_power(δ, σ, n, α) ≥ target (brute force over n)."""
    effect = effect_size * sigma
    candidates = np.arange(1, 20_000)  # about twice the largest n needed: ((2.576 + 2.326) / 0.05)² ≈ 9600
    expected = int(candidates[np.argmax(power(effect, sigma, candidates, alpha) >= target)])
    got = call(impl, "sample_size_for_power", effect, sigma, target, alpha)
    expect(got == expected,
           f"sample_size_for_power(effect={effect:.4g}, sigma={sigma:.4g}, power={target:.4g}, alpha={alpha}) "
           f"returned {got!r}; the smallest n with enough power is {expected} "
           f"(power {power(effect, sigma, expected, alpha):.4f} there, "
           f"{power(effect, sigma, max(expected - 1, 1), alpha):.4f} at n = {max(expected - 1, 1)})")


def test_rejects_bad_input(impl):
    """α outside (0, 1), σ ≤ 0, n or repetitions below 1, an empty sample, a zero effect or a power outside (0, 1)
    raise ValueError."""
    assert_raises_value_error(impl.z_test, np.array([]), 0.0, 1.0, why="an empty sample has no mean")
    assert_raises_value_error(impl.z_test, np.array([1.0, 2.0]), 0.0, 0.0, why="σ must be positive")
    assert_raises_value_error(impl.rejection_rate, 0.0, 0.0, 1.0, 10, 1.5, 100, 0, why="α is a probability below 1")
    assert_raises_value_error(impl.rejection_rate, 0.0, 0.0, 1.0, 0, 0.05, 100, 0, why="n must be at least 1")
    assert_raises_value_error(impl.rejection_rate, 0.0, 0.0, 1.0, 10, 0.05, 0, 0, why="repetitions must be at least 1")
    assert_raises_value_error(impl.z_test_power, 0.5, -1.0, 10, 0.05, why="σ must be positive")
    assert_raises_value_error(impl.z_test_power, 0.5, 1.0, 10, 0.0, why="α must lie strictly between 0 and 1")
    assert_raises_value_error(impl.sample_size_for_power, 0.0, 1.0, 0.8, 0.05,
                              why="no sample size can detect an effect of 0")
    assert_raises_value_error(impl.sample_size_for_power, 0.5, 1.0, 1.0, 0.05, why="power 1 is never reached")
