"""k-nearest neighbours — your implementation.

Both estimators store the training data in ``fit``; to predict, they find the ``n_neighbors`` training
points nearest (Euclidean distance) to each query and vote (classifier) or average (regressor), with every
neighbour counting 1 (``weights="uniform"``) or ``1 / distance`` (``weights="distance"``). No Python loops:
the tests read your source. Replace each `raise NotImplementedError` and check with `aieng check knn`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class KNeighborsClassifier(ClassifierMixin, BaseEstimator):
    """Vote among the k nearest training points.

    Parameters
    ----------
    n_neighbors : int, default=5
        k: at least 1 and at most the number of training samples (else ValueError in fit).
    weights : {"uniform", "distance"}, default="uniform"
        With "distance", a query that coincides with training points is decided by those points alone.

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (n_classes,), sorted labels
    n_features_in_ : int
    n_samples_fit_ : int

    A tied vote goes to the class that comes first in ``classes_``.
    """

    def __init__(self, *, n_neighbors: int = 5, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def fit(self, X, y) -> KNeighborsClassifier:
        """Store X of shape (n_samples, n_features) and labels y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """Share of the (weighted) vote per class: shape (n_queries, n_classes), columns as ``classes_``."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """The winning label per query, shape (n_queries,)."""
        raise NotImplementedError


class KNeighborsRegressor(RegressorMixin, BaseEstimator):
    """Average the targets of the k nearest training points.

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"}, default="uniform"

    Attributes (set by ``fit``)
    ---------------------------
    n_features_in_ : int
    n_samples_fit_ : int
    """

    def __init__(self, *, n_neighbors: int = 5, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def fit(self, X, y) -> KNeighborsRegressor:
        """Store X of shape (n_samples, n_features) and targets y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """(Weighted) mean target of the k nearest training points, shape (n_queries,)."""
        raise NotImplementedError
