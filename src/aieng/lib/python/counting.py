"""Counting with a hash map, and the top k with a bounded heap.

A dict is a hash map: ``counts[word] = counts.get(word, 0) + 1`` finds the word's slot by its hash in
O(1) on average, so counting n tokens costs O(n), whatever the vocabulary. Pairs of tokens (bigrams)
count the same way with tuple keys; they are the statistics behind n-gram language models.

The k largest of n counts need not sort all n (O(n log n)): a min-heap holding the best k seen so far
has the weakest of them on top, so each new item is compared with the top and, if better, replaces it
in O(log k). Total O(n log k) time and O(k) memory, which matters when n is a vocabulary of millions and
k is 10. The ordering here is count descending, ties by key ascending; a min-heap needs the *opposite*
of "better" for its order, which is what ``_Ranked.__lt__`` expresses.

Left out: streaming approximations (count-min sketch, space-saving), tokenization beyond whitespace.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from itertools import pairwise
from typing import Any


def count_words(text: str) -> dict[str, int]:
    """How often each word occurs in `text`; words are the lowercased, whitespace-separated pieces.

    O(n) for n words: one dict lookup and store per word.

    >>> count_words("the cat saw The dog")
    {'the': 2, 'cat': 1, 'saw': 1, 'dog': 1}
    """
    counts: dict[str, int] = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def count_bigrams(tokens: Sequence[str]) -> dict[tuple[str, str], int]:
    """How often each pair of adjacent tokens ``(tokens[i], tokens[i + 1])`` occurs. O(n).

    >>> count_bigrams(["a", "b", "a", "b"])
    {('a', 'b'): 2, ('b', 'a'): 1}
    """
    counts: dict[tuple[str, str], int] = {}
    for pair in pairwise(tokens):  # no pair at all for fewer than two tokens
        counts[pair] = counts.get(pair, 0) + 1
    return counts


class _Ranked:
    """A heap entry whose order is "worse first": lower count, or equal count and *larger* key."""

    __slots__ = ("count", "key")

    def __init__(self, count: int, key: Any) -> None:
        self.count, self.key = count, key

    def __lt__(self, other: _Ranked) -> bool:
        return (self.count, other.key) < (other.count, self.key)


def top_k(counts: Mapping[Hashable, int], k: int) -> list[tuple[Any, int]]:
    """The `k` entries with the largest counts, as (key, count) pairs: count descending, ties by key ascending.

    Keeps a min-heap of at most k entries whose top is the weakest kept; a new entry that beats it
    replaces it (``heapreplace``). Keys must be mutually comparable (strings, tuples of strings).
    O(n log k) time, O(k) memory. Fewer than k entries: all of them.

    >>> top_k({"b": 2, "a": 2, "c": 5, "d": 1}, 3)
    [('c', 5), ('a', 2), ('b', 2)]
    """
    if k < 0:
        raise ValueError(f"k must be non-negative, got {k}")
    if k == 0:
        return []
    heap: list[_Ranked] = []
    for key, count in counts.items():
        entry = _Ranked(count, key)
        if len(heap) < k:
            heapq.heappush(heap, entry)
        elif heap[0] < entry:
            heapq.heapreplace(heap, entry)
    best_first = sorted(heap, reverse=True)  # k entries: O(k log k)
    return [(entry.key, entry.count) for entry in best_first]
