"""2-D convolution with im2col — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check conv2d`.
Shapes follow torch: images (N, C, H, W), weights (C_out, C_in, kH, kW). `stride` and `padding` are an
int (the same for height and width) or a pair (height, width). Keep the dtype: float32 in, float32 out.
Python loops may run over the kernel offsets (at most kH * kW iterations); never over samples, channels
or pixels.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view  # noqa: F401  (a strided view: no copy, no loop)

IntOrPair = int | tuple[int, int]


def im2col(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    """Unroll every receptive field of x (N, C, H, W) into a column; return (N, C * kH * kW, H_out * W_out).

    Zero-pad H and W by `padding` first. Column i * W_out + j of sample n holds the patch
    x_pad[n, :, i*sH : i*sH + kH, j*sW : j*sW + kW] flattened in (c, p, q) order (the order of
    w.reshape(C_out, -1)). H_out = (H + 2 pH - kH) // sH + 1, W_out likewise: the layout of
    torch.nn.functional.unfold. Raise ValueError if x is not 4-D, the kernel does not fit in the padded
    input, stride < 1 or padding < 0.
    """
    raise NotImplementedError


def col2im(cols: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: IntOrPair,
           stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    """The adjoint of im2col: add every column of cols (N, C * kH * kW, H_out * W_out) back onto its patch.

    Returns an array of shape x_shape (N, C, H, W). Overlapping patches ADD; the part that falls on the
    padding is dropped. If cols = im2col(x, ...), then dL/dx = col2im(dL/dcols, x.shape, ...).
    """
    raise NotImplementedError


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None,
           stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    """Cross-correlation of x (N, C_in, H, W) with w (C_out, C_in, kH, kW), plus bias b (C_out,) if given.

    y[n, o, i, j] = b[o] + sum over c, p, q of w[o, c, p, q] * x_pad[n, c, i*sH + p, j*sW + q]
    Returns (N, C_out, H_out, W_out), like torch.nn.functional.conv2d. Raise ValueError for a non-4-D x or
    w, a channel mismatch (w.shape[1] != x.shape[1]), a bias not of shape (C_out,), and bad stride/padding.
    """
    raise NotImplementedError


def conv2d_backward(x: np.ndarray, w: np.ndarray, grad: np.ndarray, stride: IntOrPair = 1,
                    padding: IntOrPair = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients through y = conv2d(x, w, b, stride, padding) given grad = dL/dy (N, C_out, H_out, W_out).

    Return the tuple (dL/dx (N, C_in, H, W), dL/dw (C_out, C_in, kH, kW), dL/db (C_out,)).
    Raise ValueError if grad does not have the output's shape.
    """
    raise NotImplementedError
