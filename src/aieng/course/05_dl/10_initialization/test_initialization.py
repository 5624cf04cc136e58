"""Checks for `initialization`: Xavier/Glorot and Kaiming/He against the closed forms torch.nn.init uses.

Gains come from torch.nn.init.calculate_gain; fans from torch's rule for a weight of shape
(out, in, *kernel). Your draws are random, so they are judged by their statistics, with tolerances derived
from the sampling distributions: for n draws the sample standard deviation has relative standard error
1/sqrt(2n) (normal) or 1/sqrt(5n) (uniform), and each check allows 6 of them (false-failure probability
about 2e-9 per check). Uniform draws must respect the bound exactly. A 20-layer ReLU network shows variance
preservation. torch.nn.init is switched off while your code runs.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid

torch.set_num_threads(1)  # small tensors: extra threads only wait for each other on a busy machine

TORCH_INIT = ("torch.nn.init.xavier_uniform_", "torch.nn.init.xavier_normal_", "torch.nn.init.kaiming_uniform_",
              "torch.nn.init.kaiming_normal_", "torch.nn.init.calculate_gain",
              "torch.nn.init._calculate_fan_in_and_fan_out")
Z = 6.0  # standard errors allowed in every statistical check


def fans(shape):
    """torch's rule: fan_in = in * receptive field, fan_out = out * receptive field."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


@st.composite
def weight_shapes(draw):
    """Linear (out, in) and conv (out, in, k, k) shapes with at least 10 000 weights (tight statistics)."""
    if draw(st.booleans()):
        shape = (draw(st.integers(40, 400)), draw(st.integers(40, 400)))
    else:
        k = draw(st.integers(1, 5))
        shape = (draw(st.integers(8, 96)), draw(st.integers(3, 96)), k, k)
    assume(math.prod(shape) >= 10_000)
    return shape


def call(impl, name, *args, **kwargs):
    with forbid(impl, *TORCH_INIT):
        return getattr(impl, name)(*args, **kwargs)


def check_normal_draw(w, shape, std, what):
    expect(isinstance(w, np.ndarray) and w.shape == tuple(shape), f"{what} should return an array of shape {shape}")
    n = w.size
    got = float(np.std(w))
    expect(abs(got - std) <= Z * std / math.sqrt(2 * n),
           f"{what}: the standard deviation of {n} draws is {got:.5g}, expected {std:.5g} "
           f"(allowed: +-{Z * std / math.sqrt(2 * n):.2g}, i.e. 6 standard errors)")
    expect(abs(float(np.mean(w))) <= Z * std / math.sqrt(n), f"{what}: the mean {np.mean(w):.3g} should be about 0")
    inside = float(np.mean(np.abs(w) < std))  # 68.27% for a normal, 57.7% for a uniform of the same std
    expect(abs(inside - 0.6827) <= Z * math.sqrt(0.6827 * 0.3173 / n),
           f"{what}: {inside:.1%} of the draws lie within one standard deviation; a normal distribution puts 68.3% "
           "there (is it really normal?)")


def check_uniform_draw(w, shape, bound, what):
    expect(isinstance(w, np.ndarray) and w.shape == tuple(shape), f"{what} should return an array of shape {shape}")
    n = w.size
    top = float(np.max(np.abs(w)))
    expect(top <= bound, f"{what}: a weight of size {top:.6g} exceeds the bound {bound:.6g}")
    # P(all n draws below bound * (1 - 20/n)) = (1 - 20/n)^n < e^-20: the draws must reach the bound
    expect(top >= bound * (1 - 20 / n), f"{what}: the largest |w| is {top:.6g}, but {n} uniform draws on "
                                        f"(-{bound:.6g}, {bound:.6g}) come much closer to the bound")
    std, got = bound / math.sqrt(3), float(np.std(w))
    expect(abs(got - std) <= Z * std / math.sqrt(5 * n),
           f"{what}: the standard deviation of the draws is {got:.5g}, expected bound / sqrt(3) = {std:.5g}")


