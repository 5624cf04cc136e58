"""Linear soft-margin support vector machine (hinge loss + L2), solved in the dual by an interior-point method.

A linear SVM scores ``f(x) = x @ w + b`` and predicts the sign. It minimizes scikit-learn's
``LinearSVC(loss="hinge")`` primal objective

    P(w, b) = (||w||^2 + b^2) / 2 + C * sum_i max(0, 1 - y_i f(x_i)),      y_i in {-1, +1}

where, as in liblinear (``intercept_scaling=1``), the intercept is the weight of a constant feature 1 and
is penalized with the other weights. Write ``v = [w, b]`` and ``z_i = y_i [x_i, 1]`` (a row of Z, shape
(n, p + 1)); the margin of point i is ``z_i . v``.

The dual: maximize ``D(a) = sum_i a_i - ||Z' a||^2 / 2`` over the box ``0 <= a_i <= C``; at the optimum
``v = Z' a = sum_i a_i z_i``. Each ``a_i`` is the weight of one training point: 0 beyond the margin
(``z_i . v > 1``), C for a margin violator (``z_i . v < 1``), in between exactly on the margin. The points with
``a_i > 0`` are the support vectors. For any box-feasible ``a``, ``P(Z' a) - D(a) >= 0`` bounds how far
``P`` is from its minimum: we stop when this duality gap is below ``tol * P``.

Solver: a primal-dual interior-point method with Mehrotra's predictor-corrector. It keeps ``a`` strictly
inside the box, with multipliers ``lam >= 0`` (for ``a >= 0``) and ``mu >= 0`` (for ``a <= C``), and applies
Newton's method to the optimality conditions with the complementarity relaxed to
``a_i lam_i = (C - a_i) mu_i = tau``, driving ``tau`` to 0:

    Z Z' a - 1 - lam + mu = 0,    a lam = tau,    (C - a) mu = tau.

Eliminating the multipliers leaves one system ``(Z Z' + Dg) da = r`` per step, with the diagonal
``Dg = lam / a + mu / (C - a)``. It is n x n, but ``Z Z'`` has rank p + 1, so the Woodbury identity solves it
with one (p + 1) x (p + 1) system: ``(Z Z' + Dg)^-1 = Dg^-1 - Dg^-1 Z (I + Z' Dg^-1 Z)^-1 Z' Dg^-1``
(the idea of Ferris & Munson, 2002). Each iteration costs O(n p^2); 10 to 40 iterations reach the gap
whatever C is. liblinear's dual coordinate descent (Hsieh et al., 2008) updates one ``a_i`` at a time, a
loop over samples that is fast in C but would be slow in Python; here every step is a few matrix products.

Multiclass (K > 2) is one-vs-rest: K binary problems "class k against the rest", solved together as the
rows of one (K, n) array of dual variables; the predicted class has the largest score.

Left out: the squared hinge, L1 penalty, class weights, kernels (see ``sklearn.svm.SVC``), sparse input.
Cost: O(n p^2 K) per iteration, O(n K) memory besides X.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


def primal_objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> float:
    """``(||w||^2 + b^2)/2 + C sum_i max(0, 1 - y_i (x_i w + b))`` for labels y in {-1, +1}.

    >>> primal_objective(np.array([1.0]), 0.0, np.array([[2.0], [-0.5]]), np.array([1.0, -1.0]), 1.0)
    1.0
    """
    return float(0.5 * (w @ w + b * b) + C * np.sum(np.maximum(0.0, 1.0 - y * (X @ w + b))))


def _step_to_boundary(state: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Per problem (first axis), the largest ``t <= 1`` keeping ``state + t * step >= 0`` (state > 0): one over
    the largest ``-step / state``, the entry that runs into 0 first. Shape (n_problems,)."""
    return 1.0 / np.maximum(1.0, (-step / state).reshape(len(state), -1).max(axis=1))


