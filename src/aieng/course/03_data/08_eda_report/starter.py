"""An EDA report: a summary table and three plots written to PNG files — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check eda-report`.

Numeric columns are the numeric, non-boolean ones, in table order. Build figures with
matplotlib.figure.Figure (not pyplot), save them into `out_dir` (an existing directory, else
ValueError) and return them. A table without numeric columns cannot be plotted: ValueError.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per column of `df` (index = column names, in order) with the columns, in this order:

    count, missing (int64), mean, std (ddof=1), min, 25%, 50%, 75%, max (float64; the numbers of
    DataFrame.describe, NaN for non-numeric columns), dtype (str(df[c].dtype)).
    Raise ValueError if `df` is not a DataFrame.
    """
    raise NotImplementedError


def plot_histograms(df: pd.DataFrame, out_dir: str | Path, bins: int = 20) -> Figure:
    """One Axes per numeric column (no empty cells), grid of up to 3 per row; save out_dir/histograms.png.

    Each Axes: histogram of the non-missing values with `bins` bins, title = x label = column name,
    y label "count".
    """
    raise NotImplementedError


def plot_boxplots(df: pd.DataFrame, out_dir: str | Path) -> Figure:
    """A single Axes with one box per numeric column (missing values dropped), x tick labels = column
    names, y label "value", title "Box plots"; save out_dir/boxplots.png."""
    raise NotImplementedError


def plot_correlation_heatmap(df: pd.DataFrame, out_dir: str | Path) -> Figure:
    """imshow of the numeric columns' Pearson correlation matrix (p x p) with vmin=-1, vmax=1, column names
    as x and y tick labels, title "Correlation" and a colour bar; save out_dir/correlation.png."""
    raise NotImplementedError
