"""Scaled dot-product attention — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check attention`.
Write it with torch operations (matmul, softmax, masked_fill, ...) so that autograd can differentiate it;
torch.nn.functional.scaled_dot_product_attention is switched off while the checks run.
"""

from __future__ import annotations

import torch
from torch import Tensor


def causal_mask(n_queries: int, n_keys: int | None = None, device: torch.device | str | None = None) -> Tensor:
    """Boolean mask of shape (n_queries, n_keys), True where query i may see key j, i.e. j <= i.

    `n_keys` defaults to `n_queries`. Aligned top-left, like torch's is_causal=True.
    """
    raise NotImplementedError


def padding_mask(lengths: Tensor, max_len: int) -> Tensor:
    """Boolean mask of shape (B, max_len), True at the real tokens: position t < lengths[b].

    `lengths` is a 1-D integer tensor; raise ValueError if a length is negative or exceeds max_len.
    """
    raise NotImplementedError


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, attn_mask: Tensor | None = None,
                                 is_causal: bool = False, scale: float | None = None,
                                 return_weights: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """softmax(q k^T * scale + mask) v.

    Shapes: q (..., L, E), k (..., S, E), v (..., S, Ev) -> output (..., L, Ev); any leading batch dims.
    - scale defaults to 1 / sqrt(E).
    - attn_mask: boolean, broadcastable to (..., L, S); True = the query may attend to that key.
      Hidden scores become -inf before the softmax. A non-boolean mask raises ValueError.
    - is_causal: also hide key j from query i when j > i (combine with attn_mask if both are given).
    - A query that sees no key at all gets all-zero weights and an all-zero output (not NaN).
    - return_weights: return (output, weights), weights of shape (..., L, S).
    Raise ValueError if q and k have different E, or k and v different S.
    """
    raise NotImplementedError
