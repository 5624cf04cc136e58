"""Checks for `knn`, against sklearn.neighbors.KNeighborsClassifier and KNeighborsRegressor.

Data: iris and wine (standardized) with a tiny seeded jitter (1e-3) so that no two training points are
at exactly the same distance from a query (which of two equidistant neighbours is kept is an
implementation detail), and seeded make_regression draws. Predicted labels must be identical; probabilities
and regression predictions must agree to 1e-9 (only round-off in the distances differs). Tied *votes* are
deliberate in some checks: the class first in `classes_` must win, as in scikit-learn. While your code runs,
sklearn.neighbors and the library distance functions (scipy cdist, sklearn pairwise distances) are off.
"""

from __future__ import annotations

import sys

import numpy as np
import scipy.spatial.distance  # noqa: F401  (loaded, so the guard can switch cdist off)
import sklearn.metrics.pairwise  # noqa: F401
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import neighbors as skn
from sklearn.datasets import load_iris, load_wine, make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_no_loops, forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = (*present("sklearn.neighbors", ["KNeighborsClassifier", "KNeighborsRegressor", "NearestNeighbors",
                                             "KDTree", "BallTree", "kneighbors_graph"]),
              *present("scipy.spatial.distance", ["cdist", "pdist"]),
              *present("sklearn.metrics.pairwise", ["euclidean_distances", "pairwise_distances",
                                                    "pairwise_distances_chunked", "nan_euclidean_distances"]),
              *present("sklearn.metrics", ["pairwise_distances", "pairwise_distances_chunked"]))


def guarded(estimator, method, *args):
    """Call `estimator.method(*args)` with the neighbour searches and distance functions switched off."""
    with forbid(sys.modules[type(estimator).__module__], *READY_MADE):
        return getattr(estimator, method)(*args)


def split(loader, seed=0):
    X, y = loader(return_X_y=True)
    rng = np.random.default_rng(seed)
    X = StandardScaler().fit_transform(X) + rng.normal(0.0, 1e-3, size=X.shape)
    order = rng.permutation(len(y))
    cut = 2 * len(y) // 3
    return X[order[:cut]], y[order[:cut]], X[order[cut:]], y[order[cut:]]


def compare_classifiers(impl, X, y, Xq, k, weights, what):
    got = guarded(impl.KNeighborsClassifier(n_neighbors=k, weights=weights), "fit", X, y)
    want = skn.KNeighborsClassifier(n_neighbors=k, weights=weights).fit(X, y)
    labels = np.asarray(guarded(got, "predict", Xq))
    expected = want.predict(Xq)
    expect(labels.shape == expected.shape and np.array_equal(labels, expected),
           f"{what}: predict differs from scikit-learn on {np.sum(labels != expected)} of {len(expected)} queries "
           f"(first at query {int(np.argmax(labels != expected)) if labels.shape == expected.shape else '?'})")
    assert_close(guarded(got, "predict_proba", Xq), want.predict_proba(Xq), rtol=0, atol=1e-9,
                 what=f"{what}.predict_proba")


def test_classifier_on_iris(impl):
    """KNeighborsClassifier on iris matches scikit-learn for k in 1, 3, 4, 5, 8 and both weightings."""
    X, y, Xq, _ = split(load_iris)
    for k in (1, 3, 4, 5, 8):
        for weights in ("uniform", "distance"):
            compare_classifiers(impl, X, y, Xq, k, weights, f"KNeighborsClassifier({k=}, {weights=})")


def test_classifier_on_wine_with_string_labels(impl):
    """On wine with string labels, classes_ is sorted and predictions and probabilities match scikit-learn."""
    X, y, Xq, _ = split(load_wine, seed=1)
    names = np.array(["barolo", "grignolino", "barbera"])[y]
    for k, weights in ((2, "uniform"), (6, "uniform"), (7, "distance")):
        compare_classifiers(impl, X, names, Xq, k, weights, f"KNeighborsClassifier({k=}, {weights=})")


def test_tied_vote_goes_to_the_first_class(impl):
    """With k = 2 and one neighbour of each class, the class that comes first in classes_ wins (scikit-learn's
    rule: the first maximum of predict_proba), whichever neighbour is nearer."""
    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    y = np.array(["b", "a", "c", "b"])
    queries = np.array([[0.2], [0.8], [10.3], [10.9]])
    compare_classifiers(impl, X, y, queries, 2, "uniform", "KNeighborsClassifier(n_neighbors=2)")
    got = guarded(guarded(impl.KNeighborsClassifier(n_neighbors=2), "fit", X, y), "predict", queries)
    expect(list(got) == ["a", "a", "b", "b"], f"tied votes should go to the class first in classes_: expected "
                                              f"['a', 'a', 'b', 'b'], got {list(got)}")


