"""Checks for `training-loop`: your loop drives models built with the course engine (aieng.lib.dl.nn) and
an optimizer written plainly in this file; the oracle is torch, given the same initial weights and the same
mini-batches, plus scikit-learn's data sets and accuracies computed here.

In float64 every step of your loop and of torch's does the same arithmetic up to the order of a few sums,
so per-epoch losses, accuracies and final weights must agree to a relative 1e-9 after a few epochs (about
1e-16 per operation, amplified by at most a few hundred steps of a smooth map).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported
from aieng.grader.torch_oracle import as_torch
from aieng.lib.dl import nn
from aieng.lib.dl import tensor as engine

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


class PlainSGD:
    """w <- w - lr * (momentum buffer): torch.optim.SGD's rule, written out (buffer starts at the first grad)."""

    def __init__(self, params, lr: float, momentum: float = 0.0) -> None:
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.buffers = [None] * len(self.params)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad
            if self.momentum:
                self.buffers[i] = g.copy() if self.buffers[i] is None else self.momentum * self.buffers[i] + g
                g = self.buffers[i]
            p.data -= self.lr * g


def mlp(sizes: list[int], seed: int) -> tuple[nn.Sequential, torch.nn.Sequential]:
    """The same tanh MLP on the course engine and in torch (float64), torch's weights copied from ours."""
    ours, theirs = [], []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        ours.append(nn.Linear(a, b, rng=seed + i))
        theirs.append(torch.nn.Linear(a, b, dtype=torch.float64))
        if i < len(sizes) - 2:
            ours.append(nn.Tanh())
            theirs.append(torch.nn.Tanh())
    model, twin = nn.Sequential(*ours), torch.nn.Sequential(*theirs)
    nn.copy_state_to_torch(model, twin)
    return model, twin


def cross_entropy(logits, y):
    return engine.cross_entropy(logits, y)


def torch_replay(twin, X, y, epochs, batch_size, seed, lr, momentum):
    """torch's training with the mini-batches the contract prescribes; returns its per-epoch losses and
    accuracies (each batch's forward pass, before its update). The update is torch.optim.SGD's rule, applied
    by hand (constructing torch.optim.SGD takes seconds the first time)."""
    rng = np.random.default_rng(seed)
    params = list(twin.parameters())
    buffers = [None] * len(params)

    def step():
        with torch.no_grad():
            for i, p in enumerate(params):
                buffers[i] = p.grad.clone() if buffers[i] is None else momentum * buffers[i] + p.grad
                p -= lr * buffers[i]
                p.grad = None

    losses, accuracies = [], []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        batch_losses, correct = [], 0
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            logits = twin(as_torch(X[idx]))
            loss = torch.nn.functional.cross_entropy(logits, as_torch(y[idx]))
            loss.backward()
            step()
            batch_losses.append(loss.item())
            correct += int((logits.argmax(dim=1).numpy() == y[idx]).sum())
        losses.append(float(np.mean(batch_losses)))
        accuracies.append(correct / len(X))
    return losses, accuracies


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=600, noise=0.15, random_state=0)
    return train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


def check_history(history, epochs: int, validation: bool) -> None:
    expect(isinstance(history, dict), f"fit should return the history dict, got {type(history).__name__}")
    keys = ["loss", "accuracy"] + (["val_loss", "val_accuracy"] if validation else [])
    for key in keys:
        expect(key in history, f"the history has no {key!r} key (keys: {sorted(history)})")
        expect(len(history[key]) == epochs, f"history[{key!r}] should hold one number per epoch ({epochs}), "
                                            f"got {len(history[key])}")


