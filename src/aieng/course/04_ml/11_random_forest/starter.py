"""Bagging and random forests — your implementation.

Fit B copies of a model on bootstrap resamples (n rows drawn with replacement) and average their predictions;
a random forest also lets each tree try only ``max_features`` random features per split. Rows a resample left
out (about 37%) give a free out-of-bag score. Use the tree of the previous exercise:
``from aieng.lib.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor`` (or your own).
Replace each `raise NotImplementedError` and check with `aieng check random-forest`.

Resampling contract (the tests rebuild scikit-learn's forest from it):
    seeds = check_random_state(random_state).randint(np.iinfo(np.int32).max, size=n_estimators)
    tree b: random_state=seeds[b], rows = np.random.RandomState(seeds[b]).randint(0, n, n)
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone  # noqa: F401
from sklearn.utils import check_random_state  # noqa: F401
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401

from aieng.lib.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: F401


class BaggingClassifier(ClassifierMixin, BaseEstimator):
    """Bootstrap aggregation of any classifier (soft vote: mean of predict_proba).

    Parameters
    ----------
    estimator : classifier or None, default=None
        Cloned for every resample (set its random_state to the member's seed if it has one); None: a
        DecisionTreeClassifier.
    n_estimators : int, default=10
        >= 1, else ValueError.
    max_samples : int or float, default=1.0
        Rows per resample: a count in [1, n], or a share in (0, 1].
    bootstrap : bool, default=True
        With replacement; False: a random subset without replacement.
    oob_score : bool, default=False
        Compute oob_score_ and oob_decision_function_; needs bootstrap=True (else ValueError).
    random_state : int, RandomState or None, default=None

    Attributes (set by ``fit``)
    ---------------------------
    estimators_ : list of fitted classifiers
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_features_in_ : int
    oob_score_ : float, accuracy of the out-of-bag votes
    oob_decision_function_ : ndarray of shape (n_samples, n_classes), mean out-of-bag probabilities
    """

    def __init__(self, estimator=None, *, n_estimators: int = 10, max_samples=1.0, bootstrap: bool = True,
                 oob_score: bool = False, random_state=None) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def fit(self, X, y) -> BaggingClassifier:
        """Fit the members on resamples of X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """Mean member probabilities, shape (n_samples, n_classes), columns as ``classes_``."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Class with the largest mean probability, shape (n_samples,)."""
        raise NotImplementedError


class RandomForestClassifier(ClassifierMixin, BaseEstimator):
    """Random forest of classification trees.

    Parameters
    ----------
    n_estimators : int, default=100
    criterion, max_depth, min_samples_split, min_samples_leaf : passed to every tree
    max_features : int, float, {"sqrt", "log2"} or None, default="sqrt"
        Features each tree tries per split.
    bootstrap : bool, default=True
    oob_score : bool, default=False
    random_state : int, RandomState or None, default=None

    Attributes (set by ``fit``)
    ---------------------------
    estimators_, classes_, n_classes_, n_features_in_, oob_score_, oob_decision_function_ : as BaggingClassifier
    feature_importances_ : ndarray of shape (n_features,), mean of the trees' importances
    """

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

    def fit(self, X, y) -> RandomForestClassifier:
        """Grow the trees on resamples of X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """Mean tree probabilities, shape (n_samples, n_classes)."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Class with the largest mean probability, shape (n_samples,)."""
        raise NotImplementedError


class RandomForestRegressor(RegressorMixin, BaseEstimator):
    """Random forest of regression trees; predicts the mean of the trees.

    Parameters
    ----------
    n_estimators : int, default=100
    max_depth, min_samples_split, min_samples_leaf : passed to every tree
    max_features : int, float, {"sqrt", "log2"} or None, default=1.0 (all features: bagged trees)
    bootstrap : bool, default=True
    oob_score : bool, default=False
    random_state : int, RandomState or None, default=None

    Attributes (set by ``fit``)
    ---------------------------
    estimators_ : list of DecisionTreeRegressor
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float, R^2 of oob_prediction_
    oob_prediction_ : ndarray of shape (n_samples,), mean prediction of the trees that did not see the row
    """

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

    def fit(self, X, y) -> RandomForestRegressor:
        """Grow the trees on resamples of X of shape (n_samples, n_features), y of shape (n_samples,); return self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """Mean tree prediction, shape (n_samples,)."""
        raise NotImplementedError
