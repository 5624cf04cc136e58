"""The F-test and one-way ANOVA — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check anova-f-test`.
You may use scipy's F distribution (`stats.f.sf`, `stats.f.cdf`), but not `scipy.stats.f_oneway`.
"""

from __future__ import annotations

from typing import NamedTuple

from numpy.typing import ArrayLike
from scipy import stats  # noqa: F401  (stats.f.sf and stats.f.cdf give the tail probabilities)


class FTestResult(NamedTuple):
    """Return FTestResult(statistic, pvalue, df_num, df_den) from f_test_variances."""

    statistic: float
    pvalue: float
    df_num: int
    df_den: int


class AnovaResult(NamedTuple):
    """Return AnovaResult(statistic, pvalue, df_between, df_within, ss_between, ss_within) from one_way_anova."""

    statistic: float
    pvalue: float
    df_between: int
    df_within: int
    ss_between: float
    ss_within: float


def f_test_variances(a: ArrayLike, b: ArrayLike, alternative: str = "two-sided") -> FTestResult:
    """Test H0: the populations behind samples `a` (n1,) and `b` (n2,) have equal variances.

    F = var(a, ddof=1) / var(b, ddof=1), with (n1 - 1, n2 - 1) degrees of freedom.
    p-value: "greater" -> F law's sf(F), "less" -> cdf(F), "two-sided" -> min(1, 2 * min(cdf(F), sf(F))).
    Raise ValueError for samples under 2 values, NaN/inf, non-1-D input, zero variance in `b` or an
    unknown alternative.
    """
    raise NotImplementedError


def one_way_anova(*groups: ArrayLike) -> AnovaResult:
    """Test H0: all k groups (k >= 2 1-D samples, each with at least 1 value) have the same mean.

    ss_between = Σ_i n_i (mean_i - grand_mean)²,  df_between = k - 1
    ss_within  = Σ_i Σ_j (x_ij - mean_i)²,        df_within  = N - k   (N = all values)
    F = (ss_between / df_between) / (ss_within / df_within);  p = P(F(df_between, df_within) >= F).
    Raise ValueError for fewer than 2 groups, an empty group, N <= k, NaN or infinity.
    """
    raise NotImplementedError
