"""pandas essentials: read a CSV into a typed DataFrame, then select, filter, rename, sort and fill.

A ``DataFrame`` is a table of named columns, each a ``Series`` with one dtype, sharing a row index.
The habits that keep table code correct:

- state the dtypes when reading (``dtype=``): inference guesses, and guesses differently on an empty
  file or a column that happens to hold only blanks;
- decide what "missing" means (``na_values``): by default pandas also reads "NA", "null", "nan" and a
  dozen other strings as missing;
- filter with boolean masks, combine them with ``&`` and ``|``; sort on several keys for stable,
  reproducible order; ``reset_index(drop=True)`` after filtering so rows are numbered 0..k-1 again.

The running example is a log of training runs: ``run_id, model, lr, epochs, accuracy``, where a run
that crashed has no accuracy and a badly logged one has no model. Left out: dates, categoricals,
MultiIndex, reading in chunks.
"""

from __future__ import annotations

import io

import pandas as pd

RUN_COLUMNS = {"run_id": "int64", "model": "str", "lr": "float64", "epochs": "int64", "accuracy": "float64"}


def _require(present: pd.Index, needed: list[str], what: str) -> None:
    """ValueError naming every column of `needed` that is not in `present`."""
    missing = [c for c in needed if c not in present]
    if missing:
        raise ValueError(f"{what} needs the column(s) {', '.join(missing)}; got {', '.join(map(str, present))}")


def load_runs(text: str) -> pd.DataFrame:
    """Parse CSV `text` with a header into the five run columns, in the order of RUN_COLUMNS, typed.

    Columns may come in any order and extra columns are dropped; only an empty field counts as missing
    (so a model called "NA" stays a model). Dtypes: run_id and epochs int64, model str, lr and accuracy
    float64. A header with no rows gives an empty frame with the same dtypes. Cost: O(size of text).

    >>> load_runs("model,run_id,lr,epochs,accuracy\\nmlp,7,0.01,10,\\n").dtypes.to_dict()["accuracy"]
    dtype('float64')
    """
    header = pd.read_csv(io.StringIO(text), nrows=0).columns  # raises EmptyDataError (a ValueError) on ""
    _require(header, list(RUN_COLUMNS), "load_runs")
    frame = pd.read_csv(io.StringIO(text), usecols=list(RUN_COLUMNS), dtype=RUN_COLUMNS,
                        keep_default_na=False, na_values=[""])
    return frame[list(RUN_COLUMNS)]


def clean_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Drop runs without a model, fill missing accuracies with the median of the others, rename lr.

    The median is taken over the known accuracies of the rows that are kept (``Series.median`` skips
    NaN); if none is known the NaNs stay. Column ``lr`` becomes ``learning_rate``; the index is reset to
    0..k-1; the input frame is not modified. Cost: O(n log n) for the median.

    >>> runs = load_runs("run_id,model,lr,epochs,accuracy\\n1,mlp,0.1,5,0.8\\n2,,0.1,5,0.9\\n3,cnn,0.1,5,\\n")
    >>> clean_runs(runs)["accuracy"].tolist()
    [0.8, 0.8]
    """
    _require(runs.columns, ["model", "lr", "accuracy"], "clean_runs")
    kept = runs[runs["model"].notna()]
    filled = kept.assign(accuracy=kept["accuracy"].fillna(kept["accuracy"].median()))
    return filled.rename(columns={"lr": "learning_rate"}).reset_index(drop=True)


def top_runs(runs: pd.DataFrame, n: int, min_epochs: int = 0) -> pd.DataFrame:
    """The `n` most accurate runs with at least `min_epochs` epochs: columns run_id, model, accuracy.

    Runs without an accuracy are left out. Sorted by accuracy, highest first; equal accuracies by
    run_id, smallest first. Fewer than `n` qualifying runs give them all. Index 0..k-1.
    Cost: O(m log m) for the m qualifying runs.
    """
    _require(runs.columns, ["run_id", "model", "epochs", "accuracy"], "top_runs")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    qualifying = runs[(runs["epochs"] >= min_epochs) & runs["accuracy"].notna()]
    ordered = qualifying.sort_values(["accuracy", "run_id"], ascending=[False, True])
    return ordered[["run_id", "model", "accuracy"]].head(n).reset_index(drop=True)
