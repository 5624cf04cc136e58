"""Plotting with matplotlib figures — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check plotting`.
Use the object-oriented API: create `Figure()` objects, draw on their Axes and return the figure.
Do not leave figures open in pyplot (plt.figure / plt.subplots register them; Figure() does not).
"""

from __future__ import annotations

import numpy as np  # noqa: F401
from matplotlib.figure import Figure
from numpy.typing import ArrayLike


def plot_losses(train_loss: ArrayLike, val_loss: ArrayLike | None = None, log_scale: bool = False) -> Figure:
    """Return a Figure with one Axes showing the loss per epoch; epochs are 1, 2, ..., n on the x axis.

    - A line labelled "train" for train_loss and, if given, one labelled "validation" for val_loss.
    - x label "epoch", y label "loss", title "Loss curves", and a legend.
    - log_scale=True sets the y axis to a log scale.
    - Raise ValueError if train_loss is empty, val_loss has a different length, or log_scale is
      requested while a loss is <= 0.
    """
    raise NotImplementedError


def scatter_classes(points: ArrayLike, labels: ArrayLike, xlabel: str, ylabel: str, title: str) -> Figure:
    """Return a Figure with one Axes: a scatter plot of `points` (n, 2), one ax.scatter call per class.

    - Classes in sorted order; the scatter of class c holds exactly the points with labels == c and
      is labelled f"class {c}"; add a legend.
    - Axis labels and title as given.
    - Raise ValueError if points is not of shape (n, 2) or labels is not of shape (n,).
    """
    raise NotImplementedError


def training_dashboard(loss: ArrayLike, accuracy: ArrayLike) -> Figure:
    """Return a Figure with two Axes side by side: loss per epoch (left) and accuracy per epoch (right).

    - Each Axes has one line against epochs 1..n, x label "epoch" and y label "loss" / "accuracy".
    - The accuracy axis spans exactly 0 to 1 (set_ylim).
    - Raise ValueError if a curve is empty or the two lengths differ.
    """
    raise NotImplementedError
