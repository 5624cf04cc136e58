"""Checks for `linear-regression`, against sklearn.linear_model.LinearRegression and scikit-learn's estimator checks.

Problems are seeded make_regression draws (20..80 samples, 1..6 features, noise, a random offset added to
y) and the diabetes data. While your code runs, scikit-learn's linear models are switched off.

Tolerances: the direct solver must match scikit-learn to a relative 1e-8 (both solve the same well
conditioned least-squares problem; only round-off differs). Gradient descent stops when its gradient is
below tol, so it is only as close as the tolerance allows: on standardized data with tol = 1e-9 the
coefficients must agree within 1e-5 (the error is at most |gradient| / smallest eigenvalue of X'X/n).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes, make_regression
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = ("LinearRegression", "Ridge", "SGDRegressor", "Lasso", "ElasticNet", "Lars", "BayesianRidge")


def fit(estimator, X, y):
    """Fit the learner's estimator with scikit-learn's linear models switched off."""
    with forbid(estimator_module(estimator), *present("sklearn.linear_model", READY_MADE)):
        return estimator.fit(X, y)


def estimator_module(estimator):
    import sys

    return sys.modules[type(estimator).__module__]


def problem(seed: int, n: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_regression(n_samples=n, n_features=p, noise=5.0, random_state=seed)
    rng = np.random.default_rng(seed)
    return X * rng.uniform(0.5, 3.0, size=p) + rng.uniform(-5, 5, size=p), y + rng.uniform(-50, 50)


def standardized_diabetes() -> tuple[np.ndarray, np.ndarray]:
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def assert_same_model(got, want, X, what):
    scale = np.abs(want.coef_).max() + abs(want.intercept_)
    assert_close(got.coef_, want.coef_, rtol=1e-8, atol=1e-8 * scale, what=f"{what}.coef_")
    assert_close(got.intercept_, want.intercept_, rtol=1e-8, atol=1e-8 * scale, what=f"{what}.intercept_")
    assert_close(got.predict(X), want.predict(X), rtol=1e-8, atol=1e-8 * scale, what=f"{what}.predict(X)")


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(20, 80), st.integers(1, 6), st.booleans())
def test_matches_sklearn_on_random_problems(impl, seed, n, p, fit_intercept):
    """LinearRegression(fit_intercept=...) gives scikit-learn's coef_, intercept_ and predictions (rtol 1e-8)."""
    X, y = problem(seed, n, p)
    got = fit(impl.LinearRegression(fit_intercept=fit_intercept), X, y)
    want = SkLinearRegression(fit_intercept=fit_intercept).fit(X, y)
    assert_same_model(got, want, X, f"LinearRegression(fit_intercept={fit_intercept})")
    if not fit_intercept:
        assert_close(got.intercept_, 0.0, what="intercept_ with fit_intercept=False")


def test_matches_sklearn_on_diabetes(impl):
    """On the diabetes data, coef_, intercept_, predictions and score (R²) equal scikit-learn's."""
    X, y = load_diabetes(return_X_y=True)
    got = fit(impl.LinearRegression(), X, y)
    want = SkLinearRegression().fit(X, y)
    assert_same_model(got, want, X, "LinearRegression")
    assert_close(got.score(X, y), want.score(X, y), rtol=1e-10, what="score(X, y) (R²)")


def test_duplicated_column_is_handled(impl):
    """A duplicated feature makes X'X singular: fit must still work and predict like scikit-learn's lstsq.

    (The coefficients are not unique then; the predictions are, and must match to 1e-8.)
    """
    X, y = problem(7, 40, 3)
    X = np.column_stack([X, X[:, 0]])
    got = fit(impl.LinearRegression(), X, y)
    want = SkLinearRegression().fit(X, y)
    assert_close(got.predict(X), want.predict(X), rtol=1e-8, atol=1e-8 * np.abs(y).max(), what="predict(X)")


