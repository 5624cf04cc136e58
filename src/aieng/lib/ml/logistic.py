"""Logistic regression with an L2 penalty: binary (sigmoid) and multinomial (softmax), by L-BFGS.

The model turns a linear score into class probabilities: ``P(y = 1 | x) = sigmoid(x @ w + b)`` for two
classes, ``P(y = k | x) = softmax(x @ W + b)_k`` for K > 2. It is fitted by minimizing scikit-learn's
objective

    C * sum_i -log P(y_i | x_i) + ||w||^2 / 2        (the intercept is not penalized)

so ``C`` is an inverse regularization strength, exactly as in ``sklearn.linear_model.LogisticRegression``.
We divide it by ``C n`` (mean log-loss plus ``||w||^2 / (2 C n)``; same minimizer, better scaled numbers)
and hand it, with its analytic gradient ``X' (P - Y) / n + W / (C n)``, to ``scipy.optimize.minimize``
with L-BFGS, as scikit-learn's default ``lbfgs`` solver does (same ``gtol = tol``). The softmax loss
subtracts each row's largest score before exponentiating (the logsumexp trick), and log-probabilities use
``log_expit`` / ``logsumexp``, so large scores cannot overflow.

Left out: L1 and elastic-net penalties, sample and class weights, one-vs-rest, other solvers, warm starts.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit, logsumexp, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


def binary_loss_and_gradient(params: np.ndarray, X: np.ndarray, y: np.ndarray, l2: float,
                             fit_intercept: bool) -> tuple[float, np.ndarray]:
    """Mean log-loss plus ``l2/2 ||w||^2`` for labels ``y`` in {0, 1}, and its gradient.

    ``params`` is ``[w (p,), b]`` (b only if ``fit_intercept``). With ``z = X w + b`` the loss per sample is
    ``log(1 + e^z) - y z = -log_expit(z) + (1 - y) z``; its derivative in z is ``sigmoid(z) - y``. O(n p).
    """
    p = X.shape[1]
    w, b = params[:p], (params[p] if fit_intercept else 0.0)
    z = X @ w + b
    loss = np.mean((1.0 - y) * z - log_expit(z)) + 0.5 * l2 * (w @ w)
    error = expit(z) - y
    gradient = np.empty_like(params)
    gradient[:p] = X.T @ error / len(y) + l2 * w
    if fit_intercept:
        gradient[p] = error.mean()
    return float(loss), gradient


def multinomial_loss_and_gradient(params: np.ndarray, X: np.ndarray, Y: np.ndarray, l2: float,
                                  fit_intercept: bool) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``softmax(X W + b)`` against one-hot ``Y`` (n, K), plus ``l2/2 ||W||_F^2``.

    ``params`` is ``W`` (p, K) followed by ``b`` (K,), flattened. The loss per sample is
    ``logsumexp(z) - z_y``; its gradient in z is ``softmax(z) - Y``. O(n p K).
    """
    p, K = X.shape[1], Y.shape[1]
    W = params[: p * K].reshape(p, K)
    Z = X @ W
    if fit_intercept:
        Z += params[p * K:]
    Z -= Z.max(axis=1, keepdims=True)  # logsumexp trick: exp of at most 0 cannot overflow
    E = np.exp(Z)
    norm = E.sum(axis=1, keepdims=True)
    loss = (np.log(norm).sum() - np.vdot(Z, Y)) / len(Y) + 0.5 * l2 * np.vdot(W, W)
    error = E / norm - Y
    grad_W = X.T @ error / len(Y) + l2 * W
    parts = [grad_W.ravel(), error.mean(axis=0)] if fit_intercept else [grad_W.ravel()]
    return float(loss), np.concatenate(parts)


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalized logistic regression; multinomial (softmax) when there are more than two classes.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularization strength (> 0): the objective is ``C * sum(log-loss) + ||w||^2 / 2``.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept per class (one for the binary model).
    max_iter : int, default=1000
        Maximum L-BFGS iterations; if reached, warn with ConvergenceWarning.
    tol : float, default=1e-4
        L-BFGS stops when the largest projected gradient entry is below ``tol`` (scikit-learn's default and
        rule for its lbfgs solver).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, (n_classes, n_features) otherwise
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> LogisticRegression().fit(X, [0, 0, 1, 1]).predict([[-3.0], [3.0]])
    array([0, 1])
    """

    def __init__(self, *, C: float = 1.0, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float = 1e-4) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y) -> LogisticRegression:
        """Minimize the penalized log-loss with L-BFGS, starting from all-zero weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels (numbers or strings), at least two distinct ones.

        Returns
        -------
        self : LogisticRegression
        """
        if not self.C > 0:
            raise ValueError(f"C must be positive, got {self.C}")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        n, p = X.shape
        K = len(self.classes_)
        if K < 2:
            raise ValueError(f"logistic regression needs samples of at least 2 classes; got 1 class "
                             f"({self.classes_[0]!r})")
        l2 = 1.0 / (self.C * n)
        if K == 2:
            target, objective, width = y_index.astype(np.float64), binary_loss_and_gradient, 1
        else:
            target, objective, width = np.eye(K)[y_index], multinomial_loss_and_gradient, K
        start = np.zeros(p * width + (width if self.fit_intercept else 0))
        result = minimize(objective, start, args=(X, target, l2, self.fit_intercept), jac=True, method="L-BFGS-B",
                          options={"maxiter": self.max_iter, "gtol": self.tol, "ftol": 64 * np.finfo(float).eps,
                                   "maxls": 50})
        if not result.success and result.nit >= self.max_iter:
            warnings.warn(f"L-BFGS did not converge in {self.max_iter} iterations; increase max_iter or "
                          "standardize the features", ConvergenceWarning, stacklevel=2)
        self.n_iter_ = int(result.nit)
        W = result.x[: p * width].reshape(p, width)
        b = result.x[p * width:] if self.fit_intercept else np.zeros(width)
        if K > 2:
            b = b - b.mean()  # softmax ignores a common shift; report the centred intercepts
        self.coef_, self.intercept_ = W.T.copy(), np.asarray(b, dtype=np.float64).copy()
        return self

    def decision_function(self, X) -> np.ndarray:
        """Linear scores ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) for two classes (the log-odds of ``classes_[1]``),
            else (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if len(self.classes_) == 2 else scores

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), rows summing to 1
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            positive = expit(scores)
            return np.column_stack([1.0 - positive, positive])
        return softmax(scores, axis=1)

    def predict_log_proba(self, X) -> np.ndarray:
        """Log of ``predict_proba``, computed without underflow; shape (n_samples, n_classes)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return scores - logsumexp(scores, axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The most probable class for each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,), values from ``classes_``
        """
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else np.argmax(scores, axis=1)
        return self.classes_[index]
