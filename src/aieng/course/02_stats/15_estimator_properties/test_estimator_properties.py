"""Checks for `estimator-properties`: simulated bias, variance, MSE, efficiency and consistency against closed forms.

The simulations are seeded, and each simulated number is compared with its closed form within 5 of its
own Monte Carlo standard errors. For a normal-looking average that fails with probability 5.7e-7, so a
correct solution fails a check with probability under 1e-5. The standard errors come from closed forms
where they are simple (the variance of s² is 2σ⁴/(n - 1) for normal data), otherwise from the
simulated estimates themselves (the sample moments of the estimates, or the delta method for a ratio
of two MSEs estimated on the same data sets). The closed forms:

- normal data: E[s²] = σ² with ddof 1 and (n - 1)/n · σ² with ddof 0; Var(x̄) = σ²/n;
  Var(median) from the exact density of the middle order statistic (scipy.integrate.quad), which tends
  to πσ²/(2n), so the median's efficiency relative to the mean tends to 2/π;
- Uniform(0, θ): E[max] = nθ/(n + 1), Var((n + 1)/n · max) = θ²/(n(n + 2)), MSE(2x̄) = θ²/(3n).

Exact checks (no randomness): the summaries against numpy, and the order in which one seed's random
numbers are used.
"""

from __future__ import annotations

from functools import partial
from math import comb

import numpy as np
import scipy.integrate
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import gammaln

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.spies import RecordingSampler, RecordingStatistic
from aieng.grader.strategies import rngs
from aieng.grader.tolerances import assert_within_standard_errors

TRIALS = 20_000


def normal(mu: float, sigma: float):
    return lambda rng, size: rng.normal(mu, sigma, size)


def uniform(theta: float):
    return lambda rng, size: rng.uniform(0.0, theta, size)


def twice_the_mean(samples, axis=-1):
    return 2 * np.mean(samples, axis=axis)


def summary(impl, estimates, truth):
    result = impl.bias_variance_mse(estimates, truth)
    for name in ("bias", "variance", "mse", "bias_se"):
        expect(hasattr(result, name), f"bias_variance_mse should return the EstimatorSummary named tuple; "
                                      f"no field `{name}` in {result!r}")
    return result


def ratio_standard_error(reference_errors, errors):
    """Delta-method standard error of mean(a) / mean(b), a = reference_errors², b = errors², paired by trial."""
    a, b = reference_errors**2, errors**2
    big_a, big_b = a.mean(), b.mean()
    covariance = np.cov(a, b)
    variance = (covariance[0, 0] / big_b**2 - 2 * big_a * covariance[0, 1] / big_b**3
                + big_a**2 * covariance[1, 1] / big_b**4)
    return np.sqrt(variance / a.size)


@given(rngs(), st.integers(1, 30), st.integers(1, 200))
def test_sampling_distribution_draws_every_trial_at_once(impl, rng, n, trials):
    """sampling_distribution calls sampler(rng, (n_trials, n)) once and estimator(samples, axis=-1) once, rng =
    default_rng(seed).

    The oracle is those two calls written out in the test with the same seed: the estimates must be identical.
    """
    seed = int(rng.integers(2**32))
    calls: list[tuple] = []  # the sampler's and the estimator's calls, in order
    sampler = RecordingSampler(normal(1.0, 2.0), name="sampler", require_generator=False, log=calls)
    estimator = RecordingStatistic(np.mean, name="estimator", reduces="each row (trial)", log=calls)
    got = np.asarray(impl.sampling_distribution(estimator, sampler, n, trials, seed), dtype=float)
    expect(calls == [("sampler", (trials, n)), ("estimator", (trials, n))],
           f"expected one sampler call with size ({trials}, {n}) and one estimator call on that array, "
           f"got {calls[:4]}")
    expected = np.mean(np.random.default_rng(seed).normal(1.0, 2.0, (trials, n)), axis=-1)
    assert_close(got, expected, rtol=1e-12, what=f"sampling_distribution(mean, normal, n={n}, n_trials={trials})")
    again = impl.sampling_distribution(np.mean, sampler, n, trials, np.random.default_rng(seed))
    assert_close(again, expected, rtol=1e-12, what="the same, with a Generator seeded alike")


@given(rngs(), st.integers(2, 50))
def test_summaries_match_numpy(impl, rng, size):
    """bias = mean - truth, variance = np.var (ddof 0), mse = mean((θ̂ - θ)²) = bias² + variance, bias_se = std(ddof
    1)/√T."""
    estimates = rng.normal(rng.uniform(-5, 5), rng.uniform(0.1, 3), size=size)
    truth = rng.uniform(-5, 5)
    got = summary(impl, estimates, truth)
    assert_close(got.bias, estimates.mean() - truth, rtol=1e-12, atol=1e-14, what="bias")
    assert_close(got.variance, np.var(estimates), rtol=1e-12, what="variance (ddof 0)")
    assert_close(got.mse, np.mean((estimates - truth) ** 2), rtol=1e-12, what="mse")
    assert_close(got.mse, got.bias**2 + got.variance, rtol=1e-10, what="mse vs bias² + variance")
    assert_close(got.bias_se, np.std(estimates, ddof=1) / np.sqrt(size), rtol=1e-12, what="bias_se")
    reference = rng.normal(truth, rng.uniform(0.1, 3), size=size)
    assert_close(impl.relative_efficiency(estimates, reference, truth),
                 np.mean((reference - truth) ** 2) / np.mean((estimates - truth) ** 2), rtol=1e-12,
                 what="relative_efficiency(estimates, reference) = MSE(reference) / MSE(estimates)")