def test_gd_converges_to_least_squares_on_diabetes(impl):
    """GDRegressor(tol=1e-9) on standardized diabetes (every feature then shifted by +3, so the intercept must
    be recovered from the means) reaches scikit-learn's least-squares fit: coefficients within 1e-5, the
    intercept within 1e-4 (it is mean(y) - mean(X) @ coef_, so it inherits 3 x the sum of the coefficient errors)."""
    X, y = standardized_diabetes()
    X = X + 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = fit(impl.GDRegressor(max_iter=100_000, tol=1e-9), X, y)
    want = SkLinearRegression().fit(X, y)
    assert_close(got.coef_, want.coef_, rtol=0, atol=1e-5, what="GDRegressor.coef_")
    assert_close(got.intercept_, want.intercept_, rtol=0, atol=1e-4, what="GDRegressor.intercept_")
    expect(isinstance(got.n_iter_, int | np.integer) and 0 < got.n_iter_ < 100_000,
           f"n_iter_ should count the steps taken before the gradient fell below tol, got {got.n_iter_!r}")


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.integers(30, 80), st.integers(1, 5))
def test_gd_with_fixed_step_matches_sklearn(impl, seed, n, p):
    """With learning_rate=0.1 on standardized random data, GDRegressor ends within 1e-5 of least squares."""
    X, y = problem(seed, n, p)
    X = StandardScaler().fit_transform(X)
    got = fit(impl.GDRegressor(learning_rate=0.1, max_iter=50_000, tol=1e-9), X, y)
    want = SkLinearRegression().fit(X, y)
    assert_close(got.coef_, want.coef_, rtol=0, atol=1e-5, what="GDRegressor(learning_rate=0.1).coef_")
    assert_close(got.predict(X), want.predict(X), rtol=0, atol=1e-4, what="GDRegressor.predict(X)")


def test_default_step_is_safe_on_unscaled_features(impl):
    """With learning_rate=None (step 1/L) the loss only goes down, even with features on scales 1 and 1000.

    So after any number of steps the fit is no worse than predicting the mean: R² >= 0, coefficients finite.
    """
    X, y = problem(3, 60, 2)
    X = X * np.array([1.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = fit(impl.GDRegressor(max_iter=50), X, y)
    expect(np.all(np.isfinite(got.coef_)), f"coefficients should stay finite with the 1/L step, got {got.coef_}")
    expect(got.score(X, y) >= 0, f"R² after 50 safe steps should be >= 0, got {got.score(X, y):.4g}")


def test_gd_warns_when_it_runs_out_of_steps(impl):
    """Stopping at max_iter before the gradient is small warns with sklearn.exceptions.ConvergenceWarning."""
    from sklearn.exceptions import ConvergenceWarning

    X, y = standardized_diabetes()
    with pytest.warns(ConvergenceWarning):
        fit(impl.GDRegressor(max_iter=5), X, y)


def test_gd_too_large_step_raises(impl):
    """A step of 3/L (beyond the 2/L limit) diverges; fit must raise FloatingPointError, not return NaN."""
    X, y = standardized_diabetes()
    Xc = X - X.mean(axis=0)
    lipschitz = np.linalg.norm(Xc, 2) ** 2 / len(X)
    assert_raises(FloatingPointError, fit, impl.GDRegressor(learning_rate=3 / lipschitz), X, y,
                  because="learning_rate = 3/L makes gradient descent blow up",
                  returned=lambda est: f"fit returned normally with coef_ = {getattr(est, 'coef_', None)}")


def test_bad_input_raises_value_error(impl):
    """NaN in X, mismatched X and y lengths, and learning_rate <= 0 all raise ValueError."""
    X, y = problem(1, 20, 2)
    bad = X.copy()
    bad[3, 1] = np.nan
    for cls in (impl.LinearRegression, impl.GDRegressor):
        assert_raises_value_error(cls().fit, bad, y, why="X contains NaN")
        assert_raises_value_error(cls().fit, X, y[:-1], why="X and y have different lengths")
    assert_raises_value_error(impl.GDRegressor(learning_rate=0.0).fit, X, y, why="the step size must be positive")
    assert_raises_value_error(impl.GDRegressor(learning_rate=-0.1).fit, X, y, why="the step size must be positive")


def test_works_in_a_pipeline_with_cross_validation(impl):
    """make_pipeline(StandardScaler(), GDRegressor()) gives the same 5-fold R² scores as scikit-learn's OLS."""
    X, y = load_diabetes(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = cross_val_score(make_pipeline(StandardScaler(), impl.GDRegressor(max_iter=100_000, tol=1e-9)), X, y)
    want = cross_val_score(make_pipeline(StandardScaler(), SkLinearRegression()), X, y)
    assert_close(got, want, rtol=0, atol=1e-6, what="cross_val_score R² per fold")


def test_linear_regression_passes_sklearn_estimator_checks(impl):
    """LinearRegression passes scikit-learn's own estimator checks (fit returns self, validation, ...)."""
    assert_sklearn_compatible(impl.LinearRegression())


def test_gd_regressor_passes_sklearn_estimator_checks(impl):
    """GDRegressor passes scikit-learn's own estimator checks (fit returns self, validation, ...)."""
    assert_sklearn_compatible(impl.GDRegressor())
