"""Batch normalization and layer normalization, forward and backward, in numpy, matching torch.

Both standardize activations and then apply a learned per-feature scale gamma and shift beta:

    x_hat = (x - mean) / sqrt(var + eps),    y = gamma * x_hat + beta

They differ in *which* numbers share a mean and variance:

- batch norm (torch.nn.BatchNorm1d / BatchNorm2d): per channel, over the batch and every spatial
  position, axes (0, 2, 3, ...) of x shaped (N, C, ...). In training it uses the batch's statistics and
  updates running averages (momentum 0.1 by default; the running variance uses the unbiased estimate,
  the normalization the biased one, exactly as torch does). In evaluation it uses the running averages,
  so it becomes a fixed affine map of x.
- layer norm (torch.nn.LayerNorm): per example, over the trailing dimensions whose shape gamma has; no
  running statistics, the same computation in training and evaluation.

Backward (training mode) with m numbers per group and g = dL/dy:

    dL/dbeta = sum g,   dL/dgamma = sum g x_hat,
    dL/dx = gamma / sqrt(var + eps) * (g - mean(g) - x_hat mean(g x_hat))

the last two terms being the gradient through the mean and the variance, which depend on x too.

Left out: momentum=None (cumulative averaging), track_running_stats=False, affine=False (pass ones and
zeros), group and instance norm, RMSNorm.
"""

from __future__ import annotations

import numpy as np


def _float(a: np.ndarray, name: str) -> np.ndarray:
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    if name and a.ndim == 0:
        raise ValueError(f"{name} must be an array, got a scalar")
    return a


def _check_eps(eps: float) -> None:
    if not eps >= 0:
        raise ValueError(f"eps must be >= 0, got {eps}")


def _channel_params(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray | None, *stats: np.ndarray | None
                    ) -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """x as floats, the axes batch norm reduces over, and the shape that broadcasts (C,) against x."""
    x = _float(x, "x")
    if x.ndim < 2:
        raise ValueError(f"batch_norm needs x of shape (N, C) or (N, C, ...), got shape {x.shape}")
    c = x.shape[1]
    for name, value in (("gamma", gamma), ("beta", beta), ("running_mean", stats[0] if stats else None),
                        ("running_var", stats[1] if len(stats) > 1 else None)):
        if value is not None and np.shape(value) != (c,):
            raise ValueError(f"{name} must have shape ({c},), one number per channel, got {np.shape(value)}")
    axes = (0, *range(2, x.ndim))
    return x, axes, (1, c) + (1,) * (x.ndim - 2)


def batch_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
               running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> np.ndarray:
    """Batch normalization of x (N, C) or (N, C, H, W) (any (N, C, ...)), per channel, like torch's BatchNorm.

    gamma, beta, running_mean, running_var: shape (C,). Returns y shaped like x.

    training=True: mean_c and the biased var_c over the batch and positions (m numbers per channel) give
    y = gamma (x - mean) / sqrt(var + eps) + beta, and the running statistics are updated IN PLACE:
    running_mean <- (1 - momentum) running_mean + momentum mean,
    running_var  <- (1 - momentum) running_var  + momentum var m / (m - 1)   (unbiased). Needs m > 1.
    training=False: y = gamma (x - running_mean) / sqrt(running_var + eps) + beta; nothing is updated.
    Cost: O(x.size).

    >>> rm, rv = np.zeros(1), np.ones(1)
    >>> batch_norm(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), rm, rv, training=True, eps=0.0)
    array([[-1.],
           [ 1.]])
    >>> rm, rv   # 0.9 * 0 + 0.1 * 2 and 0.9 * 1 + 0.1 * 2 (unbiased variance of 1 and 3)
    (array([0.2]), array([1.1]))
    """
    x, axes, shape = _channel_params(x, gamma, beta, running_mean, running_var)
    _check_eps(eps)
    if not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")
    if training:
        if not (isinstance(running_mean, np.ndarray) and isinstance(running_var, np.ndarray)):
            raise ValueError("running_mean and running_var must be numpy arrays: they are updated in place")
        m = x.size // x.shape[1]
        if m < 2:
            raise ValueError(f"batch norm in training needs more than 1 value per channel, got x of shape {x.shape}")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * (m / (m - 1))
    else:
        mean, var = np.asarray(running_mean), np.asarray(running_var)
    scale = (np.asarray(gamma) / np.sqrt(var + eps)).astype(x.dtype, copy=False)
    return ((x - mean.astype(x.dtype, copy=False).reshape(shape)) * scale.reshape(shape)
            + np.asarray(beta, dtype=x.dtype).reshape(shape))


