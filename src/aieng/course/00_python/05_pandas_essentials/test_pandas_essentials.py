"""Checks for `pandas-essentials`: a second implementation path in plain Python (csv.DictReader, sorted,
statistics.median) builds the expected tables, compared with pandas.testing.assert_frame_equal."""

import csv
import io
import math
import statistics

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.frames import assert_frame_matches
from aieng.grader.strategies import rngs

DTYPES = {"run_id": "int64", "model": "str", "lr": "float64", "epochs": "int64", "accuracy": "float64"}
MODELS = ["mlp", "cnn", "gbm", "logreg", "transformer"]


def _random_log(rng, n_rows, extra_column):
    """CSV text of a random training log (columns shuffled, blanks for missing values) and its typed rows."""
    columns = list(DTYPES) + (["seed"] if extra_column else [])
    columns = [columns[i] for i in rng.permutation(len(columns))]
    ids = rng.permutation(np.arange(1, 3 * n_rows + 2))[:n_rows]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for run_id in ids:
        row = {
            "run_id": int(run_id),
            "model": "" if rng.random() < 0.15 else MODELS[rng.integers(len(MODELS))],
            "lr": float(rng.choice([0.1, 0.03, 0.01, 0.003, 0.001])),
            "epochs": int(rng.integers(1, 51)),
            "accuracy": "" if rng.random() < 0.2 else f"{rng.integers(70, 80) / 100:.2f}",  # ties are common
            "seed": int(rng.integers(1000)),
        }
        writer.writerow({c: row[c] for c in columns})
    text = out.getvalue()
    return text, _parse(text)


def _parse(text):
    """The oracle's reading: csv.DictReader, then int/float by hand; a blank field is missing."""
    return [{
        "run_id": int(r["run_id"]),
        "model": r["model"] or None,
        "lr": float(r["lr"]),
        "epochs": int(r["epochs"]),
        "accuracy": float(r["accuracy"]) if r["accuracy"] else math.nan,
    } for r in csv.DictReader(io.StringIO(text))]


def _frame(rows, columns, dtypes=DTYPES):
    """A DataFrame with exactly these columns, in order, each with its dtype (index 0..n-1)."""
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=dtypes[c]) for c in columns})


def _assert_frames(got, expected, what):
    """Columns, dtypes, row count, rows numbered 0..n-1 and values, each failing with its own sentence."""
    assert_frame_matches(got, expected, what, numbered_rows=True)


@given(rngs(), st.integers(0, 15), st.booleans())
def test_load_runs_matches_the_csv_module(impl, rng, n_rows, extra_column):
    """load_runs(text) has the columns run_id, model, lr, epochs, accuracy in that order, typed, blanks as NaN.

    Oracle: csv.DictReader with int() and float() by hand. The file's columns come in a random order,
    sometimes with an extra column 'seed' that must be left out.
    """
    text, rows = _random_log(rng, n_rows, extra_column)
    _assert_frames(impl.load_runs(text), _frame(rows, list(DTYPES)), "load_runs(text)")


def test_load_runs_header_only_keeps_dtypes(impl):
    """A file with a header and no rows gives an empty frame that still has the five dtypes (state them; inference
    guesses object)."""
    text = "run_id,model,lr,epochs,accuracy\n"
    _assert_frames(impl.load_runs(text), _frame([], list(DTYPES)), "load_runs(header only)")


def test_load_runs_rejects_a_missing_column(impl):
    """A file without an 'accuracy' column raises ValueError naming the problem."""
    assert_raises_value_error(impl.load_runs, "run_id,model,lr,epochs\n1,mlp,0.1,3\n",
                              why="the accuracy column is missing")


def _clean(rows):
    """Oracle for clean_runs, in plain Python."""
    kept = [dict(r) for r in rows if r["model"] is not None]
    known = [r["accuracy"] for r in kept if not math.isnan(r["accuracy"])]
    fill = statistics.median(known) if known else math.nan
    for r in kept:
        r["learning_rate"] = r.pop("lr")
        if math.isnan(r["accuracy"]):
            r["accuracy"] = fill
    return kept


