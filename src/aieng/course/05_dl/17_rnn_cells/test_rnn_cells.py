"""Checks for `rnn-cells`, against torch.nn.RNNCell / torch.nn.RNN with your weights copied in, and against
torch.autograd through them for the gradients.

Tolerances: float64 to 1e-10 and float32 to 1e-5, relative to the largest entry of torch's answer (numpy and
torch add products in different orders; an entry that is a sum of cancelling terms can only be accurate
relative to the size of the terms). While your code runs, torch's own RNN functions are switched off.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error
from aieng.grader.guards import assert_not_imported, forbid
from aieng.grader.torch_oracle import ATOL, RTOL

READY_MADE = ("torch.rnn_tanh_cell", "torch.rnn_tanh", "torch.rnn_relu_cell", "torch.nn.RNNCell", "torch.nn.RNN")
GRAD_NAMES = ("dL/dx", "dL/dh", "dL/dweight_ih", "dL/dweight_hh", "dL/dbias_ih", "dL/dbias_hh")
TORCH_DTYPE = {np.dtype(np.float64): torch.float64, np.dtype(np.float32): torch.float32}


def call(impl, name: str, *args: Any) -> Any:
    """impl.name(*args) with torch's RNN functions switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args)


def assert_like_torch(got: object, want: np.ndarray, what: str) -> None:
    """Within the dtype's tolerance of torch, relative to the largest entry of torch's answer."""
    rtol = RTOL[want.dtype]
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    assert_close(got, want, rtol=rtol, atol=ATOL[want.dtype] + rtol * scale, what=what)


