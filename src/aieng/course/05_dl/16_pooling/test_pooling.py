"""Checks for `pooling`, against torch.nn.functional.max_pool2d / avg_pool2d and torch.autograd.

Random inputs are distinct numbers (a shuffled grid of values), so every window has exactly one maximum
and the gradient of max pooling is well defined; one separate check uses ties. Tolerances: float64 to
1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer. While your code runs,
torch's pooling functions are switched off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid, present
from aieng.grader.torch_oracle import ATOL, RTOL, value_and_grads

READY_MADE = (present("torch.nn.functional", ["max_pool2d", "avg_pool2d", "max_pool2d_with_indices",
                                               "adaptive_max_pool2d", "adaptive_avg_pool2d", "unfold"])
              + present("torch", ["max_pool2d", "avg_pool2d", "max_pool2d_with_indices"]))


def call(impl, name: str, *args: Any, **kwargs: Any) -> Any:
    """impl.name(*args, **kwargs) with torch's pooling switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args, **kwargs)


def assert_like_torch(got: object, want: np.ndarray, what: str) -> None:
    """Within the dtype's tolerance of torch, relative to the largest entry of torch's answer."""
    rtol = RTOL[want.dtype]
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * scale, what=what)


@st.composite
def pool_cases(draw: st.DrawFn, dtype: type = np.float64) -> dict[str, Any]:
    """Random pooling problems: rectangular kernels, strides smaller than, equal to or larger than the kernel,
    or stride=None; int or pair. The entries are distinct (no ties)."""
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kernel = (kh, kw) if draw(st.booleans()) or kh != kw else kh
    stride = draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    h, w = draw(st.integers(kh, kh + 6)), draw(st.integers(kw, kw + 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = rng.permutation(n * c * h * w) / 8.0 - n * c * h * w / 16.0  # distinct, exact in float32
    return {"x": values.reshape(n, c, h, w).astype(dtype), "kernel": kernel, "stride": stride}


def torch_pool(fn: Callable[..., Any], case: dict[str, Any], grad: np.ndarray | None = None) -> Any:
    return value_and_grads(lambda x: fn(x, case["kernel"], case["stride"]), case["x"], grad_output=grad)


@given(pool_cases())
def test_max_pool_matches_torch(impl, case):
    """max_pool2d equals torch.nn.functional.max_pool2d (shape H_out = (H - kH) // sH + 1, values exact)."""
    want, _ = torch_pool(F.max_pool2d, case)
    assert_like_torch(call(impl, "max_pool2d", case["x"], case["kernel"], case["stride"]), want, "max_pool2d(x)")


@given(pool_cases())
def test_avg_pool_matches_torch(impl, case):
    """avg_pool2d equals torch.nn.functional.avg_pool2d (float64, 1e-10)."""
    want, _ = torch_pool(F.avg_pool2d, case)
    assert_like_torch(call(impl, "avg_pool2d", case["x"], case["kernel"], case["stride"]), want, "avg_pool2d(x)")


@given(pool_cases())
def test_max_pool_backward_routes_gradient_to_the_maximum(impl, case):
    """max_pool2d_backward equals torch.autograd's gradient: each window's gradient lands on its maximum, and
    pixels that win several overlapping windows receive the sum."""
    out, _ = torch_pool(F.max_pool2d, case)
    grad = np.random.default_rng(0).standard_normal(out.shape)
    _, (want,) = torch_pool(F.max_pool2d, case, grad)
    got = call(impl, "max_pool2d_backward", case["x"], grad, case["kernel"], case["stride"])
    assert_like_torch(got, want, "dL/dx of max_pool2d")


@given(pool_cases())
def test_avg_pool_backward_spreads_gradient_evenly(impl, case):
    """avg_pool2d_backward equals torch.autograd's gradient: grad / (kH kW) to every pixel of the window, summed
    over overlapping windows."""
    out, _ = torch_pool(F.avg_pool2d, case)
    grad = np.random.default_rng(0).standard_normal(out.shape)
    _, (want,) = torch_pool(F.avg_pool2d, case, grad)
    got = call(impl, "avg_pool2d_backward", case["x"], grad, case["kernel"], case["stride"])
    assert_like_torch(got, want, "dL/dx of avg_pool2d")


@given(pool_cases(np.float32))
def test_float32_matches_torch_and_stays_float32(impl, case):
    """In float32, all four functions agree with torch's float32 results to 1e-5 and return float32."""
    grad = None
    for name, fn in (("max_pool2d", F.max_pool2d), ("avg_pool2d", F.avg_pool2d)):
        want, _ = torch_pool(fn, case)
        got = call(impl, name, case["x"], case["kernel"], case["stride"])
        assert_like_torch(got, want, f"{name}(x) in float32")
        expect(np.asarray(got).dtype == np.float32, f"{name} turned float32 into {np.asarray(got).dtype}")
        grad = np.random.default_rng(0).standard_normal(want.shape).astype(np.float32)
        _, (want_grad,) = torch_pool(fn, case, grad)
        got_grad = call(impl, f"{name}_backward", case["x"], grad, case["kernel"], case["stride"])
        assert_like_torch(got_grad, want_grad, f"dL/dx of {name} in float32")


def test_ties_go_to_the_first_maximum_like_torch(impl):
    """With ties (an image of 0s and 1s), the first maximum of each window in row-major order gets the gradient,
    as in torch's CPU max_pool2d, for non-overlapping and overlapping windows."""
    x = np.random.default_rng(3).integers(0, 2, size=(2, 2, 7, 6)).astype(np.float64)
    for kernel, stride in ((2, None), (3, 1), ((2, 3), (1, 2))):
        out, _ = value_and_grads(lambda t, k=kernel, s=stride: F.max_pool2d(t, k, s), x)
        grad = np.random.default_rng(1).standard_normal(out.shape)
        _, (want,) = value_and_grads(lambda t, k=kernel, s=stride: F.max_pool2d(t, k, s), x, grad_output=grad)
        got = call(impl, "max_pool2d_backward", x, grad, kernel, stride)
        assert_like_torch(got, want, f"dL/dx of max_pool2d with ties, kernel {kernel}, stride {stride}")


def test_hand_example(impl):
    """On the 4x4 grid 0..15 with 2x2 windows: max pooling gives [[5, 7], [13, 15]], average [[2.5, 4.5], [10.5, 12.5]],
    and the max-pool gradient of ones marks the four bottom-right corners."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    assert_close(call(impl, "max_pool2d", x, 2), [[[[5.0, 7.0], [13.0, 15.0]]]], what="max_pool2d(grid, 2)")
    assert_close(call(impl, "avg_pool2d", x, 2), [[[[2.5, 4.5], [10.5, 12.5]]]], what="avg_pool2d(grid, 2)")
    want = np.zeros((1, 1, 4, 4))
    want[0, 0, 1::2, 1::2] = 1.0
    assert_close(call(impl, "max_pool2d_backward", x, np.ones((1, 1, 2, 2)), 2), want, what="max_pool2d_backward")


def test_bad_input_raises_value_error(impl):
    """A non-4-D input, a kernel larger than the image, a zero kernel or stride, and a gradient of the wrong
    shape raise ValueError."""
    x = np.ones((1, 2, 4, 4))
    for name in ("max_pool2d", "avg_pool2d"):
        fn, backward = getattr(impl, name), getattr(impl, f"{name}_backward")
        assert_raises_value_error(fn, np.ones((4, 4)), 2, why="x must be 4-D (N, C, H, W)")
        assert_raises_value_error(fn, x, 5, why="a 5x5 window does not fit in a 4x4 image")
        assert_raises_value_error(fn, x, 0, why="the kernel must be at least 1x1")
        assert_raises_value_error(fn, x, 2, 0, why="the stride must be at least 1")
        assert_raises_value_error(backward, x, np.ones((1, 2, 3, 3)), 2, why="the output of 2x2 pooling is 2x2")


def lines_executed(impl, fn: Callable[..., object], *args: Any) -> int:
    """How many lines of the learner's file run during fn(*args) (a trace, not a timer)."""
    target = os.path.realpath(impl.__file__)
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += event == "line"
        return local

    def spot(frame: Any, event: str, arg: Any) -> Any:
        return local if os.path.realpath(frame.f_code.co_filename) == target else None

    previous = sys.gettrace()
    sys.settrace(spot)
    try:
        fn(*args)
    finally:
        sys.settrace(previous)
    return count


def test_no_python_loop_over_samples_channels_or_pixels(impl):
    """Loops may run over the kernel offsets only: the lines your code executes may not grow with the batch,
    the channels or the image size (a 3x2 kernel with stride (2, 1), on a 1x1x5x5 and a 3x2x9x7 input)."""
    rng = np.random.default_rng(0)
    small, big = rng.standard_normal((1, 1, 5, 5)), rng.standard_normal((3, 2, 9, 7))
    for name in ("max_pool2d", "avg_pool2d"):
        def run(x, name=name):
            getattr(impl, name)(x, (3, 2), (2, 1))
            getattr(impl, f"{name}_backward")(x, np.ones((*x.shape[:2], (x.shape[2] - 3) // 2 + 1, x.shape[3] - 1)),
                                              (3, 2), (2, 1))
        few, many = lines_executed(impl, run, small), lines_executed(impl, run, big)
        expect(few == many,
               f"{name} and its backward ran {few} lines of your code on a 1x1x5x5 input and {many} on a 3x2x9x7 "
               f"input with the same kernel: some loop runs over samples, channels or pixels. Only loops over the "
               f"kernel offsets (at most kH*kW iterations) are allowed.")


def test_does_not_import_torch(impl):
    """The point is to build pooling yourself: your module must not import torch."""
    assert_not_imported(impl, "torch")
