"""Checks for `counting-top-k`, against collections.Counter and a brute-force sorted() of every entry."""

import builtins
import collections
from collections import Counter
from contextlib import contextmanager
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.guards import forbid

WORDS = ["the", "The", "THE", "cat", "Cat", "sat", "on", "a", "mat", "naïve", "Straße", "i'm", "x-ray"]
SEPARATORS = [" ", "  ", "\n", "\t", " \n "]


@st.composite
def texts(draw):
    """Random text: words of mixed case joined by spaces, tabs and newlines, with stray outer whitespace."""
    words = draw(st.lists(st.sampled_from(WORDS), max_size=30))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words) + 1, max_size=len(words) + 1))
    return seps[0] + "".join(w + s for w, s in zip(words, seps[1:], strict=True))


@contextmanager
def _no_counter(impl):
    """collections.Counter is switched off: count with a dict."""
    with forbid(impl, "collections.Counter"):
        yield


@contextmanager
def _heap_only(impl, k):
    """heapq.nlargest/nsmallest and Counter.most_common are off, and sorted() takes at most k items."""
    original_sorted, original_most_common = builtins.sorted, collections.Counter.most_common

    def sorted_at_most_k(iterable, /, *, key=None, reverse=False):
        items = list(iterable)
        if len(items) > max(k, 1):
            raise AssertionError(f"top_k called sorted() on {len(items)} items: keep at most k = {k} entries "
                                 "in a heap and sort only those at the end")
        return original_sorted(items, key=key, reverse=reverse)

    def most_common(*args, **kwargs):
        raise AssertionError("implement it yourself: Counter.most_common is switched off in this exercise")

    builtins.sorted, collections.Counter.most_common = sorted_at_most_k, most_common
    try:
        with forbid(impl, "heapq.nlargest", "heapq.nsmallest"):
            yield
    finally:
        builtins.sorted, collections.Counter.most_common = original_sorted, original_most_common


@given(texts())
def test_count_words_matches_counter(impl, text):
    """count_words(text) equals Counter(text.lower().split()): lowercase, split on any whitespace."""
    with _no_counter(impl):
        got = impl.count_words(text)
    expect(isinstance(got, dict), f"count_words should return a dict, got {type(got).__name__}")
    expected = dict(Counter(text.lower().split()))
    expect(dict(got) == expected, f"count_words({text!r}) returned {dict(got)}, expected {expected}")


def test_count_words_of_empty_text_is_empty(impl):
    """Empty text, or text of whitespace only, has no words: {}."""
    with _no_counter(impl):
        expect(dict(impl.count_words("")) == {}, "count_words('') should be {}")
        expect(dict(impl.count_words(" \n\t ")) == {}, "count_words of whitespace should be {}")


@given(st.lists(st.sampled_from(["a", "b", "c", "the"]), max_size=30))
def test_count_bigrams_matches_counter_of_pairs(impl, tokens):
    """count_bigrams(tokens) equals Counter(itertools.pairwise(tokens)): adjacent pairs as tuple keys."""
    with _no_counter(impl):
        got = impl.count_bigrams(tokens)
    expected = dict(Counter(pairwise(tokens)))
    expect(isinstance(got, dict) and dict(got) == expected,
           f"count_bigrams({tokens}) returned {got!r}, expected {expected}")


def _brute_force_top_k(counts, k):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


@given(st.dictionaries(st.text("abcde", min_size=1, max_size=3), st.integers(0, 6), max_size=40), st.integers(0, 45))
def test_top_k_matches_sorting_everything(impl, counts, k):
    """top_k(counts, k) equals the first k of all entries sorted by count descending, then key ascending.

    Counts take only 7 values, so ties are everywhere: the alphabetically smaller key comes first.
    """
    before = dict(counts)
    with _heap_only(impl, k):
        got = impl.top_k(counts, k)
    expected = _brute_force_top_k(counts, k)
    expect(isinstance(got, list), f"top_k should return a list, got {type(got).__name__}")
    got = [tuple(pair) for pair in got]
    expect(got == expected, f"top_k(counts, {k}) returned {got}, expected {expected}")
    expect(counts == before, "top_k modified the counts it was given")


def test_top_k_of_a_large_vocabulary_keeps_a_small_heap(impl):
    """top_k of 5000 entries with k = 5 works without sorting all 5000 (sorted() may only see k items)."""
    counts = {f"w{i:04d}": (i * 7919) % 1000 for i in range(5000)}
    with _heap_only(impl, 5):
        got = [tuple(pair) for pair in impl.top_k(counts, 5)]
    expected = _brute_force_top_k(counts, 5)
    expect(got == expected, f"top_k(counts, 5) returned {got}, expected {expected}")


def test_top_k_works_on_bigram_counts(impl):
    """top_k works with tuple keys too: ties between ('a', 'b') and ('a', 'c') go to ('a', 'b')."""
    counts = {("a", "c"): 2, ("b", "a"): 1, ("a", "b"): 2, ("c", "c"): 3}
    with _heap_only(impl, 2):
        got = [tuple(pair) for pair in impl.top_k(counts, 2)]
    expect(got == [(("c", "c"), 3), (("a", "b"), 2)], f"top_k(bigram counts, 2) returned {got}")


def test_top_k_edge_cases(impl):
    """k = 0 gives [], an empty dict gives [], k larger than the vocabulary gives everything, k < 0 raises
    ValueError."""
    with _heap_only(impl, 0):
        expect(list(impl.top_k({"a": 1}, 0)) == [], "top_k(counts, 0) should be []")
    with _heap_only(impl, 3):
        expect(list(impl.top_k({}, 3)) == [], "top_k({}, 3) should be []")
        got = [tuple(p) for p in impl.top_k({"b": 1, "a": 1}, 3)]
        expect(got == [("a", 1), ("b", 1)],
               f"top_k({{'b': 1, 'a': 1}}, 3) returned {got}, expected [('a', 1), ('b', 1)]")
    assert_raises_value_error(impl.top_k, {"a": 1}, -1, why="k counts entries: k >= 0")
