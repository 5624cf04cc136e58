"""Classical hypothesis tests: t-tests, the F-test for two variances, one-way ANOVA and chi-square tests.

Every test here follows one recipe. Summarize the data in a statistic whose distribution is known when
the null hypothesis holds (Student's t, Fisher's F, chi-square), then report the p-value: the
probability, under the null, of a statistic at least as extreme as the one observed. The distribution
functions come from `scipy.stats` (``t``, ``f``, ``chi2``); upper tails use ``sf`` rather than
``1 - cdf``, which would round a p-value of 1e-20 to exactly 0.

- t-tests: one-sample, two-sample (Student's pooled variance, or Welch's unequal variances with the
  Welch–Satterthwaite degrees of freedom) and paired, each with a two-sided or one-sided alternative.
- F-test: the ratio of two sample variances, for "do these two populations have equal variances?".
- One-way ANOVA: do k groups share one mean? Between-group against within-group variance.
- Chi-square: independence of the two factors of a contingency table (with Yates' continuity
  correction for 2 x 2 tables on request), and goodness of fit of counts to expected counts.

Left out: exact and permutation p-values, `nan_policy` (NaN is rejected, never skipped), batches of
tests along an axis, Levene's and Bartlett's tests, Welch's ANOVA, Fisher's exact test, G-tests.
Cost: O(n) for n observations (O(r c) for an r x c table).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

ALTERNATIVES = ("two-sided", "less", "greater")


class TTestResult(NamedTuple):
    """What a t-test reports: the t statistic, its p-value and the degrees of freedom of the t law."""

    statistic: float
    pvalue: float
    df: float


class FTestResult(NamedTuple):
    """The F-test for two variances: F = s_a² / s_b², its p-value and the (numerator, denominator) dof."""

    statistic: float
    pvalue: float
    df_num: int
    df_den: int


class AnovaResult(NamedTuple):
    """One-way ANOVA: F = (SS_between / df_between) / (SS_within / df_within), and its parts."""

    statistic: float
    pvalue: float
    df_between: int
    df_within: int
    ss_between: float
    ss_within: float


class Chi2Result(NamedTuple):
    """Chi-square test of independence: statistic, p-value, degrees of freedom, expected counts (r, c)."""

    statistic: float
    pvalue: float
    dof: int
    expected: np.ndarray


class GofResult(NamedTuple):
    """Chi-square goodness of fit: statistic, p-value and degrees of freedom."""

    statistic: float
    pvalue: float
    dof: int


def _sample(x: ArrayLike, name: str, min_size: int = 2) -> np.ndarray:
    """`x` as a 1-D float64 array of at least `min_size` finite values, or a ValueError naming it."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sample, got an array of shape {x.shape}")
    if x.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} values, got {x.size}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinity")
    return x


def _check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")


def _t_pvalue(t: float, df: float, alternative: str) -> float:
    """Tail probability of Student's t with `df` degrees of freedom beyond `t`, in the alternative's direction.

    'greater': P(T >= t) = sf(t); 'less': P(T <= t) = cdf(t); 'two-sided': 2 P(T >= |t|) (the law is
    symmetric, and sf keeps tiny tails accurate).
    """
    if alternative == "greater":
        return float(stats.t.sf(t, df))
    if alternative == "less":
        return float(stats.t.cdf(t, df))
    return float(2.0 * stats.t.sf(abs(t), df))


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, as inf (or NaN for 0/0) when the denominator is 0: no spread in the data."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(numerator) / np.float64(denominator))


def one_sample_ttest(x: ArrayLike, popmean: float = 0.0, alternative: str = "two-sided") -> TTestResult:
    """Test whether the population mean of sample `x` (shape (n,), n >= 2) equals `popmean`.

    t = (x̄ - μ0) / (s / √n) with s the sample standard deviation (ddof = 1); under the null t follows
    Student's t with n - 1 degrees of freedom. Cost O(n).

    >>> r = one_sample_ttest([5.1, 4.9, 5.6, 5.8, 6.0], popmean=5.0)
    >>> round(r.statistic, 4), round(r.pvalue, 4), r.df
    (2.3041, 0.0826, 4.0)
    """
    _check_alternative(alternative)
    x = _sample(x, "x")
    if not np.isfinite(popmean):
        raise ValueError(f"popmean must be a finite number, got {popmean}")
    n = x.size
    standard_error = np.sqrt(x.var(ddof=1) / n)
    t = _ratio(x.mean() - popmean, standard_error)
    df = float(n - 1)
    return TTestResult(t, _t_pvalue(t, df, alternative), df)


