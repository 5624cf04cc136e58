"""Checks for `perceptron`, against sklearn.linear_model.Perceptron and scikit-learn's estimator checks.

The perceptron rule is deterministic given the order of the examples, so with shuffle=False your weights
must equal scikit-learn's (the same updates in the same order), up to round-off: relative 1e-9. With
shuffling the orders differ, so those tests check what any correct run guarantees instead: 100% training
accuracy on separable data (Novikoff's theorem) and at most 75% on XOR (no line separates it). While your
code runs, scikit-learn's Perceptron and SGDClassifier are switched off.
"""

from __future__ import annotations

import numpy as np
from sklearn import linear_model
from sklearn.datasets import load_iris, make_blobs
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = ("sklearn.linear_model.Perceptron", "sklearn.linear_model.SGDClassifier")
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def guarded(impl, fn, *args):
    """fn(*args) with scikit-learn's perceptron and SGD classifier switched off."""
    with forbid(impl, *READY_MADE):
        return fn(*args)


def fit(impl, X, y, **params):
    model = impl.Perceptron(**params)
    fitted = guarded(impl, model.fit, X, y)
    expect(fitted is model, "fit must return self")
    return model


def blobs(seed, centers, spread):
    """Seeded Gaussian blobs: well apart (separable) for small spread, overlapping for large."""
    return make_blobs(n_samples=60, centers=centers, cluster_std=spread, random_state=seed)


def test_same_weights_as_scikit_learn_without_shuffling(impl):
    """With shuffle=False, coef_ and intercept_ equal sklearn's Perceptron(shuffle=False), two and three classes."""
    for seed in range(4):
        for centers in (2, 3):
            for spread in (0.6, 3.0):  # separable, then overlapping (where tol decides when to stop)
                X, y = blobs(seed, centers, spread)
                want = linear_model.Perceptron(shuffle=False).fit(X, y)
                got = fit(impl, X, y, shuffle=False)
                what = f"blobs(seed={seed}, centers={centers}, cluster_std={spread})"
                assert_close(got.coef_, want.coef_, rtol=1e-9, atol=1e-9, what=f"coef_ on {what}")
                assert_close(got.intercept_, want.intercept_, rtol=1e-9, atol=1e-9, what=f"intercept_ on {what}")
                predicted = guarded(impl, got.predict, X)
                expect(np.array_equal(predicted, want.predict(X)), f"predict on {what} differs from scikit-learn's")


def test_without_early_stopping_it_runs_until_a_clean_epoch(impl):
    """With tol=None on 3 separable blobs, the weights equal sklearn's Perceptron(shuffle=False, tol=None)."""
    X, y = blobs(1, 3, 0.8)  # every class separable from the rest: the rule converges after 16 epochs
    want = linear_model.Perceptron(shuffle=False, tol=None).fit(X, y)
    got = fit(impl, X, y, shuffle=False, tol=None)
    assert_close(got.coef_, want.coef_, rtol=1e-9, atol=1e-9, what="coef_ with tol=None")
    assert_close(got.intercept_, want.intercept_, rtol=1e-9, atol=1e-9, what="intercept_ with tol=None")


def test_separable_data_is_learned_perfectly(impl):
    """On separable blobs, with shuffling, training accuracy is 100% (as for sklearn) and w separates the data."""
    for seed in range(5):
        X, y = make_blobs(n_samples=80, centers=[[-3.0, -3.0], [3.0, 3.0]], cluster_std=1.0, random_state=seed)
        expect(linear_model.Perceptron(random_state=seed).fit(X, y).score(X, y) == 1.0, "oracle sanity check")
        model = fit(impl, X, y, random_state=seed)
        accuracy = float(np.mean(guarded(impl, model.predict, X) == y))
        expect(accuracy == 1.0, f"seed {seed}: training accuracy {accuracy:.3f} on separable data, expected 1.0")
        margins = np.where(y == model.classes_[1], 1, -1) * (X @ model.coef_[0] + model.intercept_[0])
        expect(bool(np.all(margins > 0)),
               f"seed {seed}: {int(np.sum(margins <= 0))} points lie on the wrong side of w.x + b = 0")


def test_shuffling_is_reproducible(impl):
    """The same random_state gives the same weights; the rule must use random_state, not global randomness."""
    X, y = blobs(3, 2, 3.0)
    a, b = fit(impl, X, y, random_state=42), fit(impl, X, y, random_state=42)
    assert_close(a.coef_, b.coef_, rtol=0, atol=0, what="coef_ of two fits with random_state=42")


def test_xor_is_beyond_a_single_perceptron(impl):
    """On XOR no linear classifier gets more than 3 of the 4 points: neither sklearn's perceptron nor yours."""
    for shuffle in (False, True):
        want = linear_model.Perceptron(shuffle=shuffle, random_state=0).fit(XOR_X, XOR_Y).score(XOR_X, XOR_Y)
        expect(want <= 0.75, "oracle sanity check")
        model = fit(impl, XOR_X, XOR_Y, shuffle=shuffle, random_state=0)
        accuracy = float(np.mean(guarded(impl, model.predict, XOR_X) == XOR_Y))
        expect(accuracy <= 0.75, f"a linear perceptron cannot reach {accuracy:.0%} on XOR; check predict")


def test_xor_network_computes_xor(impl):
    """xor_network returns the XOR truth table (0, 1, 1, 0) for the four corners, in any order and repeated."""
    got = np.asarray(impl.xor_network(XOR_X))
    expect(got.shape == (4,), f"xor_network should return shape (4,) for 4 inputs, got {got.shape}")
    expect(np.array_equal(got, XOR_Y), f"xor_network(corners) should be [0, 1, 1, 0], got {got.tolist()}")
    order = np.random.default_rng(0).integers(0, 4, 20)
    expect(np.array_equal(np.asarray(impl.xor_network(XOR_X[order])), XOR_Y[order]),
           "xor_network gives wrong answers for a batch of repeated, shuffled corners")
    assert_raises_value_error(impl.xor_network, np.ones((3, 3)), why="xor_network takes inputs of shape (n, 2)")


def test_works_in_a_pipeline_with_cross_validation(impl):
    """In a StandardScaler pipeline on iris, 5-fold accuracies equal those of sklearn's Perceptron(shuffle=False)."""
    X, y = load_iris(return_X_y=True)
    want = cross_val_score(make_pipeline(StandardScaler(), linear_model.Perceptron(shuffle=False)), X, y, cv=5)
    pipeline = make_pipeline(StandardScaler(), impl.Perceptron(shuffle=False))
    got = guarded(impl, cross_val_score, pipeline, X, y)
    assert_close(got, want, rtol=0, atol=1e-12, what="cross_val_score fold accuracies")


def test_bad_parameters_raise_value_error(impl):
    """eta0 <= 0, max_iter < 1 or a single class in y raise ValueError in fit."""
    X, y = blobs(0, 2, 1.0)
    assert_raises_value_error(impl.Perceptron(eta0=0.0).fit, X, y, why="the step eta0 must be positive")
    assert_raises_value_error(impl.Perceptron(max_iter=0).fit, X, y, why="at least one epoch is needed")
    assert_raises_value_error(impl.Perceptron().fit, X, np.zeros(len(X)), why="one class leaves nothing to separate")


def test_passes_scikit_learns_estimator_checks(impl):
    """Perceptron passes scikit-learn's estimator checks (fit returns self, input validation, clone, ...)."""
    with forbid(impl, *READY_MADE):
        assert_sklearn_compatible(impl.Perceptron())
