"""Checks for `regularized-regression`, against sklearn.linear_model Ridge, Lasso and ElasticNet.

Problems are seeded make_regression draws (30..80 samples, 2..8 features, some uninformative, a random
offset on y), standardized where coordinate descent runs, and the standardized diabetes data. While your
code runs, scikit-learn's linear models are switched off.

Tolerances: Ridge is a closed form and must match to a relative 1e-8 (only round-off differs). Lasso and
ElasticNet are iterative; both sides run with tol=1e-12 and max_iter=100_000, so the coefficients must
agree within 1e-6 (relative to the largest coefficient), far below any difference that would matter, and
the lasso's exact zeros must sit on the same features.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes, make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = ("LinearRegression", "Ridge", "SGDRegressor", "Lasso", "ElasticNet", "Lars", "LassoLars",
              "BayesianRidge", "lasso_path", "enet_path", "ridge_regression")
TIGHT = {"tol": 1e-12, "max_iter": 100_000}


def fit(estimator, X, y):
    """Fit the learner's estimator with scikit-learn's linear models switched off."""
    learner = sys.modules[type(estimator).__module__]
    with forbid(learner, *present("sklearn.linear_model", READY_MADE)):
        return estimator.fit(X, y)


def problem(seed: int, n: int, p: int, standardize: bool) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_regression(n_samples=n, n_features=p, n_informative=max(1, p // 2), noise=10.0, random_state=seed)
    rng = np.random.default_rng(seed)
    X = X * rng.uniform(0.5, 3.0, size=p) + rng.uniform(-5, 5, size=p)
    if standardize:
        X = StandardScaler().fit_transform(X)
    return X, y + rng.uniform(-50, 50)


def assert_coefficients(got, want, X, what, rtol):
    scale = np.abs(want.coef_).max() + 1.0
    assert_close(got.coef_, want.coef_, rtol=rtol, atol=rtol * scale, what=f"{what}.coef_")
    assert_close(got.intercept_, want.intercept_, rtol=rtol, atol=rtol * scale, what=f"{what}.intercept_")
    assert_close(got.predict(X), want.predict(X), rtol=rtol, atol=rtol * scale * 10, what=f"{what}.predict(X)")


alphas = st.floats(1e-3, 1e3).map(lambda a: float(f"{a:.3g}"))


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(30, 80), st.integers(2, 8), alphas, st.booleans())
def test_ridge_matches_sklearn(impl, seed, n, p, alpha, fit_intercept):
    """Ridge(alpha, fit_intercept) gives scikit-learn's coef_, intercept_ and predictions (rtol 1e-8)."""
    X, y = problem(seed, n, p, standardize=False)
    got = fit(impl.Ridge(alpha=alpha, fit_intercept=fit_intercept), X, y)
    want = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    assert_coefficients(got, want, X, f"Ridge(alpha={alpha}, fit_intercept={fit_intercept})", rtol=1e-8)


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.integers(30, 80), st.integers(2, 8), st.floats(0.01, 20.0))
def test_lasso_matches_sklearn(impl, seed, n, p, alpha):
    """Lasso(alpha, tol=1e-12) gives scikit-learn's coefficients within 1e-6 and zeros on the same features."""
    X, y = problem(seed, n, p, standardize=True)
    got = fit(impl.Lasso(alpha=alpha, **TIGHT), X, y)
    want = sk.Lasso(alpha=alpha, **TIGHT).fit(X, y)
    assert_coefficients(got, want, X, f"Lasso(alpha={alpha:.4g})", rtol=1e-6)
    expect(np.array_equal(got.coef_ == 0, want.coef_ == 0),
           f"the lasso should set exactly the coefficients {np.flatnonzero(want.coef_ == 0).tolist()} to 0.0, "
           f"yours are zero at {np.flatnonzero(got.coef_ == 0).tolist()} "
           "(use soft-thresholding, which gives exact zeros)")


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.integers(30, 80), st.integers(2, 8), st.floats(0.01, 20.0), st.floats(0.0, 1.0))
def test_elastic_net_matches_sklearn(impl, seed, n, p, alpha, l1_ratio):
    """ElasticNet(alpha, l1_ratio, tol=1e-12) gives scikit-learn's coefficients within 1e-6."""
    X, y = problem(seed, n, p, standardize=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns about l1_ratio = 0
        want = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    got = fit(impl.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT), X, y)
    assert_coefficients(got, want, X, f"ElasticNet(alpha={alpha:.4g}, l1_ratio={l1_ratio:.3g})", rtol=1e-6)


def test_diabetes_path(impl):
    """On standardized diabetes, Ridge, Lasso and ElasticNet match scikit-learn for alpha from 0.01 to 10."""
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    for alpha in (0.01, 0.1, 1.0, 10.0):
        assert_coefficients(fit(impl.Ridge(alpha=alpha), X, y), sk.Ridge(alpha=alpha).fit(X, y), X,
                            f"Ridge(alpha={alpha})", rtol=1e-8)
        assert_coefficients(fit(impl.Lasso(alpha=alpha, **TIGHT), X, y), sk.Lasso(alpha=alpha, **TIGHT).fit(X, y),
                            X, f"Lasso(alpha={alpha})", rtol=1e-6)
        assert_coefficients(fit(impl.ElasticNet(alpha=alpha, l1_ratio=0.3, **TIGHT), X, y),
                            sk.ElasticNet(alpha=alpha, l1_ratio=0.3, **TIGHT).fit(X, y), X,
                            f"ElasticNet(alpha={alpha}, l1_ratio=0.3)", rtol=1e-6)