def _newton_step(X1: np.ndarray, Y: np.ndarray, state: np.ndarray, residual: np.ndarray, d_inv: np.ndarray,
                 woodbury: np.ndarray, scale: np.ndarray, targets: np.ndarray, refine: bool) -> np.ndarray:
    """Newton step of ``state`` (a, C - a, lam, mu) aiming at the products ``[a lam, (C - a) mu] -> targets``.

    Eliminating ``dlam`` and ``dmu`` leaves ``(Z Z' + Dg) da = r`` with ``r = -residual + targets[0] / a -
    targets[1] / (C - a)``; Woodbury solves it with the (p+1, p+1) matrices ``I + Z' Dg^-1 Z``, passed as
    ``woodbury`` scaled to a unit diagonal, ``S (I + Z' Dg^-1 Z) S`` with ``S = diag(scale)`` (features on very
    different scales would otherwise make them numerically singular). Woodbury loses digits when ``Dg`` spans
    many orders of magnitude (late iterations, unscaled features), so with ``refine`` the solution is refined
    once: solve again for the residual ``r - (Z Z' + Dg) da`` and add the correction. Shapes: X1 (n, p+1);
    Y, residual and d_inv (K, n); state (K, 4, n); woodbury (K, p+1, p+1); scale (K, p+1); targets (K, 2, n).
    """
    a, slack, lam, mu = state.transpose(1, 0, 2)
    r = -residual + targets[:, 0] / a - targets[:, 1] / slack

    def solve(rhs: np.ndarray) -> np.ndarray:  # Dg^-1 rhs - Dg^-1 Z (I + Z' Dg^-1 Z)^-1 Z' Dg^-1 rhs
        u = scale * np.linalg.solve(woodbury, (scale * ((Y * d_inv * rhs) @ X1))[:, :, None])[:, :, 0]
        return d_inv * (rhs - Y * (u @ X1.T))

    da = solve(r)
    if refine:  # one step of iterative refinement
        da += solve(r - Y * (((Y * da) @ X1) @ X1.T) - da / d_inv)
    return np.stack([da, -da, (targets[:, 0] - lam * da) / a, (targets[:, 1] + mu * da) / slack], axis=1)


