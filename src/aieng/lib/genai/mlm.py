"""Masked language modelling (BERT-style): corrupt some tokens, train the model to recover them.

An encoder sees the whole sequence at once (no causal mask), so "predict the next token" would be
trivial: the answer is in the input. BERT instead hides tokens and asks for them back. Each position
is chosen independently with probability mask_prob (0.15); a chosen token is then

    replaced by [MASK] with probability 0.8,
    replaced by a uniformly random token id in 0..vocab_size-1 with probability 0.1,
    left unchanged with probability 0.1.

The label of a chosen position is its original id, every other position gets -100 (ignored by the loss).
The random and unchanged cases exist because [MASK] never appears at fine-tuning time: the model must
produce a good representation for every input token, not only for [MASK]. The MLM loss is the mean
cross-entropy over the chosen positions only:

    L = -(1 / |M|) sum_{t in M} log softmax(logits_t)[label_t]

Random draws come from a torch.Generator (same seed, same masking). Reference draw order: one uniform per
position to choose, one uniform per position for the 80/10/10 split, one randint per position for the
random ids. A random replacement may draw the original id (so "unchanged" happens with probability
0.1 + 0.1 / vocab_size) or the [MASK] id if that lies in 0..vocab_size-1.

Left out: whole-word masking, span masking (SpanBERT, T5), next-sentence prediction, dynamic padding.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

IGNORE = -100


def mask_tokens(ids: Tensor, vocab_size: int, mask_id: int, generator: torch.Generator | None = None,
                mask_prob: float = 0.15, protected: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """BERT's corruption of a batch of token ids; returns (inputs, labels), both shaped like ids (int64).

    ids: integer tensor of any shape. protected: optional bool tensor of the same shape, True where a token
    must never be chosen (padding, [CLS], [SEP]). labels: the original id where chosen, -100 elsewhere.
    Cost: O(numel(ids)).
    """
    if not isinstance(ids, Tensor) or ids.dtype.is_floating_point or ids.dtype == torch.bool:
        raise ValueError("ids must be an integer tensor")
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 1:
        raise ValueError(f"vocab_size must be a positive integer, got {vocab_size!r}")
    if not 0.0 < mask_prob <= 1.0:
        raise ValueError(f"mask_prob must lie in (0, 1], got {mask_prob}")
    if protected is not None and (protected.shape != ids.shape or protected.dtype != torch.bool):
        raise ValueError(f"protected must be a bool tensor of shape {tuple(ids.shape)}")
    ids = ids.long()
    chosen = torch.rand(ids.shape, generator=generator, device=ids.device) < mask_prob
    if protected is not None:
        chosen &= ~protected
    action = torch.rand(ids.shape, generator=generator, device=ids.device)
    random_ids = torch.randint(vocab_size, ids.shape, generator=generator, device=ids.device)
    inputs = torch.where(chosen & (action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (action >= 0.8) & (action < 0.9), random_ids, inputs)
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE))
    return inputs, labels


def mlm_loss(logits: Tensor, labels: Tensor) -> Tensor:
    """Mean cross-entropy over the positions whose label is not -100; a 0-d tensor.

    logits: (..., V) floats; labels: (...) integers, -100 where there is nothing to predict. With no
    labelled position at all, returns 0 (still connected to logits, so backward() works), where
    torch.nn.functional.cross_entropy would return nan.
    """
    if logits.ndim < 1 or labels.shape != logits.shape[:-1]:
        raise ValueError(f"labels must have shape logits.shape[:-1] = {tuple(logits.shape[:-1])}, got "
                         f"{tuple(labels.shape)}")
    flat_logits, flat_labels = logits.reshape(-1, logits.shape[-1]), labels.reshape(-1).long()
    keep = flat_labels != IGNORE
    if not keep.any():
        return flat_logits.sum() * 0.0
    targets = flat_labels[keep]
    if int(targets.min()) < 0 or int(targets.max()) >= logits.shape[-1]:
        raise ValueError(f"labels must be -100 or lie in 0..{logits.shape[-1] - 1}")
    log_probs = torch.log_softmax(flat_logits[keep], dim=-1)
    return -log_probs.gather(1, targets[:, None]).mean()


class TinyMLM(nn.Module):
    """A small bidirectional encoder for masked language modelling (the lesson's and tests' toy model).

    Token embedding + learned positions -> torch.nn.TransformerEncoder (pre-LN, GELU, no causal mask) ->
    a linear head to vocabulary logits. forward(ids (B, T)) -> logits (B, T, V).
    """

    def __init__(self, vocab_size: int, dim: int = 32, heads: int = 2, layers: int = 1, max_len: int = 64) -> None:
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.positions = nn.Embedding(max_len, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=4 * dim, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab_size)

    def forward(self, ids: Tensor) -> Tensor:
        x = self.tokens(ids) + self.positions.weight[: ids.shape[-1]]
        return self.head(self.norm(self.encoder(x)))


def train_tiny_mlm(model: nn.Module, batches: Tensor, vocab_size: int, mask_id: int, steps: int,
                   lr: float = 3e-3, seed: int = 0) -> list[float]:
    """A few AdamW steps of MLM on `batches` (S, B, T) of ids, cycling through them; returns the losses.

    Each step masks its batch afresh with a generator seeded by `seed`.
    """
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        inputs, labels = mask_tokens(batches[step % len(batches)], vocab_size, mask_id, generator)
        loss = mlm_loss(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses

