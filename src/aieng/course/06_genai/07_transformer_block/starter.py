"""The pre-LN transformer block — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check transformer-block`.
Paste your MultiHeadAttention from the previous exercise into this file (with anything it uses): the block
needs it. torch's ready-made transformer layers and attention functions are switched off while the checks run.
"""

from __future__ import annotations

from torch import Tensor, nn


class MLP(nn.Module):
    """Feed-forward network applied to every position: Linear(d, 4d) -> GELU -> Linear(4d, d).

    Attributes `fc` = nn.Linear(n_embd, 4 * n_embd) and `proj` = nn.Linear(4 * n_embd, n_embd), both with bias;
    the GELU is the exact one (nn.GELU()). Input and output (..., n_embd).
    """

    def __init__(self, n_embd: int) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError


class TransformerBlock(nn.Module):
    """Pre-LN block: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)).

    Attributes (the tests copy weights by these names): `ln_1`, `ln_2` = nn.LayerNorm(n_embd);
    `attn` = your MultiHeadAttention(n_embd, n_head) with q_proj, k_proj, v_proj, out_proj; `mlp` = MLP(n_embd).
    Raise ValueError if n_embd is not a multiple of n_head.
    """

    def __init__(self, n_embd: int, n_head: int) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor, *, causal: bool = False, key_padding_mask: Tensor | None = None) -> Tensor:
        """x (B, T, n_embd) -> (B, T, n_embd). causal=True: position t attends to positions <= t only.
        key_padding_mask (B, T), True at padding. Raise ValueError unless x is 3-D."""
        raise NotImplementedError
