"""A cleaning pipeline for a messy customer export — your implementation.

Replace the `raise NotImplementedError` with code. Check it with `aieng check cleaning-pipeline`.

The raw table has the text columns customer_id, city, age, income (a CSV read with dtype=str).
clean(raw) must return a new table that keeps this contract:

- columns customer_id (int64), city (str), age (float64), income (float64), in that order;
- after trimming spaces, the markers in MISSING_MARKERS (any case) mean "missing": NaN;
- numbers may carry thousands separators ("52,300.50"); text that is neither a number nor a missing
  marker raises ValueError;
- each city spelling maps to one name in CITIES: trim, collapse inner spaces, ignore case, and apply
  CITY_ALIASES; an unknown city raises ValueError;
- impossible values become NaN: age outside [0, 120], income < 0; possible outliers are kept;
- rows equal in every column after cleaning are kept once; rows sorted by customer_id, numbered 0..k-1;
- a missing column, or a missing or non-integer customer_id, raises ValueError;
- the input table is not modified.
"""

from __future__ import annotations

import pandas as pd

CITIES = ("Berlin", "Lyon", "New York", "Oslo", "Porto")
CITY_ALIASES = {"nyc": "New York", "ny": "New York", "new-york": "New York", "berlin city": "Berlin"}
MISSING_MARKERS = ("", "na", "n/a", "nan", "none", "null", "?", "-")


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    """Return the cleaned copy of `raw` (shape (n, 4) -> (k, 4), k <= n) described in the module docstring."""
    raise NotImplementedError
