"""Bias mitigation before and after training: reweighing (pre-processing) and per-group decision thresholds
(post-processing), and a side-by-side measurement of both on the seeded lending data.

Reweighing (Kamiran & Calders, 2012) gives every training example the weight

    w(g, y) = P(g) P(y) / P(g, y) = n_g n_y / (n n_gy),

the ratio between how often the (group, label) cell *would* occur if labels were independent of the group
and how often it does. Under these weights the weighted positive rate is the same in every group, so a
model fitted with ``sample_weight`` no longer learns "group B means bad risk" from the labels themselves.

Per-group thresholds leave the model alone and change the decision rule: group g is accepted when its
score is at least t_g, with t_g chosen so every group's selection rate (demographic parity) or true
positive rate (equal opportunity) comes as close as the data allow to a common target. Using the group
at decision time is itself a legal question in many settings (disparate treatment); the lesson says more.

Left out: randomized thresholds (fairlearn's ThresholdOptimizer mixes two thresholds to hit a target
exactly and to optimize accuracy under the constraint), in-processing methods (fairness constraints in
the loss, reductions), intersectional groups. Cost: O(n log n).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

CRITERIA = ("selection_rate", "tpr")


def _labels(y: ArrayLike, what: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D array, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.number) and y.dtype != bool:
        raise ValueError(f"{what} must hold 0/1 labels, got dtype {y.dtype}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{what} must hold 0/1 labels, got values such as {np.unique(y)[:5]}")
    return y.astype(np.int64)


def _groups(groups: ArrayLike, n: int) -> tuple[np.ndarray, np.ndarray]:
    groups = np.asarray(groups)
    if groups.ndim != 1 or groups.size != n:
        raise ValueError(f"groups must be 1-D with one label per sample ({n}), got shape {groups.shape}")
    return np.unique(groups, return_inverse=True)


def reweighing_weights(groups: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Kamiran–Calders weights ``w_i = n_g n_y / (n n_gy)`` for each sample i in group g with label y, shape (n,).

    Cells that are over-represented relative to independence (group B with label 0 in a biased data set)
    get weights below 1; under-represented cells get weights above 1. The weights sum to n, and the
    weighted positive rate of every group equals the overall positive rate. Cost O(n log n).

    >>> reweighing_weights(["a", "a", "a", "b"], [1, 1, 0, 0]).round(4).tolist()
    [0.75, 0.75, 1.5, 0.5]
    """
    y = _labels(y, "y")
    labels, g = _groups(groups, y.size)
    k, n = labels.size, y.size
    cell = g * 2 + y
    n_cell = np.bincount(cell, minlength=2 * k)
    n_group = np.bincount(g, minlength=k)
    n_label = np.bincount(y, minlength=2)
    return n_group[g] * n_label[y] / (n * n_cell[cell])


def _best_threshold(scores: np.ndarray, reference: np.ndarray, target: float) -> float:
    """The threshold t (a score in `reference`, or +inf) whose rate mean(reference >= t) is closest to
    `target`; among equally close rates the smaller one (the larger threshold) wins."""
    values, counts = np.unique(reference, return_counts=True)  # ascending
    at_least = np.cumsum(counts[::-1])[::-1] / reference.size  # rate of reference >= values[j]
    thresholds = np.append(values, np.inf)
    rates = np.append(at_least, 0.0)
    gaps = np.abs(rates - target)
    best = np.flatnonzero(gaps <= gaps.min() + 1e-12)
    return float(thresholds[best[-1]])


