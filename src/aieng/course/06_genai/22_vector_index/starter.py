"""Vector indexes: exact cosine search and HNSW — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check vector-index`.

Both indexes share one interface:
    index.add(keys, vectors)        keys: distinct integers (n,); vectors: (n, ndim)
    index.search(queries, k)        queries: (q, ndim), or one vector (ndim,) treated as q = 1
        -> (keys (q, k') int64, scores (q, k') float cosine similarities, best first), k' = min(k, len(index))
    len(index)                      the number of stored vectors
Raise ValueError for: wrong shapes, NaN/inf or zero vectors, keys that are not distinct integers or are
already stored, k < 1, and searching an empty index.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def normalize_rows(x: ArrayLike) -> np.ndarray:
    """Each row of x (n, d) divided by its Euclidean length: float64 unit rows, shape (n, d).

    Raise ValueError if x is not 2-D, has NaN/inf entries, or has a zero row (no direction).
    """
    raise NotImplementedError


class ExactIndex:
    """Brute-force cosine search: store unit rows; scores = unit queries @ stored.T; np.argpartition for the top k."""

    def __init__(self, ndim: int) -> None:
        """An empty index for vectors of `ndim` entries (ValueError unless ndim is a positive integer)."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def add(self, keys: ArrayLike, vectors: ArrayLike) -> None:
        """Store `vectors` (n, ndim) under `keys` (n,)."""
        raise NotImplementedError

    def search(self, queries: ArrayLike, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k' = min(k, len(self)) most cosine-similar stored vectors per query: (keys, scores), best first."""
        raise NotImplementedError


class HNSWIndex:
    """Approximate cosine search on usearch's HNSW graph (usearch.index.Index), same interface as ExactIndex.

    Build the usearch index with metric="cos", dtype="f32" and the three knobs; add and search with threads=1
    (a reproducible graph). usearch returns cosine *distances* (1 - cos): return similarities.
    """

    def __init__(self, ndim: int, connectivity: int = 16, expansion_add: int = 128,
                 expansion_search: int = 64) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def add(self, keys: ArrayLike, vectors: ArrayLike) -> None:
        """Store `vectors` (n, ndim) under `keys` (n,)."""
        raise NotImplementedError

    def search(self, queries: ArrayLike, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Approximately the k' = min(k, len(self)) most cosine-similar vectors per query: (keys, scores)."""
        raise NotImplementedError


def knn_recall(approx_keys: ArrayLike, exact_keys: ArrayLike) -> float:
    """Mean over queries (rows) of |approx_i ∩ exact_i| / k, for two arrays of shape (q, k).

    Order within a row does not matter. Raise ValueError for different shapes, k = 0 or q = 0.
    """
    raise NotImplementedError