def test_distance_weights_with_an_exact_match(impl):
    """With weights='distance', a query sitting on training points (distance 0) is decided by those points
    alone (no division by zero, no NaN), as in scikit-learn."""
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    y_class = np.array([0, 1, 1, 2, 2])
    y_value = np.array([1.0, 2.0, 10.0, 20.0, 30.0])
    queries = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.5]])
    compare_classifiers(impl, X, y_class, queries, 3, "distance", "KNeighborsClassifier(weights='distance')")
    got = guarded(guarded(impl.KNeighborsRegressor(n_neighbors=3, weights="distance"), "fit", X, y_value),
                  "predict", queries)
    want = skn.KNeighborsRegressor(n_neighbors=3, weights="distance").fit(X, y_value).predict(queries)
    assert_close(got, want, rtol=1e-12, what="KNeighborsRegressor(weights='distance').predict at exact matches")


@settings(max_examples=12)
@given(st.integers(0, 10_000), st.integers(1, 9), st.sampled_from(["uniform", "distance"]), st.integers(1, 6))
def test_regressor_matches_sklearn(impl, seed, k, weights, p):
    """KNeighborsRegressor matches scikit-learn's predictions (rtol 1e-9) on random regression problems."""
    X, y = make_regression(n_samples=80, n_features=p, noise=1.0, random_state=seed)
    X, Xq, y = X[:60], X[60:], y[:60]
    got = guarded(impl.KNeighborsRegressor(n_neighbors=k, weights=weights), "fit", X, y)
    want = skn.KNeighborsRegressor(n_neighbors=k, weights=weights).fit(X, y)
    assert_close(guarded(got, "predict", Xq), want.predict(Xq), rtol=1e-9, atol=1e-9,
                 what=f"KNeighborsRegressor(n_neighbors={k}, weights={weights!r}).predict")


def test_k_equal_to_the_training_size(impl):
    """n_neighbors equal to the number of training points uses all of them: the uniform regressor predicts
    the mean target everywhere."""
    X, y = make_regression(n_samples=12, n_features=3, random_state=4)
    got = guarded(guarded(impl.KNeighborsRegressor(n_neighbors=12), "fit", X, y), "predict", X[:5] + 0.1)
    assert_close(got, np.full(5, y.mean()), what="predictions with k = n")


def test_bad_parameters_raise_value_error(impl):
    """n_neighbors < 1, n_neighbors above the number of training samples, an unknown weights name and
    NaN in X raise ValueError."""
    X, y = make_regression(n_samples=10, n_features=2, random_state=0)
    labels = (y > 0).astype(int)
    for cls, target in ((impl.KNeighborsClassifier, labels), (impl.KNeighborsRegressor, y)):
        assert_raises_value_error(cls(n_neighbors=0).fit, X, target, why="n_neighbors must be at least 1")
        assert_raises_value_error(cls(n_neighbors=11).fit, X, target, why="there are only 10 training samples")
        assert_raises_value_error(cls(weights="gaussian").fit, X, target, why="weights is 'uniform' or 'distance'")
        bad = X.copy()
        bad[2, 1] = np.nan
        assert_raises_value_error(cls().fit, bad, target, why="X contains NaN")


def test_no_python_loops(impl):
    """Distances, neighbour selection and votes are whole-array operations: no for/while loops or
    comprehensions in your functions (use broadcasting or the |a|^2 + |b|^2 - 2 a.b expansion, argpartition,
    take_along_axis)."""
    assert_no_loops(impl)


def test_grid_search_in_a_pipeline(impl):
    """GridSearchCV over n_neighbors for make_pipeline(StandardScaler(), KNeighborsClassifier()) on wine finds
    the same best k and the same cross-validated accuracies as with scikit-learn's classifier."""
    X, y = load_wine(return_X_y=True)
    grid = {"kneighborsclassifier__n_neighbors": [1, 3, 5, 9, 15]}
    got = GridSearchCV(make_pipeline(StandardScaler(), impl.KNeighborsClassifier()), grid, cv=5).fit(X, y)
    want = GridSearchCV(make_pipeline(StandardScaler(), skn.KNeighborsClassifier()), grid, cv=5).fit(X, y)
    expect(got.best_params_ == want.best_params_, f"best k: yours {got.best_params_}, scikit-learn {want.best_params_}")
    assert_close(got.cv_results_["mean_test_score"], want.cv_results_["mean_test_score"], rtol=0, atol=1e-12,
                 what="mean cross-validated accuracy per k")


def test_classifier_passes_sklearn_estimator_checks(impl):
    """KNeighborsClassifier passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.KNeighborsClassifier())


def test_regressor_passes_sklearn_estimator_checks(impl):
    """KNeighborsRegressor passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.KNeighborsRegressor())
