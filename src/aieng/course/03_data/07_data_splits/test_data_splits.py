"""Checks for `data-splits`, against scikit-learn's splitters (train_test_split, StratifiedShuffleSplit,
TimeSeriesSplit, GroupKFold) and plain set arithmetic, on seeded random inputs."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import GroupKFold, StratifiedShuffleSplit, TimeSeriesSplit, train_test_split

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.strategies import rngs

SKLEARN_SPLITTERS = ("train_test_split", "StratifiedShuffleSplit", "ShuffleSplit", "StratifiedKFold", "KFold",
                     "TimeSeriesSplit", "GroupKFold", "GroupShuffleSplit", "StratifiedGroupKFold")
fractions = st.floats(0.05, 0.4)


def _call(impl, name, *args, **kwargs):
    """Run the learner's function with scikit-learn's splitters switched off."""
    with forbid(impl, *(f"sklearn.model_selection.{s}" for s in SKLEARN_SPLITTERS)):
        return getattr(impl, name)(*args, **kwargs)


def _index_array(value, what):
    expect(isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.integer) and value.ndim == 1,
           f"{what} should be a 1-D numpy array of integer row indices, got {type(value).__name__} "
           f"{getattr(value, 'dtype', '')}")
    return value


def _assert_partition(parts, n, what):
    """The parts are disjoint and together hold every row 0..n-1 exactly once."""
    joined = np.concatenate(parts) if parts else np.array([], dtype=np.int64)
    counts = np.bincount(joined, minlength=n) if joined.size else np.zeros(n, dtype=int)
    expect(joined.size == 0 or (joined.min() >= 0 and joined.max() < n), f"{what} holds indices outside 0..{n - 1}")
    expect(np.all(counts <= 1), f"{what}: rows {np.flatnonzero(counts > 1)[:8].tolist()} appear in more than one part "
                                "(leakage: the model would be judged on rows it trained on)")
    expect(np.all(counts == 1), f"{what}: rows {np.flatnonzero(counts == 0)[:8].tolist()} are in no part")


def test_does_not_import_sklearn(impl):
    """Your module does not import scikit-learn: the splitters are yours to write (the tests use sklearn as the key)."""
    assert_not_imported(impl, "sklearn")


@given(st.integers(5, 200), fractions, fractions, st.integers(0, 2**31 - 1))
def test_three_way_split_sizes_match_sklearn_rounding(impl, n, val_size, test_size, seed):
    """train_val_test_split partitions 0..n-1; the test part has as many rows as sklearn's train_test_split gives
    (ceil(test_size * n)), the validation part ceil(val_size * n) rows, training the rest."""
    if n - math.ceil(val_size * n) - math.ceil(test_size * n) < 1:
        return
    parts = _call(impl, "train_val_test_split", n, val_size, test_size, random_state=seed)
    expect(isinstance(parts, tuple) and len(parts) == 3, "train_val_test_split should return (train, val, test)")
    train, val, test = (_index_array(p, f"the {w} part") for p, w in zip(parts, ("train", "val", "test"), strict=True))
    _assert_partition([train, val, test], n, "train_val_test_split")
    _, sk_test = train_test_split(np.arange(n), test_size=test_size, random_state=0)
    expect(len(test) == len(sk_test), f"test part has {len(test)} rows; sklearn's rounding gives {len(sk_test)} "
                                      f"(ceil({test_size:.4f} * {n}))")
    expect(len(val) == math.ceil(val_size * n), f"validation part has {len(val)} rows, expected "
                                                f"ceil({val_size:.4f} * {n}) = {math.ceil(val_size * n)}")


def test_three_way_split_is_seeded_and_shuffled(impl):
    """The same random_state gives the same split; different seeds give different splits; the test rows are not
    simply the last rows (the split must shuffle)."""
    a = _call(impl, "train_val_test_split", 100, 0.2, 0.2, random_state=7)
    b = _call(impl, "train_val_test_split", 100, 0.2, 0.2, random_state=7)
    c = _call(impl, "train_val_test_split", 100, 0.2, 0.2, random_state=8)
    expect(all(np.array_equal(x, y) for x, y in zip(a, b, strict=True)), "random_state=7 twice gave two different "
                                                                          "splits: seed your generator")
    expect(not np.array_equal(np.sort(a[2]), np.sort(c[2])), "random_state=7 and 8 gave the same test rows")
    expect(not np.array_equal(np.sort(a[2]), np.arange(80, 100)), "the test part is the last 20 rows: shuffle first")


def test_three_way_split_rejects_bad_sizes(impl):
    """Fractions outside (0, 1), or so large that no training row is left, raise ValueError."""
    assert_raises_value_error(impl.train_val_test_split, 10, 0.0, 0.2, why="val_size must be in (0, 1)")
    assert_raises_value_error(impl.train_val_test_split, 10, 0.2, 1.5, why="test_size must be in (0, 1)")
    assert_raises_value_error(impl.train_val_test_split, 10, 0.5, 0.5, why="no row would be left for training")


def _labels(rng):
    """Random labels: 2-5 classes of uneven sizes, each with at least 2 rows."""
    k = int(rng.integers(2, 6))
    sizes = rng.integers(2, 40, size=k)
    return rng.permutation(np.repeat(np.array(["ant", "bee", "cat", "dog", "eel"])[:k], sizes))


@settings(max_examples=30)  # sklearn's StratifiedShuffleSplit takes ~1 ms per call
@given(rngs(), fractions, st.integers(0, 2**31 - 1))
def test_stratified_split_keeps_class_shares_like_sklearn(impl, rng, test_size, seed):
    """stratified_split gives each class floor or ceil of its share n_test * n_c / n of the test rows, and exactly
    StratifiedShuffleSplit's per-class counts whenever the rounding has no ties."""
    y = _labels(rng)
    n, classes = y.size, np.unique(y)
    n_test = math.ceil(test_size * n)
    if n_test < classes.size or n - n_test < classes.size:
        return
    parts = _call(impl, "stratified_split", y, test_size, random_state=seed)
    expect(isinstance(parts, tuple) and len(parts) == 2, "stratified_split should return (train, test)")
    train, test = (_index_array(p, w) for p, w in zip(parts, ("train", "test"), strict=True))
    _assert_partition([train, test], n, "stratified_split")
    expect(len(test) == n_test, f"test part has {len(test)} rows, expected ceil({test_size:.4f} * {n}) = {n_test}")
    counts = {c: int(np.sum(y == c)) for c in classes}
    got = {c: int(np.sum(y[test] == c)) for c in classes}
    for c in classes:
        share = n_test * counts[c] / n
        expect(got[c] in (math.floor(share), math.ceil(share)),
               f"class {c!r} ({counts[c]} of {n} rows) has {got[c]} test rows; its share is {share:.3f}, so "
               f"{math.floor(share)} or {math.ceil(share)}")
    remainders = [(n_test * counts[c]) % n for c in classes]
    if len(set(r for r in remainders if r)) == sum(1 for r in remainders if r):  # no tie to break
        (_, sk_test), = StratifiedShuffleSplit(n_splits=1, test_size=n_test, random_state=0).split(y, y)
        want = {c: int(np.sum(y[sk_test] == c)) for c in classes}
        expect(got == want, f"test rows per class {got}, StratifiedShuffleSplit gives {want}")


