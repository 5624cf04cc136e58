"""2-D convolution and pooling on image batches, forward and backward, in numpy.

Shapes follow torch: images are (N, C, H, W), convolution weights (C_out, C_in, kH, kW). What deep
learning calls convolution is cross-correlation (the kernel is not flipped):

    y[n, o, i, j] = b[o] + sum_{c, p, q} w[o, c, p, q] * x_pad[n, c, i*sH + p, j*sW + q]

with H_out = floor((H + 2 pH - kH) / sH) + 1 (the same for widths).

How it is fast: ``im2col`` copies every receptive field (a C_in x kH x kW patch) into one column of a
matrix per sample, read through a strided *view* of the padded input (``sliding_window_view``), so the
whole convolution becomes one batched matrix product, (C_out, C_in kH kW) times (N, C_in kH kW, H_out W_out),
which BLAS runs at full speed and which lands directly in the (N, C_out, H_out, W_out) layout. The backward
pass is two more products and ``col2im``, which adds the patch gradients back onto the image with one
vectorized slice per kernel offset (kH kW Python iterations, never one per pixel or per sample).

Pooling (max and average) walks the kernel offsets instead: the (p, q) entries of all windows form one
strided slice of the input, so a window maximum (or sum) is a running ``np.maximum`` (or ``+``) over kH kW
slices. The backward pass routes each window's gradient to its argmax (max) or spreads it evenly
(average), again one slice-add per kernel offset, so overlapping windows (stride < kernel) accumulate.

Left out: dilation, groups, padding modes other than zeros, pooling padding / ceil_mode / return_indices,
and faster algorithms such as Winograd or FFT convolution.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

IntOrPair = int | tuple[int, int]


def _pair(value: IntOrPair, name: str, minimum: int) -> tuple[int, int]:
    """`value` as a pair of ints >= minimum (an int means the same for height and width)."""
    pair = (value, value) if np.ndim(value) == 0 else tuple(value)  # type: ignore[arg-type]
    if len(pair) != 2 or not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in pair):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(pair[0]), int(pair[1])


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length of a sliding window along one axis: floor((size + 2 padding - kernel) / stride) + 1.

    >>> output_size(28, 3, 1, 1), output_size(28, 2, 2), output_size(7, 3, 2, 0)
    (28, 14, 3)

    Raises ValueError when the (padded) input is smaller than the kernel: there is no window at all.
    """
    if size + 2 * padding < kernel:
        raise ValueError(f"kernel {kernel} is larger than the padded input {size} + 2*{padding}")
    return (size + 2 * padding - kernel) // stride + 1


def _images(x: np.ndarray, name: str = "x") -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"{name} must have shape (N, C, H, W), got an array of shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    return x


def _windows(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int],
             padding: tuple[int, int] = (0, 0)) -> np.ndarray:
    """A read-only view of shape (N, C, H_out, W_out, kH, kW): window [n, c, i, j] is the patch of x
    (zero-padded) whose top-left corner is at (i sH, j sW). No copy is made except for the padding."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    output_size(x.shape[2], kh, sh, ph), output_size(x.shape[3], kw, sw, pw)  # validates the sizes
    if ph or pw:
        padded = np.zeros((*x.shape[:2], x.shape[2] + 2 * ph, x.shape[3] + 2 * pw), dtype=x.dtype)
        padded[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]] = x
        x = padded
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]


def im2col(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    """Unroll every receptive field of `x` (N, C, H, W) into a column: shape (N, C kH kW, H_out W_out).

    Column i W_out + j of sample n holds the zero-padded patch x_pad[n, :, i sH : i sH + kH, j sW : j sW + kW]
    flattened in (c, p, q) order, the order of ``w.reshape(C_out, -1)``; so a convolution is the batched
    product ``w.reshape(C_out, -1) @ im2col(x)``, shape (N, C_out, H_out W_out). The same layout as
    ``torch.nn.functional.unfold``. Cost: one copy, O(N C kH kW H_out W_out) memory and time.

    >>> im2col(np.arange(9.0).reshape(1, 1, 3, 3), 2)[0]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    x = _images(x)
    windows = _windows(x, _pair(kernel_size, "kernel_size", 1), _pair(stride, "stride", 1),
                       _pair(padding, "padding", 0))
    n, c, h_out, w_out, kh, kw = windows.shape
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, h_out * w_out)


