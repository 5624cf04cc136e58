"""Checks for `multi-head-attention`, against torch.nn.MultiheadAttention(batch_first=True) with copied weights.

torch keeps the three input projections in one matrix, in_proj_weight of shape (3d, d): rows 0..d-1 are
W_q, d..2d-1 W_k, 2d..3d-1 W_v (same for in_proj_bias); out_proj is an nn.Linear like yours. The checks build
a torch module with random weights and biases (seeded), copy them into yours, and compare outputs, the
attention weights (averaged over heads, and per head) and gradients, in float64 to 1e-10 relative. While
your code runs, torch's attention (nn.MultiheadAttention, F.multi_head_attention_forward,
F.scaled_dot_product_attention) is switched off.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid, present
from aieng.grader.torch_oracle import ATOL, RTOL

READY_MADE = (present("torch.nn.functional", ["scaled_dot_product_attention", "multi_head_attention_forward"])
              + present("torch.nn", ["MultiheadAttention"]))


def as_numpy(value: object) -> np.ndarray:
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def check(got: object, want: torch.Tensor, what: str) -> None:
    """Compare with the dtype's tolerance, relative to the largest entry of torch's answer."""
    expect(isinstance(got, torch.Tensor), f"{what} should be a torch.Tensor, got {type(got).__name__}")
    want_np = as_numpy(want)
    rtol = RTOL[want_np.dtype]
    scale = float(np.max(np.abs(want_np))) if want_np.size else 0.0
    assert_close(as_numpy(got), want_np, rtol=rtol, atol=ATOL[want_np.dtype] + rtol * scale, what=what)


def pair(impl, d: int, h: int, seed: int, dtype: torch.dtype = torch.float64):
    """torch's MultiheadAttention with random weights and biases, and yours holding a copy of them."""
    torch.manual_seed(seed)
    oracle = torch.nn.MultiheadAttention(d, h, batch_first=True, dtype=dtype)
    with torch.no_grad():
        oracle.in_proj_bias.normal_()
        oracle.out_proj.bias.normal_()
    with forbid(impl, *READY_MADE):
        mine = impl.MultiHeadAttention(d, h).to(dtype)
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        layer = getattr(mine, name, None)
        expect(isinstance(layer, torch.nn.Linear) and tuple(layer.weight.shape) == (d, d),
               f"MultiHeadAttention should have an attribute {name} = nn.Linear({d}, {d})")
    with torch.no_grad():
        for i, name in enumerate(("q_proj", "k_proj", "v_proj")):
            getattr(mine, name).weight.copy_(oracle.in_proj_weight[i * d:(i + 1) * d])
            getattr(mine, name).bias.copy_(oracle.in_proj_bias[i * d:(i + 1) * d])
        mine.out_proj.weight.copy_(oracle.out_proj.weight)
        mine.out_proj.bias.copy_(oracle.out_proj.bias)
    return oracle, mine


def run(impl, mine, *args, **kwargs):
    """Your module's forward with torch's attention switched off; returns (out, weights)."""
    with forbid(impl, *READY_MADE):
        result = mine(*args, **kwargs)
    expect(isinstance(result, tuple) and len(result) == 2, "forward should return a pair (output, weights)")
    return result


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """d = heads * head size; a batch of queries (B, L, d) and keys/values (B, S, d); a padding mask that keeps
    at least one key of every sequence."""
    h = draw(st.integers(1, 4))
    d = h * draw(st.integers(1, 4))
    b, n_q, n_k = draw(st.integers(1, 3)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, n_k + 1, size=b)
    return {"d": d, "h": h, "seed": seed, "x": torch.tensor(rng.standard_normal((b, n_q, d))),
            "kv": torch.tensor(rng.standard_normal((b, n_k, d))),
            "pad": torch.tensor(np.arange(n_k)[None, :] >= lengths[:, None])}


@given(cases())
@settings(max_examples=20)
def test_self_attention_matches_torch(impl, case):
    """Self-attention (query = key = value = x) gives torch's output and torch's head-averaged weights."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x = case["x"]
    want, want_w = oracle(x, x, x, need_weights=True)
    got, got_w = run(impl, mine, x, need_weights=True)
    check(got, want, "output")
    check(got_w, want_w, "attention weights averaged over heads")


@given(cases())
@settings(max_examples=20)
def test_cross_attention_with_padding_matches_torch(impl, case):
    """Queries attending to another sequence (S keys, S != L allowed) with key_padding_mask (True = padding,
    ignored) give torch's output, and per-head weights with average_weights=False."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x, kv, pad = case["x"], case["kv"], case["pad"]
    want, want_w = oracle(x, kv, kv, key_padding_mask=pad, need_weights=True, average_attn_weights=False)
    got, got_w = run(impl, mine, x, kv, kv, key_padding_mask=pad, need_weights=True, average_weights=False)
    check(got, want, "output with padding")
    check(got_w, want_w, "per-head attention weights (B, H, L, S)")


