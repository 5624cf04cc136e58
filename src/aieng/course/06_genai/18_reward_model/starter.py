"""A reward model from preferences — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check reward-model`.
You may import the course's GPT (`from aieng.lib.genai.gpt import GPT`); scikit-learn is switched off
while your `fit_bradley_terry` runs.
"""

from __future__ import annotations

import numpy as np
import torch  # noqa: F401  (you will want it)
from numpy.typing import ArrayLike
from torch import Tensor, nn


def preference_probability(r_a: Tensor, r_b: Tensor) -> Tensor:
    """Bradley–Terry: P(a preferred to b) = sigma(r_a - r_b), elementwise, same shape as the inputs.

    Raise ValueError if the shapes differ. Must not produce NaN for differences of +-1000.
    """
    raise NotImplementedError


def pairwise_loss(r_chosen: Tensor, r_rejected: Tensor) -> Tensor:
    """The mean over N pairs of -log sigma(r_chosen - r_rejected): shapes (N,), (N,) -> scalar tensor.

    Must be finite for margins of +-1000 (-log(sigmoid(-1000)) is inf in floating point: use a stable form).
    Raise ValueError for different shapes or N = 0.
    """
    raise NotImplementedError


def pairwise_loss_grad(r_chosen: Tensor, r_rejected: Tensor) -> tuple[Tensor, Tensor]:
    """The gradient of `pairwise_loss` (the MEAN) with respect to each input, derived by hand (no autograd):
    a pair (grad_chosen, grad_rejected), each of shape (N,). Same ValueErrors as `pairwise_loss`."""
    raise NotImplementedError


def fit_bradley_terry(winners: ArrayLike, losers: ArrayLike, n_items: int, l2: float = 1e-2,
                      tol: float = 1e-10, max_iter: int = 100) -> np.ndarray:
    """Scores s of shape (n_items,) from comparisons "item winners[k] beat item losers[k]" (integer arrays of
    length m), minimizing

        sum_k log(1 + exp(-(s[winners[k]] - s[losers[k]])))  +  (l2 / 2) * ||s||^2

    to within `tol` on the gradient (Newton's method converges in a few steps; any correct optimizer is
    fine). Raise ValueError for an item compared with itself, indices outside [0, n_items), different
    lengths, n_items < 1, or l2 <= 0.
    """
    raise NotImplementedError


def final_hidden_states(gpt: nn.Module, idx: Tensor) -> Tensor:
    """The GPT's final hidden states (B, T, d) for token ids idx (B, T): the output of its last LayerNorm
    `gpt.ln_f`, the vectors its `lm_head` turns into logits. Build them from the GPT's parts (tok_emb,
    pos_emb, drop, blocks run with causal=True, ln_f)."""
    raise NotImplementedError


class RewardModel(nn.Module):
    """A scalar reward on top of a GPT: keep the GPT as `self.backbone` (the same object, not a copy) and add
    `self.head = nn.Linear(n_embd, 1)`.

    forward(idx (B, T), lengths (B,) int or None) -> rewards (B,): the head applied to the final hidden state
    at position lengths[b] - 1 (the sequence's last real token; the rest is padding), or at the last
    position when lengths is None. Raise ValueError when a length is outside [1, T] or lengths is not (B,).
    """

    def __init__(self, gpt: nn.Module) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, idx: Tensor, lengths: Tensor | None = None) -> Tensor:
        raise NotImplementedError