def test_epoch_losses_match_torch_on_the_same_batches(impl, moons):
    """history['loss'][e] is the mean of the epoch's mini-batch losses and history['accuracy'][e] the fraction of
    samples right in their batch's forward pass; both equal torch's replay of the same training (same initial
    weights, batches from np.random.default_rng(seed).permutation(n) each epoch, 450 samples in batches of 32,
    the last one 2 short), and the final weights too."""
    X, _, y, _ = moons
    model, twin = mlp([2, 16, 2], seed=3)
    history = impl.fit(model, cross_entropy, PlainSGD(model.parameters(), lr=0.2, momentum=0.9), X, y,
                       epochs=3, batch_size=32, seed=11, progress=False)
    check_history(history, 3, validation=False)
    losses, accuracies = torch_replay(twin, X, y, 3, 32, 11, lr=0.2, momentum=0.9)
    off = [e for e in range(3) if not np.isclose(history["loss"][e], losses[e], rtol=1e-9, atol=0)]
    if off:
        advice = ("the first epoch already differs: check the batch order (rng.permutation(n) cut into slices of "
                  "batch_size), optimizer.zero_grad() before each backward(), and that the epoch's loss is the mean "
                  "of its batch losses") if off[0] == 0 else (
                  f"epoch 1 agrees but epoch {off[0] + 1} does not: make the generator once, before the first epoch "
                  "(a new default_rng(seed) each epoch repeats the same order)")
        assert_close(history["loss"], losses, rtol=1e-9,
                     what=f"per-epoch mean mini-batch loss vs torch's replay ({advice});")
    assert_close(history["accuracy"], accuracies, rtol=1e-12, what="per-epoch training accuracy (vs torch)")
    for (name, p), q in zip(model.named_parameters(), twin.parameters(), strict=True):
        assert_close(p.data, q.detach().numpy(), rtol=1e-9, atol=1e-12,
                     what=f"{name} after 3 epochs (zero the gradients before each backward pass)")


def test_validation_metrics_after_each_epoch(impl, moons):
    """With X_val and y_val, history['val_loss'] and ['val_accuracy'] hold the loss and accuracy of the whole
    validation set after each epoch; the last ones equal torch's on the final weights."""
    X, X_val, y, y_val = moons
    model, twin = mlp([2, 8, 2], seed=5)
    history = impl.fit(model, cross_entropy, PlainSGD(model.parameters(), lr=0.1), X, y, epochs=2, batch_size=50,
                       seed=0, progress=False, X_val=X_val, y_val=y_val)
    check_history(history, 2, validation=True)
    nn.copy_state_to_torch(model, twin)
    with torch.no_grad():
        logits = twin(as_torch(X_val))
        loss = torch.nn.functional.cross_entropy(logits, as_torch(y_val)).item()
    assert_close(history["val_loss"][-1], loss, rtol=1e-10, what="val_loss after the last epoch")
    assert_close(history["val_accuracy"][-1], float(np.mean(logits.argmax(dim=1).numpy() == y_val)), rtol=1e-12,
                 what="val_accuracy after the last epoch")


def test_learns_xor(impl):
    """A 2-8-2 tanh MLP trained by your loop (full batch of 4, SGD with momentum, 150 epochs) classifies all four
    XOR points correctly — the problem no linear model solves."""
    model, _ = mlp([2, 8, 2], seed=0)
    history = impl.fit(model, cross_entropy, PlainSGD(model.parameters(), lr=0.3, momentum=0.9), XOR_X, XOR_Y,
                       epochs=150, batch_size=4, seed=0, progress=False)
    check_history(history, 150, validation=False)
    with engine.no_grad():
        predicted = model(engine.Tensor(XOR_X)).data.argmax(axis=1)
    expect(np.array_equal(predicted, XOR_Y), f"after training, the model predicts {predicted.tolist()} for the XOR "
                                             f"inputs, expected {XOR_Y.tolist()} (last loss {history['loss'][-1]:.4g})")


