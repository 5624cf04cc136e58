"""Binary search on sorted scores, and sliding windows in linear time.

Binary search answers "where would x go?" in a sorted sequence of n items with about log2(n) reads:
keep an interval [lo, hi) known to contain the answer and halve it at every step. The two questions
that come up with sorted scores (thresholds, percentiles, retrieval cut-offs) are "the first position
with a score >= x" (``bisect.bisect_left``) and "the last position with a score <= x"
(``bisect.bisect_right(...) - 1``). Getting the boundaries right is the whole difficulty: the loops
below keep the invariant ``s[i] < x for i < lo`` and ``s[i] >= x for i >= hi``.

A sliding window of width w over n values produces n - w + 1 results. Recomputing each costs O(n w);
updating costs O(n): a running sum adds the entering value and subtracts the leaving one, and a running
maximum keeps a deque of positions whose values decrease from front to back, so the front is always the
maximum of the window and every position enters and leaves the deque once.

Left out: searching with a key function, exponential search for unbounded inputs, windows over time
(variable width).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any


def first_at_least(sorted_scores: Sequence[Any], x: Any) -> int:
    """The smallest index i with ``sorted_scores[i] >= x``; ``len(sorted_scores)`` if there is none.

    `sorted_scores` must be in non-decreasing order. At most ceil(log2(n + 1)) reads.

    >>> first_at_least([10, 20, 20, 30], 20), first_at_least([10, 20, 20, 30], 31)
    (1, 4)
    """
    lo, hi = 0, len(sorted_scores)
    while lo < hi:  # invariant: s[:lo] < x <= s[hi:]
        mid = (lo + hi) // 2
        if sorted_scores[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def last_at_most(sorted_scores: Sequence[Any], x: Any) -> int:
    """The largest index i with ``sorted_scores[i] <= x``; -1 if there is none.

    `sorted_scores` must be in non-decreasing order. At most ceil(log2(n + 1)) reads.

    >>> last_at_most([10, 20, 20, 30], 20), last_at_most([10, 20, 20, 30], 5)
    (2, -1)
    """
    lo, hi = 0, len(sorted_scores)
    while lo < hi:  # invariant: s[:lo] <= x < s[hi:]
        mid = (lo + hi) // 2
        if sorted_scores[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _check_window(n: int, width: int) -> None:
    if not 1 <= width <= n:
        raise ValueError(f"the window width must be between 1 and the number of values ({n}), got {width}")


def window_sums(values: Sequence[float], width: int) -> list[float]:
    """The sum of every run of `width` consecutive values: n - width + 1 sums, in O(n).

    The first sum is computed once; each next one adds the value entering on the right and subtracts
    the one leaving on the left. (With floats, round-off accumulates like eps * sum|values|.)

    >>> window_sums([1, 2, 3, 4, 5], 3)
    [6, 9, 12]
    """
    _check_window(len(values), width)
    total = sum(values[:width])
    sums = [total]
    for i in range(width, len(values)):
        total += values[i] - values[i - width]
        sums.append(total)
    return sums


def window_max(values: Sequence[Any], width: int) -> list[Any]:
    """The maximum of every run of `width` consecutive values: n - width + 1 maxima, in O(n).

    The deque holds positions whose values strictly decrease from front to back. A new value first
    removes from the back every position whose value is <= it (they can never be a maximum again), and
    the front position is dropped once it leaves the window. Each position is pushed and popped at most
    once, so fewer than 2n comparisons in total. Values need only support ``<=``.

    >>> window_max([1, 3, 2, 5, 4, 1], 3)
    [3, 5, 5, 5]
    """
    _check_window(len(values), width)
    candidates: deque[int] = deque()  # positions; their values decrease from front to back
    maxima = []
    for i, value in enumerate(values):
        while candidates and values[candidates[-1]] <= value:
            candidates.pop()
        candidates.append(i)
        if candidates[0] <= i - width:  # the front has slid out of the window
            candidates.popleft()
        if i >= width - 1:
            maxima.append(values[candidates[0]])
    return maxima
