"""Checks for `distributions`, against scipy.stats.

Oracle: scipy.stats.bernoulli, binom, poisson, uniform (loc=a, scale=b-a), norm and expon
(scale=1/rate), on random parameters and grids of points. While your functions run, scipy.stats'
distribution objects are switched off (a stand-in that refuses any use), and so are scipy.special's ready-made CDFs
(ndtr, bdtr, pdtr, the incomplete gamma and beta functions) and statistics.NormalDist. Elementary
special functions (math.erf/erfc/lgamma, scipy.special.erf/erfc/gammaln) stay available.

Tolerance: relative 1e-10 wherever the math allows, with an absolute 1e-300 so that values that
underflow to (sub)normal zero in one implementation and not the other do not count. Correct
float64 formulas agree with scipy to about 1e-12 here. One exception: for the binomial with
n up to 10 000 the tolerance is 1e-8. There the log of the PMF is a difference of lgamma values
near 10^5, each carrying a rounding error of about 10^5 × 1.1e-16 ≈ 1e-11, and the exponential turns
that absolute error into a relative one.
"""

from __future__ import annotations

import statistics  # noqa: F401  (loaded, so that statistics.NormalDist can be switched off)
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, forbid_objects

RTOL, ATOL = 1e-10, 1e-300
DISTRIBUTIONS = tuple(f"scipy.stats.{name}" for name in ("bernoulli", "binom", "poisson", "uniform", "norm", "expon",
                                                          "gamma", "randint", "geom", "nbinom", "halfnorm"))
SPECIAL_CDFS = (*(f"scipy.special.{name}" for name in (
    "ndtr", "log_ndtr", "ndtri", "ndtri_exp", "bdtr", "bdtrc", "bdtri", "pdtr", "pdtrc", "pdtri", "gammainc",
    "gammaincc", "betainc", "betaincc", "stdtr", "chdtr")), "statistics.NormalDist")


@contextmanager
def distributions_switched_off(impl) -> Iterator[None]:
    """`scipy.stats.norm.cdf(x)` (and the learner's `from scipy.stats import norm`) raise "implement it yourself"
    while the block runs (aieng.grader.guards.forbid_objects); scipy.special's ready-made CDFs and
    statistics.NormalDist are switched off with `forbid`."""
    with forbid_objects(impl, *DISTRIBUTIONS), forbid(impl, *SPECIAL_CDFS):
        yield


class Calls:
    """The learner's module, with the library distributions switched off while any of its functions runs."""

    def __init__(self, impl) -> None:
        self.impl = impl

    def __getattr__(self, name: str):
        def run(*args, **kwargs):
            with distributions_switched_off(self.impl):
                return getattr(self.impl, name)(*args, **kwargs)
        return run


def grid(low: int, high: int) -> np.ndarray:
    """Integers low..high and the half-integers between them (a PMF is 0 there, a CDF steps only at integers)."""
    return np.arange(2 * low, 2 * high + 1) / 2


PROBABILITIES = st.floats(0.02, 0.98)


@settings(max_examples=20)
@given(PROBABILITIES)
def test_bernoulli_pmf_matches_scipy(impl, p):
    """bernoulli_pmf(k, p) equals scipy.stats.bernoulli.pmf: 1 - p at 0, p at 1, 0 anywhere else."""
    k = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    assert_close(Calls(impl).bernoulli_pmf(k, p), scipy.stats.bernoulli.pmf(k, p), rtol=RTOL, atol=ATOL,
                 what=f"bernoulli_pmf([-1, 0, 0.5, 1, 2], p={p!r})")


@settings(max_examples=30)
@given(st.integers(0, 60), PROBABILITIES)
def test_binomial_pmf_and_cdf_match_scipy(impl, n, p):
    """binomial_pmf and binomial_cdf equal scipy.stats.binom.pmf / .cdf at integers and half-integers in [-2, n + 2]."""
    k = grid(-2, n + 2)
    calls = Calls(impl)
    assert_close(calls.binomial_pmf(k, n, p), scipy.stats.binom.pmf(k, n, p), rtol=RTOL, atol=ATOL,
                 what=f"binomial_pmf(k, n={n}, p={p!r}) for k = -2, -1.5, ..., {n + 2}")
    assert_close(calls.binomial_cdf(k, n, p), scipy.stats.binom.cdf(k, n, p), rtol=RTOL, atol=ATOL,
                 what=f"binomial_cdf(k, n={n}, p={p!r}) for k = -2, -1.5, ..., {n + 2}")


@settings(max_examples=10)
@given(st.integers(1000, 10_000), st.floats(0.05, 0.95))
def test_binomial_pmf_for_large_n(impl, n, p):
    """For n up to 10 000 the binomial PMF still works (C(2000, 1000) overflows a float: use logs and lgamma).

    Tolerance 1e-8 relative: the log-PMF subtracts lgamma values near 1e5, each rounded to about 1e-11.
    """
    k = np.unique(np.linspace(0, n, 41).round())
    assert_close(Calls(impl).binomial_pmf(k, n, p), scipy.stats.binom.pmf(k, n, p), rtol=1e-8, atol=ATOL,
                 what=f"binomial_pmf at 41 points for n={n}, p={p!r}")


def test_binomial_with_certain_outcomes(impl):
    """p = 0 puts all mass on k = 0 and p = 1 on k = n (careful with 0 · log 0); n = 0 puts it on k = 0."""
    calls, k = Calls(impl), np.arange(6.0)
    for n, p in ((5, 0.0), (5, 1.0), (0, 0.4)):
        assert_close(calls.binomial_pmf(k, n, p), scipy.stats.binom.pmf(k, n, p), rtol=RTOL, atol=ATOL,
                     what=f"binomial_pmf(0..5, n={n}, p={p})")
        assert_close(calls.binomial_cdf(k, n, p), scipy.stats.binom.cdf(k, n, p), rtol=RTOL, atol=ATOL,
                     what=f"binomial_cdf(0..5, n={n}, p={p})")


@settings(max_examples=30)
@given(st.floats(0.05, 50.0))
def test_poisson_pmf_and_cdf_match_scipy(impl, lam):
    """poisson_pmf and poisson_cdf equal scipy.stats.poisson.pmf / .cdf at integers and half-integers up to 3λ + 20."""
    k = grid(-2, int(3 * lam) + 20)
    calls = Calls(impl)
    assert_close(calls.poisson_pmf(k, lam), scipy.stats.poisson.pmf(k, lam), rtol=RTOL, atol=ATOL,
                 what=f"poisson_pmf(k, lam={lam!r}) for k = -2, -1.5, ..., {k[-1]:g}")
    assert_close(calls.poisson_cdf(k, lam), scipy.stats.poisson.cdf(k, lam), rtol=RTOL, atol=ATOL,
                 what=f"poisson_cdf(k, lam={lam!r}) for k = -2, -1.5, ..., {k[-1]:g}")


@settings(max_examples=10)
@given(st.floats(200.0, 1000.0))
def test_poisson_pmf_for_large_counts(impl, lam):
    """For λ up to 1000 and k up to 2λ the Poisson PMF still works (k! overflows a float beyond 170: use lgamma)."""
    k = np.arange(0.0, 2 * lam, max(1, int(lam / 40)))
    assert_close(Calls(impl).poisson_pmf(k, lam), scipy.stats.poisson.pmf(k, lam), rtol=RTOL, atol=ATOL,
                 what=f"poisson_pmf at {k.size} points up to {k[-1]:g} for lam={lam!r}")


@settings(max_examples=20)
@given(st.floats(-50, 50), st.floats(0.01, 100))
def test_uniform_pdf_cdf_and_inverse_match_scipy(impl, a, width):
    """uniform_pdf / cdf / ppf equal scipy.stats.uniform(loc=a, scale=b - a): density 1/(b - a) on [a, b]."""
    b = a + width
    x = np.concatenate([a + width * np.linspace(-0.5, 1.5, 41), [a]])
    q = np.linspace(0.0, 1.0, 21)
    frozen = scipy.stats.uniform(loc=a, scale=b - a)
    calls = Calls(impl)
    assert_close(calls.uniform_pdf(x, a, b), frozen.pdf(x), rtol=RTOL, atol=ATOL, what=f"uniform_pdf(x, {a!r}, {b!r})")
    assert_close(calls.uniform_cdf(x, a, b), frozen.cdf(x), rtol=RTOL, atol=1e-15,
                 what=f"uniform_cdf(x, {a!r}, {b!r})")
    assert_close(calls.uniform_ppf(q, a, b), frozen.ppf(q), rtol=RTOL, atol=1e-12 * (abs(a) + width),
                 what=f"uniform_ppf(q, {a!r}, {b!r})")


