"""Gradient boosting — your implementation.

F_0 = a constant; then for m = 1..n_estimators: pseudo-residuals r = -dLoss/dF at the current F, fit a
DecisionTreeRegressor(criterion="squared_error", max_depth=max_depth, random_state=rng) to (X as float32, r),
set the leaf values (squared loss: keep the tree's leaf means; log loss: one Newton step per leaf), and
F <- F + learning_rate * leaf value of each row. Use ONE generator, rng = check_random_state(random_state),
for all trees, as scikit-learn does. Replace each `raise NotImplementedError` and check with
`aieng check gradient-boosting`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.special import expit, log_expit  # noqa: F401
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.tree import DecisionTreeRegressor  # noqa: F401
from sklearn.utils import check_random_state  # noqa: F401
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class GradientBoostingRegressor(RegressorMixin, BaseEstimator):
    """Gradient boosting for regression with the squared loss (y - F)^2 / 2.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees, >= 1 (else ValueError in fit).
    learning_rate : float, default=0.1
        Shrinkage of every tree's contribution, > 0 (else ValueError in fit).
    max_depth : int, default=3
        Depth of each tree, >= 1 (else ValueError in fit).
    random_state : int, RandomState instance or None, default=None
        Passed through one ``check_random_state`` generator to every tree (tie-breaking between splits).

    Attributes (set by ``fit``)
    ---------------------------
    initial_prediction_ : float, mean of y
    estimators_ : list of fitted DecisionTreeRegressor, length n_estimators
    train_score_ : ndarray of shape (n_estimators,), training mean squared error after each stage
    n_features_in_ : int
    """

    def __init__(self, *, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int = 3,
                 random_state=None) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.random_state = random_state

    def fit(self, X, y) -> GradientBoostingRegressor:
        """Boost from X of shape (n_samples, n_features) and y of shape (n_samples,)."""
        raise NotImplementedError

    def staged_predict(self, X) -> Iterator[np.ndarray]:
        """Yield the predictions, shape (n_samples,), after 1, 2, ..., n_estimators trees."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """F_0 + learning_rate * (sum of the trees' outputs), shape (n_samples,)."""
        raise NotImplementedError


class GradientBoostingClassifier(ClassifierMixin, BaseEstimator):
    """Gradient boosting for binary classification with the log loss on the log-odds F.

    Parameters: as GradientBoostingRegressor.

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (2,); a single class or more than two: ValueError (for more than two the
        message must contain "Only binary classification is supported")
    initial_prediction_ : float, log(p / (1 - p)) with p the share of classes_[1]
    estimators_ : list of fitted DecisionTreeRegressor, length n_estimators
    train_score_ : ndarray of shape (n_estimators,), 2 * mean log loss on the training data after each stage
    n_features_in_ : int
    """

    def __init__(self, *, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int = 3,
                 random_state=None) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.random_state = random_state

    def __sklearn_tags__(self):
        """Tell scikit-learn's checks that this classifier is binary only (given: keep it)."""
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y) -> GradientBoostingClassifier:
        """Boost from X of shape (n_samples, n_features) and y of shape (n_samples,) with two labels."""
        raise NotImplementedError

    def decision_function(self, X) -> np.ndarray:
        """The log-odds F(x) of classes_[1], shape (n_samples,)."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """[1 - sigmoid(F), sigmoid(F)], shape (n_samples, 2)."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """classes_[1] where F > 0, else classes_[0]; shape (n_samples,)."""
        raise NotImplementedError

    def staged_predict_proba(self, X) -> Iterator[np.ndarray]:
        """Yield predict_proba, shape (n_samples, 2), after 1, 2, ..., n_estimators trees."""
        raise NotImplementedError
