"""Checks for `gru-lstm`, against torch.nn.GRUCell / LSTMCell / GRU / LSTM with your weights copied in, and
closed forms with zero weights.

Tolerances: float64 to 1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer (numpy and
torch add products in different orders, so the last bits differ). While your code runs, torch's own
recurrent functions are switched off.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.torch_oracle import ATOL, RTOL

READY_MADE = ("torch.gru_cell", "torch.lstm_cell", "torch.gru", "torch.lstm", "torch.nn.GRUCell", "torch.nn.LSTMCell",
              "torch.nn.GRU", "torch.nn.LSTM")
TORCH_DTYPE = {np.dtype(np.float64): torch.float64, np.dtype(np.float32): torch.float32}
GATES = {"gru": 3, "lstm": 4}


def call(impl, name: str, *args: Any) -> Any:
    """impl.name(*args) with torch's recurrent functions switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args)


def assert_like_torch(got: object, want: np.ndarray, what: str) -> None:
    """Within the dtype's tolerance of torch, relative to the largest entry of torch's answer."""
    rtol = RTOL[want.dtype]
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * scale, what=what)


@st.composite
def cases(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """A random GRU or LSTM problem: length, batch, widths, dtype, stacked weights, and initial states that are
    None (zeros) now and then."""
    t, n, d, h = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    dtype = np.dtype(draw(st.sampled_from([np.float64, np.float32])))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.5, 1.0, 2.0])) / np.sqrt(h)
    g = GATES[kind]

    def normal(*shape: int, s: float = 1.0) -> np.ndarray:
        return (s * rng.standard_normal(shape)).astype(dtype)

    return {"x": normal(t, n, d), "h0": normal(n, h) if draw(st.booleans()) else None,
            "c0": normal(n, h) if draw(st.booleans()) else None,
            "params": [normal(g * h, d, s=scale), normal(g * h, h, s=scale), normal(g * h, s=scale),
                       normal(g * h, s=scale)], "dtype": dtype}


def torch_module(case: dict[str, Any], kind: str, sequence: bool) -> torch.nn.Module:
    """torch's GRU/LSTM (cell or sequence) with the case's weights copied in."""
    classes = {("gru", False): torch.nn.GRUCell, ("gru", True): torch.nn.GRU, ("lstm", False): torch.nn.LSTMCell,
               ("lstm", True): torch.nn.LSTM}
    w_ih, w_hh, _, _ = case["params"]
    module = classes[kind, sequence](w_ih.shape[1], w_hh.shape[1], dtype=TORCH_DTYPE[case["dtype"]])
    suffix = "_l0" if sequence else ""
    with torch.no_grad():
        for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), case["params"], strict=True):
            getattr(module, name + suffix).copy_(torch.from_numpy(value))
    return module


def state(case: dict[str, Any], name: str) -> torch.Tensor:
    """The case's initial state as a tensor, zeros where it is None (torch's default too)."""
    n, h = case["x"].shape[1], case["params"][1].shape[1]
    value = case[name]
    return torch.zeros(n, h, dtype=TORCH_DTYPE[case["dtype"]]) if value is None else torch.from_numpy(value)


@given(cases("gru"))
def test_gru_cell_matches_torch(impl, case):
    """gru_cell(x, h, ...) equals torch.nn.GRUCell with the same weights (gate blocks r, z, n), float64 and
    float32; h = None means a zero state."""
    with torch.no_grad():
        want = torch_module(case, "gru", False)(torch.from_numpy(case["x"][0]), state(case, "h0")).numpy()
    assert_like_torch(call(impl, "gru_cell", case["x"][0], case["h0"], *case["params"]), want, "gru_cell(x, h, ...)")


@given(cases("lstm"))
def test_lstm_cell_matches_torch(impl, case):
    """lstm_cell(x, h, c, ...) returns (h', c') equal to torch.nn.LSTMCell with the same weights (gate blocks
    i, f, g, o), float64 and float32; None for h or c means zeros."""
    with torch.no_grad():
        h, c = torch_module(case, "lstm", False)(torch.from_numpy(case["x"][0]), (state(case, "h0"),
                                                                                  state(case, "c0")))
    result = call(impl, "lstm_cell", case["x"][0], case["h0"], case["c0"], *case["params"])
    expect(isinstance(result, tuple) and len(result) == 2, "lstm_cell should return the pair (h', c')")
    assert_like_torch(result[0], h.numpy(), "h' from lstm_cell")
    assert_like_torch(result[1], c.numpy(), "c' (the new memory) from lstm_cell")


@given(cases("gru"))
def test_gru_sequence_matches_torch(impl, case):
    """gru_forward(x, h0, ...) returns (outputs (T, N, H), h_T) equal to torch.nn.GRU's (output, h_n) with the
    same weights."""
    with torch.no_grad():
        out, h_n = torch_module(case, "gru", True)(torch.from_numpy(case["x"]), state(case, "h0")[None])
    result = call(impl, "gru_forward", case["x"], case["h0"], *case["params"])
    expect(isinstance(result, tuple) and len(result) == 2, "gru_forward should return (outputs, h_T)")
    assert_like_torch(result[0], out.numpy(), "outputs of gru_forward")
    assert_like_torch(result[1], h_n[0].numpy(), "h_T from gru_forward")


