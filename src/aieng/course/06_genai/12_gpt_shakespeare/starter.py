"""Train your GPT on Shakespeare — the model you will train.

1. Paste your GPT class from 08_gpt.py into this file, with everything it uses (attention, MLP, blocks).
2. Train it with the course's script (10 to 25 minutes on a CPU):
       python -m aieng.lib.genai.train --preset nanogpt-cpu --model 06_genai/12_gpt_shakespeare.py
   It saves gpt_runs/model.pt, checkpoint.pt, metrics.json, loss.png and sample.txt next to this file.
3. Check it with `aieng check gpt-shakespeare`: the checks rebuild this file's GPT from gpt_runs/model.pt and
   measure its validation loss themselves.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class GPT(nn.Module):
    """Your GPT: GPT(vocab_size, block_size, n_layer, n_head, n_embd, dropout=0.0); forward(idx (B, T)) ->
    logits (B, T, vocab_size); generate(idx, max_new_tokens, temperature=1.0, top_k=None, generator=None)."""

    def __init__(self, vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int,
                 dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, idx: Tensor) -> Tensor:
        raise NotImplementedError

    @torch.no_grad()
    def generate(self, idx: Tensor, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None,
                 generator: torch.Generator | None = None) -> Tensor:
        raise NotImplementedError
