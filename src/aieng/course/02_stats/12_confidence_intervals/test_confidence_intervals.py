"""Checks for `confidence-intervals`, against scipy.stats.norm.interval, scipy.stats.t.interval and
statsmodels.stats.proportion.proportion_confint (method "normal" = Wald, "wilson").

Interval ends must match to a relative tolerance of 1e-9 (plus a tiny absolute slack): the same
formulas, so only round-off may differ. Coverage is random, so its checks use seeded generators and a
band from the binomial distribution: with T trials and true coverage c, the number of hits is
Binomial(T, c), and the accepted range cuts off 1e-5 of probability (half in each tail), so a correct
solution fails a coverage check for at most 1 seed in 100 000. While your functions run, the
ready-made intervals (the `interval` method of every scipy distribution, proportion_confint,
binomtest, ttest_1samp) are switched off.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect, expect_interval
from aieng.grader.guards import forbid, forbid_method, present
from aieng.grader.strategies import rngs
from aieng.grader.tolerances import binomial_band

CONFIDENCES = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
FALSE_FAILURE = 1e-5  # probability that a correct solution fails one coverage check


def call(impl, name: str, *args, **kwargs):
    ready_made = ("scipy.stats.binomtest", "scipy.stats.ttest_1samp",
                  *present("statsmodels.stats.proportion", ["proportion_confint"]))
    # .interval is switched off on the class every scipy distribution inherits it from: frozen ones call it too
    with forbid(impl, *ready_made), forbid_method(scipy.stats.norm, "interval", whose="scipy's distributions",
                                                  instead="use .ppf or .isf"):
        return getattr(impl, name)(*args, **kwargs)


@given(rngs(), st.integers(1, 50), CONFIDENCES)
def test_known_sigma_matches_norm_interval(impl, rng, n, confidence):
    """mean_ci_known_sigma(x, sigma, c) equals scipy.stats.norm.interval(c, loc=x̄, scale=σ/√n)."""
    sigma = rng.uniform(0.1, 10)
    x = rng.normal(rng.uniform(-50, 50), sigma, size=n)
    got = expect_interval(call(impl, "mean_ci_known_sigma", x, sigma, confidence), "mean_ci_known_sigma")
    expected = scipy.stats.norm.interval(confidence, loc=x.mean(), scale=sigma / np.sqrt(n))
    assert_close(got, expected, rtol=1e-9, atol=1e-12 * (1 + np.abs(expected).max()),
                 what=f"mean_ci_known_sigma(n={n}, confidence={confidence})")


@given(rngs(), st.integers(2, 50), CONFIDENCES)
def test_t_interval_matches_t_interval(impl, rng, n, confidence):
    """mean_ci_t(x, c) equals scipy.stats.t.interval(c, n - 1, loc=x̄, scale=s/√n), s with ddof 1."""
    x = rng.normal(rng.uniform(-50, 50), rng.uniform(0.1, 10), size=n)
    got = expect_interval(call(impl, "mean_ci_t", x, confidence), "mean_ci_t")
    expected = scipy.stats.t.interval(confidence, n - 1, loc=x.mean(), scale=x.std(ddof=1) / np.sqrt(n))
    assert_close(got, expected, rtol=1e-9, atol=1e-12 * (1 + np.abs(expected).max()),
                 what=f"mean_ci_t(n={n}, confidence={confidence})")


@given(st.integers(1, 300), st.data(), CONFIDENCES, st.sampled_from(["wald", "wilson"]))
def test_proportion_matches_statsmodels(impl, n, data, confidence, method):
    """proportion_ci(k, n, c, method) equals statsmodels' proportion_confint (Wald = "normal", "wilson"), both
    clipped to [0, 1]."""
    from statsmodels.stats.proportion import proportion_confint

    successes = data.draw(st.integers(0, n), label="successes")
    got = expect_interval(call(impl, "proportion_ci", successes, n, confidence, method), "proportion_ci")
    expected = proportion_confint(successes, n, alpha=1 - confidence, method={"wald": "normal"}.get(method, method))
    assert_close(got, expected, rtol=1e-9, atol=1e-12,
                 what=f"proportion_ci({successes}, {n}, confidence={confidence}, method={method!r})")


def test_worked_examples(impl):
    """x = (4, 6, 5, 7): σ = 2 gives 5.5 ± 1.96; unknown σ gives 5.5 ± 3.182·0.6455. 0 of 10: Wald (0, 0), Wilson
    (0, 0.2775)."""
    x = [4.0, 6.0, 5.0, 7.0]
    z, t = scipy.stats.norm.ppf(0.975), scipy.stats.t.ppf(0.975, 3)
    assert_close(call(impl, "mean_ci_known_sigma", x, 2.0), [5.5 - z, 5.5 + z], rtol=1e-9, what="95% z-interval")
    half = t * np.std(x, ddof=1) / 2
    assert_close(call(impl, "mean_ci_t", x), [5.5 - half, 5.5 + half], rtol=1e-9, what="95% t-interval")
    assert_close(call(impl, "proportion_ci", 0, 10, 0.95, "wald"), [0.0, 0.0], atol=1e-12, what="Wald for 0 of 10")
    upper = z**2 / 10 / (1 + z**2 / 10)  # Wilson's upper end for p̂ = 0 is z²/n / (1 + z²/n)
    assert_close(call(impl, "proportion_ci", 0, 10, 0.95, "wilson"), [0.0, upper], rtol=1e-9, atol=1e-12,
                 what="Wilson for 0 of 10")


@given(rngs(), st.integers(1, 30))
def test_coverage_counts_hits_like_a_plain_loop(impl, rng, trials):
    """coverage makes rng = default_rng(seed), draws sample(rng) then interval(data) per trial, and returns hits /
    trials.

    The oracle is that loop written out in the test, with the same seed: the answer must be identical.
    """
    seed = int(rng.integers(2**32))
    width = rng.uniform(0.5, 3)

    def sample(generator):
        return generator.exponential(2.0, size=4)

    def interval(data):
        return data.mean() - width, data.mean() + width

    generator, hits = np.random.default_rng(seed), 0
    for _ in range(trials):
        low, high = interval(sample(generator))
        hits += low <= 2.0 <= high
    got = call(impl, "coverage", interval, sample, 2.0, trials, seed)
    expect(np.ndim(got) == 0, f"coverage should return one number (a fraction), got {got!r}")
    assert_close(got, hits / trials, rtol=0, atol=1e-15, what=f"coverage over {trials} trials with seed {seed}")
    again = call(impl, "coverage", interval, sample, 2.0, trials, np.random.default_rng(seed))
    assert_close(again, hits / trials, rtol=0, atol=1e-15, what="coverage with a Generator seeded the same way")


def test_t_interval_covers_as_promised(impl):
    """Your 95% t-interval for n = 5 normal values covers the true mean in 95% of 1000 simulated samples (binomial
    band).

    With z = 1.96 in place of t the coverage would be only 87.8% at n = 5: outside the band.
    """
    trials = 1000

    def sample(generator):
        return generator.normal(3.0, 2.0, size=5)

    got = call(impl, "coverage", impl.mean_ci_t, sample, 3.0, trials, 20240501)
    low, high = binomial_band(trials, 0.95, FALSE_FAILURE)
    expect(low <= got <= high, f"the 95% t-interval covered the mean in {got:.1%} of {trials} samples; "
                               f"a correct interval lands in [{low:.1%}, {high:.1%}] except once in "
                               f"{1 / FALSE_FAILURE:.0f} seeds")


def test_proportion_coverage_matches_the_exact_binomial_coverage(impl):
    """Simulated coverage of Wald and Wilson (n = 20, p = 0.1) agrees with the exact coverage Σ_k P(k) [p in CI(k)].

    The exact coverage sums the binomial probabilities of the k whose statsmodels interval contains p:
    about 0.876 for Wald (far below 0.95) and 0.957 for Wilson. 1000 trials each, binomial band.
    """
    from statsmodels.stats.proportion import proportion_confint

    n, p, trials = 20, 0.1, 1000
    k = np.arange(n + 1)
    for method, name in (("wald", "normal"), ("wilson", "wilson")):
        lows, highs = proportion_confint(k, n, alpha=0.05, method=name)
        exact = float(np.sum(scipy.stats.binom.pmf(k, n, p) * ((lows <= p) & (p <= highs))))
        got = call(impl, "coverage", lambda successes, m=method: impl.proportion_ci(successes, n, 0.95, m),
                   lambda generator: int(generator.binomial(n, p)), p, trials, 7)
        low, high = binomial_band(trials, exact, FALSE_FAILURE)
        expect(low <= got <= high, f"{method}: simulated coverage {got:.1%}, exact coverage {exact:.1%}; "
                                   f"a correct simulation lands in [{low:.1%}, {high:.1%}]")


def test_rejects_bad_input(impl):
    """confidence outside (0, 1), σ <= 0, fewer than 2 values for the t-interval, NaN, k > n or an unknown method
    raise ValueError."""
    x = [1.0, 2.0, 4.0]
    assert_raises_value_error(impl.mean_ci_known_sigma, x, 1.0, 1.0, why="confidence must be below 1")
    assert_raises_value_error(impl.mean_ci_known_sigma, x, 0.0, why="sigma must be positive")
    assert_raises_value_error(impl.mean_ci_known_sigma, [], 1.0, why="an empty sample has no mean")
    assert_raises_value_error(impl.mean_ci_t, [1.0], why="one value has no standard deviation")
    assert_raises_value_error(impl.mean_ci_t, [1.0, np.nan], why="NaN is not data")
    assert_raises_value_error(impl.mean_ci_t, x, 0.0, why="confidence must be above 0")
    assert_raises_value_error(impl.proportion_ci, 11, 10, why="successes cannot exceed n")
    assert_raises_value_error(impl.proportion_ci, -1, 10, why="successes cannot be negative")
    assert_raises_value_error(impl.proportion_ci, 0, 0, why="n must be at least 1")
    assert_raises_value_error(impl.proportion_ci, 3, 10, 0.95, "exact", why="method is wald or wilson")
    assert_raises_value_error(impl.coverage, lambda d: (0, 1), lambda g: 0.0, 0.5, 0, why="trials must be >= 1")
