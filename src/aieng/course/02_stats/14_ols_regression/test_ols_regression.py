"""Checks for `ols-regression`, against statsmodels OLS (fit on [1, X]) and scipy.stats.linregress.

Designs are random and well conditioned (seeded numpy generators: n = 8..60 observations, k = 1..5
correlated regressors with offsets, some true coefficients exactly 0, normal noise). Coefficients,
standard errors, t statistics, p-values, R², adjusted R², the residual variance and the residuals must
match statsmodels' `params`, `bse`, `tvalues`, `pvalues`, `rsquared`, `rsquared_adj`, `scale` and `resid`
to a relative tolerance of 1e-8 (p-values also 1e-12 absolute, residuals 1e-9 of the noise scale): both
solve the same least-squares problem, so only round-off may differ. While your function runs,
statsmodels' and scikit-learn's linear models and scipy.stats.linregress are switched off.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.regression.linear_model import OLS

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.strategies import random_orthogonal, rngs

FIELDS = ("params", "bse", "tvalues", "pvalues", "rsquared", "rsquared_adj", "sigma2", "df_resid", "resid")


def call(impl, *args):
    ready_made = (*present("statsmodels.api", ["OLS", "WLS", "GLS"]),
                  *present("statsmodels.regression.linear_model", ["OLS", "WLS", "GLS"]),
                  *present("sklearn.linear_model", ["LinearRegression"]), "scipy.stats.linregress")
    with forbid(impl, *ready_made):
        result = impl.ols(*args)
    missing = [name for name in FIELDS if not hasattr(result, name)]
    expect(not missing, f"the result should have the fields {', '.join(FIELDS)} (return the OLSResult named tuple); "
                        f"missing: {', '.join(missing)}")
    return result


def random_problem(rng: np.random.Generator, n: int, k: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Correlated regressors (condition number <= 10 before the offsets), y = β0 + Xβ + noise; returns x, y, noise
    scale."""
    mixing = random_orthogonal(rng, k) * rng.uniform(0.5, 5.0, size=k)
    x = rng.normal(size=(n, k)) @ mixing.T + rng.uniform(-10, 10, size=k)
    beta = rng.normal(0, 2, size=k + 1) * (rng.random(k + 1) < 0.75)  # some coefficients are truly 0
    noise = rng.uniform(0.2, 3.0)
    y = beta[0] + x @ beta[1:] + rng.normal(0, noise, size=n)
    return x, y, noise


@st.composite
def problems(draw):
    rng = draw(rngs())
    k = draw(st.integers(1, 5), label="k")
    n = draw(st.integers(k + 3, 60), label="n")
    return random_problem(rng, n, k)


@given(problems())
def test_matches_statsmodels_ols(impl, problem):
    """ols(x, y) matches statsmodels OLS(y, [1, x]).fit(): params, bse, tvalues, pvalues, R², adjusted R², scale,
    resid."""
    x, y, noise = problem
    n, k = x.shape
    got = call(impl, x, y)
    fit = OLS(y, np.column_stack([np.ones(n), x])).fit()
    what = f"ols on n={n}, k={k}"
    assert_close(got.params, fit.params, rtol=1e-8, atol=1e-10, what=f"{what}: params (intercept first)")
    assert_close(got.bse, fit.bse, rtol=1e-8, what=f"{what}: bse (standard errors)")
    assert_close(got.tvalues, fit.tvalues, rtol=1e-8, atol=1e-8, what=f"{what}: tvalues")
    assert_close(got.pvalues, fit.pvalues, rtol=1e-8, atol=1e-12, what=f"{what}: pvalues")
    assert_close(got.rsquared, fit.rsquared, rtol=1e-8, what=f"{what}: rsquared")
    assert_close(got.rsquared_adj, fit.rsquared_adj, rtol=1e-8, what=f"{what}: rsquared_adj")
    assert_close(got.sigma2, fit.scale, rtol=1e-8, what=f"{what}: sigma2 (statsmodels' scale, SSR / (n - k - 1))")
    assert_close(got.df_resid, fit.df_resid, what=f"{what}: df_resid")
    assert_close(got.resid, fit.resid, rtol=1e-8, atol=1e-9 * noise, what=f"{what}: resid")


