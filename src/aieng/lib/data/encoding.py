"""Categorical encoding: turn category labels into numbers a model can use, learned on training data.

Implements three scikit-learn transformers:

- `OrdinalEncoder`: each category of a column becomes its index in the sorted list of categories seen in
  `fit` (0, 1, 2, ...). Compact, but it invents an order (and distances) that nominal categories lack.
- `OneHotEncoder`: each category becomes its own 0/1 column; an unseen category becomes all zeros
  (``handle_unknown="ignore"``) or an error.
- `TargetEncoder`: each category becomes a smoothed mean of the (numeric) target over the training rows
  of that category, shrunk towards the global mean; `fit_transform` cross-fits (each fold is encoded
  with statistics from the other folds) so a row's own target never leaks into its feature.

Categories are the sorted unique values of each column (numbers or strings; NaN must be imputed first).
Left out: dropping a one-hot column, infrequent-category grouping, sparse output, multiclass targets in
`TargetEncoder` (a binary 0/1 target works as a numeric one), inverse transforms.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.model_selection import KFold
from sklearn.utils.validation import check_is_fitted, validate_data


def _codes(column: np.ndarray, categories: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each value in the sorted `categories` and a mask of the values found there, both (n,)."""
    if categories.size == 0:
        return np.zeros(column.shape, dtype=np.int64), np.zeros(column.shape, dtype=bool)
    index = np.clip(np.searchsorted(categories, column), 0, categories.size - 1)
    return index, categories[index] == column