@settings(max_examples=30)
@given(st.floats(-100, 100), st.floats(0.01, 100))
def test_normal_pdf_and_cdf_match_scipy(impl, mu, sigma):
    """normal_pdf and normal_cdf equal scipy.stats.norm.pdf / .cdf within 4 standard deviations of the mean."""
    x = mu + sigma * np.linspace(-4, 4, 33)
    calls = Calls(impl)
    assert_close(calls.normal_pdf(x, mu, sigma), scipy.stats.norm.pdf(x, mu, sigma), rtol=RTOL, atol=ATOL,
                 what=f"normal_pdf(x, mu={mu!r}, sigma={sigma!r})")
    assert_close(calls.normal_cdf(x, mu, sigma), scipy.stats.norm.cdf(x, mu, sigma), rtol=RTOL, atol=ATOL,
                 what=f"normal_cdf(x, mu={mu!r}, sigma={sigma!r})")


@settings(max_examples=20)
@given(st.floats(-10, 10), st.floats(0.1, 10))
def test_normal_cdf_is_accurate_in_the_tails(impl, mu, sigma):
    """normal_cdf keeps its relative accuracy far into the left tail: Φ(-10) = 7.6e-24, not 0 (use erfc, not 1 + erf).

    Points from 37 standard deviations below the mean to 8 above, relative tolerance 1e-10.
    """
    z = np.concatenate([-np.geomspace(37, 4, 20), np.linspace(4, 8, 5)])
    x = mu + sigma * z
    assert_close(Calls(impl).normal_cdf(x, mu, sigma), scipy.stats.norm.cdf(x, mu, sigma), rtol=RTOL, atol=ATOL,
                 what=f"normal_cdf from mu - 37 sigma to mu + 8 sigma (mu={mu!r}, sigma={sigma!r})")


@settings(max_examples=30)
@given(st.floats(0.01, 100))
def test_exponential_pdf_cdf_and_inverse_match_scipy(impl, rate):
    """exponential_pdf / cdf / ppf equal scipy.stats.expon(scale=1/rate): rate·e^(-rate·x) for x ≥ 0, 0 below 0."""
    x = np.concatenate([[-2.0, -0.5, 0.0], np.geomspace(0.01, 20, 30)]) / rate
    q = np.linspace(0.0, 0.99, 34)
    frozen = scipy.stats.expon(scale=1 / rate)
    calls = Calls(impl)
    assert_close(calls.exponential_pdf(x, rate), frozen.pdf(x), rtol=RTOL, atol=ATOL,
                 what=f"exponential_pdf(x, rate={rate!r})")
    assert_close(calls.exponential_cdf(x, rate), frozen.cdf(x), rtol=RTOL, atol=ATOL,
                 what=f"exponential_cdf(x, rate={rate!r})")
    assert_close(calls.exponential_ppf(q, rate), frozen.ppf(q), rtol=RTOL, atol=ATOL,
                 what=f"exponential_ppf(q, rate={rate!r})")


@settings(max_examples=20)
@given(st.floats(0.01, 100))
def test_exponential_keeps_its_digits_near_zero(impl, rate):
    """exponential_cdf at tiny x and exponential_ppf at tiny q stay accurate: use expm1 and log1p.

    1 - exp(-1e-12) loses four digits to cancellation; -expm1(-1e-12) keeps them all.
    """
    x = np.geomspace(1e-15, 1e-4, 12) / rate
    q = np.geomspace(1e-16, 1e-4, 13)
    frozen = scipy.stats.expon(scale=1 / rate)
    calls = Calls(impl)
    assert_close(calls.exponential_cdf(x, rate), frozen.cdf(x), rtol=RTOL, atol=ATOL,
                 what=f"exponential_cdf at x from 1e-15/rate to 1e-4/rate (rate={rate!r})")
    assert_close(calls.exponential_ppf(q, rate), frozen.ppf(q), rtol=RTOL, atol=ATOL,
                 what=f"exponential_ppf at q from 1e-16 to 1e-4 (rate={rate!r})")


def test_inverse_cdfs_undo_the_cdfs(impl):
    """uniform_ppf and exponential_ppf invert their CDFs: cdf(ppf(q)) = q; ppf(1) is b (uniform), inf (exponential)."""
    calls = Calls(impl)
    q = np.linspace(0.0, 0.999, 50)
    assert_close(calls.uniform_cdf(calls.uniform_ppf(q, -2.0, 3.0), -2.0, 3.0), q, rtol=1e-12, atol=1e-15,
                 what="uniform_cdf(uniform_ppf(q))")
    assert_close(calls.exponential_cdf(calls.exponential_ppf(q, 0.7), 0.7), q, rtol=1e-12, atol=1e-15,
                 what="exponential_cdf(exponential_ppf(q))")
    assert_close(calls.uniform_ppf(1.0, -2.0, 3.0), 3.0, what="uniform_ppf(1, -2, 3)")
    assert_close(calls.exponential_ppf(1.0, 0.7), np.inf, what="exponential_ppf(1)")