@given(st.sampled_from(["linear", "conv2d", "sigmoid", "tanh", "relu", "selu", "leaky_relu"]),
       st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_calculate_gain_matches_torch(impl, nonlinearity, param):
    """calculate_gain matches torch.nn.init.calculate_gain (leaky_relu with its negative slope, default 0.01)."""
    want = torch.nn.init.calculate_gain(nonlinearity, param)
    assert_close(call(impl, "calculate_gain", nonlinearity, param), want, rtol=1e-15,
                 what=f"calculate_gain({nonlinearity!r}, {param})")


def test_unknown_nonlinearity_and_bad_shapes(impl):
    """An unknown activation name, a 1-D weight (no fan-out) or a bad mode raise ValueError."""
    assert_raises_value_error(impl.calculate_gain, "swishy", why="there is no gain for an unknown activation")
    assert_raises_value_error(impl.fan_in_and_fan_out, (5,), why="a 1-D tensor has no fan-in and fan-out")
    assert_raises_value_error(impl.kaiming_normal, (4, 4), mode="fan_sideways", why="mode is fan_in or fan_out")


@given(st.lists(st.integers(1, 9), min_size=2, max_size=5))
def test_fans_follow_torch(impl, shape):
    """fan_in_and_fan_out((out, in, *kernel)) = (in * prod(kernel), out * prod(kernel)), torch's convention."""
    got = call(impl, "fan_in_and_fan_out", tuple(shape))
    expect(tuple(int(v) for v in got) == fans(shape), f"fan_in_and_fan_out({tuple(shape)}) gave {got}, "
                                                      f"expected {fans(shape)}")


@settings(max_examples=15)
@given(weight_shapes(), st.floats(0.5, 2.0), st.integers(0, 2**32 - 1))
def test_xavier_uniform(impl, shape, gain, seed):
    """xavier_uniform draws from U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)): every |w| <= a, the
    extremes reach a, and the standard deviation is a / sqrt(3)."""
    fan_in, fan_out = fans(shape)
    w = call(impl, "xavier_uniform", shape, gain=gain, rng=np.random.default_rng(seed))
    check_uniform_draw(w, shape, gain * math.sqrt(6 / (fan_in + fan_out)), f"xavier_uniform({shape}, gain={gain:.3g})")


@settings(max_examples=15)
@given(weight_shapes(), st.floats(0.5, 2.0), st.integers(0, 2**32 - 1))
def test_xavier_normal(impl, shape, gain, seed):
    """xavier_normal draws from N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fans(shape)
    w = call(impl, "xavier_normal", shape, gain=gain, rng=np.random.default_rng(seed))
    check_normal_draw(w, shape, gain * math.sqrt(2 / (fan_in + fan_out)), f"xavier_normal({shape}, gain={gain:.3g})")


kaiming_settings = st.tuples(st.sampled_from(["fan_in", "fan_out"]),
                             st.sampled_from(["relu", "leaky_relu", "tanh", "linear"]), st.floats(0.0, 0.5))


@settings(max_examples=15)
@given(weight_shapes(), kaiming_settings, st.integers(0, 2**32 - 1))
def test_kaiming_normal(impl, shape, setting, seed):
    """kaiming_normal draws from N(0, std^2) with std = gain / sqrt(fan), fan = fan_in or fan_out by `mode` and
    gain = torch.nn.init.calculate_gain(nonlinearity, a)."""
    mode, nonlinearity, a = setting
    fan = fans(shape)[0 if mode == "fan_in" else 1]
    std = torch.nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    w = call(impl, "kaiming_normal", shape, a=a, mode=mode, nonlinearity=nonlinearity, rng=np.random.default_rng(seed))
    check_normal_draw(w, shape, std, f"kaiming_normal({shape}, a={a:.3g}, mode={mode!r}, "
                                     f"nonlinearity={nonlinearity!r})")


@settings(max_examples=15)
@given(weight_shapes(), kaiming_settings, st.integers(0, 2**32 - 1))
def test_kaiming_uniform(impl, shape, setting, seed):
    """kaiming_uniform draws from U(-b, b) with b = sqrt(3) * gain / sqrt(fan) (the same variance as
    kaiming_normal)."""
    mode, nonlinearity, a = setting
    fan = fans(shape)[0 if mode == "fan_in" else 1]
    bound = math.sqrt(3) * torch.nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    w = call(impl, "kaiming_uniform", shape, a=a, mode=mode, nonlinearity=nonlinearity, rng=np.random.default_rng(seed))
    check_uniform_draw(w, shape, bound, f"kaiming_uniform({shape}, a={a:.3g}, mode={mode!r}, "
                                        f"nonlinearity={nonlinearity!r})")


def test_defaults_are_torchs(impl):
    """Defaults as in torch: kaiming_* use a = 0, mode='fan_in', nonlinearity='leaky_relu' (so the ReLU gain
    sqrt(2)); xavier_* use gain 1."""
    shape = (200, 300)
    check_normal_draw(call(impl, "kaiming_normal", shape, rng=1), shape, math.sqrt(2 / 300), "kaiming_normal(shape)")
    check_uniform_draw(call(impl, "kaiming_uniform", shape, rng=2), shape, math.sqrt(6 / 300), "kaiming_uniform(shape)")
    check_normal_draw(call(impl, "xavier_normal", shape, rng=3), shape, math.sqrt(2 / 500), "xavier_normal(shape)")


def test_seeded_and_reproducible(impl):
    """The same seed (an int or a Generator in the same state) gives the same weights; different seeds differ."""
    for name in ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"):
        a = call(impl, name, (30, 20), rng=np.random.default_rng(5))
        b = call(impl, name, (30, 20), rng=np.random.default_rng(5))
        c = call(impl, name, (30, 20), rng=6)
        d = call(impl, name, (30, 20), rng=6)
        expect(np.array_equal(a, b) and np.array_equal(c, d), f"{name}: the same seed should give the same weights")
        expect(not np.array_equal(a, c), f"{name}: different seeds gave identical weights")


def second_moments(rng, init, networks, depth=20, width=256, batch=32):
    """Mean square pre-activation of every layer of `networks` independent ReLU networks: shape (depth, networks)."""
    moments = np.empty((depth, networks))
    for k in range(networks):
        h = rng.standard_normal((batch, width))
        for layer in range(depth):
            z = h @ init((width, width), rng).T
            moments[layer, k] = np.mean(z * z)
            h = np.maximum(z, 0.0)
    return moments


def test_he_init_preserves_the_variance_of_a_deep_relu_network(impl):
    """Through 20 ReLU layers of width 256, He init (your kaiming_normal) keeps the pre-activations' second
    moment (the size of the signal) within a factor of 4 of the first layer's (geometric mean over 4
    networks); with gain 1 ('linear') it halves at every layer and collapses (one network), and numpy's
    N(0, 1) weights explode.

    Why 4 and not 2: at finite width each layer multiplies the variance by a random factor near 1, so over 20
    layers it drifts. In a simulation of 1000 sets of correct He networks (this test's sizes), the log of the
    worst layer's factor had mean 0.31 and standard deviation 0.15 (largest factor seen: 2.7). log 4 = 1.39
    lies 7 standard deviations away (false failure well below 1e-9), whereas a factor of 2 failed 2.1% of
    the correct sets."""
    rng = np.random.default_rng(2024)
    with forbid(impl, *TORCH_INIT):
        he = second_moments(rng, lambda s, r: impl.kaiming_normal(s, nonlinearity="relu", rng=r), networks=4)
        linear = second_moments(rng, lambda s, r: impl.kaiming_normal(s, nonlinearity="linear", rng=r), networks=1)
    unit = second_moments(rng, lambda s, r: r.standard_normal(s), networks=1)
    drift = np.exp(np.mean(np.log(he / he[0]), axis=1))
    worst = int(np.argmax(np.abs(np.log(drift))))
    expect(0.25 <= drift[worst] <= 4.0,
           f"with He init the second moment at layer {worst + 1} is {drift[worst]:.3g} times layer 1's; it should stay "
           f"near 1 (layer by layer: {np.round(drift, 2).tolist()})")
    collapse = float(np.exp(np.mean(np.log(linear[-1] / linear[0]))))
    expect(collapse < 1e-3, f"with gain 1 (nonlinearity='linear') on ReLU layers the variance should halve at each "
                            f"layer (about 2e-6 after 20), got a factor {collapse:.3g}: is the gain used?")
    expect(float(np.min(unit[-1] / unit[0])) > 1e6, "N(0, 1) weights should make a width-256 ReLU network explode")


def test_does_not_import_torch(impl):
    """Your initializers are numpy: the module must not import torch."""
    assert_not_imported(impl, "torch")