@given(rngs(), st.integers(3, 50))
def test_one_regressor_matches_linregress(impl, rng, n):
    """A 1-D x is one regressor: intercept, slope, their standard errors, R² and the slope's p-value match
    scipy.stats.linregress."""
    x = rng.uniform(-5, 5, size=n)
    y = rng.normal(1, 2) + rng.normal(0, 1) * x + rng.normal(0, rng.uniform(0.1, 3), size=n)
    got = call(impl, x, y)
    line = scipy.stats.linregress(x, y)
    assert_close(got.params, [line.intercept, line.slope], rtol=1e-8, atol=1e-10, what="(intercept, slope)")
    assert_close(got.bse, [line.intercept_stderr, line.stderr], rtol=1e-8, what="standard errors of (intercept, slope)")
    assert_close(got.rsquared, line.rvalue**2, rtol=1e-8, what="R² (the squared correlation for one regressor)")
    assert_close(got.pvalues[1], line.pvalue, rtol=1e-8, atol=1e-12, what="p-value of the slope")


@given(problems())
def test_residuals_are_orthogonal_to_the_design(impl, problem):
    """The residuals sum to 0 and are orthogonal to every regressor (the normal equations Aᵀ(y - Aβ̂) = 0)."""
    x, y, noise = problem
    got = call(impl, x, y)
    design = np.column_stack([np.ones(len(y)), x])
    scale = np.sqrt(len(y)) * noise * (1 + np.abs(design).max(axis=0))
    assert_close(design.T @ np.asarray(got.resid), np.zeros(design.shape[1]), rtol=0, atol=1e-9 * scale.max(),
                 what="Aᵀ · residuals")
    assert_close(got.rsquared_adj, 1 - (1 - got.rsquared) * (len(y) - 1) / got.df_resid, rtol=1e-12,
                 what="adjusted R² vs 1 - (1 - R²)(n - 1)/(n - k - 1)")


def test_worked_example(impl):
    """x = (0, 1, 2, 3), y = (1, 3, 4, 7): intercept 0.9, slope 1.9, σ̂² = 0.35, R² = 0.96267 (by hand)."""
    got = call(impl, np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 3.0, 4.0, 7.0]))
    assert_close(got.params, [0.9, 1.9], rtol=1e-10, what="(intercept, slope)")
    assert_close(got.sigma2, 0.7 / 2, rtol=1e-10, what="σ̂² = SSR / (n - 2) = 0.7 / 2")
    assert_close(got.bse, [np.sqrt(0.35 * 14 / 20), np.sqrt(0.35 / 5)], rtol=1e-10,
                 what="standard errors √(σ̂² (AᵀA)⁻¹_jj)")
    assert_close(got.rsquared, 1 - 0.7 / 18.75, rtol=1e-10, what="R² = 1 - SSR / SST = 1 - 0.7 / 18.75")


def test_rejects_bad_input(impl):
    """Too few observations, a rank-deficient design, NaN, mismatched lengths or 3-D x raise ValueError."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 2)), rng.normal(size=10)
    assert_raises_value_error(impl.ols, x[:3], y[:3], why="3 observations, 3 coefficients: no residual df")
    assert_raises_value_error(impl.ols, np.column_stack([x, x[:, 0] * 2]), y, why="a column is twice another")
    assert_raises_value_error(impl.ols, np.column_stack([x, np.full(10, 4.0)]), y,
                              why="a constant column duplicates the intercept")
    bad = x.copy()
    bad[3, 1] = np.nan
    assert_raises_value_error(impl.ols, bad, y, why="NaN is not data")
    assert_raises_value_error(impl.ols, x, y[:9], why="x and y need the same number of rows")
    assert_raises_value_error(impl.ols, x[:, :, None], y, why="x is (n, k) or (n,)")
