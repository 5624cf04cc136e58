"""Checks for `cleaning-pipeline`. A seeded generator (written here, in the test) draws a clean customer table,
the ground truth, then corrupts it the way exports do: repeated rows, city spellings, numbers as text with
thousands separators, missing markers, impossible values. The cleaned table must equal the truth, compared with
pandas.testing; small hand-made tables pin down each clause of the contract."""

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.frames import assert_frame_matches
from aieng.grader.strategies import rngs

CITY_SPELLINGS = {
    "Berlin": ["Berlin", "berlin", "BERLIN", "  Berlin", "Berlin ", "berlin city"],
    "Lyon": ["Lyon", "lyon", "LYON", " lyon "],
    "New York": ["New York", "new york", "NEW YORK", "New  York", "nyc", "NYC", "ny", "new-york"],
    "Oslo": ["Oslo", "oslo", "OSLO ", "oSLo"],
    "Porto": ["Porto", "porto", "  PORTO  "],
}
MISSING = ["", "NA", "n/a", "N/A", "?", "null", "None", "  ", "-", None]
TRUTH_DTYPES = {"customer_id": "int64", "city": "str", "age": "float64", "income": "float64"}


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _truth_record(rng, customer_id):
    """One clean record plus how its raw version is corrupted ('impossible' age or income, to become NaN)."""
    city = None if rng.random() < 0.1 else _pick(rng, list(CITY_SPELLINGS))
    age = None if rng.random() < 0.1 else float(rng.integers(0, 121))
    income = None if rng.random() < 0.1 else round(float(rng.lognormal(10.5, 0.6)), 2)
    if income is not None and rng.random() < 0.05:
        income = round(float(rng.uniform(2e6, 9e6)), 2)  # a genuine outlier: possible, so it must be kept
    bad_age, bad_income = rng.random() < 0.07, rng.random() < 0.05
    truth = {"customer_id": customer_id, "city": city, "age": math.nan if bad_age or age is None else age,
             "income": math.nan if bad_income or income is None else income}
    return truth, {"age": age, "income": income, "bad_age": bad_age, "bad_income": bad_income}


def _render(rng, truth, hidden):
    """A raw text row for a record: a random spelling of every value (different on each call)."""
    city = _pick(rng, MISSING) if truth["city"] is None else _pick(rng, CITY_SPELLINGS[truth["city"]])
    if hidden["bad_age"]:
        age = _pick(rng, ["-1", "-7", "121", "150", "999", "-0.5"])
    elif hidden["age"] is None:
        age = _pick(rng, MISSING)
    else:
        age = _pick(rng, [f"{hidden['age']:.0f}", f" {hidden['age']:.0f}", f"{hidden['age']:.1f}"])
    if hidden["bad_income"]:
        income = _pick(rng, ["-1,250.00", "-3.5", "-99,999.99"])
    elif hidden["income"] is None:
        income = _pick(rng, MISSING)
    else:
        x = hidden["income"]
        income = _pick(rng, [f"{x:,.2f}", f"{x:.2f}", f" {x:,.2f} ", f"{x:,.2f}"])
    return {"customer_id": _pick(rng, [str(truth["customer_id"]), f" {truth['customer_id']}"]), "city": city,
            "age": age, "income": income}


def make_messy(rng, n):
    """(raw, truth): raw has about 15% repeated records and shuffled rows, all columns text; truth is sorted by id."""
    ids = rng.permutation(10 * n + 10)[:n] + 1000
    records = [_truth_record(rng, int(i)) for i in ids]
    raw = [_render(rng, t, h) for t, h in records]
    raw += [_render(rng, *records[int(j)]) for j in rng.integers(0, n, size=int(rng.binomial(n, 0.15)))]
    raw = [raw[int(k)] for k in rng.permutation(len(raw))]
    raw_frame = pd.DataFrame({c: pd.Series([r[c] for r in raw], dtype="str") for c in TRUTH_DTYPES})
    truth = sorted((t for t, _ in records), key=lambda t: t["customer_id"])
    truth_frame = pd.DataFrame({c: pd.Series([t[c] for t in truth], dtype=d) for c, d in TRUTH_DTYPES.items()})
    return raw_frame, truth_frame


def _raw(**columns):
    return pd.DataFrame({c: pd.Series(v, dtype="str") for c, v in columns.items()})