def col2im(cols: np.ndarray, x_shape: tuple[int, int, int, int], kernel_size: IntOrPair,
           stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    """The adjoint of `im2col`: add each column of `cols` (N, C kH kW, H_out W_out) back onto its patch.

    Returns an array of shape `x_shape` (N, C, H, W). Where windows overlap, their contributions add up;
    the padding's share is dropped. This is the gradient of im2col: if cols = im2col(x), then
    dL/dx = col2im(dL/dcols) (torch calls it ``fold``). One vectorized slice-add per kernel offset (p, q):
    kH kW Python iterations, whatever the batch and image sizes.
    """
    n, c, h, w = x_shape
    (kh, kw), (sh, sw), (ph, pw) = (_pair(kernel_size, "kernel_size", 1), _pair(stride, "stride", 1),
                                    _pair(padding, "padding", 0))
    h_out, w_out = output_size(h, kh, sh, ph), output_size(w, kw, sw, pw)
    patches = cols.reshape(n, c, kh, kw, h_out, w_out)
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for p in range(kh):
        for q in range(kw):
            padded[:, :, p:p + sh * h_out:sh, q:q + sw * w_out:sw] += patches[:, :, p, q]
    return padded[:, :, ph:ph + h, pw:pw + w]


def _check_conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, stride: IntOrPair, padding: IntOrPair
                ) -> tuple[np.ndarray, np.ndarray, tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Validated x and w, the stride and padding as pairs, and the output size (H_out, W_out)."""
    x, w = _images(x), _images(w, "w (C_out, C_in, kH, kW)")
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"w expects {w.shape[1]} input channels but x has {x.shape[1]} (x: {x.shape}, w: {w.shape})")
    if b is not None and np.shape(b) != (w.shape[0],):
        raise ValueError(f"b must have shape ({w.shape[0]},), one bias per output channel, got {np.shape(b)}")
    stride_, padding_ = _pair(stride, "stride", 1), _pair(padding, "padding", 0)
    out = tuple(output_size(x.shape[2 + a], w.shape[2 + a], stride_[a], padding_[a]) for a in (0, 1))
    return x, w, stride_, padding_, out  # type: ignore[return-value]


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None,
           stride: IntOrPair = 1, padding: IntOrPair = 0) -> np.ndarray:
    """2-D convolution (cross-correlation) of a batch, like ``torch.nn.functional.conv2d``.

    x: (N, C_in, H, W); w: (C_out, C_in, kH, kW); b: (C_out,) or None; stride and padding: int or pair.
    Returns y: (N, C_out, H_out, W_out), H_out = floor((H + 2 pH - kH) / sH) + 1, in the dtype of x and w.

        y[n, o, i, j] = b[o] + sum_{c, p, q} w[o, c, p, q] x_pad[n, c, i sH + p, j sW + q]

    One batched matrix product on im2col: O(N H_out W_out C_out C_in kH kW) flops.

    >>> conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), padding=1)[0, 0]
    array([[4., 6., 6., 4.],
           [6., 9., 9., 6.],
           [6., 9., 9., 6.],
           [4., 6., 6., 4.]])
    """
    x, w, stride, padding, (h_out, w_out) = _check_conv(x, w, b, stride, padding)
    c_out = w.shape[0]
    y = w.reshape(c_out, -1) @ im2col(x, w.shape[2:], stride, padding)  # (N, C_out, H_out W_out)
    if b is not None:
        y += np.asarray(b, dtype=y.dtype)[:, None]
    return y.reshape(x.shape[0], c_out, h_out, w_out)


def conv2d_backward(x: np.ndarray, w: np.ndarray, grad: np.ndarray, stride: IntOrPair = 1,
                    padding: IntOrPair = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss L through y = conv2d(x, w, b, stride, padding), given grad = dL/dy.

    grad: (N, C_out, H_out, W_out). Returns (dL/dx (N, C_in, H, W), dL/dw (C_out, C_in, kH, kW),
    dL/db (C_out,)). With cols = im2col(x), G = grad as (N, C_out, H_out W_out), W = w as (C_out, C_in kH kW):

        dL/dw = sum_n G[n] cols[n]^T,   dL/db = sum of G over n and pixels,   dL/dx = col2im(W^T G)

    Batched matrix products plus kH kW slice-adds. The bias enters none of them, so it is not an input.
    """
    x, w, stride, padding, (h_out, w_out) = _check_conv(x, w, None, stride, padding)
    c_out, kernel = w.shape[0], w.shape[2:]
    grad = np.asarray(grad)
    if grad.shape != (x.shape[0], c_out, h_out, w_out):
        raise ValueError(f"grad must have the output's shape {(x.shape[0], c_out, h_out, w_out)}, got {grad.shape}")
    g = grad.reshape(x.shape[0], c_out, h_out * w_out)
    cols = im2col(x, kernel, stride, padding)                        # (N, C_in kH kW, H_out W_out)
    grad_w = (g @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    grad_b = g.sum(axis=(0, 2))
    grad_x = col2im(w.reshape(c_out, -1).T @ g, x.shape, kernel, stride, padding)
    return grad_x, grad_w, grad_b


def _pool_args(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair | None
               ) -> tuple[np.ndarray, tuple[int, int], tuple[int, int], tuple[int, int]]:
    """x as float images, the kernel, the stride (default: the kernel) and the output size (H_out, W_out)."""
    x = _images(x)
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride_ = kernel if stride is None else _pair(stride, "stride", 1)
    return x, kernel, stride_, (output_size(x.shape[2], kernel[0], stride_[0]),
                                output_size(x.shape[3], kernel[1], stride_[1]))


def _check_pool_grad(x: np.ndarray, grad: np.ndarray, out: tuple[int, int]) -> np.ndarray:
    grad = np.asarray(grad)
    if grad.shape != (*x.shape[:2], *out):
        raise ValueError(f"grad must have the output's shape {(*x.shape[:2], *out)}, got {grad.shape}")
    return grad


def _offsets(kernel: tuple[int, int], stride: tuple[int, int], out: tuple[int, int]) -> list[tuple[slice, slice]]:
    """For each kernel offset (p, q), the slices of the input that the windows' (p, q) entries come from:
    rows p, p + sH, ..., p + (H_out - 1) sH (and the same for columns). kH kW pairs of slices in all."""
    (kh, kw), (sh, sw), (h_out, w_out) = kernel, stride, out
    return [(slice(p, p + sh * h_out, sh), slice(q, q + sw * w_out, sw)) for p in range(kh) for q in range(kw)]


def max_pool2d(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> np.ndarray:
    """The maximum of each kH x kW window, channel by channel, like ``torch.nn.functional.max_pool2d``.

    x: (N, C, H, W) -> (N, C, H_out, W_out), H_out = floor((H - kH) / sH) + 1; stride defaults to the
    kernel size (non-overlapping windows). A running ``np.maximum`` over the kH kW strided slices of x
    (one per kernel offset): O(N C H_out W_out kH kW). NaN in a window gives NaN.

    >>> max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x, kernel, stride_, out = _pool_args(x, kernel_size, stride)
    (rows, cols), *rest = _offsets(kernel, stride_, out)
    y = x[:, :, rows, cols].copy()
    for rows, cols in rest:
        np.maximum(y, x[:, :, rows, cols], out=y)
    return y


def max_pool2d_backward(x: np.ndarray, grad: np.ndarray, kernel_size: IntOrPair,
                        stride: IntOrPair | None = None) -> np.ndarray:
    """dL/dx through y = max_pool2d(x, kernel_size, stride), given grad = dL/dy (N, C, H_out, W_out).

    Each window's gradient goes entirely to the position of its maximum; where windows overlap, the
    gradients one pixel receives add up. Ties: the first maximum of the window in row-major order wins,
    as in torch's CPU kernel (a `taken` mask remembers the windows already served). Windows holding NaN
    get no gradient here. Returns an array shaped like x.
    """
    x, kernel, stride_, out = _pool_args(x, kernel_size, stride)
    grad = _check_pool_grad(x, grad, out)
    y = max_pool2d(x, kernel, stride_)
    grad_x = np.zeros(x.shape, dtype=np.result_type(x, grad))
    taken = np.zeros(y.shape, dtype=bool)
    for rows, cols in _offsets(kernel, stride_, out):
        hit = (x[:, :, rows, cols] == y) & ~taken
        taken |= hit
        grad_x[:, :, rows, cols] += np.where(hit, grad, 0)
    return grad_x


def avg_pool2d(x: np.ndarray, kernel_size: IntOrPair, stride: IntOrPair | None = None) -> np.ndarray:
    """The mean of each kH x kW window, channel by channel, like ``torch.nn.functional.avg_pool2d``.

    x: (N, C, H, W) -> (N, C, H_out, W_out); stride defaults to the kernel size. The sum of the kH kW
    strided slices of x, divided by kH kW: O(N C H_out W_out kH kW).

    >>> avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    x, kernel, stride_, out = _pool_args(x, kernel_size, stride)
    total = np.zeros((*x.shape[:2], *out), dtype=x.dtype)
    for rows, cols in _offsets(kernel, stride_, out):
        total += x[:, :, rows, cols]
    return total / (kernel[0] * kernel[1])


def avg_pool2d_backward(x: np.ndarray, grad: np.ndarray, kernel_size: IntOrPair,
                        stride: IntOrPair | None = None) -> np.ndarray:
    """dL/dx through y = avg_pool2d(x, kernel_size, stride), given grad = dL/dy (N, C, H_out, W_out).

    Every pixel of a window receives grad / (kH kW); overlapping windows add up. Shaped like x.
    """
    x, kernel, stride_, out = _pool_args(x, kernel_size, stride)
    share = _check_pool_grad(x, grad, out) / (kernel[0] * kernel[1])
    grad_x = np.zeros(x.shape, dtype=share.dtype)
    for rows, cols in _offsets(kernel, stride_, out):
        grad_x[:, :, rows, cols] += share
    return grad_x
