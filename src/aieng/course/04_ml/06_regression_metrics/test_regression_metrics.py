"""Checks for `regression-metrics`, against sklearn.metrics.

Targets and predictions come from seeded numpy generators (targets on random scales, predictions = target
+ a random bias + noise, so scores range from near 1 to very negative). Every score must match sklearn to
a relative tolerance of 1e-9 (plus 1e-12 absolute): both sides evaluate the same sums, so only the order
of additions can differ. While your functions run, sklearn.metrics' regression scores are switched off.
"""

from __future__ import annotations

import warnings

import numpy as np
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present

NAMES = ("mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
         "explained_variance_score", "median_absolute_error", "max_error")
SWITCHED_OFF = (*present("sklearn.metrics", NAMES), *present("sklearn.metrics._regression", NAMES))
SCORES = ("mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
          "explained_variance_score")


def call(impl, name: str, *args):
    with forbid(impl, *SWITCHED_OFF):
        return getattr(impl, name)(*args)


def oracle(name: str, *args) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns about R² of a single sample
        return getattr(skm, name)(*args)


def targets(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    scale = 10.0 ** rng.uniform(-2, 3)
    y_true = rng.normal(rng.uniform(-5, 5), scale, size=n)
    y_pred = y_true + rng.uniform(-1, 1) * scale + rng.normal(0, rng.uniform(0, 2) * scale, size=n)
    return y_true, y_pred


@given(st.integers(0, 2**32 - 1), st.integers(2, 50))
def test_scores_match_sklearn(impl, seed, n):
    """MAE, MSE, RMSE, R² and explained variance equal sklearn.metrics' functions of the same name."""
    y_true, y_pred = targets(np.random.default_rng(seed), n)
    for name in SCORES:
        got = call(impl, name, y_true, y_pred)
        expect(np.ndim(got) == 0, f"{name} should return one number, got {got!r}")
        assert_close(got, oracle(name, y_true, y_pred), rtol=1e-9, atol=1e-12, what=f"{name}(y_true, y_pred)")


def test_worked_example(impl):
    """y = (1, 2, 3, 4), ŷ = (2, 2, 3, 6): MAE 0.75, MSE 1.25, RMSE 1.118..., R² 0, explained variance 0.4625."""
    y_true, y_pred = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 2.0, 3.0, 6.0])
    for name in SCORES:
        assert_close(call(impl, name, y_true, y_pred), oracle(name, y_true, y_pred), rtol=1e-12,
                     what=f"{name} of the worked example")


def test_perfect_and_mean_predictions(impl):
    """Perfect predictions give errors 0 and R² = 1; predicting the mean everywhere gives R² = 0."""
    y = np.array([3.0, -1.0, 4.0, 1.0, 5.0])
    assert_close(call(impl, "mean_squared_error", y, y), 0.0, what="MSE of perfect predictions")
    assert_close(call(impl, "r2_score", y, y), 1.0, what="R² of perfect predictions")
    assert_close(call(impl, "r2_score", y, np.full(5, y.mean())), 0.0, atol=1e-12, what="R² of the mean")


def test_explained_variance_forgives_a_constant_offset(impl):
    """Predictions off by the same +2 everywhere: explained variance is 1, R² is lower (it counts the bias)."""
    y = np.array([1.0, 4.0, 2.0, 8.0, 5.0])
    assert_close(call(impl, "explained_variance_score", y, y + 2), 1.0, what="explained variance of y + 2")
    assert_close(call(impl, "r2_score", y, y + 2), oracle("r2_score", y, y + 2), rtol=1e-12, what="R² of y + 2")


def test_constant_target_follows_sklearn(impl):
    """A constant target has no variance to explain: R² and explained variance are 1.0 when the prediction
    is exact (or, for explained variance, off by a constant) and 0.0 otherwise, as sklearn's
    force_finite=True. R² of a single sample is undefined: NaN."""
    y = np.full(4, 3.0)
    for y_pred in (y, np.full(4, 5.0), np.array([3.0, 2.0, 3.0, 4.0])):
        for name in ("r2_score", "explained_variance_score"):
            assert_close(call(impl, name, y, y_pred), oracle(name, y, y_pred), what=f"{name}(3, 3, 3, 3 vs {y_pred})")
    got = call(impl, "r2_score", np.array([2.0]), np.array([1.0]))
    expect(np.ndim(got) == 0 and np.isnan(got), f"R² of one sample should be nan, got {got!r}")


def test_rejects_bad_input(impl):
    """Different lengths, empty input, 2-D arrays and NaN raise ValueError for every score."""
    for name in SCORES:
        fn = getattr(impl, name)
        assert_raises_value_error(fn, np.ones(3), np.ones(4), why="the lengths differ")
        assert_raises_value_error(fn, np.array([]), np.array([]), why="there is nothing to score")
        assert_raises_value_error(fn, np.ones((3, 2)), np.ones((3, 2)), why="targets must be 1-D")
        assert_raises_value_error(fn, np.array([1.0, np.nan]), np.ones(2), why="a NaN target has no error")
