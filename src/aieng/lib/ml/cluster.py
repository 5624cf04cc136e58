"""k-means clustering: k-means++ seeding, Lloyd iterations and restarts, as a scikit-learn estimator.

k-means looks for k centres ``mu_1..mu_k`` minimizing the **inertia**, the sum of squared distances from every
point to its nearest centre:

    inertia = sum_i min_c ||x_i - mu_c||^2

Lloyd's algorithm alternates an assignment step (label every point with its nearest centre: one
(n, k) distance matrix) and an update step (move every centre to the mean of its points). Neither step can
increase the inertia, so it converges, but only to a *local* minimum that depends on the start. Hence:

- **k-means++** seeding: the first centre is a random point; every next one is drawn with probability
  proportional to the squared distance to the nearest centre chosen so far ("greedy" variant, as in
  scikit-learn: draw ``2 + int(log k)`` candidates and keep the one that lowers the potential most).
- ``n_init`` restarts from different seeds, keeping the run with the lowest inertia. The default
  ``"auto"`` (scikit-learn's) makes 1 run with k-means++, whose seeding is already good, and 10 with
  ``init="random"``.

Stopping rule (scikit-learn's): stop when the labels no longer change, or when the total squared centre
shift of one iteration is at most ``tol * mean_j var(X_j)``; then assign labels once more to the final
centres so that ``labels_ == predict(X)``. An empty cluster is moved to the point farthest from its centre.

Left out: sample weights, the Elkan variant, sparse input, mini-batches.
Cost: O(n k p) per iteration, O(n k p) for seeding times the local trials.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data


def squared_distances(X: np.ndarray, centers: np.ndarray, x_squared: np.ndarray | None = None) -> np.ndarray:
    """Squared Euclidean distances ``||x_i - c_j||^2``, shape (n_samples, n_centers), clipped at 0.

    Uses ``||x||^2 - 2 x.c + ||c||^2``: one matrix product, O(n k p), no Python loop. ``x_squared``, the
    row norms ``||x_i||^2`` of shape (n_samples,), can be passed in when X is the same every call.

    >>> squared_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0]]))
    array([[ 0.],
           [25.]])
    """
    if x_squared is None:
        x_squared = np.einsum("ij,ij->i", X, X)
    d2 = x_squared[:, None] - 2.0 * X @ centers.T + np.einsum("ij,ij->i", centers, centers)[None, :]
    return np.maximum(d2, 0.0, out=d2)


def kmeans_plusplus(X: np.ndarray, n_clusters: int, rng: np.random.RandomState,
                    x_squared: np.ndarray | None = None) -> np.ndarray:
    """Greedy k-means++ seeding: ``n_clusters`` rows of X, shape (n_clusters, n_features).

    Each new centre is one of ``2 + int(log k)`` candidates drawn with probability proportional to the
    squared distance to the nearest chosen centre (D^2 sampling); the candidate giving the smallest total
    potential ``sum_i min_c ||x_i - c||^2`` wins. ``x_squared``: optional row norms, as in ``squared_distances``.
    """
    n = X.shape[0]
    if x_squared is None:
        x_squared = np.einsum("ij,ij->i", X, X)
    n_trials = 2 + int(np.log(n_clusters))
    centers = np.empty((n_clusters, X.shape[1]))
    # uniform, drawn the way scikit-learn draws it (a choice with equal weights): same seed, same first centre
    centers[0] = X[rng.choice(n, p=np.full(n, 1.0 / n))]
    closest = squared_distances(X, centers[:1], x_squared)[:, 0]
    for c in range(1, n_clusters):  # a loop over centres, not samples
        total = closest.sum()
        if total <= 0:  # every point already sits on a centre: any choice is as good
            candidates = rng.randint(n, size=n_trials)
        else:
            cumulative = np.cumsum(closest)
            candidates = np.searchsorted(cumulative, rng.uniform(size=n_trials) * total)
            candidates = np.minimum(candidates, n - 1)
        trial = np.minimum(closest[None, :], squared_distances(X, X[candidates], x_squared).T)  # (trials, n)
        best = int(np.argmin(trial.sum(axis=1)))
        centers[c] = X[candidates[best]]
        closest = trial[best]
    return centers


class KMeans(TransformerMixin, ClusterMixin, BaseEstimator):
    """k-means clustering with k-means++ seeding, Lloyd iterations and ``n_init`` restarts.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters k (1 <= k <= n_samples).
    init : {"k-means++", "random"} or array-like of shape (n_clusters, n_features), default="k-means++"
        How to choose the first centres: D^2 sampling, k distinct random rows, or given centres (then a
        single run is made whatever ``n_init`` says).
    n_init : "auto" or int, default="auto"
        Number of runs from different seeds; the run with the lowest inertia is kept. "auto": 1 run for
        k-means++ or given centres, 10 for ``init="random"``.
    max_iter : int, default=300
        Maximum number of Lloyd iterations per run.
    tol : float, default=1e-4
        Stop when the total squared centre shift is at most ``tol * mean_j var(X_j)``.
    random_state : int, RandomState instance or None, default=None
        Seed for the initialization.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,), index of the nearest centre of every training point
    inertia_ : float, sum of squared distances of the training points to their centre
    n_iter_ : int, Lloyd iterations of the kept run
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> km = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> float(km.inertia_)
    1.0
    """

    def __init__(self, n_clusters: int = 8, *, init="k-means++", n_init: int | str = "auto", max_iter: int = 300,
                 tol: float = 1e-4, random_state=None) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _check_params(self, X: np.ndarray) -> np.ndarray | None:
        """Validate the hyperparameters against X; return the explicit initial centres or None."""
        n, p = X.shape
        for name in ("n_clusters", "max_iter") + (() if isinstance(self.n_init, str) else ("n_init",)):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        if isinstance(self.n_init, str) and self.n_init != "auto":
            raise ValueError(f"n_init must be 'auto' or an integer >= 1, got {self.n_init!r}")
        if not (isinstance(self.tol, numbers.Real) and self.tol >= 0):
            raise ValueError(f"tol must be a non-negative number, got {self.tol!r}")
        if n < self.n_clusters:
            raise ValueError(f"n_samples={n} should be >= n_clusters={self.n_clusters}")
        if isinstance(self.init, str):
            if self.init not in ("k-means++", "random"):
                raise ValueError(f"init must be 'k-means++', 'random' or an array, got {self.init!r}")
            return None
        init = np.asarray(self.init, dtype=np.float64)
        if init.shape != (self.n_clusters, p) or not np.all(np.isfinite(init)):
            raise ValueError(f"init array must be finite with shape ({self.n_clusters}, {p}), got {init.shape}")
        return init

    def _lloyd(self, X: np.ndarray, x_squared: np.ndarray, centers: np.ndarray,
               tol: float) -> tuple[np.ndarray, np.ndarray, float, int]:
        """One run of Lloyd's algorithm from ``centers`` (``x_squared``: row norms of X): (centers, labels,
        inertia, n_iter)."""
        k = centers.shape[0]
        labels = None
        strict = False
        n_iter = 0
        for _ in range(self.max_iter):  # a loop over iterations, not samples
            n_iter += 1
            d2 = squared_distances(X, centers, x_squared)
            new_labels = np.argmin(d2, axis=1)
            if labels is not None and np.array_equal(new_labels, labels):
                strict = True
                break
            labels = new_labels
            one_hot = np.eye(k)[labels]
            counts = one_hot.sum(axis=0)
            new_centers = np.where(counts[:, None] > 0, one_hot.T @ X / np.maximum(counts, 1)[:, None], centers)
            empty = np.flatnonzero(counts == 0)
            if empty.size:  # move empty clusters to the points worst served by their centre
                far = np.argsort(-d2[np.arange(len(X)), labels], kind="stable")[: empty.size]
                new_centers[empty] = X[far]
            shift = float(((new_centers - centers) ** 2).sum())
            centers = new_centers
            if shift <= tol:
                break
        if not strict:
            labels = np.argmin(squared_distances(X, centers, x_squared), axis=1)
        inertia = float(((X - centers[labels]) ** 2).sum())
        return centers, labels, inertia, n_iter

    def fit(self, X, y=None) -> KMeans:
        """Run k-means ``n_init`` times and keep the run with the lowest inertia.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : KMeans
        """
        X = validate_data(self, X, dtype=np.float64)
        init = self._check_params(X)
        rng = check_random_state(self.random_state)
        mean = X.mean(axis=0)
        Xc = X - mean  # centring improves the accuracy of ||x||^2 - 2 x.c + ||c||^2
        tol = float(np.mean(np.var(X, axis=0)) * self.tol)
        x_squared = np.einsum("ij,ij->i", Xc, Xc)  # computed once for every distance computation below
        if init is not None:
            runs = 1
        elif self.n_init == "auto":
            runs = 10 if self.init == "random" else 1
        else:
            runs = self.n_init
        best = None
        for _ in range(runs):
            if init is not None:
                start = init - mean
            elif self.init == "random":
                start = Xc[rng.permutation(len(X))[: self.n_clusters]]
            else:
                start = kmeans_plusplus(Xc, self.n_clusters, rng, x_squared)
            run = self._lloyd(Xc, x_squared, start.copy(), tol)
            if best is None or run[2] < best[2]:
                best = run
        centers, self.labels_, self.inertia_, self.n_iter_ = best
        self.cluster_centers_ = centers + mean
        return self

    def transform(self, X) -> np.ndarray:
        """Euclidean distance from every row to every centre.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return np.sqrt(squared_distances(X, self.cluster_centers_))

    def predict(self, X) -> np.ndarray:
        """Index of the nearest centre for every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return np.argmin(squared_distances(X, self.cluster_centers_), axis=1)
