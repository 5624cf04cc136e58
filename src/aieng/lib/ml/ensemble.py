"""Bagging and random forests: many high-variance trees, each fit on a bootstrap resample, averaged.

Bootstrap aggregation (bagging) fits B copies of a model on B resamples of the n training rows drawn with
replacement and averages their predictions (class probabilities for classifiers, values for regressors).
Averaging B models whose errors have variance s^2 and pairwise correlation rho leaves variance
rho s^2 + (1 - rho) s^2 / B: more models only help with the uncorrelated part. A random forest also draws a
random subset of ``max_features`` features at every split, which decorrelates the trees (smaller rho).

Each resample leaves out about (1 - 1/n)^n ~ 1/e ~ 37% of the rows; predicting every row with only the models
that did not see it gives the out-of-bag (OOB) estimate of the test score, with no hold-out set.

- ``BaggingClassifier``: any classifier (default: a decision tree), ``max_samples`` rows per resample.
- ``RandomForestClassifier`` / ``RandomForestRegressor``: bagged :mod:`aieng.lib.ml.tree` trees with
  per-split feature sampling (defaults as scikit-learn: ``"sqrt"`` for classification, all features for
  regression), ``oob_score_`` and ``feature_importances_``.

Left out: sample weights, class weights, warm starts, parallel fitting (``n_jobs``), feature resampling
in bagging, multi-output targets. Randomness: one seed per model drawn from ``random_state``.
Cost: B times the cost of one tree.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from aieng.lib.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor, _apply

MAX_SEED = np.iinfo(np.int32).max


def _bootstrap_rows(seed: int, n_samples: int, n_draws: int, bootstrap: bool) -> np.ndarray:
    """Row indices for one model: n_draws drawn with replacement, or a random subset without it."""
    rng = np.random.RandomState(seed)
    if bootstrap:
        return rng.randint(0, n_samples, n_draws)
    return rng.permutation(n_samples)[:n_draws]


class _BaseBagging(BaseEstimator):
    """Fit ``n_estimators`` clones on resamples; keep what each one saw for the out-of-bag estimate."""

    def _check_common(self) -> None:
        if not (isinstance(self.n_estimators, Integral) and self.n_estimators >= 1):
            raise ValueError(f"n_estimators must be an int >= 1, got {self.n_estimators!r}")
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without resampling no row is out of bag")

    def _n_draws(self, n_samples: int) -> int:
        max_samples = getattr(self, "max_samples", None)
        if max_samples is None:
            return n_samples
        if isinstance(max_samples, Integral) and not isinstance(max_samples, bool):
            if not 1 <= max_samples <= n_samples:
                raise ValueError(f"max_samples must be in [1, n_samples={n_samples}], got {max_samples}")
            return int(max_samples)
        if isinstance(max_samples, Real) and 0.0 < max_samples <= 1.0:
            return max(1, round(max_samples * n_samples))
        raise ValueError(f"max_samples must be an int or a float in (0, 1], got {max_samples!r}")

    def _fit_member(self, member, X: np.ndarray, target: np.ndarray) -> None:
        member.fit(X, target)

    def _fit_members(self, X: np.ndarray, target: np.ndarray) -> tuple[list, list[np.ndarray]]:
        """Clones of ``self._member()`` fit on resamples; returns them and each one's in-bag mask."""
        self._check_common()
        n_samples = X.shape[0]
        n_draws = self._n_draws(n_samples)
        seeds = check_random_state(self.random_state).randint(MAX_SEED, size=self.n_estimators)
        members, in_bag = [], []
        for seed in seeds:
            rows = _bootstrap_rows(seed, n_samples, n_draws, self.bootstrap)
            member = self._member(seed)
            self._fit_member(member, X[rows], target[rows])
            mask = np.zeros(n_samples, dtype=bool)
            mask[rows] = True
            members.append(member)
            in_bag.append(mask)
        return members, in_bag


