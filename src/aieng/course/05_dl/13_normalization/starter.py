"""Batch normalization and layer normalization — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check normalization`.
Both compute x_hat = (x - mean) / sqrt(var + eps) with the BIASED variance, then y = gamma * x_hat + beta.
Keep the dtype: float32 in, float32 out.
"""

from __future__ import annotations

import numpy as np


def batch_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
               running_var: np.ndarray, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> np.ndarray:
    """Batch norm of x (N, C) or (N, C, H, W) (any (N, C, ...)), per channel, like torch's BatchNorm1d/2d.

    gamma, beta, running_mean, running_var have shape (C,). Return y shaped like x.
    training=True: normalize with the mean and biased variance of each channel over every axis but 1
    (m = x.size / C numbers per channel), and update the running statistics IN PLACE:
        running_mean <- (1 - momentum) * running_mean + momentum * mean
        running_var  <- (1 - momentum) * running_var  + momentum * var * m / (m - 1)   (unbiased)
    training=False: normalize with running_mean and running_var; update nothing.
    Raise ValueError if x has fewer than 2 dimensions, a (C,) array has the wrong shape, or training
    with m < 2 (one value per channel has no variance).
    """
    raise NotImplementedError


def batch_norm_backward(x: np.ndarray, gamma: np.ndarray, grad: np.ndarray, eps: float = 1e-5,
                        running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (dL/dx shaped like x, dL/dgamma (C,), dL/dbeta (C,)) given grad = dL/dy.

    Training mode (running_mean and running_var None): the batch mean and variance depend on x.
    Evaluation mode (both given, the arrays the forward pass used): they are constants.
    Raise ValueError if grad is not shaped like x, or only one of the running statistics is given.
    """
    raise NotImplementedError


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Layer norm over the trailing dimensions of x: those of gamma's shape D = x.shape[-gamma.ndim:].

    Mean and biased variance per leading index, over the last gamma.ndim axes; beta is shaped like gamma.
    Return y shaped like x, like torch.nn.functional.layer_norm(x, gamma.shape, gamma, beta, eps).
    Raise ValueError if gamma's shape is not the trailing shape of x, or beta's differs from gamma's.
    """
    raise NotImplementedError


def layer_norm_backward(x: np.ndarray, gamma: np.ndarray, grad: np.ndarray, eps: float = 1e-5
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (dL/dx shaped like x, dL/dgamma and dL/dbeta shaped like gamma) given grad = dL/dy."""
    raise NotImplementedError
