"""Rules as a model: an ordered list of hand-written if-then rules, wrapped as a scikit-learn classifier,
and a baseline-first comparison of such rules with a learned model.

A rule ``(feature_index, operator, threshold, label)`` reads "if ``x[feature_index] <operator> threshold``
then predict ``label``". Rules are tried in order and the first one that matches decides. A row that no
rule matches gets the majority class of the training labels (ties go to the smallest label), which is
all ``fit`` learns, so an empty rule list is exactly the majority-class baseline
(``DummyClassifier(strategy="most_frequent")``).

Because the rules are an ordinary constructor parameter, the usual machinery applies unchanged:
``cross_val_score`` measures a rule set honestly, ``GridSearchCV`` can choose between alternative rule
lists, and a ``Pipeline`` can put preprocessing in front of it.

Left out: rules on several features at once (conjunctions), learning the rules from data (that is what a
decision tree does), missing values, and probabilities other than 0 and 1.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import cross_val_score
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
}


class RuleClassifier(ClassifierMixin, BaseEstimator):
    """Predict with an ordered list of if-then rules; the first matching rule wins.

    Parameters
    ----------
    rules : sequence of (feature_index, operator, threshold, label), default=()
        ``operator`` is one of ``"<", "<=", ">", ">=", "=="``; ``feature_index`` is a column of X
        (0 <= index < n_features); ``label`` must be one of the classes seen in ``fit``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted distinct training labels.
    default_class_ : object
        The majority training label (ties go to the smallest), predicted where no rule matches.
    rules_ : list of tuple
        The validated rules, as ``(int feature_index, operator, float threshold, label)``.
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[1.0, 5.0], [3.0, 1.0], [4.0, 9.0]])
    >>> clf = RuleClassifier(rules=[(0, ">=", 4.0, "big"), (1, "<", 2.0, "flat")])
    >>> clf.fit(X, ["big", "flat", "other"]).predict([[5.0, 0.0], [0.0, 0.0], [0.0, 7.0]])
    array(['big', 'flat', 'big'], dtype='<U5')

    The last row matches no rule and gets the default class: all three labels occur once, so the
    smallest label, "big", wins the tie.
    """

    def __init__(self, *, rules: Sequence[tuple] = ()) -> None:
        self.rules = rules

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True  # fixed rules need not fit arbitrary data well
        return tags

    def _validated_rules(self, n_features: int) -> list[tuple]:
        """The rules as (int, operator, float, label) tuples, or a ValueError naming the bad rule."""
        checked = []
        for number, rule in enumerate(self.rules):
            if not (isinstance(rule, Sequence) and not isinstance(rule, str) and len(rule) == 4):
                raise ValueError(f"rule {number} must be (feature_index, operator, threshold, label), got {rule!r}")
            feature, op, threshold, label = rule
            if not (isinstance(feature, int | np.integer) and not isinstance(feature, bool)
                    and 0 <= feature < n_features):
                raise ValueError(f"rule {number}: feature index {feature!r} is not a column of X "
                                 f"(0 <= index < {n_features})")
            if op not in OPERATORS:
                raise ValueError(f"rule {number}: unknown operator {op!r}, expected one of {list(OPERATORS)}")
            if not (isinstance(threshold, int | float | np.number) and not isinstance(threshold, bool)
                    and not np.isnan(threshold)):
                raise ValueError(f"rule {number}: the threshold must be a number, got {threshold!r}")
            where = np.flatnonzero(self.classes_ == label) if np.ndim(label) == 0 else []
            if len(where) == 0:
                raise ValueError(f"rule {number}: label {label!r} is not one of the classes seen in fit "
                                 f"{self.classes_.tolist()}")
            checked.append((int(feature), op, float(threshold), self.classes_[where[0]]))
        return checked

    def fit(self, X, y) -> RuleClassifier:
        """Learn the classes and the majority class, and check the rules against X and y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : RuleClassifier
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.default_class_ = self.classes_[np.argmax(counts)]  # argmax: the first, smallest, of the tied
        self.rules_ = self._validated_rules(X.shape[1])
        self._rule_index = np.array([np.flatnonzero(self.classes_ == r[3])[0] for r in self.rules_], dtype=int)
        return self

    def _class_index(self, X) -> np.ndarray:
        """Index into ``classes_`` of the prediction for each row, shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        default = int(np.argmax(self.classes_ == self.default_class_))
        if not self.rules_:
            return np.full(len(X), default)
        conditions = [OPERATORS[op](X[:, feature], threshold) for feature, op, threshold, _ in self.rules_]
        return np.select(conditions, list(self._rule_index), default=default)

    def predict(self, X) -> np.ndarray:
        """The label of the first matching rule, or ``default_class_`` where none matches.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        index = self._class_index(X)  # first: it checks that the classifier is fitted
        return self.classes_[index]

    def predict_proba(self, X) -> np.ndarray:
        """1 for the predicted class and 0 elsewhere: rules are certain, right or wrong.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), columns ordered as ``classes_``
        """
        index = self._class_index(X)
        return np.eye(len(self.classes_))[index]


def compare_with_model(rule_clf: BaseEstimator, model: BaseEstimator, X, y, cv: Any = 5) -> dict[str, float]:
    """Mean cross-validated accuracy of a rule-based classifier and of a learned model, on the same folds.

    Baseline first: a model earns its cost (data, training, monitoring, opacity) only if it beats the
    simple rules by a margin that matters. Both use ``cross_val_score`` with the same ``cv`` (an int
    means stratified folds, unshuffled, for a classifier), so they see identical splits.

    Parameters
    ----------
    rule_clf, model : scikit-learn classifiers (unfitted; each fold fits a clone)
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    cv : int or a cross-validation splitter, default=5

    Returns
    -------
    dict with keys "rules" and "model": the mean accuracy over the folds of each

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> rules = RuleClassifier(rules=[(2, "<", 2.45, 0), (3, "<", 1.75, 1), (3, ">=", 1.75, 2)])
    >>> {k: round(v, 3) for k, v in compare_with_model(rules, DecisionTreeClassifier(random_state=0), X, y).items()}
    {'rules': 0.96, 'model': 0.96}
    """
    return {"rules": float(cross_val_score(rule_clf, X, y, cv=cv).mean()),
            "model": float(cross_val_score(model, X, y, cv=cv).mean())}
