"""Checks for `decision-trees`, against sklearn.tree and a brute-force split search written in this file.

Oracles: (1) the best single split found by trying every feature and every midpoint plainly (the
size-weighted impurity of your root split must equal the brute-force minimum to 1e-9); (2) scikit-learn's
DecisionTreeClassifier/Regressor, whose trees are identical where the best split is unique (identical
predictions on wine and iris up to depth 3 and on seeded regression data up to depth 3), and whose held-out
scores yours must match within a stated margin elsewhere (ties between equally good splits are broken in a
random feature order by scikit-learn, so deep trees may differ a little). While your code runs, sklearn.tree
and sklearn.ensemble are off.
"""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import tree as sk
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine, make_regression
from sklearn.model_selection import GridSearchCV, train_test_split

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = present("sklearn.tree", ["DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier",
                                      "ExtraTreeRegressor"]) + present(
    "sklearn.ensemble", ["RandomForestClassifier", "RandomForestRegressor", "GradientBoostingClassifier"])


def guarded(estimator, method, *args):
    """Call `estimator.method(*args)` with scikit-learn's trees switched off."""
    with forbid(sys.modules[type(estimator).__module__], *READY_MADE):
        return getattr(estimator, method)(*args)


def float32_exact(X):
    """scikit-learn trees work on float32 copies of X; data already representable in float32 is compared fairly."""
    return np.asarray(X, dtype=np.float32).astype(np.float64)


def impurity(values, criterion):
    """Impurity of one group: Gini or entropy of the labels, or the variance of the targets."""
    if criterion == "squared_error":
        return float(np.var(values))
    _, counts = np.unique(values, return_counts=True)
    p = counts / counts.sum()
    return float(1 - np.sum(p ** 2)) if criterion == "gini" else float(-np.sum(p * np.log2(p)))


def weighted_impurity(groups, target, criterion):
    """sum over groups of (group size) * impurity, divided by the total size."""
    return sum(np.sum(groups == g) * impurity(target[groups == g], criterion) for g in np.unique(groups)) / len(target)


def brute_force_best(X, target, criterion, min_samples_leaf):
    """Try every feature and every midpoint between consecutive distinct values; the lowest weighted impurity."""
    best = impurity(target, criterion)
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, j] <= t
            if min(left.sum(), (~left).sum()) >= min_samples_leaf:
                best = min(best, weighted_impurity(left, target, criterion))
    return best


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.sampled_from(["gini", "entropy", "squared_error"]), st.sampled_from([1, 3]))
def test_root_split_is_the_best_split(impl, seed, criterion, min_samples_leaf):
    """With max_depth=1 your tree splits the root where the weighted child impurity is lowest: the two leaves
    (from `apply`) have the same weighted impurity as the best of all features and midpoints tried by brute
    force (to 1e-9; ties between equally good splits are fine)."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(30, 3)), 1)  # rounded: repeated values, so "between distinct values" matters
    if criterion == "squared_error":
        y = X[:, 0] ** 2 + rng.normal(size=30)
        model = impl.DecisionTreeRegressor(max_depth=1, min_samples_leaf=min_samples_leaf)
    else:
        y = (X[:, 1] + rng.normal(size=30) > 0).astype(int) + (X[:, 2] > 0.5)
        model = impl.DecisionTreeClassifier(criterion=criterion, max_depth=1, min_samples_leaf=min_samples_leaf)
    guarded(model, "fit", X, y)
    leaves = np.asarray(guarded(model, "apply", X))
    expect(len(np.unique(leaves)) <= 2, "max_depth=1 allows one split, so at most two leaves")
    for leaf in np.unique(leaves):
        expect(np.sum(leaves == leaf) >= min_samples_leaf, f"a leaf holds fewer than min_samples_leaf="
                                                           f"{min_samples_leaf} training rows")
    got = weighted_impurity(leaves, y, criterion)
    want = brute_force_best(X, y, criterion, min_samples_leaf)
    assert_close(got, want, rtol=0, atol=1e-9, what=f"weighted {criterion} impurity of the root split")


def test_same_trees_as_sklearn_on_wine_and_iris(impl):
    """On wine and iris the best splits of shallow trees are unique (depth <= 3 with min_samples_leaf=1, depth <= 2
    with min_samples_leaf=5), so your predictions and probabilities equal scikit-learn's on every row, for gini
    and entropy."""
    for loader in (load_wine, load_iris):
        X, y = loader(return_X_y=True)
        for criterion in ("gini", "entropy"):
            for depth, leaf in ((1, 1), (2, 1), (3, 1), (1, 5), (2, 5)):
                params = dict(criterion=criterion, max_depth=depth, min_samples_leaf=leaf)
                got = guarded(impl.DecisionTreeClassifier(**params), "fit", X, y)
                want = sk.DecisionTreeClassifier(random_state=0, **params).fit(X, y)
                what = f"{loader.__name__[5:]} {params}"
                labels = np.asarray(guarded(got, "predict", X))
                expect(np.array_equal(labels, want.predict(X)),
                       f"{what}: predictions differ from scikit-learn on {np.sum(labels != want.predict(X))} rows")
                assert_close(guarded(got, "predict_proba", X), want.predict_proba(X), rtol=0, atol=1e-12,
                             what=f"{what}: predict_proba (class shares in the leaf)")


@settings(max_examples=10)
@given(st.integers(0, 10_000), st.sampled_from([(1, 1), (2, 3), (3, 5), (3, 10)]))
def test_same_regression_trees_as_sklearn(impl, seed, shape):
    """On seeded make_regression data (float32-exact, so scikit-learn sees the same numbers) with max_depth <= 3
    and min_samples_leaf >= 3, your leaf means equal scikit-learn's predictions on new points to 1e-9."""
    depth, leaf = shape
    X, y = make_regression(n_samples=200, n_features=5, noise=5.0, random_state=seed)
    X = float32_exact(X)
    X_new = float32_exact(np.random.default_rng(seed).normal(size=(100, 5)))
    got = guarded(impl.DecisionTreeRegressor(max_depth=depth, min_samples_leaf=leaf), "fit", X, y)
    want = sk.DecisionTreeRegressor(max_depth=depth, min_samples_leaf=leaf, random_state=0).fit(X, y)
    assert_close(guarded(got, "predict", X_new), want.predict(X_new), rtol=1e-9, atol=1e-9,
                 what=f"DecisionTreeRegressor(max_depth={depth}, min_samples_leaf={leaf}).predict")


