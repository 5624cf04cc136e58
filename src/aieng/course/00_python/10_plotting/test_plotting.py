"""Checks for `plotting`: the returned matplotlib Figure is inspected (its axes, labels, legend and the
data of every line and scatter), never compared as an image."""

import matplotlib

matplotlib.use("Agg")  # no window: the tests only inspect figure objects

import matplotlib.pyplot as plt  # only to check that no figure is left open in pyplot
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.strategies import rngs

losses = st.lists(st.floats(0.01, 10.0), min_size=1, max_size=30)


def _make(function, *args, **kwargs):
    """Call a plotting function; it must return a Figure and leave no new figure open in pyplot."""
    before = set(plt.get_fignums())
    fig = function(*args, **kwargs)
    leaked = set(plt.get_fignums()) - before
    for number in leaked:
        plt.close(number)
    expect(isinstance(fig, Figure), f"{function.__name__} should return a matplotlib Figure, got {type(fig).__name__}")
    expect(not leaked, f"{function.__name__} left {len(leaked)} figure(s) open in pyplot: create the figure with "
                       "matplotlib.figure.Figure(), or plt.close(fig) before returning it")
    return fig


def _single_axes(fig, what):
    expect(len(fig.axes) == 1, f"{what} should have exactly one Axes, it has {len(fig.axes)}")
    return fig.axes[0]


def _legend_texts(ax, what):
    legend = ax.get_legend()
    expect(legend is not None, f"{what} has no legend: call ax.legend() after plotting labelled data")
    return [t.get_text() for t in legend.get_texts()]


@settings(max_examples=15)  # building a figure with a legend takes ~10 ms
@given(losses, st.booleans(), st.data())
def test_plot_losses_draws_one_line_per_curve(impl, train, with_val, data):
    """plot_losses draws train (and validation) loss against epochs 1..n, labelled, with axis labels, title and
    legend."""
    val = data.draw(st.lists(st.floats(0.01, 10.0), min_size=len(train), max_size=len(train)), label="val") \
        if with_val else None
    ax = _single_axes(_make(impl.plot_losses, train, val), "plot_losses")
    lines = {line.get_label(): line for line in ax.get_lines()}
    expected = {"train": train, **({"validation": val} if with_val else {})}
    expect(sorted(lines) == sorted(expected), f"plot_losses should draw lines labelled {sorted(expected)}, "
                                              f"found {sorted(lines)}")
    epochs = np.arange(1, len(train) + 1)
    for label, values in expected.items():
        assert_close(lines[label].get_xydata(), np.column_stack([epochs, values]), rtol=1e-12,
                     what=f"the {label!r} line's (epoch, loss) data")
    expect(ax.get_xlabel() == "epoch", f"the x axis should be labelled 'epoch', got {ax.get_xlabel()!r}")
    expect(ax.get_ylabel() == "loss", f"the y axis should be labelled 'loss', got {ax.get_ylabel()!r}")
    expect(ax.get_title() == "Loss curves", f"the title should be 'Loss curves', got {ax.get_title()!r}")
    expect(sorted(_legend_texts(ax, "plot_losses")) == sorted(expected), "the legend should name every line")
    expect(ax.get_yscale() == "linear", "without log_scale the loss axis should be linear")


def test_plot_losses_log_scale(impl):
    """plot_losses(..., log_scale=True) puts the loss axis on a log scale."""
    ax = _single_axes(_make(impl.plot_losses, [2.0, 1.0, 0.5], [2.5, 1.5, 1.0], log_scale=True), "plot_losses")
    expect(ax.get_yscale() == "log", f"with log_scale=True the y scale should be 'log', got {ax.get_yscale()!r}")


def test_plot_losses_rejects_bad_curves(impl):
    """Empty losses, curves of different lengths, or a log scale with a loss <= 0 raise ValueError."""
    assert_raises_value_error(impl.plot_losses, [], why="there is no epoch to plot")
    assert_raises_value_error(impl.plot_losses, [1.0, 2.0], [1.0], why="2 train epochs but 1 validation epoch")
    assert_raises_value_error(impl.plot_losses, [1.0, 0.0], None, True, why="log(0) is undefined")


