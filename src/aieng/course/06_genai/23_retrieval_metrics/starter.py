"""Retrieval metrics — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check retrieval-metrics`.

`ranked` is a sequence of item ids (any hashable), best first, each id at most once; `relevant` is a
collection of the relevant ids; `gains` maps judged ids to a graded relevance >= 0 (unjudged ids gain 0).
Raise ValueError for a ranking with a repeated id and for k < 1 (k must be a positive integer).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np  # noqa: F401  (useful for nDCG)


def precision_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """|ranked[:k] ∩ relevant| / k. Fewer than k ranked items: the missing slots count as misses."""
    raise NotImplementedError


def recall_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """|ranked[:k] ∩ relevant| / |relevant|. Raise ValueError if relevant is empty (recall is undefined)."""
    raise NotImplementedError


def reciprocal_rank(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int | None = None) -> float:
    """1 / (1-based rank of the first relevant item among the first k (all if k is None)); 0.0 if none."""
    raise NotImplementedError


def mean_reciprocal_rank(rankings: Sequence[Sequence[Hashable]], relevant: Sequence[Collection[Hashable]],
                         k: int | None = None) -> float:
    """The mean of reciprocal_rank(rankings[i], relevant[i], k) over the queries.

    Raise ValueError if the two lists differ in length or are empty.
    """
    raise NotImplementedError


def ndcg_at_k(ranked: Sequence[Hashable], gains: Mapping[Hashable, float], k: int) -> float:
    """nDCG@k with linear gains: DCG@k / ideal DCG@k.

    DCG@k = sum over ranks i = 1..min(k, len(ranked)) of gains.get(ranked[i-1], 0) / log2(i + 1).
    Ideal DCG@k: the same sum over the k largest values of gains, sorted descending (every judged item counts,
    retrieved or not). Return 0.0 when the ideal DCG is 0. Raise ValueError for negative or non-finite gains.
    """
    raise NotImplementedError
