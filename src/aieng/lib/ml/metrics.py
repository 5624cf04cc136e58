"""Evaluation metrics: how good is a model's output, in one number (or one curve).

Classification (labels of any sortable type):
    accuracy, the confusion matrix, precision, recall, F1 and F-beta (binary, or per class averaged as
    macro / micro / weighted), and the log loss of predicted probabilities.
Regression (1-D float targets):
    MAE, MSE, RMSE, R² and explained variance.
Ranking (binary labels, real-valued scores):
    the ROC curve, its area (by the trapezoid rule and by the Mann–Whitney rank formula), the
    precision-recall curve and average precision.

Conventions follow ``sklearn.metrics``: a ratio whose denominator is zero (precision with no predicted
positives) is 0, like ``zero_division=0``; R² of a constant target is 1.0 for a perfect prediction and 0.0
otherwise; probabilities are clipped to ``[eps, 1 - eps]`` before the logarithm; curves keep every
distinct score as a threshold (``drop_intermediate=False``).

Left out: sample weights, multilabel targets, multi-output regression, multiclass ROC AUC.
Cost: O(n) for the counting metrics (plus O(k²) for a k-class confusion matrix), O(n log n) for curves.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

AVERAGES = ("binary", "micro", "macro", "weighted", None)


# ----------------------------------------------------------------------------- classification


def _label_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Both label vectors as 1-D arrays of the same, non-zero length, or a ValueError."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shapes {y_true.shape} and {y_pred.shape}")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred have different lengths: {y_true.size} and {y_pred.size}")
    if y_true.size == 0:
        raise ValueError("cannot score an empty set of predictions")
    return y_true, y_pred


def _positions(values: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value, its index in `labels` (any order) and whether it is there at all."""
    order = np.argsort(labels, kind="stable")
    slot = np.clip(np.searchsorted(labels, values, sorter=order), 0, labels.size - 1)
    index = order[slot]
    return index, labels[index] == values


def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The fraction of predictions equal to the true label: ``mean(y_true == y_pred)``.

    >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    y_true, y_pred = _label_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples whose true label is ``labels[i]`` and predicted label ``labels[j]``.

    Shape (k, k), integers; rows are the truth, columns the prediction, so the diagonal holds the correct
    answers. `labels` defaults to the sorted union of both vectors; samples with a label outside `labels`
    are not counted. One pass with ``np.bincount`` over the flattened cell index ``i * k + j``: O(n + k²).

    >>> confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0])
    array([[2, 0],
           [1, 1]])
    """
    y_true, y_pred = _label_pair(y_true, y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError("labels must be a non-empty 1-D list of class labels")
    if np.unique(labels).size != labels.size:
        raise ValueError("labels must not repeat")
    k = labels.size
    rows, in_true = _positions(y_true, labels)
    cols, in_pred = _positions(y_pred, labels)
    keep = in_true & in_pred
    cells = np.bincount(rows[keep] * k + cols[keep], minlength=k * k)
    return cells.reshape(k, k)


def _safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, and 0 where the denominator is 0 (sklearn's zero_division=0)."""
    numerator, denominator = np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64)
    out = np.zeros_like(numerator)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _counts(
    y_true: ArrayLike, y_pred: ArrayLike, average: str | None, pos_label: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """True positives, false positives, false negatives and support, one entry per scored class."""
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, got {average!r}")
    y_true, y_pred = _label_pair(y_true, y_pred)
    present = np.unique(np.concatenate([y_true, y_pred]))
    if average == "binary":
        if present.size > 2:
            raise ValueError(f"average='binary' needs two classes, got {present.size}: "
                             "choose average='micro', 'macro' or 'weighted'")
        if present.size == 2 and pos_label not in present:
            raise ValueError(f"pos_label={pos_label!r} is not a label; the labels are {present.tolist()}")
        is_true, is_pred = y_true == pos_label, y_pred == pos_label
        tp = np.sum(is_true & is_pred, keepdims=True)
        support = np.sum(is_true, keepdims=True)
        return tp, np.sum(is_pred, keepdims=True) - tp, support - tp, support
    cm = confusion_matrix(y_true, y_pred, present)
    tp = np.diag(cm)
    return tp, cm.sum(axis=0) - tp, cm.sum(axis=1) - tp, cm.sum(axis=1)


def _average(per_class: np.ndarray, support: np.ndarray, average: str | None) -> float | np.ndarray:
    if average is None:
        return per_class
    if average == "weighted":
        return float(np.sum(per_class * support) / np.sum(support)) if support.sum() > 0 else 0.0
    return float(np.mean(per_class))  # macro; binary and micro hold a single entry


def precision_recall_fscore(
    y_true: ArrayLike, y_pred: ArrayLike, *, beta: float = 1.0, average: str | None = "binary", pos_label: object = 1
) -> tuple[float | np.ndarray, float | np.ndarray, float | np.ndarray]:
    """Precision ``tp / (tp + fp)``, recall ``tp / (tp + fn)`` and F-beta, averaged as asked.

    ``F_beta = (1 + b²) tp / ((1 + b²) tp + b² fn + fp)``, the weighted harmonic mean of precision and
    recall in which recall counts b times as much. Averages: 'binary' scores `pos_label` only; 'micro'
    sums tp, fp, fn over classes first; 'macro' averages the per-class scores; 'weighted' averages them
    weighted by support (true count); None returns the per-class array (classes sorted). Any 0/0 is 0.
    """
    if not beta >= 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    tp, fp, fn, support = _counts(y_true, y_pred, average, pos_label)
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)
    precision, recall = _safe_ratio(tp, tp + fp), _safe_ratio(tp, tp + fn)
    b2 = beta**2
    fscore = _safe_ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)
    return (_average(precision, support, average), _average(recall, support, average),
            _average(fscore, support, average))


