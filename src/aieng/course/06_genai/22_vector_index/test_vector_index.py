"""Checks for `vector-index`, against brute force in numpy: every cosine computed, the full row sorted.

The exact index must agree to 1e-10 (float64 rounding only). Ties may come in any order, so the checks
compare the sorted scores and that each returned key's true cosine equals its score. The HNSW index is
judged by its recall against that brute force (a fixed graph: usearch inserts and searches on one thread),
and its scores against the true cosines to 1e-5 (float32). usearch is switched off in the exact index.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid_package
from aieng.grader.strategies import rngs


def brute_force(stored, queries, k):
    """Every cosine (q, n) and each row's k best scores, by a full descending sort."""
    unit = stored / np.linalg.norm(stored, axis=1, keepdims=True)
    units = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    cosines = units @ unit.T
    order = np.argsort(-cosines, axis=1, kind="stable")[:, :k]
    return cosines, order, np.take_along_axis(cosines, order, axis=1)


def check_result(result, keys, cosines, want_scores, what, rtol, atol):
    """The result is (keys, scores) of the right shapes; scores equal the brute-force top k; each key's true
    cosine equals its score."""
    expect(isinstance(result, tuple) and len(result) == 2, f"{what} should return a pair (keys, scores)")
    got_keys, got_scores = (np.asarray(a) for a in result)
    expect(got_keys.shape == want_scores.shape, f"{what}: keys have shape {got_keys.shape}, expected "
                                                f"{want_scores.shape}")
    assert_close(got_scores, want_scores, rtol=rtol, atol=atol, what=f"{what} scores (best first)")
    position = {int(key): i for i, key in enumerate(keys)}
    expect(all(int(key) in position for key in got_keys.ravel()), f"{what} returned keys that were never added")
    expect(all(len(set(row.tolist())) == len(row) for row in got_keys), f"{what} returned a key twice in a row")
    true = np.take_along_axis(cosines, np.vectorize(position.get)(got_keys).reshape(got_keys.shape), axis=1)
    assert_close(got_scores, true, rtol=rtol, atol=atol, what=f"{what}: the returned keys' true cosines")
    return got_keys, got_scores


@st.composite
def stores(draw):
    """Stored vectors with distinct random keys, queries, and k (sometimes larger than the store)."""
    rng = draw(rngs())
    n, d, q = draw(st.integers(1, 40)), draw(st.integers(1, 8)), draw(st.integers(1, 5))
    stored = rng.standard_normal((n, d)) * rng.uniform(0.1, 10.0, size=(n, 1))  # lengths must not matter
    keys = rng.choice(10**9, size=n, replace=False)
    return keys, stored, rng.standard_normal((q, d)), draw(st.integers(1, n + 3))


@given(rngs(), st.integers(1, 6), st.integers(1, 8))
def test_normalize_rows_gives_unit_rows(impl, rng, n, d):
    """normalize_rows(x) equals x / numpy.linalg.norm(x, axis=1, keepdims=True): unit rows, same directions."""
    x = rng.standard_normal((n, d)) * 100
    assert_close(impl.normalize_rows(x), x / np.linalg.norm(x, axis=1, keepdims=True), what="normalize_rows(x)")


def test_normalize_rows_rejects_zero_rows_and_bad_shapes(impl):
    """A zero row has no direction, a 1-D array is not a batch of rows, NaN is not a vector: ValueError."""
    assert_raises_value_error(impl.normalize_rows, np.array([[1.0, 2.0], [0.0, 0.0]]), why="the zero row has no "
                                                                                         "direction")
    assert_raises_value_error(impl.normalize_rows, np.ones(3), why="it expects a 2-D array (n, d)")
    assert_raises_value_error(impl.normalize_rows, np.array([[np.nan, 1.0]]), why="NaN is not a direction")


