"""Max and average pooling — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check pooling`.
Images are (N, C, H, W); `kernel_size` and `stride` are an int or a (height, width) pair; `stride=None`
means stride = kernel_size (windows side by side). No padding. H_out = (H - kH) // sH + 1.
Python loops may run over the kernel offsets only (at most kH * kW iterations). Keep the dtype.
"""

from __future__ import annotations

import numpy as np

IntOrPair = int | tuple[int, int]


def max_pool2d(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> np.ndarray:
    """The maximum of each kH x kW window of each channel: (N, C, H, W) -> (N, C, H_out, W_out).

    Like torch.nn.functional.max_pool2d(x, kernel_size, stride). Raise ValueError if x is not 4-D, the
    kernel is larger than the image, or kernel_size / stride < 1.
    """
    raise NotImplementedError


def max_pool2d_backward(x: np.ndarray, grad: np.ndarray, kernel_size: IntOrPair,
                        stride: IntOrPair | None = None) -> np.ndarray:
    """dL/dx (shaped like x) through y = max_pool2d(x, kernel_size, stride), given grad = dL/dy.

    Each window sends its whole gradient to the position of its maximum; a pixel that wins several
    (overlapping) windows receives the sum. Ties: the first maximum in row-major order within the
    window wins. Raise ValueError if grad is not shaped like the output.
    """
    raise NotImplementedError


def avg_pool2d(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> np.ndarray:
    """The mean of each kH x kW window of each channel: (N, C, H, W) -> (N, C, H_out, W_out).

    Like torch.nn.functional.avg_pool2d(x, kernel_size, stride). Same ValueErrors as max_pool2d.
    """
    raise NotImplementedError


def avg_pool2d_backward(x: np.ndarray, grad: np.ndarray, kernel_size: IntOrPair,
                        stride: IntOrPair | None = None) -> np.ndarray:
    """dL/dx (shaped like x) through y = avg_pool2d(x, kernel_size, stride), given grad = dL/dy.

    Every pixel of a window receives grad / (kH * kW); overlapping windows add up.
    """
    raise NotImplementedError
