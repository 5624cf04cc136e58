"""Group-by, joins and pivot tables: the three moves that turn raw rows into answers.

- **group-by** is split, apply, combine: split the rows by a key, reduce each group (count, sum, mean),
  put the results in one table with one row per key;
- a **join** (``merge``) lines up the rows of two tables on a shared key. An inner join keeps only keys
  found in both; a left join keeps every row of the left table and leaves NaN where the right has no
  match. A key that repeats on both sides multiplies rows, so say which side must be unique
  (``validate="many_to_one"``);
- a **pivot table** is a group-by on two keys laid out as a grid: one key down the rows, the other
  across the columns, a reduction in each cell, and a fill value for the empty cells.

The running example: ``orders`` (order_id, store, product, units, price) and ``stores`` (store, region).
Left out: outer and cross joins, multi-level pivots, window functions (rolling, expanding).
"""

from __future__ import annotations

import pandas as pd

JOINS = ("inner", "left")


def _require(frame: pd.DataFrame, needed: list[str], what: str) -> None:
    """ValueError naming every column of `needed` that `frame` lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the column(s) {', '.join(missing)}")


def store_summary(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per store, sorted by store: store, n_orders, units, revenue, mean_price.

    n_orders counts the orders, units sums them, revenue is ``sum(units * price)`` and mean_price the
    plain mean of the order prices. Named aggregations (``agg(new=(column, function))``) name the output
    columns in the same step. Index 0..k-1. Cost: O(n log n) (the keys are sorted).
    """
    _require(orders, ["order_id", "store", "units", "price"], "store_summary")
    with_revenue = orders.assign(revenue=orders["units"] * orders["price"])
    return with_revenue.groupby("store", as_index=False, sort=True).agg(
        n_orders=("order_id", "size"),
        units=("units", "sum"),
        revenue=("revenue", "sum"),
        mean_price=("price", "mean"),
    )


def join_regions(orders: pd.DataFrame, stores: pd.DataFrame, how: str = "inner") -> pd.DataFrame:
    """The orders with their store's region as a last column, sorted by order_id, index 0..k-1.

    ``how="inner"`` drops orders whose store is not in `stores`; ``how="left"`` keeps them with region NaN.
    `stores` must list each store once, else a join would duplicate orders (``validate`` raises a
    MergeError, which is a ValueError). Cost: O(n + m) hashing plus O(n log n) for the sort.
    """
    if how not in JOINS:
        raise ValueError(f"how must be one of {', '.join(JOINS)}, got {how!r}")
    _require(orders, ["order_id", "store"], "join_regions")
    _require(stores, ["store", "region"], "join_regions")
    joined = orders.merge(stores[["store", "region"]], on="store", how=how, validate="many_to_one")
    return joined.sort_values("order_id").reset_index(drop=True)


def revenue_by_region(orders: pd.DataFrame, stores: pd.DataFrame) -> pd.DataFrame:
    """Total revenue (sum of units * price) per region, over the orders of known stores.

    Join, then group: columns region and revenue, sorted by revenue from highest to lowest, equal
    revenues by region name. Index 0..k-1.
    """
    joined = join_regions(orders, stores, how="inner")
    _require(joined, ["units", "price"], "revenue_by_region")
    totals = (joined.assign(revenue=joined["units"] * joined["price"])
              .groupby("region", as_index=False)["revenue"].sum())
    return totals.sort_values(["revenue", "region"], ascending=[False, True]).reset_index(drop=True)


def units_pivot(orders: pd.DataFrame) -> pd.DataFrame:
    """Units sold per store (rows, sorted) and product (columns, sorted); 0 where a store never sold it.

    ``pivot_table(index="store", columns="product", values="units", aggfunc="sum", fill_value=0)``: the
    group-by on (store, product) unstacked into a grid. Integer cells (int64). Cost: O(n log n).

    >>> orders = pd.DataFrame({"store": ["a", "a", "b"], "product": ["x", "y", "x"], "units": [1, 2, 5]})
    >>> units_pivot(orders).to_dict()
    {'x': {'a': 1, 'b': 5}, 'y': {'a': 2, 'b': 0}}
    """
    _require(orders, ["store", "product", "units"], "units_pivot")
    grid = orders.pivot_table(index="store", columns="product", values="units", aggfunc="sum", fill_value=0)
    return grid.astype("int64")