def test_sample_variance_bias_ddof_0_versus_1(impl):
    """For n = 5 normal values (σ² = 4): E[s²] is (n-1)/n σ² with ddof 0 (bias -0.8) and σ² with ddof 1; variances
    and MSEs match too.

    Var(s², ddof 1) = 2σ⁴/(n - 1) = 8 and Var(s², ddof 0) = 2σ⁴(n - 1)/n² = 5.12, so ddof 0 has the
    smaller MSE (5.76 < 8) despite its bias. 20 000 seeded trials each.
    """
    n, sigma2 = 5, 4.0
    closed = {0: (-sigma2 / n, 2 * sigma2**2 * (n - 1) / n**2), 1: (0.0, 2 * sigma2**2 / (n - 1))}
    for ddof, (bias, variance) in closed.items():
        estimates = np.asarray(impl.sampling_distribution(partial(np.var, ddof=ddof), normal(3.0, 2.0), n, TRIALS,
                                                          100 + ddof), dtype=float)
        got = summary(impl, estimates, sigma2)
        assert_within_standard_errors(got.bias, bias, np.sqrt(variance / TRIALS), f"bias of s² with ddof={ddof}")
        # s² is a scaled chi-square with k = n - 1 dof: kurtosis 3 + 12/k
        assert_within_standard_errors(got.variance, variance, variance * np.sqrt((2 + 12 / (n - 1)) / TRIALS),
                                      f"variance of s² (ddof={ddof})")
        assert_within_standard_errors(got.mse, bias**2 + variance,
                                      np.std((estimates - sigma2) ** 2) / np.sqrt(TRIALS), f"MSE of s² (ddof={ddof})")


def test_uniform_maximum_is_biased_and_its_correction_is_not(impl):
    """For Uniform(0, 3) and n = 10: E[max] = nθ/(n + 1) (bias -0.273); (n + 1)/n · max is unbiased with variance
    θ²/(n(n + 2)).

    Its efficiency relative to the method-of-moments estimator 2x̄ is (n + 2)/3 = 4 (same data sets,
    delta-method standard error).
    """
    n, theta = 10, 3.0
    raw = np.asarray(impl.sampling_distribution(np.max, uniform(theta), n, TRIALS, 7), dtype=float)
    got = summary(impl, raw, theta)
    variance_max = n * theta**2 / ((n + 1) ** 2 * (n + 2))
    assert_within_standard_errors(got.bias, -theta / (n + 1), np.sqrt(variance_max / TRIALS),
                                  "bias of the sample maximum")

    corrected = np.asarray(impl.sampling_distribution(impl.uniform_max_unbiased, uniform(theta), n, TRIALS, 7),
                           dtype=float)
    assert_close(corrected, raw * (n + 1) / n, rtol=1e-12, what="uniform_max_unbiased = (n + 1)/n · max, same data")
    got = summary(impl, corrected, theta)
    variance = theta**2 / (n * (n + 2))
    assert_within_standard_errors(got.bias, 0.0, np.sqrt(variance / TRIALS), "bias of (n + 1)/n · max")
    fourth = np.mean((corrected - corrected.mean()) ** 4)
    assert_within_standard_errors(got.variance, variance, np.sqrt((fourth - got.variance**2) / TRIALS),
                                  "variance of (n + 1)/n · max")

    moments = np.asarray(impl.sampling_distribution(twice_the_mean, uniform(theta), n, TRIALS, 7), dtype=float)
    efficiency = impl.relative_efficiency(corrected, moments, theta)
    assert_within_standard_errors(efficiency, (n + 2) / 3, ratio_standard_error(moments - theta, corrected - theta),
                                  "efficiency of (n + 1)/n · max relative to 2x̄")


def median_variance(n: int) -> float:
    """Var of the median of n (odd) standard normal values: ∫ x² f(x) dx with the order-statistic density f."""
    k = (n + 1) // 2
    log_c = gammaln(n + 1) - gammaln(k) - gammaln(n - k + 1)
    norm = scipy.stats.norm

    def integrand(x):
        return x * x * np.exp(log_c + (k - 1) * norm.logcdf(x) + (n - k) * norm.logsf(x) + norm.logpdf(x))

    return scipy.integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12)[0]


