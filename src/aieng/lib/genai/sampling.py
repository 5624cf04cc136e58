"""Choosing the next token from a language model's logits: greedy, temperature, top-k, top-p (nucleus).

The model gives logits z over the vocabulary; softmax(z / T) is the distribution we draw from. The knobs,
applied in this order:

- temperature T > 0 divides the logits: T < 1 sharpens (towards greedy), T > 1 flattens (towards uniform).
  T = 0 means greedy decoding: all probability on the first index of the largest logit (argmax).
- top-k keeps the k most probable tokens. Tie rule: every token whose logit equals the k-th largest is
  kept too, so slightly more than k tokens can survive.
- top-p keeps the nucleus, the smallest set of most probable tokens whose mass reaches p, computed on the
  distribution left by temperature and top-k. Tie rule: a token is kept exactly when the total probability
  of the tokens strictly more probable than it is below p; tokens tied with the last member of the
  smallest set are kept as well. top_p = 1 keeps everything.

The kept probabilities are renormalized to sum to 1; the rest become exactly 0. Greedy decoding tends to
loop ("the the the"), pure sampling at high temperature wanders into incoherence by picking from the long
tail of unlikely tokens; top-k and top-p cut that tail.

Works on logits of shape (..., V) (a batch of rows), in their dtype; sampling uses torch.multinomial with
an optional torch.Generator, so a seeded generator gives reproducible tokens. Left out: repetition and
frequency penalties, min-p, typical sampling, beam search.
"""

from __future__ import annotations

import torch
from torch import Tensor


def _check(logits: Tensor, temperature: float, top_k: int | None, top_p: float | None) -> None:
    if not isinstance(logits, Tensor) or not torch.is_floating_point(logits) or logits.ndim < 1:
        raise ValueError("logits must be a floating tensor of shape (..., V)")
    if logits.shape[-1] == 0:
        raise ValueError("logits have an empty vocabulary axis")
    if torch.isnan(logits).any():
        raise ValueError("logits contain NaN")
    if (logits == torch.inf).any() or (logits == -torch.inf).all(dim=-1).any():
        raise ValueError("every row needs a finite maximum logit (no +inf, not all -inf)")
    if not (temperature >= 0) or temperature == float("inf"):
        raise ValueError(f"temperature must be finite and >= 0, got {temperature}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ValueError(f"top_k must be a positive integer or None, got {top_k!r}")
    if top_p is not None and not 0.0 < top_p <= 1.0:
        raise ValueError(f"top_p must lie in (0, 1] or be None, got {top_p}")


def filter_logits(logits: Tensor, temperature: float = 1.0, top_k: int | None = None,
                  top_p: float | None = None) -> Tensor:
    """The distribution sample() draws from: probabilities of shape (..., V), each row summing to 1.

    softmax(logits / temperature), then the top-k and top-p filters (ties kept, see the module docstring),
    renormalized. temperature = 0 gives a one-hot row at argmax. Cost: O(V log V) per row (a sort).

    >>> filter_logits(torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05])), top_p=0.75)
    tensor([0.6250, 0.3750, 0.0000, 0.0000])
    """
    _check(logits, temperature, top_k, top_p)
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    scaled = logits / temperature
    if top_k is not None and top_k < logits.shape[-1]:
        kth = torch.topk(scaled, top_k, dim=-1).values[..., -1:]
        scaled = scaled.masked_fill(scaled < kth, -torch.inf)
    probs = torch.softmax(scaled, dim=-1)
    if top_p is not None and top_p < 1.0:
        ordered = torch.sort(probs, dim=-1, descending=True).values
        before = torch.cumsum(ordered, dim=-1) - ordered  # mass of the tokens ranked ahead
        in_prefix = before < top_p  # the smallest prefix whose mass reaches top_p
        threshold = torch.where(in_prefix, ordered, torch.inf).amin(dim=-1, keepdim=True)
        probs = torch.where(probs >= threshold, probs, 0.0)
        probs = probs / probs.sum(dim=-1, keepdim=True)
    return probs


def sample(logits: Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
           generator: torch.Generator | None = None) -> Tensor:
    """One token id per row of logits (..., V): an int64 tensor of shape (...).

    temperature = 0 is greedy (argmax, no randomness). Otherwise one draw from filter_logits(...) per row
    with torch.multinomial and `generator` (the same seed gives the same tokens).
    """
    if temperature == 0:
        _check(logits, temperature, top_k, top_p)
        return logits.argmax(dim=-1)
    probs = filter_logits(logits, temperature, top_k, top_p)
    flat = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(flat, 1, generator=generator).reshape(probs.shape[:-1])
