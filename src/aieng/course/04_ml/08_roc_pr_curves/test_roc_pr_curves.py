"""Checks for `roc-pr-curves`, against sklearn.metrics.

Binary labels and scores come from seeded numpy generators; half the cases round the scores to one
decimal so many samples tie, the case where the threshold bookkeeping matters. Curves are compared with
sklearn.metrics.roc_curve(drop_intermediate=False) and precision_recall_curve, point for point, to a
relative tolerance of 1e-12 (they are ratios of the same integer counts); areas with roc_auc_score,
average_precision_score and sklearn.metrics.auc to 1e-9. While your functions run, sklearn's versions,
numpy.trapezoid and scipy.stats.mannwhitneyu are switched off.
"""

from __future__ import annotations

import numpy as np
import scipy.stats  # noqa: F401  (loaded, so its Mann-Whitney test can be switched off)
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present

NAMES = ("roc_curve", "roc_auc_score", "auc", "precision_recall_curve", "average_precision_score", "det_curve",
         "confusion_matrix_at_thresholds")
SWITCHED_OFF = (*present("sklearn.metrics", NAMES), *present("sklearn.metrics._ranking", NAMES),
                *present("numpy", ("trapezoid", "trapz")), *present("scipy.integrate", ("trapezoid",)),
                *present("scipy.stats", ("mannwhitneyu",)))
SEEDS = st.integers(0, 2**32 - 1)


def call(impl, name: str, *args, **kwargs):
    with forbid(impl, *SWITCHED_OFF):
        return getattr(impl, name)(*args, **kwargs)


def scored(rng: np.random.Generator, n: int, ties: bool) -> tuple[np.ndarray, np.ndarray]:
    """Labels with both classes present, and scores that rank positives higher on average."""
    y = np.r_[0, 1, rng.integers(0, 2, size=n - 2)]
    rng.shuffle(y)
    score = rng.normal(size=n) + rng.uniform(0, 2) * y
    score = 1 / (1 + np.exp(-score))
    return y, (np.round(score, 1) if ties else score)


