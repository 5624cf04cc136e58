"""Checks for `conv2d`, against torch.nn.functional.conv2d / unfold / fold and torch.autograd.

Tolerances: float64 to 1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer (an
entry that is a sum of cancelling products cannot be accurate relative to its own tiny size; it can be
relative to the size of the numbers summed). While your code runs, torch's convolution, unfold/fold and
scipy's correlate/convolve functions are switched off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid, present
from aieng.grader.torch_oracle import ATOL, RTOL, value_and_grads

READY_MADE = (present("torch.nn.functional", ["conv2d", "unfold", "fold", "conv_transpose2d"])
              + present("torch", ["conv2d", "convolution", "conv_transpose2d"]))
SCIPY = (present("scipy.signal", ["correlate", "correlate2d", "convolve", "convolve2d", "fftconvolve", "oaconvolve"])
         + present("scipy.ndimage", ["correlate", "convolve"]))


def call(impl, name: str, *args: Any, **kwargs: Any) -> Any:
    """impl.name(*args, **kwargs) with torch's and scipy's convolutions switched off."""
    with forbid(impl, *READY_MADE, *SCIPY):
        return getattr(impl, name)(*args, **kwargs)


def assert_like_torch(got: object, want: np.ndarray, what: str) -> None:
    """Within the dtype's tolerance of torch, relative to the largest entry of torch's answer."""
    rtol = RTOL[want.dtype]
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * scale, what=what)


def pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else v


@st.composite
def conv_cases(draw: st.DrawFn, dtype: type = np.float64) -> dict[str, Any]:
    """A random convolution problem: batch, channels, rectangular kernel, stride and padding (int or pair)."""
    n, c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh = draw(st.integers(1, 3))
    stride = (sh, draw(st.integers(1, 3))) if draw(st.booleans()) else sh  # an int: the same for both axes
    ph = draw(st.integers(0, 2))
    padding = (ph, draw(st.integers(0, 2))) if draw(st.booleans()) else ph
    pw = pair(padding)[1]
    h = draw(st.integers(max(1, kh - 2 * ph), kh - 2 * ph + 7))
    w = draw(st.integers(max(1, kw - 2 * pw), kw - 2 * pw + 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {
        "x": rng.standard_normal((n, c_in, h, w)).astype(dtype),
        "w": rng.standard_normal((c_out, c_in, kh, kw)).astype(dtype),
        "b": rng.standard_normal(c_out).astype(dtype) if draw(st.booleans()) else None,
        "stride": stride,
        "padding": padding,
    }


def torch_conv(case: dict[str, Any], grad: np.ndarray | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """torch's output and gradients (for x, w and b when there is one)."""
    options = {"stride": case["stride"], "padding": case["padding"]}
    if case["b"] is None:
        return value_and_grads(lambda x, w: F.conv2d(x, w, None, **options), case["x"], case["w"], grad_output=grad)
    return value_and_grads(lambda x, w, b: F.conv2d(x, w, b, **options), case["x"], case["w"], case["b"],
                           grad_output=grad)


