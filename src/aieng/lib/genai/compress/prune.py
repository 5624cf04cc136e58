"""Pruning: setting a trained network's least important weights to zero, one at a time (unstructured) or in
whole rows, neurons and heads (structured), and watching what it costs in perplexity.

- Unstructured magnitude pruning zeroes the k weights of smallest |w|. Per layer, each weight matrix loses
  the same fraction; globally, one threshold is shared by all of them, so layers with many small weights
  give up more. The sparsity is exact: k = round(amount * n) (Python's round, half to even) for a fraction
  `amount` in [0, 1], or k = amount itself for an int, exactly as torch.nn.utils.prune counts.
- Structured (Ln) pruning scores each slice along `dim` (a row of an nn.Linear weight = one output neuron)
  by its Ln norm and zeroes the k weakest slices. `shrink_mlp` then actually removes the pruned hidden
  neurons of a transformer MLP (rows of fc, columns of proj): fewer parameters and fewer FLOPs, which
  unstructured zeros give only with sparse kernels. `head_mask` does the same for attention heads, scored by
  the norm of each head's block of columns in the output projection.
- Ties: weights (or slices) with equal scores at the threshold are broken by torch.topk's order; the tests
  use inputs without ties.

`linear_weights(model)` lists what we prune in a GPT: every nn.Linear except a head whose weight is tied to
the token embedding (pruning it would prune the embedding too). Biases, LayerNorms and embeddings are left
alone: they are few, and pruning them hurts more.

Masks match ``torch.nn.utils.prune`` (l1_unstructured, global_unstructured, ln_structured) on tie-free inputs.
Left out: iterative pruning with retraining, movement/Wanda/SparseGPT scores, N:M (2:4) semi-structured
sparsity and sparse kernels.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter
from torch import Tensor, nn

__all__ = ["global_magnitude_masks", "head_mask", "linear_weights", "magnitude_mask", "n_to_prune", "prune_model",
           "shrink_mlp", "sparsity", "sparsity_curve", "structured_mask"]


def n_to_prune(amount: float | int, size: int) -> int:
    """How many of `size` units to prune: `amount` itself for an int in 0..size, round(amount * size) for a
    float in [0, 1] (Python's round: half to even, like torch.nn.utils.prune)."""
    if isinstance(amount, bool) or not isinstance(amount, numbers.Real):
        raise ValueError(f"amount must be an int count or a float fraction, got {amount!r}")
    if isinstance(amount, numbers.Integral):
        if not 0 <= amount <= size:
            raise ValueError(f"cannot prune {amount} of {size} units")
        return int(amount)
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"a fractional amount must lie in [0, 1], got {amount}")
    return round(amount * size)


def _check_weight(weight: Tensor, min_ndim: int = 1) -> None:
    if not isinstance(weight, Tensor) or not torch.is_floating_point(weight):
        raise ValueError("weights must be floating-point tensors")
    if weight.ndim < min_ndim:
        raise ValueError(f"need a tensor with at least {min_ndim} dimensions, got shape {tuple(weight.shape)}")


def magnitude_mask(weight: Tensor, amount: float | int) -> Tensor:
    """Mask (same shape and dtype as `weight`, 1 = keep, 0 = prune) zeroing the k smallest |w|.

    k = n_to_prune(amount, weight.numel()). O(n log n) at worst (torch.topk).

    >>> magnitude_mask(torch.tensor([[0.5, -0.1], [2.0, 0.3]]), 0.5)
    tensor([[1., 0.],
            [1., 0.]])
    """
    _check_weight(weight)
    k = n_to_prune(amount, weight.numel())
    mask = torch.ones(weight.numel(), dtype=weight.dtype, device=weight.device)
    if k:
        mask[torch.topk(weight.detach().abs().reshape(-1), k, largest=False).indices] = 0
    return mask.reshape(weight.shape)


