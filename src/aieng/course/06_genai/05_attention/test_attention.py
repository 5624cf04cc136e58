"""Checks for `attention`, against torch.nn.functional.scaled_dot_product_attention.

Inputs: random queries, keys and values with 0 to 2 batch dimensions, 1 to 6 queries and keys, 1 to 8
features, drawn by hypothesis (seeded numpy underneath); masks are random boolean arrays, broadcast from
(L, S) or (B, 1, L, S), and sometimes hide every key of a row. Tolerances: float64 to 1e-10 and float32 to
1e-5 relative (plus a tiny absolute term), the course's torch-oracle tolerances: the two computations
multiply and add in a different order, so only round-off may differ. While your code runs, torch's own
attention functions are switched off.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.torch_oracle import ATOL, RTOL

READY_MADE = (present("torch.nn.functional", ["scaled_dot_product_attention", "multi_head_attention_forward"])
              + present("torch", ["_scaled_dot_product_attention_math"]))


def call(impl, name, *args, **kwargs):
    """impl.name(*args, **kwargs) with torch's attention functions switched off."""
    with forbid(impl, *READY_MADE):
        return getattr(impl, name)(*args, **kwargs)


def as_numpy(value: object) -> np.ndarray:
    """A tensor (or anything array-like) as a numpy array, detached from autograd."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def check(got: object, want: torch.Tensor, what: str) -> None:
    """Compare with the dtype's tolerance, relative to the largest entry of torch's answer."""
    want_np = as_numpy(want)
    expect(isinstance(got, torch.Tensor), f"{what} should be a torch.Tensor, got {type(got).__name__}")
    expect(got.dtype == want.dtype, f"{what} should keep the input dtype {want.dtype}, got {got.dtype}")
    rtol = RTOL[want_np.dtype]
    scale = float(np.max(np.abs(want_np))) if want_np.size else 0.0
    assert_close(as_numpy(got), want_np, rtol=rtol, atol=ATOL[want_np.dtype] + rtol * scale, what=what)


@st.composite
def problems(draw: st.DrawFn, dtype: torch.dtype = torch.float64, masked: bool = False) -> dict:
    """q (..., L, E), k (..., S, E), v (..., S, Ev), and optionally a boolean mask broadcastable to (..., L, S)."""
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    n_q, n_k, e, ev = (draw(st.integers(1, 6)) for _ in range(4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    make = lambda *shape: torch.tensor(rng.standard_normal(shape), dtype=dtype)  # noqa: E731
    case = {"q": make(*batch, n_q, e), "k": make(*batch, n_k, e), "v": make(*batch, n_k, ev)}
    if masked:
        full = draw(st.booleans()) and len(batch) > 0
        shape = (*batch[:-1], 1, n_q, n_k) if full else (n_q, n_k)
        case["mask"] = torch.tensor(rng.random(shape) < draw(st.sampled_from([0.3, 0.6, 0.9])))
    return case


@given(problems())
def test_matches_torch_without_a_mask(impl, case):
    """Without a mask, attention(q, k, v) equals torch's scaled_dot_product_attention in float64, for any batch
    shape and any numbers of queries (L) and keys (S)."""
    want = F.scaled_dot_product_attention(case["q"], case["k"], case["v"])
    check(call(impl, "scaled_dot_product_attention", case["q"], case["k"], case["v"]), want, "attention(q, k, v)")


@given(problems(dtype=torch.float32))
def test_matches_torch_in_float32(impl, case):
    """In float32 the output stays float32 and agrees with torch to 1e-5 relative."""
    want = F.scaled_dot_product_attention(case["q"], case["k"], case["v"])
    check(call(impl, "scaled_dot_product_attention", case["q"], case["k"], case["v"]), want, "attention(q, k, v)")


@given(problems())
def test_causal_attention_matches_torch(impl, case):
    """is_causal=True lets query i see keys 0..i only (aligned top-left, like torch, also when L != S)."""
    q, k, v = case["q"], case["k"], case["v"]
    want = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    check(call(impl, "scaled_dot_product_attention", q, k, v, is_causal=True), want, "causal attention")


@given(problems(masked=True))
def test_boolean_masks_match_torch(impl, case):
    """A boolean attn_mask (True = may attend), broadcast against the scores, gives torch's answer; a query
    whose keys are all masked gets an all-zero output, as in torch, never NaN."""
    q, k, v, mask = case["q"], case["k"], case["v"], case["mask"]
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    got = call(impl, "scaled_dot_product_attention", q, k, v, attn_mask=mask)
    expect(not bool(torch.isnan(got).any()), "the output holds NaN: a fully masked row must give zeros")
    check(got, want, "masked attention")


@given(problems(masked=True))
@settings(max_examples=25)
def test_gradients_match_torch(impl, case):
    """Gradients of sum(output * G) with respect to q, k and v equal torch's (float64, causal mask and a
    random mask together); keys hidden from a query receive no gradient from it."""
    rng = np.random.default_rng(0)
    q, k, v, mask = case["q"], case["k"], case["v"], case["mask"]
    seed = torch.tensor(rng.standard_normal((*q.shape[:-1], v.shape[-1])))

    def grads(fn):
        inputs = [t.clone().requires_grad_(True) for t in (q, k, v)]
        out = fn(*inputs)
        expect(isinstance(out, torch.Tensor) and out.requires_grad,
               "the output is not connected to q, k, v: use torch operations so that autograd can follow")
        return torch.autograd.grad((out * seed).sum(), inputs, allow_unused=True)

    both = mask & torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()  # torch takes one or the other
    want = grads(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, attn_mask=both))
    with forbid(impl, *READY_MADE):
        got = grads(lambda a, b, c: impl.scaled_dot_product_attention(a, b, c, attn_mask=mask, is_causal=True))
    for name, g, w in zip(("dL/dq", "dL/dk", "dL/dv"), got, want, strict=True):
        check(torch.zeros_like(w) if g is None else g, w, name)


@given(problems(masked=True))
def test_returned_weights_are_the_masked_softmax(impl, case):
    """return_weights=True also returns the weights (..., L, S): softmax of q k^T / sqrt(E) over the visible
    keys (brute force in numpy), zero on hidden keys; each row sums to 1, or is all zero if nothing is visible."""
    q, k, v, mask = case["q"], case["k"], case["v"], case["mask"]
    result = call(impl, "scaled_dot_product_attention", q, k, v, attn_mask=mask, return_weights=True)
    expect(isinstance(result, tuple) and len(result) == 2, "return_weights=True should return (output, weights)")
    out, weights = result
    scores = as_numpy(q) @ np.swapaxes(as_numpy(k), -1, -2) / np.sqrt(q.shape[-1])
    visible = np.broadcast_to(as_numpy(mask), scores.shape)
    shifted = np.where(visible, scores - np.where(visible, scores, -np.inf).max(axis=-1, keepdims=True), 0.0)
    exp = np.where(visible, np.exp(shifted), 0.0)
    total = exp.sum(axis=-1, keepdims=True)
    expected = np.divide(exp, total, out=np.zeros_like(exp), where=total > 0)
    assert_close(as_numpy(weights), expected, rtol=1e-10, atol=1e-12, what="attention weights")
    check(out, F.scaled_dot_product_attention(q, k, v, attn_mask=mask), "output next to the weights")


@given(st.integers(0, 7), st.integers(0, 7))
def test_causal_mask_is_lower_triangular(impl, n_queries, n_keys):
    """causal_mask(L, S) is the boolean (L, S) matrix with True where key j <= query i (numpy.tril of ones)."""
    got = call(impl, "causal_mask", n_queries, n_keys)
    expect(isinstance(got, torch.Tensor) and got.dtype == torch.bool, "causal_mask should return a bool tensor")
    assert_close(as_numpy(got), np.tril(np.ones((n_queries, n_keys), dtype=bool)), what="causal_mask(L, S)")


@given(st.lists(st.integers(0, 6), min_size=1, max_size=5))
def test_padding_mask_marks_the_real_tokens(impl, lengths):
    """padding_mask(lengths, T) is True at the first lengths[b] positions of row b and False at the padding."""
    got = call(impl, "padding_mask", torch.tensor(lengths), 6)
    expect(isinstance(got, torch.Tensor) and got.dtype == torch.bool, "padding_mask should return a bool tensor")
    assert_close(as_numpy(got), np.array([[t < n for t in range(6)] for n in lengths]), what="padding_mask")


def test_padding_mask_hides_padded_keys(impl):
    """Attention with padding_mask(...)[:, None, None, :] as the mask ignores the padded keys: the output is
    what the unpadded sequences alone would give."""
    rng = np.random.default_rng(7)
    q, k, v = (torch.tensor(rng.standard_normal((2, 3, 4, 5))) for _ in range(3))
    mask = call(impl, "padding_mask", torch.tensor([4, 2]), 4)[:, None, None, :]
    got = call(impl, "scaled_dot_product_attention", q, k, v, attn_mask=mask)
    check(got[0], F.scaled_dot_product_attention(q[0], k[0], v[0]), "sequence 0 (no padding)")
    check(got[1], F.scaled_dot_product_attention(q[1], k[1, :, :2], v[1, :, :2]), "sequence 1 (2 real keys)")


def test_rejects_inconsistent_inputs(impl):
    """ValueError when queries and keys have different feature sizes, keys and values different lengths, a
    mask is not boolean, or padding lengths are out of range."""
    q, k, v = torch.zeros(2, 3), torch.zeros(4, 3), torch.zeros(4, 5)
    assert_raises_value_error(impl.scaled_dot_product_attention, q, torch.zeros(4, 2), v,
                              why="q and k must have the same feature size E")
    assert_raises_value_error(impl.scaled_dot_product_attention, q, k, torch.zeros(3, 5),
                              why="k and v must have the same number of positions S")
    assert_raises_value_error(impl.scaled_dot_product_attention, q, k, v, attn_mask=torch.zeros(2, 4),
                              why="the mask must be boolean")
    assert_raises_value_error(impl.padding_mask, torch.tensor([2, 9]), 4, why="a length exceeds max_len")
