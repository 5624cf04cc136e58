"""t-tests — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check t-tests`.
You may use the t distribution from scipy (`stats.t.sf`, `stats.t.cdf`), but not scipy's t-test
functions (they are switched off while the checks run).
"""

from __future__ import annotations

from typing import NamedTuple

from numpy.typing import ArrayLike
from scipy import stats  # noqa: F401  (stats.t.sf and stats.t.cdf give the tail probabilities)


class TTestResult(NamedTuple):
    """What a t-test reports. Return one of these: TTestResult(statistic, pvalue, df)."""

    statistic: float
    pvalue: float
    df: float


def one_sample_ttest(x: ArrayLike, popmean: float = 0.0, alternative: str = "two-sided") -> TTestResult:
    """Test H0: the population mean of `x` equals `popmean`.

    x: 1-D sample, shape (n,), n >= 2, all finite.
    t = (mean(x) - popmean) / (s / sqrt(n)) with s the sample standard deviation (ddof=1); df = n - 1.
    alternative: "two-sided" (mean != popmean), "less" (mean < popmean) or "greater" (mean > popmean).
    Raise ValueError for fewer than 2 values, NaN or infinity, a non-1-D input or an unknown alternative.
    """
    raise NotImplementedError


def two_sample_ttest(
    a: ArrayLike, b: ArrayLike, equal_var: bool = True, alternative: str = "two-sided"
) -> TTestResult:
    """Test H0: two independent samples `a` (n1,) and `b` (n2,) have the same population mean.

    equal_var=True: Student's test with the pooled variance and df = n1 + n2 - 2.
    equal_var=False: Welch's test, t = (mean(a) - mean(b)) / sqrt(s_a²/n1 + s_b²/n2), with the
    Welch–Satterthwaite df (a fractional number).
    "greater" means mean(a) > mean(b). Each sample needs at least 2 finite values (else ValueError).
    """
    raise NotImplementedError


def paired_ttest(a: ArrayLike, b: ArrayLike, alternative: str = "two-sided") -> TTestResult:
    """Test H0: paired measurements `a` and `b` (both shape (n,), a[i] paired with b[i]) have mean difference 0.

    It is the one-sample test of d = a - b against 0, df = n - 1. Different lengths raise ValueError.
    """
    raise NotImplementedError
