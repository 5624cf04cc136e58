"""Missing data — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check missing-data`.
The classes follow scikit-learn's API: `__init__` only stores its arguments (given), `fit` validates the
data, learns attributes ending in `_` and returns self, `transform` checks it is fitted and validates again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # noqa: F401  (pd.isna knows NaN and None)
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


def missing_counts(X: ArrayLike) -> np.ndarray:
    """Number of missing entries (NaN, or None in an object table) per column, int array of shape (n_features,).

    Raise ValueError unless X is 2-D (n_samples, n_features).
    """
    raise NotImplementedError


def missing_fractions(X: ArrayLike) -> np.ndarray:
    """Fraction of missing entries per column, shape (n_features,), values in [0, 1].

    Raise ValueError unless X is 2-D, and for a table with no rows.
    """
    raise NotImplementedError


def complete_rows(X: ArrayLike) -> np.ndarray:
    """Boolean mask of shape (n_samples,): True where the row has no missing entry (what dropna() keeps)."""
    raise NotImplementedError


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace each NaN with one statistic of its column learned in `fit`.

    Parameters
    ----------
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
        most_frequent breaks ties by the smallest value; anything else raises ValueError in fit.
    fill_value : float or None, default=None
        The constant for strategy="constant" (None means 0).

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The replacement value of each column.
    n_features_in_ : int
        Set by `validate_data` in fit.
    """

    def __init__(self, *, strategy: str = "mean", fill_value: float | None = None) -> None:
        self.strategy = strategy
        self.fill_value = fill_value

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # an imputer must accept NaN
        return tags

    def fit(self, X: ArrayLike, y: object = None) -> SimpleImputer:
        """Learn `statistics_` from X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """A new array of shape (n_samples, n_features): X with each NaN replaced by its column's statistic."""
        raise NotImplementedError


class KNNImputer(TransformerMixin, BaseEstimator):
    """Replace a NaN in column j by the average column-j value of the nearest training rows observing column j.

    Distance between rows a and b: sqrt(n_features / n_present * sum over coordinates present in both of
    (a_k - b_k)^2), NaN when they share none. Donors at NaN distance get weight 0; a row with no finite
    distance to any donor gets the training column mean.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of donors (fewer if fewer rows observe the column); below 1 raises ValueError in fit.
    weights : {"uniform", "distance"}, default="uniform"
        Equal weights, or 1/distance (a donor at distance 0 then takes all the weight).

    Attributes
    ----------
    fit_X_ : ndarray of shape (n_samples, n_features)
        The training rows.
    n_features_in_ : int
        Set by `validate_data` in fit.
    """

    def __init__(self, *, n_neighbors: int = 5, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: ArrayLike, y: object = None) -> KNNImputer:
        """Check the parameters, remember X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """A new array of shape (n_samples, n_features) with every NaN filled from its nearest donors."""
        raise NotImplementedError
