"""Linear regression, plain and regularized: least squares, gradient descent, ridge, lasso, elastic net.

All models predict ``y_hat = X @ coef_ + intercept_`` and differ in the objective they minimize:

- ``LinearRegression``: ``||y - X w - b||^2`` solved directly (centre the data, then ``numpy.linalg.lstsq``);
- ``GDRegressor``: the same objective (scaled by ``1/(2n)``) by batch gradient descent;
- ``Ridge``: ``||y - X w - b||^2 + alpha ||w||^2``, closed form ``(Xc'Xc + alpha I)^-1 Xc'yc``;
- ``ElasticNet``: ``1/(2n) ||y - X w - b||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2``
  by cyclic coordinate descent with soft-thresholding; ``Lasso`` is the case ``l1_ratio = 1``.

These are scikit-learn's own objective scalings, so ``alpha`` means the same thing here and there. The
intercept is never penalized: every model centres ``X`` and ``y``, fits ``w`` on the centred data and
recovers ``b = mean(y) - mean(X) @ w``.

Coordinate descent runs on the Gram matrix ``X'X`` ("covariance updates": O(p) per coordinate, whatever the
number of samples), stops on scikit-learn's duality-gap rule (``gap <= tol ||yc||^2``), and finishes with an
exact linear solve once the signs of the coefficients have settled (see ``sign_fixed_step``).

Left out: sample weights, multi-output targets, sparse input, positivity constraints, residual updates for
very wide data (p >> n, where the p x p Gram matrix is the wrong thing to build), warm starts and paths.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, validate_data


def _centred(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X - mean(X), y - mean(y), mean(X), mean(y)), or the data untouched with zero means."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


class _LinearModel(RegressorMixin, BaseEstimator):
    """Shared prediction: ``X @ coef_ + intercept_``."""

    def _validated(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        return validate_data(self, X, y, y_numeric=True, dtype=np.float64)

    def _set_solution(self, coef: np.ndarray, x_mean: np.ndarray, y_mean: float) -> None:
        self.coef_ = coef
        self.intercept_ = float(y_mean - x_mean @ coef) if self.fit_intercept else 0.0

    def predict(self, X) -> np.ndarray:
        """Predicted targets ``X @ coef_ + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_


class LinearRegression(_LinearModel):
    """Ordinary least squares: minimize ``||y - X w - b||^2`` in one linear-algebra step.

    Centring removes the intercept from the problem; ``numpy.linalg.lstsq`` (an SVD) then solves
    ``min ||Xc w - yc||`` stably, even when ``X`` is rank deficient (it returns the minimum-norm ``w``).
    Cost: O(n p^2) time, O(n p) memory.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to fit ``intercept_``; if False the model passes through the origin.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> LinearRegression().fit(X, 1 + 2 * X[:, 0]).coef_.round(6)
    array([2.])
    """

    def __init__(self, *, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> LinearRegression:
        """Fit by least squares on the centred data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : LinearRegression
        """
        X, y = self._validated(X, y)
        Xc, yc, x_mean, y_mean = _centred(X, y, self.fit_intercept)
        coef, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
        self._set_solution(coef, x_mean, y_mean)
        return self


class GDRegressor(_LinearModel):
    """Least squares by batch gradient descent on ``J(w) = 1/(2n) ||Xc w - yc||^2``.

    Each step is ``w <- w - lr * Xc'(Xc w - yc) / n``: O(n p) per iteration, no matrix to factor. The
    gradient is L-Lipschitz with ``L = sigma_max(Xc)^2 / n``; any ``lr < 2 / L`` converges, at a speed set by
    the condition number ``kappa = sigma_max^2 / sigma_min^2`` (the error shrinks about like
    ``(1 - 1/kappa)^t``), which is why features should be standardized first.

    Parameters
    ----------
    learning_rate : float or None, default=None
        Step size. None uses ``1 / L``, a step that is safe for every data set. A step above ``2 / L``
        diverges: ``fit`` then raises FloatingPointError instead of returning non-finite coefficients.
    max_iter : int, default=10_000
        Maximum number of gradient steps.
    tol : float, default=1e-8
        Stop when the largest gradient component is below ``tol``.
    fit_intercept : bool, default=True

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Gradient steps taken.
    n_features_in_ : int
    """

    def __init__(self, *, learning_rate: float | None = None, max_iter: int = 10_000, tol: float = 1e-8,
                 fit_intercept: bool = True) -> None:
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> GDRegressor:
        """Run gradient descent from ``w = 0``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : GDRegressor
        """
        if self.learning_rate is not None and not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive or None, got {self.learning_rate}")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter}")
        if not self.tol >= 0:
            raise ValueError(f"tol must be non-negative, got {self.tol}")
        X, y = self._validated(X, y)
        Xc, yc, x_mean, y_mean = _centred(X, y, self.fit_intercept)
        n = Xc.shape[0]
        if self.learning_rate is None:
            lipschitz = np.linalg.norm(Xc, 2) ** 2 / n
            lr = 1.0 / lipschitz if lipschitz > 0 else 1.0
        else:
            lr = float(self.learning_rate)
        w = np.zeros(Xc.shape[1])
        self.n_iter_ = self.max_iter
        for step in range(1, self.max_iter + 1):
            with np.errstate(over="ignore", invalid="ignore"):
                gradient = Xc.T @ (Xc @ w - yc) / n
            if not np.all(np.isfinite(gradient)):
                raise FloatingPointError(f"gradient descent diverged at step {step}: learning_rate {lr:g} is too large")
            if np.max(np.abs(gradient), initial=0.0) < self.tol:
                self.n_iter_ = step - 1
                break
            w -= lr * gradient
        else:
            warnings.warn(f"gradient descent did not converge in {self.max_iter} steps; increase max_iter or "
                          "standardize the features", ConvergenceWarning, stacklevel=2)
        self._set_solution(w, x_mean, y_mean)
        return self


