"""Feature scaling — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check scaling`.
Each scaler is the affine map z = (x - center_) / scale_ per column, learned in `fit` from the training
rows only. `__init__` only stores its arguments (given); NaN is skipped in fit and kept in transform.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class _AffineScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Shared part: subclasses set `center_` and `scale_` (arrays of shape (n_features,)) in fit."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # NaN is skipped in fit and passed through in transform
        return tags

    def transform(self, X: ArrayLike) -> np.ndarray:
        """(X - center_) / scale_, a new array of shape (n_samples, n_features). Check fitted, validate X first."""
        raise NotImplementedError

    def inverse_transform(self, X: ArrayLike) -> np.ndarray:
        """X * scale_ + center_, shape (n_samples, n_features): undoes transform."""
        raise NotImplementedError


class MinMaxScaler(_AffineScaler):
    """Map each column's training [min, max] onto feature_range = (a, b); a constant column maps to a.

    Parameters
    ----------
    feature_range : tuple (a, b), default=(0, 1)
        Raise ValueError in fit unless a < b.

    Attributes
    ----------
    data_min_, data_max_, center_, scale_ : ndarray of shape (n_features,)
    """

    def __init__(self, *, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        self.feature_range = feature_range

    def fit(self, X: ArrayLike, y: object = None) -> MinMaxScaler:
        """Learn per-column min and max of X, shape (n_samples, n_features), NaN ignored; return self."""
        raise NotImplementedError


class StandardScaler(_AffineScaler):
    """z = (x - mean) / std with the training mean and population standard deviation (ddof = 0).

    Parameters
    ----------
    with_mean : bool, default=True
        If False, center_ is 0.
    with_std : bool, default=True
        If False, scale_ is 1. A constant column also gets scale_ 1.

    Attributes
    ----------
    mean_, var_, center_, scale_ : ndarray of shape (n_features,)
    """

    def __init__(self, *, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: ArrayLike, y: object = None) -> StandardScaler:
        """Learn per-column mean and variance of X, shape (n_samples, n_features), NaN ignored; return self."""
        raise NotImplementedError


class RobustScaler(_AffineScaler):
    """z = (x - median) / (q_high - q_low) with training percentiles (numpy's linear interpolation).

    Parameters
    ----------
    with_centering : bool, default=True
        If False, center_ is 0.
    with_scaling : bool, default=True
        If False, scale_ is 1. No spread also gives scale_ 1.
    quantile_range : tuple (q_low, q_high), default=(25.0, 75.0)
        Raise ValueError in fit unless 0 <= q_low < q_high <= 100.

    Attributes
    ----------
    center_, scale_ : ndarray of shape (n_features,)
    """

    def __init__(
        self, *, with_centering: bool = True, with_scaling: bool = True,
        quantile_range: tuple[float, float] = (25.0, 75.0),
    ) -> None:
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range

    def fit(self, X: ArrayLike, y: object = None) -> RobustScaler:
        """Learn per-column median and interquartile range of X, shape (n_samples, n_features); return self."""
        raise NotImplementedError
