"""DBSCAN — your implementation.

A point is a core point when at least min_samples training points (itself included) lie within distance eps.
Core points within eps of each other share a cluster; a non-core point within eps of a core point joins one
of its clusters (border point); the rest is noise, label -1. Replace `raise NotImplementedError` and check
with `aieng check dbscan`.
"""

from __future__ import annotations

import numpy as np  # noqa: F401
from scipy.sparse.csgraph import connected_components  # noqa: F401
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import validate_data  # noqa: F401


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-based spatial clustering of applications with noise (Euclidean distance).

    Parameters
    ----------
    eps : float, default=0.5
        Neighbourhood radius, > 0 (else ValueError in fit). A point at distance exactly eps is a neighbour.
    min_samples : int, default=5
        Neighbourhood size (the point itself included) that makes a core point; integer >= 1.

    Attributes (set by ``fit``)
    ---------------------------
    labels_ : ndarray of int of shape (n_samples,), clusters 0, 1, ..., noise -1. A border point within eps
        of core points of several clusters goes to the cluster whose smallest core-point index is smallest
        (scikit-learn's rule: it grows clusters from core points in index order).
    core_sample_indices_ : ndarray of int of shape (n_core_samples,), increasing
    components_ : ndarray of shape (n_core_samples, n_features), X[core_sample_indices_]
    n_features_in_ : int
    """

    def __init__(self, eps: float = 0.5, *, min_samples: int = 5) -> None:
        self.eps = eps
        self.min_samples = min_samples

    def fit(self, X, y=None) -> DBSCAN:
        """Cluster X of shape (n_samples, n_features) (y ignored) and return self."""
        raise NotImplementedError
