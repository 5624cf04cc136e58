"""Categorical encoding — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check encoding`.
Categories of a column are its sorted unique training values (strings or numbers). `__init__` only
stores its arguments (given); validate in fit with `validate_data(self, X, dtype=None)` so strings stay.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.model_selection import KFold  # noqa: F401  (the folds of TargetEncoder.fit_transform)
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class OrdinalEncoder(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Replace each value by the index of its category among the column's sorted training categories.

    Parameters
    ----------
    handle_unknown : {"error", "use_encoded_value"}, default="error"
        Unseen categories in transform: raise ValueError, or become `unknown_value`.
    unknown_value : float or None, default=None
        Required with "use_encoded_value" (ValueError in fit otherwise).

    Attributes
    ----------
    categories_ : list of n_features arrays
        Sorted training categories of each column.
    """

    _expected_failed_checks: ClassVar[dict[str, str]] = {
        "check_fit_idempotent": "the check transforms unseen random floats, which handle_unknown='error' rejects",
    }

    def __init__(self, *, handle_unknown: str = "error", unknown_value: float | None = None) -> None:
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value

    def fit(self, X: ArrayLike, y: object = None) -> OrdinalEncoder:
        """Check the parameters and learn categories_ from X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Float codes of shape (n_samples, n_features)."""
        raise NotImplementedError


class OneHotEncoder(TransformerMixin, BaseEstimator):
    """Replace each column by one 0/1 column per training category (columns in order, categories sorted).

    Parameters
    ----------
    handle_unknown : {"error", "ignore"}, default="ignore"
        Unseen categories in transform: raise ValueError, or an all-zero block for that column.

    Attributes
    ----------
    categories_ : list of n_features arrays
        Sorted training categories of each column.
    """

    def __init__(self, *, handle_unknown: str = "ignore") -> None:
        self.handle_unknown = handle_unknown

    def fit(self, X: ArrayLike, y: object = None) -> OneHotEncoder:
        """Check the parameter and learn categories_ from X of shape (n_samples, n_features); return self."""
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Dense float 0/1 array of shape (n_samples, total number of categories)."""
        raise NotImplementedError


class TargetEncoder(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Replace each category by a smoothed mean of the numeric target over its training rows.

    Parameters
    ----------
    smooth : "auto" or float >= 0, default="auto"
        Fixed m: (sum_c + m * mean(y)) / (n_c + m). "auto": lam * mean_c + (1 - lam) * mean(y) with
        lam = n_c var(y) / (n_c var(y) + ss_c / n_c) (ss_c: squared deviations within c); NaN lam -> mean(y).
    cv : int >= 2, default=5
        Folds of the cross-fitting in fit_transform: KFold(n_splits=cv, shuffle=shuffle, random_state=...).
    shuffle : bool, default=False
    random_state : int or None, default=None
        Used only when shuffle is True.

    Attributes
    ----------
    categories_ : list of n_features arrays
    encodings_ : list of n_features arrays
        Encoding of each category, learned on all the fit data.
    target_mean_ : float
        Mean of the training target; the encoding of unseen categories.
    """

    _expected_failed_checks: ClassVar[dict[str, str]] = {
        "check_transformer_general": "fit_transform cross-fits, so it differs from fit(X, y).transform(X)",
        "check_transformer_data_not_an_array": "the same comparison on list input",
    }

    def __init__(
        self, *, smooth: float | str = "auto", cv: int = 5, shuffle: bool = False, random_state: object = None,
    ) -> None:
        self.smooth = smooth
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True  # fit needs y
        return tags

    def fit(self, X: ArrayLike, y: ArrayLike) -> TargetEncoder:
        """Learn categories_, encodings_ and target_mean_ from X (n_samples, n_features) and y (n_samples,).

        Raise ValueError for y None, cv < 2 or a negative smooth.
        """
        raise NotImplementedError

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Encoded X of shape (n_samples, n_features), with the encodings learned on all the fit data."""
        raise NotImplementedError

    def fit_transform(self, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Fit on all rows, then return X cross-fitted, shape (n_samples, n_features).

        Each of the cv folds is encoded with encodings learned on the other folds only.
        """
        raise NotImplementedError
