"""Feature scaling: put columns on comparable scales with statistics learned from the training data.

Implements three scikit-learn transformers, each an affine map per column, ``z = (x - center) / scale``,
with `fit` (learn center and scale from the training rows), `transform` (apply them to any rows) and
`inverse_transform` (``x = z * scale + center``):

- `MinMaxScaler`: maps the training range [min, max] onto `feature_range` (default [0, 1]);
- `StandardScaler`: subtracts the mean and divides by the population standard deviation (ddof = 0);
- `RobustScaler`: subtracts the median and divides by the interquartile range, so a few outliers
  barely move the statistics.

NaN is ignored when fitting and passed through when transforming (impute before or after, as you like).
A column with no spread (constant in training) gets scale 1, so it maps to a constant instead of
dividing by zero. Left out: sparse input, `partial_fit` (streaming statistics), sample weights, clipping,
and RobustScaler's ``unit_variance`` option.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

_EPS = np.finfo(np.float64).eps


def _nan_stat(function, X: np.ndarray, *args, **kwargs) -> np.ndarray:
    """`function(X, ..., axis=0)` with the all-NaN-column warning silenced (such a column gives NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(X, *args, axis=0, **kwargs)


def _safe_scale(scale: np.ndarray, constant: np.ndarray) -> np.ndarray:
    """`scale` with 1.0 where the column is constant (or had no observed value)."""
    return np.where(constant | ~np.isfinite(scale), 1.0, scale)


class _AffineScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Shared transform/inverse_transform for scalers that learn `center_` and `scale_` per column."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _validate_train(self, X: ArrayLike) -> np.ndarray:
        return validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Scaled copy of X of shape (n_samples, n_features): ``(X - center_) / scale_`` per column."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        return (X - self.center_) / self.scale_

    def inverse_transform(self, X: ArrayLike) -> np.ndarray:
        """Undo `transform`: ``X * scale_ + center_``, shape (n_samples, n_features)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan", reset=False)
        return X * self.scale_ + self.center_


class MinMaxScaler(_AffineScaler):
    """Map each column's training range [min, max] linearly onto `feature_range`.

    ``z = a + (x - min) (b - a) / (max - min)`` for ``feature_range = (a, b)``. New data outside the
    training range lands outside [a, b]: the map is learned once and never stretched. One outlier in
    training squeezes every other value into a sliver of the range.

    Parameters
    ----------
    feature_range : tuple (a, b), default=(0, 1)
        The target interval; a < b, else ValueError in fit.

    Attributes
    ----------
    data_min_, data_max_ : ndarray of shape (n_features,)
        Per-column minimum and maximum of the training data (NaN ignored).
    center_, scale_ : ndarray of shape (n_features,)
        The affine map, ``z = (x - center_) / scale_``.
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> MinMaxScaler().fit([[0.0], [5.0], [10.0]]).transform([[2.5], [20.0]]).ravel()
    array([0.25, 2.  ])
    """

    def __init__(self, *, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        self.feature_range = feature_range

    def fit(self, X: ArrayLike, y: object = None) -> MinMaxScaler:
        """Learn the per-column min and max of X, shape (n_samples, n_features); return self."""
        low, high = self.feature_range
        if not low < high:
            raise ValueError(f"feature_range must be (a, b) with a < b, got {self.feature_range!r}")
        X = self._validate_train(X)
        self.data_min_ = _nan_stat(np.nanmin, X)
        self.data_max_ = _nan_stat(np.nanmax, X)
        data_range = self.data_max_ - self.data_min_
        spread = _safe_scale(data_range, data_range < 10 * _EPS)
        self.scale_ = spread / (high - low)
        self.center_ = self.data_min_ - low * self.scale_
        return self


class StandardScaler(_AffineScaler):
    """Standardize each column: ``z = (x - mean) / std`` with the training mean and standard deviation.

    The standard deviation is the population one (divide by n, not n - 1), as in scikit-learn.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the mean (False keeps the center at 0).
    with_std : bool, default=True
        Divide by the standard deviation (False keeps the scale at 1).

    Attributes
    ----------
    mean_, var_ : ndarray of shape (n_features,)
        Training mean and population variance per column (NaN ignored).
    center_, scale_ : ndarray of shape (n_features,)
        The affine map actually applied.
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> StandardScaler().fit([[0.0], [2.0]]).transform([[4.0]])
    array([[3.]])
    """

    def __init__(self, *, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: ArrayLike, y: object = None) -> StandardScaler:
        """Learn the per-column mean and standard deviation of X, shape (n_samples, n_features)."""
        X = self._validate_train(X)
        self.mean_ = _nan_stat(np.nanmean, X)
        self.var_ = _nan_stat(np.nanvar, X)
        n = np.sum(~np.isnan(X), axis=0)
        # a constant column: its variance is round-off, not spread (the bound scikit-learn uses)
        constant = self.var_ <= n * _EPS * self.var_ + (n * self.mean_ * _EPS) ** 2
        self.center_ = self.mean_ if self.with_mean else np.zeros(X.shape[1])
        self.scale_ = _safe_scale(np.sqrt(self.var_), constant) if self.with_std else np.ones(X.shape[1])
        return self


class RobustScaler(_AffineScaler):
    """Center each column on its median and divide by its interquartile range.

    ``z = (x - median) / (q_high - q_low)``, with the percentiles of `quantile_range` (linear
    interpolation, as numpy.percentile). Medians and quartiles ignore the extreme values that drag a
    mean and a standard deviation around, so outliers stay outliers instead of squashing everyone else.

    Parameters
    ----------
    with_centering : bool, default=True
        Subtract the median.
    with_scaling : bool, default=True
        Divide by the interquartile range.
    quantile_range : tuple (q_low, q_high), default=(25.0, 75.0)
        Percentiles with 0 <= q_low < q_high <= 100, else ValueError in fit.

    Attributes
    ----------
    center_, scale_ : ndarray of shape (n_features,)
        Median and interquartile range per column (0 and 1 when switched off; 1 for no spread).
    n_features_in_ : int
        Number of columns seen in `fit`.

    Cost: O(n log n) per column (percentiles).
    """

    def __init__(
        self, *, with_centering: bool = True, with_scaling: bool = True,
        quantile_range: tuple[float, float] = (25.0, 75.0),
    ) -> None:
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range

    def fit(self, X: ArrayLike, y: object = None) -> RobustScaler:
        """Learn the per-column median and interquartile range of X, shape (n_samples, n_features)."""
        q_low, q_high = self.quantile_range
        if not 0 <= q_low < q_high <= 100:
            raise ValueError(f"quantile_range must satisfy 0 <= low < high <= 100, got {self.quantile_range!r}")
        X = self._validate_train(X)
        n_features = X.shape[1]
        self.center_ = _nan_stat(np.nanmedian, X) if self.with_centering else np.zeros(n_features)
        if self.with_scaling:
            low, high = _nan_stat(np.nanpercentile, X, [q_low, q_high])
            spread = high - low
            self.scale_ = _safe_scale(spread, spread < 10 * _EPS)
        else:
            self.scale_ = np.ones(n_features)
        self.center_ = np.where(np.isnan(self.center_), 0.0, self.center_)
        return self
