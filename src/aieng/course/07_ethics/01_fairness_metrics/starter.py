"""Fairness metrics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check fairness-metrics`.

Conventions for every function:
- `y_pred` and `y_true` are 1-D arrays of 0/1 (or bool) of shape (n,); 1 is the favourable decision.
- `groups` is a 1-D array of shape (n,) of group labels (strings or integers), two or more groups allowed.
- Dicts are keyed by the distinct group labels (plain values such as 'a' or 3).
- Raise ValueError for: empty input, arrays that are not 1-D, different lengths, decisions or labels other
  than 0/1 (NaN included).
Do not import fairlearn: it is the answer key.
"""

from __future__ import annotations

from typing import Any

import numpy as np  # noqa: F401  (you will want it)
from numpy.typing import ArrayLike


def selection_rate(y_pred: ArrayLike) -> float:
    """The share of positive decisions, mean(y_pred), as a float."""
    raise NotImplementedError


def group_selection_rates(y_pred: ArrayLike, groups: ArrayLike) -> dict[Any, float]:
    """{group: P(y_pred = 1 | group)} for every distinct group label."""
    raise NotImplementedError


def demographic_parity_difference(y_pred: ArrayLike, groups: ArrayLike) -> float:
    """Highest group selection rate minus the lowest (0 means parity)."""
    raise NotImplementedError


def demographic_parity_ratio(y_pred: ArrayLike, groups: ArrayLike) -> float:
    """Lowest group selection rate over the highest (1 means parity); nan if nobody is selected (0/0)."""
    raise NotImplementedError


def disparate_impact(y_pred: ArrayLike, groups: ArrayLike) -> dict[Any, float]:
    """{group: its selection rate / the highest group's selection rate} (nan for every group if that is 0)."""
    raise NotImplementedError


def passes_four_fifths_rule(y_pred: ArrayLike, groups: ArrayLike, threshold: float = 0.8) -> bool:
    """True when every group's impact ratio is >= threshold.

    ValueError if nobody is selected at all (no ratio exists) or threshold is not in (0, 1].
    """
    raise NotImplementedError


def group_error_rates(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike) -> dict[str, dict[Any, float]]:
    """{"tpr": {group: TPR}, "fpr": {group: FPR}}.

    TPR_g = P(y_pred = 1 | y_true = 1, group g); FPR_g = P(y_pred = 1 | y_true = 0, group g).
    ValueError if some group has no y_true = 1 (or no y_true = 0): its rate would be 0/0.
    """
    raise NotImplementedError


def equalized_odds_difference(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike,
                              agg: str = "worst_case") -> float:
    """Spread (max - min over groups) of the TPRs and of the FPRs, combined.

    agg="worst_case": the larger of the two spreads; agg="mean": their mean; anything else: ValueError.
    """
    raise NotImplementedError


def equalized_odds_ratio(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike, agg: str = "worst_case") -> float:
    """Ratio (min / max over groups) of the TPRs and of the FPRs, combined.

    agg="worst_case": the smaller of the two ratios; agg="mean": their mean. nan if either ratio is 0/0.
    """
    raise NotImplementedError
