"""Checks for `naive-bayes`, against sklearn.naive_bayes.GaussianNB and MultinomialNB.

Data: iris, wine and breast_cancer (Gaussian), digits pixel counts and seeded Poisson count matrices
(multinomial), seeded Gaussian blobs. Both sides evaluate the same closed-form estimates and formulas, so
fitted attributes must agree to a relative 1e-9, probabilities to 1e-9 absolute, and predicted labels must
be identical; the only differences are round-off in sums. While your code runs, sklearn.naive_bayes is off.
"""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import naive_bayes as sk
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = present("sklearn.naive_bayes", ["GaussianNB", "MultinomialNB", "BernoulliNB", "ComplementNB",
                                             "CategoricalNB"])


def guarded(estimator, method, *args):
    """Call `estimator.method(*args)` with scikit-learn's naive Bayes classes switched off."""
    with forbid(sys.modules[type(estimator).__module__], *READY_MADE):
        return getattr(estimator, method)(*args)


def compare(got, want, X, attributes, what):
    """Fitted attributes, predict_proba and predict of the learner's model vs scikit-learn's."""
    expect(np.array_equal(got.classes_, want.classes_), f"{what}: classes_ should be {want.classes_}, got "
                                                        f"{getattr(got, 'classes_', None)}")
    for name in attributes:
        expect(hasattr(got, name), f"{what}: the fitted model should have the attribute {name}")
        assert_close(getattr(got, name), getattr(want, name), rtol=1e-9, atol=1e-12, what=f"{what}.{name}")
    proba = np.asarray(guarded(got, "predict_proba", X))
    expect(np.all(np.isfinite(proba)), f"{what}: predict_proba returned inf or NaN (normalize with logsumexp)")
    assert_close(proba, want.predict_proba(X), rtol=0, atol=1e-9, what=f"{what}.predict_proba(X)")
    labels, expected = np.asarray(guarded(got, "predict", X)), want.predict(X)
    expect(labels.shape == expected.shape and np.array_equal(labels, expected),
           f"{what}: predict differs from scikit-learn on {np.sum(labels != expected)} of {len(expected)} rows")


GAUSSIAN_ATTRIBUTES = ("theta_", "var_", "class_prior_", "class_count_")
MULTINOMIAL_ATTRIBUTES = ("feature_count_", "feature_log_prob_", "class_log_prior_", "class_count_")


def test_gaussian_on_bundled_data(impl):
    """GaussianNB on iris, wine and breast_cancer: theta_, var_, class_prior_, probabilities and labels match."""
    for loader in (load_iris, load_wine, load_breast_cancer):
        X, y = loader(return_X_y=True)
        got = guarded(impl.GaussianNB(), "fit", X, y)
        compare(got, sk.GaussianNB().fit(X, y), X, GAUSSIAN_ATTRIBUTES, f"GaussianNB on {loader.__name__[5:]}")


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.integers(2, 4), st.integers(1, 6), st.sampled_from([0.0, 1e-9, 1e-4, 0.1, 1.0]))
def test_gaussian_var_smoothing(impl, seed, n_classes, p, var_smoothing):
    """GaussianNB(var_smoothing) on random Gaussian classes matches scikit-learn, including var_ with its
    added epsilon = var_smoothing * largest feature variance."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=60)
    y[:n_classes] = np.arange(n_classes)  # every class present
    X = rng.normal(size=(n_classes, p))[y] * 2 + rng.normal(size=(60, p)) * rng.uniform(0.2, 3.0, size=p)
    got = guarded(impl.GaussianNB(var_smoothing=var_smoothing), "fit", X, y)
    compare(got, sk.GaussianNB(var_smoothing=var_smoothing).fit(X, y), X, GAUSSIAN_ATTRIBUTES,
            f"GaussianNB(var_smoothing={var_smoothing})")


def test_gaussian_constant_feature_and_far_points(impl):
    """A feature that is constant within a class gets variance epsilon, not 0; points far from every class
    (log-likelihoods near -1e6) still get finite probabilities that match scikit-learn's."""
    X, y = load_iris(return_X_y=True)
    X = np.column_stack([X, np.where(y == 0, 1.0, 2.0)])  # constant inside each class
    got = guarded(impl.GaussianNB(), "fit", X, y)
    want = sk.GaussianNB().fit(X, y)
    compare(got, want, X, GAUSSIAN_ATTRIBUTES, "GaussianNB with a class-constant feature")
    far = X[::10] * 30.0
    compare(got, want, far, (), "GaussianNB on points far from the data")