CLEAN_COLUMNS = ["run_id", "model", "learning_rate", "epochs", "accuracy"]
CLEAN_DTYPES = {**DTYPES, "learning_rate": "float64"}


@given(rngs(), st.integers(0, 15))
def test_clean_runs_matches_plain_python(impl, rng, n_rows):
    """clean_runs drops runs without a model, fills blank accuracies with the median of the kept runs, renames lr."""
    _, rows = _random_log(rng, n_rows, False)
    runs = _frame(rows, list(DTYPES))
    before = runs.copy()
    got = impl.clean_runs(runs)
    _assert_frames(got, _frame(_clean(rows), CLEAN_COLUMNS, CLEAN_DTYPES), "clean_runs(runs)")
    expect(runs.equals(before), "clean_runs modified the frame it was given: work on a copy")


def test_clean_runs_without_any_accuracy_leaves_nan(impl):
    """If no kept run has an accuracy, there is no median: the blanks stay NaN."""
    rows = [{"run_id": 1, "model": "mlp", "lr": 0.1, "epochs": 3, "accuracy": math.nan},
            {"run_id": 2, "model": None, "lr": 0.1, "epochs": 3, "accuracy": 0.9}]
    got = impl.clean_runs(_frame(rows, list(DTYPES)))
    _assert_frames(got, _frame(_clean(rows), CLEAN_COLUMNS, CLEAN_DTYPES), "clean_runs(runs)")


@given(rngs(), st.integers(0, 15), st.integers(0, 6), st.integers(0, 50))
def test_top_runs_matches_sorted(impl, rng, n_rows, n, min_epochs):
    """top_runs(runs, n, min_epochs) equals sorted(qualifying runs, key=(-accuracy, run_id))[:n], three columns.

    Qualifying: at least min_epochs epochs and a known accuracy. Accuracies take ten values, 0.70 to
    0.79, so ties are common: they are ordered by run_id, smallest first.
    """
    _, rows = _random_log(rng, n_rows, False)
    qualifying = [r for r in rows if r["epochs"] >= min_epochs and not math.isnan(r["accuracy"])]
    best = sorted(qualifying, key=lambda r: (-r["accuracy"], r["run_id"]))[:n]
    got = impl.top_runs(_frame(rows, list(DTYPES)), n, min_epochs)
    _assert_frames(got, _frame(best, ["run_id", "model", "accuracy"]), f"top_runs(runs, {n}, {min_epochs})")


def test_top_runs_breaks_ties_by_run_id(impl):
    """Runs 9, 4 and 6 all at accuracy 0.8 come out as 4, 6, 9, after the 0.9 run and before the 0.7 run."""
    rows = [{"run_id": i, "model": "mlp", "lr": 0.1, "epochs": 5, "accuracy": a}
            for i, a in [(9, 0.8), (4, 0.8), (7, 0.7), (6, 0.8), (1, 0.9)]]
    expected = _frame([rows[i] for i in (4, 1, 3, 0, 2)], ["run_id", "model", "accuracy"])
    _assert_frames(impl.top_runs(_frame(rows, list(DTYPES)), 10), expected, "top_runs(runs, 10)")


def test_top_runs_rejects_bad_arguments(impl):
    """A negative n, or a frame without an epochs column, raises ValueError."""
    rows = [{"run_id": 1, "model": "mlp", "lr": 0.1, "epochs": 3, "accuracy": 0.5}]
    assert_raises_value_error(impl.top_runs, _frame(rows, list(DTYPES)), -1, why="n counts rows: n >= 0")
    assert_raises_value_error(impl.top_runs, _frame(rows, ["run_id", "model", "accuracy"]), 1,
                              why="the epochs column is missing")
