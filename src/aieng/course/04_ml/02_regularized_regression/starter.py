"""Ridge, lasso and elastic net — your implementation.

Linear models ``y_hat = X @ coef_ + intercept_`` whose coefficients are shrunk by a penalty, with
scikit-learn's objective scalings (so ``alpha`` means the same as in sklearn.linear_model):

- Ridge:      ||y - X w - b||^2 + alpha ||w||^2
- ElasticNet: 1/(2n) ||y - X w - b||^2 + alpha * l1_ratio * ||w||_1 + alpha * (1 - l1_ratio) / 2 * ||w||^2
- Lasso:      ElasticNet with l1_ratio = 1

The intercept is not penalized. Replace each `raise NotImplementedError` with code and check it with
`aieng check regularized-regression`.
"""

from __future__ import annotations

import warnings  # noqa: F401  (for the ConvergenceWarning)

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class Ridge(RegressorMixin, BaseEstimator):
    """Ridge regression, solved in closed form.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, >= 0 (negative: ValueError in fit).
    fit_intercept : bool, default=True

    Attributes (set by ``fit``)
    ---------------------------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_features_in_ : int
    """

    def __init__(self, *, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> Ridge:
        """Fit on X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Return ``X @ coef_ + intercept_``, shape (n_samples,). Before fit: NotFittedError."""
        raise NotImplementedError


class ElasticNet(RegressorMixin, BaseEstimator):
    """Elastic net by cyclic coordinate descent with soft-thresholding, starting from w = 0.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength, >= 0.
    l1_ratio : float, default=0.5
        Share of the penalty that is L1, in [0, 1] (else ValueError in fit).
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of sweeps over all features; if reached, warn with ConvergenceWarning.
    tol : float, default=1e-4
        Stop after a sweep in which no coefficient changed by more than ``tol``.

    Attributes (set by ``fit``)
    ---------------------------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int, the number of sweeps
    n_features_in_ : int
    """

    def __init__(self, *, alpha: float = 1.0, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y) -> ElasticNet:
        """Fit on X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Return ``X @ coef_ + intercept_``, shape (n_samples,). Before fit: NotFittedError."""
        raise NotImplementedError


class Lasso(RegressorMixin, BaseEstimator):
    """The lasso: 1/(2n) ||y - X w - b||^2 + alpha ||w||_1, the elastic net with l1_ratio = 1.

    Same parameters (without l1_ratio) and attributes as ElasticNet. Note: scikit-learn's get_params reads
    the parameter names from ``__init__``, so Lasso needs its own ``__init__`` even if it reuses
    ElasticNet's code.
    """

    def __init__(self, *, alpha: float = 1.0, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float = 1e-4) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y) -> Lasso:
        """Fit on X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Return ``X @ coef_ + intercept_``, shape (n_samples,). Before fit: NotFittedError."""
        raise NotImplementedError
