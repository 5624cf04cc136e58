"""Naive Bayes — your implementation.

Bayes' rule with features independent given the class:  log P(c | x) = log P(c) + sum_j log P(x_j | c) - log P(x).
Compute the joint log-likelihood (everything but the last term) for every class, then normalize it with
logsumexp. Replace each `raise NotImplementedError` and check with `aieng check naive-bayes`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp  # noqa: F401
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class GaussianNB(ClassifierMixin, BaseEstimator):
    """Naive Bayes with a normal distribution per class and feature.

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        epsilon_ = var_smoothing * (largest variance of a feature over all of X) is added to every class
        variance. Negative: ValueError in fit.

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (n_classes,), sorted labels
    class_count_ : ndarray of shape (n_classes,), samples per class (as floats)
    class_prior_ : ndarray of shape (n_classes,), class frequencies
    theta_ : ndarray of shape (n_classes, n_features), class means
    var_ : ndarray of shape (n_classes, n_features), class variances (divide by the class count) + epsilon_
    epsilon_ : float
    n_features_in_ : int
    """

    def __init__(self, *, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X, y) -> GaussianNB:
        """Estimate the attributes above from X of shape (n_samples, n_features), y of shape (n_samples,)."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), shape (n_samples, n_classes), columns as ``classes_``; finite even for far-away x."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """The most probable label per row, shape (n_samples,)."""
        raise NotImplementedError


class MultinomialNB(ClassifierMixin, BaseEstimator):
    """Naive Bayes for non-negative count features, with additive smoothing.

    Parameters
    ----------
    alpha : float, default=1.0
        Pseudo-count added to every (class, feature) count; must be > 0 (else ValueError in fit).
    fit_prior : bool, default=True
        Class priors from the class frequencies; if False, uniform priors.

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
    class_log_prior_ : ndarray of shape (n_classes,)
    feature_count_ : ndarray of shape (n_classes, n_features), summed counts per class
    feature_log_prob_ : ndarray of shape (n_classes, n_features), log of the smoothed word probabilities
    n_features_in_ : int

    Negative values in X raise ValueError (in fit and in predict).
    """

    def __init__(self, *, alpha: float = 1.0, fit_prior: bool = True) -> None:
        self.alpha = alpha
        self.fit_prior = fit_prior

    def __sklearn_tags__(self):
        """Tell scikit-learn's checks what this model accepts (given: keep it)."""
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # counts: negative X is refused
        tags.classifier_tags.poor_score = True  # the checks' Gaussian blobs are no count data
        return tags

    def fit(self, X, y) -> MultinomialNB:
        """Estimate the attributes above from counts X of shape (n_samples, n_features), y of shape (n_samples,)."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), shape (n_samples, n_classes), columns as ``classes_``."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """The most probable label per row, shape (n_samples,)."""
        raise NotImplementedError
