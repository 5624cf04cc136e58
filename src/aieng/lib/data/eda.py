"""A small exploratory-data-analysis (EDA) report: a summary table and three kinds of plot written to PNG.

- ``summary_table``: one row per column with count, missing, mean, std, min, quartiles, max and dtype
  (the numbers are those of ``DataFrame.describe``; non-numeric columns get NaN statistics).
- ``plot_histograms``: one histogram per numeric column, in a grid, saved as ``histograms.png``.
- ``plot_boxplots``: one box per numeric column on shared axes, saved as ``boxplots.png``.
- ``plot_correlation_heatmap``: the Pearson correlation matrix as an image with a colour bar from -1 to 1,
  saved as ``correlation.png``.

All figures are built with matplotlib's object-oriented API (``matplotlib.figure.Figure``), never pyplot,
so nothing is registered in a global figure manager and no window opens: this works on a server with
the Agg backend. Every plot function returns its Figure so a caller (or a test) can inspect it.

Left out: categorical plots (bar charts of counts), pair plots, interactive output, HTML reports.
Cost: O(n * p) for the statistics, O(n * p^2) for the correlations, plus rendering.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

STATISTICS = ["mean", "std", "min", "25%", "50%", "75%", "max"]


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(df).__name__}")
    return df


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Names of the numeric, non-boolean columns of `df`, in table order (booleans are flags, not measurements)."""
    return [c for c in _frame(df).columns
            if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def _numeric(df: pd.DataFrame) -> pd.DataFrame:
    columns = numeric_columns(df)
    if not columns:
        raise ValueError("the table has no numeric column to plot")
    return df[columns]


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per column of `df` (index = column names, in order) with the columns

    ``count`` and ``missing`` (int64: non-missing and missing values), ``mean``, ``std`` (ddof = 1),
    ``min``, ``25%``, ``50%``, ``75%``, ``max`` (float64, NaN for a non-numeric column) and ``dtype``
    (the column's dtype as a string). Quartiles use linear interpolation, as ``describe`` does.

    >>> summary_table(pd.DataFrame({"x": [1.0, 2.0, None], "s": ["a", "b", "c"]}))[["count", "missing", "mean"]]
       count  missing  mean
    x      2        1   1.5
    s      3        0   NaN
    """
    df = _frame(df)
    numbers = df[numeric_columns(df)]
    stats = pd.DataFrame({
        "mean": numbers.mean(), "std": numbers.std(), "min": numbers.min(),
        "25%": numbers.quantile(0.25), "50%": numbers.quantile(0.5), "75%": numbers.quantile(0.75),
        "max": numbers.max(),
    }, index=numbers.columns, dtype="float64") if len(numbers.columns) else pd.DataFrame(columns=STATISTICS)
    table = pd.DataFrame({"count": df.count().astype("int64"), "missing": df.isna().sum().astype("int64")},
                         index=df.columns)
    table = table.join(stats.astype("float64"), how="left")
    table["dtype"] = pd.Series([str(df[c].dtype) for c in df.columns], index=df.columns, dtype="str")
    return table


def _save(fig: Figure, out_dir: str | Path, name: str) -> Path:
    out = Path(out_dir)
    if not out.is_dir():
        raise ValueError(f"{out} is not an existing directory")
    path = out / name
    fig.savefig(path, dpi=80)
    return path


def plot_histograms(df: pd.DataFrame, out_dir: str | Path, bins: int = 20) -> Figure:
    """One histogram per numeric column (missing values left out), saved to ``out_dir/histograms.png``.

    The grid has ``ceil(p / 3)`` rows of up to 3 Axes (unused cells removed). Each Axes is titled with its
    column, its x axis labelled with the column name and its y axis ``"count"``; the bar heights are
    ``np.histogram(values, bins)``. The figure's suptitle is ``"Histograms"``.
    """
    numbers = _numeric(_frame(df))
    if bins < 1:
        raise ValueError(f"bins must be a positive integer, got {bins}")
    p = numbers.shape[1]
    n_rows, n_cols = math.ceil(p / 3), min(p, 3)
    fig = Figure(figsize=(4 * n_cols, 3 * n_rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(n_rows, n_cols, squeeze=False).ravel())
    for ax, column in zip(axes, numbers.columns, strict=False):
        ax.hist(numbers[column].dropna().to_numpy(), bins=bins)
        ax.set_title(column)
        ax.set_xlabel(column)
        ax.set_ylabel("count")
    for ax in axes[p:]:
        ax.remove()
    fig.suptitle("Histograms")
    _save(fig, out_dir, "histograms.png")
    return fig


def plot_boxplots(df: pd.DataFrame, out_dir: str | Path) -> Figure:
    """One box per numeric column on a single Axes (missing values left out), saved to ``out_dir/boxplots.png``.

    The x tick labels are the column names, the y axis is labelled ``"value"`` and the title is
    ``"Box plots"``. A box spans the quartiles, the line inside is the median, whiskers reach the last
    points within 1.5 IQR, and points beyond are drawn as fliers.
    """
    numbers = _numeric(_frame(df))
    fig = Figure(figsize=(1.5 * numbers.shape[1] + 2, 4), layout="constrained")
    ax = fig.add_subplot()
    ax.boxplot([numbers[c].dropna().to_numpy() for c in numbers.columns], tick_labels=list(numbers.columns))
    ax.set_ylabel("value")
    ax.set_title("Box plots")
    _save(fig, out_dir, "boxplots.png")
    return fig


def plot_correlation_heatmap(df: pd.DataFrame, out_dir: str | Path) -> Figure:
    """The Pearson correlation matrix of the numeric columns as a heat-map, saved to ``out_dir/correlation.png``.

    One image (``imshow``) of the p x p matrix ``df.corr(numeric_only=True)`` with a diverging colour map
    fixed to [-1, 1] (so 0 is always the same colour), a colour bar (a second Axes), the column names
    as tick labels on both axes and the title ``"Correlation"``.
    """
    numbers = _numeric(_frame(df))
    corr = numbers.corr().to_numpy()
    p = corr.shape[0]
    fig = Figure(figsize=(0.7 * p + 3, 0.7 * p + 2.5), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(corr, cmap="coolwarm", vmin=-1.0, vmax=1.0)
    ax.set_xticks(range(p), labels=list(numbers.columns), rotation=45, ha="right")
    ax.set_yticks(range(p), labels=list(numbers.columns))
    ax.set_title("Correlation")
    fig.colorbar(image, ax=ax, label="Pearson r")
    _save(fig, out_dir, "correlation.png")
    return fig
