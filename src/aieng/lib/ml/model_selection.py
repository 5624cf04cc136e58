"""Model selection: split the data, score a model on data it did not see, and tune hyperparameters.

Splitters (KFold, StratifiedKFold, LeaveOneOut, BootstrapSplit) follow scikit-learn's splitter protocol:
``split(X, y=None, groups=None)`` yields ``(train_indices, test_indices)`` and ``get_n_splits()`` counts the
splits, so any of them can be passed as ``cv=`` to scikit-learn's own ``cross_val_score`` or
``GridSearchCV``. Without shuffling, KFold and StratifiedKFold produce exactly scikit-learn's folds;
shuffled folds use numpy's ``default_rng(random_state)`` and so differ from scikit-learn's (which draws
from the legacy ``RandomState``) while keeping every property: a partition into near-equal folds.

``cross_val_score`` fits a fresh clone of any scikit-learn-style estimator on each training part and
scores it on the test part; ``grid_search`` runs it for every combination of a parameter grid and keeps
the best mean score, the core of ``GridSearchCV`` (without refitting, parallelism or multiple metrics).

Left out: groups (GroupKFold), time-series splits, repeated splitters, nested cross-validation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone, is_classifier
from sklearn.utils.multiclass import type_of_target

Split = tuple[np.ndarray, np.ndarray]


def _n_samples(X: ArrayLike) -> int:
    n = len(X)
    if n == 0:
        raise ValueError("cannot split an empty data set")
    return n


def _check_n_splits(n_splits: int) -> None:
    if not isinstance(n_splits, int | np.integer) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}")


class KFold:
    """K contiguous folds of sizes differing by at most one; each is the test set once.

    Fold sizes: the first ``n % k`` folds get ``n // k + 1`` samples, the rest ``n // k``. With
    ``shuffle=True`` the indices are permuted first by ``np.random.default_rng(random_state)``.

    >>> [test.tolist() for _, test in KFold(3).split(np.zeros(7))]
    [[0, 1, 2], [3, 4], [5, 6]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: int | None = None) -> None:
        _check_n_splits(n_splits)
        self.n_splits, self.shuffle, self.random_state = n_splits, shuffle, random_state

    def get_n_splits(self, X: object = None, y: object = None, groups: object = None) -> int:
        return self.n_splits

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        n = _n_samples(X)
        if self.n_splits > n:
            raise ValueError(f"n_splits={self.n_splits} is more than the {n} samples")
        indices = np.arange(n)
        if self.shuffle:
            indices = np.random.default_rng(self.random_state).permutation(n)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        stops = np.cumsum(sizes)
        for start, stop in zip(stops - sizes, stops, strict=True):
            test = indices[start:stop]
            yield np.setdiff1d(indices, test), np.sort(test)


