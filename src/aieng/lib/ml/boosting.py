"""Gradient boosting with regression trees: squared loss (regression) and log loss (binary classification).

Boosting builds an additive model ``F_M(x) = F_0 + nu * sum_m h_m(x)`` one small tree at a time. Each new tree
``h_m`` is fitted to the *negative gradient* of the loss at the current predictions (the pseudo-residuals),
so adding it is a gradient-descent step in function space; the learning rate ``nu`` shrinks every step.

- Squared loss ``(y - F)^2 / 2``: ``F_0 = mean(y)``, pseudo-residuals ``y - F`` (the ordinary residuals), and
  the tree's leaf means are already the best leaf values.
- Log loss on the raw score (log-odds) ``F``: ``F_0 = log(p / (1 - p))`` with ``p`` the share of the positive
  class, pseudo-residuals ``y - sigmoid(F)``; the tree's split structure is kept, but each leaf value is
  replaced by one Newton step for the log loss on the leaf's samples:
  ``sum(y - p_i) / sum(p_i (1 - p_i))``.

This is the algorithm of ``sklearn.ensemble.GradientBoostingRegressor`` / ``GradientBoostingClassifier`` with
``subsample=1.0``: the weak learners are scikit-learn's ``DecisionTreeRegressor`` (criterion squared error),
fitted on X cast to float32 and sharing one random generator, as there. Left out: multiclass, subsampling,
other losses (absolute, Huber, quantile, exponential), early stopping, warm starts, sample weights.
Cost: M tree fits, each O(p n log n) for depth-limited trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import numpy as np
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


def newton_leaf_values(leaves: np.ndarray, residual: np.ndarray, prob: np.ndarray, n_nodes: int) -> np.ndarray:
    """One Newton step of the log loss per leaf: ``sum(y - p) / sum(p (1 - p))`` over the leaf's samples.

    ``leaves`` (n,) are node ids from ``tree.apply``; returns an array of shape (n_nodes,) (0 for nodes without
    samples or with a vanishing Hessian, as scikit-learn does). Vectorized with ``np.bincount``: O(n).
    """
    numerator = np.bincount(leaves, weights=residual, minlength=n_nodes)
    denominator = np.bincount(leaves, weights=prob * (1.0 - prob), minlength=n_nodes)
    safe = np.abs(denominator) >= 1e-150
    return np.where(safe, numerator / np.where(safe, denominator, 1.0), 0.0)


class _BaseBoosting(BaseEstimator):
    """The boosting loop shared by the regressor and the classifier."""

    # tests/test_estimator_checks.py builds its instance with these: 5 trees, as scikit-learn's own checks do
    _estimator_checks_params: ClassVar[dict[str, int]] = {"n_estimators": 5}

    def __init__(self, *, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int = 3,
                 random_state=None) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.random_state = random_state

    def _check_parameters(self) -> None:
        if not (isinstance(self.n_estimators, int | np.integer) and self.n_estimators >= 1):
            raise ValueError(f"n_estimators must be a positive integer, got {self.n_estimators!r}")
        if not (isinstance(self.learning_rate, int | float) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate!r}")
        if not (isinstance(self.max_depth, int | np.integer) and self.max_depth >= 1):
            raise ValueError(f"max_depth must be a positive integer, got {self.max_depth!r}")

    def _boost(self, X: np.ndarray, y: np.ndarray, newton: bool) -> None:
        """Fit ``n_estimators`` trees to pseudo-residuals; y is float (0/1 labels when ``newton``)."""
        rng = check_random_state(self.random_state)
        X32 = X.astype(np.float32)  # the trees split float32 values, as in scikit-learn
        raw = np.full(len(y), self.initial_prediction_)
        self.estimators_, self.leaf_values_ = [], []
        self.train_score_ = np.empty(self.n_estimators)
        for m in range(self.n_estimators):
            residual = y - expit(raw) if newton else y - raw  # negative gradient of the loss
            tree = DecisionTreeRegressor(criterion="squared_error", max_depth=self.max_depth, random_state=rng)
            tree.fit(X32, residual)
            leaves = tree.apply(X32)
            if newton:
                values = newton_leaf_values(leaves, residual, y - residual, tree.tree_.node_count)
            else:
                values = tree.tree_.value[:, 0, 0].copy()  # leaf means are optimal for squared loss
            raw = raw + self.learning_rate * values[leaves]
            self.estimators_.append(tree)
            self.leaf_values_.append(values)
            self.train_score_[m] = self._training_loss(y, raw)

    def _staged_raw(self, X) -> Iterator[np.ndarray]:
        """Raw predictions (n_samples,) after 1, 2, ..., n_estimators trees (validates X before yielding)."""
        check_is_fitted(self)
        X32 = validate_data(self, X, reset=False, dtype=np.float64).astype(np.float32)
        return self._stages(X32)

    def _stages(self, X32: np.ndarray) -> Iterator[np.ndarray]:
        raw = np.full(X32.shape[0], self.initial_prediction_)
        for tree, values in zip(self.estimators_, self.leaf_values_, strict=True):
            raw = raw + self.learning_rate * values[tree.apply(X32)]
            yield raw

    def _raw_predict(self, X) -> np.ndarray:
        """Raw predictions (n_samples,) of the whole ensemble: the last stage."""
        *_, raw = self._staged_raw(X)
        return raw


class GradientBoostingRegressor(RegressorMixin, _BaseBoosting):
    """Gradient boosting for regression with the squared loss.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of boosting stages (trees), >= 1.
    learning_rate : float, default=0.1
        Shrinkage ``nu`` applied to every tree's contribution, > 0.
    max_depth : int, default=3
        Depth of each regression tree, >= 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the trees' tie-breaking between equally good splits.

    Attributes
    ----------
    initial_prediction_ : float, ``mean(y)``
    estimators_ : list of DecisionTreeRegressor, length n_estimators
    leaf_values_ : list of ndarray of shape (n_nodes,), each tree's value per node
    train_score_ : ndarray of shape (n_estimators,), mean squared error on the training data after each stage
    n_features_in_ : int

    Examples
    --------
    >>> X = np.arange(8.0)[:, None]
    >>> model = GradientBoostingRegressor(n_estimators=50, learning_rate=0.5, max_depth=1).fit(X, X[:, 0] ** 2)
    >>> bool(abs(model.predict([[3.0]])[0] - 9.0) < 1.0)
    True
    """

    def fit(self, X, y) -> GradientBoostingRegressor:
        """Start from the mean and add ``n_estimators`` trees fitted to the residuals.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : GradientBoostingRegressor
        """
        self._check_parameters()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        self.initial_prediction_ = float(np.mean(y))
        self._boost(X, y.astype(np.float64), newton=False)
        return self

    @staticmethod
    def _training_loss(y: np.ndarray, raw: np.ndarray) -> float:
        return float(np.mean((y - raw) ** 2))

    def staged_predict(self, X) -> Iterator[np.ndarray]:
        """Predictions after each stage.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Yields
        ------
        y_pred : ndarray of shape (n_samples,), after 1, 2, ..., n_estimators trees
        """
        yield from self._staged_raw(X)

    def predict(self, X) -> np.ndarray:
        """``F_0 + learning_rate * sum_m h_m(x)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self._raw_predict(X)