def batch_norm_backward(x: np.ndarray, gamma: np.ndarray, grad: np.ndarray, eps: float = 1e-5,
                        running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients through y = batch_norm(x, gamma, beta, ...), given grad = dL/dy (shaped like x).

    Returns (dL/dx shaped like x, dL/dgamma (C,), dL/dbeta (C,)).
    Training mode (running_mean and running_var left None): the batch statistics depend on x, so

        dL/dx = gamma / sqrt(var + eps) * (g - mean(g) - x_hat mean(g x_hat))

    with means over the m numbers of each channel. Evaluation mode (pass the running statistics used in
    the forward pass): they are constants, and dL/dx = g gamma / sqrt(running_var + eps). Cost: O(x.size).
    """
    x, axes, shape = _channel_params(x, gamma, None, running_mean, running_var)
    _check_eps(eps)
    grad = np.asarray(grad)
    if grad.shape != x.shape:
        raise ValueError(f"grad must be shaped like x {x.shape}, got {grad.shape}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("pass both running_mean and running_var (evaluation mode) or neither (training mode)")
    if running_mean is None:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    else:
        mean, var = np.asarray(running_mean), np.asarray(running_var)
    inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False).reshape(shape)
    x_hat = (x - mean.astype(x.dtype, copy=False).reshape(shape)) * inv_std
    grad_beta = grad.sum(axis=axes)
    grad_gamma = (grad * x_hat).sum(axis=axes)
    g_scale = np.asarray(gamma, dtype=x.dtype).reshape(shape) * inv_std
    if running_mean is not None:
        return grad * g_scale, grad_gamma, grad_beta
    grad_x = g_scale * (grad - grad.mean(axis=axes, keepdims=True)
                        - x_hat * (grad * x_hat).mean(axis=axes, keepdims=True))
    return grad_x, grad_gamma, grad_beta


def _feature_axes(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray | None) -> tuple[np.ndarray, tuple[int, ...]]:
    """x as floats and the trailing axes layer norm reduces over (as many as gamma has)."""
    x, gamma = _float(x, "x"), np.asarray(gamma)
    k = gamma.ndim
    if k == 0 or k > x.ndim or x.shape[x.ndim - k:] != gamma.shape:
        raise ValueError(f"gamma's shape {gamma.shape} must be the trailing shape of x {x.shape} (at least 1-D)")
    if beta is not None and np.shape(beta) != gamma.shape:
        raise ValueError(f"beta must be shaped like gamma {gamma.shape}, got {np.shape(beta)}")
    return x, tuple(range(x.ndim - k, x.ndim))


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Layer normalization over the trailing dimensions of x, like ``torch.nn.functional.layer_norm``.

    gamma and beta have the normalized shape D = x.shape[-k:] (k = gamma.ndim). For each leading index,
    mean and biased variance are taken over those k axes: y = gamma (x - mean) / sqrt(var + eps) + beta.
    Returns y shaped like x. Same in training and evaluation (no running statistics). Cost: O(x.size).

    >>> layer_norm(np.array([[1.0, 3.0], [0.0, 10.0]]), np.ones(2), np.zeros(2), eps=0.0)
    array([[-1.,  1.],
           [-1.,  1.]])
    """
    x, axes = _feature_axes(x, gamma, beta)
    _check_eps(eps)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * np.asarray(gamma, dtype=x.dtype) + np.asarray(beta, dtype=x.dtype)


def layer_norm_backward(x: np.ndarray, gamma: np.ndarray, grad: np.ndarray, eps: float = 1e-5
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients through y = layer_norm(x, gamma, beta, eps), given grad = dL/dy (shaped like x).

    Returns (dL/dx shaped like x, dL/dgamma and dL/dbeta shaped like gamma). With means over the
    normalized axes and sums over the leading ones:

        dL/dx = (g gamma - mean(g gamma) - x_hat mean(g gamma x_hat)) / sqrt(var + eps)
        dL/dgamma = sum g x_hat,   dL/dbeta = sum g

    Cost: O(x.size).
    """
    x, axes = _feature_axes(x, gamma, None)
    _check_eps(eps)
    grad = np.asarray(grad)
    if grad.shape != x.shape:
        raise ValueError(f"grad must be shaped like x {x.shape}, got {grad.shape}")
    inv_std = 1.0 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    x_hat = (x - x.mean(axis=axes, keepdims=True)) * inv_std
    leading = tuple(range(x.ndim - len(axes)))
    grad_gamma = (grad * x_hat).sum(axis=leading)
    grad_beta = grad.sum(axis=leading)
    g = grad * np.asarray(gamma, dtype=x.dtype)
    grad_x = inv_std * (g - g.mean(axis=axes, keepdims=True) - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
    return grad_x, grad_gamma, grad_beta
