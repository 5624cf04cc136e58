"""Checks for `group-join-pivot`: the expected tables are computed a second way, with plain Python dicts,
on random order and store tables, and compared with pandas.testing.assert_frame_equal."""

from collections import defaultdict

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.frames import assert_frame_matches
from aieng.grader.strategies import rngs

STORES = ["berlin", "lyon", "milan", "oslo", "porto", "turin", "vigo"]
REGIONS = ["north", "south", "west"]
PRODUCTS = ["apples", "bread", "cheese", "dates"]
ORDER_DTYPES = {"order_id": "int64", "store": "str", "product": "str", "units": "int64", "price": "float64"}


def _frame(rows, dtypes):
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=d) for c, d in dtypes.items()})


def _random_tables(rng, n_orders):
    """Orders (as dicts and as a frame) and a store table that knows only some of the stores."""
    ids = rng.permutation(n_orders * 2 + 1)[:n_orders] + 1
    orders = [{"order_id": int(i), "store": STORES[rng.integers(len(STORES))],
               "product": PRODUCTS[rng.integers(len(PRODUCTS))], "units": int(rng.integers(1, 10)),
               "price": round(float(rng.uniform(0.5, 20.0)), 2)} for i in ids]
    known = [STORES[i] for i in rng.permutation(len(STORES))[: rng.integers(1, len(STORES) + 1)]]
    regions = {s: REGIONS[rng.integers(len(REGIONS))] for s in known}
    stores = _frame([{"store": s, "region": r} for s, r in regions.items()], {"store": "str", "region": "str"})
    return orders, _frame(orders, ORDER_DTYPES), regions, stores


def _assert_frames(got, expected, what):
    """Columns, dtypes, row labels and values, each failing with its own sentence (column index types may differ)."""
    assert_frame_matches(got, expected, what, check_column_type=False)


@settings(max_examples=25)  # each example runs several pandas group-bys: 25 keep the suite under a second
@given(rngs(), st.integers(1, 25))
def test_store_summary_matches_dict_counting(impl, rng, n_orders):
    """store_summary gives, per store (sorted): the number of orders, total units, sum of units*price and mean price."""
    orders, frame, _, _ = _random_tables(rng, n_orders)
    groups = defaultdict(list)
    for o in orders:
        groups[o["store"]].append(o)
    rows = [{"store": s, "n_orders": len(g), "units": sum(o["units"] for o in g),
             "revenue": sum(o["units"] * o["price"] for o in g), "mean_price": sum(o["price"] for o in g) / len(g)}
            for s, g in sorted(groups.items())]
    expected = _frame(rows, {"store": "str", "n_orders": "int64", "units": "int64", "revenue": "float64",
                             "mean_price": "float64"})
    _assert_frames(impl.store_summary(frame), expected, "store_summary(orders)")


@settings(max_examples=25)  # each example runs several pandas group-bys: 25 keep the suite under a second
@given(rngs(), st.integers(0, 25), st.sampled_from(["inner", "left"]))
def test_join_regions_matches_a_dict_lookup(impl, rng, n_orders, how):
    """join_regions(orders, stores, how) appends each order's region; inner drops unknown stores, left keeps them with
    NaN."""
    orders, frame, regions, stores = _random_tables(rng, n_orders)
    rows = [{**o, "region": regions.get(o["store"])} for o in sorted(orders, key=lambda o: o["order_id"])
            if how == "left" or o["store"] in regions]
    expected = _frame(rows, {**ORDER_DTYPES, "region": "str"})
    _assert_frames(impl.join_regions(frame, stores, how), expected, f"join_regions(orders, stores, {how!r})")