@given(stores())
def test_exact_search_matches_brute_force(impl, case):
    """ExactIndex.search returns the min(k, n) best cosines per query, best first, under the right keys (brute
    force: every cosine, full sort)."""
    keys, stored, queries, k = case
    with forbid_package(impl, "usearch"):
        index = impl.ExactIndex(stored.shape[1])
        index.add(keys, stored)
        result = index.search(queries, k)
    cosines, _, want = brute_force(stored, queries, min(k, len(keys)))
    got_keys, _ = check_result(result, keys, cosines, want, "ExactIndex.search", 1e-10, 1e-10)
    expect(np.issubdtype(got_keys.dtype, np.integer), f"keys should be integers, got dtype {got_keys.dtype}")


@given(stores())
def test_exact_index_adds_in_batches_and_counts(impl, case):
    """Adding in two batches gives the same results as one batch; len(index) counts the stored vectors; a single
    query vector (d,) is treated as one query (shape (1, k))."""
    keys, stored, queries, k = case
    half = len(keys) // 2
    with forbid_package(impl, "usearch"):
        index = impl.ExactIndex(stored.shape[1])
        index.add(keys[:half], stored[:half])
        index.add(keys[half:], stored[half:])
        expect(len(index) == len(keys), f"len(index) is {len(index)} after adding {len(keys)} vectors")
        result = index.search(queries[0], k)
    cosines, _, want = brute_force(stored, queries[:1], min(k, len(keys)))
    check_result(result, keys, cosines, want, "ExactIndex.search(one query)", 1e-10, 1e-10)


