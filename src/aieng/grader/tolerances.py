"""Tolerances for random answers: how far a correct simulation may land from the truth, and how often a
correct solution is failed anyway (the false-alarm probability, stated with every helper).

A simulated number is never exact, so a test compares it with its closed form within a band derived
from its own sampling distribution, wide enough that a correct solution almost never fails:

- `assert_within_standard_errors(got, expected, se)`: |got - expected| ≤ k·SE. For an estimate that
  is (close to) normal, a correct one lands outside with probability P(|Z| > k) = erfc(k/√2):
  5.7e-7 for the default k = 5, 6.3e-5 for k = 4 (`normal_false_alarm`).
- `rate_standard_error(p, n)` = √(p(1-p)/n), the SE of a simulated rate (hits/n, hits ~ Binomial(n, p)),
  and `count_standard_deviation(p, n)` = √(n·p(1-p)), the same for the count of hits.
- `binomial_band(n, p)`: where hits/n lands except with probability `false_alarm`, from the exact
  binomial quantiles (no normal approximation: right for small n or p near 0 or 1).
- `variance_ratio_bounds(dof)`: where s²/σ² lands for a sample variance of normal values with `dof`
  degrees of freedom, from the chi-square law dof·s²/σ² ~ χ²(dof).

    p = 0.05
    se = rate_standard_error(p, 20_000)                   # 0.00154
    assert_within_standard_errors(rate, p, se, what="the type I error rate")
    low, high = binomial_band(1000, 0.95)                  # (0.917, 0.977) with false_alarm 1e-5
    low, high = variance_ratio_bounds(1999)                # (0.857, 1.158), each end missed with 1e-6

scipy.stats is imported inside the two helpers that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import math

import numpy as np

from aieng.grader.assertions import assert_close

SIGMAS = 5.0  # the default k in "within k standard errors": false alarm 5.7e-7 per comparison
DEFAULT_NOTE = "allowed: {sigmas:g} Monte Carlo standard errors of {se:.3g}"


def normal_false_alarm(sigmas: float = SIGMAS) -> float:
    """P(|Z| > k) = erfc(k/√2) for a standard normal Z: how often a correct, normal-looking estimate lands
    more than k standard errors from the truth. 5.7e-7 for k = 5, 6.3e-5 for k = 4, 2.7e-3 for k = 3."""
    return math.erfc(sigmas / math.sqrt(2))


def rate_standard_error(rate: float | np.ndarray, trials: float) -> float | np.ndarray:
    """√(p(1 - p)/n): the standard error of a simulated rate hits/n when hits ~ Binomial(n, p).

    `trials` may be an expected count (n·P(event)) where the number of trials is itself random.
    """
    return np.sqrt(rate * (1 - rate) / trials)


def count_standard_deviation(rate: float | np.ndarray, trials: float) -> float | np.ndarray:
    """√(n·p(1 - p)): the standard deviation of a count of hits ~ Binomial(n, p) (n times the rate's SE)."""
    return np.sqrt(trials * rate * (1 - rate))


def assert_within_standard_errors(
    got: object,
    expected: object,
    standard_error: float | np.ndarray,
    what: str,
    *,
    sigmas: float = SIGMAS,
    slack: float = 0.0,
    note: str = DEFAULT_NOTE,
) -> None:
    """Assert |got - expected| ≤ k·SE + slack elementwise, k = `sigmas` (`assert_close` with that atol).

    False alarm: a correct estimate that is normal around `expected` with standard deviation SE fails
    with probability erfc(k/√2) per entry (5.7e-7 at k = 5; see `normal_false_alarm`). `slack` covers
    what the normal model leaves out (round-off where SE is 0, quantile interpolation).

    `note` is appended to `what` in parentheses, so the learner sees the allowance; it is formatted with
    `sigmas`, `se` (the standard error) and `band` (k·SE + slack): "allowed ±{band:.4f}" gives
    "type I error rate (allowed ±0.0077)". An empty note appends nothing; pass one (or "") without
    number formats where `standard_error` is an array (one per entry).
    """
    band = sigmas * standard_error + slack
    text = f"{what} ({note.format(sigmas=sigmas, se=standard_error, band=band)})" if note else what
    assert_close(got, expected, rtol=0, atol=band, what=text)


def binomial_band(trials: int, rate: float, false_alarm: float = 1e-5, *, counts: bool = False) -> tuple[float, float]:
    """The range where hits/trials lands (hits when `counts`) for hits ~ Binomial(trials, rate), except with
    probability `false_alarm`.

    The ends are exact binomial quantiles, cutting false_alarm/2 from each tail: low = the
    false_alarm/2 quantile, high = the 1 - false_alarm/2 quantile (scipy.stats.binom.ppf / .isf).
    A correct simulation falls outside with probability at most `false_alarm`; with 1e-5, once in
    100 000 seeds.
    """
    import scipy.stats

    low = scipy.stats.binom.ppf(false_alarm / 2, trials, rate)
    high = scipy.stats.binom.isf(false_alarm / 2, trials, rate)
    return (low, high) if counts else (low / trials, high / trials)


def variance_ratio_bounds(dof: int, false_alarm: float = 2e-6) -> tuple[float, float]:
    """Bounds on s²/σ² for a sample variance s² with `dof` degrees of freedom of normal values (variance σ²).

    dof·s²/σ² follows a chi-square law with `dof` degrees of freedom, so the ratio lies in
    [χ²_dof(a)/dof, χ²_dof(1 - a)/dof] with a = false_alarm/2 (scipy.stats.chi2.ppf / .isf): each bound
    is missed with probability false_alarm/2, 1e-6 by default. For R simulated means s² uses dof = R - 1:
    R = 2000 gives [0.857, 1.158], R = 100 gives [0.46, 1.83]. For non-normal values (binomial rates)
    the law is approximate.
    """
    import scipy.stats

    low = scipy.stats.chi2.ppf(false_alarm / 2, dof) / dof
    high = scipy.stats.chi2.isf(false_alarm / 2, dof) / dof
    return low, high
