"""Checks for `binary-search-windows`, against the bisect module and brute force over every window.

Three checks count work instead of timing it: a sequence that counts how many entries your search reads,
numbers that count the additions of your window sums, and values that count the comparisons of your
window maximum.
"""

import bisect
import math
from collections.abc import Sequence

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid

BISECT = ("bisect.bisect_left", "bisect.bisect_right", "bisect.bisect", "bisect.insort", "bisect.insort_left",
          "bisect.insort_right", "numpy.searchsorted")


class CountingSequence(Sequence):
    """A read-only sorted sequence that counts every entry read (indexing, iteration, slicing)."""

    def __init__(self, data):
        self._data = list(data)
        self.reads = 0

    def __len__(self):
        return len(self._data)

    def __getitem__(self, index):
        result = self._data[index]
        self.reads += len(result) if isinstance(index, slice) else 1
        return result


class Counted:
    """A value that supports comparisons only, and counts them."""

    comparisons = 0
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def _compare(self, other, op):
        Counted.comparisons += 1
        return op(self.value, other.value if isinstance(other, Counted) else other)

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)

    def __eq__(self, other):
        return self._compare(other, lambda a, b: a == b)

    __hash__ = None

    def __repr__(self):
        return f"Counted({self.value!r})"


class CountedNumber:
    """A number that supports + and - only, and counts how often they are used."""

    operations = 0
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def _apply(self, other, op):
        CountedNumber.operations += 1
        return CountedNumber(op(self.value, other.value if isinstance(other, CountedNumber) else other))

    def __add__(self, other):
        return self._apply(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._apply(other, lambda a, b: b + a)

    def __sub__(self, other):
        return self._apply(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._apply(other, lambda a, b: b - a)

    def __repr__(self):
        return f"CountedNumber({self.value!r})"


def _search(impl, name, scores, x):
    with forbid(impl, *BISECT):
        got = getattr(impl, name)(scores, x)
    expect(isinstance(got, int | np.integer), f"{name} should return an int index, got {got!r}")
    return int(got)


sorted_scores = st.lists(st.integers(0, 20), max_size=30).map(sorted)


@given(sorted_scores, st.integers(-1, 21), st.booleans())
def test_first_at_least_matches_bisect_left(impl, scores, x, as_array):
    """first_at_least(s, x) equals bisect.bisect_left(s, x): the first index with s[i] >= x, len(s) if none."""
    data = np.array(scores, dtype=np.int64) if as_array else scores
    expected = bisect.bisect_left(scores, x)
    got = _search(impl, "first_at_least", data, x)
    expect(got == expected, f"first_at_least({scores}, {x}) returned {got}, expected {expected}")


@given(sorted_scores, st.integers(-1, 21), st.booleans())
def test_last_at_most_matches_bisect_right(impl, scores, x, as_array):
    """last_at_most(s, x) equals bisect.bisect_right(s, x) - 1: the last index with s[i] <= x, -1 if none."""
    data = np.array(scores, dtype=np.int64) if as_array else scores
    expected = bisect.bisect_right(scores, x) - 1
    got = _search(impl, "last_at_most", data, x)
    expect(got == expected, f"last_at_most({scores}, {x}) returned {got}, expected {expected}")


@given(st.integers(1, 5000), st.floats(-0.1, 1.1), st.sampled_from(["first_at_least", "last_at_most"]))
def test_searches_read_only_logarithmically_many_entries(impl, n, x, name):
    """On n sorted scores, a search reads at most 2 * ceil(log2(n + 1)) + 2 entries (a scan reads up to n).

    The sequence counts every entry your function reads: turning it into a list or array reads all n.
    """
    scores = CountingSequence(np.linspace(0.0, 1.0, n))
    got = _search(impl, name, scores, x)
    plain = list(scores._data)
    expected = bisect.bisect_left(plain, x) if name == "first_at_least" else bisect.bisect_right(plain, x) - 1
    expect(got == expected, f"{name}(linspace(0, 1, {n}), {x}) returned {got}, expected {expected}")
    budget = 2 * math.ceil(math.log2(n + 1)) + 2
    expect(scores.reads <= budget, f"{name} read {scores.reads} of {n} entries; binary search needs at most "
                                   f"{budget}: halve the interval instead of scanning or copying it")


def test_searches_on_empty_and_repeated_scores(impl):
    """On [] the answers are 0 and -1; on [5, 5, 5] with x = 5 they are 0 and 2 (the first and last 5)."""
    expect(_search(impl, "first_at_least", [], 3) == 0, "first_at_least([], 3) should be 0")
    expect(_search(impl, "last_at_most", [], 3) == -1, "last_at_most([], 3) should be -1")
    expect(_search(impl, "first_at_least", [5, 5, 5], 5) == 0, "first_at_least([5, 5, 5], 5) should be 0")
    expect(_search(impl, "last_at_most", [5, 5, 5], 5) == 2, "last_at_most([5, 5, 5], 5) should be 2")


window_inputs = st.lists(st.integers(-50, 50), min_size=1, max_size=40).flatmap(
    lambda xs: st.tuples(st.just(xs), st.integers(1, len(xs))))


@given(window_inputs)
def test_window_sums_match_brute_force(impl, case):
    """window_sums(x, w)[i] equals sum(x[i:i+w]) for every window (integers: exactly)."""
    values, width = case
    got = impl.window_sums(values, width)
    expected = [sum(values[i:i + width]) for i in range(len(values) - width + 1)]
    expect(list(got) == expected, f"window_sums({values}, {width}) returned {list(got)}, expected {expected}")


@given(st.lists(st.floats(-100, 100, allow_subnormal=False), min_size=1, max_size=40), st.data())
def test_window_sums_of_floats(impl, values, data):
    """For floats, window_sums matches math.fsum of each window to 1e-12 * sum|x| (a running sum accumulates
    round-off)."""
    width = data.draw(st.integers(1, len(values)), label="width")
    got = impl.window_sums(values, width)
    expected = [math.fsum(values[i:i + width]) for i in range(len(values) - width + 1)]
    atol = 1e-12 * (1.0 + sum(abs(v) for v in values))
    assert_close(np.asarray(got, dtype=np.float64), expected, rtol=0, atol=atol, what=f"window_sums(x, {width})")


@given(st.sampled_from([1, 7, 50]))
def test_window_sums_make_linearly_many_additions(impl, width):
    """On 2000 values, window_sums uses at most 4 * 2000 additions and subtractions, whatever the width.

    Summing every window from scratch uses about width * 2000. The values support only + and - and
    count them: keep one running total, adding the value that enters and subtracting the one that leaves.
    """
    n = 2000
    raw = np.random.default_rng(width).integers(-100, 100, size=n).tolist()
    values = [CountedNumber(v) for v in raw]
    CountedNumber.operations = 0
    got = impl.window_sums(values, width)
    used = CountedNumber.operations
    expected = [sum(raw[i:i + width]) for i in range(n - width + 1)]
    got_values = [g.value if isinstance(g, CountedNumber) else g for g in got]
    expect(got_values == expected, f"window_sums of 2000 values with width {width} gave wrong sums")
    expect(used <= 4 * n, f"window_sums used {used} additions and subtractions on {n} values with width {width}; "
                          f"a running total needs about {2 * n}")


@given(window_inputs)
def test_window_max_matches_brute_force(impl, case):
    """window_max(x, w)[i] equals max(x[i:i+w]) for every window."""
    values, width = case
    got = impl.window_max(values, width)
    expected = [max(values[i:i + width]) for i in range(len(values) - width + 1)]
    expect(list(got) == expected, f"window_max({values}, {width}) returned {list(got)}, expected {expected}")


@given(st.sampled_from([1, 7, 50]), st.sampled_from(["random", "increasing", "decreasing"]))
def test_window_max_makes_linearly_many_comparisons(impl, width, pattern):
    """On 2000 values, window_max makes at most 3 * 2000 comparisons, whatever the width (rescanning makes ~width *
    2000).

    The values support comparisons only (no arithmetic) and count them: keep a deque of candidate
    positions and let every position enter and leave it once.
    """
    n = 2000
    raw = {"random": np.random.default_rng(width).permutation(n), "increasing": np.arange(n),
           "decreasing": np.arange(n)[::-1]}[pattern].tolist()
    values = [Counted(v) for v in raw]
    Counted.comparisons = 0
    got = impl.window_max(values, width)
    used = Counted.comparisons
    expected = [max(raw[i:i + width]) for i in range(n - width + 1)]
    got_values = [g.value if isinstance(g, Counted) else g for g in got]
    expect(got_values == expected, f"window_max of {pattern} values with width {width} gave wrong maxima")
    expect(used <= 3 * n, f"window_max made {used} comparisons on {n} {pattern} values with width {width}; "
                          f"an O(n) deque needs fewer than {2 * n}")


def test_windows_reject_bad_widths(impl):
    """A width of 0, or wider than the input, raises ValueError in both window functions."""
    for name in ("window_sums", "window_max"):
        function = getattr(impl, name)
        assert_raises_value_error(function, [1, 2, 3], 0, why="a window holds at least one value")
        assert_raises_value_error(function, [1, 2, 3], 4, why="a window of 4 does not fit in 3 values")
        assert_raises_value_error(function, [], 1, why="there are no values to slide over")
