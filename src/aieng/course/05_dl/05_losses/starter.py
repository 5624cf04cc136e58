"""Loss functions — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check losses`.

Forward functions return the MEAN loss as a Python float. Backward functions return the gradient of that
mean with respect to the prediction / logits (same shape, same float dtype: float32 stays float32), times
the scalar `grad`. Raise ValueError on bad input. No torch, no Python loops.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def mse_loss(pred: ArrayLike, target: ArrayLike) -> float:
    """mean((pred - target)**2) over all entries; pred and target of one shape (any), not empty."""
    raise NotImplementedError


def mse_loss_backward(pred: ArrayLike, target: ArrayLike, grad: float = 1.0) -> np.ndarray:
    """d mse_loss / d pred = 2 * (pred - target) / n, times grad; shape of pred."""
    raise NotImplementedError


def binary_cross_entropy_with_logits(logits: ArrayLike, targets: ArrayLike) -> float:
    """Mean of -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] over all entries.

    logits z and targets y of one shape (any), not empty; y in [0, 1] (else ValueError). Finite for
    |z| = 1000: use max(z, 0) - z * y + log1p(exp(-|z|)).
    """
    raise NotImplementedError


def binary_cross_entropy_with_logits_backward(logits: ArrayLike, targets: ArrayLike, grad: float = 1.0) -> np.ndarray:
    """d loss / d logits = (sigmoid(z) - y) / n, times grad; shape of logits."""
    raise NotImplementedError


def cross_entropy(logits: ArrayLike, labels: ArrayLike, label_smoothing: float = 0.0) -> float:
    """Mean over the N rows of -log softmax(logits[i])[labels[i]].

    logits: (N, C) with N, C >= 1; labels: (N,) integers in [0, C). With label_smoothing eps in [0, 1] the
    target row is (1 - eps) * onehot + eps / C and the row's loss is -sum_c target_c * log softmax_c.
    Anything else raises ValueError.
    """
    raise NotImplementedError


def cross_entropy_backward(logits: ArrayLike, labels: ArrayLike, grad: float = 1.0,
                           label_smoothing: float = 0.0) -> np.ndarray:
    """d cross_entropy / d logits = (softmax(logits) - target) / N, times grad; shape (N, C)."""
    raise NotImplementedError
