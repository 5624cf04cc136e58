"""Checks for `eda-report`: the summary's numbers against pandas.DataFrame.describe, count and isna; the plots
by inspecting the returned matplotlib Figures (axes, labels, titles, bar heights against numpy.histogram, the
heat-map's data against DataFrame.corr) and the PNG files written under pytest's temporary directory."""

import matplotlib

matplotlib.use("Agg")  # no window: the tests only inspect figure objects and files

import matplotlib.pyplot as plt  # only to check that no figure is left open in pyplot
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.frames import assert_frame_matches
from aieng.grader.strategies import rngs

STATS = ["mean", "std", "min", "25%", "50%", "75%", "max"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _table(rng, n, n_numeric):
    """A random table: float columns with some NaN (one correlated with another), an int column, a text column."""
    data = {}
    base = rng.normal(size=n)
    for j in range(n_numeric):
        col = rng.normal(loc=rng.uniform(-5, 5), scale=rng.uniform(0.5, 3), size=n)
        if j == 1:
            col = 2.0 * base + 0.3 * col
        if j == 0:
            col = base
        col[rng.random(n) < 0.1] = np.nan
        data[f"x{j}"] = col
    data["count"] = rng.integers(0, 50, size=n)
    data["city"] = pd.Series(rng.choice(["oslo", "lyon", None], size=n), dtype="str")
    return pd.DataFrame(data)


def _make(function, *args, **kwargs):
    """Call a plot function; it must return a Figure and leave no new figure open in pyplot."""
    before = set(plt.get_fignums())
    fig = function(*args, **kwargs)
    leaked = set(plt.get_fignums()) - before
    for number in leaked:
        plt.close(number)
    expect(isinstance(fig, Figure), f"{function.__name__} should return a matplotlib Figure, got {type(fig).__name__}")
    expect(not leaked, f"{function.__name__} left {len(leaked)} figure(s) open in pyplot: build it with "
                       "matplotlib.figure.Figure()")
    return fig


def _png(path, what):
    expect(path.is_file(), f"{what} should write {path.name} into the directory it is given; no such file")
    expect(path.read_bytes()[:8] == PNG_MAGIC, f"{path.name} is not a PNG image (save with fig.savefig(path))")


@settings(max_examples=20)  # describe() on a fresh frame per example
@given(rngs(), st.integers(2, 40), st.integers(1, 4))
def test_summary_table_matches_describe(impl, rng, n, n_numeric):
    """summary_table has one row per column with count and missing (int64), the statistics of DataFrame.describe()
    (float64; NaN for the text column) and the dtype as a string."""
    df = _table(rng, n, n_numeric)
    described = df.describe().T.reindex(df.columns)
    expected = pd.DataFrame({"count": df.count().astype("int64"), "missing": df.isna().sum().astype("int64")},
                            index=df.columns)
    for stat in STATS:
        expected[stat] = described[stat].astype("float64")
    expected["dtype"] = pd.Series([str(df[c].dtype) for c in df.columns], index=df.columns, dtype="str")
    assert_frame_matches(impl.summary_table(df), expected, "summary_table(df)", rtol=1e-9, check_column_type=False)


def test_histograms_one_labelled_axes_per_numeric_column(impl, tmp_path):
    """plot_histograms draws, per numeric column, an Axes titled and x-labelled with the column and y-labelled
    'count', whose bar heights are numpy.histogram of the non-missing values; it writes histograms.png."""
    df = _table(np.random.default_rng(0), 60, 4)
    fig = _make(impl.plot_histograms, df, tmp_path, bins=12)
    numeric = ["x0", "x1", "x2", "x3", "count"]
    expect(len(fig.axes) == len(numeric), f"expected {len(numeric)} Axes (one per numeric column, none for 'city' and "
                                          f"no empty grid cells), got {len(fig.axes)}")
    by_title = {ax.get_title(): ax for ax in fig.axes}
    expect(sorted(by_title) == sorted(numeric), f"Axes titles {sorted(by_title)}, expected {sorted(numeric)}")
    for column in numeric:
        ax = by_title[column]
        expect(ax.get_xlabel() == column, f"the {column!r} histogram has x label {ax.get_xlabel()!r}")
        expect(ax.get_ylabel() == "count",
               f"the {column!r} histogram has y label {ax.get_ylabel()!r}, expected 'count'")
        heights = [p.get_height() for p in ax.patches]
        want, _ = np.histogram(df[column].dropna().to_numpy(), bins=12)
        assert_close(heights, want, what=f"bar heights of the {column!r} histogram (bins=12)")
    _png(tmp_path / "histograms.png", "plot_histograms")


def test_boxplots_one_box_per_numeric_column(impl, tmp_path):
    """plot_boxplots draws one Axes titled 'Box plots', y-labelled 'value', with one box per numeric column named on
    the x axis and a median line at each column's median (NaN left out); it writes boxplots.png."""
    df = _table(np.random.default_rng(1), 50, 3)
    fig = _make(impl.plot_boxplots, df, tmp_path)
    expect(len(fig.axes) == 1, f"expected a single Axes, got {len(fig.axes)}")
    ax = fig.axes[0]
    expect(ax.get_title() == "Box plots", f"title is {ax.get_title()!r}, expected 'Box plots'")
    expect(ax.get_ylabel() == "value", f"y label is {ax.get_ylabel()!r}, expected 'value'")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    numeric = ["x0", "x1", "x2", "count"]
    expect(labels == numeric, f"x tick labels {labels}, expected {numeric}")
    flat = [line.get_ydata() for line in ax.lines if len(line.get_ydata()) == 2]
    for column in numeric:
        median = float(np.median(df[column].dropna()))
        expect(any(np.allclose(y, median) for y in flat), f"no median line at {median:.4g} for {column!r}: drop the "
                                                          "NaN before plotting (a box of data with NaN is empty)")
    _png(tmp_path / "boxplots.png", "plot_boxplots")


def test_heatmap_shows_dataframe_corr(impl, tmp_path):
    """plot_correlation_heatmap shows DataFrame.corr() of the numeric columns as an image with colour limits -1 and 1,
    column names as tick labels on both axes, title 'Correlation' and a colour bar; it writes correlation.png."""
    df = _table(np.random.default_rng(2), 80, 3)
    fig = _make(impl.plot_correlation_heatmap, df, tmp_path)
    expect(len(fig.axes) == 2, f"expected 2 Axes (the heat-map and its colour bar), got {len(fig.axes)}")
    with_image = [ax for ax in fig.axes if ax.images]
    expect(len(with_image) >= 1, "no Axes holds an image: draw the matrix with ax.imshow")
    ax = next((a for a in with_image if a.get_title() == "Correlation"), with_image[0])
    expect(ax.get_title() == "Correlation", f"the heat-map's title is {ax.get_title()!r}, expected 'Correlation'")
    corr = df.corr(numeric_only=True)
    assert_close(np.asarray(ax.images[0].get_array()), corr.to_numpy(), rtol=1e-9, what="the heat-map's data")
    expect(tuple(ax.images[0].get_clim()) == (-1.0, 1.0), f"colour limits {ax.images[0].get_clim()}, expected (-1, 1): "
                                                          "pass vmin=-1, vmax=1 so 0 always has the same colour")
    names = list(corr.columns)
    for axis, ticks in (("x", ax.get_xticklabels()), ("y", ax.get_yticklabels())):
        expect([t.get_text() for t in ticks] == names, f"{axis} tick labels {[t.get_text() for t in ticks]}, "
                                                       f"expected {names}")
    _png(tmp_path / "correlation.png", "plot_correlation_heatmap")


def test_bad_input_raises_value_error(impl, tmp_path):
    """A table without numeric columns, a directory that does not exist, or something that is not a DataFrame raise
    ValueError."""
    text_only = pd.DataFrame({"city": ["oslo", "lyon"]})
    assert_raises_value_error(impl.plot_histograms, text_only, tmp_path, why="there is no numeric column to plot")
    assert_raises_value_error(impl.plot_correlation_heatmap, text_only, tmp_path, why="no numeric column")
    df = _table(np.random.default_rng(3), 10, 2)
    assert_raises_value_error(impl.plot_boxplots, df, tmp_path / "missing", why="the output directory must exist")
    assert_raises_value_error(impl.summary_table, np.zeros((3, 2)), why="summary_table expects a DataFrame")
