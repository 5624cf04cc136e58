"""Checks for `cross-validation`, against sklearn.model_selection.

Unshuffled KFold, StratifiedKFold and LeaveOneOut must give exactly sklearn's folds on random sizes and
labels. Shuffled folds cannot match sklearn's (it draws from numpy's legacy RandomState), so they are
checked for their properties: a partition into folds of sklearn's sizes (and, stratified, sklearn's
class counts per fold), reproducible for a fixed random_state. cross_val_score and grid_search are
compared with sklearn's cross_val_score and GridSearchCV on the same folds (iris with k-nearest
neighbours, diabetes with ridge regression) to 1e-12: the same fits on the same rows give the same
scores. While your code runs, sklearn.model_selection is switched off; sklearn.base.clone stays.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import model_selection as skms
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import Ridge
from sklearn.neighbors import KNeighborsClassifier

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present

NAMES = ("KFold", "StratifiedKFold", "LeaveOneOut", "ShuffleSplit", "StratifiedShuffleSplit", "RepeatedKFold",
         "LeavePOut", "cross_val_score", "cross_validate", "cross_val_predict", "GridSearchCV", "ParameterGrid",
         "check_cv")
SWITCHED_OFF = tuple(name for module in ("sklearn.model_selection", "sklearn.model_selection._split",
                                         "sklearn.model_selection._validation", "sklearn.model_selection._search")
                     for name in present(module, NAMES))
SEEDS = st.integers(0, 2**32 - 1)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # sklearn: "least populated class" notes


def switched_off(impl):
    return forbid(impl, *SWITCHED_OFF)


def folds(impl, splitter, X, y=None) -> list[tuple[np.ndarray, np.ndarray]]:
    with switched_off(impl):
        result = [(np.asarray(train), np.asarray(test)) for train, test in splitter.split(X, y)]
    return result


def assert_same_folds(got, expected, what: str) -> None:
    expect(len(got) == len(expected), f"{what} made {len(got)} splits, expected {len(expected)}")
    for i, ((train, test), (want_train, want_test)) in enumerate(zip(got, expected, strict=True)):
        assert_close(test, want_test, rtol=0, atol=0, what=f"{what}: test indices of split {i}")
        assert_close(train, want_train, rtol=0, atol=0, what=f"{what}: train indices of split {i}")


def assert_partition(got, n: int, what: str) -> None:
    """Every index is in exactly one test fold, and each train part is the complement of its test part."""
    tests = np.concatenate([test for _, test in got])
    assert_close(np.sort(tests), np.arange(n), rtol=0, atol=0, what=f"{what}: all test folds together")
    for i, (train, test) in enumerate(got):
        assert_close(np.sort(train), np.setdiff1d(np.arange(n), test), rtol=0, atol=0,
                     what=f"{what}: train indices of split {i} (the complement of its test fold)")


@given(st.integers(2, 40), st.integers(2, 8))
def test_kfold_matches_sklearn(impl, n, k):
    """KFold(k) without shuffling gives sklearn's folds: contiguous blocks, the first n % k one sample larger."""
    k = min(k, n)
    X = np.zeros((n, 2))
    assert_same_folds(folds(impl, impl.KFold(k), X), list(skms.KFold(k).split(X)), f"KFold({k}) on {n} samples")


@given(st.integers(30, 60), st.integers(2, 6), SEEDS)
def test_shuffled_kfold_is_a_reproducible_partition(impl, n, k, seed):
    """KFold(k, shuffle=True, random_state=s) partitions the samples into folds of sklearn's sizes, gives the
    same folds for the same s, and is not the unshuffled split (the chance of that is below 1e-8 for n >= 30)."""
    X = np.zeros((n, 1))
    got = folds(impl, impl.KFold(k, shuffle=True, random_state=seed), X)
    sizes = [len(test) for _, test in skms.KFold(k).split(X)]
    expect([len(test) for _, test in got] == sizes, f"fold sizes {[len(t) for _, t in got]}, expected {sizes}")
    assert_partition(got, n, f"KFold({k}, shuffle=True)")
    again = folds(impl, impl.KFold(k, shuffle=True, random_state=seed), X)
    assert_same_folds(again, got, "KFold with the same random_state twice")
    expect(not np.array_equal(got[0][1], np.arange(sizes[0])), "shuffle=True should shuffle before splitting")


def labels(rng: np.random.Generator, n: int) -> np.ndarray:
    """Labels of 2 to 4 classes with unequal shares, in random order."""
    k = int(rng.integers(2, 5))
    return rng.choice(k, size=n, p=rng.dirichlet(np.ones(k) * 2))


