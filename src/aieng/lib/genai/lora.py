"""LoRA from scratch: low-rank adapters on frozen linear layers, as in Hu et al. (2021) and peft.

A frozen layer y = x W^T + b (W: out x in) is fine-tuned through a rank-r update:

    y = x W^T + b + s * (dropout(x) A^T) B^T,      A: r x in,  B: out x r,  s = alpha / r

A starts like an nn.Linear weight (Kaiming-uniform with a = sqrt(5): U(-1/sqrt(in), 1/sqrt(in))) and
B at zero, so the adapted model starts exactly at the pre-trained one and the first gradient step moves
B. Only A and B train: r (in + out) numbers instead of in * out (for in = out = 384 and r = 8, 6,144
instead of 147,456). Scaling by alpha / r keeps the update's size roughly independent of r, so alpha
tuned at one rank carries over to another.

`merge()` folds the update into the weight, W <- W + s B A, so inference costs nothing extra;
`unmerge()` subtracts it again. Parameter names, shapes, initialization, scaling, dropout placement and
merging follow peft's `LoraConfig(init_lora_weights=True)`, so weights copy both ways and the outputs
match peft's to float round-off.

Left out: LoRA on embeddings and convolutions, several adapters per layer, rsLoRA / DoRA / PiSSA
variants, quantized base weights (QLoRA), fan_in_fan_out (GPT-2's Conv1D) layouts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn

__all__ = ["LoRALinear", "apply_lora", "count_trainable", "merge_lora"]


class LoRALinear(nn.Module):
    """A frozen `nn.Linear` plus a trainable rank-r update: x -> base(x) + (alpha / r) * B A dropout(x).

    Shapes: x (..., in) -> (..., out); lora_A (r, in), lora_B (out, r), in the base weight's dtype and
    device. Forward cost O(n (in + out) r) on top of the base layer's O(n in out) for n rows.

    >>> layer = LoRALinear(nn.Linear(16, 4), r=2, alpha=4)
    >>> [name for name, p in layer.named_parameters() if p.requires_grad]
    ['lora_A', 'lora_B']
    """

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        if not isinstance(base, nn.Linear):
            raise ValueError(f"LoRALinear wraps an nn.Linear, got {type(base).__name__}")
        if not isinstance(r, int) or r < 1:
            raise ValueError(f"the rank r must be a positive integer, got {r!r}")
        if not alpha > 0:
            raise ValueError(f"alpha must be positive, got {alpha}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
        self.base = base
        for p in base.parameters():
            p.requires_grad_(False)
        self.r, self.alpha, self.scaling = r, alpha, alpha / r
        weight = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=weight.dtype, device=weight.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=weight.dtype, device=weight.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # what nn.Linear does to its weight
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.merged = False

    def delta_weight(self) -> Tensor:
        """The update s B A as an (out, in) matrix: what merge() adds to the base weight."""
        return (self.lora_B @ self.lora_A) * self.scaling

    def forward(self, x: Tensor) -> Tensor:
        y = self.base(x)  # (..., out)
        if self.merged:  # the update already lives in base.weight
            return y
        return y + (self.dropout(x) @ self.lora_A.T @ self.lora_B.T) * self.scaling  # (..., r) -> (..., out)

    @torch.no_grad()
    def merge(self) -> None:
        """W <- W + s B A: the layer becomes a plain linear layer with the same outputs (dropout off)."""
        if self.merged:
            raise ValueError("the adapter is already merged")
        self.base.weight += self.delta_weight()
        self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        """W <- W - s B A: undo merge() (exact up to round-off), so A and B can train on."""
        if not self.merged:
            raise ValueError("the adapter is not merged")
        self.base.weight -= self.delta_weight()
        self.merged = False

    def extra_repr(self) -> str:
        return f"r={self.r}, alpha={self.alpha}, scaling={self.scaling:g}, merged={self.merged}"


def _matches(name: str, targets: Sequence[str]) -> bool:
    """peft's rule for a list of target names: the module's full name is a target or ends in ".target"."""
    return any(name == t or name.endswith("." + t) for t in targets)


def apply_lora(model: nn.Module, target_names: Sequence[str], r: int, alpha: float,
               dropout: float = 0.0) -> nn.Module:
    """Freeze every parameter of `model`, then replace each nn.Linear whose name matches `target_names`
    (the full dotted name equals a target or ends in "." + target, as peft matches) by a LoRALinear
    around it, in place. Returns `model`.

    Raises ValueError when nothing matches or a match is not an nn.Linear. Trainable parameters
    afterwards: sum over the wrapped layers of r (in + out).
    """
    if isinstance(target_names, str) or not target_names:
        raise ValueError(f"target_names must be a non-empty list of module names, got {target_names!r}")
    for p in model.parameters():
        p.requires_grad_(False)
    targets = [(name, module) for name, module in model.named_modules() if name and _matches(name, target_names)]
    if not targets:
        raise ValueError(f"no module of the model matches {list(target_names)}")
    for name, module in targets:
        if not isinstance(module, nn.Linear):
            raise ValueError(f"{name} is a {type(module).__name__}; LoRA here wraps nn.Linear layers only")
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, LoRALinear(module, r, alpha, dropout))
    return model


def count_trainable(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) parameter counts, each shared tensor counted once, like peft's
    ``get_nb_trainable_parameters()``."""
    params = list(model.parameters())  # parameters() already skips repeats of a tied tensor
    return sum(p.numel() for p in params if p.requires_grad), sum(p.numel() for p in params)


def merge_lora(model: nn.Module) -> nn.Module:
    """Merge every LoRALinear of `model` and put its base nn.Linear back in its place, in place (peft's
    ``merge_and_unload``). Returns `model`."""
    for name, module in list(model.named_modules()):
        if isinstance(module, LoRALinear):
            if not module.merged:
                module.merge()
            parent_name, _, child = name.rpartition(".")
            parent = model.get_submodule(parent_name) if parent_name else model
            setattr(parent, child, module.base)
    return model
