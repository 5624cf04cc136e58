"""Recurrent cells in numpy: the Elman RNN (tanh), the GRU and the LSTM, one step and unrolled over a
sequence, with hand-written backward passes (backpropagation through time for the plain RNN).

A recurrent cell reads one time step x_t of a sequence and the previous hidden state h_{t-1} and returns
the next state, h_t = cell(x_t, h_{t-1}); unrolling applies the same cell (the same weights) at every step.
Weights are laid out exactly as in torch.nn.RNNCell / GRUCell / LSTMCell, so they can be copied both ways:

- weight_ih (G·H, D) acts on the input, weight_hh (G·H, H) on the state, bias_ih and bias_hh (G·H,),
  with G = 1 (RNN), 3 (GRU: gates r, z, n stacked in that order) or 4 (LSTM: gates i, f, g, o);
- inputs are batched: one step is x (N, D), a sequence is x (T, N, D) (time first, torch's default
  batch_first=False), states are (N, H).

Equations (σ the logistic sigmoid, ⊙ the elementwise product, W_·x shorthand for x @ W_·.T):

    RNN   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
    GRU   r = σ(W_ir x + b_ir + W_hr h + b_hr)        z = σ(W_iz x + b_iz + W_hz h + b_hz)
          n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 - z) ⊙ n + z ⊙ h
    LSTM  i, f, o = σ(·), g = tanh(·) of the four blocks of W_ih x + b_ih + W_hh h + b_hh
          c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')

Backward functions follow the naming contract of aieng.lib.dl: ``name_backward(inputs..., params...,
grad)`` returns the gradients in the order of the arguments. A backward pass recomputes the forward
activations it needs (memory is traded for simplicity). Computation happens in the inputs' floating dtype
(float32 stays float32).

Left out: multi-layer and bidirectional stacks, batch_first, unbatched (D,) inputs, cells without bias
(pass zeros), projections (LSTM proj_size), dropout between layers, packed variable-length sequences,
sequence-level backward passes for the GRU and the LSTM (their cell backward passes are here; a
sequence is the same loop as ``rnn_backward``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), computed without overflow for large |z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def _float_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 when every array is float32 (or float16), float64 otherwise."""
    return np.result_type(*(a.dtype for a in arrays), np.float32)


def _cell_arrays(kind: str, x: ArrayLike, states: list[ArrayLike | None], weight_ih: ArrayLike,
                 weight_hh: ArrayLike, bias_ih: ArrayLike, bias_hh: ArrayLike,
                 sequence: bool = False) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray, np.ndarray,
                                                  np.ndarray]:
    """Validate the shapes of one cell call (or of a sequence when `sequence`); return float arrays.

    A state given as None becomes zeros (as in torch).
    """
    gates = _GATES[kind]
    arrays = [np.asarray(a) for a in (x, weight_ih, weight_hh, bias_ih, bias_hh)]
    x, weight_ih, weight_hh, bias_ih, bias_hh = arrays
    given = [np.asarray(s) for s in states if s is not None]
    dtype = _float_dtype(*arrays, *given)
    want_x = 3 if sequence else 2
    if x.ndim != want_x:
        layout = "(T, N, D): time, batch, features" if sequence else "(N, D): batch, features"
        raise ValueError(f"{kind}: x must have shape {layout}, got shape {x.shape}")
    if sequence and x.shape[0] == 0:
        raise ValueError(f"{kind}: the sequence is empty (T = 0); there is no step to run")
    if weight_ih.ndim != 2 or weight_ih.shape[0] % gates != 0 or weight_ih.shape[0] == 0:
        raise ValueError(f"{kind}: weight_ih must have shape ({gates}·H, D), got {weight_ih.shape}")
    hidden, d = weight_ih.shape[0] // gates, x.shape[-1]
    if weight_ih.shape[1] != d:
        raise ValueError(f"{kind}: weight_ih has {weight_ih.shape[1]} input columns but x has {d} features")
    if weight_hh.shape != (gates * hidden, hidden):
        raise ValueError(f"{kind}: weight_hh must have shape ({gates * hidden}, {hidden}), got {weight_hh.shape}")
    for name, b in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if b.shape != (gates * hidden,):
            raise ValueError(f"{kind}: {name} must have shape ({gates * hidden},), got {b.shape}")
    n = x.shape[-2]
    out_states = []
    for s in states:
        if s is None:
            out_states.append(np.zeros((n, hidden), dtype=dtype))
            continue
        s = np.asarray(s)
        if s.shape != (n, hidden):
            raise ValueError(f"{kind}: a state must have shape (N, H) = ({n}, {hidden}), got {s.shape}")
        out_states.append(s.astype(dtype, copy=False))
    return (x.astype(dtype, copy=False), out_states, *(a.astype(dtype, copy=False) for a in arrays[1:]))