def test_multinomial_on_digits(impl):
    """MultinomialNB on digits (pixel counts 0..16) matches scikit-learn for alpha 0.01, 1, 10, with and
    without fitted priors."""
    X, y = load_digits(return_X_y=True)
    for alpha in (0.01, 1.0, 10.0):
        for fit_prior in (True, False):
            got = guarded(impl.MultinomialNB(alpha=alpha, fit_prior=fit_prior), "fit", X, y)
            want = sk.MultinomialNB(alpha=alpha, fit_prior=fit_prior).fit(X, y)
            compare(got, want, X, MULTINOMIAL_ATTRIBUTES, f"MultinomialNB(alpha={alpha}, fit_prior={fit_prior})")


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.integers(2, 4), st.integers(2, 30), st.floats(0.05, 3.0))
def test_multinomial_random_counts(impl, seed, n_classes, p, alpha):
    """On seeded Poisson word-count matrices (some words never seen in some classes) MultinomialNB matches
    scikit-learn: smoothing keeps every log-probability finite."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=50)
    y[:n_classes] = np.arange(n_classes)
    rates = rng.gamma(0.5, 2.0, size=(n_classes, p)) * (rng.random((n_classes, p)) < 0.7)
    X = rng.poisson(rates[y]).astype(float)
    got = guarded(impl.MultinomialNB(alpha=alpha), "fit", X, y)
    want = sk.MultinomialNB(alpha=alpha).fit(X, y)
    compare(got, want, X, MULTINOMIAL_ATTRIBUTES, f"MultinomialNB(alpha={alpha:.3g})")
    expect(np.all(np.isfinite(got.feature_log_prob_)), "feature_log_prob_ must be finite: add alpha to every count")


def test_string_labels(impl):
    """Labels may be strings: classes_ is sorted and predict returns the original labels."""
    X, y = load_wine(return_X_y=True)
    names = np.array(["nebbiolo", "grignolino", "barbera"])[y]
    compare(guarded(impl.GaussianNB(), "fit", X, names), sk.GaussianNB().fit(X, names), X, GAUSSIAN_ATTRIBUTES,
            "GaussianNB on string labels")


def test_bad_input_raises_value_error(impl):
    """Negative counts for MultinomialNB, alpha <= 0, var_smoothing < 0 and NaN in X raise ValueError."""
    X, y = load_iris(return_X_y=True)
    assert_raises_value_error(impl.MultinomialNB().fit, X - 5.0, y, why="MultinomialNB models non-negative counts")
    assert_raises_value_error(impl.MultinomialNB(alpha=0.0).fit, X, y, why="alpha must be positive")
    assert_raises_value_error(impl.MultinomialNB(alpha=-1.0).fit, X, y, why="alpha must be positive")
    assert_raises_value_error(impl.GaussianNB(var_smoothing=-1.0).fit, X, y, why="var_smoothing must be >= 0")
    bad = X.copy()
    bad[0, 0] = np.nan
    for cls in (impl.GaussianNB, impl.MultinomialNB):
        assert_raises_value_error(cls().fit, bad, y, why="X contains NaN")


def test_in_pipelines_and_grid_search(impl):
    """make_pipeline(StandardScaler(), GaussianNB()) gives scikit-learn's 5-fold accuracies on breast_cancer,
    and GridSearchCV over MultinomialNB's alpha on digits picks the same alpha with the same scores."""
    X, y = load_breast_cancer(return_X_y=True)
    got = cross_val_score(make_pipeline(StandardScaler(), impl.GaussianNB()), X, y)
    want = cross_val_score(make_pipeline(StandardScaler(), sk.GaussianNB()), X, y)
    assert_close(got, want, rtol=0, atol=1e-12, what="cross_val_score accuracy per fold")
    X, y = load_digits(return_X_y=True)
    grid = {"alpha": [0.01, 0.1, 1.0, 10.0]}
    got = GridSearchCV(impl.MultinomialNB(), grid, cv=3).fit(X, y)
    want = GridSearchCV(sk.MultinomialNB(), grid, cv=3).fit(X, y)
    expect(got.best_params_ == want.best_params_, f"best alpha: yours {got.best_params_}, scikit-learn "
                                                  f"{want.best_params_}")
    assert_close(got.cv_results_["mean_test_score"], want.cv_results_["mean_test_score"], rtol=0, atol=1e-12,
                 what="mean cross-validated accuracy per alpha")


def test_gaussian_passes_sklearn_estimator_checks(impl):
    """GaussianNB passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.GaussianNB())


def test_multinomial_passes_sklearn_estimator_checks(impl):
    """MultinomialNB passes scikit-learn's own estimator checks (keep the tags from the starter: it accepts
    only non-negative X)."""
    assert_sklearn_compatible(impl.MultinomialNB())
