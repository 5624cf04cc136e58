"""Splitting a data set into the parts a model learns from and the parts that judge it.

Four splitters, all returning integer index arrays into the original rows (never copies of the data):

- ``train_val_test_split``: a seeded random permutation cut into three parts whose sizes follow
  scikit-learn's rounding (the held-out parts are rounded *up*: ``ceil(fraction * n)``).
- ``stratified_split``: the same, one class at a time, so every class keeps its share in both parts
  (largest-remainder allocation of the test rows across classes).
- ``time_series_folds``: expanding-window folds in time order, as ``sklearn.model_selection.TimeSeriesSplit``
  cuts them: every training row happens before every test row of its fold.
- ``group_kfold``: k folds in which no group (a patient, a user, a photo session) is split between training
  and test, balanced greedily like ``sklearn.model_selection.GroupKFold``.

Left out: repeated and shuffled k-fold variants, stratified group splits, purging/embargo windows beyond a
fixed ``gap``. Cost: O(n log n) for the sorts, O(n) otherwise.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


def _n_samples(n_samples: int) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, int | np.integer) or n_samples < 0:
        raise ValueError(f"n_samples must be a non-negative integer, got {n_samples!r}")
    return int(n_samples)


def _fraction(value: float, name: str) -> float:
    if not (0.0 < value < 1.0):
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def train_val_test_split(n_samples: int, val_size: float, test_size: float, *,
                         random_state: int | np.random.Generator | None = None,
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle ``range(n_samples)`` and cut it into train, validation and test index arrays.

    ``n_test = ceil(test_size * n)``, ``n_val = ceil(val_size * n)`` and the rest, ``n - n_test - n_val``,
    is training (which must keep at least one row). Each part is returned sorted, dtype int64; together
    they are a partition of 0..n-1. The same ``random_state`` always gives the same split.

    >>> [len(part) for part in train_val_test_split(10, 0.2, 0.25, random_state=0)]
    [5, 2, 3]
    """
    n = _n_samples(n_samples)
    val_size, test_size = _fraction(val_size, "val_size"), _fraction(test_size, "test_size")
    n_test, n_val = math.ceil(test_size * n), math.ceil(val_size * n)
    if n - n_test - n_val < 1:
        raise ValueError(f"{n} rows leave no training rows after {n_val} validation and {n_test} test rows")
    order = np.random.default_rng(random_state).permutation(n)
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return np.sort(train), np.sort(val), np.sort(test)


def stratified_split(y: ArrayLike, test_size: float, *,
                     random_state: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Split rows into train and test index arrays so that each class keeps its share in both parts.

    ``n_test = ceil(test_size * n)``. Class c with ``n_c`` rows gets ``floor(n_test * n_c / n)`` test rows,
    and the ``n_test - sum(floors)`` rows still missing go, one each, to the classes with the largest
    remainders ``(n_test * n_c) mod n`` (ties to the class that sorts first). Within a class the test rows
    are drawn at random. Both arrays are returned sorted, dtype int64.

    `y` has shape (n_samples,). Every class needs at least two rows, and each part must have room for
    every class: ``n_test >= n_classes`` and ``n - n_test >= n_classes``.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    test_size = _fraction(test_size, "test_size")
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    n = y.size
    n_test = math.ceil(test_size * n)
    if counts.size and counts.min() < 2:
        raise ValueError(f"class {classes[counts.argmin()]!r} has a single row: it cannot appear in both parts")
    if n_test < classes.size or n - n_test < classes.size:
        raise ValueError(f"{n_test} test and {n - n_test} training rows cannot each hold all {classes.size} classes")
    quota, remainder = np.divmod(n_test * counts, n)
    missing = n_test - int(quota.sum())
    quota[np.argsort(-remainder, kind="stable")[:missing]] += 1
    rng = np.random.default_rng(random_state)
    test_mask = np.zeros(n, dtype=bool)
    for code, k in enumerate(quota):  # a loop over classes, not over rows
        members = np.flatnonzero(codes == code)
        test_mask[rng.choice(members, size=k, replace=False)] = True
    return np.flatnonzero(~test_mask), np.flatnonzero(test_mask)


def time_series_folds(timestamps: ArrayLike, n_splits: int = 5, *, test_size: int | None = None,
                      gap: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds over rows in time order: train on the past, test on the next block.

    Rows are ordered by timestamp (ties keep their original order). With n rows the last
    ``n_splits * test_size`` of them form ``n_splits`` consecutive test blocks (``test_size`` defaults to
    ``n // (n_splits + 1)``); fold i trains on every row before its block except the ``gap`` rows just
    before it. Indices refer to the original (unsorted) rows, each array in time order.

    >>> [(tr.tolist(), te.tolist()) for tr, te in time_series_folds([0, 1, 2, 3, 4, 5], 2)]
    [([0, 1], [2, 3]), ([0, 1, 2, 3], [4, 5])]
    """
    timestamps = np.asarray(timestamps)
    if timestamps.ndim != 1:
        raise ValueError(f"timestamps must be 1-D, got shape {timestamps.shape}")
    if isinstance(n_splits, bool) or not isinstance(n_splits, int | np.integer) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}")
    if gap < 0:
        raise ValueError(f"gap must be >= 0, got {gap}")
    n = timestamps.size
    size = n // (n_splits + 1) if test_size is None else test_size
    if size < 1:
        raise ValueError(f"test blocks would be empty: {n} rows, {n_splits} splits, test_size {test_size}")
    if n - gap - size * n_splits <= 0:
        raise ValueError(f"{n} rows are too few for {n_splits} test blocks of {size} rows after a gap of {gap}")
    order = np.argsort(timestamps, kind="stable")
    starts = np.arange(n - n_splits * size, n, size)
    return [(order[: start - gap], order[start:start + size]) for start in starts]


def group_kfold(groups: ArrayLike, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """k folds in which every group lies entirely in the training part or entirely in the test part.

    Greedy balancing (longest-processing-time first): take the groups from largest to smallest and put
    each in the test fold that currently holds the fewest rows. Then the largest and smallest test folds
    differ by at most the size of the largest group. Returns ``n_splits`` pairs (train, test) of sorted
    int64 index arrays; each row is in exactly one test fold. `groups` has shape (n_samples,).

    >>> [te.tolist() for _, te in group_kfold(["a", "a", "b", "c"], 2)]
    [[0, 1], [2, 3]]
    """
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError(f"groups must be 1-D, got shape {groups.shape}")
    if isinstance(n_splits, bool) or not isinstance(n_splits, int | np.integer) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}")
    _, codes, sizes = np.unique(groups, return_inverse=True, return_counts=True)
    if sizes.size < n_splits:
        raise ValueError(f"{sizes.size} groups cannot fill {n_splits} folds")
    fold_of_group = np.empty(sizes.size, dtype=np.int64)
    fold_rows = np.zeros(n_splits, dtype=np.int64)
    for group in np.argsort(-sizes, kind="stable"):  # a loop over groups, not over rows
        lightest = int(np.argmin(fold_rows))
        fold_of_group[group] = lightest
        fold_rows[lightest] += sizes[group]
    fold_of_row = fold_of_group[codes]
    return [(np.flatnonzero(fold_of_row != k), np.flatnonzero(fold_of_row == k)) for k in range(n_splits)]
