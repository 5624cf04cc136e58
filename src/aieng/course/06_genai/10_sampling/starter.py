"""Sampling the next token — your implementation, in PyTorch.

Replace each `raise NotImplementedError` with code. Check it with `aieng check token-sampling`.

Order of the knobs: temperature, then top-k, then top-p on what top-k left, then renormalize.
Tie rules: top-k keeps every token whose logit equals the k-th largest; top-p keeps a token exactly when the
total probability of the tokens strictly more probable than it is below top_p (so it keeps the smallest set
of most probable tokens whose mass reaches top_p, plus any token tied with the last one of that set).
"""

from __future__ import annotations

import torch
from torch import Tensor


def filter_logits(logits: Tensor, temperature: float = 1.0, top_k: int | None = None,
                  top_p: float | None = None) -> Tensor:
    """The probabilities sample() draws from, shape (..., V), each row summing to 1 (filtered tokens exactly 0).

    softmax(logits / temperature), restricted by top_k (None = off) and top_p (None or 1.0 = off), renormalized.
    temperature == 0: a one-hot row at argmax (the first index of the largest logit).
    Raise ValueError for temperature < 0, top_k < 1, top_p outside (0, 1], NaN logits, a row with no finite
    logit, or an empty last axis.
    """
    raise NotImplementedError


def sample(logits: Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
           generator: torch.Generator | None = None) -> Tensor:
    """One token id per row of logits (..., V): int64 of shape (...).

    temperature == 0 is greedy decoding (argmax, no randomness). Otherwise draw from filter_logits(...) with
    torch.multinomial(..., generator=generator), so the same seed gives the same tokens.
    """
    raise NotImplementedError