class Ridge(_LinearModel):
    """Ridge regression: minimize ``||y - X w - b||^2 + alpha ||w||^2`` (scikit-learn's scaling).

    Closed form on the centred data: ``w = (Xc'Xc + alpha I)^-1 Xc'yc``. Adding ``alpha`` to every
    eigenvalue of ``Xc'Xc`` makes the system well conditioned even when features are collinear.
    Cost: O(n p^2 + p^3).

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, >= 0.
    fit_intercept : bool, default=True

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_features_in_ : int
    """

    def __init__(self, *, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y) -> Ridge:
        """Solve the penalized normal equations.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : Ridge
        """
        if not self.alpha >= 0:
            raise ValueError(f"alpha must be non-negative, got {self.alpha}")
        X, y = self._validated(X, y)
        Xc, yc, x_mean, y_mean = _centred(X, y, self.fit_intercept)
        gram = Xc.T @ Xc + self.alpha * np.eye(Xc.shape[1])
        coef, *_ = np.linalg.lstsq(gram, Xc.T @ yc, rcond=None)
        self._set_solution(coef, x_mean, y_mean)
        return self


def soft_threshold(z: float, t: float) -> float:
    """``sign(z) * max(|z| - t, 0)``: the minimizer of ``(w - z)^2 / 2 + t |w|`` (for ``t >= 0``).

    >>> soft_threshold(-3.0, 1.0), soft_threshold(0.5, 1.0), soft_threshold(2.0, 1.0)
    (-2.0, 0.0, 1.0)
    """
    return z - t if z > t else z + t if z < -t else 0.0


def enet_objective(gram: np.ndarray, xty: np.ndarray, yty: float, w: np.ndarray, l1: float, l2: float) -> float:
    """``1/2 ||y - X w||^2 + l1 ||w||_1 + l2/2 ||w||^2`` from ``gram = X'X``, ``xty = X'y``, ``yty = y'y``."""
    return float(0.5 * (yty - 2.0 * w @ xty + w @ gram @ w) + l1 * np.abs(w).sum() + 0.5 * l2 * (w @ w))


