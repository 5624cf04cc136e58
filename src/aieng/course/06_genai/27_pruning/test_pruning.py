"""Checks for `pruning`, against torch.nn.utils.prune on the same weights.

- masks: prune.l1_unstructured (per tensor), prune.global_unstructured with L1Unstructured (one threshold over
  several tensors) and prune.ln_structured (whole slices by their Ln norm), compared exactly;
- the count is exact: a fraction `amount` prunes round(amount * n) units (Python's round), an int prunes that
  many, as torch counts;
- ties: the weights are drawn from a seeded normal distribution and redrawn in the rare case two magnitudes
  (or two slice norms) coincide, so "the k smallest" is unambiguous;
- shrinking an MLP: the neurons kept are those ln_structured keeps, and the smaller MLP computes exactly
  (float64, 1e-12) what the original computes with the removed neurons' output weights set to zero;
- the sparsity curve: on a tiny GPT, each point equals the evaluation of a copy pruned by
  prune.global_unstructured; the Figure and the PNG file are inspected.
torch.nn.utils.prune is switched off while your code runs.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils import prune

from aieng.grader.assertions import assert_close, assert_raises_value_error, expect
from aieng.grader.guards import forbid_package
from aieng.lib.genai.gpt import GPT

torch.set_num_threads(1)

amounts = st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.125, 0.25, 0.5, 0.75]), st.integers(0, 6))


def call(impl, fn, *args, **kwargs):
    """fn(*args, **kwargs) with torch.nn.utils.prune switched off."""
    with forbid_package(impl, "torch.nn.utils.prune"):
        return fn(*args, **kwargs)


def holder(weight: torch.Tensor) -> nn.Module:
    """A module with one parameter called `weight`, for torch's pruning functions."""
    module = nn.Module()
    module.weight = nn.Parameter(weight.clone())
    return module


def random_weight(seed: int, shape: tuple[int, ...]) -> torch.Tensor:
    w = torch.from_numpy(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))
    assume(torch.unique(w.abs()).numel() == w.numel())  # no ties in magnitude
    return w


def count(amount, n: int) -> int:
    return amount if isinstance(amount, int) else round(amount * n)


def as_mask(got, shape, what: str) -> np.ndarray:
    expect(isinstance(got, torch.Tensor), f"{what} should be a tensor, got {type(got).__name__}")
    expect(tuple(got.shape) == tuple(shape), f"{what} has shape {tuple(got.shape)}, expected {tuple(shape)}")
    values = got.detach().double().numpy()
    expect(np.isin(values, (0.0, 1.0)).all(), f"{what} should hold only 0 (pruned) and 1 (kept)")
    return values


shapes = st.lists(st.integers(1, 7), min_size=1, max_size=3).map(tuple)


@given(st.integers(0, 2**32 - 1), shapes, amounts)
def test_magnitude_mask_matches_torch_l1_unstructured(impl, seed, shape, amount):
    """magnitude_mask(w, amount) zeroes the k smallest |w| (k = round(amount * n) for a fraction, amount itself
    for an int): the same mask as torch.nn.utils.prune.l1_unstructured, and exactly k zeros."""
    w = random_weight(seed, shape)
    assume(count(amount, w.numel()) <= w.numel())
    got = as_mask(call(impl, impl.magnitude_mask, w, amount), shape, "magnitude_mask")
    module = holder(w)
    prune.l1_unstructured(module, "weight", amount)
    k = count(amount, w.numel())
    expect(int((got == 0).sum()) == k, f"amount={amount} on {w.numel()} weights should prune exactly {k}, "
           f"pruned {int((got == 0).sum())}")
    assert_close(got, module.weight_mask.double().numpy(), what=f"magnitude_mask (amount={amount})")


@given(st.integers(0, 2**32 - 1), st.lists(shapes, min_size=1, max_size=4), amounts)
def test_global_masks_match_torch_global_unstructured(impl, seed, layer_shapes, amount):
    """global_magnitude_masks(weights, amount) shares one threshold: the k smallest |w| among all tensors go, as
    with torch.nn.utils.prune.global_unstructured(..., pruning_method=L1Unstructured)."""
    weights = [random_weight(seed + i, s) for i, s in enumerate(layer_shapes)]
    total = sum(w.numel() for w in weights)
    assume(torch.unique(torch.cat([w.abs().flatten() for w in weights])).numel() == total)
    assume(count(amount, total) <= total)
    got = call(impl, impl.global_magnitude_masks, weights, amount)
    expect(isinstance(got, list | tuple) and len(got) == len(weights),
           f"global_magnitude_masks should return one mask per tensor ({len(weights)})")
    modules = [holder(w) for w in weights]
    prune.global_unstructured([(m, "weight") for m in modules], pruning_method=prune.L1Unstructured, amount=amount)
    zeros = 0
    for i, (mask, module) in enumerate(zip(got, modules, strict=True)):
        values = as_mask(mask, module.weight.shape, f"mask {i}")
        zeros += int((values == 0).sum())
        assert_close(values, module.weight_mask.double().numpy(), what=f"global mask of tensor {i}")
    expect(zeros == count(amount, total), f"{zeros} weights pruned, expected round(amount * {total}) = "
           f"{count(amount, total)}")


