"""CART decision trees: a greedy, axis-aligned binary tree for classification and regression.

A node holding rows S is split on the feature j and threshold t (rows with x_j <= t go left) that make the
children purest, measured by the size-weighted impurity n_L I(L) + n_R I(R):

- classification: Gini impurity 1 - sum_k p_k^2, or entropy -sum_k p_k log2 p_k, of the class shares p_k;
- regression: the variance of y (squared error around the node mean).

The split search is vectorized: per node, every candidate feature column is sorted once (one ``argsort``
of the node's (n, f) block), cumulative class counts (or sums of y) give the left child's statistics for
every cut position at once, the right child's are "total minus left", and the best valid cut wins.
Thresholds are midpoints between consecutive distinct values, as in scikit-learn. Growth stops at
``max_depth``, below ``min_samples_split`` rows, at a pure node, or when no cut leaves
``min_samples_leaf`` rows on both sides. ``max_features`` samples a random subset of the non-constant
features at every node (what random forests need).

Left out (scikit-learn has them): sample weights, multi-output targets, ``min_impurity_decrease``,
cost-complexity pruning, missing values, best-first growth with ``max_leaf_nodes``, sparse input.
Cost: O(n p log n) per tree level; prediction O(m * depth) with one vectorized step per level.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from scipy.special import xlogy
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

FEATURE_THRESHOLD = 1e-7  # values closer than this count as equal (scikit-learn's rule)
EPSILON = np.finfo(np.float64).eps


def _resolve_max_features(max_features, n_features: int) -> int:
    """Number of features to try per node: None -> all, "sqrt", "log2", an int, or a share in (0, 1]."""
    if max_features is None:
        return n_features
    if isinstance(max_features, str):
        if max_features == "sqrt":
            return max(1, int(math.sqrt(n_features)))
        if max_features == "log2":
            return max(1, int(math.log2(n_features)))
        raise ValueError(f"max_features must be None, 'sqrt', 'log2', an int or a float, got {max_features!r}")
    if isinstance(max_features, Integral) and not isinstance(max_features, bool):
        if not 1 <= max_features <= n_features:
            raise ValueError(f"max_features must be in [1, n_features={n_features}], got {max_features}")
        return int(max_features)
    if isinstance(max_features, Real) and 0.0 < max_features <= 1.0:
        return max(1, int(max_features * n_features))
    raise ValueError(f"max_features must be None, 'sqrt', 'log2', an int or a float in (0, 1], got {max_features!r}")


def _node_impurity(stats: np.ndarray, n: int, criterion: str) -> float:
    """Impurity of one node from its class counts (classification) or (sum y, sum y^2) (regression)."""
    if criterion == "squared_error":
        mean = stats[0] / n
        return max(float(stats[1] / n - mean * mean), 0.0)
    p = stats / n
    if criterion == "gini":
        return float(1.0 - np.sum(p * p))
    return float(-np.sum(xlogy(p, p)) / np.log(2.0))


def _best_split(Xn: np.ndarray, Tn: np.ndarray, criterion: str, min_samples_leaf: int):
    """Best cut of one node over the columns of Xn, or None.

    Xn : (n, f) feature values of the node's rows (candidate features only).
    Tn : (n, K) one-hot classes, or (n,) regression targets.
    Returns (column, position, threshold): the first ``position + 1`` rows of the sorted column go left.
    """
    n = Xn.shape[0]
    order = np.argsort(Xn, axis=0, kind="stable")
    Xs = np.take_along_axis(Xn, order, axis=0)
    n_left = np.arange(1, n, dtype=np.float64)[:, None]  # (n-1, 1): cut after row i
    n_right = n - n_left
    if criterion == "squared_error":
        sums = np.cumsum(Tn[order], axis=0)  # (n, f)
        left, total = sums[:-1], sums[-1]
        score = left * left / n_left + (total - left) ** 2 / n_right  # larger is better
    else:
        counts = np.cumsum(Tn[order], axis=0)  # (n, f, K)
        left, total = counts[:-1], counts[-1]
        right = total[None] - left
        if criterion == "gini":
            score = np.sum(left * left, axis=2) / n_left + np.sum(right * right, axis=2) / n_right
        else:  # minus the size-weighted child entropy (in nats)
            score = (np.sum(xlogy(left, left), axis=2) - xlogy(n_left, n_left)
                     + np.sum(xlogy(right, right), axis=2) - xlogy(n_right, n_right))
    valid = (Xs[1:] > Xs[:-1] + FEATURE_THRESHOLD) & (n_left >= min_samples_leaf) & (n_right >= min_samples_leaf)
    if not valid.any():
        return None
    score = np.where(valid, score, -np.inf)
    position = np.argmax(score, axis=0)  # best cut per feature (first on ties)
    best = score[position, np.arange(Xn.shape[1])]
    column = int(np.argmax(best))  # first feature on ties
    i = int(position[column])
    low, high = Xs[i, column], Xs[i + 1, column]
    threshold = low / 2.0 + high / 2.0
    if threshold == high or not np.isfinite(threshold):
        threshold = low
    return column, i, float(threshold), order[: i + 1, column]


def _grow(X: np.ndarray, T: np.ndarray, *, criterion: str, max_depth, min_samples_split: int,
          min_samples_leaf: int, max_features: int, rng: np.random.RandomState) -> dict[str, np.ndarray]:
    """Grow a tree depth-first; returns its node arrays (children -1 marks a leaf)."""
    n_samples, n_features = X.shape
    regression = criterion == "squared_error"
    feature, threshold, left_child, right_child, values, impurities, sizes = [], [], [], [], [], [], []
    importances = np.zeros(n_features)
    limit = np.inf if max_depth is None else max_depth
    stack = [(np.arange(n_samples), 0, -1, False)]  # (rows, depth, parent, is_left)
    while stack:
        rows, depth, parent, is_left = stack.pop()
        node = len(feature)
        if parent >= 0:
            (left_child if is_left else right_child)[parent] = node
        Tn = T[rows]
        n = len(rows)
        stats = np.array([Tn.sum(), (Tn * Tn).sum()]) if regression else Tn.sum(axis=0)
        impurity = _node_impurity(stats, n, criterion)
        feature.append(-1), threshold.append(np.nan), left_child.append(-1), right_child.append(-1)
        values.append(stats[0] / n if regression else stats / n)
        impurities.append(impurity), sizes.append(n)
        if depth >= limit or n < min_samples_split or n < 2 * min_samples_leaf or impurity <= EPSILON:
            continue
        Xn = X[rows]
        candidates = np.flatnonzero(Xn.max(axis=0) > Xn.min(axis=0) + FEATURE_THRESHOLD)
        if candidates.size == 0:
            continue
        if max_features < n_features:
            candidates = rng.permutation(candidates)[:max_features]
        split = _best_split(Xn[:, candidates], Tn, criterion, min_samples_leaf)
        if split is None:
            continue
        column, _, cut, left_positions = split
        feature[node], threshold[node] = int(candidates[column]), cut
        go_left = np.zeros(n, dtype=bool)
        go_left[left_positions] = True
        stack.append((rows[~go_left], depth + 1, node, False))
        stack.append((rows[go_left], depth + 1, node, True))
    tree = {"feature": np.array(feature), "threshold": np.array(threshold), "left": np.array(left_child),
            "right": np.array(right_child), "value": np.array(values, dtype=np.float64),
            "impurity": np.array(impurities), "n_node_samples": np.array(sizes)}
    # mean decrease in impurity per feature, normalized to sum to 1
    inner = np.flatnonzero(tree["left"] >= 0)
    w = tree["n_node_samples"] * tree["impurity"]
    np.add.at(importances, tree["feature"][inner], w[inner] - w[tree["left"][inner]] - w[tree["right"][inner]])
    total = importances.sum()
    tree["importances"] = importances / total if total > 0 else importances
    return tree


def _apply(tree: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Leaf index of every row of X: all rows step down one level at a time (one numpy step per level)."""
    node = np.zeros(X.shape[0], dtype=np.intp)
    rows = np.arange(X.shape[0])
    while True:
        inner = tree["left"][node[rows]] >= 0
        rows = rows[inner]
        if rows.size == 0:
            return node
        at = node[rows]
        go_left = X[rows, tree["feature"][at]] <= tree["threshold"][at]
        node[rows] = np.where(go_left, tree["left"][at], tree["right"][at])