def test_two_moons_held_out_accuracy(impl, moons):
    """A 2-32-32-2 tanh MLP trained by your loop (40 epochs, batches of 32, seed 0) reaches at least 97% accuracy
    on 150 held-out two-moons points (noise 0.15), accuracy computed here from its predictions."""
    X, X_test, y, y_test = moons
    model, _ = mlp([2, 32, 32, 2], seed=0)
    impl.fit(model, cross_entropy, PlainSGD(model.parameters(), lr=0.1, momentum=0.9), X, y, epochs=40,
             batch_size=32, seed=0, progress=False)
    with engine.no_grad():
        score = float(np.mean(model(engine.Tensor(X_test)).data.argmax(axis=1) == y_test))
    expect(score >= 0.97, f"held-out accuracy {score:.3f}, expected at least 0.97")


def test_plot_shows_the_history(impl, tmp_path):
    """plot_history draws a 'loss' panel and an 'accuracy' panel (y labels), epochs 1..E on the x axis
    (label 'epoch'), one line per series (train and validation) holding exactly the history's numbers, and
    writes a PNG file to the given path."""
    history = {"loss": [0.9, 0.5, 0.3, 0.25], "accuracy": [0.5, 0.7, 0.85, 0.9],
               "val_loss": [1.0, 0.6, 0.4, 0.45], "val_accuracy": [0.45, 0.65, 0.8, 0.82]}
    path = tmp_path / "history.png"
    fig = impl.plot_history(history, path)
    expect(hasattr(fig, "axes"), f"plot_history should return a matplotlib Figure, got {type(fig).__name__}")
    panels = {ax.get_ylabel(): ax for ax in fig.axes}
    for key in ("loss", "accuracy"):
        expect(key in panels, f"no Axes with y label {key!r} (y labels: {sorted(panels)})")
        ax = panels[key]
        expect(ax.get_xlabel() == "epoch", f"the {key} panel's x label is {ax.get_xlabel()!r}, expected 'epoch'")
        lines = [(list(line.get_xdata()), list(line.get_ydata())) for line in ax.lines]
        for series in (key, f"val_{key}"):
            expect(([1, 2, 3, 4], history[series]) in [(list(map(float, x)), list(map(float, y))) for x, y in lines],
                   f"the {key} panel has no line with x = epochs [1, 2, 3, 4] and y = history[{series!r}]")
    expect(path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no PNG file was written to {path}")


def test_progress_bar_reports_loss_and_accuracy(impl, capsys):
    """With progress=True a Rich progress bar is shown (its text mentions the loss and the accuracy); with
    progress=False nothing is printed."""
    model, _ = mlp([2, 4, 2], seed=1)
    impl.fit(model, cross_entropy, PlainSGD(model.parameters(), lr=0.1), XOR_X, XOR_Y, epochs=2, batch_size=2, seed=0,
             progress=False)
    quiet = capsys.readouterr().out
    expect(quiet == "", f"progress=False should print nothing, got {quiet[:200]!r}")
    impl.fit(model, cross_entropy, PlainSGD(model.parameters(), lr=0.1), XOR_X, XOR_Y, epochs=2, batch_size=2, seed=0,
             progress=True)
    shown = capsys.readouterr().out.lower()
    expect("loss" in shown and "acc" in shown,
           f"the progress bar should show loss and accuracy, printed {shown[:300]!r}")


def test_bad_arguments_raise_value_error(impl):
    """Mismatched X and y, batch_size < 1 or epochs < 1 raise ValueError before any training."""
    model, _ = mlp([2, 4, 2], seed=2)
    opt = PlainSGD(model.parameters(), lr=0.1)
    assert_raises_value_error(impl.fit, model, cross_entropy, opt, XOR_X, XOR_Y[:3], 1, 2, 0, progress=False,
                              why="X has 4 samples and y has 3")
    assert_raises_value_error(impl.fit, model, cross_entropy, opt, XOR_X, XOR_Y, 1, 0, 0, progress=False,
                              why="batch_size must be at least 1")
    assert_raises_value_error(impl.fit, model, cross_entropy, opt, XOR_X, XOR_Y, 0, 2, 0, progress=False,
                              why="epochs must be at least 1")


def test_does_not_import_torch(impl):
    """The loop runs on the course engine (aieng.lib.dl): it must not import torch."""
    assert_not_imported(impl, "torch")