def global_magnitude_masks(weights: Sequence[Tensor], amount: float | int) -> list[Tensor]:
    """One mask per tensor, zeroing the k smallest |w| among ALL of them together (one shared threshold).

    k = n_to_prune(amount, total number of weights). Equals torch.nn.utils.prune.global_unstructured with
    L1Unstructured. O(N log N), N the total size.
    """
    weights = list(weights)
    if not weights:
        raise ValueError("need at least one tensor to prune")
    for w in weights:
        _check_weight(w)
    scores = torch.cat([w.detach().abs().reshape(-1) for w in weights])
    flat = magnitude_mask(scores, amount)
    return [m.reshape(w.shape).to(w.dtype) for m, w in zip(flat.split([w.numel() for w in weights]), weights,
                                                           strict=True)]


def structured_mask(weight: Tensor, amount: float | int, n: float = 2, dim: int = 0) -> Tensor:
    """Mask zeroing the k slices along `dim` whose Ln norm (over all other dimensions) is smallest.

    k = n_to_prune(amount, weight.shape[dim]); dim = 0 on an nn.Linear weight (out, in) prunes output
    neurons (rows), dim = 1 input features (columns). Equals torch.nn.utils.prune.ln_structured.
    """
    _check_weight(weight, min_ndim=2)
    if not -weight.ndim <= dim < weight.ndim:
        raise ValueError(f"dim {dim} is out of range for shape {tuple(weight.shape)}")
    if not n > 0:
        raise ValueError(f"the norm order n must be positive, got {n}")
    dim %= weight.ndim
    k = n_to_prune(amount, weight.shape[dim])
    others = [d for d in range(weight.ndim) if d != dim]
    norms = torch.linalg.vector_norm(weight.detach(), ord=n, dim=others)
    keep = torch.zeros(weight.shape[dim], dtype=weight.dtype, device=weight.device)
    keep[torch.topk(norms, weight.shape[dim] - k, largest=True).indices] = 1
    shape = [1] * weight.ndim
    shape[dim] = -1
    return keep.reshape(shape).expand(weight.shape).clone()