def test_pmfs_sum_to_one(impl):
    """A PMF sums to 1 over its support: binomial over 0..n, Poisson (to 1e-12) over 0..λ + 40√λ + 50."""
    calls = Calls(impl)
    for n, p in ((1, 0.3), (17, 0.42), (300, 0.9)):
        assert_close(np.sum(calls.binomial_pmf(np.arange(n + 1), n, p)), 1.0, rtol=1e-12,
                     what=f"the sum of binomial_pmf over 0..{n} (p={p})")
    for lam in (0.3, 12.0, 150.0):
        support = np.arange(int(lam + 40 * np.sqrt(lam) + 50))
        assert_close(np.sum(calls.poisson_pmf(support, lam)), 1.0, rtol=1e-12,
                     what=f"the sum of poisson_pmf (lam={lam})")


def test_shapes_follow_the_input(impl):
    """A number gives a number (or 0-d array); a 2-D array of points gives a 2-D array of the same shape."""
    calls = Calls(impl)
    points = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    for name, args in (("bernoulli_pmf", (0.3,)), ("binomial_pmf", (6, 0.3)), ("binomial_cdf", (6, 0.3)),
                       ("poisson_pmf", (2.0,)), ("poisson_cdf", (2.0,)), ("uniform_pdf", (0.0, 4.0)),
                       ("uniform_cdf", (0.0, 4.0)), ("normal_pdf", (1.0, 2.0)), ("normal_cdf", (1.0, 2.0)),
                       ("exponential_pdf", (1.5,)), ("exponential_cdf", (1.5,))):
        got = getattr(calls, name)(points, *args)
        expect(np.shape(got) == (2, 3), f"{name} of a (2, 3) array should have shape (2, 3), got {np.shape(got)}")
        single = getattr(calls, name)(2.0, *args)
        expect(np.ndim(single) == 0, f"{name}(2.0, ...) should be a single number, got {single!r}")
    for name, args in (("uniform_ppf", (0.0, 4.0)), ("exponential_ppf", (1.5,))):
        expect(np.shape(getattr(calls, name)(points / 10, *args)) == (2, 3), f"{name} should keep the shape (2, 3)")


def test_rejects_bad_parameters(impl):
    """Impossible parameters raise ValueError: p, q outside [0, 1], n negative or fractional, λ, σ, rate ≤ 0, a ≥ b."""
    assert_raises_value_error(impl.bernoulli_pmf, 1, 1.5, why="p is a probability")
    assert_raises_value_error(impl.binomial_pmf, 1, 5, -0.1, why="p is a probability")
    assert_raises_value_error(impl.binomial_pmf, 1, -3, 0.5, why="n counts trials, so it cannot be negative")
    assert_raises_value_error(impl.binomial_cdf, 1, 2.5, 0.5, why="n must be a whole number of trials")
    assert_raises_value_error(impl.binomial_cdf, 1, 5, float("nan"), why="p = NaN is not a probability")
    assert_raises_value_error(impl.poisson_pmf, 1, 0.0, why="the Poisson rate λ must be positive")
    assert_raises_value_error(impl.poisson_cdf, 1, -2.0, why="the Poisson rate λ must be positive")
    assert_raises_value_error(impl.uniform_pdf, 0.5, 1.0, 1.0, why="the uniform distribution needs a < b")
    assert_raises_value_error(impl.uniform_cdf, 0.5, 2.0, 1.0, why="the uniform distribution needs a < b")
    assert_raises_value_error(impl.uniform_ppf, 1.5, 0.0, 1.0, why="q must lie in [0, 1]")
    assert_raises_value_error(impl.normal_pdf, 0.0, 0.0, 0.0, why="sigma must be positive")
    assert_raises_value_error(impl.normal_cdf, 0.0, 0.0, -1.0, why="sigma must be positive")
    assert_raises_value_error(impl.exponential_pdf, 1.0, 0.0, why="the rate must be positive")
    assert_raises_value_error(impl.exponential_cdf, 1.0, -1.0, why="the rate must be positive")
    assert_raises_value_error(impl.exponential_ppf, -0.1, 1.0, why="q must lie in [0, 1]")
