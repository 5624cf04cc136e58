"""Model cards (Mitchell et al., 2019) generated from a fitted binary classifier's own evaluation, so the
numbers in the document are the numbers the model earned, not numbers someone typed.

`build_model_card` evaluates a fitted scikit-learn-style classifier on a held-out split (accuracy,
precision, recall, F1 and ROC AUC when the model gives scores), breaks the evaluation down by a sensitive
group (size, selection rate, accuracy, TPR, FPR per group, demographic parity and equalized odds
differences), and combines them with what only people can write: intended use, out-of-scope uses,
training data, limitations and ethical considerations. The card is a plain dict (store it as JSON next
to the model) and `card_to_markdown` renders it with one level-2 heading per section and numbers to
four decimals. `missing_sections` checks a Markdown card for the required headings.

Left out: multiclass and regression models, confidence intervals for the metrics (a real card should
have them: a 0.91 on 171 examples is ± 0.04), quantitative analysis across intersections of groups,
versioned storage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from aieng.lib.ethics.fairness import demographic_parity_difference

REQUIRED_SECTIONS = ("Model details", "Intended use", "Training data", "Evaluation", "Fairness", "Limitations",
                     "Ethical considerations")
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc")
GROUP_COLUMNS = ("n", "selection_rate", "accuracy", "tpr", "fpr")


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den else 0.0


def evaluate_classifier(model: Any, x: ArrayLike, y: ArrayLike) -> dict[str, float]:
    """Held-out metrics of a fitted binary classifier with labels 0/1: accuracy, precision, recall, f1 (0 for a
    0/0, as scikit-learn's zero_division=0), roc_auc (from predict_proba[:, 1], else decision_function; nan if
    the model has neither or y holds one class only) and n (the number of test examples).

    ROC AUC is the Mann-Whitney probability that a random positive outscores a random negative (ties
    count one half), computed from average ranks. Cost O(n log n).
    """
    from scipy.stats import rankdata

    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"y must be a non-empty 1-D array of labels, got shape {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("the model card covers binary classifiers with labels 0/1")
    pred = np.asarray(model.predict(x))
    tp = float(np.sum((pred == 1) & (y == 1)))
    fp = float(np.sum((pred == 1) & (y == 0)))
    fn = float(np.sum((pred == 0) & (y == 1)))
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    scores = None
    if hasattr(model, "predict_proba"):
        scores = np.asarray(model.predict_proba(x))[:, 1]
    elif hasattr(model, "decision_function"):
        scores = np.asarray(model.decision_function(x))
    n_pos, n_neg = int(y.sum()), int(y.size - y.sum())
    if scores is None or n_pos == 0 or n_neg == 0:
        auc = float("nan")
    else:
        ranks = rankdata(scores)
        auc = float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
    return {"n": int(y.size), "accuracy": float(np.mean(pred == y)), "precision": precision, "recall": recall,
            "f1": _ratio(2 * precision * recall, precision + recall), "roc_auc": auc}


def group_report(y: ArrayLike, pred: ArrayLike, groups: ArrayLike) -> dict[str, Any]:
    """Per-group size, selection rate, accuracy, TPR and FPR (nan where a group has no positives or no
    negatives), plus the demographic parity difference and the equalized odds difference (worst case of
    the TPR and FPR spreads; nan if some group's rate is undefined)."""
    y, pred, groups = np.asarray(y), np.asarray(pred), np.asarray(groups)
    if not (y.shape == pred.shape == groups.shape) or y.ndim != 1:
        raise ValueError("y, pred and groups must be 1-D arrays of the same length")
    by_group: dict[Any, dict[str, float]] = {}
    for g in np.unique(groups):
        m = groups == g
        yg, pg = y[m], pred[m]
        pos, neg = yg == 1, yg == 0
        by_group[g.item() if isinstance(g, np.generic) else g] = {
            "n": int(m.sum()), "selection_rate": float(pg.mean()), "accuracy": float(np.mean(pg == yg)),
            "tpr": float(pg[pos].mean()) if pos.any() else float("nan"),
            "fpr": float(pg[neg].mean()) if neg.any() else float("nan"),
        }
    tpr = np.array([r["tpr"] for r in by_group.values()])
    fpr = np.array([r["fpr"] for r in by_group.values()])
    eo = float(max(np.ptp(tpr), np.ptp(fpr))) if np.isfinite(tpr).all() and np.isfinite(fpr).all() else float("nan")
    return {"by_group": by_group, "demographic_parity_difference": demographic_parity_difference(pred, groups),
            "equalized_odds_difference": eo}


def build_model_card(model: Any, x_test: ArrayLike, y_test: ArrayLike, *, name: str, intended_use: str,
                     limitations: Sequence[str], version: str = "1.0", groups: ArrayLike | None = None,
                     sensitive_feature: str = "group", training_data: str = "", out_of_scope: Sequence[str] = (),
                     ethical_considerations: Sequence[str] = ()) -> dict[str, Any]:
    """A model card as a dict with the keys model_details, intended_use, training_data, evaluation, fairness,
    limitations and ethical_considerations; evaluation and fairness are computed from the model on
    (x_test, y_test, groups). `name`, `intended_use` and at least one limitation are required: a card
    without them is not a card (ValueError)."""
    if not name.strip() or not intended_use.strip():
        raise ValueError("a model card needs a name and an intended use")
    if not limitations or not all(isinstance(item, str) and item.strip() for item in limitations):
        raise ValueError("state at least one limitation (non-empty strings): every model has some")
    evaluation = evaluate_classifier(model, x_test, y_test)
    fairness = None
    if groups is not None:
        fairness = {"sensitive_feature": sensitive_feature,
                    **group_report(y_test, np.asarray(model.predict(x_test)), groups)}
    params = model.get_params() if hasattr(model, "get_params") else {}
    return {
        "model_details": {"name": name, "version": version, "type": type(model).__name__,
                          "parameters": {k: repr(v) for k, v in sorted(params.items())}},
        "intended_use": {"primary": intended_use, "out_of_scope": list(out_of_scope)},
        "training_data": training_data,
        "evaluation": evaluation,
        "fairness": fairness,
        "limitations": list(limitations),
        "ethical_considerations": list(ethical_considerations),
    }


def _number(value: float) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4f}"