def test_join_regions_rejects_duplicate_stores_and_unknown_joins(impl):
    """A store listed twice in `stores` (the join would duplicate orders) or how='outer' raises ValueError."""
    orders = _frame([{"order_id": 1, "store": "oslo", "product": "bread", "units": 1, "price": 2.0}], ORDER_DTYPES)
    twice = _frame([{"store": "oslo", "region": "north"}, {"store": "oslo", "region": "west"}],
                   {"store": "str", "region": "str"})
    assert_raises_value_error(impl.join_regions, orders, twice, "inner", why="oslo appears twice in stores")
    once = twice.iloc[:1]
    assert_raises_value_error(impl.join_regions, orders, once, "outer", why="only 'inner' and 'left' are asked for")


@settings(max_examples=25)  # each example runs several pandas group-bys: 25 keep the suite under a second
@given(rngs(), st.integers(1, 25))
def test_revenue_by_region_matches_dicts(impl, rng, n_orders):
    """revenue_by_region sums units*price per region over orders of known stores, highest revenue first."""
    orders, frame, regions, stores = _random_tables(rng, n_orders)
    totals = defaultdict(float)
    for o in orders:
        if o["store"] in regions:
            totals[regions[o["store"]]] += o["units"] * o["price"]
    rows = [{"region": r, "revenue": v} for r, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    expected = _frame(rows, {"region": "str", "revenue": "float64"})
    _assert_frames(impl.revenue_by_region(frame, stores), expected, "revenue_by_region(orders, stores)")


def test_revenue_by_region_breaks_ties_by_name(impl):
    """Two regions with the same revenue (10.0) come out in alphabetical order, after the larger one."""
    orders = _frame([{"order_id": i, "store": s, "product": "bread", "units": u, "price": 5.0}
                     for i, (s, u) in enumerate([("vigo", 2), ("oslo", 2), ("lyon", 4)])], ORDER_DTYPES)
    stores = _frame([{"store": "vigo", "region": "west"}, {"store": "oslo", "region": "north"},
                     {"store": "lyon", "region": "south"}], {"store": "str", "region": "str"})
    expected = _frame([{"region": "south", "revenue": 20.0}, {"region": "north", "revenue": 10.0},
                       {"region": "west", "revenue": 10.0}], {"region": "str", "revenue": "float64"})
    _assert_frames(impl.revenue_by_region(orders, stores), expected, "revenue_by_region(orders, stores)")


@settings(max_examples=25)  # each example runs several pandas group-bys: 25 keep the suite under a second
@given(rngs(), st.integers(1, 25))
def test_units_pivot_matches_dict_of_pairs(impl, rng, n_orders):
    """units_pivot has a row per store and a column per product (both sorted), total units per cell, 0 if none."""
    orders, frame, _, _ = _random_tables(rng, n_orders)
    cells = defaultdict(int)
    for o in orders:
        cells[o["store"], o["product"]] += o["units"]
    stores = sorted({o["store"] for o in orders})
    products = sorted({o["product"] for o in orders})
    expected = pd.DataFrame([[cells[s, p] for p in products] for s in stores], dtype="int64",
                            index=pd.Index(stores, name="store"), columns=pd.Index(products, name="product"))
    got = impl.units_pivot(frame)
    expect(isinstance(got, pd.DataFrame), f"units_pivot should return a DataFrame, got {type(got).__name__}")
    expect(got.index.name == "store" and got.columns.name == "product",
           f"units_pivot: rows should be named 'store' and columns 'product', got {got.index.name!r} and "
           f"{got.columns.name!r} (pivot_table names them after the keys)")
    _assert_frames(got, expected, "units_pivot(orders)")


def test_missing_columns_raise(impl):
    """A frame without the needed columns (here: no 'units') raises ValueError in every function."""
    frame = pd.DataFrame({"order_id": [1], "store": ["oslo"], "product": ["bread"], "price": [1.0]})
    stores = pd.DataFrame({"store": ["oslo"], "region": ["north"]})
    assert_raises_value_error(impl.store_summary, frame, why="orders has no units column")
    assert_raises_value_error(impl.units_pivot, frame, why="orders has no units column")
    assert_raises_value_error(impl.revenue_by_region, frame, stores, why="orders has no units column")
    assert_raises_value_error(impl.join_regions, frame, stores.drop(columns="region"),
                              why="stores has no region column")
