"""Binary search and sliding windows — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check binary-search-windows`.
The bisect module and numpy.searchsorted are switched off while the tests run your searches.
"""

from __future__ import annotations

from collections import deque  # noqa: F401  (for window_max)
from collections.abc import Sequence
from typing import Any


def first_at_least(sorted_scores: Sequence[Any], x: Any) -> int:
    """Return the smallest index i with sorted_scores[i] >= x, or len(sorted_scores) if there is none.

    `sorted_scores` is in non-decreasing order (a list, tuple or numpy array). Read at most about
    2 * log2(n) entries: do not scan, and do not copy the sequence into a list or array.
    """
    raise NotImplementedError


def last_at_most(sorted_scores: Sequence[Any], x: Any) -> int:
    """Return the largest index i with sorted_scores[i] <= x, or -1 if there is none.

    Same rules as first_at_least.
    """
    raise NotImplementedError


def window_sums(values: Sequence[float], width: int) -> list[float]:
    """Return [sum(values[i : i + width]) for each i], a list of n - width + 1 sums, in O(n) time.

    The values may be any objects that support + and - (numbers, or number-like objects): do not
    convert them with float(). Use at most about 4n additions and subtractions whatever the width.
    Raise ValueError unless 1 <= width <= len(values).
    """
    raise NotImplementedError


def window_max(values: Sequence[Any], width: int) -> list[Any]:
    """Return [max(values[i : i + width]) for each i], a list of n - width + 1 maxima, in O(n) time.

    The values may be anything comparable with <, <=, >, >= (do not do arithmetic on them).
    Use fewer than about 3n comparisons whatever the width. Raise ValueError unless 1 <= width <= len(values).
    """
    raise NotImplementedError