@given(cases("lstm"))
def test_lstm_sequence_matches_torch(impl, case):
    """lstm_forward(x, h0, c0, ...) returns (outputs, (h_T, c_T)) equal to torch.nn.LSTM's
    (output, (h_n, c_n)) with the same weights."""
    with torch.no_grad():
        out, (h_n, c_n) = torch_module(case, "lstm", True)(
            torch.from_numpy(case["x"]), (state(case, "h0")[None], state(case, "c0")[None]))
    result = call(impl, "lstm_forward", case["x"], case["h0"], case["c0"], *case["params"])
    expect(isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], tuple | list)
           and len(result[1]) == 2, "lstm_forward should return (outputs, (h_T, c_T))")
    assert_like_torch(result[0], out.numpy(), "outputs of lstm_forward")
    assert_like_torch(result[1][0], h_n[0].numpy(), "h_T from lstm_forward")
    assert_like_torch(result[1][1], c_n[0].numpy(), "c_T from lstm_forward")


def sigmoid(a: float) -> float:
    return 1.0 / (1.0 + np.exp(-a))


def test_lstm_gate_order_is_i_f_g_o(impl):
    """With zero weights the gates are set by the biases alone. Biases (0.3, 2, -0.7, -1.1) for the blocks
    (i, f, g, o) give c' = sigmoid(2) c + sigmoid(0.3) tanh(-0.7) and h' = sigmoid(-1.1) tanh(c'): a swapped
    block (i, f, o, g is a common slip) gives other numbers."""
    h_size = 2
    bias_ih = np.repeat([0.3, 2.0, -0.7, -1.1], h_size)
    params = [np.zeros((4 * h_size, 3)), np.zeros((4 * h_size, h_size)), bias_ih, np.zeros(4 * h_size)]
    c = np.array([[1.0, -0.5]])
    c_new = sigmoid(2.0) * c + sigmoid(0.3) * np.tanh(-0.7)
    h_new, c_got = impl.lstm_cell(np.ones((1, 3)), np.ones((1, h_size)), c, *params)
    assert_close(c_got, c_new, what="c' with gates set by the biases")
    assert_close(h_new, sigmoid(-1.1) * np.tanh(c_new), what="h' with gates set by the biases")


def test_gru_reset_gate_multiplies_the_recurrent_bias(impl):
    """torch's GRU applies the reset gate to (W_hn h + b_hn), bias included: with zero weights, b_hr = -1 (so
    r = sigmoid(-1)), b_hn = 2, b_in = 0.5 and b_hz = 0.4, the candidate is n = tanh(0.5 + r * 2) and
    h' = (1 - z) n + z h with z = sigmoid(0.4). Putting r on h before the product, or adding b_hn outside r,
    gives other numbers."""
    h_size = 1
    bias_ih = np.array([0.0, 0.0, 0.5])
    bias_hh = np.array([-1.0, 0.4, 2.0])
    params = [np.zeros((3, 2)), np.zeros((3, h_size)), bias_ih, bias_hh]
    h = np.array([[0.3], [-0.8]])
    r, z = sigmoid(-1.0), sigmoid(0.4)
    n = np.tanh(0.5 + r * 2.0)
    assert_close(impl.gru_cell(np.ones((2, 2)), h, *params), (1 - z) * n + z * h, what="h' of the GRU")


def test_forget_gate_keeps_the_memory(impl):
    """The additive memory path: with zero weights, forget bias 5 and candidate bias 0 (g = 0), the memory
    after T = 50 steps is exactly sigmoid(5)^50 c0 (about 0.71 c0): the cell forgets only as fast as its
    forget gate says, which is what lets gradients survive long sequences."""
    h_size, steps = 3, 50
    bias_ih = np.concatenate([np.zeros(h_size), np.full(h_size, 5.0), np.zeros(h_size), np.zeros(h_size)])
    params = [np.zeros((4 * h_size, 2)), np.zeros((4 * h_size, h_size)), bias_ih, np.zeros(4 * h_size)]
    c0 = np.array([[1.0, -2.0, 0.5]])
    rng = np.random.default_rng(0)
    outputs, (h_last, c_last) = impl.lstm_forward(rng.standard_normal((steps, 1, 2)), None, c0, *params)
    assert_close(c_last, sigmoid(5.0) ** steps * c0, rtol=1e-9, what="c_T after 50 steps with the forget gate open")
    assert_close(h_last, 0.5 * np.tanh(c_last), rtol=1e-9, what="h_T = sigmoid(0) tanh(c_T)")
    expect(np.shape(outputs) == (steps, 1, h_size), f"outputs should have shape (50, 1, 3), got {np.shape(outputs)}")


def test_bad_shapes_raise_value_error(impl):
    """Shapes that do not fit raise ValueError: stacked weights whose row count is not 3H (GRU) or 4H (LSTM),
    x whose width disagrees with weight_ih, a state of the wrong size, an empty sequence."""
    rng = np.random.default_rng(1)
    x, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    gru = [rng.standard_normal((12, 3)), rng.standard_normal((12, 4)), np.zeros(12), np.zeros(12)]
    lstm = [rng.standard_normal((16, 3)), rng.standard_normal((16, 4)), np.zeros(16), np.zeros(16)]
    assert_raises_value_error(impl.gru_cell, x, h, *lstm, why="LSTM-sized weights (16 rows) are not 3H = 12 rows")
    assert_raises_value_error(impl.lstm_cell, x, h, h, *gru, why="GRU-sized weights (12 rows) are not 4H = 16 rows")
    assert_raises_value_error(impl.gru_cell, rng.standard_normal((2, 5)), h, *gru,
                              why="x has 5 features but weight_ih has 3 columns")
    assert_raises_value_error(impl.lstm_cell, x, h, h[:, :2], *lstm, why="c must have shape (N, H) = (2, 4)")
    assert_raises_value_error(impl.gru_forward, np.zeros((0, 2, 3)), h, *gru, why="the sequence is empty")
    assert_raises_value_error(impl.lstm_forward, x, h, h, *lstm, why="a sequence needs x of shape (T, N, D)")


def test_does_not_import_torch(impl):
    """Your module builds the cells itself, with numpy: it does not import torch."""
    assert_not_imported(impl, "torch")
