"""A GPT: a decoder-only transformer language model, in the spirit of nanoGPT (Karpathy) and GPT-2.

    h_0 = E_tok[idx] + E_pos[0..T-1]                      (B, T, d)
    h_l = Block_l(h_{l-1}), causal, l = 1..N               pre-LN blocks (aieng.lib.genai.transformer)
    logits = LN_f(h_N) E_tok^T                             (B, T, V): the LM head shares E_tok (weight tying)

Position t's logits predict token t + 1 from tokens 0..t only (the causal mask), so one forward pass
trains on every position of a window at once: loss = mean cross-entropy(logits[:, t], idx[:, t + 1]).

Parameters (biases on): V d + T_max d + N (12 d^2 + 13 d) + 2 d; the head adds nothing (tied).

Initialization (GPT-2's): every Linear and Embedding weight ~ N(0, 0.02^2), the two residual
projections of each block (attn.out_proj, mlp.proj) ~ N(0, (0.02 / sqrt(2 N))^2) so that the residual
stream's variance does not grow with depth, biases 0, LayerNorm scale 1 and shift 0. The logits start
tiny (std ~ 0.02 sqrt(d)), the predicted distribution is nearly uniform, and the loss at init is close to
ln V: a handy sanity check.

Generation (`generate`): repeat "logits of the last position -> divide by the temperature -> keep the
top k -> softmax -> sample (torch.multinomial with the caller's generator), or argmax when
temperature = 0". With ``use_cache=True`` each layer keeps its past keys and values (`KVCache`), and
each new token costs one position's work instead of a whole forward pass over the prefix; the tokens
are the same as without the cache.

Left out: flash attention, mixed precision, loading OpenAI's GPT-2 weights.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from aieng.lib.genai.attention import KVCache
from aieng.lib.genai.sampling import sample
from aieng.lib.genai.transformer import TransformerBlock

__all__ = ["GPT", "KVCache", "next_token"]


def next_token(logits: Tensor, temperature: float = 1.0, top_k: int | None = None,
               generator: torch.Generator | None = None) -> Tensor:
    """Pick one token per row of `logits` (B, V) -> (B, 1) int64, with the sampling exercise's `sample`.

    temperature == 0: argmax (greedy). Otherwise softmax(logits / temperature) restricted to the top_k
    largest logits (ties at the k-th value are kept), drawn with ``torch.multinomial(probs, 1,
    generator=generator)``: the same generator state gives the same tokens.
    """
    return sample(logits, temperature=temperature, top_k=top_k, generator=generator)[:, None]


class GPT(nn.Module):
    """Decoder-only transformer LM: idx (B, T) int64 -> logits (B, T, vocab_size), T <= block_size.

    >>> model = GPT(vocab_size=65, block_size=64, n_layer=4, n_head=4, n_embd=128)
    >>> model.num_parameters()   # 65*128 + 64*128 + 4*(12*128**2 + 13*128) + 2*128
    809856
    """

    def __init__(self, vocab_size: int, block_size: int, n_layer: int, n_head: int, n_embd: int,
                 dropout: float = 0.0, bias: bool = True) -> None:
        super().__init__()
        for name, value in [("vocab_size", vocab_size), ("block_size", block_size), ("n_layer", n_layer),
                            ("n_head", n_head), ("n_embd", n_embd)]:
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be a multiple of n_head ({n_head})")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
        self.config = {"vocab_size": vocab_size, "block_size": block_size, "n_layer": n_layer, "n_head": n_head,
                       "n_embd": n_embd, "dropout": dropout, "bias": bias}
        self.vocab_size, self.block_size, self.n_layer = vocab_size, block_size, n_layer
        self.tok_emb = nn.Embedding(vocab_size, n_embd)
        self.pos_emb = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(TransformerBlock(n_embd, n_head, dropout=dropout, bias=bias)
                                    for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd, bias=bias)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.tok_emb.weight  # weight tying: one matrix reads and writes tokens
        self.apply(self._init_weights)
        for block in self.blocks:  # residual projections: scaled so depth does not inflate the stream
            for proj in (block.attn.out_proj, block.mlp.proj):
                nn.init.normal_(proj.weight, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def num_parameters(self) -> int:
        """Number of distinct parameters (the tied head counted once)."""
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx: Tensor, cache: KVCache | None = None) -> Tensor:
        """Logits (B, T, V) for token ids `idx` (B, T).

        With a `cache`, `idx` holds only the tokens after the cached ones: their positions continue from
        ``cache.length()``, and every layer appends their keys and values to the cache.
        """
        if idx.ndim != 2 or idx.dtype != torch.long:
            raise ValueError(f"idx must be a (B, T) tensor of int64 token ids, got {tuple(idx.shape)} {idx.dtype}")
        start = 0 if cache is None else cache.length()
        t = idx.shape[1]
        if start + t > self.block_size:
            raise ValueError(f"sequence of {start + t} tokens exceeds block_size {self.block_size}")
        positions = torch.arange(start, start + t, device=idx.device)
        x = self.drop(self.tok_emb(idx) + self.pos_emb(positions))
        for layer, block in enumerate(self.blocks):
            x = block(x, causal=True, cache=cache, layer=layer)
        return self.lm_head(self.ln_f(x))

    def loss(self, idx: Tensor, targets: Tensor) -> Tensor:
        """Mean cross-entropy (nats per token) of predicting `targets` (B, T) from `idx` (B, T)."""
        logits = self(idx)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))

    @torch.no_grad()
    def generate(self, idx: Tensor, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None,
                 generator: torch.Generator | None = None, use_cache: bool = True) -> Tensor:
        """Extend `idx` (B, T0) by `max_new_tokens` tokens -> (B, T0 + max_new_tokens).

        Without the cache every step re-runs the model on the last `block_size` tokens. With it, the
        prompt is run once (prefill) and each later step feeds one token; once the sequence outgrows
        `block_size` the window slides, positions shift, and the step falls back to a full recompute
        (exactly what the uncached path does), so both paths give the same tokens.
        """
        if max_new_tokens < 0:
            raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
        if idx.ndim != 2 or idx.shape[1] == 0:
            raise ValueError(f"idx must be a non-empty (B, T) prompt, got shape {tuple(idx.shape)}")
        was_training = self.training
        self.eval()
        cache: KVCache | None = None
        for _ in range(max_new_tokens):
            if use_cache and idx.shape[1] <= self.block_size:
                if cache is None:  # prefill: the whole prompt in one pass
                    cache = KVCache(self.n_layer)
                    logits = self(idx, cache=cache)
                else:  # decode: only the newest token
                    logits = self(idx[:, -1:], cache=cache)
            else:
                logits = self(idx[:, -self.block_size:])
            idx = torch.cat([idx, next_token(logits[:, -1, :], temperature, top_k, generator)], dim=1)
        self.train(was_training)
        return idx
