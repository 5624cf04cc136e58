"""Checks for `filtering-grouping`: every expected table is computed a second way, in plain Python (lists,
dicts, the statistics module) on seeded random sales tables, and compared with pandas.testing."""

import math
import statistics
from collections import defaultdict

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.frames import assert_frame_matches
from aieng.grader.strategies import rngs

STORES = ["berlin", "lyon", "milan", "oslo", "porto"]
PRODUCTS = ["apples", "bread", "cheese"]
DTYPES = {"store": "str", "product": "str", "units": "int64", "price": "float64"}
keys_strategy = st.sampled_from([["store"], ["product"], ["store", "product"]])


def _sales(rng, n):
    """Random sales as a list of dicts and as a DataFrame whose row labels are scrambled (not 0..n-1)."""
    rows = [{"store": STORES[rng.integers(len(STORES))], "product": PRODUCTS[rng.integers(len(PRODUCTS))],
             "units": int(rng.integers(1, 20)), "price": float(rng.uniform(0.5, 20.0))} for _ in range(n)]
    labels = (rng.permutation(n) * 3 + 100).tolist()
    frame = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=d) for c, d in DTYPES.items()})
    frame.index = pd.Index(labels, dtype="int64")
    return rows, labels, frame


def _groups(rows, labels, keys):
    groups = defaultdict(list)
    for label, row in zip(labels, rows, strict=True):
        groups[tuple(row[k] for k in keys)].append((label, row))
    return groups


def _per_row(got, expected_by_label, labels, what, rtol=1e-9):
    """Compare a per-row Series with {label: value}, as one-column frames, index and all."""
    expect(isinstance(got, pd.Series), f"{what} should return a pandas Series, got {type(got).__name__}")
    expected = pd.DataFrame({"value": pd.Series([expected_by_label[x] for x in labels], index=labels,
                                                dtype="float64")})
    got_frame = pd.DataFrame({"value": got.astype("float64") if got.dtype.kind in "iuf" else got})
    assert_frame_matches(got_frame, expected, f"{what} (as a column)", rtol=rtol)


@settings(max_examples=25)  # each example builds a frame: 25 keep the suite fast
@given(rngs(), st.integers(0, 30), st.integers(1, 12))
def test_select_rows_keeps_matching_rows_and_labels(impl, rng, n, min_units):
    """select_rows keeps exactly the sales of the chosen stores with units >= min_units, with their original row
    labels and all four columns."""
    rows, labels, frame = _sales(rng, n)
    chosen = [s for s in STORES if rng.random() < 0.5]
    kept = [(lab, r) for lab, r in zip(labels, rows, strict=True) if r["store"] in chosen and r["units"] >= min_units]
    expected = pd.DataFrame({c: pd.Series([r[c] for _, r in kept], dtype=d) for c, d in DTYPES.items()})
    expected.index = pd.Index([lab for lab, _ in kept], dtype="int64")
    assert_frame_matches(impl.select_rows(frame, chosen, min_units), expected, f"select_rows(sales, {chosen}, "
                         f"{min_units})")


@settings(max_examples=25)
@given(rngs(), st.integers(1, 30), keys_strategy)
def test_group_stats_matches_dict_aggregation(impl, rng, n, keys):
    """group_stats gives one row per group (sorted by the keys, numbered 0..k-1): n_sales, total units, mean, max and
    sample standard deviation (ddof=1, NaN for a single sale) of price."""
    rows, labels, frame = _sales(rng, n)
    out = []
    for key, members in sorted(_groups(rows, labels, keys).items()):
        prices = [r["price"] for _, r in members]
        out.append({**dict(zip(keys, key, strict=True)), "n_sales": len(members),
                    "units": sum(r["units"] for _, r in members), "mean_price": statistics.fmean(prices),
                    "max_price": max(prices), "std_price": statistics.stdev(prices) if len(prices) > 1 else math.nan})
    dtypes = {**{k: "str" for k in keys}, "n_sales": "int64", "units": "int64", "mean_price": "float64",
              "max_price": "float64", "std_price": "float64"}
    expected = pd.DataFrame({c: pd.Series([r[c] for r in out], dtype=d) for c, d in dtypes.items()})
    assert_frame_matches(impl.group_stats(frame, keys), expected, f"group_stats(sales, {keys})", numbered_rows=True,
                         rtol=1e-9)


