"""Residual connections: the block y = x + F(x), its backward pass, and why deep stacks need it.

F is the two-layer perceptron F(x) = relu(x W1^T + b1) W2^T + b2 with weights shaped like torch.nn.Linear
(W1: (H, D), W2: (D, H)), so the block maps (N, D) to (N, D) and weights copy to and from torch as they
are. The identity path makes the block's Jacobian I + dF/dx: in the backward pass the upstream gradient
reaches x unchanged, plus whatever F adds. Without it (y = F(x)) the gradient is multiplied by dF/dx at
every block; with torch.nn.Linear's default initialization each such factor shrinks it several-fold, so
after 30 blocks almost nothing reaches the input. `stack_gradient_norms` measures exactly that.

Transformers wrap the same idea around attention and MLP sub-blocks, with layer norm either after the
sum (post-LN, the original: y = LN(x + F(x))) or inside the branch (pre-LN: y = x + F(LN(x))); pre-LN
keeps the identity path clean and trains deep stacks without warm-up, which is why stage 06 uses it.

Left out: convolutional residual blocks and projection shortcuts (when F changes the shape), batch norm
inside F, and stochastic depth.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Block = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # (w1 (H, D), b1 (H,), w2 (D, H), b2 (D,))


def _check(x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray
           ) -> tuple[np.ndarray, ...]:
    x, w1, b1, w2, b2 = (np.asarray(a) for a in (x, w1, b1, w2, b2))
    if x.ndim != 2:
        raise ValueError(f"x must have shape (N, D), got {x.shape}")
    d = x.shape[1]
    if w1.ndim != 2 or w1.shape[1] != d:
        raise ValueError(f"w1 must have shape (H, {d}) like torch.nn.Linear({d}, H).weight, got {w1.shape}")
    h = w1.shape[0]
    if b1.shape != (h,) or w2.shape != (d, h) or b2.shape != (d,):
        raise ValueError(f"expected b1 ({h},), w2 ({d}, {h}), b2 ({d},); got {b1.shape}, {w2.shape}, {b2.shape}")
    return x, w1, b1, w2, b2


def residual_block(x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray,
                   skip: bool = True) -> np.ndarray:
    """y = x + relu(x W1^T + b1) W2^T + b2 for x (N, D), W1 (H, D), b1 (H,), W2 (D, H), b2 (D,).

    With skip=False the identity path is dropped: y = F(x), a plain two-layer block. Returns (N, D).
    Cost: two matrix products, O(N D H).

    >>> residual_block(np.ones((1, 2)), np.eye(2), np.zeros(2), -np.eye(2), np.zeros(2))
    array([[0., 0.]])
    """
    x, w1, b1, w2, b2 = _check(x, w1, b1, w2, b2)
    f = np.maximum(x @ w1.T + b1, 0) @ w2.T + b2
    return x + f if skip else f


def residual_block_backward(x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray,
                            grad: np.ndarray, skip: bool = True) -> tuple[np.ndarray, ...]:
    """Gradients through y = residual_block(x, w1, b1, w2, b2, skip), given grad = dL/dy (N, D).

    Returns (dL/dx, dL/dW1, dL/db1, dL/dW2, dL/db2), each shaped like its input. With a = x W1^T + b1,
    r = relu(a), g = grad and m = (a > 0):

        dL/dW2 = g^T r,  dL/db2 = sum_n g,  dL/da = (g W2) * m,  dL/dW1 = (dL/da)^T x,  dL/db1 = sum_n dL/da
        dL/dx = g + (dL/da) W1          (the first term is the identity path; skip=False drops it)
    """
    x, w1, b1, w2, b2 = _check(x, w1, b1, w2, b2)
    grad = np.asarray(grad)
    if grad.shape != x.shape:
        raise ValueError(f"grad must be shaped like the output {x.shape}, got {grad.shape}")
    a = x @ w1.T + b1
    r = np.maximum(a, 0)
    grad_a = (grad @ w2) * (a > 0)
    grad_x = grad_a @ w1
    if skip:
        grad_x = grad_x + grad
    return grad_x, grad_a.T @ x, grad_a.sum(axis=0), grad.T @ r, grad.sum(axis=0)


def residual_stack(x: np.ndarray, blocks: Sequence[Block], skip: bool = True) -> np.ndarray:
    """Apply the blocks in order: h_0 = x, h_l = residual_block(h_{l-1}, *blocks[l-1], skip). Returns h_L."""
    for w1, b1, w2, b2 in blocks:
        x = residual_block(x, w1, b1, w2, b2, skip)
    return x


def stack_gradient_norms(x: np.ndarray, blocks: Sequence[Block], grad: np.ndarray, skip: bool = True
                         ) -> np.ndarray:
    """Norms of the gradient at every depth of a stack of blocks, shape (L + 1,).

    Entry l is the Frobenius norm of dL/dh_l, where h_0 = x, h_l is the output of block l and
    dL/dh_L = grad (N, D): entry L is ||grad||, entry 0 the gradient norm that reaches the input. One
    forward pass storing every h_l, then one backward pass: O(L N D H).

    With skip=True each block passes g on as g + (dF/dh)^T g, so the norm stays of the order of ||grad||;
    with skip=False only (dF/dh)^T g survives, and the norm decays geometrically with depth.
    """
    hs = [np.asarray(x)]
    for w1, b1, w2, b2 in blocks:
        hs.append(residual_block(hs[-1], w1, b1, w2, b2, skip))
    grad = np.asarray(grad)
    if grad.shape != hs[-1].shape:
        raise ValueError(f"grad must be shaped like the output {hs[-1].shape}, got {grad.shape}")
    norms = [np.linalg.norm(grad)]
    for h, (w1, b1, w2, b2) in zip(reversed(hs[:-1]), reversed(blocks), strict=True):
        grad = residual_block_backward(h, w1, b1, w2, b2, grad, skip)[0]
        norms.append(np.linalg.norm(grad))
    return np.array(norms[::-1])
