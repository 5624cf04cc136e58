"""Gated cells: GRU and LSTM — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check gru-lstm`.
Numpy only: the tests compare you with torch, so torch is not available to your code.

Layout (as torch.nn.GRUCell / LSTMCell / GRU / LSTM, time first):
    x of one step (N, D), a sequence (T, N, D); states (N, H); None for a state means zeros
    GRU:  weight_ih (3H, D), weight_hh (3H, H), biases (3H,)   blocks in the order r, z, n
    LSTM: weight_ih (4H, D), weight_hh (4H, H), biases (4H,)   blocks in the order i, f, g, o
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def gru_cell(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike, bias_ih: ArrayLike,
             bias_hh: ArrayLike) -> np.ndarray:
    """One GRU step, as torch.nn.GRUCell; returns h' (N, H).

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z = sigmoid(W_iz x + b_iz + W_hz h + b_hz),
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.
    Raise ValueError when the shapes do not fit together.
    """
    raise NotImplementedError


def lstm_cell(x: ArrayLike, h: ArrayLike | None, c: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
              bias_ih: ArrayLike, bias_hh: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step, as torch.nn.LSTMCell; returns (h', c'), each (N, H).

    With a = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh split into blocks i, f, g, o:
    c' = sigmoid(a_f) * c + sigmoid(a_i) * tanh(a_g), h' = sigmoid(a_o) * tanh(c').
    Raise ValueError when the shapes do not fit together.
    """
    raise NotImplementedError


def gru_forward(x: ArrayLike, h0: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                bias_ih: ArrayLike, bias_hh: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Unroll the GRU over x (T, N, D) from h0 (N, H) (None: zeros); return (outputs (T, N, H), h_T (N, H)).

    An empty sequence (T = 0) or shapes that do not fit raise ValueError.
    """
    raise NotImplementedError


def lstm_forward(x: ArrayLike, h0: ArrayLike | None, c0: ArrayLike | None, weight_ih: ArrayLike,
                 weight_hh: ArrayLike, bias_ih: ArrayLike, bias_hh: ArrayLike
                 ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Unroll the LSTM over x (T, N, D) from (h0, c0) (each (N, H), None: zeros).

    Return (outputs, (h_T, c_T)): the hidden states h_1..h_T as (T, N, H), and the last hidden state and
    memory, each (N, H). An empty sequence (T = 0) or shapes that do not fit raise ValueError.
    """
    raise NotImplementedError
