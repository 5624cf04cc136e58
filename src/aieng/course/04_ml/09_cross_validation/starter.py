"""Cross-validation — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check cross-validation`.
Splitters follow scikit-learn's protocol: `split(X, y=None, groups=None)` yields (train_indices,
test_indices) pairs of integer arrays and `get_n_splits(X=None, y=None, groups=None)` counts them.
Write the splitters yourself (no sklearn.model_selection); sklearn.base.clone is fine for copying models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone, is_classifier  # noqa: F401  (clone(estimator) gives an unfitted copy)

Split = tuple[np.ndarray, np.ndarray]


class KFold:
    """k folds; fold i is the test set of split i. n_splits < 2 raises ValueError (in __init__ or split).

    Without shuffle: contiguous blocks in data order, the first n % k folds one sample larger than the
    rest (exactly sklearn's folds). With shuffle: permute the indices first with
    np.random.default_rng(random_state). split raises ValueError if n_splits > n_samples.
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: int | None = None) -> None:
        raise NotImplementedError

    def get_n_splits(self, X: object = None, y: object = None, groups: object = None) -> int:
        raise NotImplementedError

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        raise NotImplementedError


class StratifiedKFold:
    """k folds keeping each class's share; without shuffle exactly sklearn's folds (see the lesson).

    y (shape (n,)) is required; ValueError if it is missing or if every class has fewer than k members.
    With shuffle, each class's fold assignments are permuted with np.random.default_rng(random_state).
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: int | None = None) -> None:
        raise NotImplementedError

    def get_n_splits(self, X: object = None, y: object = None, groups: object = None) -> int:
        raise NotImplementedError

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        raise NotImplementedError


class LeaveOneOut:
    """n splits, test fold i = [i]; get_n_splits(X) = len(X). Fewer than two samples: ValueError."""

    def get_n_splits(self, X: ArrayLike | None = None, y: object = None, groups: object = None) -> int:
        raise NotImplementedError

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        raise NotImplementedError


class BootstrapSplit:
    """n_splits bootstrap splits: train = n indices drawn with replacement (np.random.default_rng(random_state)),
    test = the sorted indices never drawn (out-of-bag). Redraw a split whose out-of-bag part is empty."""

    def __init__(self, n_splits: int = 10, *, random_state: int | None = None) -> None:
        raise NotImplementedError

    def get_n_splits(self, X: object = None, y: object = None, groups: object = None) -> int:
        raise NotImplementedError

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        raise NotImplementedError


def cross_val_score(estimator: Any, X: ArrayLike, y: ArrayLike | None = None, *, cv: int | Any = 5,
                    scoring: Callable[[Any, Any, Any], float] | None = None) -> np.ndarray:
    """Test score of a fresh clone of `estimator` on each split, shape (n_splits,).

    cv: an int k (StratifiedKFold(k) for a classifier with class labels, else KFold(k)) or any object
    with a split method. scoring(fitted_model, X_test, y_test) -> float; default fitted_model.score(X_test, y_test).
    """
    raise NotImplementedError


def grid_search(estimator: Any, param_grid: Mapping[str, Sequence[Any]], X: ArrayLike, y: ArrayLike | None = None,
                *, cv: int | Any = 5, scoring: Callable[[Any, Any, Any], float] | None = None) -> dict[str, Any]:
    """Mean cross-validated score of every parameter combination; the best one wins (ties: the earliest).

    Combinations in sklearn's order: parameter names sorted, the last name varying fastest.
    Return {"params": [dict, ...], "mean_test_score": array, "best_index": int, "best_params": dict,
    "best_score": float}. An empty grid (or an empty list of values) raises ValueError.
    """
    raise NotImplementedError
