"""Checks for `logistic-regression`, against sklearn.linear_model.LogisticRegression (lbfgs, L2 penalty).

Data: standardized breast_cancer (binary), iris and wine (3 classes), and seeded make_classification draws
(2..4 classes). Both sides minimize the same strictly convex objective, C * sum(log-loss) + ||w||^2 / 2,
with tol=1e-10, so they meet at the same optimum up to the stopping rule: coefficients must agree within
1e-5 * (1 + max|coef|) and probabilities within 1e-6, and predicted labels must be identical wherever
scikit-learn's winning margin is not vanishingly small. While your code runs, scikit-learn's linear
classifiers are switched off (scipy.optimize is yours to use).
"""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, make_classification
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = ("LogisticRegression", "LogisticRegressionCV", "SGDClassifier", "RidgeClassifier")
TIGHT = {"tol": 1e-10, "max_iter": 10_000}


def learner(estimator):
    return sys.modules[type(estimator).__module__]


def fit(estimator, X, y):
    """Fit the learner's estimator with scikit-learn's linear classifiers switched off."""
    with forbid(learner(estimator), *present("sklearn.linear_model", READY_MADE)):
        return estimator.fit(X, y)


def standardized(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def centred(intercept):
    intercept = np.asarray(intercept, dtype=np.float64)
    return intercept - intercept.mean() if intercept.size > 1 else intercept


def assert_same_model(got, want, X, what):
    """coef_, intercept_ (up to a common shift for softmax), probabilities, scores' shape and labels."""
    expect(np.array_equal(got.classes_, want.classes_), f"{what}: classes_ should be {want.classes_}, got "
                                                        f"{getattr(got, 'classes_', None)}")
    coef = np.asarray(got.coef_)
    expect(coef.shape == want.coef_.shape, f"{what}: coef_ should have shape {want.coef_.shape} (one row for two "
                                           f"classes, one per class otherwise), got {coef.shape}")
    scale = 1.0 + np.abs(want.coef_).max()
    assert_close(coef, want.coef_, rtol=0, atol=1e-5 * scale, what=f"{what}.coef_")
    assert_close(centred(got.intercept_), centred(want.intercept_), rtol=0, atol=1e-5 * scale,
                 what=f"{what}.intercept_ (shifted to mean 0 when there are several)")
    assert_close(got.predict_proba(X), want.predict_proba(X), rtol=0, atol=1e-6, what=f"{what}.predict_proba(X)")
    scores = np.asarray(got.decision_function(X))
    expect(scores.shape == want.decision_function(X).shape,
           f"{what}: decision_function should have shape {want.decision_function(X).shape}, got {scores.shape}")
    margin = want.decision_function(X)
    margin = np.abs(margin) if margin.ndim == 1 else np.abs(np.diff(np.sort(margin, axis=1)[:, -2:], axis=1))[:, 0]
    clear = margin > 1e-4
    predicted = np.asarray(got.predict(X))
    expect(np.array_equal(predicted[clear], want.predict(X)[clear]),
           f"{what}: predict differs from scikit-learn on {np.sum(predicted[clear] != want.predict(X)[clear])} rows")


def test_binary_breast_cancer(impl):
    """Binary model on standardized breast_cancer matches scikit-learn for C = 0.01, 0.1 and 1.

    (Larger C makes this nearly separable data an almost flat valley, where two correct optimizers can stop
    visibly apart; that is why C stops at 1 here.)
    """
    X, y = standardized(load_breast_cancer)
    for C in (0.01, 0.1, 1.0):
        got = fit(impl.LogisticRegression(C=C, **TIGHT), X, y)
        assert_same_model(got, SkLogisticRegression(C=C, **TIGHT).fit(X, y), X, f"LogisticRegression(C={C})")


def test_multinomial_iris_and_wine(impl):
    """Softmax model on standardized iris and wine matches scikit-learn for C = 0.05, 1 and 10."""
    for loader in (load_iris, load_wine):
        X, y = standardized(loader)
        for C in (0.05, 1.0, 10.0):
            got = fit(impl.LogisticRegression(C=C, **TIGHT), X, y)
            assert_same_model(got, SkLogisticRegression(C=C, **TIGHT).fit(X, y), X,
                              f"LogisticRegression(C={C}) on {loader.__name__[5:]}")


@settings(max_examples=12)
@given(st.integers(0, 10_000), st.integers(2, 4), st.floats(0.05, 5.0), st.booleans())
def test_random_problems(impl, seed, n_classes, C, fit_intercept):
    """On seeded make_classification problems (2..4 classes) the fit matches scikit-learn, with and without
    an intercept."""
    X, y = make_classification(n_samples=120, n_features=5, n_informative=3, n_classes=n_classes,
                               n_clusters_per_class=1, random_state=seed)
    got = fit(impl.LogisticRegression(C=C, fit_intercept=fit_intercept, **TIGHT), X, y)
    want = SkLogisticRegression(C=C, fit_intercept=fit_intercept, **TIGHT).fit(X, y)
    assert_same_model(got, want, X, f"LogisticRegression(C={C:.3g}, fit_intercept={fit_intercept})")
    if not fit_intercept:
        assert_close(got.intercept_, np.zeros_like(want.intercept_), what="intercept_ with fit_intercept=False")


def test_string_labels(impl):
    """Labels may be strings: classes_ is sorted and predict returns the original labels."""
    X, y = standardized(load_iris)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    got = fit(impl.LogisticRegression(**TIGHT), X, names)
    want = SkLogisticRegression(**TIGHT).fit(X, names)
    assert_same_model(got, want, X, "LogisticRegression on string labels")


def test_huge_scores_do_not_overflow(impl):
    """Points far from the data (scores in the thousands) still get finite probabilities summing to 1,
    equal to scikit-learn's: compute softmax with a max-shift / logsumexp and the sigmoid with expit."""
    for loader in (load_breast_cancer, load_iris):
        X, y = standardized(loader)
        got = fit(impl.LogisticRegression(C=10.0, **TIGHT), X, y)
        want = SkLogisticRegression(C=10.0, **TIGHT).fit(X, y)
        far = X * 1000.0
        with np.errstate(over="raise", invalid="raise"):
            try:
                proba = np.asarray(got.predict_proba(far))
            except FloatingPointError as exc:
                raise AssertionError(f"predict_proba overflowed on large scores: {exc}") from None
        expect(np.all(np.isfinite(proba)), "predict_proba returned inf or NaN for points with huge scores")
        assert_close(proba.sum(axis=1), np.ones(len(far)), what="row sums of predict_proba")
        assert_close(proba, want.predict_proba(far), rtol=0, atol=1e-6, what="predict_proba(1000 * X)")


def test_bad_input_raises_value_error(impl):
    """C <= 0, a single class, NaN in X and continuous targets raise ValueError."""
    X, y = standardized(load_iris)
    assert_raises_value_error(impl.LogisticRegression(C=0.0).fit, X, y, why="C must be positive")
    assert_raises_value_error(impl.LogisticRegression(C=-1.0).fit, X, y, why="C must be positive")
    assert_raises_value_error(impl.LogisticRegression().fit, X[:50], y[:50], why="one class cannot be classified")
    bad = X.copy()
    bad[0, 0] = np.nan
    assert_raises_value_error(impl.LogisticRegression().fit, bad, y, why="X contains NaN")
    assert_raises_value_error(impl.LogisticRegression().fit, X, X[:, 0], why="continuous targets are not classes")


def test_works_in_a_pipeline_with_cross_validation(impl):
    """make_pipeline(StandardScaler(), LogisticRegression()) gives scikit-learn's 5-fold accuracies on wine."""
    X, y = load_wine(return_X_y=True)
    got = cross_val_score(make_pipeline(StandardScaler(), impl.LogisticRegression(**TIGHT)), X, y)
    want = cross_val_score(make_pipeline(StandardScaler(), SkLogisticRegression(**TIGHT)), X, y)
    assert_close(got, want, rtol=0, atol=1e-12, what="cross_val_score accuracy per fold")


def test_passes_sklearn_estimator_checks(impl):
    """LogisticRegression passes scikit-learn's own estimator checks (classes_, decision_function, ...)."""
    assert_sklearn_compatible(impl.LogisticRegression())
