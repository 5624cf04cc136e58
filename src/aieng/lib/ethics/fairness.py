"""Group fairness metrics for binary decisions: how differently does a classifier treat groups of people?

Every metric starts from per-group rates of a 0/1 decision ``y_pred`` (1 = the favourable outcome: a loan
granted, a candidate shortlisted) split by a sensitive feature ``groups`` (any hashable labels, two or more
groups):

- selection rate of group g: ``P(ŷ = 1 | A = g)``, the share of the group that gets the positive decision;
- demographic parity difference: ``max_g rate - min_g rate`` (0 is parity), and ratio ``min / max`` (1 is
  parity); the ratio is 0/0 = nan when nobody is selected at all, as in fairlearn;
- disparate impact: each group's selection rate over the highest one; the "four-fifths rule" of US
  employment practice flags a process where some group's impact ratio is below 0.8;
- equalized odds: the true positive rates ``P(ŷ = 1 | Y = 1, A = g)`` and the false positive rates
  ``P(ŷ = 1 | Y = 0, A = g)`` should not depend on g. Its difference is the larger of the TPR spread and the
  FPR spread (``agg="worst_case"``) or their mean (``agg="mean"``); its ratio the smaller of the two min/max
  ratios (or their mean). A group without any true positive (or negative) has no TPR (FPR): ValueError.

The conventions (argument order aside) are those of ``fairlearn.metrics`` with ``method="between_groups"``,
which the exercises use as the oracle: ``demographic_parity_difference(y_pred, groups)`` here equals
``fairlearn.metrics.demographic_parity_difference(y_true, y_pred, sensitive_features=groups)``.

Left out: sample weights, the ``method="to_overall"`` variant, intersectional groups built from several
columns (pass a combined label such as ``"F|over-60"`` instead), confidence intervals for the rates.
Cost: O(n) for n decisions (``np.unique`` sorts the group labels: O(n log n)).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

AGGREGATIONS = ("worst_case", "mean")


def _binary(values: ArrayLike, what: str) -> np.ndarray:
    """A 1-D array of 0/1 integers, or a ValueError naming `what`."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{what} is empty: there is nothing to measure")
    if array.dtype == bool:
        return array.astype(np.int64)
    if not np.issubdtype(array.dtype, np.number) or not np.isin(array, (0, 1)).all():
        raise ValueError(f"{what} must hold binary decisions 0/1, got values such as {np.unique(array)[:5]}")
    return array.astype(np.int64)