@given(st.integers(0, 2**32 - 1), st.lists(st.integers(1, 6), min_size=2, max_size=3).map(tuple),
       st.sampled_from([1, 2]), st.data())
def test_structured_mask_matches_torch_ln_structured(impl, seed, shape, n, data):
    """structured_mask(w, amount, n, dim) zeroes whole slices along `dim` (rows for dim=0), the k with the smallest
    Ln norm: the same mask as torch.nn.utils.prune.ln_structured."""
    dim = data.draw(st.integers(0, len(shape) - 1), label="dim")
    amount = data.draw(st.one_of(st.floats(0.0, 1.0), st.integers(0, shape[dim])), label="amount")
    w = random_weight(seed, shape)
    norms = torch.linalg.vector_norm(w, ord=n, dim=[d for d in range(len(shape)) if d != dim])
    assume(torch.unique(norms).numel() == norms.numel())
    got = as_mask(call(impl, impl.structured_mask, w, amount, n=n, dim=dim), shape, "structured_mask")
    module = holder(w)
    prune.ln_structured(module, "weight", amount, n=n, dim=dim)
    assert_close(got, module.weight_mask.double().numpy(), what=f"structured_mask (n={n}, dim={dim}, amount={amount})")


def test_amounts_are_counted_like_torch(impl):
    """A fraction prunes round(amount * n) with Python's round, which sends halves to the even neighbour:
    amount 0.25 of 10 weights prunes 2 (round(2.5) = 2), amount 0.35 prunes 4 (round(3.5) = 4)."""
    w = torch.arange(1.0, 11.0)
    for amount, k in ((0.25, 2), (0.35, 4), (0.05, 0), (0.15, 2), (3, 3)):
        zeros = int((call(impl, impl.magnitude_mask, w, amount) == 0).sum())
        expect(zeros == k, f"amount={amount} on 10 weights should prune round({amount} * 10) = {k} "
               f"(Python's round, halves to even), pruned {zeros}")


def test_amounts_are_checked(impl):
    """A fraction outside [0, 1], a negative count, or more units than there are raise ValueError."""
    w = torch.randn(3, 4)
    assert_raises_value_error(impl.magnitude_mask, w, 1.5, why="a fraction must lie in [0, 1]")
    assert_raises_value_error(impl.magnitude_mask, w, -0.1, why="a fraction must lie in [0, 1]")
    assert_raises_value_error(impl.magnitude_mask, w, 13, why="there are only 12 weights")
    assert_raises_value_error(impl.magnitude_mask, w, -1, why="a count cannot be negative")
    assert_raises_value_error(impl.structured_mask, w, 4, 2, 0, why="there are only 3 rows")


def tiny_gpt(seed: int = 0, dtype=torch.float32) -> GPT:
    torch.manual_seed(seed)
    return GPT(vocab_size=11, block_size=8, n_layer=2, n_head=2, n_embd=16).to(dtype).eval()


def prunable(model: nn.Module) -> list[tuple[nn.Module, str]]:
    """Every nn.Linear except the head tied to the token embedding: the blocks' q, k, v, out, fc and proj."""
    return [(m, "weight") for m in model.modules() if isinstance(m, nn.Linear) and m.weight is not model.tok_emb.weight]


def torch_pruned(model: nn.Module, amount, scope: str) -> nn.Module:
    pruned = copy.deepcopy(model)
    params = prunable(pruned)
    if scope == "global":
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=amount)
    else:
        for module, name in params:
            prune.l1_unstructured(module, name, amount)
    for module, name in params:
        prune.remove(module, name)
    return pruned


@given(st.integers(0, 1000), st.floats(0.0, 1.0), st.sampled_from(["global", "per_layer"]))
@settings(max_examples=10)
def test_prune_model_matches_torch(impl, seed, amount, scope):
    """prune_model(gpt, amount, scope) zeroes, in place, the weights torch's global_unstructured (scope="global") or
    per-layer l1_unstructured (scope="per_layer") would: every nn.Linear of the blocks; the tied head / token
    embedding, position embedding, biases and LayerNorms stay as they were."""
    model = tiny_gpt(seed)
    want = torch_pruned(model, amount, scope).state_dict()
    out = call(impl, impl.prune_model, model, amount, scope=scope)
    expect(out is model, "prune_model should prune the model in place and return it")
    for name, value in model.state_dict().items():
        assert_close(value.numpy(), want[name].numpy(), what=f"{name} after prune_model(amount={amount}, {scope})")


