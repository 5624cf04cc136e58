"""Classification metrics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check classification-metrics`.
Labels may be integers or strings; "classes" always means the sorted distinct labels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Fraction of predictions equal to the truth; y_true and y_pred of shape (n,).

    Raise ValueError if the lengths differ, an input is not 1-D, or n == 0.
    """
    raise NotImplementedError


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
    """Integer matrix of shape (k, k): C[i, j] counts samples with true label labels[i], predicted labels[j].

    `labels` defaults to the sorted union of the labels in y_true and y_pred; when given, rows and columns
    follow its order and samples with other labels are not counted.
    """
    raise NotImplementedError


def precision_score(y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary",
                    pos_label: object = 1) -> float | np.ndarray:
    """tp / (tp + fp), 0 when nothing is predicted positive.

    average: 'binary' (score class `pos_label` only; ValueError if there are more than two classes, or two
    classes and pos_label is not one of them), 'micro' (sum tp, fp over classes first), 'macro' (mean of
    per-class scores), 'weighted' (mean weighted by each class's true count), None (array of shape (k,)).
    Any other value raises ValueError.
    """
    raise NotImplementedError


def recall_score(y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary",
                 pos_label: object = 1) -> float | np.ndarray:
    """tp / (tp + fn), 0 when there are no true positives to find. `average` as in precision_score."""
    raise NotImplementedError


def fbeta_score(y_true: ArrayLike, y_pred: ArrayLike, *, beta: float, average: str | None = "binary",
                pos_label: object = 1) -> float | np.ndarray:
    """(1 + beta²) tp / ((1 + beta²) tp + beta² fn + fp), 0 when that denominator is 0.

    Per class for 'macro', 'weighted' and None; from the pooled counts for 'micro'. beta >= 0, else ValueError.
    """
    raise NotImplementedError


def f1_score(y_true: ArrayLike, y_pred: ArrayLike, *, average: str | None = "binary",
             pos_label: object = 1) -> float | np.ndarray:
    """F-beta with beta = 1: the harmonic mean of precision and recall."""
    raise NotImplementedError


def log_loss(y_true: ArrayLike, y_prob: ArrayLike, labels: ArrayLike | None = None) -> float:
    """-mean_i log p_i[y_i], the mean negative log-probability of the true class.

    y_prob: shape (n, k), column j for the j-th sorted class (classes = sorted `labels` if given, else the
    sorted labels of y_true); or shape (n,) for two classes, the probability of the second (larger) one.
    Clip probabilities to [eps, 1 - eps], eps = np.finfo(float).eps, before the log.
    ValueError: fewer than two classes, probabilities outside [0, 1], wrong number of columns or rows.
    """
    raise NotImplementedError
