"""Residual connections — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check residual-connections`.
Weights are shaped like torch.nn.Linear: a layer computes x @ W.T + b with W of shape (out, in).
A block: F(x) = relu(x @ w1.T + b1) @ w2.T + b2 with w1 (H, D), b1 (H,), w2 (D, H), b2 (D,); x is (N, D).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Block = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # (w1, b1, w2, b2)


def residual_block(x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray,
                   skip: bool = True) -> np.ndarray:
    """Return x + F(x) (shape (N, D)); with skip=False return F(x) alone (a plain block).

    Raise ValueError if x is not 2-D or the weight shapes do not fit (w1 (H, D), b1 (H,), w2 (D, H), b2 (D,)).
    """
    raise NotImplementedError


def residual_block_backward(x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray,
                            grad: np.ndarray, skip: bool = True) -> tuple[np.ndarray, ...]:
    """Given grad = dL/dy (N, D) for y = residual_block(x, w1, b1, w2, b2, skip), return the tuple
    (dL/dx, dL/dw1, dL/db1, dL/dw2, dL/db2), each shaped like the array it is the gradient of.
    """
    raise NotImplementedError


def stack_gradient_norms(x: np.ndarray, blocks: Sequence[Block], grad: np.ndarray, skip: bool = True
                         ) -> np.ndarray:
    """Norms of the gradient at every depth of a stack of blocks; return shape (L + 1,) for L blocks.

    h_0 = x and h_l = residual_block(h_{l-1}, *blocks[l-1], skip=skip). With dL/dh_L = grad (N, D),
    entry l is the Frobenius norm of dL/dh_l: entry L is ||grad||, entry 0 the norm reaching the input.
    """
    raise NotImplementedError
