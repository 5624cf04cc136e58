"""Learning and validation curves — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check learning-curves`.
sklearn.model_selection is switched off while the checks run: build the folds yourself (your KFold and
StratifiedKFold from the cross-validation exercise, pasted here, do it). sklearn.base.clone is fine.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone, is_classifier  # noqa: F401  (clone(estimator) gives an unfitted copy)


def learning_curve(estimator: Any, X: ArrayLike, y: ArrayLike, *,
                   train_sizes: ArrayLike = (0.1, 0.325, 0.55, 0.775, 1.0),
                   cv: int | Any = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Train and validation scores as the training set grows, exactly as sklearn's learning_curve.

    X: shape (n_samples, n_features); y: shape (n_samples,). cv: an int k (StratifiedKFold(k) without
    shuffling for a classifier with class labels, else KFold(k)) or any object with split(X, y).
    train_sizes: floats in (0, 1] are fractions of n_max = the size of the FIRST training fold, turned into
    counts by int(fraction * n_max) clipped to [1, n_max]; ints are counts in [1, n_max]; then np.unique.
    For each size k and fold (train, test): fit clone(estimator) on X[train[:k]], y[train[:k]] and record
    model.score on those k rows and on the test rows.
    Returns (train_sizes_abs of shape (n_ticks,), train_scores and test_scores of shape (n_ticks, n_folds)).
    ValueError for sizes out of range, or X, y of different lengths.
    """
    raise NotImplementedError


def validation_curve(estimator: Any, X: ArrayLike, y: ArrayLike, *, param_name: str, param_range: ArrayLike,
                     cv: int | Any = 5) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation scores as one hyperparameter varies, exactly as sklearn's validation_curve.

    For each value v in param_range and fold (train, test): fit clone(estimator).set_params(**{param_name: v})
    on the training rows, record model.score on the training rows and on the test rows.
    Returns (train_scores, test_scores), each of shape (n_params, n_folds). cv as in learning_curve.
    ValueError for an empty param_range, a name that is not a parameter of the estimator, or X, y of
    different lengths.
    """
    raise NotImplementedError