def precision_score(y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary",
                    pos_label: object = 1) -> float | np.ndarray:
    """Of the samples predicted positive, the fraction that are: ``tp / (tp + fp)`` (0 if none predicted).

    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return precision_recall_fscore(y_true, y_pred, average=average, pos_label=pos_label)[0]


def recall_score(y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary",
                 pos_label: object = 1) -> float | np.ndarray:
    """Of the truly positive samples, the fraction found: ``tp / (tp + fn)`` (0 if there are none).

    >>> recall_score([0, 1, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    return precision_recall_fscore(y_true, y_pred, average=average, pos_label=pos_label)[1]


def fbeta_score(y_true: ArrayLike, y_pred: ArrayLike, *, beta: float, average: str | None = "binary",
                pos_label: object = 1) -> float | np.ndarray:
    """``(1 + b²) P R / (b² P + R)``: recall weighs b times as much as precision (b = 0 is precision)."""
    return precision_recall_fscore(y_true, y_pred, beta=beta, average=average, pos_label=pos_label)[2]


def f1_score(y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary",
             pos_label: object = 1) -> float | np.ndarray:
    """The harmonic mean of precision and recall, ``2 P R / (P + R)``: F-beta with beta = 1.

    >>> f1_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return fbeta_score(y_true, y_pred, beta=1.0, average=average, pos_label=pos_label)


def log_loss(y_true: ArrayLike, y_prob: ArrayLike, labels: ArrayLike | None = None) -> float:
    """Mean negative log-probability given to the true class: ``-mean_i log p_i[y_i]``.

    `y_prob` has shape (n, k), column j the probability of ``classes[j]`` (classes = sorted `labels`, or
    the sorted labels of `y_true`), or shape (n,) for two classes: the probability of the larger label.
    Probabilities are clipped to ``[eps, 1 - eps]`` (eps of float64) so a confident mistake costs about
    36, not infinity. O(n k).

    >>> round(log_loss([0, 1], [0.2, 0.9]), 6)  # -(log 0.8 + log 0.9) / 2
    0.164252
    """
    y_true = np.asarray(y_true)
    y_prob = np.asarray(y_prob, dtype=np.float64)
    if y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(f"y_true must be a non-empty 1-D array, got shape {y_true.shape}")
    if y_prob.ndim not in (1, 2) or y_prob.shape[0] != y_true.size:
        raise ValueError(f"y_prob must have shape (n,) or (n, k) with n = {y_true.size}, got {y_prob.shape}")
    if not np.all(np.isfinite(y_prob)) or y_prob.min() < 0 or y_prob.max() > 1:
        raise ValueError("probabilities must lie in [0, 1]")
    classes = np.unique(y_true if labels is None else np.asarray(labels))
    if classes.size < 2:
        raise ValueError("log loss needs at least two classes: pass `labels` if y_true holds only one")
    if y_prob.ndim == 1:
        if classes.size != 2:
            raise ValueError("a 1-D y_prob means two classes, but there are more")
        y_prob = np.column_stack([1 - y_prob, y_prob])
    if y_prob.shape[1] != classes.size:
        raise ValueError(f"y_prob has {y_prob.shape[1]} columns but there are {classes.size} classes")
    column, known = _positions(y_true, classes)
    if not known.all():
        raise ValueError("y_true holds a label that is not in `labels`")
    eps = np.finfo(np.float64).eps
    p = np.clip(y_prob[np.arange(y_true.size), column], eps, 1 - eps)
    return float(-np.mean(np.log(p)))


# ----------------------------------------------------------------------------- regression


def _target_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Both targets as finite float64 1-D arrays of the same non-zero length, or a ValueError."""
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(f"targets must be 1-D, got shapes {y_true.shape} and {y_pred.shape}")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred have different lengths: {y_true.size} and {y_pred.size}")
    if y_true.size == 0:
        raise ValueError("cannot score an empty set of predictions")
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError("targets must be finite (no NaN or infinity)")
    return y_true, y_pred


def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """``mean |y - ŷ|``, in the target's units; robust to a few large errors.

    >>> mean_absolute_error([1.0, 2.0, 3.0], [2.0, 2.0, 5.0])
    1.0
    """
    y_true, y_pred = _target_pair(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """``mean (y - ŷ)²``, in squared units; large errors dominate.

    >>> mean_squared_error([1.0, 2.0, 3.0], [2.0, 2.0, 5.0])
    1.6666666666666667
    """
    y_true, y_pred = _target_pair(y_true, y_pred)
    return float(np.mean((y_true - y_pred) ** 2))


def root_mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """``sqrt(MSE)``: back in the target's units, still dominated by large errors."""
    return float(np.sqrt(mean_squared_error(y_true, y_pred)))


def _one_minus_ratio(numerator: float, denominator: float) -> float:
    """``1 - num / den``, with sklearn's finite answers for den = 0: 1.0 if num = 0 too, else 0.0."""
    if denominator == 0:
        return 1.0 if numerator == 0 else 0.0
    return float(1 - numerator / denominator)


def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The coefficient of determination ``1 - SS_res / SS_tot``, SS_tot = ``sum (y - mean y)²``.

    1 is perfect, 0 is no better than predicting the mean, negative is worse. A constant target has
    SS_tot = 0: the score is 1.0 if the prediction is exact, else 0.0 (sklearn's ``force_finite``). With a
    single sample it is undefined: NaN.

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.5
    """
    y_true, y_pred = _target_pair(y_true, y_pred)
    if y_true.size < 2:
        return float("nan")
    return _one_minus_ratio(np.sum((y_true - y_pred) ** 2), np.sum((y_true - y_true.mean()) ** 2))


def explained_variance_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """``1 - Var(y - ŷ) / Var(y)``: R² that forgives a constant offset (bias) in the predictions.

    Equal to R² when the residuals have mean zero. Constant target: 1.0 if the residuals are constant,
    else 0.0.

    >>> explained_variance_score([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])  # off by one everywhere
    1.0
    """
    y_true, y_pred = _target_pair(y_true, y_pred)
    residual = y_true - y_pred
    return _one_minus_ratio(np.mean((residual - residual.mean()) ** 2), np.mean((y_true - y_true.mean()) ** 2))


# ----------------------------------------------------------------------------- ranking curves


def _binary_scores(y_true: ArrayLike, y_score: ArrayLike, pos_label: object) -> tuple[np.ndarray, np.ndarray]:
    """A boolean 'is positive' vector and float scores of the same length, or a ValueError."""
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=np.float64)
    if y_true.ndim != 1 or y_score.ndim != 1 or y_true.shape != y_score.shape:
        raise ValueError(f"y_true and y_score must be 1-D of equal length, got {y_true.shape} and {y_score.shape}")
    if y_true.size == 0:
        raise ValueError("cannot score an empty set of predictions")
    if not np.all(np.isfinite(y_score)):
        raise ValueError("scores must be finite")
    classes = np.unique(y_true)
    if classes.size > 2:
        raise ValueError(f"y_true must be binary, got {classes.size} classes")
    if pos_label is None:
        if not (set(classes.tolist()) <= {0, 1} or set(classes.tolist()) <= {-1, 1}):
            raise ValueError(f"labels {classes.tolist()} are not {{0, 1}} or {{-1, 1}}: pass pos_label")
        pos_label = 1
    return y_true == pos_label, y_score


def _cumulative_counts(is_pos: np.ndarray, y_score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each distinct score t, from the highest down: false and true positives of ``score >= t``, and t."""
    order = np.argsort(y_score, kind="mergesort")[::-1]
    score, positive = y_score[order], is_pos[order]
    last_of_each = np.r_[np.flatnonzero(np.diff(score)), score.size - 1]  # ties share one threshold
    tps = np.cumsum(positive)[last_of_each]
    fps = last_of_each + 1 - tps
    return fps.astype(np.float64), tps.astype(np.float64), score[last_of_each]


def roc_curve(
    y_true: ArrayLike, y_score: ArrayLike, pos_label: object = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False and true positive rates when predicting 'positive' for ``score >= t``, for every distinct t.

    Returns fpr, tpr, thresholds, each of shape (m + 1,) for m distinct scores: thresholds decrease, the
    first is +inf (nothing predicted positive, the point (0, 0)), and the curve ends at (1, 1). Both classes
    must be present. O(n log n) for the sort.

    >>> roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])[1]
    array([0. , 0.5, 0.5, 1. , 1. ])
    """
    is_pos, y_score = _binary_scores(y_true, y_score, pos_label)
    if is_pos.all() or not is_pos.any():
        raise ValueError("the ROC curve needs both positive and negative samples")
    fps, tps, thresholds = _cumulative_counts(is_pos, y_score)
    return np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]], np.r_[np.inf, thresholds]


def auc(x: ArrayLike, y: ArrayLike) -> float:
    """Area under the polyline through (x_i, y_i) by the trapezoid rule, ``sum (x_{i+1} - x_i)(y_i + y_{i+1})/2``.

    `x` must be monotonic (either direction; the area is returned positive for a decreasing x) and have at
    least two points.

    >>> auc([0.0, 0.5, 1.0], [0.0, 1.0, 1.0])
    0.75
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must be 1-D of equal length >= 2, got {x.shape} and {y.shape}")
    dx = np.diff(x)
    if np.all(dx >= 0):
        direction = 1.0
    elif np.all(dx <= 0):
        direction = -1.0
    else:
        raise ValueError("x must be monotonic (sorted increasing or decreasing)")
    return float(direction * np.sum(dx * (y[1:] + y[:-1]) / 2))


def roc_auc_score(y_true: ArrayLike, y_score: ArrayLike, pos_label: object = None) -> float:
    """The area under the ROC curve by the rank (Mann–Whitney) formula.

    It is the probability that a random positive scores above a random negative (ties count 1/2):
    ``(R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg)``, R_pos the sum of the positives' ranks in the
    pooled scores, tied scores sharing their average rank. O(n log n); no curve needed.

    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    is_pos, y_score = _binary_scores(y_true, y_score, pos_label)
    n_pos = int(is_pos.sum())
    n_neg = is_pos.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC needs both positive and negative samples")
    _, which, counts = np.unique(y_score, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2  # ranks start at 1; a tie block gets its middle
    rank_sum = np.sum(average_rank[which][is_pos])
    return float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def precision_recall_curve(
    y_true: ArrayLike, y_score: ArrayLike, pos_label: object = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall of predicting 'positive' for ``score >= t``, for every distinct score t.

    Returns precision and recall of shape (m + 1,) and thresholds of shape (m,), thresholds increasing
    (so recall decreases); the last point is the convention precision = 1, recall = 0. At least one
    positive is needed. O(n log n).

    >>> p, r, t = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> p.tolist(), r.tolist()
    ([0.5, 0.6666666666666666, 0.5, 1.0, 1.0], [1.0, 1.0, 0.5, 0.5, 0.0])
    """
    is_pos, y_score = _binary_scores(y_true, y_score, pos_label)
    if not is_pos.any():
        raise ValueError("the precision-recall curve needs at least one positive sample")
    fps, tps, thresholds = _cumulative_counts(is_pos, y_score)
    precision, recall = tps / (tps + fps), tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def average_precision_score(y_true: ArrayLike, y_score: ArrayLike, pos_label: object = None) -> float:
    """``AP = sum_k (R_k - R_{k-1}) P_k``: precision averaged over the recall gained at each threshold.

    A step-function area under the precision-recall curve (no interpolation between points, which would
    be optimistic). 1 for a perfect ranking; about the positive rate for a random one.

    >>> average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.8333333333333333
    """
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))
