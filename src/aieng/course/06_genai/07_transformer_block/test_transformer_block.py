"""Checks for `transformer-block`, against torch.nn.TransformerEncoderLayer(norm_first=True) with copied weights.

torch's pre-LN encoder layer computes x + self_attn(norm1(x)) then x + linear2(dropout(gelu(linear1(norm2(x))))),
which is the block of the lesson. The checks build one with dim_feedforward = 4 d, activation="gelu",
dropout=0, batch_first=True, random weights (LayerNorm scales and shifts too), copy them into yours by name
(norm1 -> ln_1, self_attn -> attn.{q,k,v,out}_proj, norm2 -> ln_2, linear1 -> mlp.fc, linear2 -> mlp.proj)
and compare outputs and gradients in float64 to 1e-10 relative (the course's torch tolerance: only the order
of the arithmetic differs). While your code runs, torch's ready-made transformer layers and attention
functions are switched off.
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
              + present("torch.nn", ["MultiheadAttention", "TransformerEncoderLayer", "TransformerDecoderLayer",
                                     "TransformerEncoder", "Transformer"]))


def as_numpy(value: object) -> np.ndarray:
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def check(got: object, want: torch.Tensor, what: str) -> None:
    """Compare with the dtype's tolerance, relative to the largest entry of torch's answer."""
    expect(isinstance(got, torch.Tensor), f"{what} should be a torch.Tensor, got {type(got).__name__}")
    want_np = as_numpy(want)
    rtol = RTOL[want_np.dtype]
    scale = float(np.max(np.abs(want_np))) if want_np.size else 0.0
    assert_close(as_numpy(got), want_np, rtol=rtol, atol=ATOL[want_np.dtype] + rtol * scale, what=what)


def linear_named(module: torch.nn.Module, path: str, shape: tuple[int, int]) -> torch.nn.Module:
    """The sub-module at `path` ("mlp.fc"), required to be an nn.Linear with weight of `shape`."""
    layer = module
    for part in path.split("."):
        layer = getattr(layer, part, None)
    expect(isinstance(layer, torch.nn.Linear) and tuple(layer.weight.shape) == shape,
           f"TransformerBlock should have {path} = nn.Linear({shape[1]}, {shape[0]}) (with bias)")
    return layer


def pair(impl, d: int, h: int, seed: int, dtype: torch.dtype = torch.float64):
    """torch's pre-LN TransformerEncoderLayer with random weights, and your TransformerBlock holding a copy."""
    torch.manual_seed(seed)
    oracle = torch.nn.TransformerEncoderLayer(d, h, dim_feedforward=4 * d, dropout=0.0, activation="gelu",
                                              batch_first=True, norm_first=True, dtype=dtype)
    with torch.no_grad():
        for name, p in oracle.named_parameters():
            if "bias" in name or "norm" in name:
                p.copy_(torch.randn_like(p) * 0.5 + (1.0 if name.startswith("norm") and "weight" in name else 0.0))
    with forbid(impl, *READY_MADE):
        mine = impl.TransformerBlock(d, h).to(dtype)
    for name in ("ln_1", "ln_2"):
        norm = getattr(mine, name, None)
        expect(isinstance(norm, torch.nn.LayerNorm), f"TransformerBlock should have {name} = nn.LayerNorm({d})")
    pairs = [("norm1", "ln_1"), ("norm2", "ln_2"), ("self_attn.out_proj", "attn.out_proj"),
             ("linear1", "mlp.fc"), ("linear2", "mlp.proj")]
    with torch.no_grad():
        for theirs, ours in pairs:
            source = oracle.get_submodule(theirs)
            target = mine.get_submodule(ours) if ours.startswith("ln") else linear_named(mine, ours,
                                                                                        tuple(source.weight.shape))
            target.weight.copy_(source.weight)
            target.bias.copy_(source.bias)
        for i, name in enumerate(("q_proj", "k_proj", "v_proj")):
            layer = linear_named(mine, f"attn.{name}", (d, d))
            layer.weight.copy_(oracle.self_attn.in_proj_weight[i * d:(i + 1) * d])
            layer.bias.copy_(oracle.self_attn.in_proj_bias[i * d:(i + 1) * d])
    return oracle, mine


def run(impl, module, *args, **kwargs):
    with forbid(impl, *READY_MADE):
        return module(*args, **kwargs)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    h = draw(st.integers(1, 4))
    d = h * draw(st.integers(1, 4))
    b, t = draw(st.integers(1, 3)), draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    return {"d": d, "h": h, "seed": seed, "x": torch.tensor(rng.standard_normal((b, t, d)) * 2.0),
            "lengths": rng.integers(1, t + 1, size=b)}


@given(cases())
@settings(max_examples=20)
def test_block_matches_torch_encoder_layer(impl, case):
    """Without a mask, your block's output equals torch's pre-LN TransformerEncoderLayer (GELU, 4d hidden)."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    check(run(impl, mine, case["x"]), oracle(case["x"]), "block(x)")


@given(cases())
@settings(max_examples=20)
def test_causal_block_matches_torch(impl, case):
    """causal=True equals torch's layer with a causal src_mask: the decoder block of a GPT."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x = case["x"]
    blocked = torch.ones(x.shape[1], x.shape[1], dtype=torch.bool).triu(1)
    check(run(impl, mine, x, causal=True), oracle(x, src_mask=blocked), "causal block(x)")


