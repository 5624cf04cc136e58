"""Rules vs ML — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check rules-vs-ml`.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import cross_val_score  # noqa: F401  (for compare_with_model)
from sklearn.utils.multiclass import check_classification_targets  # noqa: F401
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: F401

OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


class RuleClassifier(ClassifierMixin, BaseEstimator):
    """Predict with an ordered list of if-then rules; the first matching rule wins.

    Parameters
    ----------
    rules : sequence of (feature_index, operator, threshold, label), default=()
        Rule "if X[:, feature_index] <operator> threshold then predict label". `operator` is one of
        "<", "<=", ">", ">=", "=="; 0 <= feature_index < n_features; `label` one of the training labels.

    Attributes (set in fit)
    -----------------------
    classes_ : ndarray of shape (n_classes,), the sorted distinct training labels
    default_class_ : the majority training label (ties -> the smallest), for rows no rule matches
    rules_ : list of the validated rules
    n_features_in_ : int (validate_data sets it)

    Contract
    --------
    - __init__ only stores `rules` (scikit-learn clones estimators through their parameters).
    - fit(X, y) validates X (n_samples, n_features) and y (n_samples,) with validate_data, checks the
      rules and raises ValueError for a malformed rule, an unknown operator, a feature index out of
      range or a label not seen in y. Returns self.
    - predict(X) -> labels of shape (n_samples,); predict_proba(X) -> shape (n_samples, n_classes), 1 in
      the column of the predicted class (columns ordered as classes_), 0 elsewhere. Both raise
      NotFittedError before fit.
    - Tag the estimator with `classifier_tags.poor_score = True` in `__sklearn_tags__`.
    """

    def __init__(self, *, rules: Sequence[tuple] = ()) -> None:
        raise NotImplementedError

    def fit(self, X, y) -> RuleClassifier:
        """Learn classes_ and default_class_ from y, and check the rules. Returns self."""
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        """The label of the first matching rule per row, else default_class_; shape (n_samples,)."""
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """One-hot rows of shape (n_samples, n_classes): 1 for the predicted class."""
        raise NotImplementedError


def compare_with_model(rule_clf: BaseEstimator, model: BaseEstimator, X, y, cv: Any = 5) -> dict[str, float]:
    """Mean cross-validated accuracy of the rules and of the model, on the same folds.

    X: (n_samples, n_features); y: (n_samples,); cv: an int (stratified folds for a classifier) or a
    splitter. Returns {"rules": float, "model": float}, each the mean of cross_val_score's fold scores.
    """
    raise NotImplementedError