def test_held_out_scores_match_sklearn(impl):
    """Mean held-out accuracy (iris, wine, breast_cancer) or R^2 (diabetes) over 5 seeded 75/25 splits is within
    0.03 accuracy / 0.05 R^2 of scikit-learn's, for max_depth 3, 5 and None. (Deep trees may break ties between
    equally good splits differently; the observed gap for a correct tree is under 0.01 / 0.02.)"""
    for loader in (load_iris, load_wine, load_breast_cancer, load_diabetes):
        X, y = loader(return_X_y=True)
        regression = loader is load_diabetes
        mine, theirs = (impl.DecisionTreeRegressor, sk.DecisionTreeRegressor) if regression else (
            impl.DecisionTreeClassifier, sk.DecisionTreeClassifier)
        for depth in (3, 5, None):
            got, want = [], []
            for seed in range(5):
                X_a, X_b, y_a, y_b = train_test_split(X, y, random_state=seed)
                got.append(guarded(guarded(mine(max_depth=depth), "fit", X_a, y_a), "score", X_b, y_b))
                want.append(theirs(max_depth=depth, random_state=0).fit(X_a, y_a).score(X_b, y_b))
            margin = 0.05 if regression else 0.03
            expect(np.mean(got) >= np.mean(want) - margin,
                   f"{loader.__name__[5:]}, max_depth={depth}: mean held-out {'R^2' if regression else 'accuracy'} "
                   f"{np.mean(got):.3f}, scikit-learn {np.mean(want):.3f} (allowed gap {margin})")


def test_stopping_rules(impl):
    """max_depth, min_samples_split and min_samples_leaf are honoured: depth and leaf sizes stay within limits,
    a fully grown tree fits its training data exactly, and a node with fewer than min_samples_split rows is a leaf."""
    X, y = load_breast_cancer(return_X_y=True)
    full = guarded(impl.DecisionTreeClassifier(), "fit", X, y)
    expect(full.score(X, y) == 1.0, "a fully grown tree (max_depth=None) should classify its training rows perfectly")
    for depth in (1, 2, 4):
        model = guarded(impl.DecisionTreeClassifier(max_depth=depth), "fit", X, y)
        expect(model.get_depth() == depth, f"max_depth={depth}: get_depth() returned {model.get_depth()}")
    model = guarded(impl.DecisionTreeClassifier(min_samples_leaf=20), "fit", X, y)
    sizes = np.bincount(np.asarray(guarded(model, "apply", X)))
    expect(sizes[sizes > 0].min() >= 20, f"min_samples_leaf=20 but a leaf holds {sizes[sizes > 0].min()} rows")
    stump = guarded(impl.DecisionTreeClassifier(min_samples_split=len(X) + 1), "fit", X, y)
    expect(stump.get_n_leaves() == 1, "min_samples_split larger than the data set: the root must stay a leaf")


def test_bad_input_raises_value_error(impl):
    """Unknown criterion, max_depth < 1, min_samples_split < 2, min_samples_leaf < 1 and NaN in X raise ValueError."""
    X, y = load_iris(return_X_y=True)
    assert_raises_value_error(impl.DecisionTreeClassifier(criterion="mse").fit, X, y, why="unknown criterion")
    assert_raises_value_error(impl.DecisionTreeRegressor(criterion="gini").fit, X, y.astype(float),
                              why="a regression tree splits on squared error")
    for cls in (impl.DecisionTreeClassifier, impl.DecisionTreeRegressor):
        assert_raises_value_error(cls(max_depth=0).fit, X, y, why="max_depth must be at least 1")
        assert_raises_value_error(cls(min_samples_split=1).fit, X, y, why="min_samples_split must be at least 2")
        assert_raises_value_error(cls(min_samples_leaf=0).fit, X, y, why="min_samples_leaf must be at least 1")
        bad = X.copy()
        bad[3, 1] = np.nan
        assert_raises_value_error(cls().fit, bad, y, why="X contains NaN")


def test_in_grid_search(impl):
    """GridSearchCV over max_depth on breast_cancer runs with your classifier and its best cross-validated
    accuracy is within 0.03 of scikit-learn's tree's."""
    X, y = load_breast_cancer(return_X_y=True)
    grid = {"max_depth": [1, 2, 3, 4]}
    got = GridSearchCV(impl.DecisionTreeClassifier(), grid, cv=3).fit(X, y)
    want = GridSearchCV(sk.DecisionTreeClassifier(random_state=0), grid, cv=3).fit(X, y)
    expect(got.best_score_ >= want.best_score_ - 0.03, f"best cross-validated accuracy {got.best_score_:.3f}, "
                                                       f"scikit-learn {want.best_score_:.3f}")


def test_classifier_passes_sklearn_estimator_checks(impl):
    """DecisionTreeClassifier passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.DecisionTreeClassifier())


def test_regressor_passes_sklearn_estimator_checks(impl):
    """DecisionTreeRegressor passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.DecisionTreeRegressor())
