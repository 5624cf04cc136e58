"""Checks for `model-cards`: every number in the card must equal what scikit-learn's metrics and
fairlearn's group metrics say about the same fitted model on the same test split (relative tolerance
1e-9: both sides divide the same counts), the Markdown must show those numbers (rounded to 4 decimals,
so within 5e-5), and the section checker must agree with a plain reading of the headings.

Models: scikit-learn's LogisticRegression, DecisionTreeClassifier and LinearSVC (which has no
predict_proba: ROC AUC comes from decision_function), fitted on seeded make_classification data with a
three-valued sensitive feature.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect

SECTIONS = ["Model details", "Intended use", "Training data", "Evaluation", "Fairness", "Limitations",
            "Ethical considerations"]
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")


def fitted(kind: int, seed: int):
    x, y = make_classification(n_samples=600, n_features=6, n_informative=4, random_state=seed, flip_y=0.1)
    groups = np.array(["north", "south", "coast"])[np.random.default_rng(seed).integers(0, 3, 600)]
    model = [LogisticRegression(), DecisionTreeClassifier(max_depth=3, random_state=0), LinearSVC()][kind]
    model.fit(x[:400], y[:400])
    return model, x[400:], y[400:], groups[400:]


def card_for(impl, kind: int, seed: int):
    model, x, y, groups = fitted(kind, seed)
    card = impl.build_model_card(model, x, y, name="toy-classifier", intended_use="Teaching the model-card format.",
                                 limitations=["Synthetic data only."], groups=groups, sensitive_feature="region",
                                 training_data="400 rows of make_classification.")
    return model, x, y, groups, card


def test_evaluation_matches_sklearn_metrics(impl):
    """card['evaluation'] holds accuracy, precision, recall, f1 and roc_auc equal to sklearn.metrics on the
    model's predictions for the test split (ROC AUC from predict_proba[:, 1], or decision_function for a
    LinearSVC), and n, the number of test rows."""
    for kind, seed in [(0, 1), (1, 2), (2, 3)]:
        model, x, y, _, card = card_for(impl, kind, seed)
        pred = model.predict(x)
        scores = model.predict_proba(x)[:, 1] if hasattr(model, "predict_proba") else model.decision_function(x)
        expected = {"accuracy": skm.accuracy_score(y, pred), "precision": skm.precision_score(y, pred, zero_division=0),
                    "recall": skm.recall_score(y, pred, zero_division=0), "f1": skm.f1_score(y, pred, zero_division=0),
                    "roc_auc": skm.roc_auc_score(y, scores)}
        evaluation = card["evaluation"]
        for metric, value in expected.items():
            assert_close(evaluation[metric], value, rtol=1e-9, what=f"{metric} of {type(model).__name__}")
        expect(evaluation["n"] == len(y), f"evaluation['n'] should be {len(y)}, got {evaluation['n']}")


def test_fairness_matches_fairlearn(impl):
    """group_report(y, pred, groups) and card['fairness'] hold, per group, n, selection_rate, accuracy, tpr and
    fpr as fairlearn's MetricFrame computes them, and the demographic parity and equalized odds differences
    as fairlearn's functions."""
    from fairlearn import metrics as fm

    model, x, y, groups, card = card_for(impl, 0, 5)
    pred = model.predict(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = fm.MetricFrame(metrics={"selection_rate": fm.selection_rate, "accuracy": skm.accuracy_score,
                                        "tpr": fm.true_positive_rate, "fpr": fm.false_positive_rate, "n": fm.count},
                               y_true=y, y_pred=pred, sensitive_features=groups).by_group
        dp = fm.demographic_parity_difference(y, pred, sensitive_features=groups)
        eo = fm.equalized_odds_difference(y, pred, sensitive_features=groups)
    expect(card["fairness"]["sensitive_feature"] == "region", "fairness['sensitive_feature'] should name the feature")
    reports = (("group_report", impl.group_report(y, pred, groups)), ("card['fairness']", card["fairness"]))
    for where, fairness in reports:
        expect(sorted(map(str, fairness["by_group"])) == sorted(frame.index),
               f"{where}: by_group should have the groups {sorted(frame.index)}, got "
               f"{sorted(map(str, fairness['by_group']))}")
        for group in frame.index:
            row = fairness["by_group"][group]
            for column in ("n", "selection_rate", "accuracy", "tpr", "fpr"):
                assert_close(row[column], frame.loc[group, column], rtol=1e-9,
                             what=f"{where}: {column} of group {group}")
        assert_close(fairness["demographic_parity_difference"], dp, rtol=1e-9,
                     what=f"{where}: demographic_parity_difference")
        assert_close(fairness["equalized_odds_difference"], eo, rtol=1e-9, what=f"{where}: equalized_odds_difference")


def table_rows(markdown: str, section: str) -> list[list[str]]:
    """The cells of every table row under '## section' (up to the next level-2 heading)."""
    match = re.search(rf"^## {re.escape(section)}\s*$(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    expect(match is not None, f"the Markdown has no '## {section}' section")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in match.group(1).splitlines()
            if line.strip().startswith("|")]
    return [r for r in rows if not all(set(c) <= set("-: ") for c in r)]


def test_markdown_shows_the_card_numbers(impl):
    """card_to_markdown has every required section as a '## ' heading, a '| metric | value |' table under
    Evaluation and a '| group | n | selection_rate | accuracy | tpr | fpr |' table under Fairness, whose
    numbers equal the card's to 4 decimals; intended use and limitations appear verbatim."""
    card = card_for(impl, 1, 7)[-1]
    markdown = impl.card_to_markdown(card)
    expect(isinstance(markdown, str), f"card_to_markdown should return a str, got {type(markdown).__name__}")
    for section in SECTIONS:
        expect(re.search(rf"^## {re.escape(section)}\s*$", markdown, re.MULTILINE) is not None,
               f"the Markdown should have the heading '## {section}'")
    metrics = {r[0]: r[1] for r in table_rows(markdown, "Evaluation") if len(r) >= 2}
    for metric in ("accuracy", "precision", "recall", "f1", "roc_auc"):
        expect(metric in metrics, f"the Evaluation table has no row for {metric}")
        assert_close(float(metrics[metric]), card["evaluation"][metric], rtol=0, atol=5e-5,
                     what=f"{metric} in the Markdown")
    rows = table_rows(markdown, "Fairness")
    header = rows[0]
    expect(header == ["group", "n", "selection_rate", "accuracy", "tpr", "fpr"],
           f"the Fairness table's header should be group | n | selection_rate | accuracy | tpr | fpr, got {header}")
    for cells in rows[1:]:
        row = card["fairness"]["by_group"][cells[0]]
        for column, text in zip(header[1:], cells[1:], strict=True):
            assert_close(float(text), row[column], rtol=0, atol=5e-5,
                         what=f"{column} of group {cells[0]} in the Markdown")
    for text in ("Teaching the model-card format.", "Synthetic data only."):
        expect(text in markdown, f"the Markdown should contain the text {text!r}")


def plain_missing(markdown: str, required: list[str]) -> list[str]:
    headings = set()
    for line in markdown.splitlines():
        if line.startswith("## ") or line.startswith("##\t"):
            headings.add(line[2:].strip().rstrip("#").strip().lower())
    return [title for title in required if title.lower() not in headings]


@settings(max_examples=30)
@given(st.lists(st.sampled_from(SECTIONS), unique=True), st.lists(st.sampled_from(SECTIONS), unique=True),
       st.sampled_from(["## {}", "##   {}  ", "## {} ##", "## {}", "## {}"]))
def test_missing_sections_reads_level_two_headings(impl, present, decoys, style):
    """missing_sections lists, in the required order, the sections with no level-2 heading ('## Title', any
    letter case, spaces around ignored); a '### Title' or the title in running text does not count."""
    lines = ["# Model card: x"]
    for title in present:
        lines += [style.format(title.upper() if len(title) % 2 else title), "text"]
    for title in decoys:
        lines += [f"### {title}", f"We discuss {title} below."]
    markdown = "\n".join(lines) + "\n"
    got = impl.missing_sections(markdown)
    expected = plain_missing(markdown, SECTIONS)
    expect(list(got) == expected, f"missing_sections returned {got}, expected {expected} for:\n{markdown}")


def test_card_without_groups_and_model_without_scores(impl):
    """Without groups the card's fairness entry is None and the Markdown says why under '## Fairness'; a
    model with neither predict_proba nor decision_function gets roc_auc nan ('n/a' in the Markdown)."""

    class Majority:
        def predict(self, x):
            return np.ones(len(x), dtype=int)

    x = np.zeros((10, 2))
    y = np.array([0, 1] * 5)
    card = impl.build_model_card(Majority(), x, y, name="always-yes", intended_use="A baseline.",
                                 limitations=["It ignores its input."])
    expect(card["fairness"] is None, f"without groups card['fairness'] should be None, got {card['fairness']!r}")
    expect(math.isnan(card["evaluation"]["roc_auc"]), "a model without scores has roc_auc nan")
    assert_close(card["evaluation"]["accuracy"], 0.5, what="accuracy of always-yes")
    markdown = impl.card_to_markdown(card)
    expect(impl.missing_sections(markdown) == [], "the Markdown must have every section even without groups")


def test_rejects_cards_without_essentials(impl):
    """A card needs a name, an intended use and at least one limitation; labels must be 0/1: ValueError."""
    model, x, y, _ = fitted(0, 1)
    assert_raises_value_error(impl.build_model_card, model, x, y, name="m", intended_use="", limitations=["l"],
                              why="the intended use is empty")
    assert_raises_value_error(impl.build_model_card, model, x, y, name="m", intended_use="u", limitations=[],
                              why="every model has limitations: state at least one")
    assert_raises_value_error(impl.evaluate_classifier, model, x, y + 1, why="labels must be 0/1")
