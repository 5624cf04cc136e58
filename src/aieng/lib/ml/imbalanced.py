"""Imbalanced classification: reweight the classes, undersample the majority, and pick the decision
threshold from what each kind of error costs.

When one class is rare (fraud at 0.5% of transactions), a model trained and judged as usual learns to
say "majority" and looks excellent on accuracy. Three levers help, all implemented here:

- **class weights**: the "balanced" heuristic gives class ``c`` the weight ``n / (k * n_c)`` (n samples,
  k classes, n_c samples of class c), so every class carries the same total weight in the loss;
- **random undersampling**: keep every row of the smallest class and a random subset of the others,
  at most ``ratio`` times as many as the smallest class (training data only, never the test set);
- **a cost-based threshold**: with ``c_FP`` the cost of a false alarm and ``c_FN`` the cost of a miss,
  the cost of a set of decisions is ``c_FP * FP + c_FN * FN``; sweeping the threshold over the distinct
  scores (one sort, cumulative sums) finds the cheapest. For calibrated probabilities the optimum is
  near ``c_FP / (c_FP + c_FN)``, not 0.5.

Left out: oversampling and SMOTE (synthetic minority points), multi-class cost matrices, costs that
differ per sample (a large transaction costs more to miss), and probability calibration.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _labels(y: ArrayLike, what: str = "y") -> np.ndarray:
    """`y` as a non-empty 1-D array without NaN, or a ValueError naming `what`."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got an array of shape {y.shape}")
    if y.size == 0:
        raise ValueError(f"{what} is empty")
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(f"{what} contains NaN")
    return y


def _binary(y: ArrayLike, what: str) -> np.ndarray:
    """`y` as a 1-D int array of 0s and 1s (booleans allowed), or a ValueError."""
    y = _labels(y, what)
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{what} must hold only 0 and 1, got the values {np.unique(y)[:5]}")
    return y.astype(np.int64)