def test_stratified_split_draws_at_random_within_classes(impl):
    """Within each class the test rows are drawn at random (seeded): not always the first rows of the class."""
    y = np.repeat(["a", "b"], 50)
    _, t1 = _call(impl, "stratified_split", y, 0.2, random_state=1)
    _, t2 = _call(impl, "stratified_split", y, 0.2, random_state=1)
    _, t3 = _call(impl, "stratified_split", y, 0.2, random_state=2)
    expect(np.array_equal(np.sort(t1), np.sort(t2)), "the same random_state gave different test rows")
    expect(not np.array_equal(np.sort(t1), np.sort(t3)), "random_state 1 and 2 gave the same test rows")
    expect(not np.array_equal(np.sort(t1), np.r_[0:10, 50:60]), "the test rows are the first of each class: shuffle")


def test_stratified_split_rejects_impossible_requests(impl):
    """A class with a single row, a 2-D y, or too few test rows for every class raise ValueError."""
    assert_raises_value_error(impl.stratified_split, np.array(["a", "a", "b"]), 0.5, why="class 'b' has one row")
    assert_raises_value_error(impl.stratified_split, np.zeros((4, 2)), 0.5, why="y must be 1-D")
    y = np.repeat(["a", "b", "c"], 10)
    assert_raises_value_error(impl.stratified_split, y, 0.05, why="2 test rows cannot hold 3 classes")