def two_sample_ttest(
    a: ArrayLike, b: ArrayLike, equal_var: bool = True, alternative: str = "two-sided"
) -> TTestResult:
    """Test whether two independent samples `a` (n1,) and `b` (n2,) come from populations with one mean.

    Student (equal_var=True): pool the variances, s_p² = ((n1-1) s1² + (n2-1) s2²) / (n1 + n2 - 2), then
    t = (ā - b̄) / (s_p √(1/n1 + 1/n2)) with n1 + n2 - 2 degrees of freedom.
    Welch (equal_var=False): t = (ā - b̄) / √(s1²/n1 + s2²/n2), with the Welch–Satterthwaite
    degrees of freedom ν = (s1²/n1 + s2²/n2)² / ((s1²/n1)²/(n1-1) + (s2²/n2)²/(n2-1)), not an integer.
    Each sample needs at least 2 values. 'greater' means mean(a) > mean(b). Cost O(n1 + n2).

    >>> r = two_sample_ttest([1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 5.0, 7.0, 9.0], equal_var=False)
    >>> round(r.statistic, 4), round(r.df, 4)
    (-1.8827, 5.7922)
    """
    _check_alternative(alternative)
    a, b = _sample(a, "a"), _sample(b, "b")
    n1, n2 = a.size, b.size
    v1, v2 = a.var(ddof=1), b.var(ddof=1)
    if equal_var:
        df = float(n1 + n2 - 2)
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        standard_error = np.sqrt(pooled * (1.0 / n1 + 1.0 / n2))
    else:
        w1, w2 = v1 / n1, v2 / n2
        standard_error = np.sqrt(w1 + w2)
        df = _ratio((w1 + w2) ** 2, w1**2 / (n1 - 1) + w2**2 / (n2 - 1))
    t = _ratio(a.mean() - b.mean(), standard_error)
    return TTestResult(t, _t_pvalue(t, df, alternative), df)


def paired_ttest(a: ArrayLike, b: ArrayLike, alternative: str = "two-sided") -> TTestResult:
    """Test whether paired measurements `a` and `b` (both (n,), n >= 2, a[i] paired with b[i]) differ on average.

    A paired test is the one-sample t-test of the differences d = a - b against 0, with n - 1 degrees of
    freedom. Pairing removes the between-subject spread, which is why it beats a two-sample test on
    before/after data. Cost O(n).

    >>> r = paired_ttest([1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 5.0, 7.0], alternative="less")
    >>> round(r.statistic, 4), round(r.pvalue, 4), r.df
    (-3.6556, 0.0177, 3.0)
    """
    a, b = _sample(a, "a"), _sample(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"paired samples need the same length, got {a.size} and {b.size}")
    return one_sample_ttest(a - b, 0.0, alternative)


def f_test_variances(a: ArrayLike, b: ArrayLike, alternative: str = "two-sided") -> FTestResult:
    """Test whether samples `a` (n1,) and `b` (n2,) come from populations with equal variances.

    F = s_a² / s_b² (ddof = 1) follows Fisher's F(n1 - 1, n2 - 1) under the null for normal data.
    'greater': P(F' >= F) = sf(F); 'less': cdf(F); 'two-sided': 2 min(cdf(F), sf(F)), capped at 1
    (the F law is not symmetric, so the two tails must be computed separately). The test is very
    sensitive to non-normal data. Cost O(n1 + n2).

    >>> r = f_test_variances([1.0, 3.0, 5.0, 9.0], [2.0, 3.0, 4.0])
    >>> round(r.statistic, 4), r.df_num, r.df_den
    (11.6667, 3, 2)
    """
    _check_alternative(alternative)
    a, b = _sample(a, "a"), _sample(b, "b")
    variance_b = b.var(ddof=1)
    if variance_b == 0.0:
        raise ValueError("b has zero variance: the ratio s_a² / s_b² is undefined")
    statistic = float(a.var(ddof=1) / variance_b)
    df_num, df_den = a.size - 1, b.size - 1
    lower, upper = stats.f.cdf(statistic, df_num, df_den), stats.f.sf(statistic, df_num, df_den)
    if alternative == "greater":
        pvalue = upper
    elif alternative == "less":
        pvalue = lower
    else:
        pvalue = min(1.0, 2.0 * min(lower, upper))
    return FTestResult(statistic, float(pvalue), df_num, df_den)