def triple(result, what: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    expect(isinstance(result, tuple | list) and len(result) == 3, f"{what} should return three arrays, got {result!r}")
    return tuple(np.asarray(a) for a in result)


@given(SEEDS, st.integers(2, 60), st.booleans())
def test_roc_curve_matches_sklearn(impl, seed, n, ties):
    """roc_curve returns fpr, tpr and thresholds equal to sklearn's roc_curve(drop_intermediate=False): one
    point per distinct score, thresholds decreasing from +inf, starting at (0, 0) and ending at (1, 1)."""
    y, score = scored(np.random.default_rng(seed), n, ties)
    fpr, tpr, thresholds = triple(call(impl, "roc_curve", y, score), "roc_curve")
    want = skm.roc_curve(y, score, drop_intermediate=False)
    assert_close(thresholds, want[2], rtol=1e-12, what="roc_curve thresholds")
    assert_close(fpr, want[0], rtol=1e-12, what="roc_curve fpr")
    assert_close(tpr, want[1], rtol=1e-12, what="roc_curve tpr")


@given(SEEDS, st.integers(2, 60), st.booleans())
def test_trapezoid_area_under_roc_matches_sklearn(impl, seed, n, ties):
    """auc(fpr, tpr) of your ROC curve, by the trapezoid rule, equals sklearn's roc_auc_score."""
    y, score = scored(np.random.default_rng(seed), n, ties)
    fpr, tpr, _ = triple(call(impl, "roc_curve", y, score), "roc_curve")
    assert_close(call(impl, "auc", fpr, tpr), skm.roc_auc_score(y, score), rtol=1e-9, what="auc(fpr, tpr)")


@given(SEEDS, st.integers(2, 30))
def test_auc_of_any_monotonic_curve_matches_sklearn(impl, seed, n):
    """auc(x, y) is the trapezoid area for any sorted x, increasing or decreasing (returned positive), as
    sklearn.metrics.auc."""
    rng = np.random.default_rng(seed)
    x, y = np.sort(rng.uniform(-5, 5, size=n)), rng.uniform(-3, 3, size=n)
    assert_close(call(impl, "auc", x, y), skm.auc(x, y), rtol=1e-9, atol=1e-12, what="auc(x, y), x increasing")
    assert_close(call(impl, "auc", x[::-1], y[::-1]), skm.auc(x[::-1], y[::-1]), rtol=1e-9, atol=1e-12,
                 what="auc(x, y), x decreasing")


@given(SEEDS, st.integers(2, 60), st.booleans())
def test_rank_auc_matches_sklearn_and_pair_counting(impl, seed, n, ties):
    """roc_auc_score (the rank formula) equals sklearn's roc_auc_score and the share of (positive, negative)
    pairs in which the positive scores higher, ties counting one half."""
    y, score = scored(np.random.default_rng(seed), n, ties)
    got = call(impl, "roc_auc_score", y, score)
    expect(np.ndim(got) == 0, f"roc_auc_score should return one number, got {got!r}")
    pos, neg = score[y == 1][:, None], score[y == 0][None, :]
    pairs = np.mean((pos > neg) + 0.5 * (pos == neg))
    assert_close(got, skm.roc_auc_score(y, score), rtol=1e-9, what="roc_auc_score")
    assert_close(got, pairs, rtol=1e-9, what="roc_auc_score vs counting pairs")


@given(SEEDS, st.integers(2, 60), st.booleans())
def test_precision_recall_curve_matches_sklearn(impl, seed, n, ties):
    """precision_recall_curve equals sklearn's: thresholds increasing, recall decreasing, and a last point
    (recall 0, precision 1) with no threshold."""
    y, score = scored(np.random.default_rng(seed), n, ties)
    precision, recall, thresholds = triple(call(impl, "precision_recall_curve", y, score), "precision_recall_curve")
    want = skm.precision_recall_curve(y, score)
    assert_close(thresholds, want[2], rtol=1e-12, what="precision_recall_curve thresholds")
    assert_close(precision, want[0], rtol=1e-12, what="precision_recall_curve precision")
    assert_close(recall, want[1], rtol=1e-12, what="precision_recall_curve recall")


@given(SEEDS, st.integers(2, 60), st.booleans())
def test_average_precision_matches_sklearn(impl, seed, n, ties):
    """average_precision_score, sum of (R_k - R_(k-1)) P_k, equals sklearn's average_precision_score."""
    y, score = scored(np.random.default_rng(seed), n, ties)
    assert_close(call(impl, "average_precision_score", y, score), skm.average_precision_score(y, score),
                 rtol=1e-9, what="average_precision_score")


def test_perfect_reversed_and_useless_rankings(impl):
    """A perfect ranking has ROC AUC 1 and AP 1, a reversed one ROC AUC 0, constant scores ROC AUC 0.5."""
    y = np.array([0, 0, 0, 1, 1])
    good = np.array([0.1, 0.2, 0.3, 0.8, 0.9])
    for name in ("roc_auc_score", "average_precision_score"):
        assert_close(call(impl, name, y, good), 1.0, what=f"{name} of a perfect ranking")
    assert_close(call(impl, "roc_auc_score", y, -good), 0.0, what="roc_auc_score of a reversed ranking")
    assert_close(call(impl, "roc_auc_score", y, np.full(5, 0.3)), 0.5, what="roc_auc_score of constant scores")


def test_minus_one_one_labels_and_pos_label(impl):
    """Labels {-1, 1} count 1 as positive; other labels need pos_label (here 'spam')."""
    y = np.array([-1, 1, 1, -1, 1, -1])
    score = np.array([0.2, 0.7, 0.4, 0.4, 0.9, 0.1])
    assert_close(call(impl, "roc_auc_score", y, score), skm.roc_auc_score(y, score), what="AUC with labels -1/1")
    words = np.where(y == 1, "spam", "ham")
    got = triple(call(impl, "roc_curve", words, score, pos_label="spam"), "roc_curve")
    want = skm.roc_curve(words, score, pos_label="spam", drop_intermediate=False)
    for g, w, part in zip(got, want, ("fpr", "tpr", "thresholds"), strict=True):
        assert_close(g, w, what=f"roc_curve(..., pos_label='spam') {part}")


def test_rejects_bad_input(impl):
    """A single class, three classes, mismatched lengths and a non-monotonic x for auc raise ValueError."""
    score = np.array([0.1, 0.5, 0.9])
    assert_raises_value_error(impl.roc_curve, np.array([1, 1, 1]), score, why="ROC needs negatives too")
    assert_raises_value_error(impl.roc_auc_score, np.array([0, 0, 0]), score, why="AUC needs positives too")
    assert_raises_value_error(impl.precision_recall_curve, np.array([0, 0, 0]), score,
                              why="recall is undefined without positives")
    assert_raises_value_error(impl.roc_auc_score, np.array([0, 1, 2]), score, why="the labels must be binary")
    assert_raises_value_error(impl.roc_curve, np.array([0, 1]), score, why="the lengths differ")
    assert_raises_value_error(impl.auc, np.array([0.0, 1.0, 0.5]), np.ones(3), why="x must be sorted")
