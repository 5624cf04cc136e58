"""Naive Bayes classifiers: Gaussian (continuous features) and multinomial (counts), in log space.

Bayes' rule with the "naive" assumption that features are independent given the class:

    log P(c | x) = log P(c) + sum_j log P(x_j | c) - log P(x)

The last term is the same for every class, so ``predict`` takes the argmax of the *joint* log-likelihood
``log P(c) + sum_j log P(x_j | c)``, and ``predict_proba`` normalizes it with ``logsumexp`` (exponentiating
raw log-likelihoods of -1000 would underflow to 0/0).

- ``GaussianNB``: ``x_j | c ~ Normal(theta_cj, var_cj)`` with per-class means and (biased) variances; every
  variance is increased by ``var_smoothing * max_j var(X_j)`` so a constant feature cannot divide by 0.
- ``MultinomialNB``: ``x | c ~ Multinomial(theta_c)`` over the features (word counts), with
  ``theta_cj = (N_cj + alpha) / (N_c + alpha p)`` (additive smoothing).

These are scikit-learn's formulas. Left out: user-given priors, ``partial_fit``, sample weights, sparse input.
Cost: fitting O(n p K) (one matrix product), predicting O(m p K).
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Everything after the joint log-likelihood: probabilities and labels."""

    def _encode(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """Validate; set classes_ and class_count_; return X and the one-hot labels (n, K)."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, index = np.unique(y, return_inverse=True)
        one_hot = np.eye(len(self.classes_))[index]
        self.class_count_ = one_hot.sum(axis=0)
        return X, one_hot

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def predict_joint_log_proba(self, X) -> np.ndarray:
        """``log P(c) + log P(x | c)`` for every class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        jll : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self._joint_log_likelihood(X)

    def predict_log_proba(self, X) -> np.ndarray:
        """``log P(c | x)``: the joint log-likelihood minus its row-wise ``logsumexp``; shape (n_samples, n_classes)."""
        jll = self.predict_joint_log_proba(X)
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X) -> np.ndarray:
        """``P(c | x)``, columns ordered as ``classes_``, rows summing to 1.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class per row (first in ``classes_`` on a tie).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        jll = self.predict_joint_log_proba(X)
        return self.classes_[np.argmax(jll, axis=1)]


class GaussianNB(_BaseNB):
    """Naive Bayes with a normal distribution per class and feature.

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        Share of the largest feature variance added to every variance, for stability (>= 0).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
    class_prior_ : ndarray of shape (n_classes,), class frequencies
    theta_ : ndarray of shape (n_classes, n_features), class means
    var_ : ndarray of shape (n_classes, n_features), class variances plus ``epsilon_``
    epsilon_ : float
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [0.2], [5.0], [5.2]])
    >>> GaussianNB().fit(X, [0, 0, 1, 1]).predict([[0.1], [4.0]])
    array([0, 1])
    """

    def __init__(self, *, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X, y) -> GaussianNB:
        """Estimate class priors, means and variances by maximum likelihood.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : GaussianNB
        """
        if not self.var_smoothing >= 0:
            raise ValueError(f"var_smoothing must be non-negative, got {self.var_smoothing}")
        X, one_hot = self._encode(X, y)
        counts = self.class_count_[:, None]
        self.epsilon_ = float(self.var_smoothing * np.max(np.var(X, axis=0)))
        self.theta_ = one_hot.T @ X / counts
        squared_deviation = (X[:, None, :] - self.theta_[None, :, :]) ** 2  # (n, K, p)
        self.var_ = np.einsum("nk,nkp->kp", one_hot, squared_deviation) / counts + self.epsilon_
        self.class_prior_ = self.class_count_ / self.class_count_.sum()
        return self

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        """``log prior_c - 1/2 sum_j [log(2 pi var_cj) + (x_j - theta_cj)^2 / var_cj]``, shape (m, K)."""
        log_normaliser = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)  # (K,)
        mahalanobis = np.sum((X[:, None, :] - self.theta_[None]) ** 2 / self.var_[None], axis=2)  # (m, K)
        return np.log(self.class_prior_) + log_normaliser - 0.5 * mahalanobis


class MultinomialNB(_BaseNB):
    """Naive Bayes for count features (word counts, pixel intensities) with additive smoothing.

    Parameters
    ----------
    alpha : float, default=1.0
        Pseudo-count added to every feature count (1 is Laplace smoothing); must be > 0.
    fit_prior : bool, default=True
        Learn class priors from the class frequencies; if False, use a uniform prior.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
    class_log_prior_ : ndarray of shape (n_classes,)
    feature_count_ : ndarray of shape (n_classes, n_features), summed counts per class
    feature_log_prob_ : ndarray of shape (n_classes, n_features), ``log theta_cj``
    n_features_in_ : int
    """

    def __init__(self, *, alpha: float = 1.0, fit_prior: bool = True) -> None:
        self.alpha = alpha
        self.fit_prior = fit_prior

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # counts: negative X is refused
        tags.classifier_tags.poor_score = True  # the checks' Gaussian blobs are no count data (as in scikit-learn)
        return tags

    def fit(self, X, y) -> MultinomialNB:
        """Count features per class and turn the smoothed counts into log-probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), non-negative counts
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : MultinomialNB
        """
        if not self.alpha > 0:
            raise ValueError(f"alpha must be positive, got {self.alpha}")
        X, one_hot = self._encode(X, y)
        if np.any(X < 0):
            raise ValueError("Negative values in data passed to MultinomialNB (it models counts)")
        self.feature_count_ = one_hot.T @ X
        smoothed = self.feature_count_ + self.alpha
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
        n_classes = len(self.classes_)
        if self.fit_prior:
            self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
        else:
            self.class_log_prior_ = np.full(n_classes, -np.log(n_classes))
        return self

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        """``log prior_c + sum_j x_j log theta_cj`` (the multinomial coefficient is the same for all classes)."""
        if np.any(X < 0):
            raise ValueError("Negative values in data passed to MultinomialNB (it models counts)")
        return X @ self.feature_log_prob_.T + self.class_log_prior_
