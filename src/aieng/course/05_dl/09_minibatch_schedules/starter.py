"""Mini-batches and learning-rate schedules — your implementation. Check it with `aieng check minibatch-schedules`.

A scheduler takes an optimizer (any object with a float attribute `lr`) and rewrites `optimizer.lr`:
once when it is constructed (the rate for the first step, t = 0) and again on every `step()` call
(t = 1, 2, ...), exactly like torch.optim.lr_scheduler.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np


def batch_indices(n: int, batch_size: int, *, shuffle: bool = False, drop_last: bool = False,
                  rng: int | np.random.Generator | None = None) -> list[np.ndarray]:
    """Split the indices 0..n-1 into consecutive batches of `batch_size` (a list of int arrays).

    The order is `rng.permutation(n)` when `shuffle` (rng: a Generator or a seed), else 0, 1, ..., n-1.
    ceil(n / B) batches, the last one possibly short; `drop_last=True` drops that short batch.
    n = 0 gives []. ValueError if batch_size < 1 or n < 0.
    """
    raise NotImplementedError


class DataLoader:
    """`for xb, yb in DataLoader(x, y, batch_size=32, shuffle=True, rng=0): ...`

    Arrays share their first dimension (samples). Each iteration is one epoch and yields tuples
    (a[idx] for each array), a 1-tuple for a single array. A shuffling loader draws a NEW permutation on
    every iteration from its own generator, made once from `rng`; the same seed gives the same epochs.
    `len(loader)` is the number of batches per epoch. ValueError for no arrays, different lengths, or
    batch_size < 1.
    """

    def __init__(self, *arrays: np.ndarray, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 rng: int | np.random.Generator | None = None) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __iter__(self) -> Iterator[tuple[np.ndarray, ...]]:
        raise NotImplementedError


class StepLR:
    """lr_t = base_lr * gamma ** (t // step_size). ValueError: step_size < 1 or gamma <= 0."""

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1) -> None:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class ExponentialLR:
    """lr_t = base_lr * gamma ** t. ValueError: gamma <= 0."""

    def __init__(self, optimizer: Any, gamma: float) -> None:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class CosineAnnealingLR:
    """lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2 (for every t, also past T_max).

    ValueError: T_max < 1.
    """

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0) -> None:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class WarmupCosineLR:
    """Linear warm-up, cosine decay, then flat (the GPT recipe).

    t < warmup_steps: base_lr * (t + 1) / warmup_steps; warmup_steps <= t <= total_steps:
    min_lr + (base_lr - min_lr) * (1 + cos(pi * p)) / 2 with p = (t - warmup_steps) / (total_steps - warmup_steps);
    t > total_steps: min_lr. ValueError: warmup_steps < 0 or total_steps <= warmup_steps.
    """

    def __init__(self, optimizer: Any, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> None:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError
