"""Positional encodings — your implementation, in PyTorch.

Replace each `raise NotImplementedError` with code. Check it with `aieng check positional-encoding`.

Frequencies: w_i = base ** (-2i / d) for i = 0 .. d/2 - 1 (d even). Compute angles in float64 and convert
the result to the dtype asked for (sinusoidal) or to the input's dtype (RoPE).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def sinusoidal_encoding(num_positions: int, dim: int, base: float = 10000.0,
                        dtype: torch.dtype = torch.float32) -> Tensor:
    """The table PE of shape (num_positions, dim): PE[p, 2i] = sin(p w_i), PE[p, 2i + 1] = cos(p w_i).

    Raise ValueError if dim is odd or < 2, or num_positions is negative.
    """
    raise NotImplementedError


class LearnedPositionalEncoding(nn.Module):
    """Adds a trainable vector per position: forward(x) = x + P[:T] for x of shape (..., T, dim).

    Keep the table as `self.positions = nn.Embedding(max_len, dim)` (the tests copy weights into it),
    initialized N(0, 0.02^2). Raise ValueError in forward if T > max_len or the last axis is not dim.
    """

    def __init__(self, max_len: int, dim: int) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError


def apply_rope(x: Tensor, positions: Tensor | None = None, base: float = 10000.0) -> Tensor:
    """Rotary position embedding of x (..., T, d): rotate each ADJACENT pair (x[..., 2i], x[..., 2i + 1]) of the
    vector at time t by the angle positions[t] * w_i:

        (a, b) -> (a cos(theta) - b sin(theta), a sin(theta) + b cos(theta))

    positions: shape (T,) (default 0, 1, ..., T - 1), shared by all leading axes. Same shape and dtype out.
    Raise ValueError for an odd d or positions of the wrong shape.
    """
    raise NotImplementedError
