"""Retrieval: find the stored vectors nearest to a query, and measure how good a ranking is.

Vector indexes (cosine similarity, the usual choice for sentence embeddings):

- `ExactIndex`: rows normalized to unit length once, at insertion; a query batch is then one matrix
  product, S = Q_hat X_hat^T (cosines, shape (q, n)), and the top k of each row come from
  ``np.argpartition`` (O(n) per row) followed by sorting just those k (O(k log k)). Exact, and
  O(q n d) per batch: fine up to a few hundred thousand vectors.
- `HNSWIndex`: the same interface over ``usearch.index.Index`` (a Hierarchical Navigable Small World
  graph: layered proximity graphs searched greedily from the sparse top layer down). Approximate:
  roughly O(log n) per query, with recall governed by `connectivity` (edges per node, M),
  `expansion_add` (candidate list while building, efConstruction) and `expansion_search` (candidate
  list while searching, ef). usearch reports cosine *distance*, 1 - cos; we return similarities.
- `knn_recall(approx, exact)`: the fraction of the true k nearest neighbours an approximate index
  returned, averaged over queries: the number that tells you whether HNSW's speed cost you answers.

Ranking metrics for one query (`ranked`: item ids, best first; `relevant`: the ids judged relevant):

    precision@k = |top_k ∩ R| / k        recall@k = |top_k ∩ R| / |R|
    RR = 1 / rank of the first relevant item (0 if none)       MRR = mean of RR over queries
    DCG@k = sum_{i=1..k} g(item_i) / log2(i + 1)     nDCG@k = DCG@k / DCG@k of the ideal ordering

with graded gains g (a dict id -> non-negative relevance, missing ids count 0). Conventions, stated
because libraries differ: precision@k divides by k even when fewer than k items were ranked (the
missing ranks count as misses, as trec_eval does); the gain is linear in the grade (as
sklearn.metrics.ndcg_score; some papers use 2^g - 1); the ideal DCG ranks every judged item, retrieved
or not; a query with no positive gain has nDCG 0 (sklearn's choice); recall with no relevant item is
undefined and raises ValueError.

Left out: inverted-file and product-quantization indexes (IVF-PQ, faiss), deletion and persistence,
inner-product and L2 metrics, MAP, and significance tests between systems.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ExactIndex", "HNSWIndex", "knn_recall", "mean_reciprocal_rank", "ndcg_at_k", "normalize_rows",
           "precision_at_k", "recall_at_k", "reciprocal_rank"]


# ----------------------------------------------------------------------------- vector indexes


def normalize_rows(x: ArrayLike) -> np.ndarray:
    """Each row of `x` (n, d) divided by its Euclidean length: unit rows, float64, shape (n, d).

    After this, the dot product of two rows is their cosine similarity. A zero row has no direction
    and raises ValueError, as do NaN or infinite entries.

    >>> normalize_rows([[3.0, 4.0]])
    array([[0.6, 0.8]])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D array (n, d), got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("vectors must be finite (no NaN or inf)")
    lengths = np.linalg.norm(x, axis=1, keepdims=True)
    if (lengths == 0).any():
        raise ValueError(f"row {int(np.flatnonzero(lengths[:, 0] == 0)[0])} is the zero vector: no direction")
    return x / lengths


def _as_batch(vectors: ArrayLike, ndim: int, what: str) -> np.ndarray:
    """`vectors` as a float64 array (m, ndim); one vector (ndim,) becomes (1, ndim)."""
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != ndim:
        raise ValueError(f"{what} must have shape (m, {ndim}), got {np.shape(vectors)}")
    return array