def _expected(**columns):
    return pd.DataFrame({c: pd.Series(columns[c], dtype=d) for c, d in TRUTH_DTYPES.items()})


@settings(max_examples=15)  # each example builds and cleans a table of up to 80 rows
@given(rngs(), st.integers(1, 60))
def test_clean_recovers_the_ground_truth(impl, rng, n):
    """clean(raw) equals the table the messy export was generated from: one row per customer sorted by id, canonical
    cities, numbers parsed, impossible values and missing markers as NaN, outliers kept, dtypes as in the contract."""
    raw, truth = make_messy(rng, n)
    assert_frame_matches(impl.clean(raw), truth, "clean(raw)", numbered_rows=True)


def test_clean_does_not_modify_its_input(impl):
    """clean works on a copy: the raw table is unchanged afterwards."""
    raw, _ = make_messy(np.random.default_rng(5), 30)
    before = raw.copy()
    impl.clean(raw)
    pd.testing.assert_frame_equal(raw, before, obj="the raw table after clean(raw)")


def test_city_spellings_become_canonical(impl):
    """Spaces are trimmed and collapsed, case is ignored and the aliases NYC, ny, new-york map to 'New York'."""
    raw = _raw(customer_id=["1", "2", "3", "4", "5"], city=["  new   YORK ", "NYC", "oSLo", "berlin city", "N/A"],
               age=["30"] * 5, income=["10"] * 5)
    want = _expected(customer_id=[1, 2, 3, 4, 5], city=["New York", "New York", "Oslo", "Berlin", None],
                     age=[30.0] * 5, income=[10.0] * 5)
    assert_frame_matches(impl.clean(raw), want, "clean(cities)", numbered_rows=True)


def test_impossible_values_become_nan_but_outliers_stay(impl):
    """Ages outside [0, 120] and negative incomes become NaN; ages 0 and 120 and an income of 7,500,000.00 are
    possible, so they stay."""
    raw = _raw(customer_id=["1", "2", "3", "4", "5"], city=["Lyon"] * 5, age=["0", "120", "121", "-1", "45"],
               income=["7,500,000.00", "0", "-20", "1,000", "12.5"])
    want = _expected(customer_id=[1, 2, 3, 4, 5], city=["Lyon"] * 5, age=[0.0, 120.0, np.nan, np.nan, 45.0],
                     income=[7_500_000.0, 0.0, np.nan, 1000.0, 12.5])
    assert_frame_matches(impl.clean(raw), want, "clean(ranges)", numbered_rows=True)


def test_duplicates_are_detected_after_normalizing(impl):
    """Rows that differ only in spelling ('BERLIN' vs 'berlin', '1,000' vs '1000.00') are the same record, kept once."""
    raw = _raw(customer_id=["7", " 7", "2"], city=["BERLIN", "berlin", "Porto"], age=["40", "40.0", "?"],
               income=["1,000", "1000.00", ""])
    want = _expected(customer_id=[2, 7], city=["Porto", "Berlin"], age=[np.nan, 40.0], income=[np.nan, 1000.0])
    got = impl.clean(raw)
    expect(isinstance(got, pd.DataFrame) and len(got) == 2,
           f"3 raw rows hold 2 distinct records, got {len(got) if isinstance(got, pd.DataFrame) else got!r} rows: "
           "normalize first, then drop_duplicates")
    assert_frame_matches(got, want, "clean(duplicates)", numbered_rows=True)


def test_broken_input_raises_value_error(impl):
    """An unknown city, a number that is not a number, a missing column or a missing customer_id raise ValueError:
    cleaning must not silently invent or discard data it does not understand."""
    good = {"customer_id": ["1"], "city": ["Oslo"], "age": ["30"], "income": ["10"]}
    assert_raises_value_error(impl.clean, _raw(**{**good, "city": ["Paris"]}), why="Paris is not a known city")
    assert_raises_value_error(impl.clean, _raw(**{**good, "age": ["thirty"]}), why="'thirty' is not a number")
    assert_raises_value_error(impl.clean, _raw(**{k: v for k, v in good.items() if k != "income"}),
                              why="the income column is missing")
    assert_raises_value_error(impl.clean, _raw(**{**good, "customer_id": ["n/a"]}), why="every row needs an id")
