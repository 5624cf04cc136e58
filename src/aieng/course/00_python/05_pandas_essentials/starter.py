"""pandas essentials — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check pandas-essentials`.

A training log is a CSV file with (at least) these columns, in any order:
    run_id    int     unique id of the run
    model     text    may be blank (the run was logged badly)
    lr        float   learning rate
    epochs    int
    accuracy  float   may be blank (the run crashed)
"""

from __future__ import annotations

import io  # noqa: F401  (io.StringIO turns a string into a file pandas can read)

import pandas as pd


def load_runs(text: str) -> pd.DataFrame:
    """Parse the CSV `text` into a DataFrame with exactly the columns run_id, model, lr, epochs, accuracy.

    - Columns in that order, whatever their order in the file; other columns are left out.
    - Dtypes: run_id and epochs 'int64', model 'str', lr and accuracy 'float64'; also for a file
      with a header and no rows.
    - A blank field is missing: NaN in model and accuracy. Nothing else counts as missing.
    - Raise ValueError if one of the five columns is absent from the header.
    """
    raise NotImplementedError


def clean_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Return a cleaned copy of a frame shaped like load_runs' output.

    - Drop the rows whose model is missing.
    - Fill each missing accuracy with the median of the known accuracies of the rows you kept
      (if there is none, leave NaN).
    - Rename column 'lr' to 'learning_rate' (same place, same dtype); number the rows 0..k-1.
    - Do not modify `runs` itself.
    """
    raise NotImplementedError


def top_runs(runs: pd.DataFrame, n: int, min_epochs: int = 0) -> pd.DataFrame:
    """Return the `n` most accurate runs that trained for at least `min_epochs` epochs.

    - Leave out runs without an accuracy. Fewer than n qualifying runs: return them all.
    - Columns run_id, model, accuracy (dtypes as in load_runs); rows numbered 0..k-1.
    - Order: accuracy from highest to lowest; equal accuracies by run_id, smallest first.
    - Raise ValueError if n < 0 or a needed column (run_id, model, epochs, accuracy) is absent.
    """
    raise NotImplementedError
