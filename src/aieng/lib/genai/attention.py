"""Attention: scaled dot-product attention with causal and padding masks, and multi-head attention.

Scaled dot-product attention lets each query position read a weighted average of the value vectors,
weighted by how well its query matches each key:

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + mask) V

with Q of shape (..., L, d_k), K of shape (..., S, d_k) and V of shape (..., S, d_v). A boolean mask
says which (query, key) pairs may interact (True = may attend, the convention of
``torch.nn.functional.scaled_dot_product_attention``); the forbidden scores become -inf before the softmax,
so they get weight exactly 0. A query row whose keys are *all* forbidden has no distribution to speak of:
like torch, it gets all-zero weights and an all-zero output instead of NaN.

Multi-head attention projects the inputs into `num_heads` smaller spaces, attends in each independently,
concatenates the heads and projects back. Its parameters are laid out as separate q/k/v/out projections
(``torch.nn.MultiheadAttention`` packs q, k and v into one ``in_proj_weight``; the rows split in that
order), so weights copy both ways.

Left out: attention dropout, float (additive) masks, grouped-query attention, flash-attention tiling.
Cost: O(L * S * d) time and O(L * S) memory per head.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def causal_mask(n_queries: int, n_keys: int | None = None, device: torch.device | str | None = None) -> Tensor:
    """Boolean (n_queries, n_keys) mask, True where query i may see key j, i.e. j <= i.

    Aligned top-left like ``is_causal=True`` in torch: query 0 sees key 0 only.

    >>> causal_mask(3).int()
    tensor([[1, 0, 0],
            [1, 1, 0],
            [1, 1, 1]], dtype=torch.int32)
    """
    n_keys = n_queries if n_keys is None else n_keys
    if n_queries < 0 or n_keys < 0:
        raise ValueError(f"sizes must be non-negative, got {n_queries} queries and {n_keys} keys")
    return torch.ones(n_queries, n_keys, dtype=torch.bool, device=device).tril()


def padding_mask(lengths: Tensor, max_len: int) -> Tensor:
    """Boolean (B, max_len) mask, True at the real tokens of each sequence: position < lengths[b].

    To hide padded keys from every query, broadcast it as ``mask[:, None, None, :]`` against scores of
    shape (B, heads, L, S).

    >>> padding_mask(torch.tensor([2, 0]), 3).int()
    tensor([[1, 1, 0],
            [0, 0, 0]], dtype=torch.int32)
    """
    lengths = torch.as_tensor(lengths)
    if lengths.ndim != 1:
        raise ValueError(f"lengths must be 1-D (one length per sequence), got shape {tuple(lengths.shape)}")
    if bool((lengths < 0).any()) or bool((lengths > max_len).any()):
        raise ValueError(f"every length must lie in [0, {max_len}], got {lengths.tolist()}")
    return torch.arange(max_len, device=lengths.device) < lengths[:, None]


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, attn_mask: Tensor | None = None,
                                 is_causal: bool = False, scale: float | None = None,
                                 return_weights: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """softmax(q k^T * scale, masked) v, for q (..., L, E), k (..., S, E), v (..., S, Ev) -> (..., L, Ev).

    - `attn_mask`: boolean, broadcastable to (..., L, S); True = the query may attend to the key.
    - `is_causal`: add the top-left causal mask (query i sees keys 0..i); may be combined with `attn_mask`.
    - `scale`: defaults to 1 / sqrt(E).
    - Rows with no visible key get zero weights and a zero output (torch's convention), not NaN.
    - `return_weights=True` returns ``(output, weights)`` with weights of shape (..., L, S).

    Cost: two batched matrix products, O(L S (E + Ev)).
    """
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ValueError("q, k and v need at least 2 dimensions: (..., positions, features)")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"queries and keys must have the same feature size, got {q.shape[-1]} and {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"keys and values must have the same length, got {k.shape[-2]} and {v.shape[-2]}")
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale  # (..., L, S)
    allowed = None
    if attn_mask is not None:
        if attn_mask.dtype != torch.bool:
            raise ValueError(f"attn_mask must be boolean (True = may attend), got {attn_mask.dtype}")
        allowed = attn_mask
    if is_causal:
        causal = causal_mask(q.shape[-2], k.shape[-2], device=q.device)
        allowed = causal if allowed is None else allowed & causal
    if allowed is None:
        weights = torch.softmax(scores, dim=-1)
    else:
        allowed = allowed.expand(scores.shape)
        empty = ~allowed.any(dim=-1, keepdim=True)  # (..., L, 1): rows that see nothing
        scores = scores.masked_fill(~(allowed | empty), float("-inf"))  # empty rows stay finite...
        weights = torch.softmax(scores, dim=-1).masked_fill(empty, 0.0)  # ...and are zeroed afterwards
    out = weights @ v
    return (out, weights) if return_weights else out


class MultiHeadAttention(nn.Module):
    """Multi-head attention with separate q, k, v and output projections (each ``nn.Linear(d, d)``).

    head_h = Attention(x_q W_q^h, x_kv W_k^h, x_kv W_v^h);  out = concat(head_1..head_H) W_o

    Shapes: query (B, L, d), key and value (B, S, d) (default: the query, i.e. self-attention).
    `key_padding_mask` (B, S) is True at PADDING (keys to ignore), as in torch.nn.MultiheadAttention;
    `causal=True` hides later keys. Returns ``(out, weights)``: out (B, L, d) and, when
    `need_weights`, the attention weights averaged over heads (B, L, S) (per head, (B, H, L, S), with
    ``average_weights=False``), else None.

    Parameters: 4 d^2 + 4 d (with bias). Cost: O(B (L + S) d^2 + B L S d).
    """

    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True, dropout: float = 0.0) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0 or embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be a positive multiple of num_heads ({num_heads})")
        self.embed_dim, self.num_heads, self.head_dim = embed_dim, num_heads, embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.dropout = nn.Dropout(dropout)  # on the output (residual dropout); attention dropout is left out

    def split_heads(self, x: Tensor) -> Tensor:
        """(B, T, d) -> (B, H, T, d / H): each head gets its own slice of the features."""
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def merge_heads(self, x: Tensor) -> Tensor:
        """(B, H, T, d / H) -> (B, T, d): the inverse of `split_heads`."""
        b, _, t, _ = x.shape
        return x.transpose(1, 2).reshape(b, t, self.embed_dim)

    def forward(self, query: Tensor, key: Tensor | None = None, value: Tensor | None = None, *,
                key_padding_mask: Tensor | None = None, causal: bool = False, need_weights: bool = False,
                average_weights: bool = True, cache: KVCache | None = None,
                layer: int = 0) -> tuple[Tensor, Tensor | None]:
        """Attend from `query` to `key`/`value`; with a `cache`, `query` holds only the NEW positions of a
        self-attention: their keys and values are appended to ``cache`` (slot `layer`) and the queries attend
        to everything cached, causally (new position i sees the cached prefix and new positions <= i)."""
        key = query if key is None else key
        value = key if value is None else value
        if query.ndim != 3 or query.shape[-1] != self.embed_dim:
            raise ValueError(f"query must have shape (B, L, {self.embed_dim}), got {tuple(query.shape)}")
        if key.shape[:2] != value.shape[:2]:
            raise ValueError(f"key and value must share (B, S), got {tuple(key.shape)} and {tuple(value.shape)}")
        q = self.split_heads(self.q_proj(query))
        k = self.split_heads(self.k_proj(key))
        v = self.split_heads(self.v_proj(value))
        mask = None
        if cache is not None:
            if key_padding_mask is not None:
                raise ValueError("the KV cache supports unpadded self-attention only")
            past = cache.length(layer)
            k, v = cache.append(layer, k, v)
            if causal:  # aligned bottom-right: new query i sits at absolute position past + i
                mask, causal = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device).tril(past), False
        if key_padding_mask is not None:
            if key_padding_mask.shape != key.shape[:2] or key_padding_mask.dtype != torch.bool:
                raise ValueError(f"key_padding_mask must be boolean of shape {tuple(key.shape[:2])}")
            mask = ~key_padding_mask[:, None, None, :]  # True = may attend, broadcast over heads and queries
        if not need_weights:
            out = scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal)
            return self.dropout(self.out_proj(self.merge_heads(out))), None
        out, weights = scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal, return_weights=True)
        out = self.dropout(self.out_proj(self.merge_heads(out)))
        return out, weights.mean(dim=1) if average_weights else weights


class KVCache:
    """Keys and values of the positions a decoder has already processed, one slot per layer.

    ``keys[l]`` and ``values[l]`` have shape (B, H, T_cached, head_dim) (None before the first step).
    Generation feeds only the new token through the model: each attention layer computes the new
    position's key and value, appends them here and attends over the whole cache, so a step costs
    O(T d) instead of re-running the O(T^2 d) prefix. Memory: 2 * n_layer * B * T * d numbers.
    """

    def __init__(self, n_layer: int) -> None:
        if n_layer <= 0:
            raise ValueError(f"n_layer must be positive, got {n_layer}")
        self.keys: list[Tensor | None] = [None] * n_layer
        self.values: list[Tensor | None] = [None] * n_layer

    def length(self, layer: int = 0) -> int:
        """How many positions layer `layer` holds (the same for every layer between two forward calls)."""
        cached = self.keys[layer]
        return 0 if cached is None else cached.shape[-2]

    def append(self, layer: int, k: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
        """Append the new keys/values (B, H, T_new, head_dim) to layer `layer`; return all of them."""
        if self.keys[layer] is not None:
            k = torch.cat([self.keys[layer], k], dim=-2)
            v = torch.cat([self.values[layer], v], dim=-2)
        self.keys[layer], self.values[layer] = k, v
        return k, v
