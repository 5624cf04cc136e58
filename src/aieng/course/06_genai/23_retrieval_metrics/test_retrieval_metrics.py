"""Checks for `retrieval-metrics`, against sklearn.metrics.ndcg_score and plain loops written in this file.

sklearn's conventions, which the exercise shares: gains linear in the grade, a log2(i + 1) discount, the ideal
ordering over every judged item, nDCG = 0 for a query without a positive gain. A ranking of n items is handed to
sklearn as the scores n, n-1, ..., 1. While your code runs, sklearn's ndcg_score and dcg_score are switched off.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import forbid

READY_MADE = ("sklearn.metrics.ndcg_score", "sklearn.metrics.dcg_score")


@st.composite
def judged_rankings(draw):
    """A ranking (a prefix of a shuffled pool of ids), the relevant set, graded gains, and k (may exceed it)."""
    pool = draw(st.integers(1, 15))
    order = draw(st.permutations([f"doc{i}" for i in range(pool)]))
    ranked = order[: draw(st.integers(0, pool))]
    grades = draw(st.lists(st.integers(0, 3), min_size=pool, max_size=pool))
    gains = {f"doc{i}": g for i, g in enumerate(grades) if draw(st.booleans())}  # some items stay unjudged
    relevant = {item for item, g in gains.items() if g > 0}
    return ranked, relevant, gains, draw(st.integers(1, pool + 3))


def brute_hits(ranked, relevant, k):
    hits = 0
    for item in ranked[:k]:
        if item in relevant:
            hits += 1
    return hits


def brute_rr(ranked, relevant, k=None):
    for rank, item in enumerate(ranked[:k] if k else ranked, start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def brute_ndcg(ranked, gains, k):
    dcg = sum(gains.get(item, 0) / math.log2(i + 2) for i, item in enumerate(ranked[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)[:k]))
    return dcg / ideal if ideal > 0 else 0.0


@given(judged_rankings())
def test_precision_and_recall_count_hits_in_the_top_k(impl, case):
    """precision@k = hits / k (missing slots are misses) and recall@k = hits / |relevant|, hits counted in ranked[:k]
    by a plain loop."""
    ranked, relevant, _, k = case
    hits = brute_hits(ranked, relevant, k)
    assert_close(impl.precision_at_k(ranked, relevant, k), hits / k, rtol=0, atol=1e-15, what="precision_at_k")
    if relevant:
        assert_close(impl.recall_at_k(ranked, relevant, k), hits / len(relevant), rtol=0, atol=1e-15,
                     what="recall_at_k")


@given(judged_rankings())
def test_reciprocal_rank_finds_the_first_hit(impl, case):
    """reciprocal_rank is 1 / (rank of the first relevant item), 0 when there is none, with and without a cut-off."""
    ranked, relevant, _, k = case
    assert_close(impl.reciprocal_rank(ranked, relevant), brute_rr(ranked, relevant), rtol=0, atol=1e-15,
                 what="reciprocal_rank(ranked, relevant)")
    assert_close(impl.reciprocal_rank(ranked, relevant, k), brute_rr(ranked, relevant, k), rtol=0, atol=1e-15,
                 what=f"reciprocal_rank(ranked, relevant, k={k})")


@given(st.lists(judged_rankings(), min_size=1, max_size=6))
def test_mrr_averages_reciprocal_ranks(impl, cases):
    """MRR is the plain mean of the per-query reciprocal ranks."""
    rankings = [c[0] for c in cases]
    relevant = [c[1] for c in cases]
    want = sum(brute_rr(r, rel) for r, rel in zip(rankings, relevant, strict=True)) / len(cases)
    assert_close(impl.mean_reciprocal_rank(rankings, relevant), want, rtol=1e-12, atol=1e-15,
                 what="mean_reciprocal_rank")


@given(st.integers(2, 20).flatmap(lambda n: st.tuples(st.permutations(range(n)),
                                                      st.lists(st.integers(0, 3), min_size=n, max_size=n),
                                                      st.integers(1, n + 2))))
def test_ndcg_matches_sklearn(impl, case):
    """ndcg_at_k of a full ranking equals sklearn.metrics.ndcg_score(y_true=grades, y_score=n, n-1, ..., 1, k=k)."""
    order, grades, k = case
    n = len(order)
    y_score = np.empty(n)
    y_score[list(order)] = np.arange(n, 0, -1)  # the item at rank 1 gets the highest score
    want = ndcg_score([grades], [y_score], k=k)
    with forbid(impl, *READY_MADE):
        got = impl.ndcg_at_k(list(order), dict(enumerate(grades)), k)
    assert_close(got, want, rtol=1e-12, atol=1e-12, what=f"ndcg_at_k(k={k})")


@given(judged_rankings())
def test_ndcg_of_short_rankings_with_unjudged_items(impl, case):
    """Rankings shorter than k and unjudged items (gain 0): nDCG by the definition, in a plain loop."""
    ranked, _, gains, k = case
    with forbid(impl, *READY_MADE):
        got = impl.ndcg_at_k(ranked, gains, k)
    assert_close(got, brute_ndcg(ranked, gains, k), rtol=1e-12, atol=1e-12, what=f"ndcg_at_k(k={k})")


def test_worked_example(impl):
    """The lesson's example: gains a=3, b=1, c=0, ranking (b, a, c), k=2 gives (1 + 3/log2 3) / (3 + 1/log2 3)."""
    want = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert_close(impl.ndcg_at_k(["b", "a", "c"], {"a": 3, "b": 1, "c": 0}, 2), want, what="nDCG@2")
    assert_close(impl.ndcg_at_k(["a", "b"], {"a": 3, "b": 1}, 2), 1.0, what="nDCG of the ideal ranking")
    assert_close(impl.ndcg_at_k(["a", "b"], {"a": 0}, 2), 0.0, what="nDCG without any positive gain")
    assert_close(impl.precision_at_k(["a"], {"a"}, 4), 0.25, what="precision@4 of a one-item ranking")


def test_invalid_input_raises(impl):
    """Repeated items, k < 1, recall with nothing relevant, negative gains, mismatched query lists: ValueError."""
    assert_raises_value_error(impl.precision_at_k, ["a", "a"], {"a"}, 2, why="a ranking lists each item once")
    assert_raises_value_error(impl.recall_at_k, ["a", "b"], {"a"}, 0, why="k must be at least 1")
    assert_raises_value_error(impl.recall_at_k, ["a", "b"], set(), 1, why="recall is undefined with no relevant "
                                                                          "item")
    assert_raises_value_error(impl.ndcg_at_k, ["a"], {"a": -1.0}, 1, why="gains cannot be negative")
    assert_raises_value_error(impl.mean_reciprocal_rank, [["a"], ["b"]], [{"a"}], why="2 rankings but 1 "
                                                                                      "relevance set")