@settings(max_examples=30)
@given(rngs(), st.integers(2, 6), st.sampled_from([None, 1, 3]), st.integers(0, 3))
def test_time_series_folds_match_sklearn(impl, rng, n_splits, test_size, gap):
    """time_series_folds cuts the rows, in time order, exactly like sklearn's TimeSeriesSplit(n_splits, test_size,
    gap) cuts np.arange(n); the returned indices point to the original (shuffled-in-time) rows."""
    n = int(rng.integers(n_splits * (test_size or 1) + gap + 2 + n_splits, 60))
    timestamps = rng.permutation(n) * 10.0 + 1000.0  # distinct times, rows not in time order
    order = np.argsort(timestamps)
    want = list(TimeSeriesSplit(n_splits=n_splits, test_size=test_size, gap=gap).split(np.arange(n)))
    got = _call(impl, "time_series_folds", timestamps, n_splits, test_size=test_size, gap=gap)
    expect(len(got) == len(want), f"got {len(got)} folds, expected {len(want)}")
    for i, ((tr, te), (w_tr, w_te)) in enumerate(zip(got, want, strict=True)):
        _index_array(tr, f"fold {i} train")
        _index_array(te, f"fold {i} test")
        expect(np.array_equal(tr, order[w_tr]), f"fold {i}: train rows {tr.tolist()[:10]}..., expected "
                                                f"{order[w_tr].tolist()[:10]}... (the earliest rows, in time order)")
        expect(np.array_equal(te, order[w_te]), f"fold {i}: test rows {te.tolist()}, expected {order[w_te].tolist()}")
        expect(timestamps[tr].max() < timestamps[te].min(), f"fold {i} trains on rows from the future of its test rows")


def test_time_series_folds_reject_bad_input(impl):
    """Too few rows for the folds, n_splits < 2, a negative gap or 2-D timestamps raise ValueError."""
    assert_raises_value_error(impl.time_series_folds, np.arange(3.0), 5, why="3 rows cannot make 5 folds")
    assert_raises_value_error(impl.time_series_folds, np.arange(10.0), 1, why="n_splits must be at least 2")
    assert_raises_value_error(impl.time_series_folds, np.arange(10.0), 2, gap=-1, why="gap must be >= 0")
    assert_raises_value_error(impl.time_series_folds, np.zeros((5, 2)), 2, why="timestamps must be 1-D")


@settings(max_examples=30)
@given(rngs(), st.integers(2, 5))
def test_group_kfold_never_splits_a_group(impl, rng, n_splits):
    """group_kfold: every row is in exactly one test fold, no group is on both sides of any fold, and the test-fold
    sizes are those of sklearn's GroupKFold (largest group first, into the lightest fold)."""
    n_groups = int(rng.integers(n_splits, 15))
    groups = rng.permutation(np.repeat(np.arange(n_groups) * 7 + 3, rng.integers(1, 12, size=n_groups)))
    folds = _call(impl, "group_kfold", groups, n_splits)
    expect(len(folds) == n_splits, f"got {len(folds)} folds, expected {n_splits}")
    tests = [_index_array(te, f"fold {i} test") for i, (_, te) in enumerate(folds)]
    _assert_partition(tests, groups.size, "the test folds")
    for i, (tr, te) in enumerate(folds):
        _assert_partition([_index_array(tr, f"fold {i} train"), te], groups.size, f"fold {i}")
        shared = set(groups[tr].tolist()) & set(groups[te].tolist())
        expect(not shared, f"fold {i}: groups {sorted(shared)[:5]} are in both train and test (group leakage)")
    want = sorted(len(te) for _, te in GroupKFold(n_splits=n_splits).split(groups, groups=groups))
    expect(sorted(len(t) for t in tests) == want, f"test-fold sizes {sorted(len(t) for t in tests)}, GroupKFold gives "
                                                  f"{want}: put each group, largest first, into the lightest fold")


def test_group_kfold_rejects_too_few_groups(impl):
    """Fewer groups than folds, or n_splits < 2, raise ValueError."""
    assert_raises_value_error(impl.group_kfold, np.array([1, 1, 2, 2]), 3, why="2 groups cannot fill 3 folds")
    assert_raises_value_error(impl.group_kfold, np.array([1, 2, 3]), 1, why="n_splits must be at least 2")
