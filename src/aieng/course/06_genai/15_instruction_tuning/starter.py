"""Instruction tuning (SFT) — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check instruction-tuning`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from torch import Tensor, nn

IGNORE_INDEX = -100  # the label of a position that must not count in the loss
PROMPT_TEMPLATE = "Q: {question}\nA: "
END_OF_ANSWER = "\n"


def format_example(question: str, answer: str) -> tuple[str, str]:
    """(prompt, response) for one Q&A pair.

    Collapse every run of whitespace in both to a single space and strip the ends (" ".join(s.split())),
    then prompt = "Q: <question>\\nA: " and response = "<answer>\\n".
    Raise ValueError if the question or the answer has no text left.
    """
    raise NotImplementedError


def encode_example(prompt: str, response: str, stoi: Mapping[str, int], block_size: int) -> tuple[Tensor, Tensor]:
    """(input_ids, labels), two int64 tensors of shape (T,), T <= block_size.

    s = [stoi[c] for c in prompt + response], cut to its first block_size + 1 ids;
    input_ids = s[:-1]; labels = s[1:], except labels[t] = -100 for every t < len(prompt) - 1 (the
    target s[t + 1] is still a prompt character).
    Raise ValueError for a character missing from `stoi`, an empty prompt or response, block_size < 1,
    or len(prompt) > block_size (no answer token would be inside the window).
    """
    raise NotImplementedError


def collate(examples: Sequence[tuple[Tensor, Tensor]], pad_id: int) -> tuple[Tensor, Tensor]:
    """Stack (input_ids, labels) pairs of different lengths into two (B, T_max) int64 tensors.

    Pad on the right: inputs with `pad_id`, labels with -100. Raise ValueError for an empty list.
    """
    raise NotImplementedError


def sft_loss(logits: Tensor, labels: Tensor) -> Tensor:
    """Masked mean cross-entropy: logits (B, T, V), labels (B, T) -> 0-d tensor.

    loss = mean over the positions with labels != -100 of -log softmax(logits[b, t])[labels[b, t]].
    Positions labelled -100 must not affect the value or receive any gradient. Do not use
    F.cross_entropy / F.nll_loss (they are switched off in the checks): log_softmax and gather do it.
    Raise ValueError if the shapes do not match, if every label is -100, or if a label is neither -100
    nor in [0, V).
    """
    raise NotImplementedError


def sft_step(model: nn.Module, optimizer: torch.optim.Optimizer, input_ids: Tensor, labels: Tensor) -> float:
    """One training step: model in training mode, loss = sft_loss(model(input_ids), labels), zero the
    gradients, backward, optimizer.step(). Return the loss (computed before the step) as a Python float."""
    raise NotImplementedError
