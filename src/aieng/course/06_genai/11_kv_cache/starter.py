"""A KV cache for your GPT — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check kv-cache`.
Start from your GPT (08_gpt.py): paste it and its blocks here, then add the cache.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class KVCache:
    """Keys and values already computed, one slot per layer.

    `keys[l]` and `values[l]`: tensors of shape (B, n_head, T_cached, head_size), or None before the first
    forward pass. `length()` is the number of cached positions (0 when empty).
    """

    def __init__(self, n_layer: int) -> None:
        raise NotImplementedError

    def length(self) -> int:
        raise NotImplementedError


class GPT(nn.Module):
    """Your GPT from the previous exercise, with a cache-aware forward and generate."""

    def __init__(self, vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, idx: Tensor, cache: KVCache | None = None) -> Tensor:
        """Logits (B, T, V) for token ids idx (B, T).

        With a cache, idx holds only the NEW tokens: their positions start at cache.length(); every layer
        computes their keys and values, appends them to its slot of the cache, and lets the new queries attend
        to all cached keys (new query i sees the cached prefix and new positions <= i).
        Raise ValueError when cache.length() + T exceeds block_size.
        """
        raise NotImplementedError

    @torch.no_grad()
    def generate(self, idx: Tensor, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None,
                 generator: torch.Generator | None = None, use_cache: bool = True) -> Tensor:
        """As in the GPT exercise (argmax for temperature 0, else temperature, top-k, torch.multinomial with
        `generator`). With use_cache: run the prompt once into a fresh KVCache, then feed one token per step.
        Once the sequence is longer than block_size, fall back to full recomputation on the last block_size
        tokens (positions shift, the cache no longer applies)."""
        raise NotImplementedError
