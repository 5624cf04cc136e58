"""Direct preference optimization — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check dpo`.
Models are causal language models called as model(idx (B, T)) -> logits (B, T, V), such as the course's
`aieng.lib.genai.gpt.GPT`.
"""

from __future__ import annotations

from typing import Any

import numpy as np  # noqa: F401  (useful for win_rate)
import torch  # noqa: F401  (you will want it)
from numpy.typing import ArrayLike
from torch import Tensor, nn


def sequence_logprobs(model: nn.Module, idx: Tensor, response_mask: Tensor) -> Tensor:
    """log pi(y | x) per sequence, shape (B,): the sum over positions t with response_mask[b, t] True of
    log p(idx[b, t] | idx[b, :t]), where the logits at position t - 1 predict token t.

    idx (B, T) int64 holds prompt + response (+ right padding); response_mask (B, T) bool marks the response
    tokens (False on prompt and padding). Keep the result differentiable. Raise ValueError when the mask is
    not a bool tensor of idx's shape, or marks position 0 (nothing predicts the first token).
    """
    raise NotImplementedError


def dpo_loss(policy_chosen: Tensor, policy_rejected: Tensor, ref_chosen: Tensor, ref_rejected: Tensor,
             beta: float = 0.1) -> Tensor:
    """The mean over B pairs of -log sigma(beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected))),
    from four (B,) tensors of sequence log-probabilities -> scalar tensor. Finite for any margin.
    Raise ValueError for beta <= 0, tensors of different shapes, or B = 0."""
    raise NotImplementedError


def implicit_reward(policy_logps: Tensor, ref_logps: Tensor, beta: float = 0.1) -> Tensor:
    """beta * (policy_logps - ref_logps), elementwise: DPO's implicit reward of each response."""
    raise NotImplementedError


def dpo_step(policy: nn.Module, reference: nn.Module, optimizer: Any, chosen: Tensor, rejected: Tensor,
             chosen_mask: Tensor, rejected_mask: Tensor, beta: float = 0.1) -> dict[str, float]:
    """One DPO update of `policy` on a batch of pairs; `reference` is frozen (only read, never gets gradients).

    chosen, rejected (B, T) int64 with their response masks (B, T) bool. `optimizer` has zero_grad() and
    step(). Returns plain floats computed BEFORE the update: {"loss": ..., "margin": mean of
    implicit_reward(chosen) - implicit_reward(rejected), "accuracy": fraction of pairs with margin > 0}
    (extra keys are welcome, e.g. "chosen_reward", "rejected_reward").
    """
    raise NotImplementedError


def win_rate(policy_scores: ArrayLike, reference_scores: ArrayLike) -> float:
    """mean(1[policy > reference] + 0.5 * 1[policy == reference]) over two 1-D score arrays of one length.
    Raise ValueError for empty arrays or different lengths."""
    raise NotImplementedError