class _BaseTree(BaseEstimator):
    """Shared parameter checks, growth and prediction of the two trees."""

    def _check_params(self) -> None:
        if self.max_depth is not None and not (isinstance(self.max_depth, Integral) and self.max_depth >= 1):
            raise ValueError(f"max_depth must be None or an int >= 1, got {self.max_depth!r}")
        if not (isinstance(self.min_samples_split, Integral) and self.min_samples_split >= 2):
            raise ValueError(f"min_samples_split must be an int >= 2, got {self.min_samples_split!r}")
        if not (isinstance(self.min_samples_leaf, Integral) and self.min_samples_leaf >= 1):
            raise ValueError(f"min_samples_leaf must be an int >= 1, got {self.min_samples_leaf!r}")

    def _fit_arrays(self, X: np.ndarray, T: np.ndarray) -> None:
        self._check_params()
        self.max_features_ = _resolve_max_features(self.max_features, X.shape[1])
        self.tree_ = _grow(X, T, criterion=self.criterion, max_depth=self.max_depth,
                           min_samples_split=int(self.min_samples_split),
                           min_samples_leaf=int(self.min_samples_leaf), max_features=self.max_features_,
                           rng=check_random_state(self.random_state))
        self.feature_importances_ = self.tree_["importances"]

    def apply(self, X) -> np.ndarray:
        """Index of the leaf each row lands in.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        leaves : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return _apply(self.tree_, X)

    def get_depth(self) -> int:
        """Length of the longest root-to-leaf path (a lone root has depth 0)."""
        check_is_fitted(self)
        depth = np.zeros(len(self.tree_["left"]), dtype=int)
        for node in range(len(depth)):  # parents come before their children
            if self.tree_["left"][node] >= 0:
                depth[[self.tree_["left"][node], self.tree_["right"][node]]] = depth[node] + 1
        return int(depth.max())

    def get_n_leaves(self) -> int:
        """Number of leaves."""
        check_is_fitted(self)
        return int(np.sum(self.tree_["left"] < 0))


class DecisionTreeClassifier(ClassifierMixin, _BaseTree):
    """CART classification tree.

    Parameters
    ----------
    criterion : {"gini", "entropy"}, default="gini"
        Impurity to minimize: Gini ``1 - sum p_k^2`` or entropy ``-sum p_k log2 p_k``.
    max_depth : int or None, default=None
        Deepest level a node may be split at (None: until pure or too small).
    min_samples_split : int, default=2
        A node with fewer rows is a leaf.
    min_samples_leaf : int, default=1
        Each child of a split must keep at least this many rows.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        Features tried at each node (a random subset of the non-constant ones); None tries all.
    random_state : int, RandomState or None, default=None
        Seeds the feature subsets (only used when ``max_features`` is below the number of features).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    max_features_ : int
    tree_ : dict of ndarrays, one entry per node: ``feature``, ``threshold``, ``left``, ``right`` (-1 at
        leaves), ``value`` (class shares, shape (n_nodes, n_classes)), ``impurity``, ``n_node_samples``
    feature_importances_ : ndarray of shape (n_features,), normalized mean decrease in impurity

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> DecisionTreeClassifier().fit(X, [0, 0, 1, 1]).tree_["threshold"][0]
    np.float64(1.5)
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
        """Grow the tree on X of shape (n_samples, n_features) and labels y of shape (n_samples,).

        Returns
        -------
        self : DecisionTreeClassifier
        """
        if self.criterion not in ("gini", "entropy"):
            raise ValueError(f"criterion must be 'gini' or 'entropy', got {self.criterion!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self._fit_arrays(X, np.eye(len(self.classes_))[encoded])
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class shares of the leaf each row lands in.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), columns as ``classes_``
        """
        leaves = self.apply(X)
        return self.tree_["value"][leaves]

    def predict(self, X) -> np.ndarray:
        """Majority class of the leaf each row lands in (first in ``classes_`` on a tie).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(RegressorMixin, _BaseTree):
    """CART regression tree: leaves predict the mean of their rows, splits minimize the squared error.

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
    max_depth : int or None, default=None
    min_samples_split : int, default=2
    min_samples_leaf : int, default=1
    max_features : int, float, {"sqrt", "log2"} or None, default=None
    random_state : int, RandomState or None, default=None
        As for :class:`DecisionTreeClassifier`.

    Attributes
    ----------
    n_features_in_ : int
    max_features_ : int
    tree_ : dict of ndarrays (``value`` holds the leaf means, shape (n_nodes,))
    feature_importances_ : ndarray of shape (n_features,)

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> DecisionTreeRegressor(max_depth=1).fit(X, [1.0, 1.0, 5.0, 7.0]).predict([[0.5], [2.5]])
    array([1., 6.])
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
        """Grow the tree on X of shape (n_samples, n_features) and targets y of shape (n_samples,).

        Returns
        -------
        self : DecisionTreeRegressor
        """
        if self.criterion != "squared_error":
            raise ValueError(f"criterion must be 'squared_error', got {self.criterion!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        self._fit_arrays(X, y.astype(np.float64))
        return self

    def predict(self, X) -> np.ndarray:
        """Mean target of the leaf each row lands in.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        leaves = self.apply(X)
        return self.tree_["value"][leaves]
