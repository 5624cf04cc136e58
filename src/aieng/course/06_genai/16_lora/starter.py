"""LoRA from scratch — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check lora`.
Write it with torch only: peft is the answer key and is switched off while your code runs.
"""

from __future__ import annotations

import math  # noqa: F401  (math.sqrt for the initialization)
from collections.abc import Sequence

import torch  # noqa: F401  (torch.empty, torch.zeros, torch.no_grad)
from torch import Tensor, nn


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update.

    y = base(x) + (alpha / r) * (dropout(x) @ lora_A.T) @ lora_B.T,   x (..., in) -> y (..., out)

    Attributes:
    - base: the wrapped nn.Linear, its weight and bias frozen (requires_grad False);
    - lora_A: nn.Parameter (r, in), Kaiming-uniform like an nn.Linear weight:
      nn.init.kaiming_uniform_(A, a=math.sqrt(5));
    - lora_B: nn.Parameter (out, r), zeros;  both in the base weight's dtype and device;
    - scaling = alpha / r;  dropout: nn.Dropout(dropout) (or nn.Identity() for 0), on the adapter path only;
    - merged: bool, False at first.
    Raise ValueError if base is not an nn.Linear, r is not an integer >= 1, alpha <= 0, or dropout is
    outside [0, 1).
    """

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        """base(x) plus the scaled update (just base(x) while merged)."""
        raise NotImplementedError

    def merge(self) -> None:
        """base.weight += (alpha / r) * lora_B @ lora_A (without tracking gradients); merged = True.
        ValueError if already merged."""
        raise NotImplementedError

    def unmerge(self) -> None:
        """base.weight -= (alpha / r) * lora_B @ lora_A; merged = False. ValueError if not merged."""
        raise NotImplementedError


def apply_lora(model: nn.Module, target_names: Sequence[str], r: int, alpha: float,
               dropout: float = 0.0) -> nn.Module:
    """Add LoRA to `model` in place and return it.

    1. Freeze every parameter of the model (requires_grad False).
    2. For each sub-module whose full name (from model.named_modules()) equals a target or ends with
       "." + target (peft's rule: "q_proj" matches "blocks.0.attn.q_proj"), replace it in its parent by
       LoRALinear(module, r, alpha, dropout).
    Raise ValueError if nothing matches or a matching module is not an nn.Linear.
    """
    raise NotImplementedError
