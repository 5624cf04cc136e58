"""Checks for `rules-vs-ml`, against scikit-learn and numpy.

Oracles: with no rules, sklearn.dummy.DummyClassifier(strategy="most_frequent") (switched off while your
classifier runs); with rules, numpy.select over conditions built in this file with the operator module
(the first true condition wins, the training majority elsewhere); cross_val_score and GridSearchCV on iris
against the same folds scored by hand; sklearn.model_selection.cross_val_score for compare_with_model;
and scikit-learn's own estimator checks. Predictions are labels, so they must match exactly; accuracies,
being ratios of the same counts, to 1e-12.
"""

from __future__ import annotations

import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid
from aieng.grader.sklearn_checks import assert_sklearn_compatible

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}
IRIS_RULES = ((2, "<", 2.45, 0), (3, "<", 1.75, 1), (3, ">=", 1.75, 2))  # petal length, petal width
SEEDS = st.integers(0, 2**32 - 1)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def majority(y):
    """The most frequent label, ties to the smallest (what DummyClassifier(strategy="most_frequent") predicts)."""
    return DummyClassifier(strategy="most_frequent").fit(np.zeros((len(y), 1)), y).predict(np.zeros((1, 1)))[0]


def rules_oracle(rules, X_train, y_train, X):
    """numpy.select over the rule conditions, in order; the training majority where none holds."""
    default = np.full(len(X), majority(y_train))
    if not rules:
        return default
    return np.select([OPS[op](X[:, j], t) for j, op, t, _ in rules], [label for *_, label in rules], default)


def fit_predict(impl, rules, X_train, y_train, X):
    """Fit and predict with DummyClassifier switched off, so the default class is yours."""
    with forbid(impl, "sklearn.dummy.DummyClassifier"):
        model = impl.RuleClassifier(rules=rules).fit(X_train, y_train)
        return model, np.asarray(model.predict(X)), np.asarray(model.predict_proba(X))