def _as_keys(keys: ArrayLike, count: int) -> np.ndarray:
    array = np.asarray(keys)
    if array.ndim != 1 or len(array) != count:
        raise ValueError(f"expected {count} keys in a 1-D array, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"keys must be integers, got dtype {array.dtype}")
    if len(np.unique(array)) != len(array):
        raise ValueError("keys must be distinct")
    return array.astype(np.int64)


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")


class ExactIndex:
    """Brute-force cosine search: normalized rows, one matrix product, argpartition for the top k.

    >>> index = ExactIndex(2)
    >>> index.add([10, 11, 12], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> keys, scores = index.search([[1.0, 0.1]], k=2)
    >>> keys.tolist(), scores.round(3).tolist()
    ([[10, 12]], [[0.995, 0.774]])
    """

    def __init__(self, ndim: int) -> None:
        if isinstance(ndim, bool) or not isinstance(ndim, int) or ndim < 1:
            raise ValueError(f"ndim must be a positive integer, got {ndim!r}")
        self.ndim = ndim
        self._keys = np.empty(0, dtype=np.int64)
        self._unit = np.empty((0, ndim))

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, keys: ArrayLike, vectors: ArrayLike) -> None:
        """Store `vectors` (n, ndim) under integer `keys` (n,); keys must be new and distinct."""
        vectors = _as_batch(vectors, self.ndim, "vectors")
        keys = _as_keys(keys, len(vectors))
        if np.isin(keys, self._keys).any():
            raise ValueError("some keys are already in the index")
        self._unit = np.vstack([self._unit, normalize_rows(vectors)])
        self._keys = np.concatenate([self._keys, keys])

    def search(self, queries: ArrayLike, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k stored vectors most cosine-similar to each query, best first.

        queries: (q, ndim), or one vector (ndim,) treated as q = 1. Returns (keys (q, k') int64,
        scores (q, k') float64 cosine similarities, descending along each row), k' = min(k, len(self)).
        Equal scores come in any order. Cost: O(q n d) for the product, O(q (n + k log k)) for the top k.
        """
        _check_k(k)
        if len(self) == 0:
            raise ValueError("the index is empty: add vectors before searching")
        scores = normalize_rows(_as_batch(queries, self.ndim, "queries")) @ self._unit.T  # (q, n)
        k = min(int(k), len(self))
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]  # the k best per row, unordered
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        best = np.take_along_axis(top, order, axis=1)
        return self._keys[best], np.take_along_axis(scores, best, axis=1)


class HNSWIndex:
    """Approximate cosine search with usearch's HNSW graph; same interface as `ExactIndex`.

    connectivity (M): graph edges per node; expansion_add (efConstruction) and expansion_search (ef):
    candidate-list sizes while building and searching. Larger values raise recall and cost time and
    memory. Vectors are stored as float32 (``dtype="f32"``, not usearch's reduced-precision default)
    and inserted and searched on one thread, so the graph, and so the results, are reproducible.
    """

    def __init__(self, ndim: int, connectivity: int = 16, expansion_add: int = 128, expansion_search: int = 64) -> None:
        for name, value in [("ndim", ndim), ("connectivity", connectivity), ("expansion_add", expansion_add),
                            ("expansion_search", expansion_search)]:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        from usearch.index import Index  # imported here: the exact index needs no usearch

        self.ndim = ndim
        self._index = Index(ndim=ndim, metric="cos", dtype="f32", connectivity=connectivity,
                            expansion_add=expansion_add, expansion_search=expansion_search)

    def __len__(self) -> int:
        return len(self._index)

    def add(self, keys: ArrayLike, vectors: ArrayLike) -> None:
        """Store `vectors` (n, ndim) under integer `keys` (n,); keys must be new and distinct."""
        vectors = _as_batch(vectors, self.ndim, "vectors")
        keys = _as_keys(keys, len(vectors))
        normalize_rows(vectors)  # the same checks as the exact index: finite, no zero rows
        if len(self) and np.asarray(self._index.contains(keys)).any():
            raise ValueError("some keys are already in the index")
        self._index.add(keys, vectors.astype(np.float32), threads=1)

    def search(self, queries: ArrayLike, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Approximately the k most cosine-similar stored vectors per query: (keys (q, k'), scores (q, k')),
        k' = min(k, len(self)), scores = 1 - usearch's cosine distance, descending along each row."""
        _check_k(k)
        if len(self) == 0:
            raise ValueError("the index is empty: add vectors before searching")
        queries = _as_batch(queries, self.ndim, "queries")
        normalize_rows(queries)
        k = min(int(k), len(self))
        matches = self._index.search(queries.astype(np.float32), k, threads=1)
        keys = np.asarray(matches.keys, dtype=np.int64).reshape(len(queries), -1)[:, :k]
        distances = np.asarray(matches.distances, dtype=np.float64).reshape(len(queries), -1)[:, :k]
        return keys, 1.0 - distances


def knn_recall(approx_keys: ArrayLike, exact_keys: ArrayLike) -> float:
    """Mean over queries of |approx_i ∩ exact_i| / k: the share of the true k nearest neighbours found.

    Both arrays have shape (q, k) (one row per query); the order within a row does not matter.

    >>> knn_recall([[1, 2, 3], [4, 5, 6]], [[3, 2, 1], [4, 7, 8]])
    0.6666666666666666
    """
    approx, exact = np.asarray(approx_keys), np.asarray(exact_keys)
    if approx.ndim != 2 or approx.shape != exact.shape or approx.shape[1] == 0:
        raise ValueError(f"expected two arrays of the same shape (q, k) with k >= 1, got {approx.shape} and "
                         f"{exact.shape}")
    if approx.shape[0] == 0:
        raise ValueError("recall over zero queries is undefined")
    # hits[i, j]: approx[i, j] is one of exact[i]; rows hold distinct keys, so a sum counts the overlap
    hits = (approx[:, :, None] == exact[:, None, :]).any(axis=2)
    return float(hits.sum(axis=1).mean() / approx.shape[1])


# ----------------------------------------------------------------------------- ranking metrics


def _ranking(ranked: Sequence[Hashable]) -> list[Hashable]:
    items = list(ranked)
    if len(set(items)) != len(items):
        raise ValueError("a ranking lists each item at most once; this one has duplicates")
    return items


def _top_hits(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> int:
    _check_k(k)
    wanted = set(relevant)
    return sum(item in wanted for item in _ranking(ranked)[:k])


def precision_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """|top-k of `ranked` ∩ `relevant`| / k: the share of the first k slots that hold a relevant item.

    Fewer than k ranked items: the empty slots count as misses (divide by k, not by len(ranked)).

    >>> precision_at_k(["a", "b", "c"], {"a", "c", "z"}, k=2)
    0.5
    """
    return _top_hits(ranked, relevant, k) / k


def recall_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """|top-k of `ranked` ∩ `relevant`| / |relevant|: the share of the relevant items found in the top k.

    >>> recall_at_k(["a", "b", "c"], {"a", "c", "z"}, k=2)
    0.3333333333333333

    Raises ValueError when `relevant` is empty (nothing to recall: the query should be left out).
    """
    if not set(relevant):
        raise ValueError("recall is undefined for a query without relevant items")
    return _top_hits(ranked, relevant, k) / len(set(relevant))


def reciprocal_rank(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int | None = None) -> float:
    """1 / (1-based rank of the first relevant item), looking at the first `k` items (all if None);
    0.0 when none of them is relevant.

    >>> reciprocal_rank(["x", "a", "b"], {"a", "b"})
    0.5
    """
    items = _ranking(ranked)
    if k is not None:
        _check_k(k)
        items = items[:k]
    wanted = set(relevant)
    return next((1.0 / rank for rank, item in enumerate(items, start=1) if item in wanted), 0.0)


def mean_reciprocal_rank(rankings: Sequence[Sequence[Hashable]], relevant: Sequence[Collection[Hashable]],
                         k: int | None = None) -> float:
    """MRR: the mean of `reciprocal_rank` over queries (rankings[i] is judged by relevant[i]).

    >>> mean_reciprocal_rank([["a", "b"], ["c", "d"]], [{"a"}, {"d"}])
    0.75
    """
    if len(rankings) != len(relevant):
        raise ValueError(f"{len(rankings)} rankings but {len(relevant)} relevance sets")
    if not rankings:
        raise ValueError("MRR over zero queries is undefined")
    return float(np.mean([reciprocal_rank(r, rel, k) for r, rel in zip(rankings, relevant, strict=True)]))


def ndcg_at_k(ranked: Sequence[Hashable], gains: Mapping[Hashable, float], k: int) -> float:
    """Normalized discounted cumulative gain of the first k items, with graded (linear) gains.

    DCG@k = sum over ranks i = 1..min(k, len(ranked)) of gains[item_i] / log2(i + 1) (unjudged items
    gain 0); the ideal DCG@k puts the k largest gains of `gains` first. nDCG@k = DCG@k / ideal, in
    [0, 1]; 0.0 when no gain is positive. Gains must be finite and >= 0.

    >>> round(ndcg_at_k(["b", "a"], {"a": 3, "b": 1}, k=2), 4)   # (1 + 3/log2 3) / (3 + 1/log2 3)
    0.7967
    """
    _check_k(k)
    items = _ranking(ranked)[:k]
    values = np.array([float(g) for g in gains.values()], dtype=np.float64)
    if values.size and (not np.isfinite(values).all() or (values < 0).any()):
        raise ValueError("gains must be finite and non-negative")
    discounts = 1.0 / np.log2(np.arange(2, k + 2))  # rank i -> 1 / log2(i + 1)
    ideal = float(np.sort(values)[::-1][:k] @ discounts[: min(k, values.size)])
    if ideal == 0.0:
        return 0.0
    got = np.array([float(gains.get(item, 0.0)) for item in items], dtype=np.float64)
    return float(got @ discounts[: len(items)] / ideal)
