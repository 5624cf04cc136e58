"""Regularization for neural networks: L1 and L2 weight penalties and (inverted) dropout.

- L1: lam * sum |w|, gradient lam * sign(w) (0 at w = 0, the subgradient torch's autograd picks).
  Pushes weights to exactly zero at a constant rate: sparse weights.
- L2: (lam / 2) * sum w^2, gradient lam * w. The 1/2 makes the gradient exactly what
  `weight_decay=lam` adds in torch.optim.SGD, so for plain SGD "L2 penalty" and "weight decay" are the
  same update: w <- w - lr (g + lam w) = (1 - lr lam) w - lr g. For Adam they are not (the L2 gradient
  is rescaled by Adam's per-coordinate denominator; AdamW decays directly): see aieng.lib.dl.optim.
- Inverted dropout (training): keep each unit with probability 1 - p, zero it otherwise, and scale the
  kept ones by 1 / (1 - p) so E[y] = x; at evaluation time it is the identity, with nothing to rescale.
  The backward pass multiplies the incoming gradient by the same mask.

Functions follow the stage's forward/backward naming: `l2_penalty(w, lam)` and
`l2_penalty_backward(w, lam)` (the gradient of the penalty itself, a scalar loss term), and
`dropout(x, p, training, rng) -> (y, mask)` with `dropout_backward(mask, grad)`.

Left out: max-norm constraints, DropConnect, spatial (channel-wise) and alpha dropout, early stopping
and data augmentation (regularizers too, but not functions of the weights). Cost: O(size of input).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _weights(w: ArrayLike, lam: float) -> np.ndarray:
    w = np.asarray(w)
    if not np.issubdtype(w.dtype, np.floating):
        w = w.astype(np.float64)
    if not lam >= 0.0:
        raise ValueError(f"the penalty strength lam must be >= 0, got {lam}")
    return w


def l1_penalty(w: ArrayLike, lam: float) -> float:
    """lam * sum_i |w_i| over all entries of `w` (any shape). The empty array gives 0.

    >>> l1_penalty(np.array([1.0, -2.0, 0.5]), 0.1)
    0.35000000000000003
    """
    w = _weights(w, lam)
    return float(lam * np.sum(np.abs(w)))


def l1_penalty_backward(w: ArrayLike, lam: float) -> np.ndarray:
    """d/dw of lam * sum |w|: lam * sign(w), shape of `w` (0 where w == 0)."""
    w = _weights(w, lam)
    return lam * np.sign(w)


def l2_penalty(w: ArrayLike, lam: float) -> float:
    """(lam / 2) * sum_i w_i^2 over all entries of `w` (any shape). The empty array gives 0.

    >>> l2_penalty(np.array([3.0, 4.0]), 0.1)
    1.25
    """
    w = _weights(w, lam)
    return float(0.5 * lam * np.sum(w * w))


def l2_penalty_backward(w: ArrayLike, lam: float) -> np.ndarray:
    """d/dw of (lam / 2) * sum w^2: lam * w, shape of `w`; the `weight_decay` term of torch's SGD."""
    w = _weights(w, lam)
    return lam * w


def dropout(x: ArrayLike, p: float = 0.5, training: bool = True,
            rng: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout: returns (y, mask) with y = x * mask, both of the shape of `x`.

    Training: mask_i = 1 / (1 - p) with probability 1 - p (kept), else 0 (dropped), drawn from `rng`
    (`rng.random(shape) < 1 - p`), so E[y] = x. p = 1 drops everything (mask of zeros, like torch);
    p = 0 keeps everything (mask of ones). Evaluation (`training=False`): y = x and the mask is all
    ones, whatever p. The mask is what the backward pass needs.

    >>> y, mask = dropout(np.ones(6), p=0.5, rng=0); sorted(set(mask.tolist())) == [0.0, 2.0]
    True
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x.copy(), np.ones_like(x)
    if p == 1.0:
        return np.zeros_like(x), np.zeros_like(x)
    keep = np.random.default_rng(rng).random(x.shape) < 1.0 - p
    mask = keep.astype(x.dtype) / x.dtype.type(1.0 - p)
    return x * mask, mask


def dropout_backward(mask: np.ndarray, grad: ArrayLike) -> np.ndarray:
    """Gradient through dropout: grad * mask (dropped units pass no gradient, kept ones are scaled)."""
    mask, grad = np.asarray(mask), np.asarray(grad)
    if mask.shape != grad.shape:
        raise ValueError(f"mask shape {mask.shape} and gradient shape {grad.shape} differ")
    return grad * mask
