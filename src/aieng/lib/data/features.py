"""Feature engineering: new columns from old ones, so a simple model can see more structure.

Implements
- `PolynomialFeatures`: every product of input columns up to a total degree (x1, x2 -> 1, x1, x2, x1^2,
  x1 x2, x2^2), or only the products of distinct columns (interactions);
- `KBinsDiscretizer`: cut each column into bins (equal width, or equal counts by quantiles) learned in
  `fit`, and replace each value by its bin index;
- `Log1pTransformer`: log(1 + x) for skewed non-negative columns (counts, prices), with its inverse;
- `date_parts`: year, month, day, hour, minute, day of week and day of year of timestamps, with
  datetime64 arithmetic.

Left out: one-hot output of the bins, k-means bins, sample weights, splines, cyclic (sine/cosine)
encodings of dates, time zones.
"""

from __future__ import annotations

from itertools import chain, combinations, combinations_with_replacement

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the input columns up to total degree `degree`.

    Output columns come by degree, and within a degree in lexicographic order of the column indices
    (scikit-learn's order): for two columns and degree 2, ``1, x0, x1, x0^2, x0 x1, x1^2``. With
    `interaction_only`, no column appears twice in a product (``1, x0, x1, x0 x1``). The number of
    columns grows like C(n_features + degree, degree), fast.

    Parameters
    ----------
    degree : int, default=2
        Largest total degree, at least 0.
    interaction_only : bool, default=False
        Keep only products of distinct columns.
    include_bias : bool, default=True
        Include the constant column of ones (degree 0).

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features, n_features)
        Exponent of each input column in each output column.
    n_output_features_ : int
        Number of output columns.
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> PolynomialFeatures(degree=2).fit_transform([[2.0, 3.0]])
    array([[1., 2., 3., 4., 6., 9.]])
    """

    def __init__(self, *, degree: int = 2, interaction_only: bool = False, include_bias: bool = True) -> None:
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X: ArrayLike, y: object = None) -> PolynomialFeatures:
        """Work out the output monomials for X of shape (n_samples, n_features); return self."""
        if not isinstance(self.degree, int | np.integer) or self.degree < 0:
            raise ValueError(f"degree must be a non-negative integer, got {self.degree!r}")
        X = validate_data(self, X, dtype=np.float64)
        n = X.shape[1]
        pick = combinations if self.interaction_only else combinations_with_replacement
        combos = chain.from_iterable(pick(range(n), d) for d in range(0 if self.include_bias else 1, self.degree + 1))
        rows = [np.bincount(np.array(c, dtype=np.int64), minlength=n) for c in combos]
        if not rows:
            raise ValueError("no output feature: degree 0 without the bias column")
        self.powers_ = np.array(rows, dtype=np.int64)
        self.n_output_features_ = len(rows)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """The monomials of X, shape (n_samples, n_output_features_). Cost: O(n_samples * n_out * n_features)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return np.prod(X[:, None, :] ** self.powers_[None, :, :], axis=2)


class KBinsDiscretizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Replace each value by the index of its bin; bin edges are learned per column in `fit`.

    - "uniform": `n_bins` bins of equal width between the training min and max;
    - "quantile": edges at the 0, 1/k, ..., 1 quantiles (numpy's "averaged_inverted_cdf"), so bins hold
      about equally many training rows; edges closer than 1e-8 are merged (ties make empty bins).
    A constant training column gets a single bin. New values below (above) the training range fall in
    the first (last) bin.

    Parameters
    ----------
    n_bins : int, default=5
        Number of bins, at least 2.
    strategy : {"uniform", "quantile"}, default="quantile"

    Attributes
    ----------
    bin_edges_ : list of n_features arrays
        Edges of each column's bins (n_bins_[j] + 1 values).
    n_bins_ : ndarray of shape (n_features,)
        Bins per column after merging.
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> KBinsDiscretizer(n_bins=2, strategy="uniform").fit([[0.0], [10.0]]).transform([[4.0], [6.0]]).ravel()
    array([0., 1.])
    """

    def __init__(self, *, n_bins: int = 5, strategy: str = "quantile") -> None:
        self.n_bins = n_bins
        self.strategy = strategy

    def fit(self, X: ArrayLike, y: object = None) -> KBinsDiscretizer:
        """Learn the bin edges of each column of X, shape (n_samples, n_features); return self."""
        if not isinstance(self.n_bins, int | np.integer) or self.n_bins < 2:
            raise ValueError(f"n_bins must be an integer >= 2, got {self.n_bins!r}")
        if self.strategy not in ("uniform", "quantile"):
            raise ValueError(f"strategy must be 'uniform' or 'quantile', got {self.strategy!r}")
        X = validate_data(self, X, dtype=np.float64)
        edges = []
        for column in X.T:  # a loop over features
            low, high = column.min(), column.max()
            if low == high:
                edges.append(np.array([-np.inf, np.inf]))
                continue
            if self.strategy == "uniform":
                cut = np.linspace(low, high, self.n_bins + 1)
            else:
                cut = np.percentile(column, np.linspace(0, 100, self.n_bins + 1), method="averaged_inverted_cdf")
                cut = cut[np.ediff1d(cut, to_begin=np.inf) > 1e-8]
            edges.append(cut)
        self.bin_edges_ = edges
        self.n_bins_ = np.array([e.size - 1 for e in edges])
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Bin indices as floats, shape (n_samples, n_features), in 0 .. n_bins_[j] - 1."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        columns = [np.searchsorted(e[1:-1], X[:, j], side="right") for j, e in enumerate(self.bin_edges_)]
        return np.column_stack(columns).astype(np.float64)


class Log1pTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """``log(1 + x)`` column by column, and ``exp(z) - 1`` back.

    Compresses long right tails (incomes, counts) so that a few huge values stop dominating. Uses
    numpy's log1p and expm1, which stay accurate for tiny x where ``log(1 + x)`` loses every digit
    (``1 + 1e-17 == 1``). It is meant for non-negative columns (counts, amounts), so negative values
    raise ValueError (log1p itself would accept (-1, 0)). Nothing is learned; `fit` only validates.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> Log1pTransformer().fit_transform([[0.0], [np.e - 1]]).ravel()
    array([0., 1.])
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    @staticmethod
    def _check_domain(X: np.ndarray) -> np.ndarray:
        if np.any(X < 0):
            raise ValueError("Negative values in data: the log1p transform is for non-negative columns")
        return X

    def fit(self, X: ArrayLike, y: object = None) -> Log1pTransformer:
        """Validate X of shape (n_samples, n_features) (all values >= 0); return self."""
        self._check_domain(validate_data(self, X, dtype=np.float64))
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """log1p(X), shape (n_samples, n_features)."""
        check_is_fitted(self)
        return np.log1p(self._check_domain(validate_data(self, X, dtype=np.float64, reset=False)))

    def inverse_transform(self, X: ArrayLike) -> np.ndarray:
        """expm1(X), shape (n_samples, n_features): undoes transform."""
        check_is_fitted(self)
        return np.expm1(validate_data(self, X, dtype=np.float64, reset=False))


DATE_PARTS = ("year", "month", "day", "hour", "minute", "dayofweek", "dayofyear")


def date_parts(dates: ArrayLike, parts: tuple[str, ...] = ("year", "month", "day", "dayofweek")) -> np.ndarray:
    """Calendar parts of timestamps, int64 array of shape (n, len(parts)).

    `dates`: 1-D datetime64 values or ISO strings. Parts from DATE_PARTS; dayofweek counts Monday = 0
    (1970-01-01 was a Thursday, so it is ``(days since the epoch + 3) mod 7``), dayofyear starts at 1.
    Works by truncating to coarser units: day = (t truncated to days - t truncated to months) + 1.
    Missing timestamps (NaT) or unknown parts raise ValueError.

    >>> date_parts(["2024-03-01T13:45"], ("year", "month", "day", "hour", "dayofweek"))
    array([[2024,    3,    1,   13,    4]])
    """
    unknown = [p for p in parts if p not in DATE_PARTS]
    if unknown or not parts:
        raise ValueError(f"unknown or no parts {unknown}; choose from {DATE_PARTS}")
    t = np.asarray(dates, dtype="datetime64[ns]")
    if t.ndim != 1:
        raise ValueError(f"expected a 1-D array of timestamps, got shape {t.shape}")
    if np.isnat(t).any():
        raise ValueError("missing timestamps (NaT): impute or drop them first")
    day, month, year = t.astype("datetime64[D]"), t.astype("datetime64[M]"), t.astype("datetime64[Y]")
    minutes = t.astype("datetime64[m]")
    values = {
        "year": year.astype(np.int64) + 1970,
        "month": (month - year).astype(np.int64) + 1,
        "day": (day - month.astype("datetime64[D]")).astype(np.int64) + 1,
        "hour": (t.astype("datetime64[h]") - day).astype(np.int64),
        "minute": (minutes - t.astype("datetime64[h]")).astype(np.int64),
        "dayofweek": (day.astype(np.int64) + 3) % 7,
        "dayofyear": (day - year.astype("datetime64[D]")).astype(np.int64) + 1,
    }
    return np.column_stack([values[p] for p in parts]).astype(np.int64).reshape(t.size, len(parts))
