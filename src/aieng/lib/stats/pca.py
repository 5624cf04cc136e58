"""Principal component analysis (PCA), two ways: eigendecomposition of the covariance matrix, and SVD.

PCA finds orthonormal directions (principal components) along which centered data vary most: the first
maximizes the variance of the projections, each next one does the same orthogonally to the previous.
They are the eigenvectors of the sample covariance C = X_cᵀ X_c / (n - 1) (X_c: the data minus their
mean), sorted by eigenvalue, and the eigenvalues are the variances along them ("explained variance").

Two routes to the same answer:
- `method="eigh"`: form C (d x d) and call np.linalg.eigh. Cheap for n >> d, but forming C squares the
  condition number and eigh returns eigenvalues in *ascending* order.
- `method="svd"`: X_c = U S Vᵀ; the rows of Vᵀ are the components and S² / (n - 1) the variances. More
  accurate (C is never formed); numpy returns singular values in descending order.

Eigenvectors are defined only up to sign. This module fixes the sign as scikit-learn does: the entry of
largest magnitude in each component is positive. Explained variance uses ddof = 1, as scikit-learn does.

Left out: whitening, randomized or truncated solvers for large data, incremental PCA, kernel PCA,
choosing n_components by a variance fraction.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

METHODS = ("svd", "eigh")


class PCA:
    """Principal component analysis with a scikit-learn style interface.

    >>> x = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    >>> pca = PCA(n_components=1).fit(x)
    >>> pca.components_, pca.explained_variance_
    (array([[1., 0.]]), array([2.66666667]))
    >>> pca.transform(x).ravel()
    array([ 2.,  0., -2.,  0.])

    Fitted attributes (k = n_components_): mean_ (d,), components_ (k, d) with orthonormal rows sorted by
    variance, explained_variance_ (k,), explained_variance_ratio_ (k,) (fractions of the *total*
    variance, so they sum to 1 only when k = d), singular_values_ (k,). Fitting costs O(n d²) (eigh:
    O(n d² + d³)).
    """

    def __init__(self, n_components: int | None = None, method: str = "svd") -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        if n_components is not None and (int(n_components) != n_components or n_components < 1):
            raise ValueError(f"n_components must be a positive whole number or None, got {n_components}")
        self.n_components = n_components
        self.method = method

    def fit(self, x: ArrayLike) -> PCA:
        """Learn the mean and the principal components of `x` (n, d), n >= 2. Returns self."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2:
            raise ValueError(f"x must be a 2-D array (n samples, d features), got shape {x.shape}")
        n, d = x.shape
        if n < 2 or d < 1:
            raise ValueError(f"PCA needs at least 2 samples and 1 feature, got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ValueError("x contains NaN or infinity")
        k = min(n, d) if self.n_components is None else int(self.n_components)
        if k > min(n, d):
            raise ValueError(f"n_components = {k} exceeds min(n_samples, n_features) = {min(n, d)}")

        mean = x.mean(axis=0)
        centered = x - mean
        if self.method == "svd":
            _, singular_values, components = np.linalg.svd(centered, full_matrices=False)
            variances = singular_values**2 / (n - 1)
        else:
            covariance = centered.T @ centered / (n - 1)
            eigenvalues, eigenvectors = np.linalg.eigh(covariance)  # ascending order
            order = np.argsort(eigenvalues)[::-1]
            variances = np.clip(eigenvalues[order], 0.0, None)  # round-off can make a 0 slightly negative
            components = eigenvectors[:, order].T  # eigenvectors are the *columns* of eigh's result
        total = variances.sum()
        if total == 0.0:
            raise ValueError("the data have no variance (every column is constant): nothing to explain")

        largest = np.argmax(np.abs(components), axis=1)
        signs = np.sign(components[np.arange(components.shape[0]), largest])
        components = components * signs[:, None]

        self.mean_ = mean
        self.n_components_ = k
        self.n_features_in_ = d
        self.components_ = components[:k]
        self.explained_variance_ = variances[:k]
        self.explained_variance_ratio_ = variances[:k] / total
        self.singular_values_ = np.sqrt(variances[:k] * (n - 1))
        return self

    def _check_fitted(self, columns: int, width: int, what: str) -> None:
        if not hasattr(self, "components_"):
            raise ValueError("this PCA is not fitted yet: call fit(x) first")
        if columns != width:
            raise ValueError(f"{what} must have {width} columns, got {columns}")

    def transform(self, x: ArrayLike) -> np.ndarray:
        """Coordinates of `x` (m, d) along the components: (x - mean_) @ components_ᵀ, shape (m, k)."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2:
            raise ValueError(f"x must be 2-D, got shape {x.shape}")
        self._check_fitted(x.shape[1], getattr(self, "n_features_in_", 0), "x")
        return (x - self.mean_) @ self.components_.T

    def inverse_transform(self, z: ArrayLike) -> np.ndarray:
        """Map coordinates `z` (m, k) back to feature space: z @ components_ + mean_, shape (m, d).

        With k < d this is the best rank-k approximation of the centered data, shifted back by the mean.
        """
        z = np.asarray(z, dtype=np.float64)
        if z.ndim != 2:
            raise ValueError(f"z must be 2-D, got shape {z.shape}")
        self._check_fitted(z.shape[1], getattr(self, "n_components_", 0), "z")
        return z @ self.components_ + self.mean_

    def fit_transform(self, x: ArrayLike) -> np.ndarray:
        """fit(x), then transform(x)."""
        return self.fit(x).transform(x)