def group_thresholds(scores: ArrayLike, groups: ArrayLike, *, y_true: ArrayLike | None = None,
                     criterion: str = "selection_rate", target: float | None = None) -> dict[Any, float]:
    """``{g: t_g}`` so that deciding ``score >= t_g`` in group g brings each group's rate close to `target`.

    criterion="selection_rate": the rate is P(score >= t | g) (demographic parity);
    criterion="tpr": the rate is P(score >= t | y = 1, g) (equal opportunity; needs `y_true`).
    target defaults to the overall rate of the plain rule ``score >= 0.5``. With finitely many people a
    rate can only take values k / n_g, so each group gets the achievable rate nearest to the target; a
    threshold is one of the group's scores (of its positives, for "tpr"), or inf to select nobody.
    Cost O(n log n).

    >>> group_thresholds([0.9, 0.6, 0.3, 0.8, 0.4, 0.2], ["a", "a", "a", "b", "b", "b"], target=2 / 3)
    {'a': 0.6, 'b': 0.4}
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array, got shape {scores.shape}")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite numbers (no NaN or inf)")
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    labels, g = _groups(groups, scores.size)
    if criterion == "tpr":
        if y_true is None:
            raise ValueError("criterion='tpr' needs y_true (the true labels)")
        y = _labels(y_true, "y_true")
        if y.size != scores.size:
            raise ValueError(f"y_true has {y.size} labels for {scores.size} scores")
    else:
        y = np.ones(scores.size, dtype=np.int64)  # every sample counts towards the rate
    if target is None:
        target = float(np.mean(scores[y == 1] >= 0.5)) if (y == 1).any() else 0.0
    if not 0 <= target <= 1:
        raise ValueError(f"target is a rate in [0, 1], got {target}")
    thresholds = {}
    for j, label in enumerate(labels):
        reference = scores[(g == j) & (y == 1)]
        if reference.size == 0:
            raise ValueError(f"group {label!r} has no positives, so its true positive rate is undefined")
        key = label.item() if isinstance(label, np.generic) else label
        thresholds[key] = _best_threshold(scores[g == j], reference, target)
    return thresholds


def apply_group_thresholds(scores: ArrayLike, groups: ArrayLike, thresholds: dict[Any, float]) -> np.ndarray:
    """0/1 decisions ``score >= thresholds[group]``, shape (n,). A group missing from `thresholds`: ValueError."""
    scores = np.asarray(scores, dtype=np.float64)
    labels, g = _groups(groups, scores.size)
    missing = [lab for lab in labels.tolist() if lab not in thresholds]
    if missing:
        raise ValueError(f"no threshold for group(s) {missing}")
    cut = np.array([thresholds[lab] for lab in labels.tolist()], dtype=np.float64)
    return (scores >= cut[g]).astype(np.int64)


def compare_mitigations(n: int = 20000, *, bias: float = 0.3, seed: int = 0) -> pd.DataFrame:
    """Train a logistic regression on `aieng.lib.ethics.data.lending` (without the group column) three ways
    and measure each on a held-out half: no mitigation, reweighing, and per-group thresholds that equalize
    selection rates. One row per method with the accuracy against the recorded (biased) labels, the
    accuracy against the unbiased truth, the selection rates of A and B, and fairlearn-convention
    demographic parity and equalized odds differences (against the recorded labels).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from aieng.lib.ethics.data import FEATURES, lending
    from aieng.lib.ethics.fairness import demographic_parity_difference, equalized_odds_difference

    df = lending(n, bias=bias, seed=seed)
    train, test = df.iloc[: n // 2], df.iloc[n // 2:]
    x_train, x_test = train[list(FEATURES)].to_numpy(), test[list(FEATURES)].to_numpy()
    x_train = np.column_stack([np.log(x_train[:, 0]), x_train[:, 1:]])
    x_test = np.column_stack([np.log(x_test[:, 0]), x_test[:, 1:]])

    def fit(weights: np.ndarray | None) -> Any:
        model = make_pipeline(StandardScaler(), LogisticRegression())
        return model.fit(x_train, train["label"], logisticregression__sample_weight=weights)

    plain = fit(None)
    reweighed = fit(reweighing_weights(train["group"], train["label"]))
    scores = plain.predict_proba(x_test)[:, 1]
    cuts = group_thresholds(plain.predict_proba(x_train)[:, 1], train["group"])
    decisions = {
        "none": plain.predict(x_test),
        "reweighing": reweighed.predict(x_test),
        "group thresholds": apply_group_thresholds(scores, test["group"], cuts),
    }
    rows = []
    for method, y_hat in decisions.items():
        y_hat = np.asarray(y_hat)
        rows.append({
            "method": method,
            "accuracy_recorded": float(np.mean(y_hat == test["label"])),
            "accuracy_true": float(np.mean(y_hat == test["repaid"])),
            "selection_rate_A": float(y_hat[test["group"] == "A"].mean()),
            "selection_rate_B": float(y_hat[test["group"] == "B"].mean()),
            "dp_difference": demographic_parity_difference(y_hat, test["group"]),
            "eo_difference": equalized_odds_difference(test["label"], y_hat, test["group"]),
        })
    return pd.DataFrame(rows)
