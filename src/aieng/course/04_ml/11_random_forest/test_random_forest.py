"""Checks for `random-forest`, against sklearn.ensemble and statistics computed plainly in this file.

Oracles: (1) with one feature (no ties between features) and scikit-learn's resampling scheme, a bagged
regression forest is the very same forest as sklearn.ensemble.RandomForestRegressor: predictions and
out-of-bag R^2 to 1e-9; (2) with bootstrap=False and all features, every tree equals sklearn's
DecisionTreeClassifier; (3) elsewhere (feature subsets are drawn differently) held-out and out-of-bag scores
within a stated margin of scikit-learn's on iris, wine, breast_cancer and diabetes; (4) the variance of
predictions across seeded training sets, computed here, drops as it does for scikit-learn's forest.
While your code runs, sklearn.ensemble is off.
"""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import ensemble as sk
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine, make_regression
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = present("sklearn.ensemble", ["BaggingClassifier", "BaggingRegressor", "RandomForestClassifier",
                                          "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor"])


def guarded(estimator, method, *args):
    """Call `estimator.method(*args)` with scikit-learn's ensembles switched off."""
    with forbid(sys.modules[type(estimator).__module__], *READY_MADE):
        return getattr(estimator, method)(*args)


def float32_exact(X):
    """scikit-learn trees work on float32 copies of X; data already representable in float32 is compared fairly."""
    return np.asarray(X, dtype=np.float32).astype(np.float64)


@settings(max_examples=4)
@given(st.integers(0, 10_000), st.sampled_from([3, None]))
def test_bagged_regression_trees_equal_sklearn(impl, seed, max_depth):
    """RandomForestRegressor(n_estimators=40, max_depth, oob_score=True, random_state=seed) on one float32-exact
    feature equals scikit-learn's forest: same seeds per tree (random_state.randint(2**31 - 1, size=B)), same
    bootstrap rows (RandomState(seed_b).randint(0, n, n)), same trees. Predictions and oob_score_ to 1e-9
    (40 trees: every row is out of bag for some tree, except with probability about 2e-6)."""
    X, y = make_regression(n_samples=100, n_features=1, noise=10.0, random_state=seed)
    X = float32_exact(X)
    X_new = float32_exact(np.random.default_rng(seed).normal(size=(60, 1)))
    params = dict(n_estimators=40, max_depth=max_depth, oob_score=True, random_state=seed)
    got = guarded(impl.RandomForestRegressor(**params), "fit", X, y)
    want = sk.RandomForestRegressor(**params).fit(X, y)
    assert_close(guarded(got, "predict", X_new), want.predict(X_new), rtol=1e-9, atol=1e-9,
                 what=f"RandomForestRegressor(max_depth={max_depth}).predict")
    assert_close(got.oob_score_, want.oob_score_, rtol=0, atol=1e-9, what="oob_score_ (R^2 of out-of-bag means)")


def test_without_bootstrap_every_tree_is_the_full_tree(impl):
    """bootstrap=False with max_features=None: every tree sees all rows and all features, so the forest's
    probabilities equal one scikit-learn DecisionTreeClassifier(max_depth=3) on wine (its splits are unique)."""
    X, y = load_wine(return_X_y=True)
    forest = guarded(impl.RandomForestClassifier(n_estimators=3, max_depth=3, bootstrap=False, max_features=None,
                                                 random_state=0), "fit", X, y)
    want = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y).predict_proba(X)
    assert_close(guarded(forest, "predict_proba", X), want, rtol=0, atol=1e-12, what="predict_proba")