def duality_gap(gram: np.ndarray, xty: np.ndarray, yty: float, w: np.ndarray, l1: float, l2: float) -> float:
    """An upper bound on ``objective(w) - min objective``, from a dual point built from the residual ``r = y - X w``.

    With ``c = X'r`` (the features' correlations with the residual): for ``l2 > 0`` the dual needs no
    constraint and the gap is ``sum_j l1 |w_j| + l2 w_j^2 / 2 + max(|c_j| - l1, 0)^2 / (2 l2) - w_j c_j``
    (Fenchel-Young, zero exactly when every ``w_j`` is optimal). For the lasso (``l2 = 0``) the dual point
    ``theta`` must satisfy ``|X' theta| <= l1``: take ``theta = s r`` with ``s = min(1, l1 / max|c|)``
    (scikit-learn's choice); the gap is ``objective(w) - (s y'r - s^2 ||r||^2 / 2)``. O(p^2).
    """
    c = xty - gram @ w
    if l2 > 0:
        conjugate = np.sum(np.maximum(np.abs(c) - l1, 0.0) ** 2) / (2.0 * l2)
        return float(l1 * np.abs(w).sum() + 0.5 * l2 * (w @ w) + conjugate - w @ c)
    residual_norm2 = yty - w @ xty - w @ c  # ||y - X w||^2 = y'y - 2 w'X'y + w'X'X w
    largest = np.max(np.abs(c), initial=0.0)
    s = min(1.0, l1 / largest) if largest > 0 else 1.0
    dual = s * (yty - w @ xty) - 0.5 * s * s * residual_norm2
    return enet_objective(gram, xty, yty, w, l1, l2) - float(dual)


def sign_fixed_step(gram: np.ndarray, xty: np.ndarray, yty: float, w: np.ndarray, l1: float,
                    l2: float) -> np.ndarray:
    """Walk from ``w`` towards the minimizer for its current signs; stop where a coefficient first reaches 0.

    Once the signs ``s`` of the non-zero coefficients (the support A) are known, ``|w_j| = s_j w_j`` there and
    the objective is a plain quadratic, minimized by the solution of ``(G_AA + l2 I) w_A = X_A'y - l1 s_A``.
    Along the segment from ``w`` to that point the objective decreases until a coefficient would change
    sign; the walk ends there and that coefficient becomes exactly 0. If the signs were the right ones this
    lands on the exact minimizer, which coordinate descent alone approaches only slowly when features are
    correlated. O(|A|^3). The step is kept only if it lowers the objective (a guard against a singular
    ``G_AA`` when ``l2 = 0``); otherwise ``w`` comes back unchanged.
    """
    support = np.flatnonzero(w)
    s = np.sign(w[support])
    system = gram[np.ix_(support, support)] + l2 * np.eye(support.size)
    target, *_ = np.linalg.lstsq(system, xty[support] - l1 * s, rcond=None)
    step = target - w[support]
    with np.errstate(divide="ignore", invalid="ignore"):
        hits_zero = np.where(target * s < 0, -w[support] / step, np.inf)  # share of the step where w_j = 0
    first = int(np.argmin(hits_zero))
    moved = w.copy()
    moved[support] += min(1.0, hits_zero[first]) * step
    if hits_zero[first] < 1.0:
        moved[support[first]] = 0.0
    better = enet_objective(gram, xty, yty, moved, l1, l2) < enet_objective(gram, xty, yty, w, l1, l2)
    return moved if better else w