def test_lasso_is_all_zero_above_alpha_max(impl):
    """For alpha >= max_j |Xc_j' yc| / n (a closed form) every lasso coefficient is exactly 0 and the
    model predicts mean(y); just below it, one coefficient is non-zero."""
    X, y = problem(11, 50, 6, standardize=True)
    alpha_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    above = fit(impl.Lasso(alpha=alpha_max * 1.001, **TIGHT), X, y)
    expect(np.all(above.coef_ == 0), f"above alpha_max = {alpha_max:.4g} all coefficients must be 0.0, "
                                     f"got {above.coef_}")
    assert_close(above.predict(X), np.full(len(y), y.mean()), what="predictions of the all-zero lasso")
    below = fit(impl.Lasso(alpha=alpha_max * 0.999, **TIGHT), X, y)
    expect(np.count_nonzero(below.coef_) == 1, f"just below alpha_max exactly one coefficient enters the model, "
                                               f"got {np.count_nonzero(below.coef_)} non-zero")


def test_elastic_net_extremes(impl):
    """ElasticNet(l1_ratio=1) is the lasso, and ElasticNet(alpha=a, l1_ratio=0) is Ridge(alpha=n*a)
    (the 1/(2n) scaling of the squared error)."""
    X, y = problem(5, 60, 5, standardize=True)
    n, a = len(y), 0.5
    assert_coefficients(fit(impl.ElasticNet(alpha=a, l1_ratio=1.0, **TIGHT), X, y),
                        sk.Lasso(alpha=a, **TIGHT).fit(X, y), X, "ElasticNet(l1_ratio=1)", rtol=1e-6)
    assert_coefficients(fit(impl.ElasticNet(alpha=a, l1_ratio=0.0, **TIGHT), X, y),
                        sk.Ridge(alpha=n * a).fit(X, y), X, "ElasticNet(l1_ratio=0)", rtol=1e-6)


def test_constant_feature_gets_zero_weight(impl):
    """A constant column carries no information: after centring it is all zeros, and its coefficient is 0."""
    X, y = problem(2, 40, 3, standardize=True)
    X = np.column_stack([X, np.full(len(y), 4.0)])
    for model in (impl.Lasso(alpha=0.1, **TIGHT), impl.ElasticNet(alpha=0.1, **TIGHT), impl.Ridge(alpha=1.0)):
        got = fit(model, X, y)
        expect(np.all(np.isfinite(got.coef_)) and abs(got.coef_[-1]) < 1e-10,
               f"{type(model).__name__}: the constant feature should get weight 0, got coef_ = {got.coef_}")


def test_warns_when_it_runs_out_of_sweeps(impl):
    """Stopping at max_iter before convergence warns with sklearn.exceptions.ConvergenceWarning."""
    from sklearn.exceptions import ConvergenceWarning

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    with pytest.warns(ConvergenceWarning):
        fit(impl.Lasso(alpha=0.01, max_iter=2, tol=1e-12), X, y)


def test_bad_parameters_raise_value_error(impl):
    """alpha < 0, l1_ratio outside [0, 1] and NaN in X raise ValueError."""
    X, y = problem(1, 20, 3, standardize=True)
    assert_raises_value_error(impl.Ridge(alpha=-1.0).fit, X, y, why="alpha must be >= 0")
    assert_raises_value_error(impl.Lasso(alpha=-1.0).fit, X, y, why="alpha must be >= 0")
    assert_raises_value_error(impl.ElasticNet(l1_ratio=1.5).fit, X, y, why="l1_ratio must lie in [0, 1]")
    assert_raises_value_error(impl.ElasticNet(l1_ratio=-0.1).fit, X, y, why="l1_ratio must lie in [0, 1]")
    bad = X.copy()
    bad[0, 0] = np.nan
    for cls in (impl.Ridge, impl.Lasso, impl.ElasticNet):
        assert_raises_value_error(cls().fit, bad, y, why="X contains NaN")


def test_grid_search_picks_the_same_alpha(impl):
    """GridSearchCV over Lasso's alpha on standardized diabetes picks the same alpha as with scikit-learn's Lasso."""
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    grid = {"alpha": [0.01, 0.3, 1.0, 3.0, 10.0]}
    got = GridSearchCV(impl.Lasso(tol=1e-10, max_iter=10_000), grid, cv=5).fit(X, y)
    want = GridSearchCV(sk.Lasso(tol=1e-10, max_iter=10_000), grid, cv=5).fit(X, y)
    expect(got.best_params_ == want.best_params_,
           f"GridSearchCV chose {got.best_params_}, with scikit-learn's Lasso it chooses {want.best_params_}")
    assert_close(got.cv_results_["mean_test_score"], want.cv_results_["mean_test_score"], rtol=1e-6,
                 what="mean cross-validated R² per alpha")


@pytest.mark.parametrize("name", ["Ridge", "Lasso", "ElasticNet"])
def test_passes_sklearn_estimator_checks(impl, name):
    """Each class passes scikit-learn's own estimator checks (fit returns self, input validation, ...)."""
    assert_sklearn_compatible(getattr(impl, name)())