class _BaggedClassifier(ClassifierMixin, _BaseBagging):
    """Soft voting: the mean of the members' class probabilities (members see labels 0..K-1)."""

    def fit(self, X, y):
        """Fit the members on resamples of X of shape (n_samples, n_features), y of shape (n_samples,).

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        self.estimators_, in_bag = self._fit_members(X, encoded)
        if self.oob_score:
            total = np.zeros((X.shape[0], self.n_classes_))
            for member, mask in zip(self.estimators_, in_bag, strict=True):
                out = ~mask
                if out.any():
                    total[out] += self._member_proba(member, X[out])
            seen = total.sum(axis=1) > 0
            with np.errstate(invalid="ignore", divide="ignore"):
                self.oob_decision_function_ = total / total.sum(axis=1, keepdims=True)
            self.oob_score_ = float(accuracy_score(encoded[seen], np.argmax(total[seen], axis=1)))
        self._after_fit()
        return self

    def _after_fit(self) -> None:
        pass

    def _member_proba(self, member, X: np.ndarray) -> np.ndarray:
        """One member's probabilities in all n_classes_ columns (a resample may lack some classes)."""
        proba = np.zeros((X.shape[0], self.n_classes_))
        if hasattr(member, "predict_proba"):
            proba[:, member.classes_.astype(int)] = member.predict_proba(X)
        else:  # hard vote
            proba[np.arange(X.shape[0]), member.predict(X).astype(int)] = 1.0
        return proba

    def predict_proba(self, X) -> np.ndarray:
        """Mean class probabilities of the members.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), columns as ``classes_``
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return sum(self._member_proba(m, X) for m in self.estimators_) / len(self.estimators_)

    def predict(self, X) -> np.ndarray:
        """The class with the largest mean probability.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class BaggingClassifier(_BaggedClassifier):
    """Bootstrap aggregation of any classifier.

    Parameters
    ----------
    estimator : classifier or None, default=None
        The model to clone for every resample; None means :class:`aieng.lib.ml.tree.DecisionTreeClassifier`.
    n_estimators : int, default=10
    max_samples : int or float, default=1.0
        Rows per resample: a count, or a share of n_samples.
    bootstrap : bool, default=True
        Draw with replacement (False: a random subset without replacement).
    oob_score : bool, default=False
        Compute ``oob_score_`` (needs ``bootstrap=True``).
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    estimators_ : list of fitted classifiers (trained on labels 0..n_classes-1)
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_features_in_ : int
    oob_score_ : float, accuracy of the out-of-bag votes (if ``oob_score``)
    oob_decision_function_ : ndarray of shape (n_samples, n_classes) (if ``oob_score``; NaN for rows that were
        in every resample)
    """

    def __init__(self, estimator=None, *, n_estimators: int = 10, max_samples=1.0, bootstrap: bool = True,
                 oob_score: bool = False, random_state=None) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def _member(self, seed: int):
        member = clone(self.estimator) if self.estimator is not None else DecisionTreeClassifier()
        if "random_state" in member.get_params():
            member.set_params(random_state=int(seed))
        return member


class RandomForestClassifier(_BaggedClassifier):
    """Random forest of CART classification trees (bagging plus a random feature subset at every split).

    Parameters
    ----------
    n_estimators : int, default=100
    criterion : {"gini", "entropy"}, default="gini"
    max_depth, min_samples_split, min_samples_leaf : as :class:`aieng.lib.ml.tree.DecisionTreeClassifier`
    max_features : int, float, {"sqrt", "log2"} or None, default="sqrt"
        Features tried at each split.
    bootstrap : bool, default=True
        Fit each tree on a bootstrap resample (False: every tree sees all rows; only the features vary).
    oob_score : bool, default=False
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,), the trees' mean impurity-decrease importances
    oob_score_ : float (if ``oob_score``)
    oob_decision_function_ : ndarray of shape (n_samples, n_classes) (if ``oob_score``)

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> forest = RandomForestClassifier(n_estimators=50, oob_score=True, random_state=0).fit(X, y)
    >>> bool(forest.oob_score_ > 0.9)
    True
    """

    # tests/test_estimator_checks.py builds its instance with these: 5 trees, as scikit-learn's own checks do
    _estimator_checks_params: ClassVar[dict[str, int]] = {"n_estimators": 5}

    def __init__(self, *, n_estimators: int = 100, criterion: str = "gini", max_depth=None,
                 min_samples_split: int = 2, min_samples_leaf: int = 1, max_features="sqrt",
                 bootstrap: bool = True, oob_score: bool = False, random_state=None) -> None:
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def _member(self, seed: int) -> DecisionTreeClassifier:
        return DecisionTreeClassifier(criterion=self.criterion, max_depth=self.max_depth,
                                      min_samples_split=self.min_samples_split,
                                      min_samples_leaf=self.min_samples_leaf, max_features=self.max_features,
                                      random_state=int(seed))

    def _fit_member(self, tree: DecisionTreeClassifier, X: np.ndarray, target: np.ndarray) -> None:
        """Grow on already validated arrays, one-hot over all classes (a resample may miss some)."""
        tree.n_features_in_ = X.shape[1]
        tree.classes_ = np.arange(self.n_classes_)
        tree._fit_arrays(X, np.eye(self.n_classes_)[target])

    def _member_proba(self, tree, X: np.ndarray) -> np.ndarray:
        return tree.tree_["value"][_apply(tree.tree_, X)]

    def _after_fit(self) -> None:
        self.feature_importances_ = np.mean([t.feature_importances_ for t in self.estimators_], axis=0)