def head_mask(out_proj_weight: Tensor, n_head: int, amount: float | int, n: float = 2) -> Tensor:
    """Mask on an attention output projection (d, d) zeroing whole heads: head h owns the columns
    h*d/H .. (h+1)*d/H (its slice of the concatenated head outputs), scored by the Ln norm of that block.

    Zeroing a head's columns of W_o removes the head's contribution to the block's output exactly.
    """
    _check_weight(out_proj_weight, min_ndim=2)
    d = out_proj_weight.shape[1]
    if n_head <= 0 or d % n_head:
        raise ValueError(f"{d} columns do not split into {n_head} heads")
    blocks = out_proj_weight.detach().reshape(out_proj_weight.shape[0], n_head, d // n_head)
    norms = torch.linalg.vector_norm(blocks, ord=n, dim=(0, 2))
    k = n_to_prune(amount, n_head)
    keep = torch.zeros(n_head, dtype=out_proj_weight.dtype, device=out_proj_weight.device)
    keep[torch.topk(norms, n_head - k, largest=True).indices] = 1
    return keep.repeat_interleave(d // n_head).expand(out_proj_weight.shape).clone()


def shrink_mlp(fc: nn.Linear, proj: nn.Linear, amount: float | int, n: float = 2) -> tuple[nn.Linear, nn.Linear]:
    """Remove hidden neurons of the MLP  x -> proj(act(fc(x))): new, smaller (fc, proj) layers.

    Neuron j is row j of fc.weight (and fc.bias[j]) and column j of proj.weight; the k = n_to_prune(amount,
    hidden) neurons whose fc row has the smallest Ln norm go (the same choice as structured_mask(fc.weight,
    amount, n, dim=0)); the others keep their order. The new MLP computes exactly what the old one does with
    proj's columns of the removed neurons set to zero.
    """
    if not isinstance(fc, nn.Linear) or not isinstance(proj, nn.Linear):
        raise ValueError("fc and proj must be nn.Linear layers")
    if proj.in_features != fc.out_features:
        raise ValueError(f"fc has {fc.out_features} outputs but proj takes {proj.in_features} inputs")
    keep = structured_mask(fc.weight, amount, n=n, dim=0)[:, 0].nonzero().flatten()
    if len(keep) == 0:
        raise ValueError("pruning every hidden neuron leaves no MLP")
    new_fc = nn.Linear(fc.in_features, len(keep), bias=fc.bias is not None, device=fc.weight.device,
                       dtype=fc.weight.dtype)
    new_proj = nn.Linear(len(keep), proj.out_features, bias=proj.bias is not None, device=proj.weight.device,
                         dtype=proj.weight.dtype)
    with torch.no_grad():
        new_fc.weight.copy_(fc.weight[keep])
        if fc.bias is not None:
            new_fc.bias.copy_(fc.bias[keep])
        new_proj.weight.copy_(proj.weight[:, keep])
        if proj.bias is not None:
            new_proj.bias.copy_(proj.bias)
    return new_fc, new_proj


def linear_weights(model: nn.Module) -> list[nn.Linear]:
    """The nn.Linear layers of `model` whose weight is not shared with an nn.Embedding (a tied LM head)."""
    embedded = {id(m.weight) for m in model.modules() if isinstance(m, nn.Embedding)}
    return [m for m in model.modules() if isinstance(m, nn.Linear) and id(m.weight) not in embedded]


def prune_model(model: nn.Module, amount: float | int, scope: str = "global") -> nn.Module:
    """Zero weights of every layer in `linear_weights(model)`, in place; returns `model`.

    scope="global": one magnitude threshold over all those weights (global_magnitude_masks);
    scope="per_layer": each weight matrix loses its own round(amount * n) smallest (magnitude_mask).
    """
    if scope not in ("global", "per_layer"):
        raise ValueError(f"scope must be 'global' or 'per_layer', got {scope!r}")
    layers = linear_weights(model)
    if not layers:
        raise ValueError("the model has no nn.Linear layer to prune")
    weights = [layer.weight for layer in layers]
    masks = (global_magnitude_masks(weights, amount) if scope == "global"
             else [magnitude_mask(w, amount) for w in weights])
    with torch.no_grad():
        for w, m in zip(weights, masks, strict=True):
            w.mul_(m)
    return model


def sparsity(model: nn.Module) -> float:
    """Fraction of exact zeros among the weights of `linear_weights(model)`."""
    weights = [layer.weight for layer in linear_weights(model)]
    total = sum(w.numel() for w in weights)
    return sum(int((w == 0).sum()) for w in weights) / max(total, 1)


def sparsity_curve(model: nn.Module, evaluate: Callable[[nn.Module], float], amounts: Sequence[float],
                   path: str | Path | None = None, scope: str = "global",
                   label: str | None = None) -> tuple[list[float], Figure]:
    """Perplexity against sparsity: for each amount, prune a deep copy of `model` (prune_model with `scope`)
    and call `evaluate(copy)`; `model` itself is untouched.

    Returns the values (one per amount) and a matplotlib Figure with one axes: the curve x = amounts,
    y = values (marked points), x label "sparsity ...", y label "perplexity ..." on a log scale; saved as a PNG
    at `path` when given.
    """
    amounts = list(amounts)
    if not amounts:
        raise ValueError("give at least one amount")
    values = []
    for amount in amounts:
        pruned = prune_model(copy.deepcopy(model), amount, scope)
        values.append(float(evaluate(pruned)))
    fig = Figure(figsize=(6.5, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(amounts, values, "o-", label=label or f"magnitude pruning ({scope.replace('_', '-')})")
    ax.set_xlabel("sparsity (fraction of linear-layer weights set to zero)")
    ax.set_ylabel("perplexity (log scale)")
    ax.set_yscale("log")
    for axis in (ax.yaxis.set_major_formatter, ax.yaxis.set_minor_formatter):
        axis(ScalarFormatter())  # 7, 8, 9, 10, 20 rather than 10^1, 2 x 10^1
    ax.set_title("Pruning: sparsity vs perplexity")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    if path is not None:
        fig.savefig(path, dpi=120)
    return values, fig
