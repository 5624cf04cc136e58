"""A GPT — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check gpt`.
Paste your MultiHeadAttention, MLP and TransformerBlock from the previous exercises into this file first:
the GPT stacks your blocks. (torch's own layers are allowed here: the exercise is the assembly.)
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class GPT(nn.Module):
    """Decoder-only transformer language model.

    Attributes: `tok_emb` = nn.Embedding(vocab_size, n_embd); `pos_emb` = nn.Embedding(block_size, n_embd);
    `blocks` = n_layer pre-LN TransformerBlocks (causal); `ln_f` = nn.LayerNorm(n_embd);
    `lm_head` = nn.Linear(n_embd, vocab_size, bias=False) whose weight IS tok_emb.weight (weight tying).
    Initialization (GPT-2): every nn.Linear and nn.Embedding weight ~ N(0, 0.02^2), every bias 0.
    Raise ValueError for sizes that are not positive or n_embd not a multiple of n_head.
    """

    def __init__(self, vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, idx: Tensor) -> Tensor:
        """Token ids (B, T) int64, T <= block_size -> logits (B, T, vocab_size).

        Position t's logits predict token t + 1 from tokens 0..t only.
        Raise ValueError if idx is not 2-D or T > block_size.
        """
        raise NotImplementedError

    @torch.no_grad()
    def generate(self, idx: Tensor, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None,
                 generator: torch.Generator | None = None) -> Tensor:
        """Append max_new_tokens tokens to idx (B, T0) -> (B, T0 + max_new_tokens).

        Each step: run the model on the last block_size tokens, take the last position's logits (B, V), then
        - temperature == 0: the argmax;
        - otherwise divide by temperature, keep the top_k largest logits (None or k >= V: all; set the rest to
          -inf), softmax, and draw with torch.multinomial(probs, num_samples=1, generator=generator).
        Raise ValueError for a negative temperature.
        """
        raise NotImplementedError
