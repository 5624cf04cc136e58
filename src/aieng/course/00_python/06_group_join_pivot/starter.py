"""Group-by, joins and pivot tables — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check group-join-pivot`.

orders: one row per order, columns order_id (int64, unique), store (str), product (str),
        units (int64), price (float64, the price of one unit).
stores: one row per store, columns store (str) and region (str).
Use pandas (groupby, merge, pivot_table). Raise ValueError when a needed column is missing.
"""

from __future__ import annotations

import pandas as pd


def store_summary(orders: pd.DataFrame) -> pd.DataFrame:
    """Return one row per store, sorted by store name, with columns (in this order):

    store (str), n_orders (int64: number of orders), units (int64: total units),
    revenue (float64: sum of units * price), mean_price (float64: mean of price over the orders).
    Rows numbered 0..k-1.
    """
    raise NotImplementedError


def join_regions(orders: pd.DataFrame, stores: pd.DataFrame, how: str = "inner") -> pd.DataFrame:
    """Return the orders with a last column region (str), sorted by order_id, rows numbered 0..k-1.

    how="inner": drop orders whose store is not in `stores`; how="left": keep them, region NaN.
    Raise ValueError if how is neither, or if `stores` lists a store more than once.
    """
    raise NotImplementedError


def revenue_by_region(orders: pd.DataFrame, stores: pd.DataFrame) -> pd.DataFrame:
    """Return columns region (str) and revenue (float64: sum of units * price of its stores' orders).

    Only orders of stores listed in `stores` count. Sorted by revenue, highest first; equal revenues
    by region name. Rows numbered 0..k-1.
    """
    raise NotImplementedError


def units_pivot(orders: pd.DataFrame) -> pd.DataFrame:
    """Return total units per store (rows) and product (columns), both sorted; 0 where none were sold.

    The row index is named 'store', the columns 'product'; cells are int64.
    """
    raise NotImplementedError