class _CategoryEncoder(TransformerMixin, BaseEstimator):
    """Shared part: learn `categories_` (sorted unique values per column) and map values to their codes."""

    def _fit_categories(self, X: ArrayLike, y: object = None) -> np.ndarray:
        if y is None:
            X = validate_data(self, X, dtype=None)
        else:
            X, y = validate_data(self, X, y, dtype=None, y_numeric=True)
        try:
            self.categories_ = [np.unique(X[:, j]) for j in range(X.shape[1])]
        except TypeError as exc:  # values that cannot be sorted together (a dict, str next to float)
            raise TypeError(f"each column's argument must be all strings or all numbers: {exc}") from exc
        return X if y is None else (X, y)

    def _ordinal(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Codes (n_samples, n_features) and the mask of known values, same shape."""
        pairs = [_codes(X[:, j], cats) for j, cats in enumerate(self.categories_)]
        return np.column_stack([p[0] for p in pairs]), np.column_stack([p[1] for p in pairs])

    def _validate_new(self, X: ArrayLike) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, dtype=None, reset=False)


class OrdinalEncoder(OneToOneFeatureMixin, _CategoryEncoder):
    """Replace each category by its index among the column's sorted training categories.

    Parameters
    ----------
    handle_unknown : {"error", "use_encoded_value"}, default="error"
        What a category unseen in `fit` does in `transform`: raise ValueError, or become `unknown_value`.
    unknown_value : float or None, default=None
        The code for unseen categories with "use_encoded_value" (often -1 or np.nan); required then.

    Attributes
    ----------
    categories_ : list of n_features arrays
        Sorted categories of each column.
    n_features_in_ : int
        Number of columns seen in `fit`.

    >>> OrdinalEncoder().fit([["b"], ["a"], ["c"]]).transform([["c"], ["a"]]).ravel()
    array([2., 0.])
    """

    _expected_failed_checks: ClassVar[dict[str, str]] = {
        "check_fit_idempotent": "the check transforms new random floats, all unseen categories, which "
        "handle_unknown='error' (the default, as in scikit-learn) rejects by design",
    }

    def __init__(self, *, handle_unknown: str = "error", unknown_value: float | None = None) -> None:
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value

    def fit(self, X: ArrayLike, y: object = None) -> OrdinalEncoder:
        """Learn the sorted categories of each column of X, shape (n_samples, n_features); return self."""
        if self.handle_unknown not in ("error", "use_encoded_value"):
            raise ValueError(f"handle_unknown must be 'error' or 'use_encoded_value', got {self.handle_unknown!r}")
        if self.handle_unknown == "use_encoded_value" and self.unknown_value is None:
            raise ValueError("handle_unknown='use_encoded_value' needs an unknown_value")
        self._fit_categories(X)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Float codes of shape (n_samples, n_features)."""
        codes, known = self._ordinal(self._validate_new(X))
        if not known.all():
            if self.handle_unknown == "error":
                raise ValueError(f"found unknown categories in column(s) {np.flatnonzero(~known.all(axis=0))}")
            return np.where(known, codes, self.unknown_value).astype(np.float64)
        return codes.astype(np.float64)


class OneHotEncoder(_CategoryEncoder):
    """Replace each column by one 0/1 indicator column per training category.

    Output columns come column by column, categories in sorted order. A row with an unseen category gets
    zeros in all of that column's indicators (``handle_unknown="ignore"``) or raises ValueError.

    Parameters
    ----------
    handle_unknown : {"error", "ignore"}, default="ignore"
        "ignore" (scikit-learn's default is "error"): unseen categories give an all-zero block, the
        safe choice in production, where new categories appear.

    Attributes
    ----------
    categories_ : list of n_features arrays
        Sorted categories of each column.
    n_features_in_ : int
        Number of columns seen in `fit`.

    Cost: O(n_samples * total categories) memory for the dense output.

    >>> OneHotEncoder().fit([["b"], ["a"]]).transform([["a"], ["b"]])
    array([[1., 0.],
           [0., 1.]])
    """

    def __init__(self, *, handle_unknown: str = "ignore") -> None:
        self.handle_unknown = handle_unknown

    def fit(self, X: ArrayLike, y: object = None) -> OneHotEncoder:
        """Learn the sorted categories of each column of X, shape (n_samples, n_features); return self."""
        if self.handle_unknown not in ("error", "ignore"):
            raise ValueError(f"handle_unknown must be 'error' or 'ignore', got {self.handle_unknown!r}")
        self._fit_categories(X)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Indicators of shape (n_samples, sum of the numbers of categories), float 0.0/1.0."""
        codes, known = self._ordinal(self._validate_new(X))
        if self.handle_unknown == "error" and not known.all():
            raise ValueError(f"found unknown categories in column(s) {np.flatnonzero(~known.all(axis=0))}")
        sizes = np.array([cats.size for cats in self.categories_])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        out = np.zeros((codes.shape[0], int(sizes.sum())))
        rows, cols = np.nonzero(known)
        out[rows, offsets[cols] + codes[rows, cols]] = 1.0
        return out

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> np.ndarray:
        """Names "<column>_<category>" of the output columns, shape (n_output_features,)."""
        check_is_fitted(self)
        names = input_features if input_features is not None else [f"x{j}" for j in range(self.n_features_in_)]
        return np.array([f"{name}_{c}" for name, cats in zip(names, self.categories_, strict=True) for c in cats],
                        dtype=object)


def _category_means(codes: np.ndarray, y: np.ndarray, n_categories: int, smooth: float | str) -> np.ndarray:
    """Smoothed target mean of each category code 0..n_categories-1 of one column, shape (n_categories,).

    Fixed smoothing m: ``(sum_c + m * mean) / (n_c + m)``. "auto" (empirical Bayes): weight
    ``lam = n_c var / (n_c var + ss_c / n_c)`` on the category mean, 1 - lam on the global mean, where
    var is the target variance and ss_c the squared deviations within the category; empty categories
    (and undefined weights) get the global mean.
    """
    mean = y.mean()
    counts = np.bincount(codes, minlength=n_categories).astype(np.float64)
    sums = np.bincount(codes, weights=y, minlength=n_categories)
    if smooth != "auto":
        with np.errstate(invalid="ignore", divide="ignore"):
            return (sums + smooth * mean) / (counts + smooth)
    with np.errstate(invalid="ignore", divide="ignore"):
        category_mean = sums / counts
        squares = np.bincount(codes, weights=(y - category_mean[codes]) ** 2, minlength=n_categories)
        variance = y.var()
        lam = variance * counts / (variance * counts + squares / counts)
    return np.where(np.isnan(lam), mean, lam * category_mean + (1 - lam) * mean)


class TargetEncoder(OneToOneFeatureMixin, _CategoryEncoder):
    """Replace each category by a smoothed mean of the target over its training rows.

    `fit(X, y).transform(X)` uses encodings learned on all of X; `fit_transform(X, y)` instead splits
    the rows into `cv` consecutive folds (KFold, optionally shuffled) and encodes each fold with
    encodings learned on the other folds (cross-fitting), so no row sees its own target. Use
    `fit_transform` on training data and `transform` on new data; a category unseen in `fit` gets the
    global target mean.

    Parameters
    ----------
    smooth : "auto" or float, default="auto"
        Shrinkage towards the global mean: a number m acts like m extra rows at the global mean;
        "auto" picks it per category from the within-category and overall target variances.
    cv : int, default=5
        Number of folds of the cross-fitting in `fit_transform` (at least 2).
    shuffle : bool, default=False
        Shuffle the rows before cutting the folds.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle (used only when shuffle=True).

    Attributes
    ----------
    categories_ : list of n_features arrays
        Sorted categories of each column.
    encodings_ : list of n_features arrays
        Encoding of each category, learned on all the `fit` data.
    target_mean_ : float
        Mean of the training target.
    n_features_in_ : int
        Number of columns seen in `fit`.
    """

    _expected_failed_checks: ClassVar[dict[str, str]] = {
        "check_transformer_general": "fit_transform cross-fits by design, so it differs from "
        "fit(X, y).transform(X) (scikit-learn's TargetEncoder behaves the same way)",
        "check_transformer_data_not_an_array": "the same fit_transform-versus-transform comparison, on "
        "list input",
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
        tags.target_tags.required = True
        return tags

    def _check_params(self) -> None:
        if not (self.smooth == "auto" or (isinstance(self.smooth, int | float) and self.smooth >= 0)):
            raise ValueError(f"smooth must be 'auto' or a non-negative number, got {self.smooth!r}")
        if not isinstance(self.cv, int | np.integer) or self.cv < 2:
            raise ValueError(f"cv must be an integer >= 2, got {self.cv!r}")

    def _learn(self, codes: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        return [_category_means(codes[:, j], y, cats.size, self.smooth) for j, cats in enumerate(self.categories_)]

    def _fit_all(self, X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        self._check_params()
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None")
        X, y = self._fit_categories(X, y)
        y = np.asarray(y, dtype=np.float64)
        codes, _ = self._ordinal(X)
        self.target_mean_ = float(y.mean())
        self.encodings_ = self._learn(codes, y)
        return codes, y

    def fit(self, X: ArrayLike, y: ArrayLike) -> TargetEncoder:
        """Learn categories and encodings from X of shape (n_samples, n_features) and y of shape (n_samples,)."""
        self._fit_all(X, y)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Encoded X of shape (n_samples, n_features), from the encodings learned on all the fit data."""
        codes, known = self._ordinal(self._validate_new(X))
        columns = [np.where(known[:, j], enc[codes[:, j]], self.target_mean_) for j, enc in enumerate(self.encodings_)]
        return np.column_stack(columns).astype(np.float64)

    def fit_transform(self, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Fit on all of X, y, and return X cross-fitted: each fold encoded from the others, (n_samples, n_features)."""
        codes, y = self._fit_all(X, y)
        folds = KFold(n_splits=self.cv, shuffle=self.shuffle,
                      random_state=self.random_state if self.shuffle else None)
        out = np.empty(codes.shape, dtype=np.float64)
        for train, test in folds.split(codes):  # a loop over folds, not samples
            encodings = self._learn(codes[train], y[train])
            for j, enc in enumerate(encodings):
                out[test, j] = enc[codes[test, j]]
        return out
