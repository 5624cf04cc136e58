"""Checks for `gradient-boosting`, against sklearn.ensemble.GradientBoostingRegressor and
GradientBoostingClassifier (subsample=1.0, same n_estimators, learning_rate, max_depth and random_state).

Both sides grow the same scikit-learn DecisionTreeRegressor on the same pseudo-residuals (X cast to float32,
one shared random generator), so the trees split the training rows identically and predictions, staged
predictions, probabilities and train_score_ on the training rows must agree to 1e-9: only the order of
floating-point sums may differ. Away from the training rows the ensembles may legitimately differ a little:
two features often split the training rows in exactly the same way (correlated features, small leaves), and
which one the tree keeps then depends on the last bit of the pseudo-residuals; so on new rows the tests
compare R^2 or accuracy within a stated margin instead. Data: diabetes,
breast_cancer and seeded make_regression / make_classification. While your code runs, scikit-learn's gradient
boosting estimators are switched off (DecisionTreeRegressor stays available: it is your weak learner).
"""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit
from sklearn import ensemble as sk
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification, make_regression
from sklearn.model_selection import GridSearchCV, train_test_split

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = present("sklearn.ensemble", ["GradientBoostingRegressor", "GradientBoostingClassifier",
                                          "HistGradientBoostingRegressor", "HistGradientBoostingClassifier"])
TOL = {"rtol": 1e-9, "atol": 1e-9}


def guarded(estimator, method, *args):
    """Call `estimator.method(*args)` with scikit-learn's gradient boosting switched off."""
    with forbid(sys.modules[type(estimator).__module__], *READY_MADE):
        result = getattr(estimator, method)(*args)
        return list(result) if method.startswith("staged_") else result


def compare_regressor(impl, X, y, X_new, what, **params):
    """Fit both regressors with `params`; compare predictions, staged predictions and train_score_."""
    got = guarded(impl.GradientBoostingRegressor(**params), "fit", X, y)
    want = sk.GradientBoostingRegressor(**params).fit(X, y)
    assert_close(got.initial_prediction_, np.mean(y), **TOL, what=f"{what}: initial_prediction_ (the mean of y)")
    assert_close(guarded(got, "predict", X), want.predict(X), **TOL, what=f"{what}: predict on the training rows")
    stages = guarded(got, "staged_predict", X)
    expect(len(stages) == params["n_estimators"], f"{what}: staged_predict should yield one prediction per "
                                                  f"stage ({params['n_estimators']}), got {len(stages)}")
    for m, (mine, theirs) in enumerate(zip(stages, want.staged_predict(X), strict=True)):
        assert_close(mine, theirs, **TOL, what=f"{what}: staged_predict on the training rows after {m + 1} trees")
    assert_close(got.train_score_, want.train_score_, **TOL, what=f"{what}: train_score_ (training MSE per stage)")
    y_new = want.predict(X_new)  # judge new rows against scikit-learn's own predictions
    spread = np.sum((y_new - y_new.mean()) ** 2)
    agreement = 1 - np.sum((np.asarray(guarded(got, "predict", X_new)) - y_new) ** 2) / spread
    expect(agreement >= 0.98, f"{what}: on new rows your predictions explain only {agreement:.3f} of the variance "
                              f"of scikit-learn's (R^2 of yours against theirs; at least 0.98 expected)")
    return got