def _costs(cost_fp: float, cost_fn: float) -> tuple[float, float]:
    for name, cost in (("cost_fp", cost_fp), ("cost_fn", cost_fn)):
        if not (np.ndim(cost) == 0 and np.isfinite(cost) and cost >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {cost!r}")
    return float(cost_fp), float(cost_fn)


def balanced_class_weights(y: ArrayLike) -> dict:
    """The "balanced" weight of each class: ``n / (k * n_c)``, as a dict {class label: weight}.

    Each class then carries total weight ``n_c * n / (k * n_c) = n / k``: the same for all, as if the
    data were balanced. Pass the dict as ``class_weight=`` to a scikit-learn classifier.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels (ints or strings), at least two distinct ones.

    >>> balanced_class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    y = _labels(y)
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"balancing needs at least two classes, y holds only {classes[0]!r}")
    weights = len(y) / (len(classes) * counts)
    return dict(zip(classes.tolist(), weights.tolist(), strict=True))


def expected_cost(y_true: ArrayLike, y_pred: ArrayLike, cost_fp: float, cost_fn: float) -> float:
    """The total cost ``c_FP * FP + c_FN * FN`` of binary predictions `y_pred` for labels `y_true`.

    Both arrays have shape (n_samples,) and hold 0 (negative) and 1 (positive). Correct decisions cost
    nothing. Divide by n for the average cost per case. Cost: O(n).

    >>> expected_cost([0, 0, 1, 1], [1, 0, 0, 1], cost_fp=1.0, cost_fn=10.0)
    11.0
    """
    y_true, y_pred = _binary(y_true, "y_true"), _binary(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred have different lengths: {y_true.size} and {y_pred.size}")
    cost_fp, cost_fn = _costs(cost_fp, cost_fn)
    false_positives = int(np.sum((y_pred == 1) & (y_true == 0)))
    false_negatives = int(np.sum((y_pred == 0) & (y_true == 1)))
    return cost_fp * false_positives + cost_fn * false_negatives


def cost_optimal_threshold(y_true: ArrayLike, scores: ArrayLike, cost_fp: float,
                           cost_fn: float) -> tuple[float, float]:
    """The threshold t (predict positive when ``score >= t``) with the lowest total cost, and that cost.

    Candidates: every distinct score, plus ``+inf`` ("predict nothing positive", cost ``c_FN * P``).
    Ties between equally cheap thresholds go to the highest one (the fewest alarms).

    Sort the scores once, highest first; after the first i samples ``TP_i = cumsum(labels)_i`` and
    ``FP_i = i - TP_i``. Tied scores are crossed together, so only the last position of each run of
    equal scores is a candidate. Cost at each: ``c_FP * FP + c_FN * (P - TP)``. O(n log n).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), 0s and 1s, both present
    scores : array-like of shape (n_samples,), finite; higher means "more likely positive"
    cost_fp, cost_fn : float >= 0, the cost of one false positive and of one false negative

    Returns
    -------
    (threshold, cost) : tuple of two floats

    >>> cost_optimal_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], cost_fp=1.0, cost_fn=3.0)
    (0.35, 1.0)
    """
    y = _binary(y_true, "y_true")
    s = np.asarray(scores, dtype=np.float64)
    if s.shape != y.shape:
        raise ValueError(f"y_true and scores must have the same shape, got {y.shape} and {s.shape}")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite (no NaN or inf)")
    if y.min() == y.max():
        raise ValueError("y_true must contain both classes to choose a threshold")
    cost_fp, cost_fn = _costs(cost_fp, cost_fn)

    order = np.argsort(-s, kind="stable")
    sorted_scores, sorted_labels = s[order], y[order]
    true_pos = np.cumsum(sorted_labels)
    false_pos = np.arange(1, len(s) + 1) - true_pos
    last_of_run = np.r_[np.flatnonzero(sorted_scores[1:] != sorted_scores[:-1]), len(s) - 1]
    positives = true_pos[-1]
    thresholds = np.r_[np.inf, sorted_scores[last_of_run]]  # decreasing: the first minimum is the highest
    costs = np.r_[cost_fn * positives, cost_fp * false_pos[last_of_run] + cost_fn * (positives - true_pos[last_of_run])]
    best = int(np.argmin(costs))
    return float(thresholds[best]), float(costs[best])


def random_undersample(X: ArrayLike, y: ArrayLike, ratio: float = 1.0,
                       random_state: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Keep every row of the smallest class and a random subset of each larger class.

    With ``m`` rows in the smallest class, class c keeps ``min(n_c, int(ratio * m))`` rows, drawn
    uniformly without replacement; ``ratio = 1`` balances the classes exactly. The kept rows stay in
    their original order. Resample only the training data: the test set must keep the real class mix.

    Vectorized: one random key per row; sorting by (class, key) puts each class's rows in random order,
    and the first ``keep_c`` of each class are kept. O(n log n), no loop over rows or classes.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), at least two classes
    ratio : float >= 1, rows kept per class relative to the smallest class
    random_state : int, numpy Generator or None

    Returns
    -------
    X_resampled : ndarray of shape (n_kept, n_features)
    y_resampled : ndarray of shape (n_kept,)

    >>> X, y = np.arange(10).reshape(-1, 1), np.array([0] * 8 + [1] * 2)
    >>> np.bincount(random_undersample(X, y, ratio=1.5, random_state=0)[1])
    array([3, 2])
    """
    X = np.asarray(X)
    y = _labels(y)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"X and y have different numbers of rows: {len(X)} and {len(y)}")
    if not (np.ndim(ratio) == 0 and np.isfinite(ratio) and ratio >= 1):
        raise ValueError(f"ratio must be a finite number >= 1, got {ratio!r}")
    classes, which, counts = np.unique(y, return_inverse=True, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"undersampling needs at least two classes, y holds only {classes[0]!r}")
    keep = np.minimum(counts, int(ratio * counts.min()))

    rng = np.random.default_rng(random_state)
    order = np.lexsort((rng.random(len(y)), which))  # grouped by class, random within each class
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    rank_in_class = np.arange(len(y)) - starts[which[order]]
    kept = np.sort(order[rank_in_class < keep[which[order]]])
    return X[kept], y[kept]