def card_to_markdown(card: dict[str, Any]) -> str:
    """The card as Markdown: a level-1 title, then one level-2 heading per section in REQUIRED_SECTIONS order;
    metrics in a table ``| metric | value |``, the per-group breakdown in a table ``| group | n |
    selection_rate | accuracy | tpr | fpr |``, numbers to four decimals ("n/a" for undefined ones)."""
    details, use = card["model_details"], card["intended_use"]
    lines = [f"# Model card: {details['name']} (version {details['version']})", "",
             "## Model details", "", f"- Type: {details['type']}"]
    lines += [f"- {key}: {value}" for key, value in details["parameters"].items()]
    lines += ["", "## Intended use", "", use["primary"], ""]
    if use["out_of_scope"]:
        lines += ["Out of scope:", "", *[f"- {item}" for item in use["out_of_scope"]], ""]
    lines += ["## Training data", "", card["training_data"] or "Not documented.", "", "## Evaluation", "",
              f"Held-out examples: {card['evaluation']['n']}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {metric} | {_number(card['evaluation'][metric])} |" for metric in METRICS]
    lines += ["", "## Fairness", ""]
    fairness = card["fairness"]
    if fairness is None:
        lines += ["No group breakdown was computed: no sensitive feature was provided."]
    else:
        lines += [f"Sensitive feature: {fairness['sensitive_feature']}", "",
                  "| group | " + " | ".join(GROUP_COLUMNS) + " |", "|---" * (len(GROUP_COLUMNS) + 1) + "|"]
        for group, row in fairness["by_group"].items():
            cells = [str(row["n"])] + [_number(row[c]) for c in GROUP_COLUMNS[1:]]
            lines.append(f"| {group} | " + " | ".join(cells) + " |")
        lines += ["", f"- demographic_parity_difference: {_number(fairness['demographic_parity_difference'])}",
                  f"- equalized_odds_difference: {_number(fairness['equalized_odds_difference'])}"]
    lines += ["", "## Limitations", "", *[f"- {item}" for item in card["limitations"]], "",
              "## Ethical considerations", ""]
    lines += [f"- {item}" for item in card["ethical_considerations"]] or ["None stated."]
    return "\n".join(lines) + "\n"


_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def missing_sections(markdown: str, required: Sequence[str] = REQUIRED_SECTIONS) -> list[str]:
    """The required section titles that do not appear as a level-2 heading (``## Title``, case-insensitive,
    surrounding spaces ignored) in `markdown`, in the order of `required`.

    >>> missing_sections("# Card\\n## Intended use\\ntext\\n### Limitations\\n", ["Intended use", "Limitations"])
    ['Limitations']
    """
    found = {title.strip().lower() for title in _HEADING.findall(markdown)}
    return [title for title in required if title.strip().lower() not in found]
