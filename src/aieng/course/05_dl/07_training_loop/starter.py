"""The training loop — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check training-loop`.
You may use the course engine: `from aieng.lib.dl.tensor import Tensor, no_grad` (and aieng.lib.dl.nn /
aieng.lib.dl.optim / aieng.lib.dl.data if you like).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from rich.progress import Progress  # noqa: F401

from aieng.lib.dl.tensor import Tensor, no_grad  # noqa: F401

History = dict[str, list[float]]


def fit(model: Callable[[Tensor], Tensor], loss_fn: Callable[[Tensor, np.ndarray], Tensor], optimizer: object,
        X: ArrayLike, y: ArrayLike, epochs: int, batch_size: int, seed: int, progress: bool = True,
        X_val: ArrayLike | None = None, y_val: ArrayLike | None = None) -> History:
    """Train `model` by mini-batch gradient descent and return the history.

    - X: (n, features), y: (n,) integer labels; model(Tensor of shape (B, features)) -> logits (B, C);
      loss_fn(logits, y_batch) -> a scalar Tensor (the batch's mean loss); optimizer has zero_grad() and
      step() and already holds the model's parameters. model.train() / model.eval() switch modes.
    - Shuffle: rng = np.random.default_rng(seed) made ONCE; each epoch visits the samples in the order
      rng.permutation(n), cut into consecutive batches of batch_size (the last may be smaller).
    - Per batch: forward, loss, optimizer.zero_grad(), loss.backward(), optimizer.step().
    - history["loss"][e]: the mean of the epoch's batch losses (loss.item() of each batch);
      history["accuracy"][e]: the fraction of the n samples whose argmax logit equalled their label in the
      forward pass of their batch (before that batch's update).
    - With X_val and y_val: after each epoch, in eval mode under no_grad, one forward pass over the whole
      validation set gives history["val_loss"][e] (loss_fn(...).item()) and history["val_accuracy"][e].
    - progress=True shows a Rich progress bar with the latest loss and accuracy; progress=False prints nothing.
    - ValueError if len(X) != len(y), batch_size < 1 or epochs < 1.
    """
    raise NotImplementedError


def plot_history(history: History, path: str | Path) -> Figure:
    """Plot the learning curves and save them as a PNG at `path`; return the Figure.

    Two Axes: y label "loss" (lines history["loss"] and, if present, history["val_loss"]) and y label
    "accuracy" (history["accuracy"], history["val_accuracy"]); x values are the epochs 1, 2, ..., E and
    the x label is "epoch". Use matplotlib.figure.Figure (not pyplot) and fig.savefig(path).
    """
    raise NotImplementedError
