"""The mini-batch training loop for models built on `aieng.lib.dl`, with a Rich progress bar and a plot of
the learning curves.

One epoch is one pass over the training set in a fresh random order; each mini-batch runs the five steps
every framework repeats:

    logits = model(x_batch)             forward pass, records the graph
    loss = loss_fn(logits, y_batch)     a scalar Tensor: the mean loss of the batch
    optimizer.zero_grad()               gradients accumulate, so clear the previous batch's
    loss.backward()                     the chain rule fills p.grad for every parameter
    optimizer.step()                    p.data -= (a function of) p.grad, in place

The history records, per epoch, the mean of the batch losses and the fraction of training samples the
model got right *in their batch's forward pass* (before that batch's update): both come for free from the
forward passes already made, as Keras reports them. With validation data, the model is also evaluated
after each epoch (eval mode, no graph) on the whole validation set.

The shuffle is reproducible: ``rng = np.random.default_rng(seed)`` is made once, and epoch e visits the
samples in the order of its e-th ``rng.permutation(n)``, cut into consecutive batches of `batch_size`
(the last one may be smaller) — the same batches as ``aieng.lib.dl.data.DataLoader(..., shuffle=True,
rng=seed)``.

Left out: early stopping, checkpoints, learning-rate schedulers (step them yourself between calls),
gradient clipping, metrics other than accuracy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from aieng.lib.dl.data import batch_indices
from aieng.lib.dl.nn import Module
from aieng.lib.dl.tensor import Tensor, no_grad

History = dict[str, list[float]]


def predicted_classes(logits: np.ndarray) -> np.ndarray:
    """Class predictions from logits: argmax over the columns for (N, C) with C > 1; for one logit per
    sample ((N,) or (N, 1)) class 1 where the logit is positive (probability above 1/2)."""
    logits = np.asarray(logits)
    if logits.ndim == 2 and logits.shape[1] > 1:
        return logits.argmax(axis=1)
    return (logits.reshape(len(logits)) > 0).astype(np.int64)


def accuracy(logits: np.ndarray, y: ArrayLike) -> float:
    """The fraction of samples whose predicted class (see `predicted_classes`) equals the label y."""
    y = np.asarray(y)
    return float(np.mean(predicted_classes(logits) == y.reshape(len(y))))


def _check(X: np.ndarray, y: np.ndarray, what: str) -> None:
    if len(X) != len(y):
        raise ValueError(f"{what}: X has {len(X)} samples but y has {len(y)}")
    if len(X) == 0:
        raise ValueError(f"{what}: no samples")


def fit(model: Module, loss_fn: Callable[[Tensor, np.ndarray], Tensor], optimizer: object, X: ArrayLike,
        y: ArrayLike, epochs: int, batch_size: int, seed: int, progress: bool = True,
        X_val: ArrayLike | None = None, y_val: ArrayLike | None = None) -> History:
    """Train `model` by mini-batch gradient descent; return the per-epoch history.

    model: a callable Module mapping a (B, ...) Tensor to logits; loss_fn(logits, y_batch) -> scalar Tensor;
    optimizer: has zero_grad() and step() and was given model.parameters(). X: (n, ...), y: (n,) or
    (n, k). History keys (lists of `epochs` floats): "loss", "accuracy", and with validation data
    "val_loss", "val_accuracy". `progress` shows a Rich progress bar with the latest loss and accuracy.
    Cost: epochs * (one forward and backward pass over the data).

    >>> from aieng.lib.dl import nn, optim, tensor
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]); y = np.array([0, 1, 1, 0])
    >>> model = nn.Sequential(nn.Linear(2, 8, rng=0), nn.Tanh(), nn.Linear(8, 2, rng=1))
    >>> history = fit(model, tensor.cross_entropy, optim.Adam(model.parameters(), lr=0.05), X, y,
    ...               epochs=200, batch_size=4, seed=0, progress=False)
    >>> history["accuracy"][-1]
    1.0
    """
    X, y = np.asarray(X), np.asarray(y)
    _check(X, y, "training data")
    if (X_val is None) != (y_val is None):
        raise ValueError("pass both X_val and y_val, or neither")
    validate = X_val is not None
    if validate:
        X_val, y_val = np.asarray(X_val), np.asarray(y_val)
        _check(X_val, y_val, "validation data")
    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    rng = np.random.default_rng(seed)
    history: History = {"loss": [], "accuracy": []} | ({"val_loss": [], "val_accuracy": []} if validate else {})
    n_batches = -(-len(X) // int(batch_size))
    bar = Progress(TextColumn(f"epoch {{task.fields[epoch]:>{len(str(epochs))}}}/{epochs}"), BarColumn(bar_width=12),
                   TextColumn("loss {task.fields[loss]:.4f} acc {task.fields[acc]:.3f}{task.fields[val]}"),
                   TimeElapsedColumn(), disable=not progress, transient=False)
    with bar:
        task = bar.add_task("train", total=epochs * n_batches, epoch=0, loss=float("nan"), acc=float("nan"), val="")
        for epoch in range(1, epochs + 1):
            model.train()
            losses, correct = [], 0
            for idx in batch_indices(len(X), batch_size, shuffle=True, rng=rng):
                logits = model(Tensor(X[idx]))
                loss = loss_fn(logits, y[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
                correct += int(np.sum(predicted_classes(logits.data) == y[idx].reshape(len(idx))))
                bar.update(task, advance=1, epoch=epoch, loss=losses[-1])
            history["loss"].append(float(np.mean(losses)))
            history["accuracy"].append(correct / len(X))
            shown = ""
            if validate:
                model.eval()
                with no_grad():
                    logits = model(Tensor(X_val))
                    history["val_loss"].append(loss_fn(logits, y_val).item())
                history["val_accuracy"].append(accuracy(logits.data, y_val))
                model.train()
                shown = f" | val loss {history['val_loss'][-1]:.4f} acc {history['val_accuracy'][-1]:.3f}"
            bar.update(task, loss=history["loss"][-1], acc=history["accuracy"][-1], val=shown)
    return history


def plot_history(history: History, path: str | Path) -> Figure:
    """Learning curves: loss per epoch (left) and accuracy per epoch (right), training and validation.

    Epochs are numbered from 1 on the x axis; curves: "train" (history["loss"] / ["accuracy"]) and, when
    present, "validation" (["val_loss"] / ["val_accuracy"]). Saves a PNG to `path` and returns the Figure.
    A validation loss that turns upward while the training loss keeps falling is overfitting.
    """
    if not history.get("loss"):
        raise ValueError("history needs a non-empty 'loss' list")
    fig = Figure(figsize=(10, 4), layout="constrained")
    panels = [("loss", "loss")] + ([("accuracy", "accuracy")] if history.get("accuracy") else [])
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (key, label) in zip(axes, panels, strict=True):
        epochs = np.arange(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], marker=".", label="train")
        if history.get(f"val_{key}"):
            ax.plot(np.arange(1, len(history[f"val_{key}"]) + 1), history[f"val_{key}"], marker=".",
                    label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(label.capitalize())
        ax.grid(alpha=0.3)
        ax.legend()
    fig.savefig(path, dpi=100)
    return fig