@st.composite
def rnn_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A random RNN problem: sequence length, batch, input and hidden widths, dtype, weights and an upstream
    gradient; h0 is None (zeros) now and then."""
    t, n, d, h = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    dtype = np.dtype(draw(st.sampled_from([np.float64, np.float32])))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.5, 1.0, 2.0])) / np.sqrt(h)  # small and large recurrent weights

    def normal(*shape: int, s: float = 1.0) -> np.ndarray:
        return (s * rng.standard_normal(shape)).astype(dtype)

    return {"x": normal(t, n, d), "h0": normal(n, h) if draw(st.booleans()) else None,
            "params": [normal(h, d, s=scale), normal(h, h, s=scale), normal(h, s=scale), normal(h, s=scale)],
            "grad": normal(t, n, h), "dtype": dtype}


def torch_module(case: dict[str, Any], sequence: bool) -> tuple[torch.nn.Module, list[torch.nn.Parameter]]:
    """torch.nn.RNN (sequence) or torch.nn.RNNCell with the case's weights copied in, and those parameters."""
    w_ih, w_hh, _, _ = case["params"]
    kind = torch.nn.RNN if sequence else torch.nn.RNNCell
    module = kind(w_ih.shape[1], w_hh.shape[0], dtype=TORCH_DTYPE[case["dtype"]])
    suffix = "_l0" if sequence else ""
    params = [getattr(module, name + suffix) for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    with torch.no_grad():
        for param, value in zip(params, case["params"], strict=True):
            param.copy_(torch.from_numpy(value))
    return module, params


def torch_answer(case: dict[str, Any], sequence: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    """torch's output (all states for a sequence, h' for a cell) and the gradients of sum(grad * output) for
    x, h0, weight_ih, weight_hh, bias_ih, bias_hh."""
    module, params = torch_module(case, sequence)
    x = torch.tensor(case["x"] if sequence else case["x"][0], requires_grad=True)
    h = torch.tensor(zeros_if_none(case), requires_grad=True)
    out = module(x, h[None])[0] if sequence else module(x, h)
    grad = torch.from_numpy(case["grad"] if sequence else case["grad"][0])
    grads = torch.autograd.grad(out, [x, h, *params], grad_outputs=grad)
    return out.detach().numpy(), [g.numpy() for g in grads]


def zeros_if_none(case: dict[str, Any]) -> np.ndarray:
    n, h = case["x"].shape[1], case["params"][1].shape[0]
    return np.zeros((n, h), dtype=case["dtype"]) if case["h0"] is None else case["h0"]


@given(rnn_cases())
def test_cell_matches_torch_rnncell(impl, case):
    """rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh) equals torch.nn.RNNCell with the same four tensors copied in,
    on random batch sizes and widths, float64 and float32 (h = None means a zero state, as in torch)."""
    cell, _ = torch_module(case, sequence=False)
    with torch.no_grad():
        h = None if case["h0"] is None else torch.from_numpy(case["h0"])
        want = cell(torch.from_numpy(case["x"][0]), h).numpy()
    assert_like_torch(call(impl, "rnn_cell", case["x"][0], case["h0"], *case["params"]), want, "rnn_cell(x, h, ...)")


@given(rnn_cases())
def test_cell_backward_matches_autograd(impl, case):
    """rnn_cell_backward returns the gradients of sum(grad * h') for x, h, both weights and both biases, as
    torch.autograd computes them through torch.nn.RNNCell."""
    _, want = torch_answer(case, sequence=False)
    got = call(impl, "rnn_cell_backward", case["x"][0], zeros_if_none(case), *case["params"], case["grad"][0])
    assert len(got) == 6, f"rnn_cell_backward should return 6 gradients ({', '.join(GRAD_NAMES)}), got {len(got)}"
    for g, w, name in zip(got, want, GRAD_NAMES, strict=True):
        assert_like_torch(g, w, name)


@given(rnn_cases())
def test_sequence_matches_torch_rnn(impl, case):
    """rnn_forward(x, h0, ...) returns every hidden state (T, N, H) and the last one (N, H), equal to
    torch.nn.RNN's (output, h_n) with the same weights, float64 and float32."""
    want, _ = torch_answer(case, sequence=True)
    result = call(impl, "rnn_forward", case["x"], case["h0"], *case["params"])
    assert isinstance(result, tuple) and len(result) == 2, "rnn_forward should return (outputs, h_T)"
    outputs, last = result
    assert_like_torch(outputs, want, "outputs of rnn_forward")
    assert_like_torch(last, want[-1], "h_T, the last state from rnn_forward")


@given(rnn_cases())
def test_bptt_matches_autograd(impl, case):
    """rnn_backward (backpropagation through time) gives the gradients of sum(grad * outputs) for the whole
    sequence x, the initial state h0, both weights and both biases, equal to torch.autograd through
    torch.nn.RNN: the weights' gradients are sums over all time steps."""
    _, want = torch_answer(case, sequence=True)
    got = call(impl, "rnn_backward", case["x"], case["h0"], *case["params"], case["grad"])
    assert len(got) == 6, "rnn_backward should return 6 gradients (x, h0, weight_ih, weight_hh, bias_ih, bias_hh)"
    for g, w, name in zip(got, want, ("dL/dx", "dL/dh0", *GRAD_NAMES[2:]), strict=True):
        assert_like_torch(g, w, name)


def test_loss_on_the_last_state_only(impl):
    """A loss on h_T alone (grad zero except at the last step) still reaches the first input through the
    carried gradient: the hand example of the lesson, h1 = tanh(1), h2 = tanh(0.5 h1), L = h2."""
    x = np.array([[[1.0]], [[0.0]]])
    params = [np.array([[1.0]]), np.array([[0.5]]), np.zeros(1), np.zeros(1)]
    grad = np.array([[[0.0]], [[1.0]]])
    h1 = np.tanh(1.0)
    h2 = np.tanh(0.5 * h1)
    delta2 = 1 - h2**2
    delta1 = 0.5 * delta2 * (1 - h1**2)
    outputs, last = call(impl, "rnn_forward", x, None, *params)
    assert_close(outputs.ravel(), [h1, h2], what="hidden states of the hand example")
    assert_close(last, [[h2]], what="h_T of the hand example")
    got = call(impl, "rnn_backward", x, None, *params, grad)
    want = [np.array([[[delta1]], [[delta2]]]), [[0.5 * delta1]], [[delta1]], [[delta2 * h1]], [delta1 + delta2],
            [delta1 + delta2]]
    for g, w, name in zip(got, want, ("dL/dx", "dL/dh0", *GRAD_NAMES[2:]), strict=True):
        assert_close(g, np.asarray(w, dtype=float), what=name)


def test_bad_shapes_raise_value_error(impl):
    """Shapes that do not fit together raise ValueError: x of the wrong rank, weights whose widths disagree
    with x or with each other, a state of the wrong size, and an empty sequence (T = 0, torch refuses it)."""
    rng = np.random.default_rng(0)
    x, h = rng.standard_normal((3, 2)), rng.standard_normal((3, 4))
    params = [rng.standard_normal((4, 2)), rng.standard_normal((4, 4)), np.zeros(4), np.zeros(4)]
    assert_raises_value_error(impl.rnn_cell, x[0], h, *params, why="a single step needs x of shape (N, D)")
    assert_raises_value_error(impl.rnn_cell, rng.standard_normal((3, 5)), h, *params,
                              why="weight_ih has 2 columns but x has 5 features")
    assert_raises_value_error(impl.rnn_cell, x, h, params[0], rng.standard_normal((4, 3)), *params[2:],
                              why="weight_hh must be (H, H)")
    assert_raises_value_error(impl.rnn_cell, x, h[:, :3], *params, why="h must have shape (N, H) = (3, 4)")
    assert_raises_value_error(impl.rnn_cell, x, h, *params[:2], np.zeros(3), params[3], why="bias_ih must be (H,)")
    assert_raises_value_error(impl.rnn_forward, x, h, *params, why="a sequence needs x of shape (T, N, D)")
    assert_raises_value_error(impl.rnn_forward, np.zeros((0, 3, 2)), h, *params, why="the sequence is empty")
    assert_raises_value_error(impl.rnn_backward, x[None], h, *params, np.zeros((2, 3, 4)),
                              why="grad must have the outputs' shape (1, 3, 4)")


def test_does_not_import_torch(impl):
    """Your module builds the RNN itself, with numpy: it does not import torch."""
    assert_not_imported(impl, "torch")
