"""Checks for `classification-metrics`, against sklearn.metrics.

Labels are drawn from seeded numpy generators: 2 to 5 classes, 1 to 60 samples, predictions that agree
with the truth only part of the time, so every count (including zero ones) shows up. Precision, recall
and F-scores are compared with sklearn's `zero_division=0`. Counts must match exactly; scores to a
relative tolerance of 1e-9 (both sides divide the same integers, only round-off may differ). While your
functions run, sklearn.metrics' own versions are switched off (aieng.grader.guards.forbid).
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present

NAMES = ("accuracy_score", "confusion_matrix", "precision_score", "recall_score", "f1_score", "fbeta_score",
         "precision_recall_fscore_support", "log_loss", "classification_report", "multilabel_confusion_matrix",
         "balanced_accuracy_score")
SWITCHED_OFF = (*present("sklearn.metrics", NAMES), *present("sklearn.metrics._classification", NAMES))
AVERAGES = st.sampled_from(["micro", "macro", "weighted", None])
RTOL = 1e-9
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # sklearn's note on single-label inputs


def call(impl, name: str, *args, **kwargs):
    with forbid(impl, *SWITCHED_OFF):
        return getattr(impl, name)(*args, **kwargs)


def labels_pair(rng: np.random.Generator, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """True labels in 0..k-1 and predictions that copy the truth with a random probability, else guess."""
    y_true = rng.integers(0, k, size=n)
    guess = rng.integers(0, k, size=n)
    y_pred = np.where(rng.random(n) < rng.uniform(0, 0.9), y_true, guess)
    return y_true, y_pred


@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(1, 60))
def test_accuracy_matches_sklearn(impl, seed, k, n):
    """accuracy_score is the fraction of exact matches, as sklearn.metrics.accuracy_score."""
    y_true, y_pred = labels_pair(np.random.default_rng(seed), k, n)
    got = call(impl, "accuracy_score", y_true, y_pred)
    expect(np.ndim(got) == 0, f"accuracy_score should return one number, got {got!r}")
    assert_close(got, skm.accuracy_score(y_true, y_pred), rtol=RTOL, what="accuracy_score")


@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(1, 60))
def test_confusion_matrix_matches_sklearn(impl, seed, k, n):
    """confusion_matrix: rows are true labels, columns predicted labels, both in sorted order of the labels
    that occur in either vector; equal to sklearn.metrics.confusion_matrix entry for entry."""
    y_true, y_pred = labels_pair(np.random.default_rng(seed), k, n)
    assert_close(call(impl, "confusion_matrix", y_true, y_pred), skm.confusion_matrix(y_true, y_pred),
                 rtol=0, atol=0, what="confusion_matrix(y_true, y_pred)")


def test_confusion_matrix_follows_the_labels_argument(impl):
    """With labels=[2, 0, 1] the rows and columns come in that order, and a label that never occurs
    still gets its (all-zero) row and column."""
    y_true = np.array([0, 1, 2, 2, 1, 0, 0])
    y_pred = np.array([0, 2, 2, 1, 1, 0, 1])
    for labels in ([2, 0, 1], [1, 0, 2, 3]):
        assert_close(call(impl, "confusion_matrix", y_true, y_pred, labels),
                     skm.confusion_matrix(y_true, y_pred, labels=labels), rtol=0, atol=0,
                     what=f"confusion_matrix(..., labels={labels})")


def test_confusion_matrix_of_string_labels(impl):
    """Labels can be strings: classes are sorted alphabetically ('cat' < 'dog' < 'fox')."""
    y_true = np.array(["cat", "dog", "fox", "dog", "cat"])
    y_pred = np.array(["dog", "dog", "fox", "cat", "cat"])
    assert_close(call(impl, "confusion_matrix", y_true, y_pred), skm.confusion_matrix(y_true, y_pred),
                 rtol=0, atol=0, what="confusion_matrix of string labels")


@settings(max_examples=25)  # four sklearn calls per example
@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.floats(0.25, 4.0))
def test_binary_precision_recall_f_match_sklearn(impl, seed, n, beta):
    """Binary scores of the class 1: precision tp/(tp+fp), recall tp/(tp+fn), F1 and F-beta match sklearn
    (any 0/0 counts as 0, like zero_division=0)."""
    y_true, y_pred = labels_pair(np.random.default_rng(seed), 2, n)
    for name, oracle in (("precision_score", skm.precision_score), ("recall_score", skm.recall_score),
                         ("f1_score", skm.f1_score)):
        assert_close(call(impl, name, y_true, y_pred), oracle(y_true, y_pred, zero_division=0),
                     rtol=RTOL, what=f"{name}(y_true, y_pred)")
    assert_close(call(impl, "fbeta_score", y_true, y_pred, beta=beta),
                 skm.fbeta_score(y_true, y_pred, beta=beta, zero_division=0), rtol=RTOL,
                 what=f"fbeta_score(y_true, y_pred, beta={beta})")


@settings(max_examples=25)  # four sklearn calls per example
@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(1, 60), AVERAGES, st.floats(0.25, 4.0))
def test_multiclass_averages_match_sklearn(impl, seed, k, n, average, beta):
    """average='macro' (plain mean over classes), 'micro' (pool the counts first), 'weighted' (mean weighted
    by each class's true count) and None (one score per class, classes sorted) match sklearn."""
    y_true, y_pred = labels_pair(np.random.default_rng(seed), k, n)
    for name, oracle in (("precision_score", skm.precision_score), ("recall_score", skm.recall_score),
                         ("f1_score", skm.f1_score)):
        assert_close(call(impl, name, y_true, y_pred, average=average),
                     oracle(y_true, y_pred, average=average, zero_division=0), rtol=RTOL,
                     what=f"{name}(y_true, y_pred, average={average!r})")
    assert_close(call(impl, "fbeta_score", y_true, y_pred, beta=beta, average=average),
                 skm.fbeta_score(y_true, y_pred, beta=beta, average=average, zero_division=0), rtol=RTOL,
                 what=f"fbeta_score(y_true, y_pred, beta={beta}, average={average!r})")


def test_zero_division_gives_zero(impl):
    """A ratio with nothing to divide by is 0: precision when nothing is predicted positive, recall when
    nothing is truly positive, and then F1 as well."""
    never = np.zeros(6, dtype=int)
    some = np.array([0, 1, 0, 1, 1, 0])
    assert_close(call(impl, "precision_score", some, never), 0.0, what="precision with no predicted positives")
    assert_close(call(impl, "recall_score", never, some), 0.0, what="recall with no true positives")
    assert_close(call(impl, "f1_score", never, never), 0.0, what="F1 with no positives anywhere")
    assert_close(call(impl, "recall_score", some, never), 0.0, what="recall when every positive is missed")


def test_string_labels_with_pos_label(impl):
    """pos_label picks the class that counts as positive, here 'spam' in a spam filter."""
    y_true = np.array(["spam", "ham", "ham", "spam", "spam", "ham", "ham"])
    y_pred = np.array(["spam", "spam", "ham", "ham", "spam", "ham", "ham"])
    for name, oracle in (("precision_score", skm.precision_score), ("recall_score", skm.recall_score),
                         ("f1_score", skm.f1_score)):
        assert_close(call(impl, name, y_true, y_pred, pos_label="spam"),
                     oracle(y_true, y_pred, pos_label="spam"), rtol=RTOL, what=f"{name}(..., pos_label='spam')")


def test_imbalanced_data_accuracy_misleads(impl):
    """On 98 negatives and 2 positives, predicting 'negative' always has accuracy 0.98 but recall 0 and F1 0."""
    y_true = np.r_[np.zeros(98, dtype=int), np.ones(2, dtype=int)]
    y_pred = np.zeros(100, dtype=int)
    assert_close(call(impl, "accuracy_score", y_true, y_pred), 0.98, what="accuracy of the always-negative model")
    assert_close(call(impl, "recall_score", y_true, y_pred), 0.0, what="recall of the always-negative model")
    assert_close(call(impl, "f1_score", y_true, y_pred), 0.0, what="F1 of the always-negative model")


@given(st.integers(0, 2**32 - 1), st.integers(2, 60))
def test_binary_log_loss_matches_sklearn(impl, seed, n):
    """log_loss(y_true, p) with p of shape (n,) the probability of class 1 equals sklearn.metrics.log_loss."""
    rng = np.random.default_rng(seed)
    y_true = np.r_[0, 1, rng.integers(0, 2, size=n - 2)]
    p = rng.random(n)
    assert_close(call(impl, "log_loss", y_true, p), skm.log_loss(y_true, y_proba=p), rtol=RTOL,
                 what="log_loss(y_true, p)")


@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(5, 60))
def test_multiclass_log_loss_matches_sklearn(impl, seed, k, n):
    """With y_prob of shape (n, k) (rows sum to 1, column j for the j-th sorted class) log_loss matches
    sklearn."""
    rng = np.random.default_rng(seed)
    y_true = np.r_[np.arange(k), rng.integers(0, k, size=n - k)]
    y_prob = rng.dirichlet(np.ones(k), size=n)
    assert_close(call(impl, "log_loss", y_true, y_prob), skm.log_loss(y_true, y_proba=y_prob), rtol=RTOL,
                 what=f"log_loss with {k} classes")