@given(cases())
@settings(max_examples=20)
def test_causal_self_attention_matches_torch(impl, case):
    """causal=True equals torch with attn_mask = the upper triangle above the diagonal (True = blocked in
    nn.MultiheadAttention's convention): position t never attends to a later position."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x = case["x"]
    n = x.shape[1]
    blocked = torch.ones(n, n, dtype=torch.bool).triu(1)
    want, want_w = oracle(x, x, x, attn_mask=blocked, need_weights=True)
    got, got_w = run(impl, mine, x, causal=True, need_weights=True)
    check(got, want, "causal output")
    check(got_w, want_w, "causal attention weights")


@given(cases())
@settings(max_examples=10)
def test_gradients_match_torch(impl, case):
    """Gradients of sum(output * G) with respect to the input and to every projection weight equal torch's
    (float64, causal): with the same weights, your heads split and merge exactly like torch's."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x = case["x"]
    n, d = x.shape[1], case["d"]
    seed = torch.tensor(np.random.default_rng(1).standard_normal(x.shape))
    x1, x2 = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    blocked = torch.ones(n, n, dtype=torch.bool).triu(1)
    (oracle(x1, x1, x1, attn_mask=blocked, need_weights=False)[0] * seed).sum().backward()
    with forbid(impl, *READY_MADE):
        (mine(x2, causal=True)[0] * seed).sum().backward()
    check(x2.grad, x1.grad, "dL/dx")
    for i, name in enumerate(("q_proj", "k_proj", "v_proj")):
        check(getattr(mine, name).weight.grad, oracle.in_proj_weight.grad[i * d:(i + 1) * d], f"dL/d {name}.weight")
    check(mine.out_proj.weight.grad, oracle.out_proj.weight.grad, "dL/d out_proj.weight")


def test_float32_matches_torch(impl):
    """In float32 (a module converted with .float()) the output agrees with torch to 1e-5 relative."""
    oracle, mine = pair(impl, 8, 2, 3, dtype=torch.float32)
    x = torch.randn(2, 5, 8, generator=torch.Generator().manual_seed(0))
    check(run(impl, mine, x)[0], oracle(x, x, x)[0], "float32 output")


def test_weights_none_unless_asked(impl):
    """By default (need_weights=False) the second element of the pair is None, as in torch."""
    _, mine = pair(impl, 4, 2, 0)
    out, weights = run(impl, mine, torch.zeros(1, 3, 4, dtype=torch.float64))
    expect(weights is None, f"weights should be None when need_weights=False, got {type(weights).__name__}")
    expect(tuple(out.shape) == (1, 3, 4), f"output shape should be (1, 3, 4), got {tuple(out.shape)}")


def test_heads_are_independent_slices(impl):
    """Heads split the features into num_heads contiguous slices: zeroing the query and key weights of head 0
    makes head 0 attend uniformly (weights 1/S), leaving the other heads as they were."""
    _, mine = pair(impl, 6, 3, 5)
    x = torch.tensor(np.random.default_rng(2).standard_normal((1, 4, 6)))
    before = run(impl, mine, x, need_weights=True, average_weights=False)[1]
    with torch.no_grad():
        mine.q_proj.weight[:2] = 0
        mine.q_proj.bias[:2] = 0
    after = run(impl, mine, x, need_weights=True, average_weights=False)[1]
    check(after[:, 0], torch.full((1, 4, 4), 0.25, dtype=torch.float64), "weights of head 0")
    check(after[:, 1:], before[:, 1:], "weights of heads 1 and 2")


def test_rejects_bad_configuration(impl):
    """ValueError when embed_dim is not a multiple of num_heads (the heads could not share it evenly)."""
    with forbid(impl, *READY_MADE):
        assert_raises_value_error(impl.MultiHeadAttention, 10, 3, why="10 features cannot split into 3 heads")
        assert_raises_value_error(impl.MultiHeadAttention, 8, 0, why="there must be at least one head")

