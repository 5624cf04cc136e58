"""Model cards — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check model-cards`.
Binary classifiers with labels 0/1 only; `model` is any fitted object with .predict (and maybe
.predict_proba or .decision_function, and .get_params, as scikit-learn estimators have).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np  # noqa: F401  (you will want it)
from numpy.typing import ArrayLike

REQUIRED_SECTIONS = ("Model details", "Intended use", "Training data", "Evaluation", "Fairness", "Limitations",
                     "Ethical considerations")
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc")
GROUP_COLUMNS = ("n", "selection_rate", "accuracy", "tpr", "fpr")


def evaluate_classifier(model: Any, x: ArrayLike, y: ArrayLike) -> dict[str, float]:
    """{"n", "accuracy", "precision", "recall", "f1", "roc_auc"} of the model on (x, y).

    precision/recall/f1 of class 1, 0 for a 0/0; roc_auc from predict_proba(x)[:, 1], else from
    decision_function(x), else nan (also nan when y holds one class only). Labels other than 0/1: ValueError.
    """
    raise NotImplementedError


def group_report(y: ArrayLike, pred: ArrayLike, groups: ArrayLike) -> dict[str, Any]:
    """{"by_group": {group: {"n", "selection_rate", "accuracy", "tpr", "fpr"}},
        "demographic_parity_difference": float, "equalized_odds_difference": float}.

    tpr (fpr) is nan for a group without positives (negatives); the equalized odds difference (the larger
    of the TPR spread and the FPR spread) is then nan too.
    """
    raise NotImplementedError


def build_model_card(model: Any, x_test: ArrayLike, y_test: ArrayLike, *, name: str, intended_use: str,
                     limitations: Sequence[str], version: str = "1.0", groups: ArrayLike | None = None,
                     sensitive_feature: str = "group", training_data: str = "", out_of_scope: Sequence[str] = (),
                     ethical_considerations: Sequence[str] = ()) -> dict[str, Any]:
    """The card as a dict with keys:
    "model_details": {"name", "version", "type" (the class name), "parameters" (get_params, values as repr)},
    "intended_use": {"primary": intended_use, "out_of_scope": [...]}, "training_data": str,
    "evaluation": evaluate_classifier(...), "fairness": None without groups, else
    {"sensitive_feature": ..., **group_report(...)}, "limitations": [...], "ethical_considerations": [...].
    An empty name or intended use, or no limitation: ValueError.
    """
    raise NotImplementedError


def card_to_markdown(card: dict[str, Any]) -> str:
    """Markdown: "# Model card: ..." then a "## <title>" heading for each of REQUIRED_SECTIONS.

    Under "## Evaluation" a table "| metric | value |" with one row per METRICS entry; under "## Fairness"
    a table "| group | n | selection_rate | accuracy | tpr | fpr |" (or a sentence when fairness is None).
    Numbers with 4 decimals (f"{v:.4f}"), "n/a" for nan. Intended use and limitations verbatim.
    """
    raise NotImplementedError


def missing_sections(markdown: str, required: Sequence[str] = REQUIRED_SECTIONS) -> list[str]:
    """The titles in `required` (in that order) that have no level-2 heading "## Title" in `markdown`
    (case-insensitive, spaces around the title and closing #s ignored; "### Title" does not count)."""
    raise NotImplementedError
