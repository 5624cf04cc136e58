"""k-means clustering — your implementation.

Minimize the inertia  sum_i min_c ||x_i - mu_c||^2  by alternating: label every point with its nearest
centre, move every centre to the mean of its points. Seed with k-means++, restart n_init times, keep the
best. Replace each `raise NotImplementedError` and check with `aieng check kmeans`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils import check_random_state  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class KMeans(TransformerMixin, ClusterMixin, BaseEstimator):
    """k-means clustering with k-means++ seeding, Lloyd iterations and ``n_init`` restarts.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters k; an integer with 1 <= k <= n_samples (else ValueError in fit; for too few
        samples say "n_samples=<n> should be >= n_clusters=<k>").
    init : {"k-means++", "random"} or array-like of shape (n_clusters, n_features), default="k-means++"
        D^2 sampling, k distinct random rows of X, or the given centres (then exactly one run, whatever
        n_init says). Anything else: ValueError.
    n_init : int, default=10
        Number of runs; keep the one with the lowest inertia. Integer >= 1.
    max_iter : int, default=300
        Maximum Lloyd iterations per run. Integer >= 1.
    tol : float, default=1e-4
        Stop a run when the total squared centre shift of an iteration is <= tol * mean_j var(X_j). >= 0.
    random_state : int, RandomState instance or None, default=None
        All randomness comes from ``check_random_state(random_state)``: same seed, same result.

    Attributes (set by ``fit``)
    ---------------------------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of int of shape (n_samples,), index of the nearest final centre (equal to predict(X))
    inertia_ : float, sum of squared distances of the training rows to their centre
    n_iter_ : int, number of Lloyd iterations of the kept run
    n_features_in_ : int
    """

    def __init__(self, n_clusters: int = 8, *, init="k-means++", n_init: int = 10, max_iter: int = 300,
                 tol: float = 1e-4, random_state=None) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X, y=None) -> KMeans:
        """Cluster X of shape (n_samples, n_features) (y is ignored) and return self."""
        raise NotImplementedError

    def transform(self, X) -> np.ndarray:
        """Euclidean distance of every row to every centre, shape (n_samples, n_clusters)."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Index of the nearest centre for every row, shape (n_samples,)."""
        raise NotImplementedError
