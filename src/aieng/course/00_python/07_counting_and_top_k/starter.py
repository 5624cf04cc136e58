"""Counting and the top k — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check counting-top-k`.
While the tests run your code, collections.Counter, Counter.most_common, heapq.nlargest and
heapq.nsmallest are switched off, and sorted() refuses more than k items: count with a dict and find
the top k with a heap (heapq.heappush / heappop / heapreplace are allowed).
"""

from __future__ import annotations

import heapq  # noqa: F401  (heappush, heappop, heapreplace, heappushpop)
from collections.abc import Hashable, Mapping, Sequence
from typing import Any


def count_words(text: str) -> dict[str, int]:
    """Return how often each word occurs in `text`, as a dict {word: count}.

    Words are the pieces of text.lower().split(): lowercased, separated by any whitespace.
    """
    raise NotImplementedError


def count_bigrams(tokens: Sequence[str]) -> dict[tuple[str, str], int]:
    """Return how often each adjacent pair (tokens[i], tokens[i + 1]) occurs, as {(a, b): count}."""
    raise NotImplementedError


def top_k(counts: Mapping[Hashable, int], k: int) -> list[tuple[Any, int]]:
    """Return the k entries of `counts` with the largest counts, as a list of (key, count) pairs.

    Order: count from largest to smallest; equal counts by key from smallest to largest
    (alphabetical for strings, e.g. ('a', 2) before ('b', 2)). Fewer than k entries: all of them.
    Use a heap that holds at most k entries: O(n log k), not a sort of all n entries.
    Do not modify `counts`. Raise ValueError if k < 0.
    """
    raise NotImplementedError
