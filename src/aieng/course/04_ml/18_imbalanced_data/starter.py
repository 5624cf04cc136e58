"""Imbalanced data — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check imbalanced-data`.
Binary labels are 0 (negative) and 1 (positive); booleans count as 0/1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def balanced_class_weights(y: ArrayLike) -> dict:
    """The "balanced" weight of every class, as a dict {class label: weight}.

    y: labels of shape (n_samples,), ints or strings. Class c with n_c samples gets n / (k * n_c),
    where n = len(y) and k = number of classes, so every class carries the same total weight n / k.
    - Raise ValueError if y is empty, not 1-D, or holds fewer than two classes.

    >>> balanced_class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    raise NotImplementedError


def expected_cost(y_true: ArrayLike, y_pred: ArrayLike, cost_fp: float, cost_fn: float) -> float:
    """The total cost c_FP * FP + c_FN * FN of the predictions, as a float.

    y_true, y_pred: shape (n_samples,), values 0 and 1 (one class only is fine here).
    FP = predicted 1 but truly 0; FN = predicted 0 but truly 1. Correct predictions cost nothing.
    - Raise ValueError for empty or non-1-D input, different lengths, values other than 0/1, and a cost
      that is negative, NaN or infinite.

    >>> expected_cost([0, 0, 1, 1], [1, 0, 0, 1], cost_fp=1.0, cost_fn=10.0)
    11.0
    """
    raise NotImplementedError


def cost_optimal_threshold(y_true: ArrayLike, scores: ArrayLike, cost_fp: float,
                           cost_fn: float) -> tuple[float, float]:
    """The cheapest decision threshold and its total cost, as (threshold, cost).

    y_true: shape (n_samples,), 0s and 1s, both present. scores: shape (n_samples,), finite.
    A threshold t predicts 1 where score >= t. The candidates are every distinct score, plus np.inf
    ("predict nothing positive", which costs c_FN * (number of positives)).
    - Among equally cheap candidates return the HIGHEST threshold.
    - Vectorized: sort once and use cumulative sums (no Python loop over thresholds).
    - Raise ValueError for empty input, different lengths, labels other than 0/1, a single class in
      y_true, non-finite scores, and a cost that is negative, NaN or infinite.

    >>> cost_optimal_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], cost_fp=1.0, cost_fn=3.0)
    (0.35, 1.0)
    """
    raise NotImplementedError


def random_undersample(X: ArrayLike, y: ArrayLike, ratio: float = 1.0,
                       random_state: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Keep all rows of the smallest class and a random subset of every other class.

    X: shape (n_samples, n_features); y: shape (n_samples,), at least two classes.
    With m rows in the smallest class, class c keeps min(n_c, int(ratio * m)) of its n_c rows, drawn
    uniformly at random without replacement with np.random.default_rng(random_state).
    Returns (X_resampled, y_resampled) of shapes (n_kept, n_features) and (n_kept,), the kept rows in
    their original order. Same random_state -> same rows.
    - Raise ValueError if X is not 2-D, X and y differ in length, y is empty or has one class, or
      ratio < 1 (or is not finite).
    """
    raise NotImplementedError
