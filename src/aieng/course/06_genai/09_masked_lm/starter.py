"""Masked language modelling (BERT-style) — your implementation, in PyTorch.

Replace each `raise NotImplementedError` with code. Check it with `aieng check masked-lm`.
torch's cross-entropy and NLL losses are switched off inside mlm_loss (torch.log_softmax is fine).
"""

from __future__ import annotations

import torch
from torch import Tensor

IGNORE = -100


def mask_tokens(ids: Tensor, vocab_size: int, mask_id: int, generator: torch.Generator | None = None,
                mask_prob: float = 0.15, protected: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """BERT's corruption of the integer tensor `ids` (any shape). Returns (inputs, labels), int64, shaped like ids.

    Each position not marked True in `protected` (a bool tensor shaped like ids, or None) is chosen
    independently with probability mask_prob. A chosen token becomes mask_id with probability 0.8, a uniform
    random id in 0..vocab_size-1 with probability 0.1, and stays as it is with probability 0.1.
    labels = the original id at chosen positions, IGNORE (-100) elsewhere; inputs = ids where not chosen.
    All randomness comes from `generator` (same seed, same result).
    Raise ValueError for float ids, vocab_size < 1, mask_prob outside (0, 1], or a badly shaped `protected`.
    """
    raise NotImplementedError


def mlm_loss(logits: Tensor, labels: Tensor) -> Tensor:
    """Mean cross-entropy over the positions whose label is not IGNORE; a 0-d tensor that supports backward().

    logits: (..., V); labels: logits.shape[:-1]. With no labelled position at all, return a zero that is still
    connected to logits (so backward() works and gives zero gradients). ValueError for mismatched shapes.
    """
    raise NotImplementedError
