"""Checks for `vanishing-gradients`: gradient clipping against torch.nn.utils.clip_grad_norm_, per-layer
gradient norms of a deep MLP against torch.autograd on the same weights, and the plot.

Norms and gradients must agree with torch to a relative 1e-10 (clipping: a few additions and one
division) and 1e-8 (a backward pass through up to 20 layers, where sums of many products of mixed sign
lose a few more digits). torch is switched off while your code runs.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib.figure
import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid

torch.set_num_threads(1)  # small tensors: extra threads only wait for each other on a busy machine

TORCH_PARTS = ("torch.nn.utils.clip_grad_norm_", "torch.autograd.grad", "torch.autograd.backward",
               "torch.linalg.vector_norm", "torch.nn.utils.get_total_norm")
ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


def run(impl, name, *args, **kwargs):
    with forbid(impl, *TORCH_PARTS):
        return getattr(impl, name)(*args, **kwargs)


# ----------------------------------------------------------------------------- clipping

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5)
grad_lists = st.lists(st.tuples(shapes, st.integers(0, 2**32 - 1), st.booleans()), min_size=1, max_size=4)


@given(grad_lists, st.floats(0.05, 20.0), st.sampled_from([1.0, 2.0, 3.0, math.inf]), st.floats(0.01, 10.0))
def test_clip_grad_norm_matches_torch(impl, specs, max_norm, norm_type, scale):
    """clip_grad_norm_(params, max_norm, norm_type) returns the total norm of all gradients taken together and
    scales them in place by min(1, max_norm / (total + 1e-6)), exactly as torch.nn.utils.clip_grad_norm_
    (norm types 1, 2, 3 and inf; parameters whose .grad is None are ignored)."""
    grads = [None if missing else np.array(scale * np.random.default_rng(seed).standard_normal(shape))
             for shape, seed, missing in specs]
    ours = [SimpleNamespace(data=np.zeros(()), grad=None if g is None else g.copy()) for g in grads]
    theirs = [torch.zeros(() if g is None else g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(theirs, grads, strict=True):
        t.grad = None if g is None else torch.tensor(g)
    want = float(torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type))
    arrays = [p.grad for p in ours]
    got = run(impl, "clip_grad_norm_", ours, max_norm, norm_type=norm_type)
    assert_close(got, want, rtol=1e-10, atol=1e-14, what=f"clip_grad_norm_(..., {max_norm:.3g}, norm_type={norm_type})")
    for i, (p, t, array) in enumerate(zip(ours, theirs, arrays, strict=True)):
        if t.grad is None:
            expect(p.grad is None, f"parameter {i} had no gradient; its .grad must stay None")
            continue
        expect(p.grad is array, f"parameter {i}: scale the gradient array in place (g *= c), do not replace it")
        assert_close(p.grad, t.grad.numpy(), rtol=1e-10, atol=1e-14, what=f"clipped gradient of parameter {i}")


def test_clip_grad_norm_small_gradients_and_errors(impl):
    """Gradients already within max_norm are left as they are (up to the factor 1); no gradients at all give a
    total norm of 0; a negative max_norm raises ValueError."""
    p = SimpleNamespace(grad=np.array([0.3, 0.4]))
    total = run(impl, "clip_grad_norm_", [p], 1.0)
    assert_close(total, 0.5, what="total norm of (0.3, 0.4)")
    assert_close(p.grad, [0.3, 0.4], rtol=1e-15, what="a gradient below max_norm")
    assert_close(run(impl, "clip_grad_norm_", [SimpleNamespace(grad=None)], 1.0), 0.0, what="norm of no gradients")
    assert_raises_value_error(impl.clip_grad_norm_, [p], -1.0, why="max_norm must be >= 0")


# ----------------------------------------------------------------------------- per-layer gradient norms


def torch_norms(params, x, y, activation):
    """||dL/dW_l|| by torch.autograd for the network of the lesson, with the given weights."""
    weights = [torch.tensor(w, requires_grad=True) for w, _ in params]
    h = torch.tensor(x)
    for i, (w, (_, b)) in enumerate(zip(weights, params, strict=True)):
        h = h @ w.T + torch.tensor(b)
        if i < len(params) - 1:
            h = ACTIVATIONS[activation](h)
    loss = torch.mean((h - torch.tensor(y)) ** 2)
    grads = torch.autograd.grad(loss, weights)
    return np.array([float(torch.linalg.vector_norm(g)) for g in grads])


@settings(max_examples=25)
@given(st.integers(1, 8), st.integers(2, 12), st.integers(1, 16), st.sampled_from(list(ACTIVATIONS)),
       st.floats(0.1, 2.0), st.integers(0, 2**32 - 1))
def test_mlp_grad_norms_match_torch(impl, depth, width, n, activation, gain, seed):
    """mlp_grad_norms(params, x, y, activation) equals torch's per-layer weight-gradient norms for the same
    weights and biases (float64, relative 1e-8), first layer first."""
    rng = np.random.default_rng(seed)
    params = [(rng.normal(0, gain / math.sqrt(width), (width, width)), rng.normal(0, 0.1, width))
              for _ in range(depth)]
    x, y = rng.standard_normal((n, width)), rng.standard_normal((n, width))
    got = run(impl, "mlp_grad_norms", params, x, y, activation)
    expect(np.shape(got) == (depth,), f"mlp_grad_norms should return one norm per layer, shape ({depth},), "
                                      f"got shape {np.shape(got)}")
    assert_close(got, torch_norms(params, x, y, activation), rtol=1e-8, atol=1e-300,
                 what=f"per-layer gradient norms ({activation}, depth {depth})")


@settings(max_examples=10)
@given(st.integers(1, 20), st.integers(2, 24), st.sampled_from(["small", "large", "xavier", "he"]),
       st.integers(0, 2**32 - 1))
def test_init_mlp(impl, depth, width, init, seed):
    """init_mlp(depth, width, init, rng) gives `depth` pairs (W of shape (width, width), zero b of shape (width,))
    with weight std 0.01 ('small'), 1 ('large'), sqrt(1/width) ('xavier') or sqrt(2/width) ('he'). The pooled
    sample std of all weights must be within 6 standard errors (1/sqrt(2n) relative) of that value."""
    params = run(impl, "init_mlp", depth, width, init, np.random.default_rng(seed))
    expect(len(params) == depth, f"init_mlp({depth}, {width}, {init!r}) returned {len(params)} layers")
    for w, b in params:
        expect(np.shape(w) == (width, width) and np.shape(b) == (width,),
               "each layer is a pair (W of shape (width, width), b of shape (width,))")
        expect(not np.any(b), "biases start at zero")
    std = {"small": 0.01, "large": 1.0, "xavier": math.sqrt(1 / width), "he": math.sqrt(2 / width)}[init]
    weights = np.concatenate([np.ravel(w) for w, _ in params])
    n = weights.size
    got = float(np.sqrt(np.mean(weights**2)))  # the mean is known to be 0
    allowed = 6 * std / math.sqrt(2 * n)
    expect(abs(got - std) <= allowed,
           f"init_mlp(..., {init!r}): the weights' std is {got:.4g}, expected {std:.4g} (+-{allowed:.2g})")


@settings(max_examples=10)
@given(st.integers(2, 20), st.integers(2, 24), st.sampled_from(list(ACTIVATIONS)),
       st.sampled_from(["small", "large", "xavier", "he"]), st.integers(0, 2**32 - 1))
def test_layer_grad_norms_follow_the_recipe(impl, depth, width, activation, init, seed):
    """layer_grad_norms(depth, width, activation, init, seed) equals torch's norms for the network from
    init_mlp(depth, width, init, rng) and then x and y drawn by rng.standard_normal((64, width)), in that order,
    with rng = numpy.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    params = run(impl, "init_mlp", depth, width, init, rng)
    x, y = rng.standard_normal((64, width)), rng.standard_normal((64, width))
    got = run(impl, "layer_grad_norms", depth, width, activation, init, seed)
    assert_close(got, torch_norms(params, x, y, activation), rtol=1e-8, atol=1e-300,
                 what=f"layer_grad_norms({depth}, {width}, {activation!r}, {init!r}, {seed})")