def random_problem(rng: np.random.Generator, strings: bool):
    """Small integer features (so '==' and ties happen), 1 to 4 classes, a train and a query set."""
    n, p, k = int(rng.integers(1, 40)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    X_train = rng.integers(-3, 4, size=(n, p)).astype(float)
    X = rng.integers(-4, 5, size=(30, p)).astype(float)
    y = rng.integers(0, k, size=n)
    if strings:
        y = np.array(["ham", "spam", "eggs", "toast"])[y]
    return X_train, y, X


def check_predictions(model, labels, proba, expected, y_train, X, what: str) -> None:
    classes = np.unique(y_train)
    expect(np.array_equal(np.asarray(model.classes_), classes),
           f"classes_ should be the sorted distinct training labels {classes.tolist()}, got {model.classes_!r}")
    expect(labels.shape == expected.shape, f"{what}: predict should return shape {expected.shape}, got {labels.shape}")
    wrong = np.flatnonzero(labels != expected)[:3]
    expect(wrong.size == 0, f"{what}: predictions differ at {np.sum(labels != expected)} rows, e.g. "
           + "; ".join(f"row {X[i].tolist()}: expected {np.asarray(expected[i]).item()!r}, "
                      f"got {np.asarray(labels[i]).item()!r}" for i in wrong))
    one_hot = (classes[None, :] == expected[:, None]).astype(float)
    assert_close(proba, one_hot, rtol=0, atol=0, what=f"{what}: predict_proba (1 for the predicted class, 0 elsewhere)")


@given(SEEDS, st.booleans())
def test_no_rules_is_the_majority_baseline(impl, seed, strings):
    """With rules=() every row gets the majority training label (ties: the smallest label), exactly as
    sklearn.dummy.DummyClassifier(strategy="most_frequent"); predict_proba is 1 for that class."""
    X_train, y, X = random_problem(np.random.default_rng(seed), strings)
    model, labels, proba = fit_predict(impl, (), X_train, y, X)
    expected = DummyClassifier(strategy="most_frequent").fit(X_train, y).predict(X)
    counts = dict(zip(*(v.tolist() for v in np.unique(y, return_counts=True)), strict=True))
    check_predictions(model, labels, proba, expected, y, X, f"RuleClassifier(rules=()), training label counts {counts}")


@given(SEEDS, st.booleans())
def test_random_rules_match_numpy_select(impl, seed, strings):
    """Random rule lists (0 to 6 rules, every operator, thresholds on and between the feature values) on
    random data: each row gets the label of the first rule it satisfies, else the training majority, as
    numpy.select over conditions built with the operator module."""
    rng = np.random.default_rng(seed)
    X_train, y, X = random_problem(rng, strings)
    classes, p = np.unique(y), X.shape[1]
    rules = [(int(rng.integers(p)), str(rng.choice(list(OPS))), float(rng.integers(-3, 4) + 0.5 * rng.integers(2)),
              classes[rng.integers(len(classes))].item()) for _ in range(int(rng.integers(0, 7)))]
    model, labels, proba = fit_predict(impl, rules, X_train, y, X)
    check_predictions(model, labels, proba, rules_oracle(rules, X_train, y, X), y, X, f"rules={rules}")


def test_first_matching_rule_wins(impl):
    """Rules are tried in order: a row matching rules 1 and 2 gets rule 1's label, a row matching only rule 2
    gets rule 2's, and a row matching none gets the majority training label ("ok")."""
    X_train = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    y = np.array(["ok", "ok", "fraud"])
    rules = [(0, ">", 5.0, "fraud"), (1, "==", 3.0, "ok"), (1, ">=", 2.0, "fraud")]
    X = np.array([[9.0, 3.0], [0.0, 3.0], [0.0, 2.5], [0.0, 0.0]])
    _, labels, _ = fit_predict(impl, rules, X_train, y, X)
    expected = np.array(["fraud", "ok", "fraud", "ok"])
    expect(np.array_equal(labels, expected), f"rules {rules} on rows {X.tolist()}: expected {expected.tolist()}, "
           f"got {labels.tolist()}")


def by_hand_fold_scores(X, y, rules, splitter):
    """Accuracy on each test fold, with the default class learned from the training fold."""
    return np.array([np.mean(rules_oracle(rules, X[train], y[train], X[test]) == y[test])
                     for train, test in splitter.split(X, y)])


def test_three_rules_on_iris_in_cross_val_score(impl, iris):
    """cross_val_score(RuleClassifier(rules=iris rules), iris, cv=5) clones and fits your classifier on each
    fold: its 5 scores equal the fold accuracies of the rules scored by hand (to 1e-12). Three hand-written
    rules on the petals get 96%."""
    X, y = iris
    got = cross_val_score(impl.RuleClassifier(rules=IRIS_RULES), X, y, cv=5)
    assert_close(got, by_hand_fold_scores(X, y, IRIS_RULES, StratifiedKFold(5)), rtol=1e-12,
                 what="cross_val_score of the iris rules, per fold")


def test_grid_search_chooses_between_rule_lists(impl, iris):
    """GridSearchCV over rules in [no rules, one rule, three rules] scores every candidate as by hand (mean
    fold accuracy, to 1e-12) and picks the three iris rules; it needs get_params/set_params and clone to
    work on your class (store `rules` unchanged in __init__)."""
    X, y = iris
    candidates = [(), ((2, "<", 2.45, 0),), IRIS_RULES]
    search = GridSearchCV(impl.RuleClassifier(), {"rules": candidates}, cv=5).fit(X, y)
    expected = [by_hand_fold_scores(X, y, rules, StratifiedKFold(5)).mean() for rules in candidates]
    assert_close(search.cv_results_["mean_test_score"], expected, rtol=1e-12,
                 what="GridSearchCV mean_test_score for [no rules, one rule, three rules]")
    expect(tuple(search.best_params_["rules"]) == IRIS_RULES,
           f"the three rules should win, got best_params_ = {search.best_params_}")


def test_works_inside_a_pipeline(impl, iris):
    """In a Pipeline after StandardScaler the rules see scaled features: 'petal length < 0 standard units'
    predicts exactly as the same rule applied by hand to the scaled data."""
    X, y = iris
    rules = ((2, "<", 0.0, 0), (3, ">", 0.8, 2))
    got = make_pipeline(StandardScaler(), impl.RuleClassifier(rules=rules)).fit(X, y).predict(X)
    expected = rules_oracle(rules, X, y, StandardScaler().fit_transform(X))
    expect(np.array_equal(got, expected), f"pipeline predictions differ at rows {np.flatnonzero(got != expected)[:5]}")


def test_bad_rules_raise_at_fit(impl):
    """Constructing a RuleClassifier never fails (sklearn estimators only store their parameters); fit raises
    ValueError for an unknown operator, a feature index outside 0..n_features-1, a label not among the
    training labels, and a rule that is not a 4-tuple."""
    X, y = np.arange(12.0).reshape(6, 2), np.array([0, 1, 0, 1, 0, 1])
    for rules, why in (([(0, "=>", 1.0, 1)], "'=>' is not an operator"),
                       ([(0, "!=", 1.0, 1)], "'!=' is not one of <, <=, >, >=, =="),
                       ([(2, "<", 1.0, 1)], "X has only the columns 0 and 1"),
                       ([(-1, "<", 1.0, 1)], "a negative feature index is not a column index here"),
                       ([(0, "<", 1.0, 7)], "7 is not one of the training labels 0, 1"),
                       ([(0, "<", 1.0)], "a rule needs four parts")):
        model = impl.RuleClassifier(rules=rules)
        assert_raises_value_error(model.fit, X, y, why=f"{why} (rules={rules})")


def test_passes_scikit_learns_estimator_checks(impl):
    """scikit-learn's check_estimator: fit returns self, parameters untouched, input validated, NotFittedError
    before fit, consistent predict/predict_proba, ... (a fixed rule set may score poorly: tag it with
    classifier_tags.poor_score = True in __sklearn_tags__)."""
    assert_sklearn_compatible(impl.RuleClassifier(), expected_failed_checks={})


def test_compare_with_model_matches_cross_val_score(impl, iris):
    """compare_with_model returns {"rules": mean CV accuracy, "model": mean CV accuracy} on the same folds,
    equal to sklearn.model_selection.cross_val_score(...).mean() to 1e-12; on iris three rules match a
    decision tree (0.96 each)."""
    X, y = iris
    rules, tree = impl.RuleClassifier(rules=IRIS_RULES), DecisionTreeClassifier(random_state=0)
    got = impl.compare_with_model(rules, tree, X, y, cv=5)
    expect(isinstance(got, dict) and set(got) == {"rules", "model"},
           f"compare_with_model should return a dict with the keys 'rules' and 'model', got {got!r}")
    assert_close(got["rules"], cross_val_score(rules, X, y, cv=5).mean(), rtol=1e-12, what="result['rules']")
    assert_close(got["model"], cross_val_score(tree, X, y, cv=5).mean(), rtol=1e-12, what="result['model']")


def test_compare_with_model_uses_the_given_splitter(impl):
    """cv may be a splitter (here a shuffled KFold): both sides use its folds. On breast_cancer the majority
    baseline scores about 0.63 and a scaled logistic regression about 0.97 (sklearn's cross_val_score, to
    1e-12): here a model earns its keep."""
    X, y = load_breast_cancer(return_X_y=True)
    cv = KFold(4, shuffle=True, random_state=0)
    baseline, model = DummyClassifier(), make_pipeline(StandardScaler(), LogisticRegression())
    got = impl.compare_with_model(baseline, model, X, y, cv=cv)
    expect(isinstance(got, dict) and set(got) == {"rules", "model"},
           f"compare_with_model should return a dict with the keys 'rules' and 'model', got {got!r}")
    assert_close(got["rules"], cross_val_score(baseline, X, y, cv=cv).mean(), rtol=1e-12, what="result['rules']")
    assert_close(got["model"], cross_val_score(model, X, y, cv=cv).mean(), rtol=1e-12, what="result['model']")