@given(st.integers(10, 60), st.integers(2, 5), SEEDS)
def test_stratified_kfold_matches_sklearn(impl, n, k, seed):
    """StratifiedKFold(k) without shuffling gives exactly sklearn's folds (class shares kept in every fold)."""
    y = labels(np.random.default_rng(seed), n)
    X = np.zeros((n, 1))
    try:
        expected = list(skms.StratifiedKFold(k).split(X, y))
    except ValueError:  # every class smaller than k: yours must refuse too
        assert_raises_value_error(lambda: list(impl.StratifiedKFold(k).split(X, y)),
                                  why=f"no class has {k} members")
        return
    assert_same_folds(folds(impl, impl.StratifiedKFold(k), X, y), expected, f"StratifiedKFold({k})")


@given(st.integers(10, 60), st.integers(2, 5), SEEDS)
def test_shuffled_stratified_kfold_keeps_the_class_counts(impl, n, k, seed):
    """With shuffle=True the folds still partition the samples, and each fold holds as many samples of each
    class as sklearn's folds do (shuffling changes which samples, not how many)."""
    y = labels(np.random.default_rng(seed), n)
    X = np.zeros((n, 1))
    try:
        expected = list(skms.StratifiedKFold(k).split(X, y))
    except ValueError:
        return
    got = folds(impl, impl.StratifiedKFold(k, shuffle=True, random_state=seed), X, y)
    assert_partition(got, n, f"StratifiedKFold({k}, shuffle=True)")
    classes = np.unique(y)
    for i, ((_, test), (_, want)) in enumerate(zip(got, expected, strict=True)):
        counts = [(y[test] == c).sum() for c in classes]
        want_counts = [(y[want] == c).sum() for c in classes]
        expect(counts == want_counts, f"fold {i} has class counts {counts}, expected {want_counts}")


@given(st.integers(2, 15))
def test_leave_one_out_matches_sklearn(impl, n):
    """LeaveOneOut makes n splits, test fold i = [i], and get_n_splits(X) = n, as sklearn's."""
    X = np.zeros((n, 1))
    assert_same_folds(folds(impl, impl.LeaveOneOut(), X), list(skms.LeaveOneOut().split(X)), "LeaveOneOut")
    with switched_off(impl):
        count = impl.LeaveOneOut().get_n_splits(X)
    expect(count == n, f"LeaveOneOut().get_n_splits(X) is {count}, expected {n}")


def test_bootstrap_split_trains_on_a_resample_and_tests_out_of_bag(impl):
    """BootstrapSplit: each train part is n indices drawn with replacement, each test part exactly the
    indices never drawn; the same random_state repeats the splits. Over 200 splits of n = 50 the
    out-of-bag share must be within 0.024 of (1 - 1/50)^50 = 0.364 (5 standard errors: a correct
    implementation fails with probability below 1e-6)."""
    n = 50
    X = np.zeros((n, 1))
    got = folds(impl, impl.BootstrapSplit(200, random_state=7), X)
    expect(len(got) == 200, f"BootstrapSplit(200) made {len(got)} splits")
    for i, (train, test) in enumerate(got[:20]):
        expect(train.size == n and train.min() >= 0 and train.max() < n,
               f"split {i}: train should be {n} indices in 0..{n - 1}, got {train!r}")
        assert_close(np.sort(test), np.setdiff1d(np.arange(n), train), rtol=0, atol=0,
                     what=f"split {i}: out-of-bag indices")
    expect(any(np.unique(train).size < n for train, _ in got), "train indices should repeat (drawn with replacement)")
    share = np.mean([test.size / n for _, test in got])
    expect(abs(share - (1 - 1 / n) ** n) < 0.024, f"out-of-bag share {share:.3f}, expected about 0.364")
    again = folds(impl, impl.BootstrapSplit(200, random_state=7), X)
    assert_same_folds(again[:5], got[:5], "BootstrapSplit with the same random_state twice")


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def test_cross_val_score_matches_sklearn(impl, iris, diabetes):
    """cross_val_score(estimator, X, y, cv=5) equals sklearn's: stratified folds and accuracy for a
    classifier, plain folds and R² for a regressor; and with a splitter object and a scoring function."""
    X, y = iris
    knn = KNeighborsClassifier(n_neighbors=7)
    with switched_off(impl):
        got = impl.cross_val_score(knn, X, y, cv=5)
    assert_close(got, skms.cross_val_score(knn, X, y, cv=5), rtol=1e-12, what="cross_val_score(knn, iris, cv=5)")
    X, y = diabetes
    ridge = Ridge(alpha=0.5)
    with switched_off(impl):
        got = impl.cross_val_score(ridge, X, y, cv=4)
    assert_close(got, skms.cross_val_score(ridge, X, y, cv=4), rtol=1e-12,
                 what="cross_val_score(ridge, diabetes, cv=4)")
    splitter = skms.KFold(3, shuffle=True, random_state=0)

    def neg_mae(model, X_test, y_test):
        return -float(np.mean(np.abs(model.predict(X_test) - y_test)))
    with switched_off(impl):
        got = impl.cross_val_score(ridge, X, y, cv=splitter, scoring=neg_mae)
    expected = skms.cross_val_score(ridge, X, y, cv=splitter, scoring="neg_mean_absolute_error")
    assert_close(got, expected, rtol=1e-12, what="cross_val_score with a KFold splitter and a scoring function")


