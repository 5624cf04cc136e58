"""Agglomerative hierarchical clustering — your implementation.

Start with every point alone; repeatedly merge the two closest clusters. After merging s and t, the distance
from the new cluster to every other cluster v follows from d(s, v), d(t, v) and the sizes (Lance-Williams).
Record the merges as a scipy linkage matrix and cut it into k clusters. Replace each
`raise NotImplementedError` and check with `aieng check hierarchical-clustering`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import validate_data  # noqa: F401

METHODS = ("single", "complete", "average", "ward")


def linkage(X, method: str = "single") -> np.ndarray:
    """Agglomerative clustering of the rows of X (Euclidean distances) as a scipy linkage matrix.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features); at least 2 rows, finite (else ValueError)
    method : one of METHODS (else ValueError)

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)
        Row i = [id_a, id_b, distance, size of the new cluster] with id_a < id_b; ids 0..n-1 are the points,
        id n + i is the cluster created by row i. Rows in merge order (distances never decrease).
    """
    raise NotImplementedError


def fcluster_maxclust(Z, n_clusters: int) -> np.ndarray:
    """Cut the tree Z (shape (n_samples - 1, 4)) into n_clusters flat clusters.

    Keep the first n_samples - n_clusters merges. Returns int labels of shape (n_samples,) with values
    1..n_clusters (any numbering). ValueError if Z is not (m, 4) or n_clusters is not in [1, n_samples].
    """
    raise NotImplementedError


class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Agglomerative clustering cut into ``n_clusters`` flat clusters.

    Parameters
    ----------
    n_clusters : int, default=2
        Integer with 1 <= n_clusters <= n_samples; also n_samples >= 2 (else ValueError in fit; for too few
        samples say "n_samples=<n> should be >= n_clusters=<k>").
    linkage : {"ward", "complete", "average", "single"}, default="ward"

    Attributes (set by ``fit``)
    ---------------------------
    labels_ : ndarray of int of shape (n_samples,), values 0..n_clusters-1
    linkage_matrix_ : ndarray of shape (n_samples - 1, 4)
    n_features_in_ : int
    """

    def __init__(self, n_clusters: int = 2, *, linkage: str = "ward") -> None:
        self.n_clusters = n_clusters
        self.linkage = linkage

    def fit(self, X, y=None) -> AgglomerativeClustering:
        """Build the tree on X of shape (n_samples, n_features) (y ignored), cut it, return self."""
        raise NotImplementedError