def test_median_is_less_efficient_than_the_mean_for_normal_data(impl):
    """For n = 21 normal values the median's efficiency relative to the mean is Var(x̄)/Var(median) = 0.650 (exact),
    near 2/π.

    Both estimators see the same 20 000 seeded data sets (same seed); the tolerance is 5 delta-method
    standard errors of the ratio of the two MSEs.
    """
    n, mu, sigma = 21, 10.0, 3.0
    mean = np.asarray(impl.sampling_distribution(np.mean, normal(mu, sigma), n, TRIALS, 21), dtype=float)
    median = np.asarray(impl.sampling_distribution(np.median, normal(mu, sigma), n, TRIALS, 21), dtype=float)
    exact = (1 / n) / median_variance(n)
    got = impl.relative_efficiency(median, mean, mu)
    assert_within_standard_errors(
        got, exact, ratio_standard_error(mean - mu, median - mu),
        f"efficiency of the median relative to the mean at n = {n} (2/π = {2 / np.pi:.4f} is the n → ∞ limit)")
    assert_within_standard_errors(summary(impl, mean, mu).variance, sigma**2 / n, sigma**2 / n * np.sqrt(2 / TRIALS),
                                  "Var(x̄) = σ²/n")


def corrected_max_error_moments(n: int, theta: float) -> tuple[float, float]:
    """E[e²] and E[e⁴] for e = (n + 1)/n · max - θ, from E[maxʲ] = n θʲ / (n + j) (max/θ is Beta(n, 1))."""
    c = (n + 1) / n

    def moment(power):
        return sum(comb(power, j) * c**j * n * theta**j / (n + j) * (-theta) ** (power - j) for j in range(power + 1))

    return moment(2), moment(4)


def test_consistency_errors_shrink_at_the_right_rate(impl):
    """RMSE falls as σ/√n for the mean of normal data and as θ/√(n(n + 2)) ≈ θ/n for the corrected uniform maximum.

    ns = 4, 16, 64, 256 with 2000 seeded trials each; each RMSE within 5 standard errors of its closed form
    (SE of an RMSE ≈ SE of the MSE / (2 RMSE), from the second and fourth moments of the error).
    """
    ns, trials = [4, 16, 64, 256], 2000
    sigma, theta = 2.0, 3.0
    curves = {
        "mean": impl.consistency_curve(np.mean, normal(1.0, sigma), 1.0, ns, trials, 3),
        "max": impl.consistency_curve(impl.uniform_max_unbiased, uniform(theta), theta, ns, trials, 4),
    }
    for name, curve in curves.items():
        curve = np.asarray(curve, dtype=float)
        expect(curve.shape == (len(ns),),
               f"consistency_curve should return one RMSE per n, shape (4,), got {curve.shape}")
        for n, rmse in zip(ns, curve, strict=True):
            if name == "mean":
                second = sigma**2 / n
                fourth = 3 * second**2  # the errors are normal
            else:
                second, fourth = corrected_max_error_moments(n, theta)
            standard_error = np.sqrt((fourth - second**2) / trials) / (2 * np.sqrt(second))
            assert_within_standard_errors(rmse, np.sqrt(second), standard_error,
                                          f"RMSE of the {name} estimator at n = {n}")


@given(rngs(), st.lists(st.integers(1, 20), min_size=1, max_size=4))
def test_consistency_curve_uses_one_generator_in_order(impl, rng, ns):
    """consistency_curve makes rng = default_rng(seed) once and calls sampling_distribution(..., n, n_trials, rng)
    for each n in order."""
    seed = int(rng.integers(2**32))
    generator, expected = np.random.default_rng(seed), []
    for n in ns:
        estimates = np.median(generator.exponential(1.0, (50, n)), axis=-1)
        expected.append(np.sqrt(np.mean((estimates - np.log(2)) ** 2)))
    got = impl.consistency_curve(np.median, lambda g, size: g.exponential(1.0, size), np.log(2), ns, 50, seed)
    assert_close(got, expected, rtol=1e-12, what=f"consistency_curve(median, exponential, ns={ns}, seed={seed})")


def test_rejects_bad_input(impl):
    """Fewer than 2 estimates, NaN, n or n_trials below 1, an empty ns, or an all-exact estimate in the efficiency
    raise ValueError."""
    assert_raises_value_error(impl.bias_variance_mse, [1.0], 1.0, why="one estimate has no spread")
    assert_raises_value_error(impl.bias_variance_mse, [1.0, np.nan], 1.0, why="NaN is not an estimate")
    assert_raises_value_error(impl.sampling_distribution, np.mean, normal(0, 1), 0, 10, 0, why="n must be >= 1")
    assert_raises_value_error(impl.sampling_distribution, np.mean, normal(0, 1), 5, 0, 0, why="n_trials must be >= 1")
    assert_raises_value_error(impl.consistency_curve, np.mean, normal(0, 1), 0.0, [], 10, 0, why="ns is empty")
    assert_raises_value_error(impl.relative_efficiency, [2.0, 2.0], [1.0, 3.0], 2.0,
                              why="estimates with MSE 0 make the ratio undefined")
    assert_raises_value_error(impl.uniform_max_unbiased, np.array([]), why="an empty sample has no maximum")