@settings(max_examples=15)  # building a figure with a legend takes ~10 ms
@given(rngs(), st.integers(1, 40), st.integers(1, 4))
def test_scatter_classes_draws_each_class_separately(impl, rng, n, n_classes):
    """scatter_classes makes one scatter per class (sorted), holding exactly that class's points, labelled 'class
    <c>'."""
    points = rng.normal(size=(n, 2))
    labels = rng.integers(0, n_classes, size=n)
    ax = _single_axes(_make(impl.scatter_classes, points, labels, "petal length", "petal width", "Iris"),
                      "scatter_classes")
    classes = sorted(set(labels.tolist()))
    scatters = ax.collections
    expect(len(scatters) == len(classes), f"expected one scatter per class ({len(classes)}), found {len(scatters)}")
    for collection, c in zip(scatters, classes, strict=True):
        expect(collection.get_label() == f"class {c}",
               f"the scatters should be labelled in sorted class order; expected 'class {c}', got "
               f"{collection.get_label()!r}")
        assert_close(np.asarray(collection.get_offsets()), points[labels == c], rtol=1e-12,
                     what=f"the offsets of the 'class {c}' scatter")
    expect(_legend_texts(ax, "scatter_classes") == [f"class {c}" for c in classes],
           "the legend should list 'class <c>' for every class, in sorted order")
    expect((ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("petal length", "petal width", "Iris"),
           f"axis labels and title should be the ones given, got {(ax.get_xlabel(), ax.get_ylabel(), ax.get_title())}")


def test_scatter_classes_rejects_bad_shapes(impl):
    """Points that are not (n, 2), or a number of labels different from n, raise ValueError."""
    assert_raises_value_error(impl.scatter_classes, np.ones((4, 3)), np.zeros(4), "x", "y", "t",
                              why="points must have 2 coordinates")
    assert_raises_value_error(impl.scatter_classes, np.ones((4, 2)), np.zeros(3), "x", "y", "t",
                              why="4 points but 3 labels")


@settings(max_examples=15)  # building a figure with a legend takes ~10 ms
@given(losses, st.data())
def test_training_dashboard_has_two_panels(impl, loss, data):
    """training_dashboard shows loss (left) and accuracy (right) against epochs 1..n, accuracy on a [0, 1] axis."""
    accuracy = data.draw(st.lists(st.floats(0.0, 1.0), min_size=len(loss), max_size=len(loss)), label="accuracy")
    fig = _make(impl.training_dashboard, loss, accuracy)
    expect(len(fig.axes) == 2, f"training_dashboard should have two Axes, it has {len(fig.axes)}")
    left, right = sorted(fig.axes, key=lambda ax: ax.get_position().x0)
    expect(left.get_position().x1 <= right.get_position().x0 + 1e-9, "the two panels should sit side by side")
    epochs = np.arange(1, len(loss) + 1)
    for ax, name, values in [(left, "loss", loss), (right, "accuracy", accuracy)]:
        lines = ax.get_lines()
        expect(len(lines) == 1, f"the {name} panel should hold one line, it has {len(lines)}")
        assert_close(lines[0].get_xydata(), np.column_stack([epochs, values]), rtol=1e-12,
                     what=f"the {name} panel's (epoch, {name}) data")
        expect(ax.get_xlabel() == "epoch" and ax.get_ylabel() == name,
               f"the {name} panel should have labels 'epoch' and {name!r}, got {ax.get_xlabel()!r} and "
               f"{ax.get_ylabel()!r}")
    assert_close(right.get_ylim(), (0.0, 1.0), what="get_ylim() of the accuracy panel")


def test_training_dashboard_rejects_mismatched_lengths(impl):
    """A loss and an accuracy curve of different lengths raise ValueError."""
    assert_raises_value_error(impl.training_dashboard, [1.0, 0.5], [0.3], why="2 loss values but 1 accuracy value")