def test_log_loss_clips_certain_mistakes(impl):
    """A probability of exactly 0 for the true class is clipped to eps = 2.2e-16, so the loss is finite
    (about 36 per such sample), as in sklearn."""
    y_true = np.array([0, 1, 1, 0])
    p = np.array([1.0, 0.0, 1.0, 0.0])
    got = call(impl, "log_loss", y_true, p)
    expect(np.isfinite(got), f"log_loss should be finite after clipping, got {got!r}")
    assert_close(got, skm.log_loss(y_true, y_proba=p), rtol=RTOL, what="log_loss with probabilities 0 and 1")


def test_log_loss_labels_argument(impl):
    """labels names the classes of y_prob's columns when y_true misses one of them (here class 2)."""
    y_true = np.array([0, 1, 1, 0])
    y_prob = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.25, 0.25]])
    assert_close(call(impl, "log_loss", y_true, y_prob, labels=[0, 1, 2]),
                 skm.log_loss(y_true, y_proba=y_prob, labels=[0, 1, 2]), rtol=RTOL, what="log_loss(..., labels)")


def test_rejects_bad_input(impl):
    """Mismatched lengths, empty input, a multiclass target with average='binary', an unknown average, a
    pos_label that is not a label, and impossible probabilities all raise ValueError."""
    two = np.array([0, 1])
    assert_raises_value_error(impl.accuracy_score, two, np.array([0, 1, 1]), why="the lengths differ")
    assert_raises_value_error(impl.confusion_matrix, np.array([]), np.array([]), why="there is nothing to count")
    assert_raises_value_error(impl.precision_score, np.array([0, 1, 2]), np.array([0, 1, 2]),
                              why="average='binary' needs two classes; there are three")
    assert_raises_value_error(impl.f1_score, two, two, average="median", why="'median' is not an average")
    assert_raises_value_error(impl.recall_score, np.array([3, 4]), np.array([3, 4]),
                              why="pos_label=1 is not one of the labels 3 and 4")
    assert_raises_value_error(impl.log_loss, two, np.array([0.5, 1.5]), why="a probability cannot exceed 1")
    assert_raises_value_error(impl.log_loss, np.array([0, 1, 2]), np.full((3, 2), 0.5),
                              why="y_prob has 2 columns for 3 classes")
    assert_raises_value_error(impl.log_loss, np.array([1, 1]), np.array([0.5, 0.9]),
                              why="y_true holds one class only and no labels were given")
