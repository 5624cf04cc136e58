"""Checks for `maximum-likelihood`, against scipy.stats fits and log-densities and the closed forms.

Oracles: scipy.stats.norm.fit(x) and scipy.stats.expon.fit(x, floc=0) (closed forms inside scipy),
the sample mean for the Poisson and Bernoulli rates, scipy.stats.gamma.fit(x, floc=0) for the gamma
shape and scale, and sums of scipy.stats logpdf/logpmf for log-likelihoods. Data come from seeded
numpy generators. While your functions run, scipy.stats' distributions and scipy.stats.fit are
switched off (a stand-in that refuses any use); scipy.optimize and scipy.special stay available.

Tolerances: closed forms and log-likelihoods to a relative 1e-10 (sums of a few hundred terms; the
absolute part scales with the sum of the terms' sizes, since terms of both signs can cancel). The
gamma fit is numerical on both sides. An optimizer stops where the log-likelihood l stops improving,
and near its top l is flat (quadratic), so a tiny gap in l allows a much larger gap in the parameters.
Your estimate's l must be within 1e-7·(1 + |l|) of scipy's, and shape and scale within 1e-3 relative
(what that l gap allows for these sample sizes). Newton, brentq or a bounded scalar minimizer reach
1e-7; even Nelder–Mead with default settings stays inside.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid_objects
from aieng.grader.strategies import rngs

RTOL = 1e-10
SWITCHED_OFF = tuple(f"scipy.stats.{name}" for name in ("norm", "expon", "poisson", "bernoulli", "binom", "gamma",
                                                        "fit", "describe"))


def call(impl, name: str, *args):
    """Run one of the learner's functions with scipy.stats' distributions and fit switched off (a stand-in that
    also refuses attribute access: `norm.fit`, `gamma.logpdf`)."""
    with forbid_objects(impl, *SWITCHED_OFF):
        return getattr(impl, name)(*args)


def sizes_of(terms: np.ndarray) -> float:
    """An absolute tolerance for a sum of terms of both signs: 1e-12 × the sum of their sizes."""
    return 1e-12 * (1.0 + float(np.sum(np.abs(terms))))


@given(rngs(), st.integers(1, 300))
def test_normal_mle_matches_scipy_fit(impl, rng, n):
    """normal_mle(x) = (mean, root mean squared deviation with divisor n) = scipy.stats.norm.fit(x)."""
    x = rng.normal(rng.uniform(-100, 100), 10 ** rng.uniform(-2, 2), size=n)
    mu, sigma = scipy.stats.norm.fit(x)
    got = call(impl, "normal_mle", x)
    expect(len(got) == 2, f"normal_mle should return (mu, sigma), got {got!r}")
    assert_close(got[0], mu, rtol=RTOL, atol=1e-12 * np.abs(x).max(), what=f"mu from {n} normal values")
    assert_close(got[1], sigma, rtol=1e-9, atol=1e-12 * np.abs(x).max(),
                 what=f"sigma from {n} normal values (divide by n, not n - 1)")


@given(rngs(), st.integers(1, 300))
def test_exponential_mle_matches_scipy_fit(impl, rng, n):
    """exponential_mle(x) = 1 / mean(x), the rate whose scale scipy.stats.expon.fit(x, floc=0) returns."""
    x = rng.exponential(10 ** rng.uniform(-2, 2), size=n)
    _, scale = scipy.stats.expon.fit(x, floc=0)
    assert_close(call(impl, "exponential_mle", x), 1 / scale, rtol=RTOL, what=f"rate from {n} exponential values")


@given(rngs(), st.integers(1, 300))
def test_poisson_and_bernoulli_mles_are_sample_means(impl, rng, n):
    """poisson_mle(k) is the mean count and bernoulli_mle(x) the fraction of ones (setting the score to zero)."""
    k = rng.poisson(10 ** rng.uniform(-1, 2), size=n).astype(np.float64)
    x = (rng.random(n) < rng.uniform(0.05, 0.95)).astype(np.float64)
    assert_close(call(impl, "poisson_mle", k), np.mean(k), rtol=RTOL, what=f"Poisson rate from {n} counts")
    assert_close(call(impl, "bernoulli_mle", x), np.mean(x), rtol=RTOL, what=f"Bernoulli p from {n} outcomes")


@given(rngs(), st.integers(5, 200))
def test_the_estimates_maximize_the_likelihood(impl, rng, n):
    """Nudging any estimate by 0.1% (mu: by 0.001·sigma) either way lowers the log-likelihood (scipy.stats sums)."""
    x = rng.normal(3.0, 2.0, size=n)
    mu, sigma = call(impl, "normal_mle", x)
    k = rng.poisson(4.0, size=n).astype(np.float64)
    lam = call(impl, "poisson_mle", k)
    b = (rng.random(n) < 0.3).astype(np.float64)
    b[:2] = [0.0, 1.0]  # both outcomes occur, so p lies strictly inside (0, 1)
    p = call(impl, "bernoulli_mle", b)
    normal, poisson, bernoulli = scipy.stats.norm, scipy.stats.poisson, scipy.stats.bernoulli
    for step in (-1e-3, 1e-3):
        for label, best, nudged in (
            ("normal mu", normal.logpdf(x, mu, sigma).sum(), normal.logpdf(x, mu + step * sigma, sigma).sum()),
            ("normal sigma", normal.logpdf(x, mu, sigma).sum(), normal.logpdf(x, mu, sigma * (1 + step)).sum()),
            ("Poisson lam", poisson.logpmf(k, lam).sum(), poisson.logpmf(k, lam * (1 + step)).sum()),
            ("Bernoulli p", bernoulli.logpmf(b, p).sum(), bernoulli.logpmf(b, p * (1 + step)).sum()),
        ):
            expect(best >= nudged, f"moving the {label} estimate by {step:+.1%} raised the log-likelihood from "
                                   f"{best:.10g} to {nudged:.10g}: the estimate is not the maximum")


@given(rngs(), st.integers(1, 300), st.floats(-50, 50), st.floats(0.1, 20))
def test_normal_log_likelihood_matches_scipy(impl, rng, n, mu, sigma):
    """normal_log_likelihood(x, mu, sigma) = sum of scipy.stats.norm.logpdf(x, mu, sigma)."""
    x = rng.normal(mu + rng.normal(0, sigma), sigma * rng.uniform(0.5, 2), size=n)
    terms = scipy.stats.norm.logpdf(x, mu, sigma)
    assert_close(call(impl, "normal_log_likelihood", x, mu, sigma), terms.sum(), rtol=RTOL, atol=sizes_of(terms),
                 what=f"normal log-likelihood of {n} values")


@given(rngs(), st.integers(1, 300), st.floats(0.05, 100))
def test_poisson_log_likelihood_matches_scipy(impl, rng, n, lam):
    """poisson_log_likelihood(k, lam) = sum of scipy.stats.poisson.logpmf(k, lam) (use lgamma for log k!)."""
    k = rng.poisson(lam * rng.uniform(0.5, 2), size=n).astype(np.float64)
    terms = scipy.stats.poisson.logpmf(k, lam)
    assert_close(call(impl, "poisson_log_likelihood", k, lam), terms.sum(), rtol=RTOL, atol=sizes_of(terms),
                 what=f"Poisson log-likelihood of {n} counts at lam={lam:.4g}")


@given(rngs(), st.integers(1, 300), st.floats(0.2, 30), st.floats(0.05, 20))
def test_gamma_log_likelihood_matches_scipy(impl, rng, n, shape, scale):
    """gamma_log_likelihood(x, shape, scale) = sum of scipy.stats.gamma.logpdf(x, shape, scale=scale)."""
    x = rng.gamma(shape * rng.uniform(0.5, 2), scale, size=n)
    x = x[x > 0] if np.any(x > 0) else np.array([1.0])
    terms = scipy.stats.gamma.logpdf(x, shape, scale=scale)
    assert_close(call(impl, "gamma_log_likelihood", x, shape, scale), terms.sum(), rtol=RTOL, atol=sizes_of(terms),
                 what=f"gamma log-likelihood of {x.size} values at shape={shape:.4g}, scale={scale:.4g}")


@settings(max_examples=25)
@given(rngs(), st.integers(20, 300), st.floats(0.3, 20), st.floats(0.1, 10))
def test_gamma_mle_matches_scipy_fit(impl, rng, n, shape, scale):
    """gamma_mle(x) matches scipy.stats.gamma.fit(x, floc=0): log-likelihood l within 1e-7·(1 + |l|) of the maximum,
    shape and scale within 1e-3.

    No closed form: maximize numerically (Newton on log a - ψ(a) = log mean - mean log x, or
    scipy.optimize on the negative log-likelihood).
    """
    x = rng.gamma(shape, scale, size=n)
    a, _, s = scipy.stats.gamma.fit(x, floc=0)
    best = scipy.stats.gamma.logpdf(x, a, scale=s).sum()
    got = call(impl, "gamma_mle", x)
    expect(len(got) == 2, f"gamma_mle should return (shape, scale), got {got!r}")
    reached = scipy.stats.gamma.logpdf(x, got[0], scale=got[1]).sum()
    expect(reached >= best - 1e-7 * (1 + abs(best)),
           f"at your estimate (shape {got[0]:.6g}, scale {got[1]:.6g}) the log-likelihood is {reached:.10g}, below "
           f"the maximum {best:.10g} at (shape {a:.6g}, scale {s:.6g}) found by scipy.stats.gamma.fit")
    assert_close(got[0], a, rtol=1e-3, what=f"gamma shape from {n} values (true shape {shape:.3g})")
    assert_close(got[1], s, rtol=1e-3, what=f"gamma scale from {n} values (true scale {scale:.3g})")


def test_gamma_mle_with_shape_one_is_close_to_the_exponential(impl):
    """On exponential data the gamma fit finds a shape near 1, and shape × scale equals the sample mean (MLE rule)."""
    x = np.random.default_rng(3).exponential(2.5, size=4000)
    shape, scale = call(impl, "gamma_mle", x)
    assert_close(shape, 1.0, rtol=0.1, what="gamma shape fitted to 4000 exponential draws")
    assert_close(shape * scale, x.mean(), rtol=1e-3,
                 what="shape × scale (the fitted mean) vs the sample mean (within 1e-3, like the parameters)")


def test_rejects_bad_input(impl):
    """Empty samples, impossible data (non-positive, non-counts, not 0/1), non-positive parameters raise ValueError."""
    assert_raises_value_error(impl.normal_mle, np.array([]), why="an empty sample has no estimate")
    assert_raises_value_error(impl.normal_mle, np.array([1.0, np.nan]), why="NaN is not data")
    assert_raises_value_error(impl.exponential_mle, np.array([1.0, -2.0]), why="exponential data are positive")
    assert_raises_value_error(impl.poisson_mle, np.array([1.0, 2.5]), why="Poisson data are whole counts")
    assert_raises_value_error(impl.poisson_mle, np.array([1.0, -1.0]), why="counts cannot be negative")
    assert_raises_value_error(impl.bernoulli_mle, np.array([0.0, 1.0, 2.0]), why="Bernoulli outcomes are 0 or 1")
    assert_raises_value_error(impl.gamma_mle, np.array([2.0, 2.0, 2.0]),
                              why="constant data push the gamma shape to infinity")
    assert_raises_value_error(impl.gamma_mle, np.array([1.0, 0.0, 3.0]), why="gamma data are positive")
    assert_raises_value_error(impl.normal_log_likelihood, np.array([1.0]), 0.0, 0.0, why="sigma must be positive")
    assert_raises_value_error(impl.poisson_log_likelihood, np.array([1.0]), -1.0, why="lam must be positive")
    assert_raises_value_error(impl.gamma_log_likelihood, np.array([1.0]), 0.0, 1.0, why="the shape must be positive")
