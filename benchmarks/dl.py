"""Our autograd engine (aieng.lib.dl) against PyTorch on the CPU: same data, same initial weights, same
mini-batches, same optimizer, one process, float64.

For each model, trains with both for `--epochs` epochs (SGD, lr 0.05, momentum 0.9, batches of 32 in the same
shuffled order) and prints the median time per epoch of each, the ratio ours/torch, and the loss on the
whole training set after the first epoch for each, with their difference (the two runs do the same
arithmetic, so it must stay below 1e-4; it is usually ~1e-15). Both libraries get `--threads` threads
(numpy's BLAS through threadpoolctl, torch.set_num_threads). The issue's bars: the MLP within 3x of torch,
the CNN within 10x.

Models: MLP 64-128-10 (ReLU) on sklearn's digits; a small CNN on the digits as 8x8 images (conv 3x3 with
8 channels and padding 1 -> ReLU -> 2x2 max-pool -> linear 128-10); a wider MLP 100-256-256-10 on a seeded
generated set of 20k samples.

    python benchmarks/dl.py [--epochs 5] [--threads 1]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch
from rich.console import Console
from rich.table import Table
from sklearn.datasets import load_digits, make_classification
from threadpoolctl import threadpool_limits

from aieng.lib.dl import nn, optim
from aieng.lib.dl import tensor as T
from aieng.lib.dl.tensor import Tensor, no_grad

LR, MOMENTUM, BATCH = 0.05, 0.9, 32


def _digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = load_digits(return_X_y=True)
    return x / 16.0, y


def _generated() -> tuple[np.ndarray, np.ndarray]:
    x, y = make_classification(n_samples=20_000, n_features=100, n_informative=40, n_classes=10, random_state=0)
    return x, y


def _mlp(sizes: list[int]) -> tuple[nn.Module, torch.nn.Module]:
    ours: list[nn.Module] = []
    theirs: list[torch.nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        ours += [nn.Linear(a, b, rng=i), nn.ReLU()]
        theirs += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    return nn.Sequential(*ours[:-1]), torch.nn.Sequential(*theirs[:-1])


def _cnn() -> tuple[nn.Module, torch.nn.Module]:
    ours = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, rng=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(8 * 4 * 4, 10, rng=1))
    theirs = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                 torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 10))
    return ours, theirs


CASES: list[tuple[str, Callable[[], tuple[nn.Module, torch.nn.Module]], Callable[[], tuple[np.ndarray, np.ndarray]],
                  tuple[int, ...]]] = [
    ("MLP 64-128-10", lambda: _mlp([64, 128, 10]), _digits, (64,)),
    ("CNN conv3x3(8)-pool-linear", _cnn, _digits, (1, 8, 8)),
    ("MLP 100-256-256-10", lambda: _mlp([100, 256, 256, 10]), _generated, (100,)),
]


def _epochs_ours(model: nn.Module, x: np.ndarray, y: np.ndarray, epochs: int) -> tuple[list[float], float]:
    """Seconds per epoch, and the training-set loss after the first epoch."""
    opt = optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    rng, times, first_loss = np.random.default_rng(0), [], float("nan")
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(x))
        for i in range(0, len(x), BATCH):
            idx = order[i:i + BATCH]
            loss = T.cross_entropy(model(Tensor(x[idx])), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
        if epoch == 0:
            with no_grad():
                first_loss = T.cross_entropy(model(Tensor(x)), y).item()
    return times, first_loss


def _epochs_torch(model: torch.nn.Module, x: np.ndarray, y: np.ndarray, epochs: int) -> tuple[list[float], float]:
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    rng, times, first_loss = np.random.default_rng(0), [], float("nan")
    for epoch in range(epochs):
        start = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(x)))
        for i in range(0, len(x), BATCH):
            idx = order[i:i + BATCH]
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
        if epoch == 0:
            with torch.no_grad():
                first_loss = torch.nn.functional.cross_entropy(model(xt), yt).item()
    return times, first_loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    table = Table(title=f"aieng.lib.dl vs torch {torch.__version__} on CPU, float64, SGD momentum, batch {BATCH} "
                        f"({args.threads} thread{'s' if args.threads > 1 else ''}; median epoch of {args.epochs})")
    for column in ("model", "data", "epoch ours ms", "epoch torch ms", "time ratio", "loss ours (epoch 1)",
                   "loss torch (epoch 1)", "|Δ loss|"):
        table.add_column(column, justify="left" if column in ("model", "data") else "right")
    with threadpool_limits(limits=args.threads):
        for name, build, load, shape in CASES:
            x, y = load()
            x = x.reshape(len(x), *shape).astype(np.float64)
            ours, theirs = build()
            theirs = nn.copy_state_to_torch(ours, theirs.double())
            t_ours, loss_ours = _epochs_ours(ours, x, y, args.epochs)
            t_torch, loss_torch = _epochs_torch(theirs, x, y, args.epochs)
            m_ours, m_torch = statistics.median(t_ours), statistics.median(t_torch)
            table.add_row(name, f"{load.__name__.strip('_')} {x.shape[0]}x{int(np.prod(shape))}",
                          f"{1e3 * m_ours:.1f}", f"{1e3 * m_torch:.1f}", f"{m_ours / m_torch:.2f}x",
                          f"{loss_ours:.10f}", f"{loss_torch:.10f}", f"{abs(loss_ours - loss_torch):.1e}")
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
