"""Agglomerative (bottom-up) hierarchical clustering with single, complete, average and Ward linkage.

Start with every point as its own cluster and repeatedly merge the two closest clusters until one is left.
"Closest" is the **linkage**; after merging s and t into u, the distance from u to any other cluster v
follows from the old distances (the Lance-Williams update), so only an (n, n) matrix is ever needed:

    single    d(u, v) = min(d(s, v), d(t, v))
    complete  d(u, v) = max(d(s, v), d(t, v))
    average   d(u, v) = (|s| d(s, v) + |t| d(t, v)) / (|s| + |t|)
    ward      d(u, v) = sqrt(((|v|+|s|) d(s,v)^2 + (|v|+|t|) d(t,v)^2 - |v| d(s,t)^2) / (|v|+|s|+|t|))

starting from Euclidean distances between points. The merges are recorded in scipy's linkage-matrix format:
row i is ``[id_a, id_b, distance, size]`` with ``id_a < id_b``; ids below n are points, id ``n + i`` is the
cluster made by row i. All four linkages are monotone (merge distances never decrease), so merging the
globally closest pair at every step gives the rows in scipy's order.

Cutting the tree into k flat clusters (scipy's ``fcluster(Z, k, criterion="maxclust")`` when no two merge
distances are equal) keeps the first n - k merges.

Left out: other metrics and linkages (centroid, median, weighted), connectivity constraints, distance
thresholds, the O(n^2) nearest-neighbour-chain and minimum-spanning-tree algorithms scipy uses. Ties between
equal distances are broken by the first pair in row-major order, which may differ from scipy.
Cost: O(n^2) memory, O(n^3) time (an argmin over the matrix per merge).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import validate_data

METHODS = ("single", "complete", "average", "ward")


def linkage(X, method: str = "single") -> np.ndarray:
    """Agglomerative clustering of the rows of X; the merges as a scipy linkage matrix.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), n_samples >= 2, finite
    method : {"single", "complete", "average", "ward"}

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)
        Row i: the ids of the two merged clusters (smaller first), their linkage distance and the size of
        the new cluster, whose id is n_samples + i.

    >>> linkage(np.array([[0.0], [1.0], [5.0]]), "single")
    array([[0., 1., 1., 2.],
           [2., 3., 4., 3.]])
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError(f"X must be 2-D with at least 2 rows, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinity")
    n = X.shape[0]
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))  # from differences: exact, like pdist
    np.fill_diagonal(D, np.inf)
    ids = np.arange(n)  # cluster id held by each slot
    sizes = np.ones(n)
    Z = np.empty((n - 1, 4))
    for step in range(n - 1):  # one merge per iteration: a loop over tree nodes
        s, t = divmod(int(np.argmin(D)), n)
        s, t = min(s, t), max(s, t)
        d_st = D[s, t]
        n_s, n_t = sizes[s], sizes[t]
        a, b = sorted((ids[s], ids[t]))
        Z[step] = (a, b, d_st, n_s + n_t)
        d_s, d_t = D[s], D[t]
        if method == "single":
            new = np.minimum(d_s, d_t)
        elif method == "complete":
            new = np.maximum(d_s, d_t)
        elif method == "average":
            new = (n_s * d_s + n_t * d_t) / (n_s + n_t)
        else:
            with np.errstate(invalid="ignore"):
                new = np.sqrt(np.maximum(((sizes + n_s) * d_s**2 + (sizes + n_t) * d_t**2 - sizes * d_st**2)
                                         / (sizes + n_s + n_t), 0.0))
        new[[s, t]] = np.inf
        new[np.isinf(d_s) | np.isinf(d_t)] = np.inf  # inactive slots stay out of reach
        D[s, :] = new
        D[:, s] = new
        D[t, :] = np.inf
        D[:, t] = np.inf
        ids[s] = n + step
        sizes[s] = n_s + n_t
    return Z


def fcluster_maxclust(Z, n_clusters: int) -> np.ndarray:
    """Cut a linkage matrix into ``n_clusters`` flat clusters by undoing its last ``n_clusters - 1`` merges.

    Parameters
    ----------
    Z : array-like of shape (n_samples - 1, 4), a linkage matrix with non-decreasing distances
    n_clusters : int, 1 <= n_clusters <= n_samples

    Returns
    -------
    labels : ndarray of int of shape (n_samples,), values 1..n_clusters (numbered by first appearance)

    >>> fcluster_maxclust(np.array([[0.0, 1.0, 1.0, 2.0], [2.0, 3.0, 4.0, 3.0]]), 2)
    array([1, 1, 2])
    """
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[1] != 4:
        raise ValueError(f"Z must have shape (n_samples - 1, 4), got {Z.shape}")
    n = Z.shape[0] + 1
    if not isinstance(n_clusters, numbers.Integral) or not 1 <= n_clusters <= n:
        raise ValueError(f"n_clusters must be an integer in [1, {n}], got {n_clusters!r}")
    parent = np.arange(2 * n - 1)
    kept = Z[: n - n_clusters, :2].astype(int)
    parent[kept[:, 0]] = n + np.arange(len(kept))
    parent[kept[:, 1]] = n + np.arange(len(kept))
    root = np.arange(n)
    while True:  # pointer jumping, vectorized over the points; at most log(n) + 1 rounds
        nxt = parent[root]
        if np.array_equal(nxt, root):
            break
        root = parent[nxt]
    _, first, inverse = np.unique(root, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse] + 1


class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Agglomerative clustering cut into ``n_clusters`` flat clusters.

    Parameters
    ----------
    n_clusters : int, default=2
        Number of clusters to return (1 <= n_clusters <= n_samples).
    linkage : {"ward", "complete", "average", "single"}, default="ward"
        How the distance between two clusters is measured (Euclidean distance between points).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,), cluster of every training point, values 0..n_clusters-1
    linkage_matrix_ : ndarray of shape (n_samples - 1, 4), the whole tree in scipy's format
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> AgglomerativeClustering(n_clusters=2).fit(X).labels_
    array([0, 0, 1, 1])
    """

    def __init__(self, n_clusters: int = 2, *, linkage: str = "ward") -> None:
        self.n_clusters = n_clusters
        self.linkage = linkage

    def fit(self, X, y=None) -> AgglomerativeClustering:
        """Build the tree on X and cut it into ``n_clusters`` clusters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : AgglomerativeClustering
        """
        X = validate_data(self, X, dtype=np.float64)
        n = X.shape[0]
        if not isinstance(self.n_clusters, numbers.Integral) or isinstance(self.n_clusters, bool) \
                or self.n_clusters < 1:
            raise ValueError(f"n_clusters must be an integer >= 1, got {self.n_clusters!r}")
        if self.linkage not in METHODS:
            raise ValueError(f"linkage must be one of {METHODS}, got {self.linkage!r}")
        if n < self.n_clusters or n < 2:
            raise ValueError(f"n_samples={n} should be >= n_clusters={self.n_clusters} and >= 2")
        self.linkage_matrix_ = linkage(X, self.linkage)
        self.labels_ = fcluster_maxclust(self.linkage_matrix_, int(self.n_clusters)) - 1
        return self
