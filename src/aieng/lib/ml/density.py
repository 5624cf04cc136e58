"""DBSCAN: density-based clustering with core points, border points and noise, as a scikit-learn estimator.

With a radius ``eps`` and a count ``min_samples``:

- the eps-neighbourhood of x is every training point within distance ``eps`` of x (x itself included);
- x is a **core point** when its neighbourhood holds at least ``min_samples`` points;
- two core points within ``eps`` of each other belong to the same cluster: clusters are the connected
  components of the graph of core points joined when they are within ``eps``;
- a non-core point within ``eps`` of some core point is a border point and joins a cluster of such a core
  point; every other point is noise, label -1.

A border point within reach of two clusters is ambiguous. scikit-learn scans the points in index order and
grows a whole cluster from every unlabelled core point it meets, so clusters are numbered by their smallest
core-point index and a contested border point goes to the cluster with the smallest such index (the one grown
first). This module follows that rule, so its labels equal scikit-learn's exactly.

Everything is vectorized: one (n, n) distance matrix, one connected-components call on the core graph, one
masked minimum for the border points. Left out: metrics other than Euclidean, sample weights, the
tree-based neighbour searches that avoid O(n^2) memory.
Cost: O(n^2 p) time and O(n^2) memory.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils.validation import validate_data


def dbscan_labels(X: np.ndarray, eps: float, min_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """DBSCAN labels (noise = -1) and the boolean core mask of the rows of X.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    eps : float > 0, neighbourhood radius (distance <= eps counts)
    min_samples : int >= 1, neighbourhood size (the point itself included) that makes a core point

    Returns
    -------
    labels : ndarray of int of shape (n_samples,), clusters 0.. numbered by their smallest core index
    core : ndarray of bool of shape (n_samples,)

    >>> dbscan_labels(np.array([[0.0], [0.5], [1.0], [9.0]]), eps=0.6, min_samples=2)[0]
    array([ 0,  0,  0, -1])
    """
    n = X.shape[0]
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)  # from differences: exact at distance eps
    near = d2 <= eps * eps
    np.fill_diagonal(near, True)
    core = near.sum(axis=1) >= min_samples
    labels = np.full(n, -1, dtype=np.intp)
    core_idx = np.flatnonzero(core)
    if core_idx.size == 0:
        return labels, core
    n_comp, comp = connected_components(csr_matrix(near[np.ix_(core, core)]), directed=False)
    smallest = np.full(n_comp, n, dtype=np.intp)
    np.minimum.at(smallest, comp, core_idx)  # smallest core index of every component
    rank = np.empty(n_comp, dtype=np.intp)
    rank[np.argsort(smallest)] = np.arange(n_comp)  # clusters numbered in order of discovery
    labels[core_idx] = rank[comp]
    # border points: the lowest-numbered cluster among their core neighbours
    candidate = np.where(near[:, core_idx], labels[core_idx][None, :], n)  # (n, n_core)
    reach = candidate.min(axis=1)
    border = ~core & (reach < n)
    labels[border] = reach[border]
    return labels, core


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-based spatial clustering of applications with noise.

    Parameters
    ----------
    eps : float, default=0.5
        Neighbourhood radius (> 0); a point at distance exactly eps is a neighbour.
    min_samples : int, default=5
        Points (the point itself included) an eps-neighbourhood must hold for a core point (>= 1).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,), cluster of every training point, -1 for noise
    core_sample_indices_ : ndarray of shape (n_core_samples,), indices of the core points, increasing
    components_ : ndarray of shape (n_core_samples, n_features), the core points themselves
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 0.3], [5.0, 5.0], [5.0, 5.3], [20.0, 0.0]])
    >>> DBSCAN(eps=0.5, min_samples=2).fit(X).labels_
    array([ 0,  0,  1,  1, -1])
    """

    def __init__(self, eps: float = 0.5, *, min_samples: int = 5) -> None:
        self.eps = eps
        self.min_samples = min_samples

    def fit(self, X, y=None) -> DBSCAN:
        """Find core points, clusters and noise in X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : DBSCAN
        """
        X = validate_data(self, X, dtype=np.float64)
        if not (isinstance(self.eps, numbers.Real) and self.eps > 0):
            raise ValueError(f"eps must be a positive number, got {self.eps!r}")
        if not isinstance(self.min_samples, numbers.Integral) or isinstance(self.min_samples, bool) \
                or self.min_samples < 1:
            raise ValueError(f"min_samples must be an integer >= 1, got {self.min_samples!r}")
        self.labels_, core = dbscan_labels(X, float(self.eps), int(self.min_samples))
        self.core_sample_indices_ = np.flatnonzero(core)
        self.components_ = X[core].copy()
        return self
