"""Linear soft-margin support vector machine (hinge loss + L2), by full-batch Pegasos subgradient descent.

A linear SVM scores ``f(x) = x @ w + b`` and predicts the sign. It minimizes scikit-learn's
``LinearSVC(loss="hinge")`` primal objective

    P(w, b) = (||w||^2 + b^2) / 2 + C * sum_i max(0, 1 - y_i f(x_i)),      y_i in {-1, +1}

where, as in liblinear (``intercept_scaling=1``), the intercept is the weight of a constant feature 1 and
is penalized with the other weights. The hinge term is zero for points with margin ``y f(x) >= 1`` and
grows linearly for the others (the margin violators, which are the only points that shape the solution).

Training: divide ``P`` by ``C n`` to get Pegasos' form ``lam/2 ||v||^2 + mean_i hinge_i`` with
``lam = 1 / (C n)`` and ``v = [w, b]``. Its subgradient is ``lam v - X_a' (y * [margin < 1]) / n``; step
``1 / (lam t)`` at iteration t, then project v onto the ball of radius ``1 / sqrt(lam)`` (the optimum lies
inside it). The hinge is not differentiable, so single iterates zigzag: we also keep the running average of
the iterates and return whichever point (iterate or average) had the smallest objective so far.
Multiclass (K > 2) is one-vs-rest: K binary problems "class k against the rest", solved together as the
columns of one weight matrix; the predicted class has the largest score.

Left out: the squared hinge, L1 penalty, the dual coordinate-descent solver liblinear uses, class weights,
kernels (see ``sklearn.svm.SVC``). Cost: O(n p K) per iteration, ``max_iter`` iterations.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


def primal_objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> float:
    """``(||w||^2 + b^2)/2 + C sum_i max(0, 1 - y_i (x_i w + b))`` for labels y in {-1, +1}.

    >>> primal_objective(np.array([1.0]), 0.0, np.array([[2.0], [-0.5]]), np.array([1.0, -1.0]), 1.0)
    1.0
    """
    return float(0.5 * (w @ w + b * b) + C * np.sum(np.maximum(0.0, 1.0 - y * (X @ w + b))))


def pegasos(X: np.ndarray, Y: np.ndarray, C: float, max_iter: int) -> np.ndarray:
    """Minimize the hinge-loss objective for every column of Y (labels in {-1, +1}) at once.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_problems), entries -1 or +1
    C : float, > 0
    max_iter : int, number of full-batch subgradient steps

    Returns
    -------
    V : ndarray of shape (n_features + 1, n_problems); the last row holds the intercepts.
    """
    n = X.shape[0]
    Xa = np.column_stack([X, np.ones(n)])  # the intercept is the weight of a constant feature
    lam = 1.0 / (C * n)
    radius = 1.0 / np.sqrt(lam)
    V = np.zeros((Xa.shape[1], Y.shape[1]))
    average, best = V.copy(), V.copy()
    best_value = np.full(Y.shape[1], np.inf)

    def scaled_objective(U: np.ndarray) -> np.ndarray:  # P / (C n), one value per column
        return 0.5 * lam * np.sum(U * U, axis=0) + np.mean(np.maximum(0.0, 1.0 - Y * (Xa @ U)), axis=0)

    for t in range(1, max_iter + 1):
        violators = (Y * (Xa @ V) < 1.0).astype(float)
        V = V - (lam * V - Xa.T @ (Y * violators) / n) / (lam * t)
        V *= np.minimum(1.0, radius / np.maximum(np.linalg.norm(V, axis=0), 1e-300))
        average += (V - average) / t
        for candidate in (V, average):
            value = scaled_objective(candidate)
            better = value < best_value
            best[:, better], best_value[better] = candidate[:, better], value[better]
    return best


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier: hinge loss plus L2 penalty, one-vs-rest for K > 2 classes.

    Parameters
    ----------
    C : float, default=1.0
        Weight of the summed hinge losses against ``||w||^2 / 2`` (larger C: fewer margin violations,
        less regularization). Must be > 0.
    max_iter : int, default=2000
        Number of full-batch subgradient iterations. Must be >= 1.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int, iterations run (always ``max_iter``: there is no early stop)
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> LinearSVC().fit(X, [0, 0, 1, 1]).predict([[-3.0], [0.5]])
    array([0, 1])
    """

    def __init__(self, *, C: float = 1.0, max_iter: int = 2000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X, y) -> LinearSVC:
        """Fit one hinge-loss problem (two classes) or K one-vs-rest problems.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : LinearSVC
        """
        if not (isinstance(self.C, int | float) and self.C > 0):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, index = np.unique(y, return_inverse=True)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(f"LinearSVC needs samples of at least 2 classes in the data, got 1 class: {self.classes_}")
        if K == 2:
            Y = np.where(index == 1, 1.0, -1.0)[:, None]
        else:
            Y = np.where(index[:, None] == np.arange(K)[None, :], 1.0, -1.0)
        V = pegasos(X, Y, float(self.C), int(self.max_iter))
        self.coef_ = V[:-1].T.copy()
        self.intercept_ = V[-1].copy()
        self.n_iter_ = int(self.max_iter)
        return self

    def decision_function(self, X) -> np.ndarray:
        """Signed scores ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) for two classes (positive means ``classes_[1]``),
            else (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if len(self.classes_) == 2 else scores

    def predict(self, X) -> np.ndarray:
        """The sign of the score (two classes) or the class with the largest score.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]
