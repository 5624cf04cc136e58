"""Outliers — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check outliers`.
Every function takes X of shape (n,) or (n_samples, n_features), works column by column (axis 0) and
raises ValueError for empty input, NaN/infinity, or more than 2 dimensions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


def zscores(X: ArrayLike) -> np.ndarray:
    """(X - mean) / std per column, population std (ddof=0), same shape as X; zero-spread columns give 0."""
    raise NotImplementedError


def zscore_outliers(X: ArrayLike, threshold: float = 3.0) -> np.ndarray:
    """Boolean mask, same shape as X: |z-score| > threshold. ValueError unless threshold > 0."""
    raise NotImplementedError


def iqr_fences(X: ArrayLike, k: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """(Q1 - k*IQR, Q3 + k*IQR) per column, each of shape (n_features,) (scalars for 1-D X).

    Quartiles as numpy.percentile computes them (linear interpolation). ValueError if k < 0.
    """
    raise NotImplementedError


def iqr_outliers(X: ArrayLike, k: float = 1.5) -> np.ndarray:
    """Boolean mask, same shape as X: values strictly below the lower fence or above the upper fence."""
    raise NotImplementedError


def robust_zscores(X: ArrayLike) -> np.ndarray:
    """(X - median) / (1.482602218505602 * MAD) per column, same shape as X; MAD = median |X - median|.

    Where MAD = 0: 0 for values equal to the median, +-inf for the others.
    """
    raise NotImplementedError


def mad_outliers(X: ArrayLike, threshold: float = 3.5) -> np.ndarray:
    """Boolean mask, same shape as X: |robust z-score| > threshold. ValueError unless threshold > 0."""
    raise NotImplementedError


class Winsorizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip each column to the [lower, upper] percentiles of the training data.

    Parameters
    ----------
    lower : float, default=5.0
    upper : float, default=95.0
        Raise ValueError in fit unless 0 <= lower < upper <= 100.

    Attributes
    ----------
    lower_bounds_, upper_bounds_ : ndarray of shape (n_features,)
        The training percentiles.
    n_features_in_ : int
        Set by `validate_data` in fit.
    """

    def __init__(self, *, lower: float = 5.0, upper: float = 95.0) -> None:
        self.lower = lower
        self.upper = upper

    def fit(self, X: ArrayLike, y: object = None) -> Winsorizer:
        """Learn the bounds from X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """X clipped to the learned bounds, shape (n_samples, n_features)."""
        raise NotImplementedError