def coordinate_descent(gram: np.ndarray, xty: np.ndarray, yty: float, l1: float, l2: float, max_iter: int,
                       tol: float) -> tuple[np.ndarray, int]:
    """Minimize ``1/2 ||y - X w||^2 + l1 ||w||_1 + l2/2 ||w||^2`` one coordinate at a time, from ``w = 0``.

    Works on the Gram matrix ``G = X'X`` and ``X'y`` (computed once, O(n p^2)), never on X itself: it keeps
    ``c = X'(y - X w)``, the correlation of every feature with the residual. For coordinate j the exact
    minimizer is ``w_j = S(c_j + G_jj w_j, l1) / (G_jj + l2)`` (S: soft-thresholding); changing ``w_j`` by
    ``delta`` updates ``c -= delta G[:, j]``, so an update costs O(p) and a sweep O(p^2), whatever n is.
    After a sweep that left every sign unchanged, ``sign_fixed_step`` finishes the job with one linear solve.
    Stops when ``duality_gap <= tol`` (scikit-learn's rule). Returns (w of shape (p,), sweeps taken).
    """
    p = xty.shape[0]
    w = np.zeros(p)
    c = xty.copy()
    curvature = np.diag(gram).tolist()
    rows = list(gram)  # row j of G is column j: G is symmetric
    signs = np.zeros(p)
    for sweep in range(1, max_iter + 1):
        for j in range(p):  # a loop over features: each update uses the previous one
            if curvature[j] == 0.0:
                continue  # an all-zero (constant before centring) feature keeps w_j = 0
            old = float(w[j])
            new = soft_threshold(float(c[j]) + curvature[j] * old, l1) / (curvature[j] + l2)
            if new != old:
                c -= rows[j] * (new - old)
                w[j] = new
        if signs.any() and np.array_equal(np.sign(w), signs):
            w = sign_fixed_step(gram, xty, yty, w, l1, l2)
            c = xty - gram @ w
        signs = np.sign(w)
        if duality_gap(gram, xty, yty, w, l1, l2) <= tol:
            return w, sweep
    warnings.warn(f"coordinate descent did not converge in {max_iter} sweeps; increase max_iter",
                  ConvergenceWarning, stacklevel=3)
    return w, max_iter


class ElasticNet(_LinearModel):
    """Elastic net: ``1/(2n) ||y - X w - b||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2``.

    Solved by cyclic coordinate descent with soft-thresholding on the Gram matrix (see
    ``coordinate_descent``). The L1 part sets weak coefficients exactly to zero; the L2 part keeps groups of
    correlated features together. Cost: O(n p^2) for ``X'X``, then O(p^2) per sweep.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength, >= 0.
    l1_ratio : float, default=0.5
        Share of the penalty that is L1, in [0, 1]. 1 is the lasso, 0 is ridge (with the 1/(2n) scaling).
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of sweeps over the features.
    tol : float, default=1e-4
        Stop when the duality gap (a bound on the distance to the minimum of ``n`` times the objective) is at
        most ``tol * ||y - mean(y)||^2``, as scikit-learn does.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Sweeps taken.
    n_features_in_ : int
    """

    def __init__(self, *, alpha: float = 1.0, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def _penalty_mix(self) -> float:
        return self.l1_ratio

    def fit(self, X, y) -> ElasticNet:
        """Run coordinate descent from ``w = 0``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : the fitted estimator
        """
        l1_ratio = self._penalty_mix()
        if not self.alpha >= 0:
            raise ValueError(f"alpha must be non-negative, got {self.alpha}")
        if not 0 <= l1_ratio <= 1:
            raise ValueError(f"l1_ratio must lie in [0, 1], got {l1_ratio}")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter}")
        if not self.tol >= 0:
            raise ValueError(f"tol must be non-negative, got {self.tol}")
        X, y = self._validated(X, y)
        Xc, yc, x_mean, y_mean = _centred(X, y, self.fit_intercept)
        n = X.shape[0]
        yty = float(yc @ yc)
        coef, self.n_iter_ = coordinate_descent(Xc.T @ Xc, Xc.T @ yc, yty, n * self.alpha * l1_ratio,
                                                n * self.alpha * (1 - l1_ratio), self.max_iter, self.tol * yty)
        self._set_solution(coef, x_mean, y_mean)
        return self


class Lasso(ElasticNet):
    """The lasso: ``1/(2n) ||y - X w - b||^2 + alpha ||w||_1``, the elastic net with ``l1_ratio = 1``.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, >= 0. Above ``max_j |Xc_j' yc| / n`` every coefficient is exactly zero.
    fit_intercept : bool, default=True
    max_iter : int, default=1000
    tol : float, default=1e-4

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
    n_features_in_ : int
    """

    def __init__(self, *, alpha: float = 1.0, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float = 1e-4) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def _penalty_mix(self) -> float:
        return 1.0
