"""Decision trees (CART) — your implementation.

A node's rows are split on the feature j and threshold t (x_j <= t goes left) that minimize the
size-weighted child impurity n_L I(L) + n_R I(R): Gini 1 - sum_k p_k^2 or entropy -sum_k p_k log2 p_k for
classes, the variance of y for regression. Sort each feature once per node and use cumulative class counts
(or sums of y) to score every cut at once. Replace each `raise NotImplementedError` and check with
`aieng check decision-trees`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401


class DecisionTreeClassifier(ClassifierMixin, BaseEstimator):
    """CART classification tree.

    Parameters
    ----------
    criterion : {"gini", "entropy"}, default="gini"
    max_depth : int or None, default=None
        Nodes at this depth are leaves (the root has depth 0); None grows until pure or too small. >= 1.
    min_samples_split : int, default=2
        A node with fewer rows is a leaf. >= 2.
    min_samples_leaf : int, default=1
        Each child of a split keeps at least this many rows. >= 1.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        Features tried per node (a random subset); None tries all. (Used by random forests; None is enough here.)
    random_state : int, RandomState or None, default=None
        Seeds the feature subsets.

    Bad parameters or NaN in X: ValueError in fit.

    Attributes (set by ``fit``)
    ---------------------------
    classes_ : ndarray of shape (n_classes,), sorted labels
    n_features_in_ : int
    tree_ : your node storage (e.g. a dict of arrays: feature, threshold, left, right, value)
    feature_importances_ : ndarray of shape (n_features,), impurity decrease per feature, summing to 1
        (all zeros for a lone root)
    """

    def __init__(self, *, criterion: str = "gini", max_depth=None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1, max_features=None, random_state=None) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y) -> DecisionTreeClassifier:
        """Grow the tree on X of shape (n_samples, n_features) and labels y of shape (n_samples,); return self."""
        raise NotImplementedError

    def apply(self, X) -> np.ndarray:
        """Index of the leaf each row of X lands in, shape (n_samples,)."""
        raise NotImplementedError

    def get_depth(self) -> int:
        """Length of the longest root-to-leaf path (a lone root: 0)."""
        raise NotImplementedError

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """Class shares of each row's leaf, shape (n_samples, n_classes), columns as ``classes_``."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Majority class of each row's leaf, shape (n_samples,)."""
        raise NotImplementedError


class DecisionTreeRegressor(RegressorMixin, BaseEstimator):
    """CART regression tree: splits minimize the squared error, leaves predict the mean of their rows.

    Parameters and attributes as :class:`DecisionTreeClassifier`, except ``criterion`` : {"squared_error"}
    and no ``classes_``.
    """

    def __init__(self, *, criterion: str = "squared_error", max_depth=None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1, max_features=None, random_state=None) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y) -> DecisionTreeRegressor:
        """Grow the tree on X of shape (n_samples, n_features) and targets y of shape (n_samples,); return self."""
        raise NotImplementedError

    def apply(self, X) -> np.ndarray:
        """Index of the leaf each row of X lands in, shape (n_samples,)."""
        raise NotImplementedError

    def get_depth(self) -> int:
        """Length of the longest root-to-leaf path (a lone root: 0)."""
        raise NotImplementedError

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Mean target of each row's leaf, shape (n_samples,)."""
        raise NotImplementedError