# ----------------------------------------------------------------------------------------------- RNN


def rnn_cell(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike, bias_ih: ArrayLike,
             bias_hh: ArrayLike) -> np.ndarray:
    """One step of an Elman RNN: h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), shape (N, H).

    x (N, D), h (N, H) (None means zeros), weight_ih (H, D), weight_hh (H, H), biases (H,): the layout of
    torch.nn.RNNCell. Cost O(N·H·(D + H)).

    >>> w = np.array([[1.0]])
    >>> rnn_cell(np.array([[0.5]]), np.array([[0.5]]), w, w, np.zeros(1), np.zeros(1))  # tanh(1)
    array([[0.76159416]])
    """
    x, (h,), w_ih, w_hh, b_ih, b_hh = _cell_arrays("RNN", x, [h], weight_ih, weight_hh, bias_ih, bias_hh)
    return np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)


def rnn_cell_backward(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                      bias_ih: ArrayLike, bias_hh: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, ...]:
    """Gradients of sum(grad ⊙ rnn_cell(...)): (grad_x, grad_h, grad_weight_ih, grad_weight_hh, grad_bias_ih,
    grad_bias_hh), shaped like the arguments.

    With a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh and h' = tanh(a): δ = grad ⊙ (1 - h'²) = dL/da, then
    dL/dx = δ W_ih, dL/dh = δ W_hh, dL/dW_ih = δᵀ x, dL/dW_hh = δᵀ h, dL/db_ih = dL/db_hh = Σ_rows δ.
    """
    x, (h,), w_ih, w_hh, b_ih, b_hh = _cell_arrays("RNN", x, [h], weight_ih, weight_hh, bias_ih, bias_hh)
    h_new = np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
    delta = _grad_like(grad, h_new) * (1.0 - h_new**2)
    db = delta.sum(axis=0)
    return delta @ w_ih, delta @ w_hh, delta.T @ x, delta.T @ h, db, db.copy()