def test_your_splitters_work_as_cv_in_sklearn(impl, iris):
    """Your splitters follow sklearn's protocol (split and get_n_splits), so sklearn's own cross_val_score
    accepts them as cv= and gets the scores sklearn's splitters give."""
    X, y = iris
    knn = KNeighborsClassifier(n_neighbors=5)
    for mine, theirs in ((impl.KFold(5), skms.KFold(5)), (impl.StratifiedKFold(4), skms.StratifiedKFold(4))):
        assert_close(skms.cross_val_score(knn, X, y, cv=mine), skms.cross_val_score(knn, X, y, cv=theirs),
                     rtol=1e-12, what=f"sklearn's cross_val_score with cv={type(mine).__name__}")


def test_grid_search_matches_gridsearchcv(impl, iris, diabetes):
    """grid_search returns the combinations in sklearn's order (names sorted, the last varying fastest),
    their mean test scores and the best parameters, as GridSearchCV's cv_results_ and best_params_."""
    X, y = iris
    grid = {"weights": ["uniform", "distance"], "n_neighbors": [1, 5, 15, 40]}
    with switched_off(impl):
        got = impl.grid_search(KNeighborsClassifier(), grid, X, y, cv=5)
    search = skms.GridSearchCV(KNeighborsClassifier(), grid, cv=5).fit(X, y)
    check_search(got, search, "grid_search(knn, iris)")
    X, y = diabetes
    splitter = skms.KFold(5, shuffle=True, random_state=1)
    grid = {"alpha": [0.001, 0.01, 0.1, 1.0, 10.0]}
    with switched_off(impl):
        got = impl.grid_search(Ridge(), grid, X, y, cv=splitter)
    check_search(got, skms.GridSearchCV(Ridge(), grid, cv=splitter).fit(X, y), "grid_search(ridge, diabetes)")


def check_search(got, search, what: str) -> None:
    expect(isinstance(got, dict), f"{what} should return a dict, got {type(got).__name__}")
    for key in ("params", "mean_test_score", "best_params"):
        expect(key in got, f"{what} should return a dict with key {key!r}; it has {sorted(got)}")
    expect(list(got["params"]) == list(search.cv_results_["params"]),
           f"{what}: params {got['params']} should be in the order {search.cv_results_['params']}")
    assert_close(got["mean_test_score"], search.cv_results_["mean_test_score"], rtol=1e-12,
                 what=f"{what}: mean_test_score")
    expect(got["best_params"] == search.best_params_, f"{what}: best_params {got['best_params']}, "
                                                       f"expected {search.best_params_}")


def test_does_not_import_sklearn_model_selection(impl):
    """Your module builds its splitters itself: nothing in it comes from sklearn.model_selection
    (sklearn.base.clone is fine)."""
    for name, value in vars(impl).items():
        origin = value.__name__ if hasattr(value, "__path__") else getattr(value, "__module__", "") or ""
        expect(not str(origin).startswith("sklearn.model_selection"),
               f"`{name}` comes from sklearn.model_selection: write it yourself")


def test_rejects_bad_input(impl):
    """n_splits < 2, more folds than samples, StratifiedKFold without labels, one-sample leave-one-out and
    an empty parameter grid raise ValueError."""
    X = np.zeros((4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_raises_value_error(lambda: list(impl.KFold(1).split(X)), why="one fold leaves nothing to train on")
        assert_raises_value_error(lambda: list(impl.KFold(5).split(X)), why="5 folds need at least 5 samples")
        assert_raises_value_error(lambda: list(impl.StratifiedKFold(2).split(X)), why="stratifying needs y")
        assert_raises_value_error(lambda: list(impl.LeaveOneOut().split(np.zeros((1, 1)))),
                                  why="one sample leaves nothing to train on")
        assert_raises_value_error(impl.grid_search, Ridge(), {}, X, np.zeros(4), why="the grid is empty")
