"""LoRA with peft on a sentence encoder — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check lora-peft`.
Here peft is the tool: use `LoraConfig` and `get_peft_model`.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the models ship in packages: never reach for the hub

from collections.abc import Sequence

import torch
from peft import LoraConfig, get_peft_model  # noqa: F401  (you will need both)
from torch import Tensor, nn


def lora_config(r: int = 8, alpha: float = 16, dropout: float = 0.0,
                target_modules: Sequence[str] = ("query", "key", "value")) -> LoraConfig:
    """peft's LoraConfig with r, lora_alpha=alpha, lora_dropout=dropout, target_modules (a list) and
    bias="none". Raise ValueError if r is not an integer >= 1, alpha <= 0, dropout is outside [0, 1), or
    target_modules is empty."""
    raise NotImplementedError


def count_trainable(model: nn.Module) -> tuple[int, int]:
    """(number of trainable parameters, number of all parameters), each shared tensor counted once
    (model.parameters() yields a tied tensor only once). Count them yourself: peft's
    get_nb_trainable_parameters() is what you are checked against."""
    raise NotImplementedError


def mean_pool(hidden: Tensor, mask: Tensor) -> Tensor:
    """Mean of the real tokens' vectors: hidden (B, T, d), mask (B, T) of 0/1 (the attention mask) -> (B, d).

    e_b = sum_t mask[b, t] * hidden[b, t] / max(sum_t mask[b, t], 1e-9)  (sentence-transformers' formula;
    an all-zero mask row gives a zero vector). Raise ValueError unless hidden is 3-D and mask is (B, T).
    """
    raise NotImplementedError


class SentenceClassifier(nn.Module):
    """encoder -> mean_pool -> nn.Linear head: forward(input_ids (B, T), attention_mask (B, T)) -> logits (B, C).

    - `encoder`: a transformers encoder (e.g. BertModel); encoder(input_ids=..., attention_mask=...)
      returns an object with .last_hidden_state (B, T, d); d is encoder.config.hidden_size.
    - with `lora` (a LoraConfig), store get_peft_model(encoder, lora) as self.encoder (this freezes the
      encoder's own weights and adds adapters); without it, store the encoder itself (full fine-tuning).
    - self.head = nn.Linear(d, n_classes), always trainable.
    Raise ValueError if n_classes < 2.
    """

    def __init__(self, encoder: nn.Module, n_classes: int, lora: LoraConfig | None = None) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        raise NotImplementedError


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, input_ids: Tensor, attention_mask: Tensor,
               labels: Tensor) -> float:
    """One step: model.train(); loss = mean cross-entropy of model(input_ids, attention_mask) against labels
    (B,); zero the gradients, backward, optimizer.step(); return the loss (before the step) as a float."""
    raise NotImplementedError
