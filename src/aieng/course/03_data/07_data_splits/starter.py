"""Data splits: train/validation/test, stratified, time-based and group-aware — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check data-splits`.
Do not import scikit-learn: its splitters are the answer key.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def train_val_test_split(n_samples: int, val_size: float, test_size: float, *,
                         random_state: int | np.random.Generator | None = None,
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle range(n_samples) with a seeded generator and return (train, val, test) index arrays.

    - n_test = ceil(test_size * n), n_val = ceil(val_size * n), training gets the rest.
    - Each part is a sorted 1-D int array; together they hold every row 0..n-1 exactly once.
    - The same random_state gives the same split.
    - Raise ValueError if a fraction is not strictly between 0 and 1 or no training row is left.
    """
    raise NotImplementedError


def stratified_split(y: ArrayLike, test_size: float, *,
                     random_state: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (train, test) sorted index arrays in which every class of `y` (shape (n,)) keeps its share.

    - n_test = ceil(test_size * n). Class c with n_c rows gets floor(n_test * n_c / n) test rows; the
      rows still missing go, one each, to the classes with the largest remainders (n_test * n_c) mod n
      (ties: the class that sorts first). Its test rows are drawn at random within the class.
    - Raise ValueError for a 2-D y, a class with a single row, or n_test < n_classes or
      n - n_test < n_classes.
    """
    raise NotImplementedError


def time_series_folds(timestamps: ArrayLike, n_splits: int = 5, *, test_size: int | None = None,
                      gap: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds in time order, cut like sklearn's TimeSeriesSplit.

    - Order rows by timestamp (shape (n,), ties keep their original order).
    - The last n_splits * test_size rows (test_size defaults to n // (n_splits + 1)) form n_splits
      consecutive test blocks; fold i trains on every earlier row except the `gap` rows just before
      its block.
    - Return a list of (train, test) pairs of indices into the original rows, each in time order.
    - Raise ValueError for 2-D timestamps, n_splits < 2, gap < 0, empty test blocks, or an empty
      training part.
    """
    raise NotImplementedError


def group_kfold(groups: ArrayLike, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """k folds in which each group (shape (n,) labels) is entirely in train or entirely in test.

    - Balance greedily: groups from largest to smallest, each into the test fold with fewest rows so far.
    - Return n_splits pairs (train, test) of sorted int index arrays; every row is in exactly one test fold.
    - Raise ValueError for 2-D groups, n_splits < 2, or fewer groups than folds.
    """
    raise NotImplementedError
