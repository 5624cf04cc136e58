"""The pre-LN transformer block: attention and an MLP, each read through a LayerNorm and added back.

    x = x + Attention(LN_1(x))
    x = x + MLP(LN_2(x)),        MLP(h) = W_2 GELU(W_1 h + b_1) + b_2,  W_1: d -> 4d, W_2: 4d -> d

"Pre-LN" (normalize the input of each sub-layer, keep the residual stream itself un-normalized) is what
GPT-2 and most LLMs since use: the residual path is an identity from the embeddings to the last layer,
so gradients reach every block undamped and training is stable without a learning-rate warm-up trick
being vital. The original 2017 transformer was post-LN: x = LN(x + sublayer(x)).

The block equals ``torch.nn.TransformerEncoderLayer(d, h, 4 d, dropout, activation="gelu",
batch_first=True, norm_first=True)`` with weights mapped as ln_1 = norm1, attn.{q,k,v}_proj = rows of
self_attn.in_proj_weight, attn.out_proj = self_attn.out_proj, mlp.fc = linear1, mlp.proj = linear2,
ln_2 = norm2. A GPT stacks them with ``causal=True``.

Left out: RMSNorm, SwiGLU, rotary embeddings, parallel attention/MLP (later LLM refinements).
Parameters: 12 d^2 + 13 d (with biases). Cost per token: O(12 d^2 + T d).
"""

from __future__ import annotations

from torch import Tensor, nn

from aieng.lib.genai.attention import KVCache, MultiHeadAttention


class MLP(nn.Module):
    """Position-wise feed-forward network: Linear(d, 4d) -> GELU (exact, erf form) -> Linear(4d, d) -> dropout."""

    def __init__(self, n_embd: int, hidden: int | None = None, bias: bool = True, dropout: float = 0.0) -> None:
        super().__init__()
        hidden = 4 * n_embd if hidden is None else hidden
        self.fc = nn.Linear(n_embd, hidden, bias=bias)
        self.act = nn.GELU()
        self.proj = nn.Linear(hidden, n_embd, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor) -> Tensor:
        return self.dropout(self.proj(self.act(self.fc(x))))


class TransformerBlock(nn.Module):
    """Pre-LN block on (B, T, d) -> (B, T, d): ``x + attn(ln_1(x))`` then ``x + mlp(ln_2(x))``.

    `causal=True` makes it a decoder block (position t sees 0..t); `key_padding_mask` (B, T) is True
    at padding, as in torch. `cache`/`layer` pass a KV cache through to the attention (decoding).
    """

    def __init__(self, n_embd: int, n_head: int, dropout: float = 0.0, bias: bool = True,
                 mlp_hidden: int | None = None) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, bias=bias)
        self.attn = MultiHeadAttention(n_embd, n_head, bias=bias, dropout=dropout)
        self.ln_2 = nn.LayerNorm(n_embd, bias=bias)
        self.mlp = MLP(n_embd, mlp_hidden, bias=bias, dropout=dropout)

    def forward(self, x: Tensor, *, causal: bool = False, key_padding_mask: Tensor | None = None,
                cache: KVCache | None = None, layer: int = 0) -> Tensor:
        if x.ndim != 3:
            raise ValueError(f"a transformer block takes (B, T, d) input, got shape {tuple(x.shape)}")
        h = self.ln_1(x)
        x = x + self.attn(h, key_padding_mask=key_padding_mask, causal=causal, cache=cache, layer=layer)[0]
        return x + self.mlp(self.ln_2(x))
