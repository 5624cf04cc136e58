"""Ordinary least squares (OLS) regression with an intercept, and the inference that comes with it.

Model: y = β0 + X β + ε with independent errors of mean 0 and common variance σ². OLS picks the β that
minimizes the residual sum of squares; under the model (and normal errors for the exact t laws) it also
provides standard errors, t statistics, p-values and the R² goodness of fit:

    β̂ = (AᵀA)⁻¹ Aᵀ y          with A = [1, X], shape (n, p), p = k + 1
    σ̂² = ‖y - A β̂‖² / (n - p)  the residual variance (unbiased)
    Cov(β̂) = σ̂² (AᵀA)⁻¹,  se_j = √Cov_jj,  t_j = β̂_j / se_j ~ t(n - p),  p_j = 2 P(T ≥ |t_j|)
    R² = 1 - SSR / SST,  adjusted R² = 1 - (1 - R²)(n - 1)/(n - p)

The fit goes through a QR factorization A = QR instead of forming AᵀA, which would square the
condition number; (AᵀA)⁻¹ = R⁻¹R⁻ᵀ then comes from the small triangular R.

Left out: models without an intercept, weights (WLS/GLS), robust (sandwich) standard errors, F-tests
of several coefficients, prediction intervals, and rank-deficient designs (rejected, not regularized).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


class OLSResult(NamedTuple):
    """A fitted OLS model; coefficient arrays have shape (k + 1,), the intercept first."""

    params: np.ndarray
    bse: np.ndarray
    tvalues: np.ndarray
    pvalues: np.ndarray
    rsquared: float
    rsquared_adj: float
    sigma2: float
    df_resid: int
    resid: np.ndarray


def ols(x: ArrayLike, y: ArrayLike) -> OLSResult:
    """Fit y = β0 + X β by ordinary least squares and report the usual inference.

    x: regressors, shape (n, k), or (n,) for a single regressor; the intercept column is added here.
    y: responses, shape (n,). Needs n > k + 1 (at least one residual degree of freedom) and a design
    [1, X] of full column rank. Cost O(n k²) for the QR factorization.

    >>> r = ols([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 4.0, 7.0])
    >>> [round(float(v), 4) for v in r.params], round(r.rsquared, 4), r.df_resid
    ([0.9, 1.9], 0.9627, 2)
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n, k) or (n,), got {x.shape}")
    if y.ndim != 1 or y.shape[0] != x.shape[0]:
        raise ValueError(f"y must have shape ({x.shape[0]},) to match x, got {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite (no NaN or infinity)")
    n = x.shape[0]
    design = np.column_stack([np.ones(n), x])
    p = design.shape[1]
    df_resid = n - p
    if df_resid < 1:
        raise ValueError(f"{n} observations cannot fit {p} coefficients with a residual degree of freedom left")
    if np.linalg.matrix_rank(design) < p:
        raise ValueError("the design [1, x] is rank deficient (a column is a combination of the others)")

    q, r = np.linalg.qr(design)
    params = np.linalg.solve(r, q.T @ y)  # R is p x p and triangular: O(p³) at most, tiny
    resid = y - design @ params
    ssr = float(resid @ resid)
    sigma2 = ssr / df_resid
    r_inv = np.linalg.inv(r)
    bse = np.sqrt(sigma2 * np.sum(r_inv**2, axis=1))  # diag(R⁻¹ R⁻ᵀ) = row sums of squares of R⁻¹
    tvalues = params / bse
    pvalues = 2.0 * stats.t.sf(np.abs(tvalues), df_resid)
    centered = y - y.mean()
    rsquared = 1.0 - ssr / float(centered @ centered)
    rsquared_adj = 1.0 - (1.0 - rsquared) * (n - 1) / df_resid
    return OLSResult(params, bse, tvalues, pvalues, rsquared, rsquared_adj, sigma2, df_resid, resid)
