"""Checks for `dbscan`, against sklearn.cluster.DBSCAN and brute force.

DBSCAN is deterministic: on the same data the core points must be exactly scikit-learn's, noise exactly the
points scikit-learn marks -1, and the clusters the same groups (names may differ). Data are continuous
random numbers, so no distance lands on eps up to round-off. A border point within reach of two clusters
goes to the cluster with the smallest core-point index, as in scikit-learn. While your code runs,
scikit-learn's DBSCAN, OPTICS and HDBSCAN are switched off.
"""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn import cluster as sk
from sklearn.datasets import make_blobs, make_moons
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.sklearn_checks import assert_sklearn_compatible

READY_MADE = present("sklearn.cluster", ["DBSCAN", "dbscan", "OPTICS", "HDBSCAN", "cluster_optics_dbscan"])


def fit(impl, X, eps, min_samples):
    """impl.DBSCAN(eps=eps, min_samples=min_samples).fit(X) with library density clustering switched off."""
    model = impl.DBSCAN(eps=eps, min_samples=min_samples)
    with forbid(sys.modules[type(model).__module__], *READY_MADE):
        return model.fit(X)


def compare(got, want, X, what):
    """Core points, components_, noise and the grouping of the learner's model vs scikit-learn's."""
    core = np.asarray(got.core_sample_indices_)
    expect(np.array_equal(core, want.core_sample_indices_),
           f"{what}: core_sample_indices_ should be {want.core_sample_indices_.tolist()[:20]}..., got "
           f"{core.tolist()[:20]}...")
    assert_close(np.asarray(got.components_, dtype=float).reshape(-1, X.shape[1]), X[want.core_sample_indices_], atol=0,
                 what=f"{what}: components_")
    labels = np.asarray(got.labels_)
    expect(labels.shape == want.labels_.shape, f"{what}: labels_ should have shape {want.labels_.shape}")
    expect(np.array_equal(labels == -1, want.labels_ == -1),
           f"{what}: noise (-1) differs on {np.sum((labels == -1) != (want.labels_ == -1))} points")
    pairs = set(zip(labels.tolist(), want.labels_.tolist(), strict=True))
    expect(len(pairs) == len(set(labels.tolist())) == len(set(want.labels_.tolist())),
           f"{what}: the clusters differ from scikit-learn's (label pairs seen: {sorted(pairs)[:10]})")


@settings(max_examples=40)
@given(st.integers(0, 10_000), st.integers(1, 120), st.floats(0.1, 2.0), st.integers(1, 10),
       st.floats(0.3, 2.0))
def test_matches_sklearn_on_noisy_blobs(impl, seed, n, eps, min_samples, spread):
    """Seeded blobs plus uniform noise, random eps and min_samples: same core points, same noise, same
    clusters as scikit-learn. Wrong core points usually mean the point itself was not counted in its own
    neighbourhood, or < was used instead of <= eps."""
    rng = np.random.default_rng(seed)
    X = np.r_[make_blobs(n_samples=n, centers=3, cluster_std=spread, random_state=seed)[0],
              rng.uniform(-12, 12, size=(10, 2))]
    compare(fit(impl, X, eps, min_samples), sk.DBSCAN(eps=eps, min_samples=min_samples).fit(X), X,
            f"eps={eps:.3g}, min_samples={min_samples}")


def test_core_points_by_brute_force(impl):
    """core_sample_indices_ are exactly the points with at least min_samples points (themselves included)
    within eps, counted plainly from all pairwise distances."""
    X = np.random.default_rng(3).normal(size=(200, 3))
    for eps, min_samples in ((0.4, 3), (0.7, 5), (1.0, 12)):
        counts = np.sum(cdist(X, X) <= eps, axis=1)
        got = np.asarray(fit(impl, X, eps, min_samples).core_sample_indices_)
        expect(np.array_equal(got, np.flatnonzero(counts >= min_samples)),
               f"eps={eps}, min_samples={min_samples}: core points differ from the brute-force count")