def test_regressor_on_diabetes(impl):
    """On diabetes (70% to train), for several learning rates and depths, predictions and every staged
    prediction on the training rows equal scikit-learn's to 1e-9, train_score_ is the training MSE per stage,
    initial_prediction_ is the mean of y, and on the held-out rows your predictions reach an R^2 of at least
    0.98 against scikit-learn's."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=0)
    for rate, depth in ((0.1, 3), (0.5, 1), (1.0, 2)):
        compare_regressor(impl, X_train, y_train, X_test, f"regressor(learning_rate={rate}, max_depth={depth})",
                          n_estimators=30, learning_rate=rate, max_depth=depth, random_state=0)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8), st.sampled_from([0.05, 0.3, 1.0]), st.integers(1, 4))
def test_regressor_random_problems(impl, seed, p, rate, depth):
    """On seeded make_regression problems with noise, predictions match scikit-learn's to 1e-9 and the
    training MSE never increases from one stage to the next (a least-squares tree added with a learning rate
    in (0, 2) can only lower the squared loss)."""
    X, y = make_regression(n_samples=120, n_features=p, noise=10.0, random_state=seed)
    got = compare_regressor(impl, X, y, X[:20] + 0.1, f"regressor on make_regression seed {seed}",
                            n_estimators=15, learning_rate=rate, max_depth=depth, random_state=seed)
    score = np.asarray(got.train_score_)
    expect(np.all(np.diff(score) <= 1e-9 * score[:-1]), f"training MSE increased between stages: {score}")


def compare_classifier(impl, X, y, X_new, what, **params):
    """Fit both classifiers; compare decision_function, predict_proba, predict, staged probabilities."""
    got = guarded(impl.GradientBoostingClassifier(**params), "fit", X, y)
    want = sk.GradientBoostingClassifier(**params).fit(X, y)
    expect(np.array_equal(got.classes_, want.classes_), f"{what}: classes_ should be {want.classes_}")
    share = np.mean(y == want.classes_[1])
    assert_close(got.initial_prediction_, np.log(share / (1 - share)), **TOL,
                 what=f"{what}: initial_prediction_ (log-odds of classes_[1])")
    assert_close(guarded(got, "decision_function", X), want.decision_function(X), **TOL,
                 what=f"{what}: decision_function on the training rows (leaf values by one Newton step?)")
    assert_close(guarded(got, "predict_proba", X), want.predict_proba(X), **TOL,
                 what=f"{what}: predict_proba on the training rows")
    labels = np.asarray(guarded(got, "predict", X))
    expect(np.array_equal(labels, want.predict(X)), f"{what}: predict differs on the training rows")
    for m, (mine, theirs) in enumerate(zip(guarded(got, "staged_predict_proba", X),
                                           want.staged_predict_proba(X), strict=True)):
        assert_close(mine, theirs, **TOL, what=f"{what}: staged_predict_proba on the training rows after {m + 1} "
                                              f"trees")
    agree = np.mean(np.asarray(guarded(got, "predict", X_new)) == want.predict(X_new))
    expect(agree >= 0.9, f"{what}: on new rows your labels agree with scikit-learn's on only {agree:.0%} "
                         f"(at least 90% expected)")
    assert_close(got.train_score_, want.train_score_, **TOL,
                 what=f"{what}: train_score_ (twice the mean log loss after each stage)")
    return got


def test_classifier_on_breast_cancer(impl):
    """On breast_cancer (70% to train), decision_function, predict_proba, predict, staged probabilities and
    train_score_ on the training rows equal scikit-learn's to 1e-9 for two settings, held-out labels agree on
    at least 90% of rows (in practice all but a few), and the training deviance ends far below where it
    started."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.3, random_state=0)
    for rate, depth in ((0.1, 3), (0.5, 1)):
        got = compare_classifier(impl, X_train, y_train, X_test, f"classifier(learning_rate={rate}, "
                                 f"max_depth={depth})", n_estimators=30, learning_rate=rate, max_depth=depth,
                                 random_state=0)
        p = np.mean(y_train)
        start = -2 * (p * np.log(p) + (1 - p) * np.log(1 - p))
        expect(got.train_score_[-1] < 0.5 * start, f"the training deviance should fall from {start:.3f} to less "
                                                   f"than half of it, got {got.train_score_[-1]:.3f}")


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 0.9), st.sampled_from([0.1, 0.5]), st.integers(1, 3))
def test_classifier_random_problems(impl, seed, weight, rate, depth):
    """On seeded make_classification problems, balanced or not, with noisy labels, the classifier matches
    scikit-learn's to 1e-9 on the training rows (initial log-odds, Newton leaf values, probabilities, labels)."""
    X, y = make_classification(n_samples=120, n_features=5, weights=[weight], flip_y=0.1, random_state=seed)
    if len(np.unique(y)) < 2:
        return
    compare_classifier(impl, X, y, X[:20] * 1.1, f"classifier on make_classification seed {seed}",
                       n_estimators=10, learning_rate=rate, max_depth=depth, random_state=seed)


