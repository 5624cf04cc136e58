"""Linear SVM — your implementation.

Minimize scikit-learn's LinearSVC(loss="hinge") primal objective, with labels y in {-1, +1}:

    P(w, b) = (||w||^2 + b^2) / 2 + C * sum_i max(0, 1 - y_i (x_i w + b))

(the intercept b is penalized too: treat it as the weight of an extra constant feature 1). Suggested method:
full-batch Pegasos. Divide P by C n (lam = 1 / (C n)), step v <- v - g / (lam t) with the subgradient
g = lam v - X1' (y * [margin < 1]) / n, project onto the ball ||v|| <= 1 / sqrt(lam), and return the best
point (iterate or running average) seen. Replace each `raise NotImplementedError` and check with
`aieng check linear-svm`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier: hinge loss plus L2 penalty, one-vs-rest for K > 2 classes.

    Parameters
    ----------
    C : float, default=1.0
        Weight of the summed hinge losses against ||w||^2 / 2. Must be > 0 (else ValueError in fit).
    max_iter : int, default=2000
        Number of subgradient iterations. Must be >= 1 (else ValueError in fit).

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (n_classes,), sorted labels; fewer than 2 classes: ValueError
    coef_ : ndarray of shape (1, n_features) for two classes (positive scores mean classes_[1]),
        else (n_classes, n_features), row k for "class k against the rest"
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int, iterations run
    n_features_in_ : int
    """

    def __init__(self, *, C: float = 1.0, max_iter: int = 2000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X, y) -> LinearSVC:
        """Learn coef_ and intercept_ from X of shape (n_samples, n_features) and y of shape (n_samples,)."""
        raise NotImplementedError

    def decision_function(self, X) -> np.ndarray:
        """X @ coef_.T + intercept_: shape (n_samples,) for two classes, else (n_samples, n_classes)."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """classes_[1] where the score is positive (two classes), else the class with the largest score;
        shape (n_samples,)."""
        raise NotImplementedError
