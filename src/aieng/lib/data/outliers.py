"""Outliers: flag values far from the bulk of each column, and tame them by clipping.

Implements three detection rules, each returning a boolean mask of the input's shape (True = flagged),
column by column (axis 0):

- z-score: ``|x - mean| / std > threshold`` (population std). Simple, but the outliers themselves
  inflate the mean and std they are measured with (masking), and it assumes a bell shape.
- IQR / Tukey fences: outside ``[Q1 - k IQR, Q3 + k IQR]`` (k = 1.5 "outlier", 3 "far out"). Quartiles
  ignore the tails, so the rule works for skewed data too.
- MAD: the robust z-score ``(x - median) / (1.4826 MAD)``, with MAD the median absolute deviation;
  the factor makes it estimate the standard deviation of normal data, so thresholds read like z-scores
  (3.5 is the usual cut-off).

and `Winsorizer`, a scikit-learn transformer that clips each column to percentiles learned in `fit`
(winsorizing: extreme values are pulled in to the fence, not dropped).

Inputs are 1-D (n,) or 2-D (n_samples, n_features), finite (impute NaN first). A column with no spread
has no outliers by the z-score rule (its z-scores are 0). Left out: multivariate rules (Mahalanobis
distance, isolation forests), NaN-aware variants, one-sided tests (Grubbs).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

MAD_TO_STD = 1.482602218505602  # 1 / Phi^{-1}(3/4): MAD * this estimates sigma for normal data


def _columns(X: ArrayLike) -> np.ndarray:
    """X as float64, 1-D or 2-D, non-empty and finite, else ValueError."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim not in (1, 2):
        raise ValueError(f"expected a 1-D array or a 2-D table, got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("no values: outliers are defined relative to the other values")
    if not np.isfinite(X).all():
        raise ValueError("the data contain NaN or infinity: impute or drop them first")
    return X


def zscores(X: ArrayLike) -> np.ndarray:
    """Standard scores ``(x - mean) / std`` per column (population std, ddof = 0), same shape as X.

    A column with zero spread gives zeros (nobody deviates). Cost: O(n d).

    >>> zscores([1.0, 2.0, 3.0])
    array([-1.22474487,  0.        ,  1.22474487])
    """
    X = _columns(X)
    centered = X - X.mean(axis=0)
    std = np.sqrt(np.mean(centered**2, axis=0))
    return np.divide(centered, std, out=np.zeros_like(centered), where=std > 0)


def zscore_outliers(X: ArrayLike, threshold: float = 3.0) -> np.ndarray:
    """Mask of |z-score| > threshold, same shape as X. threshold must be positive."""
    if not threshold > 0:
        raise ValueError(f"threshold must be positive, got {threshold}")
    return np.abs(zscores(X)) > threshold


def iqr_fences(X: ArrayLike, k: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """Tukey's fences ``(Q1 - k IQR, Q3 + k IQR)`` per column, each of shape (n_features,) (0-d for 1-D X).

    Quartiles use numpy's default linear interpolation. k >= 0. Cost: O(n log n) per column.

    >>> iqr_fences([1.0, 2.0, 3.0, 4.0, 5.0])
    (np.float64(-1.0), np.float64(7.0))
    """
    if not k >= 0:
        raise ValueError(f"k must be non-negative, got {k}")
    q1, q3 = np.percentile(_columns(X), [25.0, 75.0], axis=0)
    spread = q3 - q1
    return q1 - k * spread, q3 + k * spread


def iqr_outliers(X: ArrayLike, k: float = 1.5) -> np.ndarray:
    """Mask of values strictly outside Tukey's fences, same shape as X."""
    data = _columns(X)
    low, high = iqr_fences(data, k)
    return (data < low) | (data > high)


def robust_zscores(X: ArrayLike) -> np.ndarray:
    """Robust scores ``(x - median) / (1.4826 MAD)`` per column, same shape as X.

    MAD = median |x - median|. Where more than half the column equals its median, MAD = 0: values at the
    median score 0 and every other value scores +-inf (it is infinitely far out in MAD units).
    """
    X = _columns(X)
    centered = X - np.median(X, axis=0)
    scale = MAD_TO_STD * np.median(np.abs(centered), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = centered / scale
    return np.where(centered == 0, 0.0, scores)


def mad_outliers(X: ArrayLike, threshold: float = 3.5) -> np.ndarray:
    """Mask of |robust z-score| > threshold, same shape as X. threshold must be positive."""
    if not threshold > 0:
        raise ValueError(f"threshold must be positive, got {threshold}")
    return np.abs(robust_zscores(X)) > threshold


class Winsorizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip each column to percentiles of the training data (winsorizing).

    ``transform(x) = min(max(x, lower_bounds_), upper_bounds_)`` per column, the bounds being the
    `lower` and `upper` percentiles learned in `fit`. Extreme values are kept but pulled in, so one wild
    value cannot dominate a mean or a squared loss.

    Parameters
    ----------
    lower : float, default=5.0
        Lower percentile, in [0, 100).
    upper : float, default=95.0
        Upper percentile, in (lower, 100].

    Attributes
    ----------
    lower_bounds_, upper_bounds_ : ndarray of shape (n_features,)
        The clipping bounds per column.
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> Winsorizer(lower=0, upper=50).fit([[1.0], [2.0], [3.0]]).transform([[0.0], [9.0]]).ravel()
    array([1., 2.])
    """

    def __init__(self, *, lower: float = 5.0, upper: float = 95.0) -> None:
        self.lower = lower
        self.upper = upper

    def fit(self, X: ArrayLike, y: object = None) -> Winsorizer:
        """Learn the clipping bounds from X of shape (n_samples, n_features); return self."""
        if not 0 <= self.lower < self.upper <= 100:
            raise ValueError(f"need 0 <= lower < upper <= 100, got lower={self.lower}, upper={self.upper}")
        X = validate_data(self, X, dtype=np.float64)
        self.lower_bounds_, self.upper_bounds_ = np.percentile(X, [self.lower, self.upper], axis=0)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """X clipped to the learned bounds, shape (n_samples, n_features)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return np.clip(X, self.lower_bounds_, self.upper_bounds_)
