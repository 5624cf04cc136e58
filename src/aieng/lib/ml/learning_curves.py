"""Learning and validation curves: how a model's train and validation scores move with data and complexity.

``learning_curve`` refits a model on growing prefixes of every cross-validation training fold and scores
it on that prefix and on the fold's test part; ``validation_curve`` sweeps one hyperparameter over a range
and cross-validates each value. Both follow scikit-learn's conventions exactly (``shuffle=False``): an int
``cv`` means ``StratifiedKFold`` for a classifier on class labels and ``KFold`` otherwise, train sizes
are fractions of the largest training fold (or absolute counts), and a training subset of size k is the
first k rows of the training fold. Scores come from ``estimator.score`` (accuracy or R²).

Left out: custom scorers, groups, shuffling of the training subsets, incremental learning, parallelism,
fit times and error_score handling (a failed fit raises).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone

from aieng.lib.ml.model_selection import _splitter


def _check_data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array of shape (n_samples, n_features), got {X.shape}")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must be 1-D with one target per sample ({X.shape[0]}), got shape {y.shape}")
    return X, y


def _folds(estimator: Any, X: np.ndarray, y: np.ndarray, cv: int | Any) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.asarray(train), np.asarray(test)) for train, test in _splitter(cv, estimator, y).split(X, y)]


def _fit_and_score(estimator: Any, X: np.ndarray, y: np.ndarray, train: np.ndarray,
                   test: np.ndarray) -> tuple[float, float]:
    model = clone(estimator).fit(X[train], y[train])
    return float(model.score(X[train], y[train])), float(model.score(X[test], y[test]))


def resolve_train_sizes(train_sizes: ArrayLike, n_max: int) -> np.ndarray:
    """Turn fractions in (0, 1] or counts in [1, n_max] into sorted, distinct absolute sizes.

    Fractions are scaled by ``n_max`` (the largest training fold), truncated to int and clipped to
    ``[1, n_max]``; duplicates collapse (as scikit-learn, which warns about it).

    >>> resolve_train_sizes([0.1, 0.5, 1.0], 120).tolist()
    [12, 60, 120]
    """
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(f"train_sizes must be a non-empty 1-D sequence, got shape {sizes.shape}")
    if np.issubdtype(sizes.dtype, np.floating):
        if not np.all(np.isfinite(sizes)) or sizes.min() <= 0.0 or sizes.max() > 1.0:
            raise ValueError(f"fractional train_sizes must lie in (0, 1], got {sizes.tolist()}")
        sizes = np.clip((sizes * n_max).astype(int), 1, n_max)
    elif np.issubdtype(sizes.dtype, np.integer):
        if sizes.min() <= 0 or sizes.max() > n_max:
            raise ValueError(f"absolute train_sizes must lie in [1, {n_max}], got {sizes.tolist()}")
    else:
        raise ValueError(f"train_sizes must be numbers, got dtype {sizes.dtype}")
    return np.unique(sizes)


def learning_curve(estimator: Any, X: ArrayLike, y: ArrayLike, *,
                   train_sizes: ArrayLike = (0.1, 0.325, 0.55, 0.775, 1.0),
                   cv: int | Any = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Train and validation scores as the training set grows.

    For every fold (train, test) and every size k: fit ``clone(estimator)`` on the first k rows of
    ``train``, score it on those k rows and on ``test``. X has shape (n_samples, n_features), y shape
    (n_samples,). Returns ``(train_sizes_abs, train_scores, test_scores)`` of shapes (n_ticks,),
    (n_ticks, n_folds) and (n_ticks, n_folds). Cost: n_ticks x n_folds fits.

    A gap between the rows' means that closes as k grows says "variance, more data helps"; two low
    curves that meet early say "bias, a richer model is needed".
    """
    X, y = _check_data(X, y)
    folds = _folds(estimator, X, y, cv)
    sizes = resolve_train_sizes(train_sizes, len(folds[0][0]))
    scores = np.array([[_fit_and_score(estimator, X, y, train[:k], test) for train, test in folds]
                       for k in sizes], dtype=np.float64).reshape(len(sizes), len(folds), 2)
    return sizes, scores[..., 0], scores[..., 1]


def validation_curve(estimator: Any, X: ArrayLike, y: ArrayLike, *, param_name: str, param_range: ArrayLike,
                     cv: int | Any = 5) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation scores as one hyperparameter sweeps ``param_range``.

    For every value v and fold (train, test): fit ``clone(estimator).set_params(**{param_name: v})`` on
    ``train``, score on ``train`` and ``test``. Returns ``(train_scores, test_scores)``, each of shape
    (n_params, n_folds). Low scores on both sides of the range mean underfitting; a high train score with
    a falling validation score means overfitting; the peak of the validation row is the value to pick.
    """
    X, y = _check_data(X, y)
    values = list(param_range)
    if not values:
        raise ValueError("param_range is empty")
    if not isinstance(param_name, str) or param_name not in estimator.get_params():
        raise ValueError(f"{param_name!r} is not a parameter of {type(estimator).__name__}")
    folds = _folds(estimator, X, y, cv)
    scores = np.array([[_fit_and_score(clone(estimator).set_params(**{param_name: v}), X, y, train, test)
                        for train, test in folds] for v in values],
                      dtype=np.float64).reshape(len(values), len(folds), 2)
    return scores[..., 0], scores[..., 1]
