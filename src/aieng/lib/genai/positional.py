"""Positional encodings: telling attention where each token sits.

Self-attention compares every token with every other through dot products and sums the values with the
resulting weights. Permute the input tokens and the outputs are permuted the same way: nothing in it
knows order, so "dog bites man" and "man bites dog" would look alike. Three ways to add position:

- sinusoidal (Vaswani et al. 2017), added to the token embeddings, fixed, no parameters:
      PE[p, 2i] = sin(p w_i),  PE[p, 2i + 1] = cos(p w_i),  w_i = base^(-2i / d),  base = 10000.
  Each pair of dimensions is a clock turning at its own speed, from one turn per 2 pi positions down to
  one turn per 2 pi base positions; PE[p + s] is a fixed rotation of PE[p] for every p.
- learned: a trainable table of max_len vectors (an nn.Embedding over positions 0..max_len-1), added to
  the token embeddings (GPT-2, BERT). Simple and flexible, but it knows nothing beyond max_len.
- rotary (RoPE, Su et al. 2021), applied to queries and keys inside attention: the pair of dimensions
  (2i, 2i + 1) of the vector at position m is rotated by the angle m w_i. Read as complex numbers
  z_i = x_{2i} + j x_{2i+1}, RoPE is z_i -> z_i e^{j m w_i}, so the attention logit between a query at m
  and a key at n, Re sum_i q_i conj(k_i) e^{j (m - n) w_i}, depends on the positions only through m - n.

Convention: RoPE pairs ADJACENT dimensions (2i, 2i+1), as in the RoFormer paper and the complex-number
view; Hugging Face's Llama code pairs i with i + d/2 ("rotate_half"), a permutation of the same idea whose
weights are not interchangeable with these. Angles are computed in float64 and cast to the input dtype.

Left out: ALiBi and T5's relative position biases, NTK/YaRN rescaling of RoPE for longer contexts, and
partial rotary (rotating only some dimensions).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def _check_dim(dim: int) -> None:
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 2 or dim % 2:
        raise ValueError(f"the model dimension must be an even integer >= 2, got {dim!r}")


def frequencies(dim: int, base: float = 10000.0) -> Tensor:
    """The angular speeds w_i = base^(-2i / dim) for i = 0 .. dim/2 - 1, float64, shape (dim // 2,)."""
    _check_dim(dim)
    if not base > 1:
        raise ValueError(f"base must be > 1, got {base}")
    return base ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)


def sinusoidal_encoding(num_positions: int, dim: int, base: float = 10000.0,
                        dtype: torch.dtype = torch.float32) -> Tensor:
    """The (num_positions, dim) table PE[p, 2i] = sin(p w_i), PE[p, 2i + 1] = cos(p w_i).

    Computed in float64, returned in `dtype`. dim must be even. Cost: O(num_positions dim).

    >>> sinusoidal_encoding(2, 4, dtype=torch.float64)[1]  # sin 1, cos 1, sin 0.01, cos 0.01 (= 0.99995)
    tensor([0.8415, 0.5403, 0.0100, 1.0000], dtype=torch.float64)
    """
    if isinstance(num_positions, bool) or not isinstance(num_positions, int) or num_positions < 0:
        raise ValueError(f"num_positions must be a non-negative integer, got {num_positions!r}")
    angles = torch.arange(num_positions, dtype=torch.float64)[:, None] * frequencies(dim, base)  # (T, d/2)
    table = torch.stack([torch.sin(angles), torch.cos(angles)], dim=-1)  # (T, d/2, 2): interleave sin, cos
    return table.reshape(num_positions, dim).to(dtype)


class LearnedPositionalEncoding(nn.Module):
    """x + P[:T], where P is a trainable (max_len, dim) table held in `self.positions` (an nn.Embedding).

    Input x: (..., T, dim) with T <= max_len; output the same shape. P starts as N(0, 0.02^2) (GPT-2's
    scale, so positions do not drown the token embeddings at the start).
    """

    def __init__(self, max_len: int, dim: int) -> None:
        super().__init__()
        if isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1:
            raise ValueError(f"max_len must be a positive integer, got {max_len!r}")
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim!r}")
        self.max_len, self.dim = max_len, dim
        self.positions = nn.Embedding(max_len, dim)
        nn.init.normal_(self.positions.weight, std=0.02)

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim < 2 or x.shape[-1] != self.dim:
            raise ValueError(f"expected input (..., T, {self.dim}), got shape {tuple(x.shape)}")
        length = x.shape[-2]
        if length > self.max_len:
            raise ValueError(f"sequence length {length} exceeds max_len = {self.max_len}: a learned table has no "
                             "entries beyond the positions it was built for")
        return x + self.positions.weight[:length]


def apply_rope(x: Tensor, positions: Tensor | None = None, base: float = 10000.0) -> Tensor:
    """Rotate each adjacent pair (x[..., 2i], x[..., 2i+1]) of x (..., T, d) by the angle positions[t] * w_i.

    positions: shape (T,), integers or floats (default 0, 1, ..., T-1), shared by every leading index.
    (a, b) -> (a cos t - b sin t, a sin t + b cos t). Norms are preserved, position 0 is the identity, and
    <apply_rope(q, m), apply_rope(k, n)> depends on m - n only. Cost: O(numel(x)).
    """
    if not isinstance(x, Tensor) or x.ndim < 2 or not torch.is_floating_point(x):
        raise ValueError(f"x must be a floating tensor of shape (..., T, d), got {getattr(x, 'shape', x)!r}")
    length, dim = x.shape[-2], x.shape[-1]
    _check_dim(dim)
    if positions is None:
        positions = torch.arange(length, dtype=torch.float64, device=x.device)
    if positions.shape != (length,):
        raise ValueError(f"positions must have shape (T,) = ({length},), got {tuple(positions.shape)}")
    angles = positions.to(torch.float64)[:, None] * frequencies(dim, base).to(x.device)  # (T, d/2)
    cos, sin = torch.cos(angles).to(x.dtype), torch.sin(angles).to(x.dtype)
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1).flatten(-2)