class StratifiedKFold:
    """K folds that keep each class's share: every class is dealt out over the folds as evenly as possible.

    scikit-learn's rule, reproduced exactly: classes are numbered in order of first appearance, the
    sorted class codes are dealt round-robin to count how many of each class every fold gets, and each
    class's samples (in data order) fill the folds in blocks of those sizes. Needs a class label per
    sample and at least `n_splits` members in some class.

    >>> [test.tolist() for _, test in StratifiedKFold(2).split(np.zeros(6), [0, 0, 0, 1, 1, 1])]
    [[0, 1, 3], [2, 4, 5]]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: int | None = None) -> None:
        _check_n_splits(n_splits)
        self.n_splits, self.shuffle, self.random_state = n_splits, shuffle, random_state

    def get_n_splits(self, X: object = None, y: object = None, groups: object = None) -> int:
        return self.n_splits

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        if y is None:
            raise ValueError("StratifiedKFold needs the class labels y")
        y = np.asarray(y)
        n = _n_samples(X)
        if y.ndim != 1 or y.size != n:
            raise ValueError(f"y must be 1-D with one label per sample ({n}), got shape {y.shape}")
        if self.n_splits > n:
            raise ValueError(f"n_splits={self.n_splits} is more than the {n} samples")
        _, first_seen, codes = np.unique(y, return_index=True, return_inverse=True)
        codes = np.argsort(np.argsort(first_seen))[codes]  # number classes by order of appearance
        n_classes = first_seen.size
        counts = np.bincount(codes, minlength=n_classes)
        if np.all(self.n_splits > counts):
            raise ValueError(f"n_splits={self.n_splits} is more than the members of every class")
        dealt = np.sort(codes)
        allocation = np.stack([np.bincount(dealt[i :: self.n_splits], minlength=n_classes)
                               for i in range(self.n_splits)])
        rng = np.random.default_rng(self.random_state)
        test_fold = np.empty(n, dtype=np.intp)
        for k in range(n_classes):
            folds = np.repeat(np.arange(self.n_splits), allocation[:, k])
            test_fold[codes == k] = rng.permutation(folds) if self.shuffle else folds
        everything = np.arange(n)
        for fold in range(self.n_splits):
            yield everything[test_fold != fold], everything[test_fold == fold]


class LeaveOneOut:
    """n splits: each sample alone is the test set once. Costs n fits; needs n >= 2.

    >>> [test.tolist() for _, test in LeaveOneOut().split(np.zeros(3))]
    [[0], [1], [2]]
    """

    def get_n_splits(self, X: ArrayLike | None = None, y: object = None, groups: object = None) -> int:
        if X is None:
            raise ValueError("LeaveOneOut needs X to count the splits")
        return _n_samples(X)

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        n = _n_samples(X)
        if n < 2:
            raise ValueError("leave-one-out needs at least two samples")
        everything = np.arange(n)
        for i in range(n):
            yield np.delete(everything, i), np.array([i])


class BootstrapSplit:
    """Bootstrap resampling: train on n indices drawn with replacement, test on the ones never drawn.

    The test ("out-of-bag") part holds each sample with probability (1 - 1/n)^n, about 1/e = 36.8%. Train
    indices repeat, so fitting on ``X[train]`` weighs some samples twice. Splits whose out-of-bag part is
    empty (possible for tiny n) are redrawn.

    >>> train, test = next(BootstrapSplit(1, random_state=0).split(np.zeros(10)))
    >>> len(train), bool(np.intersect1d(train, test).size == 0)
    (10, True)
    """

    def __init__(self, n_splits: int = 10, *, random_state: int | None = None) -> None:
        if not isinstance(n_splits, int | np.integer) or n_splits < 1:
            raise ValueError(f"n_splits must be a positive integer, got {n_splits!r}")
        self.n_splits, self.random_state = n_splits, random_state

    def get_n_splits(self, X: object = None, y: object = None, groups: object = None) -> int:
        return self.n_splits

    def split(self, X: ArrayLike, y: ArrayLike | None = None, groups: object = None) -> Iterator[Split]:
        n = _n_samples(X)
        if n < 2:
            raise ValueError("a bootstrap split needs at least two samples")
        rng = np.random.default_rng(self.random_state)
        made = 0
        while made < self.n_splits:
            train = rng.integers(0, n, size=n)
            out_of_bag = np.setdiff1d(np.arange(n), train)
            if out_of_bag.size:
                made += 1
                yield train, out_of_bag


def _splitter(cv: int | Any, estimator: Any, y: ArrayLike | None) -> Any:
    """An int means k folds: stratified for a classifier on class labels, plain otherwise (as sklearn)."""
    if not isinstance(cv, int | np.integer):
        if not hasattr(cv, "split"):
            raise ValueError(f"cv must be an int or a splitter with a split method, got {cv!r}")
        return cv
    if y is not None and is_classifier(estimator) and type_of_target(y) in ("binary", "multiclass"):
        return StratifiedKFold(int(cv))
    return KFold(int(cv))


def cross_val_score(estimator: Any, X: ArrayLike, y: ArrayLike | None = None, *, cv: int | Any = 5,
                    scoring: Callable[[Any, Any, Any], float] | None = None) -> np.ndarray:
    """Test scores of `estimator` on each split, shape (n_splits,).

    For each (train, test): fit ``clone(estimator)`` on ``X[train], y[train]`` and score it on the test
    part with ``scoring(fitted, X_test, y_test)`` or, by default, ``fitted.score(X_test, y_test)``
    (accuracy for classifiers, R² for regressors). Cost: n_splits fits.
    """
    X = np.asarray(X)
    y_array = None if y is None else np.asarray(y)
    if y_array is not None and len(y_array) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(y_array)}")
    splitter = _splitter(cv, estimator, y_array)
    scores = []
    for train, test in splitter.split(X, y_array):
        model = clone(estimator)
        y_train, y_test = (None, None) if y_array is None else (y_array[train], y_array[test])
        model.fit(X[train], y_train)
        scores.append(scoring(model, X[test], y_test) if scoring is not None else model.score(X[test], y_test))
    return np.asarray(scores, dtype=np.float64)


def parameter_grid(param_grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the candidate values, names sorted, the last name varying fastest (sklearn's order).

    >>> parameter_grid({"b": [1, 2], "a": ["x"]})
    [{'a': 'x', 'b': 1}, {'a': 'x', 'b': 2}]
    """
    if not isinstance(param_grid, Mapping) or not param_grid:
        raise ValueError("param_grid must be a non-empty dict of name -> list of values")
    names = sorted(param_grid)
    for name in names:
        if isinstance(param_grid[name], str) or len(param_grid[name]) == 0:
            raise ValueError(f"param_grid[{name!r}] must be a non-empty list of candidate values")
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*(param_grid[k] for k in names))]


def grid_search(estimator: Any, param_grid: Mapping[str, Sequence[Any]], X: ArrayLike, y: ArrayLike | None = None,
                *, cv: int | Any = 5, scoring: Callable[[Any, Any, Any], float] | None = None) -> dict[str, Any]:
    """Cross-validate `estimator` with every parameter combination; keep the best mean test score.

    Returns a dict with ``params`` (the combinations, in `parameter_grid` order), ``mean_test_score``
    (array, one per combination), ``best_index``, ``best_params`` and ``best_score``. Ties go to the
    earliest combination, as in ``GridSearchCV``. Every combination sees the same splits (a splitter with
    a fixed random_state, or the unshuffled folds of an int `cv`). Cost: combinations x splits fits.
    """
    candidates = parameter_grid(param_grid)
    means = np.array([cross_val_score(clone(estimator).set_params(**params), X, y, cv=cv, scoring=scoring).mean()
                      for params in candidates])
    best = int(np.argmax(means))
    return {"params": candidates, "mean_test_score": means, "best_index": best,
            "best_params": candidates[best], "best_score": float(means[best])}