def rnn_forward(x: ArrayLike, h0: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                bias_ih: ArrayLike, bias_hh: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Unroll the RNN cell over a sequence x (T, N, D) from h0 (N, H) (None: zeros).

    Returns (outputs, h_T): every hidden state h_1..h_T stacked as (T, N, H), and the last one (N, H), as
    torch.nn.RNN returns (output, h_n) (its h_n has an extra leading layer axis). The input projection
    x W_ihᵀ is one matrix product for all steps; only the recurrence h W_hhᵀ must run step by step, so the
    loop is over time, never over samples. Cost O(T·N·H·(D + H)).
    """
    x, (h,), w_ih, w_hh, b_ih, b_hh = _cell_arrays("RNN", x, [h0], weight_ih, weight_hh, bias_ih, bias_hh,
                                                   sequence=True)
    projected = x @ w_ih.T + (b_ih + b_hh)  # (T, N, H): everything that does not depend on the state
    outputs = np.empty(projected.shape, dtype=projected.dtype)
    for t in range(x.shape[0]):
        h = np.tanh(projected[t] + h @ w_hh.T)
        outputs[t] = h
    return outputs, h


def rnn_backward(x: ArrayLike, h0: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                 bias_ih: ArrayLike, bias_hh: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, ...]:
    """Backpropagation through time: the gradients of L = sum(grad ⊙ outputs), where outputs (T, N, H) are all
    hidden states of ``rnn_forward`` and grad = dL/d outputs (a loss on the last state only has zeros in
    grad[:-1]).

    Returns (grad_x (T, N, D), grad_h0 (N, H), grad_weight_ih, grad_weight_hh, grad_bias_ih, grad_bias_hh).

    h_t feeds the loss directly (grad[t]) and through h_{t+1}, so walking back in time
    dL/dh_t = grad[t] + δ_{t+1} W_hh  and  δ_t = dL/dh_t ⊙ (1 - h_t²)  (the gradient at tanh's input).
    The weights are shared by all steps, so their gradients are sums over time:
    dL/dW_ih = Σ_t δ_tᵀ x_t, dL/dW_hh = Σ_t δ_tᵀ h_{t-1}, dL/db = Σ_t Σ_rows δ_t; dL/dx_t = δ_t W_ih and
    dL/dh0 = δ_1 W_hh. Each step back multiplies by W_hhᵀ and by tanh' ≤ 1: this product is where gradients
    vanish or explode over long sequences. Cost O(T·N·H·(D + H)), memory O(T·N·H).
    """
    x, (h0,), w_ih, w_hh, b_ih, b_hh = _cell_arrays("RNN", x, [h0], weight_ih, weight_hh, bias_ih, bias_hh,
                                                    sequence=True)
    outputs, _ = rnn_forward(x, h0, w_ih, w_hh, b_ih, b_hh)
    grad = _grad_like(grad, outputs)
    deltas = np.empty_like(outputs)
    carried = np.zeros_like(h0)  # dL/dh_t arriving from step t + 1
    for t in range(x.shape[0] - 1, -1, -1):
        deltas[t] = (grad[t] + carried) * (1.0 - outputs[t] ** 2)
        carried = deltas[t] @ w_hh
    previous = np.concatenate([h0[None], outputs[:-1]])  # h_{t-1} for every step, (T, N, H)
    db = deltas.sum(axis=(0, 1))
    return (deltas @ w_ih, carried, np.einsum("tnh,tnd->hd", deltas, x),
            np.einsum("tnh,tnk->hk", deltas, previous), db, db.copy())


def _grad_like(grad: ArrayLike, like: np.ndarray) -> np.ndarray:
    """The upstream gradient as an array of the output's shape and dtype, or a ValueError."""
    grad = np.asarray(grad)
    if grad.shape != like.shape:
        raise ValueError(f"grad must have the shape of the output {like.shape}, got {grad.shape}")
    return grad.astype(np.result_type(grad.dtype, like.dtype), copy=False)


# ----------------------------------------------------------------------------------------------- GRU


def _gru_parts(x: np.ndarray, h: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray,
               b_hh: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """r, z, n and W_hn h + b_hn for one GRU step (validated arrays)."""
    i_r, i_z, i_n = np.split(x @ w_ih.T + b_ih, 3, axis=1)
    h_r, h_z, h_n = np.split(h @ w_hh.T + b_hh, 3, axis=1)
    r = sigmoid(i_r + h_r)
    z = sigmoid(i_z + h_z)
    n = np.tanh(i_n + r * h_n)
    return r, z, n, h_n


def gru_cell(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike, bias_ih: ArrayLike,
             bias_hh: ArrayLike) -> np.ndarray:
    """One GRU step, exactly as torch.nn.GRUCell: returns h' (N, H).

    weight_ih (3H, D) and weight_hh (3H, H) stack the blocks of the reset gate r, the update gate z and the
    candidate n, in that order; biases (3H,). The reset gate multiplies (W_hn h + b_hn) — the *whole*
    recurrent term including its bias — inside the candidate: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
    Then h' = (1 - z) ⊙ n + z ⊙ h: z near 1 copies the old state forward unchanged. Cost O(N·H·(D + H)).
    """
    x, (h,), *params = _cell_arrays("GRU", x, [h], weight_ih, weight_hh, bias_ih, bias_hh)
    _, z, n, _ = _gru_parts(x, h, *params)
    return n + z * (h - n)


def gru_cell_backward(x: ArrayLike, h: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                      bias_ih: ArrayLike, bias_hh: ArrayLike, grad: ArrayLike) -> tuple[np.ndarray, ...]:
    """Gradients of sum(grad ⊙ gru_cell(...)): (grad_x, grad_h, grad_weight_ih, grad_weight_hh, grad_bias_ih,
    grad_bias_hh).

    From h' = n + z ⊙ (h - n): dn = g ⊙ (1 - z), dz = g ⊙ (h - n), and h also reaches h' directly with
    g ⊙ z. Through the activations: a_n = dn ⊙ (1 - n²), a_z = dz ⊙ z(1 - z), a_r = a_n ⊙ (W_hn h + b_hn)
    ⊙ r(1 - r). The input-side pre-activations get (a_r, a_z, a_n); the state side gets (a_r, a_z, a_n ⊙ r),
    because r multiplies the recurrent candidate term.
    """
    x, (h,), w_ih, w_hh, b_ih, b_hh = _cell_arrays("GRU", x, [h], weight_ih, weight_hh, bias_ih, bias_hh)
    r, z, n, h_n = _gru_parts(x, h, w_ih, w_hh, b_ih, b_hh)
    g = _grad_like(grad, h)
    a_n = g * (1.0 - z) * (1.0 - n**2)
    a_z = g * (h - n) * z * (1.0 - z)
    a_r = a_n * h_n * r * (1.0 - r)
    d_input = np.concatenate([a_r, a_z, a_n], axis=1)  # dL/d(x W_ihᵀ + b_ih), (N, 3H)
    d_state = np.concatenate([a_r, a_z, a_n * r], axis=1)  # dL/d(h W_hhᵀ + b_hh)
    return (d_input @ w_ih, d_state @ w_hh + g * z, d_input.T @ x, d_state.T @ h, d_input.sum(axis=0),
            d_state.sum(axis=0))


def gru_forward(x: ArrayLike, h0: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
                bias_ih: ArrayLike, bias_hh: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Unroll the GRU over x (T, N, D) from h0 (N, H) (None: zeros): (outputs (T, N, H), h_T (N, H)), as
    torch.nn.GRU (one layer, time first) returns (output, h_n[0])."""
    x, (h,), w_ih, w_hh, b_ih, b_hh = _cell_arrays("GRU", x, [h0], weight_ih, weight_hh, bias_ih, bias_hh,
                                                   sequence=True)
    projected = x @ w_ih.T + b_ih  # (T, N, 3H): the input side of every step at once
    hidden = h.shape[1]
    outputs = np.empty((*x.shape[:2], hidden), dtype=projected.dtype)
    for t in range(x.shape[0]):
        i_r, i_z, i_n = np.split(projected[t], 3, axis=1)
        h_r, h_z, h_n = np.split(h @ w_hh.T + b_hh, 3, axis=1)
        r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        h = n + z * (h - n)
        outputs[t] = h
    return outputs, h


# ---------------------------------------------------------------------------------------------- LSTM


def _lstm_gates(x: np.ndarray, h: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray,
                b_hh: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The activated gates i, f, g, o of one LSTM step, each (N, H)."""
    a_i, a_f, a_g, a_o = np.split(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 4, axis=1)
    return sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)


def lstm_cell(x: ArrayLike, h: ArrayLike | None, c: ArrayLike | None, weight_ih: ArrayLike, weight_hh: ArrayLike,
              bias_ih: ArrayLike, bias_hh: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step, exactly as torch.nn.LSTMCell: returns (h', c'), each (N, H).

    weight_ih (4H, D) and weight_hh (4H, H) stack the input gate i, forget gate f, candidate g and output
    gate o, in that order. c' = f ⊙ c + i ⊙ g is the memory (a gated sum, not a squashing product);
    h' = o ⊙ tanh(c') is what the cell shows. None for h or c means zeros. Cost O(N·H·(D + H)).
    """
    x, (h, c), *params = _cell_arrays("LSTM", x, [h, c], weight_ih, weight_hh, bias_ih, bias_hh)
    i, f, g, o = _lstm_gates(x, h, *params)
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def lstm_cell_backward(x: ArrayLike, h: ArrayLike | None, c: ArrayLike | None, weight_ih: ArrayLike,
                       weight_hh: ArrayLike, bias_ih: ArrayLike, bias_hh: ArrayLike, grad_h: ArrayLike,
                       grad_c: ArrayLike | None = None) -> tuple[np.ndarray, ...]:
    """Gradients of sum(grad_h ⊙ h') + sum(grad_c ⊙ c') for (h', c') = lstm_cell(...) (grad_c None: zeros).

    Returns (grad_x, grad_h, grad_c, grad_weight_ih, grad_weight_hh, grad_bias_ih, grad_bias_hh).
    The memory's total gradient is dc' = grad_c + grad_h ⊙ o ⊙ (1 - tanh²(c')); then dc = dc' ⊙ f — the
    additive path that carries gradients across many steps when f stays near 1 — and the gate
    pre-activations get di ⊙ i(1-i) with di = dc' ⊙ g, df ⊙ f(1-f) with df = dc' ⊙ c, dg ⊙ (1-g²) with
    dg = dc' ⊙ i, and do ⊙ o(1-o) with do = grad_h ⊙ tanh(c').
    """
    x, (h, c), w_ih, w_hh, b_ih, b_hh = _cell_arrays("LSTM", x, [h, c], weight_ih, weight_hh, bias_ih, bias_hh)
    i, f, g, o = _lstm_gates(x, h, w_ih, w_hh, b_ih, b_hh)
    c_new = f * c + i * g
    tanh_c = np.tanh(c_new)
    grad_h = _grad_like(grad_h, c_new)
    dc_new = grad_h * o * (1.0 - tanh_c**2)
    if grad_c is not None:
        dc_new = dc_new + _grad_like(grad_c, c_new)
    d_pre = np.concatenate([dc_new * g * i * (1.0 - i), dc_new * c * f * (1.0 - f), dc_new * i * (1.0 - g**2),
                            grad_h * tanh_c * o * (1.0 - o)], axis=1)  # (N, 4H)
    db = d_pre.sum(axis=0)
    return d_pre @ w_ih, d_pre @ w_hh, dc_new * f, d_pre.T @ x, d_pre.T @ h, db, db.copy()


def lstm_forward(x: ArrayLike, h0: ArrayLike | None, c0: ArrayLike | None, weight_ih: ArrayLike,
                 weight_hh: ArrayLike, bias_ih: ArrayLike, bias_hh: ArrayLike
                 ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Unroll the LSTM over x (T, N, D) from (h0, c0) (each (N, H), None: zeros).

    Returns (outputs (T, N, H), (h_T, c_T)), the layout of torch.nn.LSTM's (output, (h_n, c_n)) without its
    leading layer axis. outputs holds the h_t; the memories c_t stay inside.
    """
    x, (h, c), w_ih, w_hh, b_ih, b_hh = _cell_arrays("LSTM", x, [h0, c0], weight_ih, weight_hh, bias_ih, bias_hh,
                                                     sequence=True)
    projected = x @ w_ih.T + (b_ih + b_hh)  # (T, N, 4H)
    outputs = np.empty((*x.shape[:2], h.shape[1]), dtype=projected.dtype)
    for t in range(x.shape[0]):
        a_i, a_f, a_g, a_o = np.split(projected[t] + h @ w_hh.T, 4, axis=1)
        c = sigmoid(a_f) * c + sigmoid(a_i) * np.tanh(a_g)
        h = sigmoid(a_o) * np.tanh(c)
        outputs[t] = h
    return outputs, (h, c)
