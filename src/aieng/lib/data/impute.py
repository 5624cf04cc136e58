"""Missing data: describe it, then fill it in without peeking at the test set.

Implements per-column missing counts and fractions, a mask of complete rows (what "drop" keeps), and
two imputers with scikit-learn's API:

- `SimpleImputer`: replaces each missing entry of column j with one statistic learned from the training
  column (mean, median, most frequent value, or a constant);
- `KNNImputer`: replaces it with the average of column j over the k training rows nearest to the
  incomplete row, nearness measured by the NaN-aware Euclidean distance on the coordinates both rows
  have.

Missing means NaN (or None in an object array for the describing functions). Statistics come from
`fit` only, so transforming a test set never uses the test set's own values (no leakage).
Left out: other missing-value markers, missingness-indicator columns, iterative (MICE) imputation,
string columns in the imputers. A training column with no observed value gets the statistic 0 (or the
constant), as scikit-learn does with ``keep_empty_features=True``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


def _table(X: ArrayLike) -> np.ndarray:
    table = np.asarray(X)
    if table.ndim != 2:
        raise ValueError(f"expected a 2-D table of shape (n_samples, n_features), got shape {table.shape}")
    return table


def missing_counts(X: ArrayLike) -> np.ndarray:
    """How many entries of each column are missing (NaN or None), shape (n_features,), int.

    >>> missing_counts([[1.0, np.nan], [np.nan, np.nan], [3.0, 4.0]])
    array([1, 2])
    """
    return pd.isna(_table(X)).sum(axis=0).astype(np.int64)


def missing_fractions(X: ArrayLike) -> np.ndarray:
    """The fraction of each column that is missing, in [0, 1], shape (n_features,).

    The count divided by n_samples; a table with no rows has no fraction, so it raises ValueError.
    """
    table = _table(X)
    if table.shape[0] == 0:
        raise ValueError("a table with no rows has no missing fraction")
    return missing_counts(table) / table.shape[0]


def complete_rows(X: ArrayLike) -> np.ndarray:
    """Boolean mask of shape (n_samples,): True where the row has no missing entry.

    ``X[complete_rows(X)]`` is listwise deletion ("drop"), pandas' ``dropna()``. Cheap, but under MAR or
    MNAR it biases what is left, and with many columns it may keep almost nothing.
    """
    return ~pd.isna(_table(X)).any(axis=1)


def _most_frequent(column: np.ndarray) -> float:
    """The most frequent non-NaN value; ties go to the smallest value (np.unique sorts)."""
    values, counts = np.unique(column[~np.isnan(column)], return_counts=True)
    return float(values[np.argmax(counts)]) if values.size else 0.0


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Fill each missing entry with one statistic of its column, learned by `fit`.

    Parameters
    ----------
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
        The statistic: column mean or median of the observed values, the most frequent observed value
        (smallest on ties), or `fill_value`.
    fill_value : float or None, default=None
        The constant for ``strategy="constant"``; None means 0.

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The value that replaces NaN in each column. A column with no observed value in training gets 0
        (or `fill_value` for "constant").
    n_features_in_ : int
        Number of columns seen in `fit`.

    Cost: O(n_samples * n_features) for mean and constant, O(n log n) per column for the others.

    >>> SimpleImputer(strategy="median").fit([[1.0], [np.nan], [10.0], [2.0]]).statistics_
    array([2.])
    """

    _STRATEGIES = ("mean", "median", "most_frequent", "constant")

    def __init__(self, *, strategy: str = "mean", fill_value: float | None = None) -> None:
        self.strategy = strategy
        self.fill_value = fill_value

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: ArrayLike, y: object = None) -> SimpleImputer:
        """Learn one statistic per column from X of shape (n_samples, n_features); NaN marks missing."""
        if self.strategy not in self._STRATEGIES:
            raise ValueError(f"strategy must be one of {self._STRATEGIES}, got {self.strategy!r}")
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        observed = ~np.isnan(X)
        n_observed = observed.sum(axis=0)
        if self.strategy == "constant":
            value = 0.0 if self.fill_value is None else float(self.fill_value)
            self.statistics_ = np.full(X.shape[1], value)
        elif self.strategy == "mean":
            total = np.where(observed, X, 0.0).sum(axis=0)
            self.statistics_ = np.divide(total, n_observed, out=np.zeros(X.shape[1]), where=n_observed > 0)
        elif self.strategy == "median":
            ordered = np.sort(X, axis=0)  # NaN sorts last, so the observed values come first
            low = np.clip((n_observed - 1) // 2, 0, None)
            high = np.clip(n_observed // 2, 0, None)
            columns = np.arange(X.shape[1])
            median = (ordered[low, columns] + ordered[high, columns]) / 2 if X.shape[0] else np.zeros(0)
            self.statistics_ = np.where(n_observed > 0, median, 0.0)
        else:
            self.statistics_ = np.array([_most_frequent(X[:, j]) for j in range(X.shape[1])])
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """X of shape (n_samples, n_features) with every NaN replaced by its column's statistic."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        return np.where(np.isnan(X), self.statistics_, X)


def nan_euclidean(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """NaN-aware Euclidean distances between the rows of A (m, d) and B (n, d), shape (m, n).

    Only coordinates present in both rows count, and the sum is scaled up to all d coordinates:
    ``dist(a, b) = sqrt(d / n_present * sum_present (a_k - b_k)^2)``. Rows with no coordinate in
    common are NaN apart. Cost: O(m n d) time and memory.
    """
    diff = A[:, None, :] - B[None, :, :]
    present = ~np.isnan(diff)
    n_present = present.sum(axis=2)
    squared = np.where(present, diff, 0.0) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = squared.sum(axis=2) * A.shape[1] / n_present
    return np.where(n_present > 0, np.sqrt(scaled), np.nan)


class KNNImputer(TransformerMixin, BaseEstimator):
    """Fill a missing entry with the average of that column over the nearest training rows.

    For a row with column j missing, the candidate donors are the training rows where column j is
    observed; the `n_neighbors` closest by `nan_euclidean` distance give their column-j values, averaged
    with equal weights ("uniform") or weights 1/distance ("distance"; a donor at distance 0 takes all
    the weight). A row that shares no observed coordinate with any donor gets the training column mean.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of donors (fewer if fewer training rows observe the column).
    weights : {"uniform", "distance"}, default="uniform"
        How the donors' values are averaged.

    Attributes
    ----------
    fit_X_ : ndarray of shape (n_samples, n_features)
        The training rows: the donors (k-nearest neighbours learns by remembering).
    column_means_ : ndarray of shape (n_features,)
        Observed-value mean of each training column (0 for a column with none), the fallback.
    n_features_in_ : int
        Number of columns seen in `fit`.

    Cost: O(n_test * n_train * n_features) per transform (a distance matrix).
    """

    def __init__(self, *, n_neighbors: int = 5, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: ArrayLike, y: object = None) -> KNNImputer:
        """Remember the training rows X of shape (n_samples, n_features) and their column means."""
        if not isinstance(self.n_neighbors, int | np.integer) or self.n_neighbors < 1:
            raise ValueError(f"n_neighbors must be a positive integer, got {self.n_neighbors!r}")
        if self.weights not in ("uniform", "distance"):
            raise ValueError(f"weights must be 'uniform' or 'distance', got {self.weights!r}")
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        self.fit_X_ = X.copy()
        self.column_means_ = SimpleImputer(strategy="mean").fit(X).statistics_
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """X of shape (n_samples, n_features) with each NaN replaced by its k-nearest-donor average."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        result = X.copy()
        missing = np.isnan(X)
        rows = np.flatnonzero(missing.any(axis=1))
        if rows.size == 0:
            return result
        distances = nan_euclidean(X[rows], self.fit_X_)  # (n_incomplete, n_train)
        for j in np.flatnonzero(missing[rows].any(axis=0)):  # a loop over features, not samples
            receivers = np.flatnonzero(missing[rows, j])
            donors = np.flatnonzero(~np.isnan(self.fit_X_[:, j]))
            if donors.size == 0:
                result[rows[receivers], j] = self.column_means_[j]
                continue
            dist = distances[np.ix_(receivers, donors)]
            k = min(self.n_neighbors, donors.size)
            nearest = np.argpartition(dist, k - 1, axis=1)[:, :k]  # NaN distances sort last
            near_dist = np.take_along_axis(dist, nearest, axis=1)
            values = self.fit_X_[donors, j][nearest]
            if self.weights == "uniform":
                weight = np.where(np.isnan(near_dist), 0.0, 1.0)
            else:
                with np.errstate(divide="ignore"):
                    weight = np.where(np.isnan(near_dist), 0.0, 1.0 / near_dist)
                exact = near_dist == 0
                weight = np.where(exact.any(axis=1, keepdims=True), exact.astype(float), weight)
            total = weight.sum(axis=1)
            average = np.divide((weight * values).sum(axis=1), total, out=np.zeros(len(total)), where=total > 0)
            result[rows[receivers], j] = np.where(total > 0, average, self.column_means_[j])
        return result
