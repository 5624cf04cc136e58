"""Loss functions for training networks, as numpy forward/backward pairs.

Naming contract of ``aieng.lib.dl``, for a loss (the end of the graph, so no upstream gradient is needed):

    forward:   name(prediction, target, **options) -> float                  the MEAN loss
    backward:  name_backward(prediction, target, grad=1.0, **options) -> grad_prediction

The backward function returns the gradient of the mean loss with respect to the prediction (or logits),
same shape and float dtype; ``grad`` (dL/dloss, a scalar, 1 by default) scales it, for a loss that is
itself multiplied or summed further on. The target gets no gradient.

Implemented:
- ``mse_loss``: mean squared error, ``mean((pred - target)^2)``; gradient ``2 (pred - target) / n``.
- ``binary_cross_entropy_with_logits``: the logistic loss on raw scores (logits), stable for any logit:
  ``max(z, 0) - z y + log(1 + exp(-|z|))``; gradient ``(sigmoid(z) - y) / n``.
- ``cross_entropy``: softmax cross-entropy of logits of shape (N, C) with integer labels, optional label
  smoothing; gradient ``(softmax(z) - q) / N`` with q the (smoothed) one-hot target.
All three agree with torch.nn.functional's losses of the same names (reduction="mean").

Left out: other reductions ("sum", "none"), per-class weights, pos_weight, ignore_index, probability
targets for cross_entropy, and extra spatial dimensions (N, C, d1, ...).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from aieng.lib.dl.activations import _as_float, log_softmax, sigmoid, softmax


def _same_shape(pred: ArrayLike, target: ArrayLike, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Both as float arrays of one shape, not empty (a mean of nothing is undefined); target in pred's dtype."""
    pred = _as_float(pred, names[0])
    target = _as_float(target, names[1])
    if pred.shape != target.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {pred.shape} and {target.shape}")
    if pred.size == 0:
        raise ValueError("the mean loss of an empty batch is undefined")
    return pred, target.astype(pred.dtype, copy=False)


def _scalar_grad(grad: float) -> float:
    if np.ndim(grad) != 0:
        raise ValueError(f"grad must be a scalar (dL/dloss), got an array of shape {np.shape(grad)}")
    return float(grad)


# ----------------------------------------------------------------------------- mean squared error


def mse_loss(pred: ArrayLike, target: ArrayLike) -> float:
    """Mean squared error ``(1/n) sum_i (pred_i - target_i)^2`` over all n entries (any shape). O(n).

    >>> mse_loss(np.array([1.0, 2.0]), np.array([1.0, 4.0]))
    2.0
    """
    pred, target = _same_shape(pred, target, ("pred", "target"))
    diff = pred - target
    return float(np.mean(diff * diff))


def mse_loss_backward(pred: ArrayLike, target: ArrayLike, grad: float = 1.0) -> np.ndarray:
    """Gradient of the mean squared error with respect to `pred`: ``2 (pred - target) / n``, times grad."""
    pred, target = _same_shape(pred, target, ("pred", "target"))
    return (pred - target) * (2.0 * _scalar_grad(grad) / pred.size)


# ----------------------------------------------------------------------------- binary cross-entropy


def _binary_targets(logits: ArrayLike, targets: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    logits, targets = _same_shape(logits, targets, ("logits", "targets"))
    if np.isnan(targets).any() or targets.min() < 0 or targets.max() > 1:
        raise ValueError("binary cross-entropy targets must lie in [0, 1] (class labels 0/1 or probabilities)")
    return logits, targets


def binary_cross_entropy_with_logits(logits: ArrayLike, targets: ArrayLike) -> float:
    """Mean logistic loss of raw scores: ``-(1/n) sum_i [y_i log sigma(z_i) + (1 - y_i) log(1 - sigma(z_i))]``.

    Targets y lie in [0, 1] (hard labels or probabilities), same shape as the logits z. Expanded, each
    term is ``log(1 + exp(z)) - z y``, and ``log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))`` never
    overflows; taking ``log(sigmoid(z))`` instead returns -inf once sigmoid rounds to 0 or 1. O(n).

    >>> round(binary_cross_entropy_with_logits(np.array([0.0, 1000.0]), np.array([1.0, 0.0])), 6)
    500.346574
    """
    z, y = _binary_targets(logits, targets)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_with_logits_backward(logits: ArrayLike, targets: ArrayLike, grad: float = 1.0) -> np.ndarray:
    """Gradient of the mean logistic loss with respect to the logits: ``(sigmoid(z) - y) / n``, times grad.

    The prediction error itself, bounded by 1/n per entry however wrong the logit: the loss does not
    saturate the way a sigmoid followed by squared error does.
    """
    z, y = _binary_targets(logits, targets)
    return (sigmoid(z) - y) * (_scalar_grad(grad) / z.size)


# ----------------------------------------------------------------------------- softmax cross-entropy


def _class_problem(logits: ArrayLike, labels: ArrayLike, label_smoothing: float) -> tuple[np.ndarray, np.ndarray]:
    z = _as_float(logits, "logits")
    y = np.asarray(labels)
    if z.ndim != 2:
        raise ValueError(f"logits must have shape (N, C), got {z.shape}")
    n, c = z.shape
    if n == 0 or c == 0:
        raise ValueError(f"cross_entropy needs at least one row and one class, got logits of shape {z.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be integer class indices, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), one per row of logits, got {y.shape}")
    if y.min() < 0 or y.max() >= c:
        raise ValueError(f"labels must lie in [0, {c - 1}], got values from {y.min()} to {y.max()}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must lie in [0, 1], got {label_smoothing}")
    return z, y


def cross_entropy(logits: ArrayLike, labels: ArrayLike, label_smoothing: float = 0.0) -> float:
    """Mean softmax cross-entropy of logits of shape (N, C) against integer labels of shape (N,).

    ``L = -(1/N) sum_i log softmax(z_i)[y_i]``, with ``log softmax`` from the log-sum-exp trick. With
    label smoothing eps the target of row i is ``q = (1 - eps) onehot(y_i) + eps / C`` and the loss is
    ``-(1/N) sum_i sum_c q_c log softmax(z_i)_c`` (torch's definition). O(N C).

    >>> round(cross_entropy(np.array([[2.0, 0.0], [0.0, 0.0]]), np.array([0, 1])), 6)
    0.410038
    """
    z, y = _class_problem(logits, labels, label_smoothing)
    logp = log_softmax(z, axis=1)
    picked = -np.mean(logp[np.arange(z.shape[0]), y])
    if label_smoothing == 0.0:
        return float(picked)
    uniform = -np.mean(logp)  # the mean over rows of (1/C) sum_c -log p_c
    return float((1.0 - label_smoothing) * picked + label_smoothing * uniform)


def cross_entropy_backward(logits: ArrayLike, labels: ArrayLike, grad: float = 1.0,
                           label_smoothing: float = 0.0) -> np.ndarray:
    """Gradient of the mean cross-entropy with respect to the logits, shape (N, C): ``(softmax(z) - q) / N``.

    q is the one-hot target (smoothed if asked). Each row sums to 0: raising every logit of a row
    together changes nothing. Times grad. O(N C).
    """
    z, y = _class_problem(logits, labels, label_smoothing)
    n, c = z.shape
    target = np.full(z.shape, label_smoothing / c, dtype=z.dtype)
    target[np.arange(n), y] += 1.0 - label_smoothing
    return (softmax(z, axis=1) - target) * (_scalar_grad(grad) / n)