def test_the_phenomenon(impl):
    """In a 20-layer network of width 32: sigmoid with small weights loses 20+ orders of magnitude from the last
    layer to the first, and even with Xavier init loses 8+; ReLU with He init keeps first and last within a
    factor of 10; ReLU with N(0, 1) weights has gradients above 1e10 everywhere (exploding)."""
    def norms(activation, init):
        return np.asarray(run(impl, "layer_grad_norms", 20, 32, activation, init, 0))

    checks = [(norms("sigmoid", "small"), lambda g: g[0] / g[-1] < 1e-20, "sigmoid + small init: first/last < 1e-20"),
              (norms("sigmoid", "xavier"), lambda g: g[0] / g[-1] < 1e-8, "sigmoid + Xavier: first/last < 1e-8"),
              (norms("relu", "he"), lambda g: 0.1 < g[0] / g[-1] < 10, "ReLU + He: first/last between 0.1 and 10"),
              (norms("relu", "large"), lambda g: g.min() > 1e10, "ReLU + N(0, 1): every norm above 1e10")]
    for g, ok, claim in checks:
        expect(ok(g), f"expected {claim}; got norms {np.array2string(g, precision=2, max_line_width=200)}")


# ----------------------------------------------------------------------------- the plot


def test_plot_grad_norms(impl, tmp_path):
    """plot_grad_norms(results, path) returns a matplotlib Figure with one axes on a log y-scale, one line per
    configuration (x = layer 1..depth, y = its norms), a legend naming each configuration, axis labels, and
    saves it as a PNG file at `path`."""
    rng = np.random.default_rng(0)
    results = {"sigmoid, small init": np.exp(rng.uniform(-80, 0, 6)), "ReLU, He init": rng.uniform(0.1, 1.0, 6)}
    path = tmp_path / "grad_norms.png"
    fig = run(impl, "plot_grad_norms", results, path)
    expect(isinstance(fig, matplotlib.figure.Figure), f"plot_grad_norms should return a Figure, got {type(fig)}")
    expect(path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no PNG file was written at {path}")
    axes = fig.get_axes()
    expect(len(axes) >= 1, "the figure has no axes")
    ax = axes[0]
    expect(ax.get_yscale() == "log", f"the y-axis should be logarithmic, it is {ax.get_yscale()!r}")
    expect(bool(ax.get_xlabel()) and bool(ax.get_ylabel()), "label both axes")
    lines = ax.get_lines()
    expect(len(lines) == len(results), f"expected {len(results)} lines (one per configuration), got {len(lines)}")
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    for label, norms in results.items():
        expect(label in labels, f"the legend should name {label!r}; it has {labels}")
        line = next((ln for ln in lines if ln.get_label() == label), None)
        expect(line is not None, f"no line labelled {label!r}")
        assert_close(line.get_xdata(), np.arange(1, len(norms) + 1), what=f"x data of {label!r} (layers 1..depth)")
        assert_close(line.get_ydata(), norms, rtol=1e-12, atol=0, what=f"y data of {label!r}")


def test_bad_arguments(impl, tmp_path):
    """Unknown activation or init names and empty results raise ValueError."""
    assert_raises_value_error(impl.layer_grad_norms, 3, 4, "swish", "he", 0,
                              why="'swish' is not one of the activations")
    assert_raises_value_error(impl.init_mlp, 3, 4, "huge", 0, why="'huge' is not one of the inits")
    assert_raises_value_error(impl.plot_grad_norms, {}, tmp_path / "empty.png", why="there is nothing to plot")


def test_does_not_import_torch(impl):
    """Your backprop is numpy: the module must not import torch."""
    assert_not_imported(impl, "torch")
