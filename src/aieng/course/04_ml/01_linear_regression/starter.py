"""Linear regression — your implementation.

Two scikit-learn estimators that fit ``y_hat = X @ coef_ + intercept_`` by least squares: one in a single
linear-algebra step, one by batch gradient descent. Replace each `raise NotImplementedError` with code.
Check it with `aieng check linear-regression`.
"""

from __future__ import annotations

import warnings  # noqa: F401  (for the ConvergenceWarning)

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares: minimize ``||y - X w - b||^2`` directly.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit ``intercept_``; if False, ``intercept_ = 0.0`` and the model passes through the origin.

    Attributes (set by ``fit``)
    ---------------------------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_features_in_ : int (``validate_data`` sets it)
    """

    def __init__(self, *, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> LinearRegression:
        """Fit on X of shape (n_samples, n_features) and y of shape (n_samples,); return self.

        Bad input (NaN, mismatched lengths, 2-D y with several columns) raises ValueError. A rank-deficient
        X (say a duplicated column) must still work: return the minimum-norm coefficients.
        """
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Return ``X @ coef_ + intercept_``, shape (n_samples,). Before fit: NotFittedError."""
        raise NotImplementedError


class GDRegressor(RegressorMixin, BaseEstimator):
    """Least squares by batch gradient descent on ``J(w) = ||Xc w - yc||^2 / (2 n)`` (centred data), from w = 0.

    Parameters
    ----------
    learning_rate : float or None, default=None
        Step size (> 0, else ValueError in fit). None means ``1 / L`` with ``L = sigma_max(Xc)^2 / n``.
    max_iter : int, default=10_000
        Maximum number of steps; if reached, warn with ConvergenceWarning and keep the last iterate.
    tol : float, default=1e-8
        Stop as soon as the largest absolute gradient entry is below ``tol``.
    fit_intercept : bool, default=True

    Attributes (set by ``fit``)
    ---------------------------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int, the number of steps taken
    n_features_in_ : int

    A step so large that the iterates blow up (non-finite gradient) raises FloatingPointError.
    """

    def __init__(self, *, learning_rate: float | None = None, max_iter: int = 10_000, tol: float = 1e-8,
                 fit_intercept: bool = True) -> None:
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> GDRegressor:
        """Run gradient descent on X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Return ``X @ coef_ + intercept_``, shape (n_samples,). Before fit: NotFittedError."""
        raise NotImplementedError