def test_scores_and_oob_close_to_sklearn(impl):
    """30 seeded trees, 2 seeded 75/25 splits per data set: the mean held-out accuracy (iris, wine,
    breast_cancer) or R^2 (diabetes) and the mean out-of-bag score are within 0.03 (accuracy) / 0.04 (R^2) of
    scikit-learn's forest with the same settings. Feature subsets are drawn differently, so only the scores
    can agree; for a correct forest the observed gaps are under 0.015 / 0.02."""
    for loader in (load_iris, load_wine, load_breast_cancer, load_diabetes):
        X, y = loader(return_X_y=True)
        regression = loader is load_diabetes
        mine, theirs = (impl.RandomForestRegressor, sk.RandomForestRegressor) if regression else (
            impl.RandomForestClassifier, sk.RandomForestClassifier)
        scores = np.zeros((2, 2, 2))  # (mine/theirs, held-out/oob, split)
        for seed in range(2):
            X_a, X_b, y_a, y_b = train_test_split(X, y, random_state=seed)
            got = guarded(mine(n_estimators=30, oob_score=True, random_state=seed), "fit", X_a, y_a)
            want = theirs(n_estimators=30, oob_score=True, random_state=seed).fit(X_a, y_a)
            scores[:, 0, seed] = guarded(got, "score", X_b, y_b), want.score(X_b, y_b)
            scores[:, 1, seed] = got.oob_score_, want.oob_score_
        mean = scores.mean(axis=2)
        margin = 0.04 if regression else 0.03
        for k, what in enumerate(("held-out score", "oob_score_")):
            expect(abs(mean[0, k] - mean[1, k]) <= margin,
                   f"{loader.__name__[5:]}: mean {what} {mean[0, k]:.3f}, scikit-learn {mean[1, k]:.3f} "
                   f"(allowed gap {margin})")


def test_bagging_reduces_variance(impl):
    """Over 10 seeded training sets (y = sin 3x + noise, 100 rows), the variance of predictions at 50 fixed
    points, computed here, is for a 20-tree forest about half that of one fully grown tree: the ratio must be
    below 0.7 and within 0.05 of the ratio for scikit-learn's forest (the same forest here: one feature)."""
    rng = np.random.default_rng(0)
    grid = np.linspace(0, 2, 50)[:, None]
    predictions = {"tree": [], "yours": [], "scikit-learn": []}
    for r in range(10):
        X = float32_exact(rng.uniform(0, 2, size=(100, 1)))
        y = np.sin(3 * X[:, 0]) + rng.normal(0, 0.3, size=100)
        predictions["tree"].append(DecisionTreeRegressor(random_state=0).fit(X, y).predict(grid))
        forest = guarded(impl.RandomForestRegressor(n_estimators=20, random_state=r), "fit", X, y)
        predictions["yours"].append(guarded(forest, "predict", grid))
        predictions["scikit-learn"].append(sk.RandomForestRegressor(n_estimators=20, random_state=r).fit(X, y)
                                           .predict(grid))
    variance = {k: float(np.mean(np.var(np.array(v), axis=0))) for k, v in predictions.items()}
    ratio, want = variance["yours"] / variance["tree"], variance["scikit-learn"] / variance["tree"]
    expect(ratio < 0.7 and abs(ratio - want) <= 0.05,
           f"forest/tree prediction variance ratio {ratio:.3f}, scikit-learn's forest {want:.3f}")


def test_oob_attributes(impl):
    """oob_decision_function_ has shape (n_samples, n_classes) with rows summing to 1, oob_score_ is the
    accuracy of its argmax; for the regressor oob_score_ is the R^2 of oob_prediction_. (40 trees: the chance
    that some row is in every bootstrap sample is below 1e-5.)"""
    X, y = load_breast_cancer(return_X_y=True)
    model = impl.RandomForestClassifier(n_estimators=40, max_depth=6, oob_score=True, random_state=1)
    forest = guarded(model, "fit", X, y)
    oob = np.asarray(forest.oob_decision_function_)
    expect(oob.shape == (len(y), 2), f"oob_decision_function_ should have shape {(len(y), 2)}, got {oob.shape}")
    assert_close(oob.sum(axis=1), np.ones(len(y)), rtol=0, atol=1e-9, what="rows of oob_decision_function_")
    assert_close(forest.oob_score_, accuracy_score(y, forest.classes_[oob.argmax(axis=1)]), rtol=0, atol=1e-12,
                 what="oob_score_ vs accuracy of the out-of-bag votes")
    X, y = load_diabetes(return_X_y=True)
    model = impl.RandomForestRegressor(n_estimators=40, max_depth=6, oob_score=True, random_state=1)
    forest = guarded(model, "fit", X, y)
    assert_close(forest.oob_score_, r2_score(y, forest.oob_prediction_), rtol=0, atol=1e-12,
                 what="oob_score_ vs R^2 of oob_prediction_")