def test_exact_index_worked_example(impl):
    """The lesson's example: keys 10, 11, 12 at (1, 0), (0, 1), (1, 1); the query (1, 0.1) finds 10 then 12."""
    index = impl.ExactIndex(2)
    index.add(np.array([10, 11, 12]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
    keys, scores = index.search(np.array([[1.0, 0.1]]), 2)
    expect(np.asarray(keys).tolist() == [[10, 12]], f"expected keys [[10, 12]], got {np.asarray(keys).tolist()}")
    assert_close(scores, [[1 / np.sqrt(1.01), 1.1 / np.sqrt(2.02)]], what="the two cosines")


def test_exact_index_rejects_bad_input(impl):
    """Wrong vector length, duplicate or already-stored keys, zero vectors, k < 1 and an empty index: ValueError."""
    empty = impl.ExactIndex(3)
    assert_raises_value_error(empty.search, np.ones((1, 3)), 1, why="an empty index has nothing to find")
    index = impl.ExactIndex(3)
    index.add(np.array([1, 2]), np.ones((2, 3)))
    assert_raises_value_error(index.add, np.array([3]), np.ones((1, 4)), why="the index holds 3-d vectors")
    assert_raises_value_error(index.add, np.array([5, 5]), np.ones((2, 3)), why="keys must be distinct")
    assert_raises_value_error(index.add, np.array([2]), np.ones((1, 3)), why="key 2 is already stored")
    assert_raises_value_error(index.add, np.array([7]), np.zeros((1, 3)), why="a zero vector has no direction")
    assert_raises_value_error(index.search, np.ones((1, 3)), 0, why="k must be at least 1")
    assert_raises_value_error(index.search, np.ones((1, 2)), 1, why="the query has the wrong length")


# ----------------------------------------------------------------------------- HNSW

N, DIM, QUERIES, K = 1000, 32, 100, 10


def gaussian_store(seed):
    """Random 32-d Gaussian vectors: no clusters at all, a hard case for a graph index."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, DIM)), rng.standard_normal((QUERIES, DIM))


def test_hnsw_recall_at_10_reaches_095(impl):
    """With connectivity 16, expansion_add 128 and expansion_search 64, HNSW finds at least 95% of the true 10
    nearest neighbours (brute force) of 100 queries among 1,000 random 32-d vectors, and its scores are the true
    cosines of the keys it returns (to 1e-5, float32)."""
    stored, queries = gaussian_store(0)
    keys = np.arange(N) * 7 + 3
    index = impl.HNSWIndex(DIM, connectivity=16, expansion_add=128, expansion_search=64)
    index.add(keys, stored)
    expect(len(index) == N, f"len(index) is {len(index)} after adding {N} vectors")
    result = index.search(queries, K)
    cosines, order, _ = brute_force(stored, queries, K)
    got_keys, got_scores = (np.asarray(a) for a in result)
    expect(got_keys.shape == (QUERIES, K), f"keys have shape {got_keys.shape}, expected {(QUERIES, K)}")
    expect(bool(np.all(np.diff(got_scores, axis=1) <= 1e-6)), "scores must be sorted best first (descending "
                                                               "similarity, not ascending distance)")
    rows = np.searchsorted(keys, got_keys)
    assert_close(got_scores, np.take_along_axis(cosines, rows, axis=1), rtol=1e-5, atol=1e-5,
                 what="the returned keys' true cosines")
    hits = [len(set(got_keys[i].tolist()) & set(keys[order[i]].tolist())) for i in range(QUERIES)]
    recall = np.mean(hits) / K
    expect(recall >= 0.95, f"recall@10 is {recall:.3f}; with these settings HNSW should find at least 95% of the "
                           "true neighbours (did you use metric='cos' and sort by similarity?)")


def test_hnsw_with_tiny_settings_is_approximate(impl):
    """With connectivity 4, expansion_add 8 and expansion_search 4 the graph walk misses neighbours: recall@10 stays
    below 0.8 on the same hard data, which shows the search walks usearch's HNSW graph rather than brute force."""
    stored, queries = gaussian_store(1)
    index = impl.HNSWIndex(DIM, connectivity=4, expansion_add=8, expansion_search=4)
    index.add(np.arange(N), stored)
    got_keys = np.asarray(index.search(queries, K)[0])
    _, order, _ = brute_force(stored, queries, K)
    recall = np.mean([len(set(got_keys[i].tolist()) & set(order[i].tolist())) for i in range(QUERIES)]) / K
    expect(recall < 0.8, f"recall@10 is {recall:.3f} with tiny settings: an HNSW graph this sparse should miss "
                         "neighbours; is HNSWIndex really searching usearch's graph with these settings?")


def test_hnsw_small_cases(impl):
    """k larger than the index returns every stored vector once; duplicate keys, zero vectors and an empty index
    raise ValueError."""
    index = impl.HNSWIndex(3)
    assert_raises_value_error(index.search, np.ones((1, 3)), 1, why="an empty index has nothing to find")
    index.add(np.array([4, 9]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    keys, scores = (np.asarray(a) for a in index.search(np.array([[1.0, 0.2, 0.0]]), 5))
    expect(keys.tolist() == [[4, 9]], f"expected keys [[4, 9]] (k clipped to the 2 stored vectors), got "
                                      f"{keys.tolist()}")
    assert_close(scores, [[1 / np.sqrt(1.04), 0.2 / np.sqrt(1.04)]], rtol=1e-5, atol=1e-6, what="scores")
    assert_raises_value_error(index.add, np.array([4]), np.ones((1, 3)), why="key 4 is already stored")
    assert_raises_value_error(index.add, np.array([5]), np.zeros((1, 3)), why="a zero vector has no direction")


# ----------------------------------------------------------------------------- recall


@given(rngs(), st.integers(1, 8), st.integers(1, 6))
def test_knn_recall_counts_the_overlap(impl, rng, q, k):
    """knn_recall(approx, exact) is the mean over rows of |approx_i ∩ exact_i| / k (a plain set count)."""
    exact = np.array([rng.choice(30, size=k, replace=False) for _ in range(q)])
    approx = np.array([rng.choice(30, size=k, replace=False) for _ in range(q)])
    want = np.mean([len(set(a) & set(e)) / k for a, e in zip(approx.tolist(), exact.tolist(), strict=True)])
    assert_close(impl.knn_recall(approx, exact), want, what="knn_recall")
    assert_close(impl.knn_recall(exact[:, ::-1], exact), 1.0, what="knn_recall of the same keys in another order")


def test_knn_recall_rejects_mismatched_shapes(impl):
    """Arrays of different shapes cannot be compared row by row: ValueError."""
    assert_raises_value_error(impl.knn_recall, np.zeros((2, 3)), np.zeros((2, 4)), why="the shapes differ")
