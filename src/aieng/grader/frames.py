"""Comparing DataFrames with feedback a learner can act on.

`pandas.testing.assert_frame_equal` alone answers a wrong column order, a wrong dtype or a leftover
index with one dense paragraph. `assert_frame_matches` first checks, one at a time and each with its
own sentence, what learners most often get wrong:

1. the result is a DataFrame at all;
2. the columns, by name and in order;
3. each column's dtype (int64 vs float64, str vs object);
4. the rows: either numbered 0..k-1 (`numbered_rows=True`, for a result that should have been
   `reset_index(drop=True)`) or labelled exactly like the expected table (a pivot's store names);

and then the values with assert_frame_equal (relative tolerance 1e-12 for floats), its report
relabelled [got] / [expected] and followed by the first rows of both tables.

    assert_frame_matches(impl.load_runs(text), expected, "load_runs(text)", numbered_rows=True)

pandas is imported inside the function, so exercises without DataFrames do not pay for it.
"""

from __future__ import annotations

from typing import Any

from aieng.grader.assertions import expect


def assert_frame_matches(got: Any, expected: Any, what: str, *, numbered_rows: bool = False, rtol: float = 1e-12,
                         check_column_type: bool | str = "equiv", **options: Any) -> None:
    """Assert that DataFrame `got` equals `expected`: columns, dtypes, rows, then values within `rtol`.

    `what` names the call in every message ("top_runs(runs, 3) has columns [...]"). With
    `numbered_rows` the row count is checked and the index must be 0..k-1; otherwise the row labels
    must equal `expected`'s. `check_column_type` and `options` go to pandas.testing.assert_frame_equal
    (which always runs with check_exact=False and check_index_type=False: a RangeIndex and an Index of
    the same numbers are the same rows).
    """
    import pandas as pd

    expect(isinstance(got, pd.DataFrame), f"{what} should return a pandas DataFrame, got {type(got).__name__}")
    expect(list(got.columns) == list(expected.columns),
           f"{what} has columns {list(got.columns)}, expected {list(expected.columns)} in that order")
    for column in expected.columns:
        expect(got[column].dtype == expected[column].dtype,
               f"{what}: column {column!r} has dtype {got[column].dtype}, expected {expected[column].dtype}")
    if numbered_rows:
        expect(len(got) == len(expected), f"{what} has {len(got)} rows, expected {len(expected)}")
        expect(list(got.index) == list(range(len(got))),
               f"{what} has index {list(got.index)[:10]}...; number the rows 0..k-1 (reset_index(drop=True))")
    else:
        expect(list(got.index) == list(expected.index),
               f"{what} has row labels {list(got.index)[:10]}, expected {list(expected.index)[:10]}")
    try:
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=rtol, check_index_type=False,
                                      check_column_type=check_column_type, **options)
    except AssertionError as exc:
        detail = str(exc).replace("[left]", "[got]").replace("[right]", "[expected]")
        raise AssertionError(f"{what} differs from the expected table: {detail}\n"
                             f"expected:\n{expected.head(8)}\ngot:\n{got.head(8)}") from None
