"""Checks for `residual-connections`, against torch: torch.nn.Linear layers with their own initialization,
weights copied to numpy, composed as x + F(x), differentiated by torch.autograd.

Tolerances: float64 to 1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer (gradient
norms: relative to each norm itself, since a product of 30 Jacobians keeps its relative accuracy however
small it gets). While your code runs, torch's linear layer functions are switched off.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid, present
from aieng.grader.torch_oracle import ATOL, RTOL, as_torch

READY_MADE = present("torch.nn.functional", ["linear", "relu"]) + present("torch", ["relu", "matmul", "addmm"])
DEPTH, WIDTH, HIDDEN, BATCH = 30, 16, 32, 8


def call(impl, name: str, *args: Any, **kwargs: Any) -> Any:
    """impl.name(*args, **kwargs) with torch's linear algebra entry points switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args, **kwargs)


def assert_like_torch(got: object, want: np.ndarray, what: str) -> None:
    """Within the dtype's tolerance of torch, relative to the largest entry of torch's answer."""
    rtol = RTOL[want.dtype]
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * float(np.max(np.abs(want))), what=what)


def torch_block(seed: int, d: int, h: int, dtype: torch.dtype) -> tuple[torch.nn.Linear, torch.nn.Linear]:
    """Two torch.nn.Linear layers, D -> H -> D, initialized by torch from `seed`."""
    torch.manual_seed(seed)
    return torch.nn.Linear(d, h).to(dtype), torch.nn.Linear(h, d).to(dtype)


def weights(layers: tuple[torch.nn.Linear, torch.nn.Linear]) -> list[np.ndarray]:
    """(w1, b1, w2, b2) copied out of the torch layers."""
    first, second = layers
    return [p.detach().numpy().copy() for p in (first.weight, first.bias, second.weight, second.bias)]


@st.composite
def block_cases(draw: st.DrawFn, dtype: type = np.float64) -> dict[str, Any]:
    """A block of random width D and hidden size H, weights from torch.nn.Linear, a batch x and an upstream grad."""
    n, d, h = draw(st.integers(1, 6)), draw(st.integers(1, 8)), draw(st.integers(1, 10))
    seed = draw(st.integers(0, 2**31 - 1))
    layers = torch_block(seed, d, h, torch.float64 if dtype == np.float64 else torch.float32)
    rng = np.random.default_rng(seed)
    return {"layers": layers, "params": weights(layers), "x": rng.standard_normal((n, d)).astype(dtype),
            "grad": rng.standard_normal((n, d)).astype(dtype), "skip": draw(st.booleans())}


def torch_answer(case: dict[str, Any]) -> tuple[np.ndarray, list[np.ndarray]]:
    """torch's y = x + F(x) (or F(x)) and the gradients of sum(y * grad) for x, w1, b1, w2, b2."""
    first, second = case["layers"]
    for p in (*first.parameters(), *second.parameters()):
        p.grad = None
    x = as_torch(case["x"], requires_grad=True)
    f = second(torch.relu(first(x)))
    y = x + f if case["skip"] else f
    y.backward(as_torch(case["grad"]))
    grads = [x.grad, first.weight.grad, first.bias.grad, second.weight.grad, second.bias.grad]
    return y.detach().numpy(), [g.numpy().copy() for g in grads]


NAMES = ("dL/dx", "dL/dw1", "dL/db1", "dL/dw2", "dL/db2")


def check_block(impl, case: dict[str, Any]) -> None:
    want_y, want_grads = torch_answer(case)
    got_y = call(impl, "residual_block", case["x"], *case["params"], skip=case["skip"])
    assert_like_torch(got_y, want_y, f"residual_block(x, skip={case['skip']})")
    got = call(impl, "residual_block_backward", case["x"], *case["params"], case["grad"], skip=case["skip"])
    expect(isinstance(got, tuple) and len(got) == 5,
           "residual_block_backward should return a tuple (dL/dx, dL/dw1, dL/db1, dL/dw2, dL/db2)")
    for g, want, name in zip(got, want_grads, NAMES, strict=True):
        assert_like_torch(g, want, f"{name} (skip={case['skip']})")


@given(block_cases())
def test_block_and_gradients_match_torch_float64(impl, case):
    """residual_block equals x + Linear2(relu(Linear1(x))) in torch (F alone with skip=False), and
    residual_block_backward equals torch.autograd's gradients for x, w1, b1, w2 and b2 (float64, 1e-10)."""
    check_block(impl, case)


@given(block_cases(np.float32))
def test_block_and_gradients_match_torch_float32(impl, case):
    """In float32 the block and its five gradients agree with torch's float32 layers to 1e-5, and stay float32."""
    check_block(impl, case)
    y = call(impl, "residual_block", case["x"], *case["params"], skip=case["skip"])
    expect(np.asarray(y).dtype == np.float32, f"float32 inputs gave a {np.asarray(y).dtype} output: keep float32")