@given(cases())
@settings(max_examples=20)
def test_padding_matches_torch(impl, case):
    """key_padding_mask (True at padding) equals torch's src_key_padding_mask: padded positions are never read.
    (Compared at the real positions; what a padded position outputs does not matter.)"""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x, lengths = case["x"], case["lengths"]
    pad = torch.tensor(np.arange(x.shape[1])[None, :] >= lengths[:, None])
    want, got = oracle(x, src_key_padding_mask=pad), run(impl, mine, x, key_padding_mask=pad)
    expect(isinstance(got, torch.Tensor) and got.shape == want.shape, f"output shape should be {tuple(want.shape)}")
    check(got[~pad], want[~pad], "block(x) at the real positions")


@given(cases())
@settings(max_examples=10)
def test_gradients_match_torch(impl, case):
    """Gradients of sum(block(x) * G) with respect to x and to every parameter equal torch's (causal, float64):
    the residual paths, both LayerNorms, the MLP and the attention all backpropagate the same way."""
    oracle, mine = pair(impl, case["d"], case["h"], case["seed"])
    x, d = case["x"], case["d"]
    seed = torch.tensor(np.random.default_rng(1).standard_normal(x.shape))
    blocked = torch.ones(x.shape[1], x.shape[1], dtype=torch.bool).triu(1)
    x1, x2 = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    (oracle(x1, src_mask=blocked) * seed).sum().backward()
    with forbid(impl, *READY_MADE):
        (mine(x2, causal=True) * seed).sum().backward()
    check(x2.grad, x1.grad, "dL/dx")
    for theirs, ours in [("norm1.weight", "ln_1.weight"), ("norm2.bias", "ln_2.bias"),
                         ("linear1.weight", "mlp.fc.weight"), ("linear2.bias", "mlp.proj.bias"),
                         ("self_attn.out_proj.weight", "attn.out_proj.weight")]:
        check(mine.get_parameter(ours).grad, oracle.get_parameter(theirs).grad, f"dL/d {ours}")
    check(mine.attn.v_proj.weight.grad, oracle.self_attn.in_proj_weight.grad[2 * d:], "dL/d attn.v_proj.weight")


def test_float32_matches_torch(impl):
    """In float32 the block agrees with torch to 1e-5 relative."""
    oracle, mine = pair(impl, 8, 2, 4, dtype=torch.float32)
    x = torch.randn(2, 5, 8, generator=torch.Generator().manual_seed(0))
    check(run(impl, mine, x, causal=True), oracle(x, src_mask=torch.ones(5, 5, dtype=torch.bool).triu(1)),
          "float32 block(x)")


@given(st.integers(1, 6), st.integers(0, 2**31 - 1))
@settings(max_examples=15)
def test_mlp_matches_a_torch_sequential(impl, d, seed):
    """MLP(d) is Linear(d, 4d) -> GELU (exact, erf form) -> Linear(4d, d): equal to torch.nn.Sequential of
    those layers holding the same weights."""
    torch.manual_seed(seed)
    oracle = torch.nn.Sequential(torch.nn.Linear(d, 4 * d), torch.nn.GELU(), torch.nn.Linear(4 * d, d)).double()
    mine = run(impl, impl.MLP, d).double()
    with torch.no_grad():
        linear_named(mine, "fc", (4 * d, d)).weight.copy_(oracle[0].weight)
        mine.fc.bias.copy_(oracle[0].bias)
        linear_named(mine, "proj", (d, 4 * d)).weight.copy_(oracle[2].weight)
        mine.proj.bias.copy_(oracle[2].bias)
    x = torch.tensor(np.random.default_rng(seed).standard_normal((3, d)) * 3)
    check(run(impl, mine, x), oracle(x), "MLP(x)")


def test_parameter_count(impl):
    """A block of width d has 12 d^2 + 13 d parameters: attention 4 d^2 + 4 d, MLP 8 d^2 + 5 d, two LayerNorms 4 d."""
    for d, h in [(8, 2), (12, 3), (16, 4)]:
        block = run(impl, impl.TransformerBlock, d, h)
        count = sum(p.numel() for p in block.parameters())
        expect(count == 12 * d * d + 13 * d, f"TransformerBlock({d}, {h}) has {count} parameters, "
               f"expected 12 d^2 + 13 d = {12 * d * d + 13 * d}")


def test_rejects_bad_input(impl):
    """ValueError for an input that is not (B, T, d), and for a width the heads cannot share."""
    block = run(impl, impl.TransformerBlock, 8, 2)
    assert_raises_value_error(block, torch.zeros(5, 8), why="the block expects (B, T, d)")
    with forbid(impl, *READY_MADE):
        assert_raises_value_error(impl.TransformerBlock, 10, 4, why="10 is not a multiple of 4 heads")
