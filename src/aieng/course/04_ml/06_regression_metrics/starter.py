"""Regression metrics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check regression-metrics`.
Every function takes y_true and y_pred of shape (n,) and returns a float. Raise ValueError if they are not
1-D, their lengths differ, n == 0, or they hold NaN or infinity.
"""

from __future__ import annotations

from numpy.typing import ArrayLike


def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """mean |y - ŷ|."""
    raise NotImplementedError


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """mean (y - ŷ)²."""
    raise NotImplementedError


def root_mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """sqrt(mean (y - ŷ)²)."""
    raise NotImplementedError


def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """1 - SS_res / SS_tot with SS_res = sum (y - ŷ)², SS_tot = sum (y - mean y)².

    If SS_tot == 0 (constant target): 1.0 when SS_res == 0, else 0.0. With n == 1: float('nan').
    """
    raise NotImplementedError


def explained_variance_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """1 - Var(y - ŷ) / Var(y) (population variances). If Var(y) == 0: 1.0 when Var(y - ŷ) == 0, else 0.0."""
    raise NotImplementedError