def test_group_stats_accepts_a_single_key_string(impl):
    """group_stats(sales, "store") works like group_stats(sales, ["store"])."""
    _, _, frame = _sales(np.random.default_rng(3), 12)
    got = impl.group_stats(frame, "store")
    expect(isinstance(got, pd.DataFrame) and list(got.columns)[:2] == ["store", "n_sales"],
           "group_stats(sales, 'store') should start with the columns ['store', 'n_sales']")


@settings(max_examples=25)
@given(rngs(), st.integers(1, 30), keys_strategy)
def test_standardize_within_group_matches_plain_python(impl, rng, n, keys):
    """standardize_within_group turns each price into (price - group mean) / group sample std, aligned with the
    original rows (same index); a group of one sale gives NaN."""
    rows, labels, frame = _sales(rng, n)
    want = {}
    for members in _groups(rows, labels, keys).values():
        prices = [r["price"] for _, r in members]
        mean = statistics.fmean(prices)
        sd = statistics.stdev(prices) if len(prices) > 1 else math.nan
        want.update({lab: (r["price"] - mean) / sd for lab, r in members})
    _per_row(impl.standardize_within_group(frame, keys, "price"), want, labels,
             f"standardize_within_group(sales, {keys}, 'price')")


@settings(max_examples=25)
@given(rngs(), st.integers(1, 30), keys_strategy)
def test_share_of_group_total_matches_plain_python(impl, rng, n, keys):
    """share_of_group_total divides each row's units by its group's total units; shares add up to 1 per group."""
    rows, labels, frame = _sales(rng, n)
    want = {}
    for members in _groups(rows, labels, keys).values():
        total = sum(r["units"] for _, r in members)
        want.update({lab: r["units"] / total for lab, r in members})
    _per_row(impl.share_of_group_total(frame, keys, "units"), want, labels,
             f"share_of_group_total(sales, {keys}, 'units')", rtol=1e-12)


@settings(max_examples=25)
@given(rngs(), st.integers(1, 30), keys_strategy)
def test_rank_within_group_counts_larger_values(impl, rng, n, keys):
    """rank_within_group gives 1 + the number of rows of the same group with strictly more units (ties share the best
    rank), as int64, aligned with the original rows."""
    rows, labels, frame = _sales(rng, n)
    want = {}
    for members in _groups(rows, labels, keys).values():
        want.update({lab: 1 + sum(o["units"] > r["units"] for _, o in members) for lab, r in members})
    got = impl.rank_within_group(frame, keys, "units")
    expect(isinstance(got, pd.Series) and got.dtype == "int64",
           f"rank_within_group should return an int64 Series, got {type(got).__name__} {getattr(got, 'dtype', '')}")
    _per_row(got, want, labels, f"rank_within_group(sales, {keys}, 'units')", rtol=0)


def test_ties_share_the_best_rank(impl):
    """Units 10, 7, 7, 3 in one store rank 1, 2, 2, 4 (method 'min', largest first)."""
    frame = pd.DataFrame({"store": ["a"] * 4, "product": ["x"] * 4, "units": [7, 10, 3, 7], "price": [1.0] * 4})
    got = impl.rank_within_group(frame, "store", "units")
    expect(list(got) == [2, 1, 4, 2], f"ranks of units [7, 10, 3, 7] should be [2, 1, 4, 2], got {list(got)}")


def test_missing_columns_raise_value_error(impl):
    """Asking for a column the table does not have raises ValueError (not a KeyError from inside pandas)."""
    _, _, frame = _sales(np.random.default_rng(0), 5)
    no_units = frame.drop(columns="units")
    assert_raises_value_error(impl.select_rows, no_units, ["oslo"], 1, why="the table has no 'units' column")
    assert_raises_value_error(impl.group_stats, frame, ["region"], why="there is no 'region' column")
    assert_raises_value_error(impl.standardize_within_group, frame, "store", "weight", why="no 'weight' column")
    assert_raises_value_error(impl.share_of_group_total, frame, "region", "units", why="no 'region' column")
    assert_raises_value_error(impl.rank_within_group, frame, "store", "weight", why="no 'weight' column")
