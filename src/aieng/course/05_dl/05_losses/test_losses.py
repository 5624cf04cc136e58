"""Checks for `losses`, against torch.nn.functional's mse_loss, binary_cross_entropy_with_logits and
cross_entropy (reduction="mean") and the gradients torch.autograd computes for them.

float64: relative 1e-10. float32: your float32 result within relative 1e-5 of torch's answer computed in
float64 from the same numbers. Logits reach +-1000, where a naive log(sigmoid) or log(softmax) is -inf.
"""

from __future__ import annotations

import ast
import inspect

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aieng.grader.assertions import assert_raises_value_error, expect
from aieng.grader.guards import assert_no_loops, assert_not_imported
from aieng.grader.torch_oracle import assert_grads_match, assert_matches_torch, value_and_grads


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


def arrays(low, high, min_dims=1, max_dims=3):
    """float64 arrays whose entries are exact in float32 too."""
    elements = st.floats(low, high, allow_nan=False, allow_subnormal=False, width=32)
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, max_side=6),
                      elements=elements)


def check_loss(value, gradient, out, grad_out, name, dtype, options=""):
    """A loss (a Python float) and its gradient (an array of the input's dtype) against torch's."""
    expect(np.ndim(value) == 0 and not isinstance(value, np.ndarray),
           f"{name} should return the mean loss as a float, got {type(value).__name__}")
    assert_matches_torch(value, out, f"{name}({options})", dtype=dtype)
    expect(isinstance(gradient, np.ndarray) and gradient.dtype == dtype,
           f"{name}_backward: for {np.dtype(dtype).name} input return a {np.dtype(dtype).name} array, "
           f"got {getattr(gradient, 'dtype', type(gradient).__name__)}")
    assert_grads_match([gradient], [grad_out], [f"{name}_backward({options})"], dtype=dtype)


@settings(max_examples=30)
@given(arrays(-100, 100), st.integers(0, 2**32 - 1), st.booleans(), st.sampled_from([1.0, -0.5]))
def test_mse_loss_matches_torch(impl, pred, seed, single, scale):
    """mse_loss and mse_loss_backward (the gradient of the mean, times grad) equal torch's on any shape."""
    target = np.random.default_rng(seed).uniform(-100, 100, pred.shape).astype(np.float32).astype(np.float64)
    out, (grad_pred, _) = value_and_grads(lambda p, t: scale * F.mse_loss(p, t), pred, target)
    dtype = np.float32 if single else np.float64
    p, t = pred.astype(dtype), target.astype(dtype)
    check_loss(impl.mse_loss(p, t), impl.mse_loss_backward(p, t, grad=scale), out / scale, grad_pred, "mse_loss", dtype)


