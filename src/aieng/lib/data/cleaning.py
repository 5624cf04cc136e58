"""An end-to-end cleaning step for a customer table exported as text, checked against a written contract.

The raw table has the text columns ``customer_id``, ``city``, ``age`` and ``income`` (as a CSV read with
``dtype=str`` gives them). It suffers from the usual defects: repeated rows, city names in several
spellings and cases with stray spaces, numbers stored as text with thousands separators, several markers
for "unknown", impossible values and genuine outliers. ``clean`` returns a table that honours
``CONTRACT``:

- columns ``customer_id`` (int64), ``city`` (str, one of ``CITIES`` or missing), ``age`` (float64) and
  ``income`` (float64), in that order;
- the markers in ``MISSING_MARKERS`` (after trimming spaces, any case) and empty strings become NaN;
- city spellings are mapped to their canonical name (``canonical_city``); an unknown city is an error;
- impossible values become NaN: an age outside [0, 120], a negative income. Outliers that are possible
  (an income of several millions) are kept: removing them is a modelling decision, not cleaning;
- rows that are equal in every column after cleaning are kept once; rows are sorted by ``customer_id``
  and numbered 0..k-1. The input is not modified.

Left out: fuzzy matching of misspellings, dates and time zones, unit conversion, conflicting duplicates
(the same id with different values), imputation (see the missing-data exercise).
Cost: O(n log n) for the sort; everything else is vectorized column arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CITIES = ("Berlin", "Lyon", "New York", "Oslo", "Porto")
CITY_ALIASES = {"nyc": "New York", "ny": "New York", "new-york": "New York", "berlin city": "Berlin"}
MISSING_MARKERS = ("", "na", "n/a", "nan", "none", "null", "?", "-")
AGE_RANGE = (0.0, 120.0)
COLUMNS = ("customer_id", "city", "age", "income")
CONTRACT = {"customer_id": "int64", "city": "str", "age": "float64", "income": "float64"}


def _text(column: pd.Series) -> pd.Series:
    """Trimmed text with the missing markers (any case) turned into NaN."""
    text = column.astype("str").str.strip()
    return text.mask(text.str.casefold().isin(MISSING_MARKERS) | text.isna()).astype("str")


def canonical_city(column: pd.Series) -> pd.Series:
    """Map every spelling of a city to its canonical name: trim, collapse inner spaces, compare casefolded.

    ``"  new   YORK "`` -> ``"New York"``, ``"NYC"`` -> ``"New York"`` (an alias); missing stays NaN.
    Raises ValueError naming the spellings that match no city.
    """
    text = _text(column)
    key = text.str.replace(r"\s+", " ", regex=True).str.casefold()  # stays a text column even when all NaN
    lookup = {name.casefold(): name for name in CITIES} | CITY_ALIASES
    cities = key.map(lookup)
    unknown = key.notna() & cities.isna()
    if unknown.any():
        raise ValueError(f"unknown city spelling(s): {sorted(set(column[unknown]))[:5]}")
    return cities.astype("str")


def parse_number(column: pd.Series, name: str) -> pd.Series:
    """Text such as ``" 52,300.50 "`` or ``"41"`` as float64: trim, drop thousands separators, parse.

    Missing markers give NaN; any other text that is not a number raises ValueError naming it.
    """
    text = _text(column).str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & numbers.isna()
    if bad.any():
        raise ValueError(f"column {name!r} holds text that is not a number: {sorted(set(column[bad]))[:5]}")
    return numbers.astype("float64")


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    """The cleaned copy of `raw` described in the module docstring (``CONTRACT``), shape (k, 4), k <= n.

    Steps, in order: parse every column; canonicalize cities; impossible values -> NaN; drop rows equal
    in every column (keep the first); sort by customer_id; renumber rows. Raises ValueError for a
    missing column, an unknown city, unparseable numbers, or a missing / non-integer customer_id.
    """
    if not isinstance(raw, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(raw).__name__}")
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"the raw table lacks the column(s) {missing}")
    ids = parse_number(raw["customer_id"], "customer_id")
    if ids.isna().any() or not np.all(ids == np.round(ids)):
        raise ValueError("every row needs a whole-number customer_id")
    age = parse_number(raw["age"], "age")
    income = parse_number(raw["income"], "income")
    table = pd.DataFrame({
        "customer_id": ids.astype("int64"),
        "city": canonical_city(raw["city"]),
        "age": age.where(age.between(*AGE_RANGE)),  # NaN stays NaN; out-of-range becomes NaN
        "income": income.where(income >= 0),
    })
    table = table.drop_duplicates(keep="first")
    return table.sort_values("customer_id", kind="stable").reset_index(drop=True)
