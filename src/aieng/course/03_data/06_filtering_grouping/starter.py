"""Filtering and grouping with pandas — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check filtering-grouping`.

The sales table has one row per sale: store (str), product (str), units (int64), price (float64).
`by` is a column name or a list of column names. Every function raises ValueError when a column it
needs is missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def select_rows(sales: pd.DataFrame, stores: Sequence[str], min_units: int) -> pd.DataFrame:
    """The rows whose store is in `stores` and whose units >= min_units, all columns, original row labels."""
    raise NotImplementedError


def group_stats(sales: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """One row per group, sorted by the keys, rows numbered 0..k-1, columns:

    the key column(s), n_sales (int64, rows in the group), units (int64, total), mean_price, max_price,
    std_price (float64; sample standard deviation, ddof=1, NaN for a group of one sale).
    """
    raise NotImplementedError


def standardize_within_group(sales: pd.DataFrame, by: str | Sequence[str], column: str) -> pd.Series:
    """(x - group mean) / group sample std (ddof=1) for each row: float64 Series, same index as `sales`.

    A group with a single row gives NaN.
    """
    raise NotImplementedError


def share_of_group_total(sales: pd.DataFrame, by: str | Sequence[str], column: str) -> pd.Series:
    """Each row's value divided by its group's total: float64 Series, same index as `sales`."""
    raise NotImplementedError


def rank_within_group(sales: pd.DataFrame, by: str | Sequence[str], column: str) -> pd.Series:
    """1 + the number of rows in the same group with a strictly larger value (largest first, ties share the
    best rank: 10, 7, 7, 3 -> 1, 2, 2, 4): int64 Series, same index as `sales`."""
    raise NotImplementedError
