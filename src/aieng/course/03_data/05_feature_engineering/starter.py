"""Feature engineering — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check feature-engineering`.
`__init__` methods only store their arguments (given); fit validates with `validate_data` and returns self.
"""

from __future__ import annotations

from itertools import chain, combinations, combinations_with_replacement  # noqa: F401

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the columns up to total degree `degree`, in scikit-learn's order.

    Order: by degree (0 first if include_bias), then lexicographic in the column indices:
    two columns, degree 2 -> 1, x0, x1, x0^2, x0 x1, x1^2. interaction_only keeps products of distinct
    columns only. Raise ValueError in fit for a negative degree.

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features, n_features)
        Exponent of each input column in each output column.
    n_output_features_ : int
    """

    def __init__(self, *, degree: int = 2, interaction_only: bool = False, include_bias: bool = True) -> None:
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X: ArrayLike, y: object = None) -> PolynomialFeatures:
        """Work out powers_ for X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """The monomials of X, shape (n_samples, n_output_features_)."""
        raise NotImplementedError


class KBinsDiscretizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Replace each value by its bin index (as a float); edges learned per column in fit.

    "uniform": np.linspace(min, max, n_bins + 1). "quantile": np.percentile at 0, 100/k, ..., 100 with
    method="averaged_inverted_cdf", dropping edges within 1e-8 of the previous one. A constant column
    gets the edges [-inf, inf] (one bin). Raise ValueError for n_bins < 2 or another strategy.

    Attributes
    ----------
    bin_edges_ : list of n_features arrays
    n_bins_ : ndarray of shape (n_features,)
    """

    def __init__(self, *, n_bins: int = 5, strategy: str = "quantile") -> None:
        self.n_bins = n_bins
        self.strategy = strategy

    def fit(self, X: ArrayLike, y: object = None) -> KBinsDiscretizer:
        """Learn bin_edges_ from X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Bin indices 0 .. n_bins_[j] - 1 as floats, shape (n_samples, n_features)."""
        raise NotImplementedError


class Log1pTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """log(1 + x) per column (accurate for tiny x), for non-negative data; inverse exp(z) - 1.

    Negative values raise ValueError("Negative values in data ...") in fit and transform.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # tells scikit-learn's checks to send non-negative data
        return tags

    def fit(self, X: ArrayLike, y: object = None) -> Log1pTransformer:
        """Validate X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """log(1 + X), shape (n_samples, n_features)."""
        raise NotImplementedError

    def inverse_transform(self, X: ArrayLike) -> np.ndarray:
        """exp(X) - 1, shape (n_samples, n_features)."""
        raise NotImplementedError


def date_parts(dates: ArrayLike, parts: tuple[str, ...] = ("year", "month", "day", "dayofweek")) -> np.ndarray:
    """Calendar parts of 1-D timestamps (datetime64 values or ISO strings), int64 of shape (n, len(parts)).

    Parts: "year", "month", "day", "hour", "minute", "dayofweek" (Monday = 0), "dayofyear" (from 1),
    as pandas' .dt accessors define them. Raise ValueError for NaT, a non-1-D input or an unknown part.
    """
    raise NotImplementedError