def test_two_moons(impl):
    """Two interleaved half-moons (which k-means cannot separate) come out as two clusters, exactly as in
    scikit-learn."""
    X, _ = make_moons(n_samples=300, noise=0.06, random_state=0)
    got = fit(impl, X, 0.2, 5)
    compare(got, sk.DBSCAN(eps=0.2, min_samples=5).fit(X), X, "two moons")
    expect(len(set(np.asarray(got.labels_).tolist()) - {-1}) == 2, "two moons should give two clusters")


def test_contested_border_point(impl):
    """A border point within eps of core points of two clusters joins the cluster whose smallest core index
    is smallest (scikit-learn grows clusters from core points in index order). Listing the clusters in the
    other order must flip its cluster."""
    left, right, border = [0.0, 0.1, 0.2, 0.3], [1.4, 1.5, 1.6, 1.7], [0.85]
    for order in ((left, border, right), (right, border, left)):
        X = np.concatenate(order)[:, None]  # row 4 is the border point, rows 0-3 the cluster listed first
        got = np.asarray(fit(impl, X, 0.6, 4).labels_)
        want = sk.DBSCAN(eps=0.6, min_samples=4).fit(X).labels_
        expect(got[4] == got[0] != got[5] and np.array_equal(got == got[0], want == want[0]),
               f"the border point 0.85 (row 4, not a core point) should join the cluster of rows 0-3, listed "
               f"first (rows: {X.ravel().tolist()}); got labels {got.tolist()}")


def test_extremes(impl):
    """min_samples larger than the data makes everything noise with no core points; min_samples=1 makes every
    point core, so clusters are the connected pieces of the eps-graph and nothing is noise."""
    X = np.random.default_rng(5).normal(size=(30, 2))
    model = fit(impl, X, 0.5, 31)
    expect(np.all(np.asarray(model.labels_) == -1), "with min_samples > n_samples every point is noise")
    expect(len(model.core_sample_indices_) == 0, "with min_samples > n_samples there are no core points")
    compare(fit(impl, X, 0.3, 1), sk.DBSCAN(eps=0.3, min_samples=1).fit(X), X, "min_samples=1")


def test_bad_input_raises_value_error(impl):
    """eps <= 0, min_samples < 1 and NaN in X raise ValueError."""
    X = np.random.default_rng(0).normal(size=(20, 2))
    assert_raises_value_error(impl.DBSCAN(eps=0.0).fit, X, why="eps must be positive")
    assert_raises_value_error(impl.DBSCAN(eps=-1.0).fit, X, why="eps must be positive")
    assert_raises_value_error(impl.DBSCAN(min_samples=0).fit, X, why="min_samples must be >= 1")
    bad = X.copy()
    bad[4, 1] = np.nan
    assert_raises_value_error(impl.DBSCAN().fit, bad, why="X contains NaN")


def test_in_a_pipeline(impl):
    """make_pipeline(StandardScaler(), DBSCAN(eps=0.3)).fit_predict on blobs gives scikit-learn's clusters."""
    X, _ = make_blobs(n_samples=200, centers=3, cluster_std=[0.5, 1.0, 2.0], random_state=4)
    got = np.asarray(make_pipeline(StandardScaler(), impl.DBSCAN(eps=0.3)).fit_predict(X))
    want = make_pipeline(StandardScaler(), sk.DBSCAN(eps=0.3)).fit_predict(X)
    pairs = set(zip(got.tolist(), want.tolist(), strict=True))
    expect(np.array_equal(got == -1, want == -1) and len(pairs) == len(set(want.tolist())) == len(set(got.tolist())),
           "the pipeline's clusters differ from scikit-learn's")


def test_passes_sklearn_estimator_checks(impl):
    """DBSCAN passes scikit-learn's own estimator checks."""
    assert_sklearn_compatible(impl.DBSCAN())