@given(conv_cases())
def test_output_shape_follows_the_size_formula(impl, case):
    """conv2d returns (N, C_out, H_out, W_out) with H_out = floor((H + 2 pH - kH) / sH) + 1 (same for W)."""
    x, w = case["x"], case["w"]
    (sh, sw), (ph, pw) = pair(case["stride"]), pair(case["padding"])
    expected = (x.shape[0], w.shape[0], (x.shape[2] + 2 * ph - w.shape[2]) // sh + 1,
                (x.shape[3] + 2 * pw - w.shape[3]) // sw + 1)
    y = call(impl, "conv2d", x, w, case["b"], stride=case["stride"], padding=case["padding"])
    expect(np.shape(y) == expected, f"conv2d returned shape {np.shape(y)}, expected {expected} for x {x.shape}, "
                                    f"w {w.shape}, stride {case['stride']}, padding {case['padding']}")


def test_hand_example_by_brute_force(impl):
    """A 1x1x4x5 image, a 2x3 kernel, stride (2, 1), padding (1, 2): every output is the sum the formula says.

    The expected values are computed here by four plain nested loops over the definition
    y[i, j] = b + sum_{p, q} w[p, q] x_pad[i sH + p, j sW + q].
    """
    x = np.arange(20.0).reshape(1, 1, 4, 5)
    w = np.array([[[[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]]]])
    b = np.array([0.25])
    x_pad = np.pad(x[0, 0], ((1, 1), (2, 2)))
    h_out, w_out = (4 + 2 - 2) // 2 + 1, (5 + 4 - 3) // 1 + 1
    want = np.zeros((1, 1, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            want[0, 0, i, j] = b[0] + sum(w[0, 0, p, q] * x_pad[2 * i + p, j + q] for p in range(2) for q in range(3))
    assert_close(call(impl, "conv2d", x, w, b, stride=(2, 1), padding=(1, 2)), want, what="conv2d(hand example)")


@given(conv_cases())
def test_im2col_matches_torch_unfold(impl, case):
    """im2col(x, k, stride, padding) is torch.nn.functional.unfold: (N, C kH kW, H_out W_out), (c, p, q) order."""
    kernel = case["w"].shape[2:]
    want = F.unfold(torch.tensor(case["x"]), kernel, stride=case["stride"], padding=case["padding"]).numpy()
    got = call(impl, "im2col", case["x"], kernel, stride=case["stride"], padding=case["padding"])
    assert_close(got, want, rtol=0, atol=0, what="im2col(x) (a copy of entries: it should be exact)")


@given(conv_cases())
def test_col2im_matches_torch_fold(impl, case):
    """col2im(cols, x.shape, k, stride, padding) is torch.nn.functional.fold: overlapping patches add up."""
    x, kernel = case["x"], case["w"].shape[2:]
    cols = np.random.default_rng(0).standard_normal(
        F.unfold(torch.tensor(x), kernel, stride=case["stride"], padding=case["padding"]).shape)
    want = F.fold(torch.tensor(cols), x.shape[2:], kernel, stride=case["stride"], padding=case["padding"]).numpy()
    got = call(impl, "col2im", cols, x.shape, kernel, stride=case["stride"], padding=case["padding"])
    assert_like_torch(got, want, "col2im(cols)")


@given(conv_cases())
def test_forward_matches_torch_float64(impl, case):
    """conv2d equals torch.nn.functional.conv2d in float64 (to 1e-10), with and without bias."""
    want, _ = torch_conv(case)
    got = call(impl, "conv2d", case["x"], case["w"], case["b"], stride=case["stride"], padding=case["padding"])
    assert_like_torch(got, want, "conv2d(x, w, b)")


@given(conv_cases(np.float32))
def test_forward_matches_torch_float32_and_keeps_float32(impl, case):
    """In float32, conv2d equals torch's float32 conv2d to 1e-5 and returns float32 (no silent upcast)."""
    want, _ = torch_conv(case)
    got = call(impl, "conv2d", case["x"], case["w"], case["b"], stride=case["stride"], padding=case["padding"])
    assert_like_torch(got, want, "conv2d(x, w, b) in float32")
    expect(np.asarray(got).dtype == np.float32, f"float32 inputs gave a {np.asarray(got).dtype} output: keep float32")


def check_backward(impl, case: dict[str, Any]) -> None:
    case = {**case, "b": np.zeros(case["w"].shape[0], dtype=case["x"].dtype)}
    out, _ = torch_conv(case)
    grad = np.random.default_rng(1).standard_normal(out.shape).astype(case["x"].dtype)
    _, (gx, gw, gb) = torch_conv(case, grad)
    result = call(impl, "conv2d_backward", case["x"], case["w"], grad, stride=case["stride"],
                  padding=case["padding"])
    expect(isinstance(result, tuple) and len(result) == 3,
           f"conv2d_backward should return a tuple (grad_x, grad_w, grad_b), got {type(result).__name__}")
    for got, want, name in zip(result, (gx, gw, gb), ("dL/dx", "dL/dw", "dL/db"), strict=True):
        assert_like_torch(got, want, name)


@given(conv_cases())
def test_backward_matches_torch_autograd_float64(impl, case):
    """conv2d_backward gives torch.autograd's dL/dx, dL/dw, dL/db for a random upstream gradient (float64, 1e-10)."""
    check_backward(impl, case)


@settings(max_examples=25)
@given(conv_cases(np.float32))
def test_backward_matches_torch_autograd_float32(impl, case):
    """In float32, conv2d_backward agrees with torch.autograd's float32 gradients to 1e-5."""
    check_backward(impl, case)


def test_bad_shapes_and_options_raise_value_error(impl):
    """Wrong ranks, a channel mismatch, a wrong bias, a kernel larger than the padded input, stride 0, negative
    padding and a wrongly shaped upstream gradient all raise ValueError."""
    x, w = np.ones((2, 3, 5, 5)), np.ones((4, 3, 3, 3))
    assert_raises_value_error(impl.conv2d, np.ones((3, 5, 5)), w, why="x must be 4-D (N, C, H, W)")
    assert_raises_value_error(impl.conv2d, x, np.ones((4, 3, 3)), why="w must be 4-D (C_out, C_in, kH, kW)")
    assert_raises_value_error(impl.conv2d, x, np.ones((4, 2, 3, 3)), why="w has 2 input channels, x has 3")
    assert_raises_value_error(impl.conv2d, x, w, np.ones(3), why="there are 4 output channels, so 4 biases")
    assert_raises_value_error(impl.conv2d, x, np.ones((4, 3, 6, 6)), why="a 6x6 kernel does not fit in a 5x5 image")
    assert_raises_value_error(impl.conv2d, x, w, stride=0, why="the stride must be at least 1")
    assert_raises_value_error(impl.conv2d, x, w, padding=-1, why="padding cannot be negative")
    assert_raises_value_error(impl.im2col, np.ones((5, 5)), 3, why="x must be 4-D")
    assert_raises_value_error(impl.conv2d_backward, x, w, np.ones((2, 4, 5, 5)),
                              why="without padding the output is 3x3, so grad must be (2, 4, 3, 3)")


def lines_executed(impl, fn: Callable[..., object], *args: Any, **kwargs: Any) -> int:
    """How many lines of the learner's file run during fn(*args, **kwargs) (a trace, not a timer)."""
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
        fn(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return count


def test_no_python_loop_over_samples_channels_or_pixels(impl):
    """Loops may run over the kernel offsets only: the lines your code executes may not grow with the batch,
    the channels or the image size.

    Each function runs twice with the same 3x2 kernel, stride (2, 1) and padding (1, 0): on one 1-channel 5x5
    image and on three 2-channel 9x7 images with 3 output channels. A loop over kernel offsets runs the same
    number of times in both; a loop over samples, channels, rows or pixels does not.
    """
    rng = np.random.default_rng(0)
    options = {"stride": (2, 1), "padding": (1, 0)}
    small, big = rng.standard_normal((1, 1, 5, 5)), rng.standard_normal((3, 2, 9, 7))
    w_small, w_big = rng.standard_normal((1, 1, 3, 2)), rng.standard_normal((3, 2, 3, 2))
    calls = {
        "im2col": lambda x, w: impl.im2col(x, (3, 2), **options),
        "col2im": lambda x, w: impl.col2im(
            np.ones((x.shape[0], x.shape[1] * 6, ((x.shape[2] + 2 - 3) // 2 + 1) * (x.shape[3] - 1))),
            x.shape, (3, 2), **options),
        "conv2d": lambda x, w: impl.conv2d(x, w, np.zeros(w.shape[0]), **options),
        "conv2d_backward": lambda x, w: impl.conv2d_backward(
            x, w, np.ones((x.shape[0], w.shape[0], (x.shape[2] + 2 - 3) // 2 + 1, x.shape[3] - 1)), **options),
    }
    for name, run in calls.items():
        few, many = lines_executed(impl, run, small, w_small), lines_executed(impl, run, big, w_big)
        expect(few == many,
               f"{name} ran {few} lines of your code on a 1x1x5x5 input and {many} on a 3x2x9x7 input with the same "
               f"kernel: some loop runs over samples, channels or pixels. Only loops over the kernel offsets "
               f"(at most kH*kW iterations) are allowed; do the rest with array operations (im2col + matmul).")


def test_does_not_import_torch(impl):
    """The point is to build the convolution: your module must not import torch."""
    assert_not_imported(impl, "torch")
