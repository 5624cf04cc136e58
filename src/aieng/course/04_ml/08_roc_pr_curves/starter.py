"""ROC and precision-recall curves — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check roc-pr-curves`.
y_true has shape (n,) with two classes; y_score has shape (n,), higher meaning "more likely positive".
With pos_label=None the labels must be {0, 1} or {-1, 1} and 1 is positive; otherwise y_true == pos_label
marks the positives. More than two classes, lengths that differ or n == 0 raise ValueError.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def roc_curve(y_true: ArrayLike, y_score: ArrayLike,
              pos_label: object = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """fpr, tpr, thresholds, each of shape (m + 1,) for m distinct scores.

    thresholds: +inf, then the distinct scores in decreasing order; point i predicts positive where
    score >= thresholds[i]. fpr = FP / (number of negatives), tpr = TP / (number of positives).
    ValueError unless both classes are present.
    """
    raise NotImplementedError


def auc(x: ArrayLike, y: ArrayLike) -> float:
    """Trapezoid-rule area under the points (x_i, y_i); x of shape (m,), m >= 2, monotonic.

    For a decreasing x return the (positive) area too; a non-monotonic x raises ValueError.
    """
    raise NotImplementedError


def roc_auc_score(y_true: ArrayLike, y_score: ArrayLike, pos_label: object = None) -> float:
    """ROC AUC by the rank formula (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg).

    R_pos: sum of the positives' ranks (1 = lowest score) in the pooled scores, tied scores sharing their
    average rank. ValueError unless both classes are present.
    """
    raise NotImplementedError


def precision_recall_curve(y_true: ArrayLike, y_score: ArrayLike,
                           pos_label: object = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """precision and recall of shape (m + 1,), thresholds of shape (m,) for m distinct scores.

    thresholds increase; entry i is precision/recall of predicting positive where score >= thresholds[i];
    the last entries are precision 1 and recall 0 (no threshold). ValueError if there is no positive.
    """
    raise NotImplementedError


def average_precision_score(y_true: ArrayLike, y_score: ArrayLike, pos_label: object = None) -> float:
    """AP = sum_k (R_k - R_(k-1)) P_k over the precision-recall curve's points (a step-function area)."""
    raise NotImplementedError
