"""Chi-square tests — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check chi-square`.
You may use scipy's chi-square distribution (`stats.chi2.sf`), but not scipy's chi-square test functions.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats  # noqa: F401  (stats.chi2.sf gives the upper tail)


class Chi2Result(NamedTuple):
    """Return Chi2Result(statistic, pvalue, dof, expected) from chi2_independence; expected has the table's shape."""

    statistic: float
    pvalue: float
    dof: int
    expected: np.ndarray


class GofResult(NamedTuple):
    """Return GofResult(statistic, pvalue, dof) from chi2_goodness_of_fit."""

    statistic: float
    pvalue: float
    dof: int


def chi2_independence(table: ArrayLike, correction: bool = False) -> Chi2Result:
    """Test H0: the row factor and the column factor of the contingency table are independent.

    table: counts, shape (r, c) with r, c >= 2, non-negative, no row or column of zeros.
    expected[i, j] = row_total[i] * column_total[j] / N;  statistic = Σ (O - E)² / E;
    dof = (r - 1)(c - 1);  p = P(χ²_dof >= statistic).
    correction=True and dof == 1 (a 2x2 table): Yates' correction first moves each observed count
    0.5 towards its expected count (but never past it). For larger tables it does nothing.
    Raise ValueError for negative counts, NaN/inf, a non-2-D table, fewer than 2 rows or columns, or
    an all-zero row or column.
    """
    raise NotImplementedError


def chi2_goodness_of_fit(observed: ArrayLike, expected: ArrayLike | None = None, ddof: int = 0) -> GofResult:
    """Test H0: the counts `observed` (shape (k,), k >= 2) follow the counts `expected` (shape (k,)).

    expected defaults to equal counts observed.sum() / k. It must be positive and sum to the observed
    total (relative tolerance 1e-8). statistic = Σ (O - E)² / E, dof = k - 1 - ddof (ddof: parameters
    estimated from the data), p = P(χ²_dof >= statistic).
    Raise ValueError for negative counts, NaN/inf, mismatched shapes or totals, a zero expected count,
    or dof < 1.
    """
    raise NotImplementedError
