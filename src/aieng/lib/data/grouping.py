"""Filtering and grouping a sales table with pandas: boolean masks, group-by with several aggregations,
and the difference between *aggregate* (one row per group) and *transform* (one value per original row).

The table has one row per sale: ``store`` (str), ``product`` (str), ``units`` (int64) and ``price``
(float64). Every function checks that the columns it needs exist and raises ValueError otherwise.

- ``select_rows``: rows of some stores with at least ``min_units`` units (a mask, or ``DataFrame.query``).
- ``group_stats``: per group, the row count, total units, mean / max / standard deviation of price.
- ``standardize_within_group``: each row's value as a z-score inside its own group (``transform``).
- ``share_of_group_total``: each row's value divided by its group's total (``transform('sum')``).
- ``rank_within_group``: 1 for the largest value of each group, ties sharing the best rank.

Left out: joins and pivots (see the stage-00 exercise), rolling windows, categorical dtypes.
Cost: one hash group-by, O(n), plus O(n log n) for sorting and ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the table lacks the column(s) {missing}; it has {list(frame.columns)}")


def _keys(by: str | Sequence[str]) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError("group by at least one column")
    return keys


def select_rows(sales: pd.DataFrame, stores: Sequence[str], min_units: int) -> pd.DataFrame:
    """The sales of the given `stores` with ``units >= min_units``, keeping the original row labels.

    A boolean mask combines conditions with ``&`` (each in parentheses):
    ``sales[sales["store"].isin(stores) & (sales["units"] >= min_units)]``; the same rows come from
    ``sales.query("store in @stores and units >= @min_units")``. Rows keep their labels (no renumbering),
    so the result can be aligned back to the full table.

    >>> t = pd.DataFrame({"store": ["a", "b", "a"], "product": ["x", "x", "y"], "units": [1, 5, 7],
    ...                   "price": [1.0, 2.0, 3.0]})
    >>> select_rows(t, ["a"], 2).index.tolist()
    [2]
    """
    _require(sales, ["store", "units"])
    mask = sales["store"].isin(list(stores)) & (sales["units"] >= min_units)
    return sales[mask]


def group_stats(sales: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """One row per group of `by` (sorted by the keys, numbered 0..k-1), with the key columns and

    ``n_sales`` (int64 row count), ``units`` (int64 total), ``mean_price``, ``max_price`` and
    ``std_price`` (sample standard deviation, ddof = 1: NaN for a group with a single sale).
    Named aggregation does all of it in one pass: ``groupby(keys, as_index=False).agg(n_sales=("price",
    "size"), ...)``. An empty table gives an empty result with these columns.
    """
    keys = _keys(by)
    _require(sales, [*keys, "units", "price"])
    return (sales.groupby(keys, as_index=False, sort=True)
            .agg(n_sales=("price", "size"), units=("units", "sum"), mean_price=("price", "mean"),
                 max_price=("price", "max"), std_price=("price", "std"))
            .astype({"n_sales": "int64", "units": "int64"})
            .reset_index(drop=True))


def standardize_within_group(sales: pd.DataFrame, by: str | Sequence[str], column: str) -> pd.Series:
    """Each row's `column` as a z-score within its group: ``(x - group mean) / group std`` (ddof = 1).

    ``transform`` broadcasts a group statistic back to every row of the group, so the result is a float64
    Series with the same index as `sales` (and the name `column`). Groups of one row have no spread: NaN.
    """
    keys = _keys(by)
    _require(sales, [*keys, column])
    grouped = sales.groupby(keys)[column]
    z = (sales[column] - grouped.transform("mean")) / grouped.transform("std")
    return z.astype("float64").rename(column)


def share_of_group_total(sales: pd.DataFrame, by: str | Sequence[str], column: str) -> pd.Series:
    """Each row's `column` divided by the total of its group: a float64 Series aligned with `sales`.

    Within every group the shares add up to 1. ``x / x.groupby(keys).transform("sum")``; a group whose
    total is 0 gives NaN (0 / 0) rather than a made-up share.
    """
    keys = _keys(by)
    _require(sales, [*keys, column])
    values = sales[column].astype("float64")
    totals = values.groupby([sales[k] for k in keys]).transform("sum")
    return (values / totals.where(totals != 0)).rename(column)


def rank_within_group(sales: pd.DataFrame, by: str | Sequence[str], column: str) -> pd.Series:
    """Rank of each row's `column` inside its group, largest first: 1 + the number of group members with a
    strictly larger value (ties share the best rank: 10, 7, 7, 3 -> 1, 2, 2, 4).

    ``groupby(keys)[column].rank(method="min", ascending=False)``, cast to int64; same index as `sales`.
    """
    keys = _keys(by)
    _require(sales, [*keys, column])
    ranks = sales.groupby(keys)[column].rank(method="min", ascending=False)
    return ranks.astype("int64").rename(column)
