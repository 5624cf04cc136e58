"""Checks for `pca`, against sklearn.decomposition.PCA(svd_solver="full") and numpy.linalg.

Data are random (seeded): n = d + 2..80 samples of d = 2..6 features with well-separated variances
(each principal variance about twice the next), a random rotation and an offset far from 0, so the
components are well defined up to sign and centering matters. Components are compared up to the sign of
each one (v and -v are the same axis); everything else to a relative tolerance of 1e-7: eigh on the
covariance and SVD of the centered data agree to about 1e-12 on such data, far inside it. numpy.linalg's
eig/eigh/svd are yours to use; scikit-learn's decompositions are switched off while your code runs.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import (
    align_signs,
    assert_close,
    assert_close_up_to_sign,
    assert_raises_value_error,
    expect,
)
from aieng.grader.guards import forbid, present
from aieng.grader.strategies import random_orthogonal, rngs

METHODS = st.sampled_from(["svd", "eigh"])
ATTRIBUTES = ("mean_", "components_", "explained_variance_", "explained_variance_ratio_", "singular_values_")


def fit(impl, x, n_components, method):
    with forbid(impl, *present("sklearn.decomposition", ["PCA", "TruncatedSVD", "IncrementalPCA", "KernelPCA"])):
        pca = impl.PCA(n_components=n_components, method=method).fit(x)
    expect(pca is not None, "fit(x) should return self, so that PCA(...).fit(x).transform(x) works")
    missing = [name for name in ATTRIBUTES if not hasattr(pca, name)]
    expect(not missing, f"after fit, the PCA should have the attributes {', '.join(missing)}")
    return pca


def random_data(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """n samples in d dimensions: variances halving from axis to axis, rotated, shifted far from 0."""
    scales = rng.uniform(1.0, 5.0) * 0.7 ** np.arange(d)
    return (rng.normal(size=(n, d)) * scales) @ random_orthogonal(rng, d).T + rng.uniform(-50, 50, size=d)


@st.composite
def problems(draw):
    rng = draw(rngs())
    d = draw(st.integers(2, 6), label="d")
    n = draw(st.integers(d + 2, 80), label="n")
    k = draw(st.one_of(st.none(), st.integers(1, d)), label="n_components")
    return random_data(rng, n, d), k


@given(problems(), METHODS)
def test_matches_sklearn_pca(impl, problem, method):
    """Components (up to sign), explained variance (ddof 1) and its ratio, mean and singular values match sklearn's
    PCA."""
    from sklearn.decomposition import PCA

    x, k = problem
    got = fit(impl, x, k, method)
    expected = PCA(n_components=k, svd_solver="full").fit(x)
    what = f"PCA(n_components={k}, method={method!r}) on {x.shape[0]} x {x.shape[1]} data"
    assert_close(got.mean_, expected.mean_, rtol=1e-10, what=f"{what}: mean_")
    assert_close(got.explained_variance_, expected.explained_variance_, rtol=1e-7,
                 what=f"{what}: explained_variance_ (largest first, divided by n - 1)")
    assert_close(got.explained_variance_ratio_, expected.explained_variance_ratio_, rtol=1e-7,
                 what=f"{what}: explained_variance_ratio_ (fractions of the total variance)")
    assert_close(got.singular_values_, expected.singular_values_, rtol=1e-7, what=f"{what}: singular_values_")
    assert_close_up_to_sign(np.asarray(got.components_).T, expected.components_.T, rtol=1e-7, atol=1e-9,
                            what=f"{what}: components_ (rows, each up to sign)")


@given(problems(), METHODS, rngs())
def test_transform_and_inverse_transform_match_sklearn(impl, problem, method, rng):
    """transform(new x) matches sklearn up to each column's sign; inverse_transform(transform(x)) matches sklearn's
    exactly."""
    from sklearn.decomposition import PCA

    x, k = problem
    new = x[rng.integers(0, len(x), size=5)] + rng.normal(0, 0.5, size=(5, x.shape[1]))
    got = fit(impl, x, k, method)
    expected = PCA(n_components=k, svd_solver="full").fit(x)
    signs = align_signs(np.asarray(got.components_).T, expected.components_.T)
    scores = np.asarray(got.transform(new))
    assert_close(scores * signs, expected.transform(new), rtol=1e-7, atol=1e-8,
                 what="transform(x): coordinates along the components (signs matched to sklearn's)")
    assert_close(got.inverse_transform(scores), expected.inverse_transform(expected.transform(new)), rtol=1e-7,
                 atol=1e-8, what="inverse_transform(transform(x)) (the projection back, sign-free)")


@given(problems(), METHODS)
def test_agrees_with_numpy_eigenvalues_and_eckart_young(impl, problem, method):
    """Variances are np.linalg.eigvalsh(np.cov(x.T)) largest first; components are orthonormal; the rank-k error is
    (n-1) Σ dropped λ.

    Eckart–Young: the squared Frobenius error of reconstructing the data from k components equals (n - 1)
    times the sum of the eigenvalues left out. With all d components the reconstruction is exact.
    """
    x, k = problem
    n, d = x.shape
    eigenvalues = np.linalg.eigvalsh(np.cov(x, rowvar=False))[::-1]
    got = fit(impl, x, k, method)
    kept = d if k is None else k
    assert_close(got.explained_variance_, eigenvalues[:kept], rtol=1e-7, what="explained_variance_ vs eigvalsh(cov)")
    components = np.asarray(got.components_)
    assert_close(components @ components.T, np.eye(kept), atol=1e-9,
                 what="components_ @ components_ᵀ (orthonormal rows)")
    error = np.sum((x - got.inverse_transform(got.transform(x))) ** 2)
    assert_close(error, (n - 1) * eigenvalues[kept:].sum(), rtol=1e-6, atol=1e-8 * np.sum((x - x.mean(0)) ** 2),
                 what=f"squared reconstruction error with {kept} of {d} components")


def test_centres_the_data_first(impl):
    """Data far from the origin: the first component follows the spread, not the direction of the mean (center
    before you decompose)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 2)) * [0.2, 1.0] + [100.0, 0.0]  # mean along x, spread along y
    for method in ("svd", "eigh"):
        got = fit(impl, x, 1, method)
        assert_close_up_to_sign(np.asarray(got.components_).T, np.array([[0.0], [1.0]]), atol=0.05,
                                what=f"first component ({method}) for data centered at (100, 0) with spread along y")
        assert_close(got.mean_, x.mean(axis=0), rtol=1e-12, what="mean_")


