"""Checks for `activations`, against torch.nn.functional and torch.autograd.

Each forward value and each backward pass (a vector-Jacobian product with a random upstream gradient) is
compared with torch's on random arrays of 1 to 3 dimensions. float64: relative 1e-10. float32: your float32
result within relative 1e-5 of torch's answer computed in float64 from the same numbers (the exact
answer; torch's own float32 tanh-GELU gradient is off by ~1e-6 near x = -5). While your code runs,
scipy's expit, softmax, log_softmax and logsumexp are switched off.
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
from aieng.grader.guards import assert_no_loops, assert_not_imported, forbid, present
from aieng.grader.torch_oracle import assert_grads_match, assert_matches_torch, value_and_grads

READY_MADE = ("expit", "log_expit", "softmax", "log_softmax", "logsumexp")

# name -> (forward, backward, torch function, options)
ELEMENTWISE = {
    "sigmoid": ("sigmoid", "sigmoid_backward", torch.sigmoid, {}),
    "tanh": ("tanh", "tanh_backward", torch.tanh, {}),
    "relu": ("relu", "relu_backward", F.relu, {}),
    "leaky_relu": ("leaky_relu", "leaky_relu_backward", F.leaky_relu, {}),
    "leaky_relu(negative_slope=0.2)": ("leaky_relu", "leaky_relu_backward", F.leaky_relu, {"negative_slope": 0.2}),
    "gelu": ("gelu", "gelu_backward", F.gelu, {}),
    "gelu(approximate='tanh')": ("gelu", "gelu_backward", F.gelu, {"approximate": "tanh"}),
}


def call(impl, name, *args, **kwargs):
    """impl.name(*args, **kwargs) with scipy's ready-made sigmoid/softmax functions switched off."""
    with forbid(impl, *present("scipy.special", READY_MADE)):
        return getattr(impl, name)(*args, **kwargs)


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


def torch_answer(torch_fn, x, grad):
    """torch's value and vector-Jacobian product, computed in float64 from the numbers in x and grad."""
    out, (grad_x,) = value_and_grads(torch_fn, x.astype(np.float64), grad_output=grad.astype(np.float64))
    return out, grad_x


def check_pair(impl, forward, backward, torch_fn, options, x, grad, what):
    """Forward and backward of impl against torch, in x's dtype, with the dtype's tolerance."""
    out, grad_x = torch_answer(lambda t: torch_fn(t, **options), x, grad)
    y = call(impl, forward, x, **options)
    expect(isinstance(y, np.ndarray) and y.dtype == x.dtype,
           f"{what}: for {x.dtype} input return a {x.dtype} array, got {getattr(y, 'dtype', type(y).__name__)}")
    assert_matches_torch(y, out, what, dtype=x.dtype)
    got = call(impl, backward, x, grad, **options)
    expect(isinstance(got, np.ndarray) and got.dtype == x.dtype,
           f"{backward}: for {x.dtype} input return a {x.dtype} array, got {getattr(got, 'dtype', type(got).__name__)}")
    assert_grads_match([got], [grad_x], [f"{backward}(x, grad) (dL/dx)"], dtype=x.dtype)


def arrays(low=-30.0, high=30.0):
    """float64 arrays of 1-3 dimensions, sides 1-5, whose entries are exact in float32 too."""
    elements = st.floats(low, high, allow_nan=False, allow_subnormal=False, width=32)
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5), elements=elements)


def upstream(x, seed):
    return np.random.default_rng(seed).standard_normal(x.shape)


@settings(max_examples=30)
@given(st.sampled_from(list(ELEMENTWISE)), arrays(), st.integers(0, 2**32 - 1), st.booleans())
def test_elementwise_activations_match_torch(impl, name, x, seed, single):
    """sigmoid, tanh, relu, leaky_relu and gelu (both forms), and their backward passes, equal torch's."""
    forward, backward, torch_fn, options = ELEMENTWISE[name]
    dtype = np.float32 if single else np.float64
    check_pair(impl, forward, backward, torch_fn, options, x.astype(dtype), upstream(x, seed).astype(dtype),
               f"{name} in {np.dtype(dtype).name}")