def _encode_groups(groups: ArrayLike, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct group labels, each sample's index into them), or a ValueError."""
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError(f"groups must be 1-D (one label per sample), got shape {groups.shape}")
    if groups.shape[0] != n:
        raise ValueError(f"groups has {groups.shape[0]} labels for {n} decisions")
    if groups.dtype.kind == "f" and np.isnan(groups).any():
        raise ValueError("groups contains NaN: every sample needs a group label")
    labels, index = np.unique(groups, return_inverse=True)
    return labels, index


def _as_key(label: Any) -> Any:
    """A numpy scalar as the plain Python value (so dict keys print as 'A', not np.str_('A'))."""
    return label.item() if isinstance(label, np.generic) else label


def _ratio(low: float, high: float) -> float:
    """low / high, nan for 0/0 (nobody in any group had the outcome)."""
    return float(low / high) if high > 0 else float("nan")


def selection_rate(y_pred: ArrayLike) -> float:
    """The share of positive decisions, ``mean(ŷ)``, of a 0/1 vector of shape (n,).

    >>> selection_rate([1, 0, 0, 1])
    0.5
    """
    return float(_binary(y_pred, "y_pred").mean())


def group_selection_rates(y_pred: ArrayLike, groups: ArrayLike) -> dict[Any, float]:
    """``{g: P(ŷ = 1 | A = g)}`` for every group, in sorted order of the group labels.

    Vectorized with ``np.bincount``: positives per group over members per group. Cost O(n log n).

    >>> group_selection_rates([1, 0, 1, 1, 0, 0], ["a", "a", "b", "b", "c", "c"])
    {'a': 0.5, 'b': 1.0, 'c': 0.0}
    """
    y_pred = _binary(y_pred, "y_pred")
    labels, index = _encode_groups(groups, y_pred.size)
    rates = np.bincount(index, weights=y_pred, minlength=labels.size) / np.bincount(index, minlength=labels.size)
    return {_as_key(g): float(r) for g, r in zip(labels, rates, strict=True)}


def demographic_parity_difference(y_pred: ArrayLike, groups: ArrayLike) -> float:
    """``max_g P(ŷ = 1 | A = g) - min_g P(ŷ = 1 | A = g)``: 0 means equal selection rates.

    >>> demographic_parity_difference([1, 1, 1, 0, 0, 0], ["a", "a", "a", "b", "b", "b"])
    1.0
    """
    rates = np.array(list(group_selection_rates(y_pred, groups).values()))
    return float(rates.max() - rates.min())


def demographic_parity_ratio(y_pred: ArrayLike, groups: ArrayLike) -> float:
    """``min_g rate / max_g rate`` in [0, 1]: 1 means equal selection rates; nan if nobody is selected.

    >>> demographic_parity_ratio([1, 1, 0, 1, 0, 0], ["a", "a", "a", "b", "b", "b"])
    0.5
    """
    rates = np.array(list(group_selection_rates(y_pred, groups).values()))
    return _ratio(rates.min(), rates.max())


def disparate_impact(y_pred: ArrayLike, groups: ArrayLike) -> dict[Any, float]:
    """Each group's impact ratio: its selection rate over the highest group's rate (nan if that is 0).

    The most favoured group scores 1.0; the four-fifths rule looks for any group below 0.8.

    >>> disparate_impact([1, 1, 0, 0, 1, 0, 0, 0], ["a"] * 4 + ["b"] * 4)
    {'a': 1.0, 'b': 0.5}
    """
    rates = group_selection_rates(y_pred, groups)
    best = max(rates.values())
    return {g: _ratio(r, best) for g, r in rates.items()}


def passes_four_fifths_rule(y_pred: ArrayLike, groups: ArrayLike, threshold: float = 0.8) -> bool:
    """True when every group's impact ratio is at least `threshold` (0.8: the four-fifths rule).

    Equivalent to ``demographic_parity_ratio >= threshold``. A process that selects nobody has no impact
    ratios (0/0): ValueError. `threshold` must lie in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    ratio = demographic_parity_ratio(y_pred, groups)
    if np.isnan(ratio):
        raise ValueError("nobody was selected in any group: impact ratios are 0/0")
    return bool(ratio >= threshold)


def group_error_rates(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike) -> dict[str, dict[Any, float]]:
    """``{"tpr": {g: TPR_g}, "fpr": {g: FPR_g}}`` for every group.

    TPR_g = P(ŷ = 1 | Y = 1, A = g) (recall inside the group), FPR_g = P(ŷ = 1 | Y = 0, A = g). A group
    with no true positives (or no true negatives) has an undefined TPR (FPR): ValueError naming it.
    """
    y_true, y_pred = _binary(y_true, "y_true"), _binary(y_pred, "y_pred")
    if y_true.size != y_pred.size:
        raise ValueError(f"y_true and y_pred have different lengths: {y_true.size} and {y_pred.size}")
    labels, index = _encode_groups(groups, y_true.size)
    k = labels.size
    positives = np.bincount(index, weights=y_true, minlength=k)
    negatives = np.bincount(index, weights=1 - y_true, minlength=k)
    for counts, what in ((positives, "true positives (Y = 1)"), (negatives, "true negatives (Y = 0)")):
        if (counts == 0).any():
            empty = _as_key(labels[np.argmax(counts == 0)])
            raise ValueError(f"group {empty!r} has no {what}: its rate is undefined")
    tp = np.bincount(index, weights=y_true * y_pred, minlength=k)
    fp = np.bincount(index, weights=(1 - y_true) * y_pred, minlength=k)
    keys = [_as_key(g) for g in labels]
    return {"tpr": dict(zip(keys, (tp / positives).tolist(), strict=True)),
            "fpr": dict(zip(keys, (fp / negatives).tolist(), strict=True))}


def _check_agg(agg: str) -> None:
    if agg not in AGGREGATIONS:
        raise ValueError(f"agg must be one of {AGGREGATIONS}, got {agg!r}")


def equalized_odds_difference(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike,
                              agg: str = "worst_case") -> float:
    """The spread of TPRs and of FPRs across groups, combined: their max ("worst_case") or mean ("mean").

    ``max(max_g TPR_g - min_g TPR_g, max_g FPR_g - min_g FPR_g)``; 0 means equalized odds hold.

    >>> equalized_odds_difference([1, 0, 1, 0], [1, 0, 0, 0], ["a", "a", "b", "b"])
    1.0
    """
    _check_agg(agg)
    rates = group_error_rates(y_true, y_pred, groups)
    spreads = [max(r.values()) - min(r.values()) for r in rates.values()]
    return float(max(spreads) if agg == "worst_case" else np.mean(spreads))


def equalized_odds_ratio(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike, agg: str = "worst_case") -> float:
    """The min/max ratio of TPRs and of FPRs across groups, combined: their min ("worst_case") or mean.

    1 means equalized odds hold. If every group's TPR (or every FPR) is 0, that ratio is 0/0 and the
    result is nan.
    """
    _check_agg(agg)
    rates = group_error_rates(y_true, y_pred, groups)
    ratios = [_ratio(min(r.values()), max(r.values())) for r in rates.values()]
    if any(np.isnan(ratios)):
        return float("nan")
    return float(min(ratios) if agg == "worst_case" else np.mean(ratios))
