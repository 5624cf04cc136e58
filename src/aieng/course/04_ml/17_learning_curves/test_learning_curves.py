"""Checks for `learning-curves`, against sklearn.model_selection.learning_curve and validation_curve.

Same estimators, same data, same folds (an int cv is StratifiedKFold for a classifier, KFold otherwise,
unshuffled) and the same training prefixes give the same fits, so every score must equal scikit-learn's
to a relative 1e-12. While your code runs, sklearn.model_selection is switched off (sklearn.base.clone
stays available).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import model_selection as skms
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present

NAMES = ("learning_curve", "validation_curve", "KFold", "StratifiedKFold", "check_cv", "cross_val_score",
         "cross_validate", "GridSearchCV")
SWITCHED_OFF = tuple(name for module in ("sklearn.model_selection", "sklearn.model_selection._split",
                                         "sklearn.model_selection._validation",
                                         "sklearn.model_selection._plot")
                     for name in present(module, NAMES))
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def shuffled_iris(iris):
    """Iris in a fixed random order, so the first rows of a fold hold every class (logistic regression
    cannot fit a single class)."""
    X, y = iris
    order = np.random.default_rng(0).permutation(len(y))
    return X[order], y[order]


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def check_learning_curve(impl, estimator, X, y, train_sizes, cv, what: str) -> None:
    with forbid(impl, *SWITCHED_OFF):
        got = impl.learning_curve(estimator, X, y, train_sizes=train_sizes, cv=cv)
    expected = skms.learning_curve(estimator, X, y, train_sizes=train_sizes, cv=cv)
    expect(isinstance(got, tuple) and len(got) == 3,
           f"{what}: return (train_sizes_abs, train_scores, test_scores), got {type(got).__name__}")
    assert_close(np.asarray(got[0]), expected[0], rtol=0, atol=0, what=f"{what}: train_sizes_abs")
    assert_close(np.asarray(got[1], dtype=float), expected[1], rtol=1e-12,
                 what=f"{what}: train_scores, shape (n_ticks, n_folds)")
    assert_close(np.asarray(got[2], dtype=float), expected[2], rtol=1e-12,
                 what=f"{what}: test_scores, shape (n_ticks, n_folds)")


def test_learning_curve_tree_on_iris(impl, iris):
    """learning_curve(DecisionTreeClassifier, iris, fractions, cv=5) equals sklearn's: fractions of the first
    training fold's size (truncated), stratified folds for a classifier, the first k rows of each training
    fold, scores from estimator.score."""
    X, y = iris
    check_learning_curve(impl, DecisionTreeClassifier(random_state=0), X, y, np.linspace(0.1, 1.0, 5), 5,
                         "learning_curve(tree, iris, cv=5)")


def test_learning_curve_logistic_with_absolute_sizes(impl, shuffled_iris):
    """Integer train_sizes are absolute counts of training rows, used as they are (sorted, duplicates
    dropped): LogisticRegression on shuffled iris, cv=4, sizes [30, 60, 90, 112]."""
    X, y = shuffled_iris
    check_learning_curve(impl, LogisticRegression(max_iter=1000), X, y, [30, 60, 90, 112], 4,
                         "learning_curve(logistic regression, iris, sizes [30, 60, 90, 112], cv=4)")


@settings(max_examples=6, deadline=None)
@given(st.lists(st.floats(0.02, 1.0), min_size=1, max_size=4), st.integers(2, 6))
def test_learning_curve_ridge_on_diabetes(impl, diabetes, fractions, k):
    """Random fractions and fold counts on diabetes with Ridge: plain KFold for a regressor, R² scores,
    sizes int(fraction * largest training fold) clipped to at least 1 and de-duplicated, all as sklearn."""
    X, y = diabetes
    check_learning_curve(impl, Ridge(alpha=0.1), X, y, np.array(fractions), k,
                         f"learning_curve(ridge, diabetes, train_sizes={fractions}, cv={k})")


def test_learning_curve_accepts_a_splitter(impl, diabetes):
    """cv can be any splitter object with a split method (here a shuffled KFold): use its folds as given."""
    X, y = diabetes
    check_learning_curve(impl, Ridge(), X, y, [0.25, 0.5, 1.0], skms.KFold(3, shuffle=True, random_state=2),
                         "learning_curve(ridge, diabetes, cv=KFold(3, shuffle=True))")


def check_validation_curve(impl, estimator, X, y, name, values, cv, what: str) -> tuple[np.ndarray, np.ndarray]:
    with forbid(impl, *SWITCHED_OFF):
        got = impl.validation_curve(estimator, X, y, param_name=name, param_range=values, cv=cv)
    expected = skms.validation_curve(estimator, X, y, param_name=name, param_range=values, cv=cv)
    expect(isinstance(got, tuple) and len(got) == 2, f"{what}: return (train_scores, test_scores)")
    assert_close(np.asarray(got[0], dtype=float), expected[0], rtol=1e-12,
                 what=f"{what}: train_scores, shape (n_params, n_folds)")
    assert_close(np.asarray(got[1], dtype=float), expected[1], rtol=1e-12,
                 what=f"{what}: test_scores, shape (n_params, n_folds)")
    return np.asarray(got[0], dtype=float), np.asarray(got[1], dtype=float)


def test_validation_curve_ridge_alpha(impl, diabetes):
    """validation_curve(Ridge, diabetes, 'alpha', 10^-3..10^2, cv=4) equals sklearn's: each value set on a
    fresh clone, cross-validated on the same folds."""
    X, y = diabetes
    check_validation_curve(impl, Ridge(), X, y, "alpha", np.logspace(-3, 2, 6), 4,
                           "validation_curve(ridge, diabetes, alpha)")


def test_deep_tree_overfits_and_a_stump_underfits(impl, iris):
    """validation_curve over a tree's max_depth [1, 2, 3, None] on iris, as sklearn's. Read it: the
    unlimited tree is perfect on every training fold (train score exactly 1.0) but worse on the validation
    folds (overfitting); the depth-1 stump scores low on both, train and validation close together
    (underfitting, high bias)."""
    X, y = iris
    train, test = check_validation_curve(impl, DecisionTreeClassifier(random_state=0), X, y, "max_depth",
                                         [1, 2, 3, None], 5, "validation_curve(tree, iris, max_depth)")
    expect(np.all(train[-1] == 1.0), f"the unlimited tree should score 1.0 on its training folds, got {train[-1]}")
    expect(test[-1].mean() < 1.0, f"its validation score should be lower, got {test[-1].mean()}")
    expect(train[0].mean() < 0.7 and abs(train[0].mean() - test[0].mean()) < 0.05,
           f"the stump's train {train[0].mean():.3f} and validation {test[0].mean():.3f} scores should both "
           "be low and close")


def test_rejects_bad_input(impl, diabetes):
    """Fractions outside (0, 1], counts below 1 or above the largest training fold, an empty
    param_range, an unknown parameter and X, y of different lengths raise ValueError."""
    X, y = diabetes
    ridge = Ridge()
    n_max = len(y) - len(y) // 5 - (1 if len(y) % 5 else 0)  # largest training fold of 5 (= 353)
    for sizes, why in (([0.0, 0.5], "a fraction of 0"), ([0.5, 1.5], "a fraction above 1"),
                       ([0, 10], "a count of 0"), ([10, n_max + 1], f"more than the {n_max} training rows")):
        assert_raises_value_error(lambda s=sizes: impl.learning_curve(ridge, X, y, train_sizes=s, cv=5), why=why)
    assert_raises_value_error(lambda: impl.validation_curve(ridge, X, y, param_name="alpha", param_range=[], cv=3),
                              why="the parameter range is empty")
    assert_raises_value_error(lambda: impl.validation_curve(ridge, X, y, param_name="depth", param_range=[1], cv=3),
                              why="Ridge has no parameter 'depth'")
    assert_raises_value_error(lambda: impl.learning_curve(ridge, X, y[:-1], train_sizes=[0.5], cv=3),
                              why="X and y have different numbers of rows")
