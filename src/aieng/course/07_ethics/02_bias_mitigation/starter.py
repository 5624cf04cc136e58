"""Bias mitigation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check bias-mitigation`.

`groups` is a 1-D array of group labels (strings or integers), `y`/`y_true` 1-D arrays of 0/1 labels and
`scores` 1-D arrays of finite model scores, all of shape (n,). Bad input raises ValueError: empty arrays,
different lengths, labels other than 0/1, NaN scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def reweighing_weights(groups: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Kamiran–Calders weights, shape (n,): w_i = P(g_i) P(y_i) / P(g_i, y_i).

    Each probability is a frequency in the data: P(g) = n_g / n, P(y) = n_y / n, P(g, y) = n_gy / n.
    """
    raise NotImplementedError


def group_thresholds(scores: ArrayLike, groups: ArrayLike, *, y_true: ArrayLike | None = None,
                     criterion: str = "selection_rate", target: float | None = None) -> dict[Any, float]:
    """{group: threshold t_g}; a person in group g is accepted when score >= t_g.

    criterion="selection_rate": choose t_g so that the group's rate P(score >= t_g | g) is as close as
    possible to `target`; criterion="tpr": so that its true positive rate P(score >= t_g | y = 1, g) is
    (needs y_true; a group without positives raises ValueError). Another criterion: ValueError.
    target: a rate in [0, 1] (else ValueError); None means the overall rate of the plain rule score >= 0.5
    (overall selection rate, or overall TPR for "tpr").
    A threshold of np.inf selects nobody.
    """
    raise NotImplementedError


def apply_group_thresholds(scores: ArrayLike, groups: ArrayLike, thresholds: dict[Any, float]) -> np.ndarray:
    """0/1 decisions of shape (n,): 1 where score >= thresholds[group]. A group without a threshold: ValueError."""
    raise NotImplementedError