def test_string_labels(impl):
    """Labels may be strings: classes_ is sorted, probabilities are for classes_[1], predict returns strings."""
    X, y = load_breast_cancer(return_X_y=True)
    names = np.array(["malignant", "benign"])[y]
    compare_classifier(impl, X, names, X[:50], "classifier on string labels", n_estimators=5, random_state=0)


def test_probabilities_are_the_sigmoid_of_the_score(impl):
    """predict_proba is [1 - sigmoid(F), sigmoid(F)] of decision_function F; rows sum to 1."""
    X, y = make_classification(n_samples=100, n_features=4, random_state=3)
    got = guarded(impl.GradientBoostingClassifier(n_estimators=10, random_state=0), "fit", X, y)
    score = np.asarray(guarded(got, "decision_function", X))
    expect(score.shape == (100,), f"decision_function should have shape (100,), got {score.shape}")
    assert_close(guarded(got, "predict_proba", X), np.column_stack([1 - expit(score), expit(score)]), rtol=1e-12,
                 atol=1e-12, what="predict_proba vs sigmoid(decision_function)")


def test_bad_input_raises_value_error(impl):
    """n_estimators < 1, learning_rate <= 0, max_depth < 1, NaN in X, and more than two classes for the
    classifier raise ValueError."""
    X, y = load_diabetes(return_X_y=True)
    for bad in ({"n_estimators": 0}, {"learning_rate": 0.0}, {"learning_rate": -0.1}, {"max_depth": 0}):
        assert_raises_value_error(impl.GradientBoostingRegressor(**bad).fit, X, y, why=f"invalid parameter {bad}")
        assert_raises_value_error(impl.GradientBoostingClassifier(**bad).fit, X, y > 140,
                                  why=f"invalid parameter {bad}")
    bad_X = X.copy()
    bad_X[5, 2] = np.nan
    assert_raises_value_error(impl.GradientBoostingRegressor().fit, bad_X, y, why="X contains NaN")
    assert_raises_value_error(impl.GradientBoostingClassifier().fit, X, np.arange(len(y)) % 3,
                              why="this classifier handles two classes only")


def test_grid_search_over_learning_rate(impl):
    """GridSearchCV over learning_rate for the regressor on diabetes (3 folds) gives scikit-learn's mean
    cross-validated R^2 per learning rate to 1e-3 (scores on held-out folds: see the module docstring) and
    picks the same one."""
    X, y = load_diabetes(return_X_y=True)
    grid = {"learning_rate": [0.05, 0.2, 0.8]}
    got = GridSearchCV(impl.GradientBoostingRegressor(n_estimators=20, max_depth=2, random_state=0), grid, cv=3)
    got = guarded(got, "fit", X, y)
    want = GridSearchCV(sk.GradientBoostingRegressor(n_estimators=20, max_depth=2, random_state=0), grid,
                        cv=3).fit(X, y)
    assert_close(got.cv_results_["mean_test_score"], want.cv_results_["mean_test_score"], rtol=0, atol=1e-3,
                 what="mean cross-validated R^2 per learning rate")
    expect(got.best_params_ == want.best_params_, f"best learning rate: yours {got.best_params_}, scikit-learn "
                                                  f"{want.best_params_}")


def test_regressor_passes_sklearn_estimator_checks(impl):
    """GradientBoostingRegressor passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.GradientBoostingRegressor())


def test_classifier_passes_sklearn_estimator_checks(impl):
    """GradientBoostingClassifier passes scikit-learn's own estimator checks (keep the starter's tags: it is
    binary only, and must say "Only binary classification is supported" for more classes)."""
    assert_sklearn_compatible(impl.GradientBoostingClassifier())
