"""Plotting with matplotlib's object-oriented API: build Figure objects, do not draw on global state.

A ``Figure`` is the whole canvas; it holds one or more ``Axes`` (a plot area with its x and y axis);
each Axes holds artists: ``Line2D`` objects from ``ax.plot``, a ``PathCollection`` from ``ax.scatter``,
a legend, a title, axis labels. Functions that take data and *return* a Figure can be tested (inspect the
artists), saved (``fig.savefig``) and shown anywhere, and they leave no global state behind. Creating
``matplotlib.figure.Figure()`` directly, rather than through ``pyplot``, means the figure is not
registered in pyplot's list of open windows, so a thousand calls do not leak a thousand figures.

Implements: a training curve (train and validation loss per epoch, optional log scale), a scatter plot
of 2-D points coloured by class, and a two-panel dashboard of loss and accuracy. Left out: styling,
colour maps, interactive backends, image comparison.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike


def _curve(values: ArrayLike, name: str) -> np.ndarray:
    """A non-empty 1-D float array of per-epoch values, or a ValueError naming `name`."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {values.shape}")
    return values


def plot_losses(train_loss: ArrayLike, val_loss: ArrayLike | None = None, log_scale: bool = False) -> Figure:
    """A Figure with one Axes: the loss per epoch (epochs 1..n on x), train and optionally validation.

    Lines are labelled "train" and "validation"; the axes "epoch" and "loss"; the title "Loss curves";
    a legend names the lines. ``log_scale`` puts the loss axis on a log scale, where steady exponential
    decrease is a straight line (and every loss must be positive).
    """
    train = _curve(train_loss, "train_loss")
    curves = {"train": train}
    if val_loss is not None:
        val = _curve(val_loss, "val_loss")
        if val.size != train.size:
            raise ValueError(f"val_loss has {val.size} epochs, train_loss has {train.size}")
        curves["validation"] = val
    if log_scale and any(np.any(c <= 0) for c in curves.values()):
        raise ValueError("a log scale needs positive losses")
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    epochs = np.arange(1, train.size + 1)
    for label, values in curves.items():
        ax.plot(epochs, values, label=label, marker="o" if train.size < 20 else None)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Loss curves")
    if log_scale:
        ax.set_yscale("log")
    ax.legend()
    return fig


def scatter_classes(points: ArrayLike, labels: ArrayLike, xlabel: str, ylabel: str, title: str) -> Figure:
    """A Figure with one Axes: the 2-D `points` (n, 2), one scatter (one colour) per class label.

    Classes are drawn in sorted order, each labelled "class <label>" in the legend, so the legend reads
    as a key to the colours. Axis labels and title as given.
    """
    points = np.asarray(points, dtype=np.float64)
    labels = np.asarray(labels)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    if labels.shape != (points.shape[0],):
        raise ValueError(f"labels must have shape ({points.shape[0]},), got {labels.shape}")
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    for label in np.unique(labels):  # sorted
        mine = points[labels == label]
        ax.scatter(mine[:, 0], mine[:, 1], label=f"class {label}", s=16)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return fig


def training_dashboard(loss: ArrayLike, accuracy: ArrayLike) -> Figure:
    """A Figure with two Axes side by side: loss per epoch on the left, accuracy per epoch on the right.

    Both x axes are labelled "epoch" and show epochs 1..n; the y axes "loss" and "accuracy"; the
    accuracy axis spans [0, 1], so the eye reads it as a proportion rather than a zoomed-in wiggle.
    """
    loss = _curve(loss, "loss")
    accuracy = _curve(accuracy, "accuracy")
    if loss.size != accuracy.size:
        raise ValueError(f"loss has {loss.size} epochs, accuracy has {accuracy.size}")
    fig = Figure(figsize=(10, 4))
    left, right = fig.subplots(1, 2)
    epochs = np.arange(1, loss.size + 1)
    left.plot(epochs, loss)
    left.set_ylabel("loss")
    right.plot(epochs, accuracy)
    right.set_ylabel("accuracy")
    right.set_ylim(0.0, 1.0)
    for ax in (left, right):
        ax.set_xlabel("epoch")
    fig.suptitle("Training")
    return fig