class GradientBoostingClassifier(ClassifierMixin, _BaseBoosting):
    """Gradient boosting for binary classification with the log loss (Newton leaf values).

    Parameters
    ----------
    n_estimators : int, default=100
        Number of boosting stages (trees), >= 1.
    learning_rate : float, default=0.1
        Shrinkage applied to every tree's contribution, > 0.
    max_depth : int, default=3
        Depth of each regression tree, >= 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the trees' tie-breaking between equally good splits.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    initial_prediction_ : float, log-odds of ``classes_[1]`` in the training labels
    estimators_ : list of DecisionTreeRegressor, length n_estimators
    leaf_values_ : list of ndarray of shape (n_nodes,), Newton leaf values per node
    train_score_ : ndarray of shape (n_estimators,), twice the mean log loss (the deviance) after each stage
    n_features_in_ : int
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # binary log loss only: more than 2 classes is a ValueError
        return tags

    def fit(self, X, y) -> GradientBoostingClassifier:
        """Start from the log-odds and add ``n_estimators`` trees fitted to ``y - sigmoid(F)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), exactly two distinct labels

        Returns
        -------
        self : GradientBoostingClassifier
        """
        self._check_parameters()
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError("GradientBoostingClassifier needs 2 classes, got 1 class")
        if len(self.classes_) > 2:
            raise ValueError(f"Only binary classification is supported; got {len(self.classes_)} classes")
        positive = index.astype(np.float64)
        eps = np.finfo(np.float64).eps
        p = np.clip(positive.mean(), eps, 1 - eps)
        self.initial_prediction_ = float(np.log(p / (1 - p)))
        self._boost(X, positive, newton=True)
        return self

    @staticmethod
    def _training_loss(y: np.ndarray, raw: np.ndarray) -> float:
        return float(2.0 * np.mean((1.0 - y) * raw - log_expit(raw)))

    def decision_function(self, X) -> np.ndarray:
        """The raw score (log-odds of ``classes_[1]``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        score : ndarray of shape (n_samples,)
        """
        return self._raw_predict(X)

    def predict_proba(self, X) -> np.ndarray:
        """``[1 - sigmoid(F), sigmoid(F)]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, 2), columns as ``classes_``
        """
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X) -> np.ndarray:
        """``classes_[1]`` where the score is positive, else ``classes_[0]``; shape (n_samples,)."""
        positive = self.decision_function(X) > 0  # first: it checks that the model is fitted
        return self.classes_[positive.astype(int)]

    def staged_predict_proba(self, X) -> Iterator[np.ndarray]:
        """Class probabilities after each stage.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Yields
        ------
        proba : ndarray of shape (n_samples, 2), after 1, 2, ..., n_estimators trees
        """
        for raw in self._staged_raw(X):
            p = expit(raw)
            yield np.column_stack([1.0 - p, p])

    def staged_predict(self, X) -> Iterator[np.ndarray]:
        """Labels after each stage; each of shape (n_samples,)."""
        for raw in self._staged_raw(X):
            yield self.classes_[(raw > 0).astype(int)]
