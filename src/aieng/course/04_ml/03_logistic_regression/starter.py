"""Logistic regression — your implementation.

An L2-penalized logistic regression, binary (sigmoid) for two classes and multinomial (softmax) for more,
fitted by minimizing scikit-learn's objective

    C * sum_i -log P(y_i | x_i) + ||w||^2 / 2          (the intercept is not penalized)

Replace each `raise NotImplementedError` with code and check it with `aieng check logistic-regression`.
"""

from __future__ import annotations

import warnings  # noqa: F401  (for the ConvergenceWarning)

import numpy as np
from scipy.optimize import minimize  # noqa: F401
from scipy.special import expit, log_expit, logsumexp, softmax  # noqa: F401
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning  # noqa: F401
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalized logistic regression; softmax over all classes when there are more than two.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularization strength, > 0 (else ValueError in fit).
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum optimizer iterations; if reached, warn with ConvergenceWarning.
    tol : float, default=1e-6
        Stop when the largest gradient entry is below ``tol`` (L-BFGS's ``gtol``).

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (n_classes,), the sorted distinct labels
    coef_ : ndarray of shape (1, n_features) for two classes, (n_classes, n_features) otherwise
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
    n_features_in_ : int
    """

    def __init__(self, *, C: float = 1.0, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float = 1e-6) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y) -> LogisticRegression:
        """Fit on X of shape (n_samples, n_features) and labels y of shape (n_samples,); return self.

        ValueError for C <= 0, fewer than two classes, NaN, or continuous targets.
        """
        raise NotImplementedError

    def decision_function(self, X) -> np.ndarray:
        """``X @ coef_.T + intercept_``: shape (n_samples,) for two classes, (n_samples, n_classes) otherwise."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of shape (n_samples, n_classes), columns ordered as ``classes_``, rows summing to 1."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """The most probable label per row, shape (n_samples,), values taken from ``classes_``."""
        raise NotImplementedError