def one_way_anova(*groups: ArrayLike) -> AnovaResult:
    """One-way analysis of variance: do the k >= 2 groups (1-D samples, n_i >= 1 each) share one mean?

    With group means m_i, grand mean m and N = Σ n_i values in all:
    SS_between = Σ_i n_i (m_i - m)²  (df k - 1),  SS_within = Σ_i Σ_j (x_ij - m_i)²  (df N - k),
    F = (SS_between / (k - 1)) / (SS_within / (N - k)), and p = P(F(k - 1, N - k) >= F).
    The two sums of squares add up to the total Σ (x - m)². N must exceed k (otherwise there is no
    within-group spread to compare against). Vectorized with group labels and np.bincount. Cost O(N).

    >>> r = one_way_anova([1.0, 2.0, 3.0], [4.0, 5.0, 7.0], [2.0, 2.0, 9.0])
    >>> round(r.statistic, 4), r.df_between, r.df_within
    (1.339, 2, 6)
    """
    if len(groups) < 2:
        raise ValueError(f"ANOVA compares at least 2 groups, got {len(groups)}")
    samples = [_sample(g, f"group {i}", min_size=1) for i, g in enumerate(groups)]
    sizes = np.array([s.size for s in samples])
    values = np.concatenate(samples)
    k, total = len(samples), values.size
    if total <= k:
        raise ValueError(f"{total} values in {k} groups leave no degrees of freedom within groups")
    labels = np.repeat(np.arange(k), sizes)
    means = np.bincount(labels, weights=values) / sizes
    grand_mean = values.mean()
    ss_between = float(np.sum(sizes * (means - grand_mean) ** 2))
    ss_within = float(np.sum((values - means[labels]) ** 2))
    df_between, df_within = k - 1, total - k
    statistic = _ratio(ss_between / df_between, ss_within / df_within)
    pvalue = float(stats.f.sf(statistic, df_between, df_within))
    return AnovaResult(statistic, pvalue, df_between, df_within, ss_between, ss_within)


def _counts(table: ArrayLike, name: str) -> np.ndarray:
    table = np.asarray(table, dtype=np.float64)
    if not np.all(np.isfinite(table)):
        raise ValueError(f"{name} contains NaN or infinity")
    if np.any(table < 0):
        raise ValueError(f"{name} holds counts, which cannot be negative")
    return table


def chi2_independence(table: ArrayLike, correction: bool = False) -> Chi2Result:
    """Chi-square test that the row and column factors of an r x c contingency table are independent.

    Expected counts under independence: E_ij = (row total_i)(column total_j) / N. The statistic
    Σ (O_ij - E_ij)² / E_ij follows chi-square with (r - 1)(c - 1) degrees of freedom for large counts.
    With `correction=True` and one degree of freedom (a 2 x 2 table), Yates' continuity correction moves
    each observed count 0.5 towards its expected count (never past it) first; for larger tables it does
    nothing. Needs r, c >= 2 and no empty row or column. Cost O(r c).

    >>> r = chi2_independence([[10, 20], [30, 25]])
    >>> round(r.statistic, 4), round(r.pvalue, 4), r.dof
    (3.5059, 0.0612, 1)
    """
    observed = _counts(table, "table")
    if observed.ndim != 2 or min(observed.shape) < 2:
        raise ValueError(f"a contingency table is 2-D with at least 2 rows and 2 columns, got shape {observed.shape}")
    rows, columns = observed.sum(axis=1), observed.sum(axis=0)
    if np.any(rows == 0) or np.any(columns == 0):
        raise ValueError("a row or column of the table is all zeros: its expected counts would be 0")
    expected = np.outer(rows, columns) / observed.sum()
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    if correction and dof == 1:
        gap = expected - observed
        observed = observed + np.sign(gap) * np.minimum(0.5, np.abs(gap))
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return Chi2Result(statistic, float(stats.chi2.sf(statistic, dof)), dof, expected)


def chi2_goodness_of_fit(observed: ArrayLike, expected: ArrayLike | None = None, ddof: int = 0) -> GofResult:
    """Chi-square test that the counts `observed` (k,) follow the expected counts `expected` (k,).

    Statistic Σ (O_i - E_i)² / E_i, p-value from chi-square with k - 1 - ddof degrees of freedom (ddof:
    the number of parameters estimated from the data to build `expected`). `expected` defaults to equal
    counts N / k; it must be positive and sum to the observed total (relative tolerance 1e-8), because
    otherwise the statistic measures the mismatch in totals rather than in shape. Cost O(k).

    >>> r = chi2_goodness_of_fit([16, 18, 16, 14, 12, 12])
    >>> round(r.statistic, 4), round(r.pvalue, 4), r.dof
    (2.0, 0.8491, 5)
    """
    observed = _counts(observed, "observed")
    if observed.ndim != 1 or observed.size < 2:
        raise ValueError(f"observed must be 1-D with at least 2 categories, got shape {observed.shape}")
    total = observed.sum()
    if expected is None:
        expected = np.full(observed.shape, total / observed.size)
    expected = _counts(expected, "expected")
    if expected.shape != observed.shape:
        raise ValueError(f"expected has shape {expected.shape}, observed {observed.shape}")
    if np.any(expected == 0):
        raise ValueError("every expected count must be positive")
    if not np.isclose(expected.sum(), total, rtol=1e-8, atol=0.0):
        raise ValueError(f"expected counts sum to {expected.sum()}, observed to {total}: they must agree")
    dof = observed.size - 1 - ddof
    if dof < 1:
        raise ValueError(f"{observed.size} categories with ddof={ddof} leave {dof} degrees of freedom")
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return GofResult(statistic, float(stats.chi2.sf(statistic, dof)), dof)
