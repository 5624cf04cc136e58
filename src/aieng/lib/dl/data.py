"""Mini-batches: split a data set into batches, reshuffled every epoch by a seeded generator.

Mini-batch gradient descent estimates the gradient of the full-data loss from B samples at a time:
an unbiased estimate whose noise shrinks like 1/sqrt(B), for B/n of the cost of a full pass. One
**epoch** is one pass over the data: with shuffling, a fresh random permutation of the n sample
indices is cut into consecutive chunks of `batch_size`, so every sample is used exactly once per
epoch. The last chunk holds n mod B samples; `drop_last=True` discards it (keeping every batch the
same size, which some layers, e.g. batch normalization, prefer).

`batch_indices` is the core (a list of index arrays); `DataLoader` wraps arrays and yields tuples of
batches, reshuffling on every iteration with its own generator, so two loaders built with the same
seed produce the same sequence of epochs.

The learning-rate schedulers that usually go with a loader live in aieng.lib.dl.optim and are
re-exported here (StepLR, ExponentialLR, CosineAnnealingLR, WarmupCosineLR).

Left out (all in torch.utils.data): worker processes, samplers (weighted, distributed), collate
functions for ragged samples, and lazily loaded data sets; everything here is in-memory numpy.
Cost: O(n) per epoch for the permutation, plus the copies made by fancy indexing.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from aieng.lib.dl.optim import CosineAnnealingLR, ExponentialLR, StepLR, WarmupCosineLR

__all__ = ["CosineAnnealingLR", "DataLoader", "ExponentialLR", "StepLR", "WarmupCosineLR", "batch_indices"]


def _check_batch_size(batch_size: int) -> int:
    if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(batch_size)


def batch_indices(n: int, batch_size: int, *, shuffle: bool = False, drop_last: bool = False,
                  rng: int | np.random.Generator | None = None) -> list[np.ndarray]:
    """Split the indices 0..n-1 into consecutive batches of `batch_size` (int arrays).

    With `shuffle`, the order is `rng.permutation(n)` (`rng` a Generator, or a seed for one); without,
    it is 0, 1, ..., n-1. There are ceil(n / B) batches, or floor(n / B) with `drop_last` (which drops
    the short last batch only; a full one is kept). n = 0 gives no batches. Cost: O(n).

    >>> [b.tolist() for b in batch_indices(5, 2)]
    [[0, 1], [2, 3], [4]]
    >>> [b.tolist() for b in batch_indices(5, 2, drop_last=True)]
    [[0, 1], [2, 3]]
    """
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    n, batch_size = int(n), _check_batch_size(batch_size)
    order = np.random.default_rng(rng).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


class DataLoader:
    """Iterate over aligned arrays in mini-batches: `for xb, yb in DataLoader(x, y, batch_size=32): ...`.

    All arrays share their first dimension n (the samples). Each iteration over the loader is one epoch
    and yields tuples `(x[idx], y[idx], ...)`, one entry per array (a 1-tuple for a single array). With
    `shuffle=True` each epoch draws a new permutation from the loader's own generator, created once from
    `rng` (a seed or a Generator): the same seed gives the same sequence of epochs.
    `len(loader)` is the number of batches per epoch.

    >>> x, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in DataLoader(x, y, batch_size=2)]
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, *arrays: np.ndarray, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 rng: int | np.random.Generator | None = None) -> None:
        if not arrays:
            raise ValueError("DataLoader needs at least one array")
        self.arrays = tuple(np.asarray(a) for a in arrays)
        if any(a.ndim == 0 for a in self.arrays):
            raise ValueError("every array needs a first (sample) dimension; got a 0-d array")
        lengths = {a.shape[0] for a in self.arrays}
        if len(lengths) != 1:
            raise ValueError(f"all arrays must have the same number of samples, got lengths {sorted(lengths)}")
        self.n = lengths.pop()
        self.batch_size = _check_batch_size(batch_size)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self.rng = np.random.default_rng(rng)

    def __len__(self) -> int:
        return self.n // self.batch_size if self.drop_last else -(-self.n // self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, ...]]:
        batches = batch_indices(self.n, self.batch_size, shuffle=self.shuffle, drop_last=self.drop_last,
                                rng=self.rng)
        for idx in batches:
            yield tuple(a[idx] for a in self.arrays)
