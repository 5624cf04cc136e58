"""Evaluating language models — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check llm-evaluation`.
torch.nn.functional.cross_entropy, sacrebleu and rouge_score are switched off while your code runs: they are
the answer key.
"""

from __future__ import annotations

import math  # noqa: F401  (you will want it)
import re  # noqa: F401  (for ROUGE's tokenization)
from collections import Counter  # noqa: F401  (n-gram counts)
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch  # noqa: F401  (you will want it)
from torch import Tensor, nn


class Score(NamedTuple):
    """Precision, recall and F1 of one hypothesis against one reference (given: use it as it is)."""

    precision: float
    recall: float
    fmeasure: float


def token_logprobs(logits: Tensor, targets: Tensor) -> Tensor:
    """log softmax(logits[b, t])[targets[b, t]] for logits (B, T, V) and int64 targets (B, T) -> (B, T).
    ValueError when the shapes do not fit or a target is outside [0, V)."""
    raise NotImplementedError


def perplexity(logits: Tensor, targets: Tensor, mask: Tensor | None = None) -> float:
    """exp(-(sum of token log-probs where mask is True) / (number of True entries)); mask None counts every
    token. ValueError when no token is counted or the mask is not a bool tensor of targets' shape."""
    raise NotImplementedError


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[Sequence[str]], max_n: int = 4,
                smooth_method: str = "none") -> float:
    """Corpus BLEU on a 0-100 scale, tokens = str.split(); references[i] is the list of references of
    hypotheses[i].

    p_n = (sum over sentences of clipped n-gram matches) / (sum of hypothesis n-grams), clipping each n-gram's
    count at its largest count in any single reference. BLEU = 100 * BP * exp(mean_n log p_n), BP = 1 if c > r
    else exp(1 - r / c), c = hypothesis tokens, r = sum of the reference lengths closest to each hypothesis
    length (ties: the shorter). 0 when c = 0 or no n-gram matches at all. smooth_method "none": 0 if any p_n
    is 0; "exp": the k-th zero precision (k = 1, 2, ...) becomes 1 / (2^k * total_n). ValueError for unequal
    lengths, an empty corpus, max_n < 1 or another smooth_method.
    """
    raise NotImplementedError


def rouge_n(hypothesis: str, reference: str, n: int = 1) -> Score:
    """ROUGE-N on rouge tokens (lowercase; every run of characters other than a-z and 0-9 separates tokens):
    overlap = sum over n-grams of min(hyp count, ref count); precision = overlap / max(hyp n-grams, 1), recall =
    overlap / max(ref n-grams, 1), fmeasure = 2 P R / (P + R), or 0 when P + R = 0."""
    raise NotImplementedError


def rouge_l(hypothesis: str, reference: str) -> Score:
    """ROUGE-L on rouge tokens: LCS = length of the longest common subsequence; precision = LCS / len(hyp),
    recall = LCS / len(ref), F1 as above; (0, 0, 0) when either side has no tokens."""
    raise NotImplementedError


def sequence_loglikelihood(model: nn.Module, context: Sequence[int], continuation: Sequence[int],
                           block_size: int | None = None) -> float:
    """sum_j log p(continuation[j] | context + continuation[:j]) in ONE forward pass of the causal LM
    model(idx (1, T)) -> logits (1, T, V).

    Input: (context + continuation)[:-1], keeping only its last block_size tokens (default:
    model.block_size); the logits at its last len(continuation) positions score the continuation.
    ValueError for an empty context, an empty continuation, or a continuation longer than block_size.
    """
    raise NotImplementedError


def predict_choice(loglikelihood: Callable[[str, str], float], question: str, choices: Sequence[str],
                   normalize: bool = False) -> int:
    """argmax_i of loglikelihood(f"Question: {question}\\nAnswer:", " " + choices[i]), divided by
    len(" " + choices[i]) (characters) when normalize; the first index on ties. ValueError for < 2 choices."""
    raise NotImplementedError


def multiple_choice_accuracy(loglikelihood: Callable[[str, str], float],
                             items: Sequence[tuple[str, Sequence[str], int]], normalize: bool = False) -> float:
    """The fraction of items (question, choices, answer_index) whose predict_choice equals answer_index.
    ValueError for no items or an answer index outside the choices."""
    raise NotImplementedError
