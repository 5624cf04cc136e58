"""The same models in PyTorch proper — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check pytorch-digits`.
Run this file (`python <this file>`) to train on your own split: it prints the accuracy and writes the
loss/accuracy plot and a checkpoint next to it.

x below always means raw digit pixels, shape (n, 64), values 0..16 (sklearn.datasets.load_digits);
y means labels 0..9, shape (n,). The modules themselves take pixels scaled to [0, 1].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from torch import nn
from torch.utils.data import DataLoader, TensorDataset  # noqa: F401  (you will need them)


def pick_device() -> torch.device:
    """torch.device("cuda") if a CUDA GPU is available, else "mps" if Apple's GPU is, else "cpu"."""
    raise NotImplementedError


class DigitsMLP(nn.Module):
    """A multi-layer perceptron: scaled pixels (N, 64) -> logits (N, 10)."""

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class DigitsCNN(nn.Module):
    """A small convolutional network: scaled pixels (N, 64) or (N, 1, 8, 8) -> logits (N, 10)."""

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


def make_model(arch: str = "cnn") -> nn.Module:
    """A fresh, untrained DigitsCNN ("cnn") or DigitsMLP ("mlp"); ValueError for another name."""
    raise NotImplementedError


def make_loader(x: ArrayLike, y: ArrayLike, batch_size: int = 64, shuffle: bool = True, seed: int = 0) -> DataLoader:
    """A DataLoader of (pixels scaled to [0, 1] as float32 (batch, 64), labels as int64 (batch,)).

    With shuffle, the batch order comes from a torch.Generator seeded with `seed` (reproducible).
    ValueError if x is not (n, 64), or y does not hold one label in 0..9 per row of x.
    """
    raise NotImplementedError


def train_model(model: nn.Module, x: ArrayLike, y: ArrayLike, *, epochs: int = 20, learning_rate: float = 1e-2,
                batch_size: int = 64, weight_decay: float = 1e-4, seed: int = 0,
                device: torch.device | str | None = None, progress: bool = True) -> dict[str, list[float]]:
    """Train `model` in place (cross-entropy, AdamW) and return {"loss": [...], "accuracy": [...]}: each
    epoch's mean training loss and accuracy.

    device None means pick_device(). The same seed (and the same initial weights) must give the same
    result on the CPU. Show a Rich progress bar with the loss and accuracy unless progress is False.
    Leave the model in eval mode.
    """
    raise NotImplementedError


def fit_digits(x: ArrayLike, y: ArrayLike, *, arch: str = "cnn", seed: int = 0,
               device: torch.device | str | None = None, progress: bool = True) -> nn.Module:
    """Build a model of architecture `arch`, seeded with `seed`, train it on (x, y) with your settings, and
    return it in eval mode. The grader calls this and measures accuracy on digits it kept aside."""
    raise NotImplementedError


def predict(model: nn.Module, x: ArrayLike) -> np.ndarray:
    """Predicted labels (n,) for raw pixels x (n, 64): eval mode, no gradient recording, on the model's device."""
    raise NotImplementedError


def save_model(model: nn.Module, path: str | Path) -> Path:
    """Save the model's state_dict to `path` (loadable with torch.load(path, weights_only=True)); return the path."""
    raise NotImplementedError


def load_model(path: str | Path, arch: str = "cnn") -> nn.Module:
    """A fresh model of architecture `arch` holding the state_dict saved at `path`, in eval mode."""
    raise NotImplementedError


def plot_history(history: dict[str, list[float]], path: str | Path | None = None) -> Figure:
    """A matplotlib Figure with two panels, loss per epoch and accuracy per epoch (labelled axes); saved as
    PNG at `path` when given. ValueError if the history is empty or its two lists differ in length."""
    raise NotImplementedError


if __name__ == "__main__":
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    pixels, labels = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(pixels, labels, test_size=0.3, random_state=0,
                                                        stratify=labels)
    here = Path(__file__).parent
    for arch, epochs in (("mlp", 30), ("cnn", 12)):
        torch.manual_seed(0)
        model = make_model(arch)
        history = train_model(model, x_train, y_train, epochs=epochs)
        accuracy = float(np.mean(predict(model, x_test) == y_test))
        print(f"{arch}: test accuracy {accuracy:.4f}")
        plot_history(history, here / f"digits_{arch}_history.png")
        save_model(model, here / f"digits_{arch}.pt")
