"""Checks for `chi-square`, against scipy.stats.chi2_contingency (correction=False / True) and scipy.stats.chisquare.

Tables and counts are drawn from seeded numpy generators (2..5 rows and columns, counts 0..60, no empty
row or column). Statistic, p-value, degrees of freedom and expected counts must match scipy to a
relative tolerance of 1e-8 (p-values also 1e-12 absolute): the same sums, so only round-off may differ.
While your functions run, scipy's chi-square test functions are switched off (aieng.grader.guards.forbid);
scipy.stats.chi2 (the distribution) stays available.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.strategies import rngs

TEST_FUNCTIONS = ("scipy.stats.chi2_contingency", "scipy.stats.chisquare", "scipy.stats.power_divergence",
                  "scipy.stats.contingency.expected_freq")


def call(impl, name: str, *args, **kwargs):
    with forbid(impl, *TEST_FUNCTIONS):
        return getattr(impl, name)(*args, **kwargs)


def field(result, name: str):
    expect(hasattr(result, name), f"the result should have a field `{name}` (return the named tuple), got {result!r}")
    return getattr(result, name)


def random_table(rng: np.random.Generator, rows: int, columns: int) -> np.ndarray:
    """Counts 0..60 with every row and column total positive; sometimes independent, sometimes not."""
    row_p, column_p = rng.dirichlet(np.ones(rows)), rng.dirichlet(np.ones(columns))
    probabilities = np.outer(row_p, column_p) if rng.random() < 0.5 else rng.dirichlet(np.ones(rows * columns))
    table = rng.poisson(rng.uniform(5, 60) * rows * columns * probabilities.reshape(rows, columns))
    table[:, 0] += 1  # no empty row
    table[0, :] += 1  # no empty column
    return table.astype(float)


def assert_same_independence_test(got, expected, what: str) -> None:
    assert_close(field(got, "statistic"), expected.statistic, rtol=1e-8, atol=1e-12, what=f"{what}: statistic")
    assert_close(field(got, "pvalue"), expected.pvalue, rtol=1e-8, atol=1e-12, what=f"{what}: pvalue")
    assert_close(field(got, "dof"), expected.dof, what=f"{what}: dof")
    assert_close(field(got, "expected"), expected.expected_freq, rtol=1e-10, what=f"{what}: expected counts")


@given(rngs(), st.integers(2, 5), st.integers(2, 5))
def test_independence_matches_scipy(impl, rng, rows, columns):
    """chi2_independence(table) matches scipy.stats.chi2_contingency(table, correction=False): statistic, p, dof,
    expected."""
    table = random_table(rng, rows, columns)
    got = call(impl, "chi2_independence", table, False)
    expected = scipy.stats.chi2_contingency(table, correction=False)
    assert_same_independence_test(got, expected, f"chi2_independence on a {rows}x{columns} table")


@given(rngs(), st.integers(0, 12))
def test_yates_correction_matches_scipy_on_2x2_tables(impl, rng, scale):
    """With correction=True a 2x2 table matches chi2_contingency(correction=True): each |O - E| shrinks by 0.5,
    never below 0."""
    table = random_table(rng, 2, 2) if scale else np.array([[5.0, 6.0], [5.0, 5.0]])
    got = call(impl, "chi2_independence", table, True)
    expected = scipy.stats.chi2_contingency(table, correction=True)
    assert_same_independence_test(got, expected, f"chi2_independence({table.tolist()}, correction=True)")


@given(rngs(), st.integers(2, 5), st.integers(3, 5))
def test_yates_correction_only_touches_one_degree_of_freedom(impl, rng, rows, columns):
    """For tables larger than 2x2 (dof > 1), correction=True changes nothing, as in scipy.stats.chi2_contingency."""
    table = random_table(rng, rows, columns)
    got = call(impl, "chi2_independence", table, True)
    expected = scipy.stats.chi2_contingency(table, correction=True)
    assert_same_independence_test(got, expected, f"chi2_independence on a {rows}x{columns} table, correction=True")


@given(rngs(), st.integers(2, 8), st.data())
def test_goodness_of_fit_matches_scipy(impl, rng, k, data):
    """chi2_goodness_of_fit(observed, expected, ddof) matches scipy.stats.chisquare(observed, expected, ddof)."""
    p = rng.dirichlet(np.ones(k) * 3)
    observed = rng.multinomial(int(rng.integers(20, 500)), p).astype(float)
    expected_counts = rng.dirichlet(np.ones(k) * 3) if rng.random() < 0.5 else p
    expected_counts = expected_counts * observed.sum()
    ddof = data.draw(st.integers(0, k - 2), label="ddof")
    got = call(impl, "chi2_goodness_of_fit", observed, expected_counts, ddof)
    expected = scipy.stats.chisquare(observed, expected_counts, ddof=ddof)
    what = f"chi2_goodness_of_fit with {k} categories, ddof={ddof}"
    assert_close(field(got, "statistic"), expected.statistic, rtol=1e-8, atol=1e-12, what=f"{what}: statistic")
    assert_close(field(got, "pvalue"), expected.pvalue, rtol=1e-8, atol=1e-12, what=f"{what}: pvalue")
    assert_close(field(got, "dof"), k - 1 - ddof, what=f"{what}: dof")


@given(rngs(), st.integers(2, 8))
def test_goodness_of_fit_defaults_to_equal_counts(impl, rng, k):
    """Without `expected`, every category expects total / k counts (scipy.stats.chisquare's default)."""
    observed = rng.integers(0, 40, size=k).astype(float)
    observed[0] += 1
    got = call(impl, "chi2_goodness_of_fit", observed)
    expected = scipy.stats.chisquare(observed)
    assert_close(field(got, "statistic"), expected.statistic, rtol=1e-8, atol=1e-12,
                 what="statistic (uniform expected)")
    assert_close(field(got, "pvalue"), expected.pvalue, rtol=1e-8, atol=1e-12, what="pvalue (uniform expected)")


def test_worked_example_die(impl):
    """A die rolled 88 times with counts (16, 18, 16, 14, 12, 12) gives χ² = 2.0 on 5 dof (by hand: Σ (O - E)² / E,
    E = 88/6)."""
    observed = np.array([16, 18, 16, 14, 12, 12], dtype=float)
    got = call(impl, "chi2_goodness_of_fit", observed)
    assert_close(field(got, "statistic"), np.sum((observed - 88 / 6) ** 2 / (88 / 6)), rtol=1e-12,
                 what="χ² for the die")
    assert_close(field(got, "pvalue"), scipy.stats.chi2.sf(2.0, 5), rtol=1e-8, what="p-value for the die")


def test_rejects_bad_input(impl):
    """Negative counts, NaN, a 1-row table, an empty row, 3-D tables, totals that disagree or dof < 1 raise
    ValueError."""
    assert_raises_value_error(impl.chi2_independence, [[1, -2], [3, 4]], why="counts cannot be negative")
    assert_raises_value_error(impl.chi2_independence, [[1, np.nan], [3, 4]], why="NaN is not a count")
    assert_raises_value_error(impl.chi2_independence, [[1, 2, 3]], why="a table needs at least 2 rows")
    assert_raises_value_error(impl.chi2_independence, [[0, 0], [3, 4]], why="an empty row has expected counts 0")
    assert_raises_value_error(impl.chi2_independence, np.ones((2, 2, 2)), why="a contingency table here is 2-D")
    assert_raises_value_error(impl.chi2_goodness_of_fit, [10, 20, 30], [20, 20, 21], why="the totals must agree")
    assert_raises_value_error(impl.chi2_goodness_of_fit, [10, 20, 30], [30, 30, 0], why="expected counts must be > 0")
    assert_raises_value_error(impl.chi2_goodness_of_fit, [10, 20, 30], None, 2, why="3 categories, ddof 2: no dof left")
    assert_raises_value_error(impl.chi2_goodness_of_fit, [10, -1, 30], why="counts cannot be negative")
