"""Recurrent cells and backpropagation through time — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check rnn-cells`.
Numpy only: the tests compare you with torch, so torch is not available to your code.

Layout (as torch.nn.RNNCell / torch.nn.RNN, time first):
    x of one step (N, D), a sequence (T, N, D); states (N, H)
    weight_ih (H, D), weight_hh (H, H), bias_ih (H,), bias_hh (H,)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def rnn_cell(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike, bias_ih: ArrayLike,
             bias_hh: ArrayLike) -> np.ndarray:
    """One Elman RNN step: h' = tanh(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh), shape (N, H).

    x (N, D); h (N, H), or None for a zero state. Raise ValueError when the shapes do not fit together.
    """
    raise NotImplementedError


def rnn_cell_backward(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                      bias_ih: ArrayLike, bias_hh: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, ...]:
    """Gradients of L = sum(grad * rnn_cell(x, h, ...)), grad of shape (N, H).

    Return (grad_x (N, D), grad_h (N, H), grad_weight_ih (H, D), grad_weight_hh (H, H), grad_bias_ih (H,),
    grad_bias_hh (H,)), in the order of the arguments.
    """
    raise NotImplementedError


def rnn_forward(x: ArrayLike, h0: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                bias_ih: ArrayLike, bias_hh: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Unroll the cell over the sequence x (T, N, D), starting from h0 (N, H) (None: zeros).

    Return (outputs, h_T): all hidden states h_1..h_T as (T, N, H), and the last one (N, H).
    An empty sequence (T = 0) or shapes that do not fit raise ValueError.
    """
    raise NotImplementedError


def rnn_backward(x: ArrayLike, h0: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                 bias_ih: ArrayLike, bias_hh: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, ...]:
    """Backpropagation through time for L = sum(grad * outputs), where outputs (T, N, H) come from
    rnn_forward(x, h0, ...) and grad (T, N, H) is dL/d outputs.

    Return (grad_x (T, N, D), grad_h0 (N, H), grad_weight_ih (H, D), grad_weight_hh (H, H), grad_bias_ih (H,),
    grad_bias_hh (H,)). The weights are shared by all steps: their gradients are sums over time.
    """
    raise NotImplementedError
