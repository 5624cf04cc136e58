"""OLS regression — your implementation.

Replace the `raise NotImplementedError` with code. Check it with `aieng check ols-regression`.
numpy (np.linalg) and scipy.stats.t are yours to use; statsmodels' and scikit-learn's linear models
and scipy.stats.linregress are switched off while the checks run.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats  # noqa: F401  (stats.t.sf gives the p-values)


class OLSResult(NamedTuple):
    """Return one of these from `ols`. Coefficient arrays have shape (k + 1,), the intercept first."""

    params: np.ndarray  # β̂
    bse: np.ndarray  # standard errors of β̂
    tvalues: np.ndarray  # β̂ / bse
    pvalues: np.ndarray  # two-sided p-values of the t statistics
    rsquared: float  # R² = 1 - SSR / SST
    rsquared_adj: float  # 1 - (1 - R²)(n - 1) / (n - k - 1)
    sigma2: float  # residual variance SSR / (n - k - 1)
    df_resid: int  # n - k - 1
    resid: np.ndarray  # y - fitted values, shape (n,)


def ols(x: ArrayLike, y: ArrayLike) -> OLSResult:
    """Fit y = β0 + X β by ordinary least squares, with the intercept column added by you.

    x: shape (n, k), or (n,) for one regressor.  y: shape (n,).
    With A = [1, x] (shape (n, k + 1)): β̂ minimizes ||y - A β||²; σ̂² = SSR / (n - k - 1);
    Cov(β̂) = σ̂² (AᵀA)⁻¹; bse = sqrt(diag Cov); t = β̂ / bse; p = 2 P(T >= |t|), T ~ t(n - k - 1).
    Raise ValueError for NaN/inf, mismatched lengths, x with more than 2 dimensions,
    n <= k + 1, or a rank-deficient A.
    """
    raise NotImplementedError