@settings(max_examples=30)
@given(st.sampled_from(["softmax", "log_softmax"]), arrays(-1e3, 1e3), st.data(), st.booleans())
def test_softmax_and_log_softmax_match_torch_on_any_axis(impl, name, x, data, single):
    """softmax and log_softmax along any axis, with their backward passes, equal torch's for scores up to 1e3."""
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    grad = upstream(x, data.draw(st.integers(0, 2**32 - 1), label="seed"))
    dtype = np.float32 if single else np.float64
    torch_fn = F.softmax if name == "softmax" else F.log_softmax
    out, grad_x = torch_answer(lambda t: torch_fn(t, dim=axis), x, grad)
    x, grad = x.astype(dtype), grad.astype(dtype)
    what = f"{name}(x, axis={axis}) in {np.dtype(dtype).name}"
    y = call(impl, name, x, axis=axis)
    expect(isinstance(y, np.ndarray) and y.dtype == dtype, f"{what}: return a {np.dtype(dtype).name} array")
    assert_matches_torch(y, out, what, dtype=dtype)
    assert_grads_match([call(impl, f"{name}_backward", x, grad, axis=axis)], [grad_x],
                       [f"{name}_backward(x, grad, axis={axis})"], dtype=dtype)


def test_huge_inputs_do_not_overflow(impl):
    """At x = +-1000 (and +-700, +-40) every function is finite, raises no overflow warning and equals torch."""
    x = np.array([-1000.0, -700.0, -40.0, -1.0, 0.0, 1.0, 40.0, 700.0, 1000.0])
    grad = upstream(x, 1)
    cases = {**ELEMENTWISE, "softmax": ("softmax", "softmax_backward", F.softmax, {}),
             "log_softmax": ("log_softmax", "log_softmax_backward", F.log_softmax, {})}
    for name, (forward, backward, torch_fn, options) in cases.items():
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            try:
                check_pair(impl, forward, backward, torch_fn, options, x, grad, f"{name} at +-1000")
            except FloatingPointError as exc:
                raise AssertionError(f"{name} at x = +-1000: numpy reports '{exc}'; rearrange the formula so "
                                     "nothing overflows (never exp a large positive number)") from None


def test_kinks_follow_torch(impl):
    """relu_backward is 0 at x = 0, leaky_relu_backward is negative_slope there (torch's convention)."""
    x, grad = np.array([-1.0, 0.0, 2.0]), np.array([5.0, 5.0, 5.0])
    got = call(impl, "relu_backward", x, grad)
    expect(np.array_equal(got, [0.0, 0.0, 5.0]), f"relu_backward([-1, 0, 2], 5) should be [0, 0, 5], got {got}")
    got = call(impl, "leaky_relu_backward", x, grad, negative_slope=0.1)
    expect(np.allclose(got, [0.5, 0.5, 5.0]),
           f"leaky_relu_backward([-1, 0, 2], 5, negative_slope=0.1) should be [0.5, 0.5, 5], got {got}")


def test_softmax_is_a_distribution_and_shift_invariant(impl):
    """softmax rows are positive and sum to 1, and adding a constant to every score changes nothing."""
    x = np.random.default_rng(0).normal(scale=5.0, size=(4, 6))
    y = call(impl, "softmax", x)
    expect(bool(np.all(y > 0)) and np.allclose(y.sum(axis=-1), 1.0), "every softmax row must be positive and sum to 1")
    expect(np.allclose(call(impl, "softmax", x + 1e3), y, rtol=1e-9, atol=1e-15),
           "softmax(x + 1000) should equal softmax(x): subtract the row maximum before exp")


def test_integers_become_float64(impl):
    """Integer input gives float64 output (a network's activations are real numbers)."""
    for name in ("sigmoid", "relu", "softmax"):
        y = call(impl, name, np.array([[1, -2, 3]]))
        expect(isinstance(y, np.ndarray) and y.dtype == np.float64, f"{name} of an int array should be float64")


def test_bad_arguments_raise_value_error(impl):
    """A grad whose shape differs from x's, or approximate other than 'none'/'tanh', raises ValueError."""
    for backward in ("sigmoid_backward", "tanh_backward", "relu_backward", "softmax_backward"):
        assert_raises_value_error(getattr(impl, backward), np.ones((2, 3)), np.ones((3, 2)),
                                  why="grad must have the shape of x")
    assert_raises_value_error(impl.gelu, np.ones(3), approximate="erf", why="approximate is 'none' or 'tanh'")
    assert_raises_value_error(impl.gelu_backward, np.ones(3), np.ones(3), approximate="sigmoid",
                              why="approximate is 'none' or 'tanh'")


def test_no_loops_and_no_torch(impl):
    """Your functions use array operations (no Python loops) and numpy, not torch."""
    assert_no_loops(impl)
    assert_no_torch_anywhere(impl)
