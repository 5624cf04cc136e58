"""Vectorization — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check vectorization`.
The rule of this exercise: no Python loops. The functions in this file may not contain `for`, `while`,
a comprehension, `map`, `np.vectorize`, `np.apply_along_axis` or `np.frompyfunc`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def moving_average(x: ArrayLike, window: int) -> np.ndarray:
    """Return the mean of every run of `window` consecutive entries of the 1-D array `x`.

    Shape (n - window + 1,): out[i] = mean(x[i : i + window]).
    Raise ValueError if `x` is not 1-D or window is not between 1 and len(x).
    """
    raise NotImplementedError


def softmax_rows(z: ArrayLike) -> np.ndarray:
    """Return the softmax of every row of `z` (n, k): exp(z_ij) / sum_l exp(z_il), shape (n, k).

    Must be stable: logits like 1000 must not overflow, and -inf entries get probability 0.
    Raise ValueError if `z` is not 2-D or has no columns.
    """
    raise NotImplementedError


def polyval(coeffs: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Evaluate the polynomial with `coeffs` (highest degree first) at every entry of `x` (any shape).

    polyval([a, b, c], x) = a x^2 + b x + c, elementwise; the result has the shape of `x`.
    Empty coeffs give zeros. Raise ValueError if coeffs is not 1-D.
    numpy.polyval, numpy.poly1d and numpy.polynomial's polyval are switched off while the tests run.
    """
    raise NotImplementedError


def clip_outliers(x: ArrayLike, k: float = 3.0) -> np.ndarray:
    """Clip each column j of `x` (n, d) to [mean_j - k std_j, mean_j + k std_j]; shape (n, d).

    mean_j and std_j (population std, ddof=0) are those of column j of the input.
    Raise ValueError if `x` is not 2-D, has no rows, or k < 0.
    """
    raise NotImplementedError
