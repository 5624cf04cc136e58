"""Checks for `hierarchical-clustering`, against scipy.cluster.hierarchy and sklearn.cluster.AgglomerativeClustering.

Random Gaussian data have no two equal distances (with probability 1), so the merge sequence is unique:
merge ids and sizes must equal scipy's exactly and merge distances agree to 1e-9 (only round-off differs).
Flat labels are compared up to renaming the clusters. While your code runs, scipy's and scikit-learn's
hierarchical clustering are switched off (scipy.spatial.distance stays available).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster import hierarchy
from sklearn import cluster as sk
from sklearn.datasets import load_iris, load_wine, make_blobs
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

METHODS = ("single", "complete", "average", "ward")
READY_MADE = (present("scipy.cluster.hierarchy", ["linkage", "single", "complete", "average", "ward", "fcluster",
                                                  "fclusterdata", "cut_tree", "maxdists"])
              + present("sklearn.cluster", ["AgglomerativeClustering", "FeatureAgglomeration", "ward_tree",
                                            "linkage_tree"]))


def guarded(impl, func, *args, **kwargs):
    """Call `func(*args, **kwargs)` with library hierarchical clustering switched off."""
    with forbid(impl, *READY_MADE):
        return func(*args, **kwargs)


def same_partition(got, want) -> bool:
    """True when the two label arrays describe the same grouping (cluster names may differ)."""
    got, want = np.asarray(got).ravel(), np.asarray(want).ravel()
    pairs = set(zip(got.tolist(), want.tolist(), strict=True))
    return got.shape == want.shape and len(pairs) == len(set(got.tolist())) == len(set(want.tolist()))


@settings(max_examples=40)
@given(st.integers(0, 10_000), st.integers(2, 40), st.integers(1, 4), st.sampled_from(METHODS))
def test_linkage_matches_scipy(impl, seed, n, p, method):
    """linkage(X, method) equals scipy's linkage matrix: the same pair merged at every step (smaller id
    first, new cluster n + i), the same sizes, and merge distances within 1e-9. A wrong distance column
    usually means a wrong Lance-Williams update (Ward works on Euclidean, not squared, distances here)."""
    X = np.random.default_rng(seed).normal(size=(n, p)) * 3
    Z = np.asarray(guarded(impl, impl.linkage, X, method))
    W = hierarchy.linkage(X, method)
    expect(Z.shape == W.shape, f"{method}: Z should have shape {W.shape}, got {Z.shape}")
    for step in range(n - 1):
        expect(np.array_equal(Z[step, [0, 1, 3]], W[step, [0, 1, 3]]),
               f"{method}, n={n}: merge {step} should join clusters {W[step, :2].astype(int).tolist()} into size "
               f"{int(W[step, 3])}, yours is {Z[step, [0, 1, 3]].tolist()}")
    assert_close(Z[:, 2], W[:, 2], rtol=1e-9, atol=1e-9, what=f"{method}: merge distances")


@settings(max_examples=40)
@given(st.integers(0, 10_000), st.integers(2, 40), st.sampled_from(METHODS), st.data())
def test_fcluster_maxclust_matches_scipy(impl, seed, n, method, data):
    """fcluster_maxclust(Z, k) on scipy's own tree groups the points like scipy's
    fcluster(Z, k, criterion='maxclust'), with exactly k clusters numbered 1..k."""
    X = np.random.default_rng(seed).normal(size=(n, 2))
    W = hierarchy.linkage(X, method)
    k = data.draw(st.integers(1, n), label="k")
    got = np.asarray(guarded(impl, impl.fcluster_maxclust, W, k))
    want = hierarchy.fcluster(W, k, criterion="maxclust")
    expect(got.shape == (n,), f"labels should have shape ({n},), got {got.shape}")
    expect(sorted(set(got.tolist())) == list(range(1, k + 1)), f"labels should be 1..{k}, got {sorted(set(got))}")
    expect(same_partition(got, want), f"{method}, k={k}: your clusters differ from scipy's fcluster "
                                      f"(yours {got.tolist()}, scipy {want.tolist()})")


def test_estimator_matches_sklearn(impl):
    """AgglomerativeClustering(n_clusters, linkage) gives scikit-learn's partition (up to renaming) on iris,
    standardized wine and seeded blobs for every linkage and k = 2, 3, 5; labels_ are 0..k-1."""
    data = {"iris": load_iris(return_X_y=True)[0],
            "standardized wine": StandardScaler().fit_transform(load_wine(return_X_y=True)[0]),
            "blobs": make_blobs(n_samples=120, centers=4, random_state=0)[0]}
    for name, X in data.items():
        for method in METHODS:
            for k in (2, 3, 5):
                model = guarded(impl, impl.AgglomerativeClustering(n_clusters=k, linkage=method).fit, X)
                got = np.asarray(model.labels_)
                want = sk.AgglomerativeClustering(n_clusters=k, linkage=method).fit(X).labels_
                expect(sorted(set(got.tolist())) == list(range(k)), f"{name}: labels_ should be 0..{k - 1}")
                expect(same_partition(got, want), f"{name}, linkage={method}, k={k}: partition differs from "
                                                  f"scikit-learn's")
                expect(np.asarray(model.linkage_matrix_).shape == (len(X) - 1, 4),
                       "linkage_matrix_ should have shape (n_samples - 1, 4)")


def test_single_linkage_chains(impl):
    """Single linkage follows a chain: points 0, 1, 2, ..., 9 on a line plus one far point split into the
    chain and the far point, and every merge distance of the chain is 1."""
    X = np.r_[np.arange(10.0), 30.0][:, None]
    Z = np.asarray(guarded(impl, impl.linkage, X, "single"))
    assert_close(np.sort(Z[:, 2]), np.r_[np.ones(9), 21.0], atol=1e-12, what="single-linkage merge distances")
    labels = np.asarray(guarded(impl, impl.fcluster_maxclust, Z, 2))
    expect(same_partition(labels, np.r_[np.zeros(10), 1]), f"cut into 2 should isolate the far point: {labels}")


def test_bad_input_raises_value_error(impl):
    """Unknown method, fewer than 2 points, NaN, k out of range, a malformed Z and bad estimator parameters
    raise ValueError."""
    X = np.random.default_rng(0).normal(size=(10, 2))
    assert_raises_value_error(impl.linkage, X, "centroid", why="method must be single/complete/average/ward")
    assert_raises_value_error(impl.linkage, X[:1], "single", why="needs at least 2 points")
    bad = X.copy()
    bad[2, 0] = np.nan
    assert_raises_value_error(impl.linkage, bad, "ward", why="X contains NaN")
    Z = hierarchy.linkage(X, "ward")
    assert_raises_value_error(impl.fcluster_maxclust, Z, 0, why="k must be >= 1")
    assert_raises_value_error(impl.fcluster_maxclust, Z, 11, why="k must be <= n_samples")
    assert_raises_value_error(impl.fcluster_maxclust, Z[:, :3], 2, why="Z must have 4 columns")
    assert_raises_value_error(impl.AgglomerativeClustering(n_clusters=11).fit, X, why="more clusters than points")
    assert_raises_value_error(impl.AgglomerativeClustering(linkage="median").fit, X, why="unknown linkage")


def test_in_a_pipeline(impl):
    """make_pipeline(StandardScaler(), AgglomerativeClustering(3)).fit_predict on wine equals scikit-learn's
    pipeline up to renaming."""
    X = load_wine(return_X_y=True)[0]
    got = make_pipeline(StandardScaler(), impl.AgglomerativeClustering(n_clusters=3)).fit_predict(X)
    want = make_pipeline(StandardScaler(), sk.AgglomerativeClustering(n_clusters=3)).fit_predict(X)
    expect(same_partition(got, want), "the pipeline's partition differs from scikit-learn's")


def test_passes_sklearn_estimator_checks(impl):
    """AgglomerativeClustering passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.AgglomerativeClustering())