def test_variances_come_largest_first(impl):
    """explained_variance_ is sorted from largest to smallest (np.linalg.eigh returns ascending order: reverse it)."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(100, 4)) * [0.5, 3.0, 1.0, 2.0]
    for method in ("svd", "eigh"):
        variances = np.asarray(fit(impl, x, None, method).explained_variance_)
        expect(bool(np.all(np.diff(variances) <= 0)),
               f"explained_variance_ ({method}) should be descending, got {variances}")
        assert_close(np.sum(fit(impl, x, None, method).explained_variance_ratio_), 1.0, rtol=1e-12,
                     what=f"sum of explained_variance_ratio_ with all components ({method})")


def test_rejects_bad_input(impl):
    """Too many components, NaN, 1-D data, one sample, an unknown method, transform before fit or with wrong widths
    raise ValueError."""
    x = np.random.default_rng(0).normal(size=(10, 3))
    assert_raises_value_error(lambda: impl.PCA(n_components=4).fit(x), why="4 components from 3 features")
    assert_raises_value_error(lambda: impl.PCA(n_components=0).fit(x), why="n_components must be at least 1")
    bad = x.copy()
    bad[2, 1] = np.nan
    assert_raises_value_error(lambda: impl.PCA().fit(bad), why="NaN is not data")
    assert_raises_value_error(lambda: impl.PCA().fit(x[:, 0]), why="x is 2-D: (samples, features)")
    assert_raises_value_error(lambda: impl.PCA().fit(x[:1]), why="one sample has no variance")
    assert_raises_value_error(lambda: impl.PCA(method="qr").fit(x), why="method is svd or eigh")
    assert_raises_value_error(lambda: impl.PCA().transform(x), why="transform needs a fitted PCA")
    fitted = impl.PCA(n_components=2).fit(x)
    assert_raises_value_error(fitted.transform, x[:, :2], why="transform needs 3 columns, like the training data")
    assert_raises_value_error(fitted.inverse_transform, np.ones((4, 3)), why="inverse_transform needs 2 columns")