def test_identity_path_passes_the_gradient_unchanged(impl):
    """When F's last layer is all zeros, F(x) = 0, so y = x and dL/dx = grad exactly: the identity path adds the
    upstream gradient as it is. (dL/dw2 is still nonzero: that is how the block starts learning.)"""
    rng = np.random.default_rng(0)
    x, grad = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    w1, b1 = rng.standard_normal((5, 3)), rng.standard_normal(5)
    w2, b2 = np.zeros((3, 5)), np.zeros(3)
    assert_close(call(impl, "residual_block", x, w1, b1, w2, b2), x, what="residual_block with F = 0")
    grads = call(impl, "residual_block_backward", x, w1, b1, w2, b2, grad)
    assert_close(grads[0], grad, what="dL/dx with F = 0")
    assert_close(grads[3], grad.T @ np.maximum(x @ w1.T + b1, 0), what="dL/dw2 = grad^T relu(x w1^T + b1)")


def torch_stack_norms(skip: bool) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """A 30-block stack of torch.nn.Linear pairs (seed 0, torch's default init), a batch and an upstream gradient;
    the norm of the gradient at every depth, read from retained .grad."""
    torch.manual_seed(0)
    layers = [(torch.nn.Linear(WIDTH, HIDDEN).double(), torch.nn.Linear(HIDDEN, WIDTH).double()) for _ in range(DEPTH)]
    rng = np.random.default_rng(0)
    x, grad = rng.standard_normal((BATCH, WIDTH)), rng.standard_normal((BATCH, WIDTH))
    hs = [as_torch(x, requires_grad=True)]
    for first, second in layers:
        f = second(torch.relu(first(hs[-1])))
        hs.append(hs[-1] + f if skip else f)
        hs[-1].retain_grad()
    hs[-1].backward(as_torch(grad))
    norms = np.array([h.grad.norm().item() for h in hs])
    return [tuple(weights(pair)) for pair in layers], x, grad, norms


def test_gradient_norms_through_30_blocks_match_torch(impl):
    """stack_gradient_norms gives torch's gradient norm at every depth of a 30-block stack, with and without skip
    connections (each norm to 1e-10 relative)."""
    for skip in (True, False):
        blocks, x, grad, want = torch_stack_norms(skip)
        got = call(impl, "stack_gradient_norms", x, blocks, grad, skip=skip)
        assert_close(got, want, rtol=1e-10, atol=0.0, what=f"gradient norms by depth (skip={skip})")


def test_skip_connections_keep_the_gradient_alive(impl):
    """The lesson's point, on your numbers: without skips the gradient reaching the input of the 30-block stack is
    below 1e-6 of the output's (it vanishes); with skips it is above 0.1 of it.

    torch gives about 7e-20 and 2.2 for these seeded weights; the thresholds leave wide margins both ways.
    """
    ratios = {}
    for skip in (True, False):
        blocks, x, grad, _ = torch_stack_norms(skip)
        norms = np.asarray(call(impl, "stack_gradient_norms", x, blocks, grad, skip=skip))
        expect(norms.shape == (DEPTH + 1,), f"expected {DEPTH + 1} norms (input, then after each block), "
                                            f"got shape {norms.shape}")
        ratios[skip] = norms[0] / norms[-1]
    expect(ratios[False] < 1e-6, f"without skips, |dL/dx| / |dL/dy| = {ratios[False]:.3g}: it should vanish (< 1e-6)")
    expect(ratios[True] > 0.1, f"with skips, |dL/dx| / |dL/dy| = {ratios[True]:.3g}: it should stay of order 1")


def test_bad_shapes_raise_value_error(impl):
    """A 1-D x, weights whose shapes do not chain (D -> H -> D), and an upstream gradient of the wrong shape raise
    ValueError."""
    x, w1, b1, w2, b2 = np.ones((2, 3)), np.ones((4, 3)), np.ones(4), np.ones((3, 4)), np.ones(3)
    assert_raises_value_error(impl.residual_block, np.ones(3), w1, b1, w2, b2, why="x must be 2-D (N, D)")
    assert_raises_value_error(impl.residual_block, x, np.ones((4, 2)), b1, w2, b2,
                              why="w1 must be (H, D) = (H, 3), like torch.nn.Linear(3, H).weight")
    assert_raises_value_error(impl.residual_block, x, w1, b1, np.ones((2, 4)), np.ones(2),
                              why="F must map back to D = 3 features for x + F(x) to make sense")
    assert_raises_value_error(impl.residual_block_backward, x, w1, b1, w2, b2, np.ones((2, 4)),
                              why="grad must be shaped like the output (2, 3)")


def test_does_not_import_torch(impl):
    """The point is to build the block yourself: your module must not import torch."""
    assert_not_imported(impl, "torch")