class RandomForestRegressor(RegressorMixin, _BaseBagging):
    """Random forest of CART regression trees; predicts the mean of the trees' predictions.

    Parameters
    ----------
    n_estimators : int, default=100
    max_depth, min_samples_split, min_samples_leaf : as :class:`aieng.lib.ml.tree.DecisionTreeRegressor`
    max_features : int, float, {"sqrt", "log2"} or None, default=1.0
        Features tried at each split (1.0: all, which makes the forest plain bagging of trees).
    bootstrap : bool, default=True
    oob_score : bool, default=False
        Compute ``oob_score_`` (R^2 of the out-of-bag predictions) and ``oob_prediction_``.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float (if ``oob_score``)
    oob_prediction_ : ndarray of shape (n_samples,) (if ``oob_score``; NaN for rows in every resample)
    """

    # tests/test_estimator_checks.py builds its instance with these: 5 trees, as scikit-learn's own checks do
    _estimator_checks_params: ClassVar[dict[str, int]] = {"n_estimators": 5}

    def __init__(self, *, n_estimators: int = 100, max_depth=None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1, max_features=1.0, bootstrap: bool = True, oob_score: bool = False,
                 random_state=None) -> None:
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def _member(self, seed: int) -> DecisionTreeRegressor:
        return DecisionTreeRegressor(max_depth=self.max_depth, min_samples_split=self.min_samples_split,
                                     min_samples_leaf=self.min_samples_leaf, max_features=self.max_features,
                                     random_state=int(seed))

    def _fit_member(self, tree: DecisionTreeRegressor, X: np.ndarray, target: np.ndarray) -> None:
        """Grow on already validated arrays."""
        tree.n_features_in_ = X.shape[1]
        tree._fit_arrays(X, target)

    def fit(self, X, y) -> RandomForestRegressor:
        """Fit the trees on resamples of X of shape (n_samples, n_features), y of shape (n_samples,).

        Returns
        -------
        self : RandomForestRegressor
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        self.estimators_, in_bag = self._fit_members(X, y.astype(np.float64))
        if self.oob_score:
            total, count = np.zeros(X.shape[0]), np.zeros(X.shape[0])
            for tree, mask in zip(self.estimators_, in_bag, strict=True):
                out = ~mask
                if out.any():
                    total[out] += tree.tree_["value"][_apply(tree.tree_, X[out])]
                    count[out] += 1
            seen = count > 0
            with np.errstate(invalid="ignore", divide="ignore"):
                self.oob_prediction_ = total / count
            self.oob_score_ = float(r2_score(y[seen], self.oob_prediction_[seen]))
        self.feature_importances_ = np.mean([t.feature_importances_ for t in self.estimators_], axis=0)
        return self

    def predict(self, X) -> np.ndarray:
        """Mean prediction of the trees.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return np.mean([tree.tree_["value"][_apply(tree.tree_, X)] for tree in self.estimators_], axis=0)