def test_prune_model_rejects_an_unknown_scope(impl):
    """scope must be "global" or "per_layer"."""
    assert_raises_value_error(impl.prune_model, tiny_gpt(), 0.5, scope="random", why="scope is global or per_layer")


@given(st.integers(0, 2**32 - 1), st.integers(2, 12), st.integers(1, 6), st.floats(0.0, 0.9))
@settings(max_examples=25)
def test_shrink_mlp_removes_the_weakest_neurons(impl, seed, hidden, width, amount):
    """shrink_mlp(fc, proj, amount) returns smaller Linear layers without the k hidden neurons whose fc row has the
    smallest L2 norm (the rows prune.ln_structured(fc, "weight", amount, n=2, dim=0) zeroes), and the new MLP equals
    the old one with those neurons' columns of proj set to zero (float64, 1e-12)."""
    gen = torch.Generator().manual_seed(seed % 2**31)
    fc, proj = nn.Linear(width, hidden).double(), nn.Linear(hidden, width).double()
    with torch.no_grad():
        for p in [*fc.parameters(), *proj.parameters()]:
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64))
    assume(torch.unique(fc.weight.norm(dim=1)).numel() == hidden)
    k = round(amount * hidden)
    assume(k < hidden)
    module = holder(fc.weight.detach())
    prune.ln_structured(module, "weight", amount, n=2, dim=0)
    kept = module.weight_mask[:, 0].bool()
    new_fc, new_proj = call(impl, impl.shrink_mlp, copy.deepcopy(fc), copy.deepcopy(proj), amount)
    expect(isinstance(new_fc, nn.Linear) and isinstance(new_proj, nn.Linear), "shrink_mlp should return two nn.Linear")
    expect(new_fc.out_features == hidden - k and new_proj.in_features == hidden - k,
           f"{hidden} neurons minus round({amount:.3f} * {hidden}) = {k} leaves {hidden - k}; got fc with "
           f"{new_fc.out_features} outputs and proj with {new_proj.in_features} inputs")
    x = torch.randn(5, width, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        zeroed = proj.weight * kept.double()
        want = F.linear(F.gelu(fc(x)), zeroed, proj.bias)
        got = new_proj(F.gelu(new_fc(x)))
    assert_close(got.numpy(), want.numpy(), rtol=1e-12, atol=1e-12, what="the shrunk MLP's output")


def perplexity_on(tokens: torch.Tensor):
    def evaluate(model: nn.Module) -> float:
        with torch.no_grad():
            logits = model(tokens[:, :-1])
            return math.exp(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1)).item())
    return evaluate


def test_sparsity_curve_figure_and_file(impl, tmp_path):
    """sparsity_curve(model, evaluate, amounts, path) prunes a copy at each amount (global magnitude pruning),
    returns evaluate's values (equal, to 1e-6, to those of copies pruned by prune.global_unstructured) and a Figure
    with one axes: a line through (amounts, values), x label mentioning sparsity, y label mentioning perplexity;
    the PNG is written at `path`, and the model itself is not pruned."""
    model = tiny_gpt(3)
    before = copy.deepcopy(model.state_dict())
    tokens = torch.randint(11, (4, 9), generator=torch.Generator().manual_seed(0))
    evaluate = perplexity_on(tokens)
    amounts = [0.0, 0.3, 0.6, 0.9]
    path = tmp_path / "pruning_curve.png"
    result = call(impl, impl.sparsity_curve, model, evaluate, amounts, path=path)
    expect(isinstance(result, tuple) and len(result) == 2, "sparsity_curve should return (values, figure)")
    values, fig = result
    want = [evaluate(torch_pruned(model, a, "global")) for a in amounts]
    assert_close(np.asarray(values, dtype=float), np.array(want), rtol=1e-6, what="perplexities along the curve")
    for name, value in model.state_dict().items():
        expect(torch.equal(value, before[name]), f"sparsity_curve pruned the original model ({name} changed)")
    from matplotlib.figure import Figure

    expect(isinstance(fig, Figure), f"the second result should be a matplotlib Figure, got {type(fig).__name__}")
    expect(len(fig.axes) >= 1, "the figure has no axes")
    ax = fig.axes[0]
    expect("sparsity" in ax.get_xlabel().lower(), f"x label should mention sparsity, got {ax.get_xlabel()!r}")
    expect("perplexity" in ax.get_ylabel().lower(), f"y label should mention perplexity, got {ax.get_ylabel()!r}")
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == len(amounts)]
    expect(any(np.allclose(np.asarray(line.get_xdata(), float), amounts)
               and np.allclose(np.asarray(line.get_ydata(), float), want, rtol=1e-6) for line in lines),
           "no line of the first axes goes through (amounts, perplexities)")
    expect(path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no PNG file written at {path}")
