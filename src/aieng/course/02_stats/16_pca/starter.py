"""PCA — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check pca`.
numpy.linalg.eigh and numpy.linalg.svd are yours to use (this exercise is about using them right);
scikit-learn's PCA is switched off while the checks run.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


class PCA:
    """Principal component analysis, scikit-learn style.

    PCA(n_components=None, method="svd").fit(x) learns, from x of shape (n, d):
      mean_                     (d,)   the column means
      components_               (k, d) orthonormal rows, the directions of largest variance, largest first
      explained_variance_       (k,)   variance along each component, dividing by n - 1
      explained_variance_ratio_ (k,)   explained_variance_ / total variance of the data (all d directions)
      singular_values_          (k,)   sqrt(explained_variance_ * (n - 1))
      n_components_             k      (n_components, or min(n, d) when None)
    method="eigh": eigendecomposition of the covariance matrix; method="svd": SVD of the centered data.
    Each component may come out as v or -v; both are accepted.

    Raise ValueError for an unknown method, n_components < 1 or > min(n, d), x not 2-D, fewer than 2
    samples, NaN or infinity, and (in transform / inverse_transform) an unfitted PCA or a wrong number
    of columns.
    """

    def __init__(self, n_components: int | None = None, method: str = "svd") -> None:
        raise NotImplementedError

    def fit(self, x: ArrayLike) -> PCA:
        """Learn mean_, components_ and the variances from x (n, d). Return self."""
        raise NotImplementedError

    def transform(self, x: ArrayLike) -> np.ndarray:
        """Return the coordinates (x - mean_) @ components_.T, shape (m, k), for x of shape (m, d)."""
        raise NotImplementedError

    def inverse_transform(self, z: ArrayLike) -> np.ndarray:
        """Return z @ components_ + mean_, shape (m, d), for coordinates z of shape (m, k)."""
        raise NotImplementedError

    def fit_transform(self, x: ArrayLike) -> np.ndarray:
        """fit(x), then return transform(x)."""
        raise NotImplementedError