def test_bagging_classifier(impl):
    """BaggingClassifier(KNeighborsClassifier(), n_estimators=10) reaches scikit-learn's BaggingClassifier's
    mean held-out accuracy on breast_cancer within 0.03 (3 seeded splits); estimator=None bags decision trees
    and labels may be strings."""
    X, y = load_breast_cancer(return_X_y=True)
    got, want = [], []
    for seed in range(3):
        X_a, X_b, y_a, y_b = train_test_split(X, y, random_state=seed)
        model = guarded(impl.BaggingClassifier(KNeighborsClassifier(), n_estimators=10, random_state=seed), "fit",
                        X_a, y_a)
        got.append(guarded(model, "score", X_b, y_b))
        want.append(sk.BaggingClassifier(KNeighborsClassifier(), n_estimators=10, random_state=seed)
                    .fit(X_a, y_a).score(X_b, y_b))
    expect(abs(np.mean(got) - np.mean(want)) <= 0.03, f"mean held-out accuracy {np.mean(got):.3f}, scikit-learn "
                                                       f"{np.mean(want):.3f}")
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    trees = guarded(impl.BaggingClassifier(random_state=0), "fit", X, names)
    expect(guarded(trees, "score", X, names) > 0.95, "bagged trees on iris should fit the training data well")


def test_random_state_reproducible(impl):
    """The same random_state gives the same forest; a different one a different forest."""
    X, y = load_wine(return_X_y=True)
    runs = [guarded(guarded(impl.RandomForestClassifier(n_estimators=10, random_state=s), "fit", X, y),
                    "predict_proba", X) for s in (3, 3, 4)]
    expect(np.array_equal(runs[0], runs[1]), "random_state=3 twice gave different probabilities")
    expect(not np.array_equal(runs[0], runs[2]), "random_state=3 and 4 gave identical forests: is the seed used?")


def test_bad_input_raises_value_error(impl):
    """n_estimators < 1, oob_score without bootstrap, an unknown max_features and NaN in X raise ValueError."""
    X, y = load_iris(return_X_y=True)
    for cls in (impl.RandomForestClassifier, impl.RandomForestRegressor, impl.BaggingClassifier):
        assert_raises_value_error(cls(n_estimators=0).fit, X, y, why="n_estimators must be at least 1")
        assert_raises_value_error(cls(oob_score=True, bootstrap=False).fit, X, y,
                                  why="out-of-bag scores need bootstrap samples")
        bad = X.copy()
        bad[2, 2] = np.nan
        assert_raises_value_error(cls().fit, bad, y, why="X contains NaN")
    assert_raises_value_error(impl.RandomForestClassifier(max_features="half").fit, X, y,
                              why="max_features must be None, 'sqrt', 'log2', an int or a float")


def test_forest_classifier_passes_sklearn_estimator_checks(impl):
    """RandomForestClassifier(n_estimators=10) passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.RandomForestClassifier(n_estimators=10))


def test_forest_regressor_passes_sklearn_estimator_checks(impl):
    """RandomForestRegressor(n_estimators=10) passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.RandomForestRegressor(n_estimators=10))


def test_bagging_classifier_passes_sklearn_estimator_checks(impl):
    """BaggingClassifier passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.BaggingClassifier())
