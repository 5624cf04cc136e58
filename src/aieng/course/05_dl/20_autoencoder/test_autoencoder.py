"""Checks for `autoencoder`, against sklearn.decomposition.PCA (reconstruction error, principal subspace via
scipy.linalg.subspace_angles) on seeded data, and scipy.stats.spearmanr for the code of a curve.

While `fit` runs, numpy's and scipy's matrix factorizations and sklearn's PCA are switched off: the
autoencoder must find the subspace by gradient descent. The data are fixed (seeded), and so are the
training settings; the margins (2% over PCA's error, 0.1 rad, a quarter of PCA's error, |rho| >= 0.95) leave
room for any correct Adam-trained implementation — the reference gets 0.3%, 0.02 rad, 1/70 and 0.999.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import subspace_angles
from scipy.stats import spearmanr
from sklearn.decomposition import PCA

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid, present

FACTORIZATIONS = ("svd", "eigh", "eig", "lstsq", "pinv", "qr", "solve")


def fit(impl, x: np.ndarray, **settings):
    """impl.Autoencoder(**settings).fit(x, progress=False), with the factorizations switched off."""
    with forbid(impl, *present("numpy.linalg", FACTORIZATIONS), *present("scipy.linalg", FACTORIZATIONS),
                "sklearn.decomposition.PCA"):
        return impl.Autoencoder(**settings).fit(x, progress=False)


def standardize(x: np.ndarray) -> np.ndarray:
    return (x - x.mean(axis=0)) / x.std(axis=0)


def mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((np.asarray(a, dtype=float) - b) ** 2))


@pytest.fixture(scope="module")
def flat_data() -> np.ndarray:
    """400 standardized points in 6-D whose variance sits mostly in 2 directions (a clear eigengap)."""
    rng = np.random.default_rng(11)
    z = rng.standard_normal((400, 6)) * np.array([3.0, 2.0, 0.7, 0.5, 0.3, 0.2])
    rotation, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    return standardize(z @ rotation.T)


@pytest.fixture(scope="module")
def arc() -> tuple[np.ndarray, np.ndarray]:
    """300 points along 4/5 of a circle rising like a ramp in 3-D, noise 0.03, standardized; and their t."""
    rng = np.random.default_rng(5)
    t = rng.uniform(-1, 1, 300)
    angle = 0.8 * np.pi * t
    x = np.column_stack([np.cos(angle), np.sin(angle), 0.6 * t]) + rng.normal(0, 0.03, (300, 3))
    return standardize(x), t


@pytest.fixture(scope="module")
def linear_model(impl, flat_data):
    return fit(impl, flat_data, n_components=2, hidden=(), learning_rate=0.01, epochs=60, batch_size=32, seed=0)


@pytest.fixture(scope="module")
def curved_model(impl, arc):
    return fit(impl, arc[0], n_components=1, hidden=(16,), activation="tanh", learning_rate=0.02, epochs=60,
               batch_size=32, seed=0)


def pca_error(x: np.ndarray, k: int) -> tuple[float, PCA]:
    pca = PCA(n_components=k).fit(x)
    return mse(pca.inverse_transform(pca.transform(x)), x), pca


def test_linear_autoencoder_reaches_pca_error(linear_model, flat_data):
    """A linear autoencoder (no hidden layer) with a 2-unit code, trained 60 epochs, reconstructs the data
    with a mean squared error within 2% of PCA with 2 components — and not below it: by Eckart-Young no
    rank-2 map does better on its training data, so beating PCA means information leaks past the bottleneck."""
    target, _ = pca_error(flat_data, 2)
    error = mse(linear_model.reconstruct(flat_data), flat_data)
    expect(error >= target * (1 - 1e-9),
           f"reconstruction error {error:.5f} is below PCA(2)'s {target:.5f}: a 2-unit linear bottleneck cannot "
           "do that; does information bypass the code?")
    expect(error <= 1.02 * target, f"reconstruction error {error:.5f} is more than 2% above PCA(2)'s {target:.5f} "
           f"(ratio {error / target:.4f}): is the training converging? look at loss_history_")


def test_linear_autoencoder_spans_the_principal_subspace(linear_model, flat_data):
    """The reconstructions of a linear autoencoder lie in the same 2-D subspace as PCA's components: the
    principal angles (scipy.linalg.subspace_angles) between the top-2 directions of the centered
    reconstructions and sklearn's components_ are all below 0.1 rad. (The autoencoder's own axes are a
    skewed basis of that subspace, so individual weight vectors are not compared.)"""
    reconstruction = np.asarray(linear_model.reconstruct(flat_data), dtype=float)
    centered = reconstruction - reconstruction.mean(axis=0)
    _, singular, vt = np.linalg.svd(centered, full_matrices=False)
    expect(singular[2] <= 1e-8 * singular[0], "the reconstructions of a 2-unit linear autoencoder should span a "
           f"2-D (affine) subspace, but the third singular value is {singular[2]:.3g}")
    _, pca = pca_error(flat_data, 2)
    angles = subspace_angles(vt[:2].T, pca.components_.T)
    expect(float(angles.max()) < 0.1, f"largest principal angle to PCA's subspace is {angles.max():.4f} rad")


def test_nonlinear_autoencoder_beats_pca_on_a_curve(curved_model, arc):
    """On a noisy arc in 3-D (a curve: one number per point), a tanh autoencoder 3-16-1-16-3 with a 1-unit
    code has at most a quarter of the error of PCA with 1 component, which can only fit a straight line."""
    x, _ = arc
    target, _ = pca_error(x, 1)
    error = mse(curved_model.reconstruct(x), x)
    expect(error <= 0.25 * target, f"reconstruction error {error:.4f}; PCA(1) gets {target:.4f}, the bar is a "
           f"quarter of it ({0.25 * target:.4f})")


def test_the_code_follows_the_curve(curved_model, arc):
    """The 1-number code of the arc's points is a monotone function of the arc's parameter t: the Spearman rank
    correlation between code and t is at least 0.95 in absolute value (the sign is arbitrary)."""
    x, t = arc
    code = np.asarray(curved_model.encode(x), dtype=float)
    expect(code.shape == (len(x), 1), f"encode should return shape ({len(x)}, 1), got {code.shape}")
    rho = spearmanr(code.ravel(), t).statistic
    expect(abs(rho) >= 0.95, f"rank correlation between the code and t is {rho:.3f}")


def test_shapes_and_loss_history(linear_model, flat_data):
    """fit returns the model; encode gives (n, k), decode (n, d), reconstruct equals decode(encode(x)), and
    loss_history_ holds one mean loss per epoch, falling overall."""
    expect(linear_model is not None and hasattr(linear_model, "reconstruct"), "fit should return self")
    codes = np.asarray(linear_model.encode(flat_data))
    expect(codes.shape == (400, 2), f"encode should return shape (400, 2), got {codes.shape}")
    decoded = np.asarray(linear_model.decode(codes))
    expect(decoded.shape == (400, 6), f"decode should return shape (400, 6), got {decoded.shape}")
    assert_close(linear_model.reconstruct(flat_data), decoded, what="reconstruct(x) vs decode(encode(x))")
    history = np.asarray(getattr(linear_model, "loss_history_", []), dtype=float)
    expect(history.shape == (60,), f"loss_history_ should hold 60 values (one per epoch), got shape {history.shape}")
    expect(bool(history[-1] < 0.5 * history[0]), f"the loss fell only from {history[0]:.4f} to {history[-1]:.4f}")


def test_same_seed_same_model(impl, arc):
    """Two fits with the same seed give identical reconstructions (initialization and shuffling both come from
    the seed); another seed gives a different model."""
    x, _ = arc
    settings = {"n_components": 1, "hidden": (4,), "epochs": 3, "seed": 7}
    first = fit(impl, x, **settings).reconstruct(x)
    assert_close(fit(impl, x, **settings).reconstruct(x), first, rtol=0, atol=0, what="refit with the same seed")
    other = np.asarray(fit(impl, x, **{**settings, "seed": 8}).reconstruct(x))
    expect(not np.allclose(other, first), "seed 8 gave the same model as seed 7: is the seed used?")


def test_bad_input_raises_value_error(impl, arc):
    """ValueError for a code at least as wide as the input (the network could just copy it), a code size
    below 1, an unknown activation, data that are not a 2-D finite array, and encode/decode before fit or
    with the wrong width."""
    x, _ = arc

    def build_and_fit(data, **settings):
        return impl.Autoencoder(**settings).fit(data, progress=False)

    assert_raises_value_error(build_and_fit, x, n_components=3, epochs=1, why="the code must be narrower than x")
    assert_raises_value_error(build_and_fit, x, n_components=0, epochs=1, why="the code needs at least 1 unit")
    assert_raises_value_error(build_and_fit, x, n_components=1, activation="softmax", epochs=1,
                              why="activation is 'tanh' or 'relu'")
    assert_raises_value_error(build_and_fit, x[:, 0], n_components=1, epochs=1, why="x must be 2-D")
    with_nan = x.copy()
    with_nan[0, 0] = np.nan
    assert_raises_value_error(build_and_fit, with_nan, n_components=1, epochs=1, why="x has a NaN")
    assert_raises_value_error(impl.Autoencoder(n_components=1).encode, x, why="the model is not fitted yet")
    model = build_and_fit(x, n_components=1, epochs=1)
    assert_raises_value_error(model.encode, x[:, :2], why="x must have the 3 features the model was fitted on")
    assert_raises_value_error(model.decode, np.zeros((4, 2)), why="codes must have 1 column")


def test_does_not_import_torch(impl):
    """Your autoencoder is numpy with a hand-written backward pass: it does not import torch."""
    assert_not_imported(impl, "torch")