def interior_point(X: np.ndarray, Y: np.ndarray, C: float, tol: float, max_iter: int) -> tuple[np.ndarray, int]:
    """Solve the hinge-loss SVM dual for every row of Y (labels in {-1, +1}) at once.

    The iterate is one array ``state`` of shape (n_problems, 4, n_samples) holding, per problem, ``a``,
    ``C - a``, ``lam`` and ``mu``, all kept > 0 (the "interior"); ``state[:, :2] * state[:, 2:]`` are the
    complementarity products ``a lam`` and ``(C - a) mu`` that the method drives to 0. A problem whose duality
    gap is below ``tol * P`` is done and left alone from then on (pushing a solved problem further only makes
    its Newton systems ill-conditioned). If round-off stalls a problem first (badly scaled features), the
    weights with the smallest primal objective seen are returned, with a ConvergenceWarning.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    Y : ndarray of shape (n_problems, n_samples), entries -1 or +1
    C : float, > 0
    tol : float, stop when ``P - D <= tol * P`` for every problem
    max_iter : int, maximum number of interior-point iterations

    Returns
    -------
    V : ndarray of shape (n_problems, n_features + 1); the last column holds the intercepts.
    n_iter : int, iterations run
    """
    n = X.shape[0]
    X1 = np.column_stack([X, np.ones(n)])  # the intercept is the weight of a constant feature
    identity = np.eye(X1.shape[1])
    # a = C/10: inside the box (0, C), nearer 0 where most points end; C - a is a variable of its own (computed,
    # it would round to 0 near the upper bound); lam = mu = 1
    state = np.stack([np.full(Y.shape, 0.1 * C), np.full(Y.shape, 0.9 * C), np.ones(Y.shape), np.ones(Y.shape)],
                     axis=1)
    best, best_primal = np.zeros((Y.shape[0], X1.shape[1])), np.full(Y.shape[0], np.inf)
    for iteration in range(1, max_iter + 1):
        V = (Y * state[:, 0]) @ X1  # v = Z' a, one row per problem
        margins = Y * (V @ X1.T)  # z_i . v = (Z Z' a)_i
        half_norm2 = 0.5 * (V * V).sum(axis=1)
        primal = half_norm2 + C * np.maximum(0.0, 1.0 - margins).sum(axis=1)
        dual = state[:, 0].sum(axis=1) - half_norm2
        best = np.where((primal < best_primal)[:, None], V, best)
        best_primal = np.minimum(primal, best_primal)
        todo = primal - dual > tol * primal
        if not todo.any():
            return V, iteration
        # one Newton step for the problems still to do
        current, Yk = state[todo], Y[todo]
        a, slack, lam, mu = current.transpose(1, 0, 2)  # each of shape (problems to do, n)
        products = current[:, :2] * current[:, 2:]  # a lam and (C - a) mu
        tau = products.sum(axis=(1, 2)) / (2 * n)  # their mean: how far from the boundary we still are
        residual = margins[todo] - 1.0 - lam + mu  # gradient of the dual objective minus the multipliers
        d_inv = 1.0 / (lam / a + mu / slack)
        woodbury = (X1.T[None] * d_inv[:, None, :]) @ X1 + identity  # I + Z' Dg^-1 Z, one (p+1, p+1) per problem
        scale = 1.0 / np.sqrt(np.diagonal(woodbury, axis1=1, axis2=2))
        system = (X1, Yk, current, residual, d_inv, woodbury * scale[:, :, None] * scale[:, None, :], scale)
        try:
            # predictor: the pure Newton step towards products 0, used only to measure how far it gets ...
            affine = _newton_step(*system, -products, refine=False)
            reached = current + _step_to_boundary(current, affine)[:, None, None] * affine
            tau_affine = (reached[:, :2] * reached[:, 2:]).sum(axis=(1, 2)) / (2 * n)
            sigma_tau = ((tau_affine / tau) ** 3 * tau)[:, None, None]  # ... then aim at sigma tau: sigma is
            # small if the predictor went far. Corrector: the same system, plus the predictor's second-order terms
            step = _newton_step(*system, sigma_tau - products - affine[:, :2] * affine[:, 2:], refine=True)
        except np.linalg.LinAlgError:  # round-off made a Newton system singular: as close as we can get
            break
        state[todo] = current + np.minimum(1.0, 0.99 * _step_to_boundary(current, step))[:, None, None] * step
    warnings.warn(f"the interior-point method did not reach a duality gap of {tol:g} in {iteration} iterations; "
                  "increase max_iter or tol, or standardize the features", ConvergenceWarning, stacklevel=3)
    return best, iteration


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier: hinge loss plus L2 penalty, one-vs-rest for K > 2 classes.

    Parameters
    ----------
    C : float, default=1.0
        Weight of the summed hinge losses against ``||w||^2 / 2`` (larger C: fewer margin violations,
        less regularization). Must be > 0.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol`` times the primal objective (then ``P`` is within a
        factor ``1 + tol`` of its minimum). Must be > 0.
    max_iter : int, default=100
        Maximum number of interior-point iterations (10 to 40 are typical). Must be >= 1.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int, interior-point iterations run
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> LinearSVC().fit(X, [0, 0, 1, 1]).predict([[-3.0], [0.5]])
    array([0, 1])
    """

    def __init__(self, *, C: float = 1.0, tol: float = 1e-4, max_iter: int = 100) -> None:
        self.C = C
        self.tol = tol
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
        if not (isinstance(self.tol, int | float) and self.tol > 0):
            raise ValueError(f"tol must be a positive number, got {self.tol!r}")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, index = np.unique(y, return_inverse=True)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(f"LinearSVC needs samples of at least 2 classes in the data, got 1 class: {self.classes_}")
        if K == 2:
            Y = np.where(index == 1, 1.0, -1.0)[None, :]
        else:
            Y = np.where(np.arange(K)[:, None] == index[None, :], 1.0, -1.0)
        V, self.n_iter_ = interior_point(X, Y, float(self.C), float(self.tol), int(self.max_iter))
        self.coef_ = V[:, :-1].copy()
        self.intercept_ = V[:, -1].copy()
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