@settings(max_examples=30)
@given(arrays(-1e3, 1e3), st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_binary_cross_entropy_with_logits_matches_torch(impl, logits, seed, hard, single):
    """BCE with logits and its gradient equal torch's, for 0/1 and soft targets and logits up to +-1000."""
    rng = np.random.default_rng(seed)
    targets = rng.integers(0, 2, logits.shape).astype(float) if hard else rng.uniform(0, 1, logits.shape)
    targets = targets.astype(np.float32).astype(np.float64)
    out, (grad_z, _) = value_and_grads(F.binary_cross_entropy_with_logits, logits, targets)
    dtype = np.float32 if single else np.float64
    z, y = logits.astype(dtype), targets.astype(dtype)
    check_loss(impl.binary_cross_entropy_with_logits(z, y), impl.binary_cross_entropy_with_logits_backward(z, y),
               out, grad_z, "binary_cross_entropy_with_logits", dtype)


@settings(max_examples=30)
@given(arrays(-1e3, 1e3, min_dims=2, max_dims=2), st.integers(0, 2**32 - 1), st.booleans(),
       st.sampled_from([0.0, 0.0, 0.1]))
def test_cross_entropy_matches_torch(impl, logits, seed, single, eps):
    """cross_entropy and its gradient equal torch's for (N, C) logits up to +-1000, label_smoothing 0 or 0.1."""
    n, c = logits.shape
    labels = np.random.default_rng(seed).integers(0, c, n)
    out, (grad_z,) = value_and_grads(
        lambda z: F.cross_entropy(z, torch.as_tensor(labels), label_smoothing=eps), logits)
    dtype = np.float32 if single else np.float64
    z = logits.astype(dtype)
    if eps == 0.0:
        value, gradient = impl.cross_entropy(z, labels), impl.cross_entropy_backward(z, labels)
    else:
        value = impl.cross_entropy(z, labels, label_smoothing=eps)
        gradient = impl.cross_entropy_backward(z, labels, label_smoothing=eps)
    check_loss(value, gradient, out, grad_z, "cross_entropy", dtype, f"label_smoothing={eps}")


def test_backward_scales_by_grad(impl):
    """Each backward multiplies by the upstream scalar `grad` (here 3): d(3 L)/dz = 3 dL/dz."""
    z, y = np.array([[0.5, -1.0, 2.0]]), np.array([2])
    one, three = impl.cross_entropy_backward(z, y), impl.cross_entropy_backward(z, y, grad=3.0)
    expect(np.allclose(three, 3 * one), "cross_entropy_backward(..., grad=3) should be 3 times the default")
    b = np.array([1.0, 0.0, 1.0])
    one = impl.binary_cross_entropy_with_logits_backward(z[0], b)
    three = impl.binary_cross_entropy_with_logits_backward(z[0], b, grad=3.0)
    expect(np.allclose(three, 3 * one),
           "binary_cross_entropy_with_logits_backward(..., grad=3) should be 3 times the default")


def test_saturated_logits_give_the_exact_loss(impl):
    """A logit of 40 for a 0 label costs 40 (sigmoid(40) rounds to 1, so log(1 - sigmoid) would be -inf)."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        value = impl.binary_cross_entropy_with_logits(np.array([40.0, -1000.0]), np.array([0.0, 1.0]))
        expect(np.isclose(value, (40.0 + 1000.0) / 2, rtol=1e-12),
               f"BCE of logits (40, -1000) with labels (0, 1) is (40 + 1000) / 2 = 520, got {value}")
        value = impl.cross_entropy(np.array([[1000.0, -1000.0]]), np.array([1]))
        expect(np.isclose(value, 2000.0, rtol=1e-12), f"cross_entropy([[1000, -1000]], [1]) is 2000, got {value}")


def test_bad_shapes_and_labels_raise_value_error(impl):
    """Mismatched shapes, empty batches, non-integer or out-of-range labels, targets outside [0, 1] raise ValueError."""
    v = assert_raises_value_error
    v(impl.mse_loss, np.ones(3), np.ones(4), why="pred and target must have the same shape")
    v(impl.mse_loss, np.ones((3, 1)), np.ones(3), why="(3, 1) and (3,) only broadcast; they are different shapes")
    v(impl.mse_loss, np.ones(0), np.ones(0), why="the mean of an empty batch is undefined")
    v(impl.mse_loss_backward, np.ones(2), np.ones(3), why="pred and target must have the same shape")
    v(impl.binary_cross_entropy_with_logits, np.ones(3), np.array([0.0, 1.0, 2.0]), why="targets lie in [0, 1]")
    v(impl.binary_cross_entropy_with_logits, np.ones(2), np.ones(3), why="logits and targets must have the same shape")
    z = np.zeros((2, 3))
    v(impl.cross_entropy, np.zeros(3), np.array([0]), why="logits must have shape (N, C)")
    v(impl.cross_entropy, z, np.array([0, 3]), why="label 3 is out of range for 3 classes")
    v(impl.cross_entropy, z, np.array([0, -1]), why="labels are in [0, C)")
    v(impl.cross_entropy, z, np.array([0.0, 1.0]), why="labels must be integers (class indices)")
    v(impl.cross_entropy, z, np.array([0, 1, 2]), why="there must be one label per row")
    v(impl.cross_entropy, np.zeros((0, 3)), np.array([], dtype=int), why="the mean of an empty batch is undefined")
    v(impl.cross_entropy, z, np.array([0, 1]), label_smoothing=1.5, why="label_smoothing lies in [0, 1]")
    v(impl.cross_entropy_backward, z, np.array([0, 5]), why="label 5 is out of range for 3 classes")


def test_no_loops_and_no_torch(impl):
    """Your losses use array operations (no Python loops) and numpy, not torch."""
    assert_no_loops(impl)
    assert_no_torch_anywhere(impl)
