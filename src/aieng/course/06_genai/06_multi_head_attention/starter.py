"""Multi-head attention — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check multi-head-attention`.
You may paste your `scaled_dot_product_attention` from the attention exercise into this file and call it;
torch's own attention (nn.MultiheadAttention, F.scaled_dot_product_attention) is switched off while the
checks run.
"""

from __future__ import annotations

from torch import Tensor, nn


class MultiHeadAttention(nn.Module):
    """Multi-head attention with four projections, each nn.Linear(embed_dim, embed_dim) with bias:
    attributes `q_proj`, `k_proj`, `v_proj` and `out_proj` (the tests copy weights into them by name).

    Raise ValueError unless embed_dim is a positive multiple of num_heads (num_heads >= 1).
    """

    def __init__(self, embed_dim: int, num_heads: int) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, query: Tensor, key: Tensor | None = None, value: Tensor | None = None, *,
                key_padding_mask: Tensor | None = None, causal: bool = False, need_weights: bool = False,
                average_weights: bool = True) -> tuple[Tensor, Tensor | None]:
        """query (B, L, d); key and value (B, S, d), both defaulting to the query (self-attention).

        1. Project: q = q_proj(query), k = k_proj(key), v = v_proj(value).
        2. Split heads: (B, T, d) -> (B, H, T, d / H); head h owns features h*d/H .. (h+1)*d/H - 1.
        3. Attend in every head at once (scale 1 / sqrt(d / H)), with
           - key_padding_mask (B, S) bool, True at PADDING keys (ignored), as in torch.nn.MultiheadAttention;
           - causal=True: position i sees positions <= i only.
        4. Merge heads back to (B, L, d) and apply out_proj.
        Return (out, weights): weights is None unless need_weights; then the attention weights averaged
        over the heads, (B, L, S), or per head, (B, H, L, S), when average_weights is False.
        """
        raise NotImplementedError
