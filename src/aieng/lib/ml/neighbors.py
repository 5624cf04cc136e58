"""k-nearest neighbours: classify or regress a point by looking at the k closest training points.

``fit`` only stores the training data. ``predict`` computes all query-to-training Euclidean distances at
once with the expansion ``||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b`` (one matrix product), picks the k
smallest per row with ``argpartition`` (O(m n) instead of a full sort) and then

- classifier: a (weighted) vote; a tied vote goes to the class that comes first in ``classes_``, the
  rule scikit-learn follows (its ``predict`` is the first maximum of ``predict_proba``);
- regressor: the (weighted) mean of the neighbours' targets.

``weights="distance"`` weighs each neighbour by ``1 / distance``; a query that coincides with training
points (distance 0) takes the average of those points only, as scikit-learn does.

Left out: metrics other than Euclidean, KD- and ball trees (exact brute force only: O(m n p) time and
O(m n) memory for m queries against n training points), radius neighbours, multi-output targets, and any
promise about which of two *equidistant* neighbours is kept (use data without distance ties).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


def squared_distances(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """All squared Euclidean distances between rows of A (m, p) and rows of B (n, p): shape (m, n).

    Uses ``|a|^2 + |b|^2 - 2 a.b``, clipped at 0 (round-off can make it slightly negative).

    >>> squared_distances(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0], [1.0, 0.0]]))
    array([[25.,  1.]])
    """
    squared = np.sum(A**2, axis=1)[:, None] + np.sum(B**2, axis=1)[None, :] - 2.0 * (A @ B.T)
    return np.maximum(squared, 0.0)


def neighbour_weights(distances: np.ndarray, weights: str) -> np.ndarray:
    """Weights of shape (m, k) for the neighbours at `distances` (m, k): all ones, or ``1 / distance``.

    In a row containing an exact match (distance 0), the matches get weight 1 and the others 0.
    """
    if weights == "uniform":
        return np.ones_like(distances)
    exact = distances == 0.0
    with np.errstate(divide="ignore"):
        inverse = 1.0 / distances
    return np.where(exact.any(axis=1, keepdims=True), exact.astype(np.float64), inverse)


class _KNeighborsBase(BaseEstimator):
    """Storage, validation and the neighbour search shared by the classifier and the regressor."""

    def _check_params(self) -> None:
        if not (isinstance(self.n_neighbors, int | np.integer) and self.n_neighbors >= 1):
            raise ValueError(f"n_neighbors must be a positive integer, got {self.n_neighbors!r}")
        if self.weights not in ("uniform", "distance"):
            raise ValueError(f"weights must be 'uniform' or 'distance', got {self.weights!r}")

    def kneighbors(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Distances and indices of the ``n_neighbors`` nearest training points, nearest first.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
        indices : ndarray of shape (n_queries, n_neighbors), row indices into the training data
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        k = self.n_neighbors
        squared = squared_distances(X, self._fit_X)
        nearest = np.argpartition(squared, k - 1, axis=1)[:, :k] if k < squared.shape[1] else \
            np.tile(np.arange(squared.shape[1]), (len(X), 1))
        near_squared = np.take_along_axis(squared, nearest, axis=1)
        order = np.argsort(near_squared, axis=1, kind="stable")
        return (np.sqrt(np.take_along_axis(near_squared, order, axis=1)),
                np.take_along_axis(nearest, order, axis=1))

    def _store(self, X, y, classify: bool) -> np.ndarray:
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=not classify)
        if self.n_neighbors > len(X):
            raise ValueError(f"n_neighbors = {self.n_neighbors} exceeds the number of training samples "
                             f"(n_samples = {len(X)})")
        self._fit_X = X
        return y


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """Classify by a vote among the k nearest training points (Euclidean distance).

    Parameters
    ----------
    n_neighbors : int, default=5
        k, at most the number of training samples.
    weights : {"uniform", "distance"}, default="uniform"
        Every neighbour votes 1, or ``1 / distance``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    n_samples_fit_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> KNeighborsClassifier(n_neighbors=2).fit(X, ["a", "a", "b", "b"]).predict([[0.4], [10.2]])
    array(['a', 'b'], dtype='<U1')
    """

    def __init__(self, *, n_neighbors: int = 5, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def fit(self, X, y) -> KNeighborsClassifier:
        """Store the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : KNeighborsClassifier
        """
        y = self._store(X, y, classify=True)
        check_classification_targets(y)
        self.classes_, self._y_index = np.unique(y, return_inverse=True)
        self.n_samples_fit_ = len(y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Share of the (weighted) vote each class gets, columns ordered as ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        proba : ndarray of shape (n_queries, n_classes)
        """
        distances, indices = self.kneighbors(X)
        weight = neighbour_weights(distances, self.weights)
        one_hot = np.eye(len(self.classes_))[self._y_index[indices]]  # (m, k, n_classes)
        votes = np.einsum("mk,mkc->mc", weight, one_hot)
        return votes / votes.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The winning class per query; ties go to the class first in ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        labels : ndarray of shape (n_queries,)
        """
        proba = self.predict_proba(X)  # first: it checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """Predict the (weighted) mean target of the k nearest training points (Euclidean distance).

    Parameters
    ----------
    n_neighbors : int, default=5
        k, at most the number of training samples.
    weights : {"uniform", "distance"}, default="uniform"

    Attributes
    ----------
    n_features_in_ : int
    n_samples_fit_ : int
    """

    def __init__(self, *, n_neighbors: int = 5, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def fit(self, X, y) -> KNeighborsRegressor:
        """Store the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : KNeighborsRegressor
        """
        self._fit_y = self._store(X, y, classify=False).astype(np.float64)
        self.n_samples_fit_ = len(self._fit_y)
        return self

    def predict(self, X) -> np.ndarray:
        """Weighted mean of the neighbours' targets.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_queries,)
        """
        distances, indices = self.kneighbors(X)
        weight = neighbour_weights(distances, self.weights)
        return np.sum(weight * self._fit_y[indices], axis=1) / weight.sum(axis=1)
