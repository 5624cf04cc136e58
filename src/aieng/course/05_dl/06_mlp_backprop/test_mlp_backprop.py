"""Checks for `mlp-backprop`, against torch: torch.nn.functional.linear, and the same MLP built in torch with
your weights (linear, tanh or relu, linear, relu, linear, cross_entropy), whose loss and gradients
torch.autograd computes.

float64: relative 1e-10 (the same formulas; only round-off differs). float32: your float32 results within
relative 1e-5 of torch's answer computed in float64 from the same numbers. numerical_gradient is checked
against closed-form gradients to 1e-7 absolute and against torch's MLP gradients to 1e-6 relative: central
differences with eps = 1e-6 carry an error of about 1e-10 (round-off divided by eps, plus eps^2 f'''/6).
"""

from __future__ import annotations

import ast
import inspect

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported
from aieng.grader.torch_oracle import assert_grads_match, assert_matches_torch, value_and_grads

NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")


def assert_no_torch_anywhere(impl):
    """Fail if the learner's source imports torch anywhere (top level or inside a function)."""
    assert_not_imported(impl, "torch")
    try:
        tree = ast.parse(inspect.getsource(impl))
    except (OSError, TypeError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        expect(not any(m == "torch" or m.startswith("torch.") for m in modules),
               f"line {node.lineno} imports torch: implement it with numpy, without torch")


def make_problem(seed, n, d, h1, h2, c):
    """Weights drawn like torch.nn.Linear's (uniform within 1/sqrt(fan_in)), inputs and labels, float64."""
    rng = np.random.default_rng(seed)
    params = {}
    for k, (out, inp) in enumerate([(h1, d), (h2, h1), (c, h2)], start=1):
        bound = 1.0 / np.sqrt(inp)
        params[f"W{k}"] = rng.uniform(-bound, bound, (out, inp))
        params[f"b{k}"] = rng.uniform(-bound, bound, out)
    return rng.standard_normal((n, d)), rng.integers(0, c, n), params


def torch_mlp(x, y, activation):
    """The same network in torch, as a function of the six parameters (float64)."""
    act = torch.tanh if activation == "tanh" else torch.relu

    def loss(w1, b1, w2, b2, w3, b3):
        a1 = act(F.linear(torch.tensor(x, dtype=torch.float64), w1, b1))
        a2 = torch.relu(F.linear(a1, w2, b2))
        return F.cross_entropy(F.linear(a2, w3, b3), torch.as_tensor(y))

    return loss


@settings(max_examples=25)
@given(st.integers(0, 2**32 - 1), st.tuples(*[st.integers(1, 6)] * 3), st.booleans(), st.booleans())
def test_linear_layer_matches_torch(impl, seed, sizes, single, with_bias):
    """linear and linear_backward equal torch.nn.functional.linear and its autograd gradients (dx, dW, db)."""
    n, i, o = sizes
    rng = np.random.default_rng(seed)
    x, w, b, g = rng.standard_normal((n, i)), rng.standard_normal((o, i)), rng.standard_normal(o), \
        rng.standard_normal((n, o))
    if with_bias:
        out, grads = value_and_grads(F.linear, x, w, b, grad_output=g)
    else:
        out, grads = value_and_grads(lambda x_, w_: F.linear(x_, w_), x, w, grad_output=g)
        grads = [*grads, g.sum(axis=0)]
    dtype = np.float32 if single else np.float64
    x, w, b, g = (a.astype(dtype) for a in (x, w, b, g))
    y = impl.linear(x, w, b if with_bias else None)
    expect(isinstance(y, np.ndarray) and y.dtype == dtype, f"linear should return a {np.dtype(dtype).name} array")
    assert_matches_torch(y, out, f"linear(x, W{', b' if with_bias else ''})", dtype=dtype)
    got = impl.linear_backward(x, w, g)
    expect(isinstance(got, tuple) and len(got) == 3, "linear_backward should return a tuple (dx, dW, db)")
    assert_grads_match(list(got), grads, ["dL/dx", "dL/dW", "dL/db"], dtype=dtype)


@settings(max_examples=25)
@given(st.integers(0, 2**32 - 1), st.tuples(*[st.integers(1, 6)] * 5), st.sampled_from(["tanh", "relu"]),
       st.booleans())
def test_mlp_loss_and_gradients_match_torch(impl, seed, sizes, activation, single):
    """mlp_forward's loss and mlp_backward's six gradients equal torch.autograd's for the same weights."""
    x, y, params = make_problem(seed, *sizes)
    out, grads = value_and_grads(torch_mlp(x, y, activation), *[params[k] for k in NAMES])
    dtype = np.float32 if single else np.float64
    x = x.astype(dtype)
    params = {k: v.astype(dtype) for k, v in params.items()}
    loss, cache = impl.mlp_forward(x, y, params, activation=activation)
    expect(np.ndim(loss) == 0, f"mlp_forward should return the loss as a number first, got {type(loss).__name__}")
    assert_matches_torch(loss, out, f"loss ({activation}, {np.dtype(dtype).name})", dtype=dtype)
    got = impl.mlp_backward(cache)
    keys = sorted(got) if isinstance(got, dict) else type(got).__name__
    expect(isinstance(got, dict) and set(got) == set(NAMES),
           f"mlp_backward should return a dict with keys {', '.join(NAMES)}, got {keys}")
    for k in NAMES:
        expect(np.shape(got[k]) == params[k].shape, f"dL/d{k} should have the shape of {k}, {params[k].shape}, "
                                                     f"got {np.shape(got[k])}")
        expect(np.asarray(got[k]).dtype == dtype, f"dL/d{k} should be {np.dtype(dtype).name} like the weights")
    assert_grads_match([got[k] for k in NAMES], grads, [f"dL/d{k} ({activation})" for k in NAMES], dtype=dtype)


def test_numerical_gradient_matches_closed_forms(impl):
    """numerical_gradient of sum(sin(x)) is cos(x), of x.A.x is (A + A^T) x, to 1e-7; x itself is left unchanged."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (3, 4))
    before = x.copy()
    got = impl.numerical_gradient(lambda v: float(np.sum(np.sin(v))), x, eps=1e-6)
    expect(np.array_equal(x, before), "numerical_gradient changed the caller's array: restore x[i] after each step")
    expect(np.shape(got) == x.shape, f"the gradient should have the shape of x, {x.shape}, got {np.shape(got)}")
    assert_close(got, np.cos(x), rtol=0, atol=1e-7, what="numerical_gradient(sum(sin(x)))")
    a, v = rng.standard_normal((5, 5)), rng.standard_normal(5)
    got = impl.numerical_gradient(lambda u: float(u @ a @ u), v)
    assert_close(got, (a + a.T) @ v, rtol=0, atol=1e-7, what="numerical_gradient(x.A.x) with the default eps")


def test_numerical_gradient_confirms_torch_gradients(impl):
    """Central differences of the MLP loss agree with torch's gradients to 1e-6 relative (1e-8 absolute)."""
    x, y, params = make_problem(3, 6, 4, 5, 4, 3)
    _, grads = value_and_grads(torch_mlp(x, y, "tanh"), *[params[k] for k in NAMES])
    for k, want in zip(NAMES, grads, strict=True):
        def f(value, k=k):
            return impl.mlp_forward(x, y, {**params, k: value}, activation="tanh")[0]
        assert_close(impl.numerical_gradient(f, params[k], eps=1e-6), want, rtol=1e-6, atol=1e-8,
                     what=f"numerical gradient of the loss in {k}")


def test_bad_input_raises_value_error(impl):
    """Unknown activation, a weight of the wrong shape, labels out of range, or eps <= 0 raise ValueError."""
    x, y, params = make_problem(1, 4, 3, 5, 4, 2)
    v = assert_raises_value_error
    v(impl.mlp_forward, x, y, params, activation="sigmoid", why="the activation is 'tanh' or 'relu'")
    v(impl.mlp_forward, x, y, {**params, "W2": params["W2"].T}, why="W2 must have shape (h2, h1)")
    v(impl.mlp_forward, x, np.array([0, 1, 2, 0]), params, why="label 2 is out of range for 2 classes")
    v(impl.linear, np.ones((2, 3)), np.ones((3, 4)), why="x has 3 features but the weight expects 4")
    v(impl.linear_backward, np.ones((2, 3)), np.ones((4, 3)), np.ones((2, 5)), why="grad must have shape (2, 4)")
    v(impl.numerical_gradient, lambda u: float(np.sum(u)), np.ones(3), eps=0.0, why="eps must be positive")


def test_no_torch(impl):
    """Your backward pass is numpy: it must not import torch."""
    assert_no_torch_anywhere(impl)
