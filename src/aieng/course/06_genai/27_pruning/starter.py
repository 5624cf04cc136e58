"""Pruning — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check pruning`.
torch.nn.utils.prune is switched off while the checks run your code: torch.topk, torch.linalg.vector_norm and
indexing do the work.
"""

from __future__ import annotations

import copy  # noqa: F401  (copy.deepcopy, for sparsity_curve)
from collections.abc import Callable, Sequence
from pathlib import Path

import torch  # noqa: F401  (torch.topk, torch.linalg.vector_norm, torch.no_grad)
from matplotlib.figure import Figure
from torch import Tensor, nn


def n_to_prune(amount: float | int, size: int) -> int:
    """How many of `size` units to prune, counted as torch.nn.utils.prune counts:
    an int `amount` is the count itself (0..size); a float is a fraction in [0, 1] and gives round(amount * size)
    with Python's round (half to even). Anything else (bool, fraction outside [0, 1], count outside 0..size)
    raises ValueError.
    """
    raise NotImplementedError


def magnitude_mask(weight: Tensor, amount: float | int) -> Tensor:
    """Mask of weight's shape and dtype, 1 = keep, 0 = prune, zeroing the k = n_to_prune(amount, weight.numel())
    entries of smallest |w| (torch.topk(..., largest=False) on the flattened magnitudes)."""
    raise NotImplementedError


def global_magnitude_masks(weights: Sequence[Tensor], amount: float | int) -> list[Tensor]:
    """One mask per tensor, zeroing the k = n_to_prune(amount, total size) smallest |w| among ALL the tensors
    together (concatenate the flattened magnitudes, mask, split back)."""
    raise NotImplementedError


def structured_mask(weight: Tensor, amount: float | int, n: float = 2, dim: int = 0) -> Tensor:
    """Mask of weight's shape zeroing whole slices along `dim`: the k = n_to_prune(amount, weight.shape[dim])
    slices with the smallest Ln norm (the norm over every other dimension). weight has >= 2 dimensions."""
    raise NotImplementedError


def linear_weights(model: nn.Module) -> list[nn.Linear]:
    """The nn.Linear layers we prune (given): all of them except a head whose weight is an nn.Embedding's weight
    (a GPT's lm_head is tied to tok_emb: pruning it would prune the embedding)."""
    embedded = {id(m.weight) for m in model.modules() if isinstance(m, nn.Embedding)}
    return [m for m in model.modules() if isinstance(m, nn.Linear) and id(m.weight) not in embedded]


def prune_model(model: nn.Module, amount: float | int, scope: str = "global") -> nn.Module:
    """Zero weights of every layer in linear_weights(model), in place (under torch.no_grad()), and return `model`.

    scope="global": one threshold over all of them (global_magnitude_masks);
    scope="per_layer": each weight matrix separately (magnitude_mask). Other scopes: ValueError.
    """
    raise NotImplementedError


def shrink_mlp(fc: nn.Linear, proj: nn.Linear, amount: float | int, n: float = 2) -> tuple[nn.Linear, nn.Linear]:
    """New, smaller (fc, proj) for the MLP x -> proj(act(fc(x))) without its weakest hidden neurons.

    Neuron j = row j of fc.weight (and fc.bias[j]) = column j of proj.weight. Remove the k = n_to_prune(amount,
    fc.out_features) neurons whose fc row has the smallest Ln norm (structured_mask(fc.weight, amount, n, dim=0));
    keep the others in their order; proj's bias is copied unchanged.
    """
    raise NotImplementedError


def sparsity_curve(model: nn.Module, evaluate: Callable[[nn.Module], float], amounts: Sequence[float],
                   path: str | Path | None = None, scope: str = "global") -> tuple[list[float], Figure]:
    """For each amount: prune a deep copy of `model` (prune_model with `scope`) and record float(evaluate(copy)).

    Return (values, fig): fig a matplotlib Figure (not pyplot) with one axes holding a line through
    (amounts, values); x label mentioning "sparsity", y label mentioning "perplexity". Save it as a PNG at `path`
    when given. `model` itself must not change.
    """
    raise NotImplementedError
